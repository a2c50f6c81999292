package sale

import (
	"fmt"
	"time"

	"kiosk/money"
	"kiosk/pricing"
	"kiosk/providers"
)

// State is where a sale is in its life. See the README's state machine.
type State string

// Sale states. Prepared, Pending, InDoubt and NeedsReview are open: the
// journal indexes them and start-up settles them.
const (
	Prepared    State = "prepared"     // journaled with its reference; the request may or may not have left
	Succeeded   State = "succeeded"    // the provider delivered; vouchers stored
	Failed      State = "failed"       // the provider declined; nothing charged
	Pending     State = "pending"      // the provider said pending; poll by reference
	InDoubt     State = "in_doubt"     // timeout, cut connection, unreadable answer
	NeedsReview State = "needs_review" // no status call can settle it; a supervisor decides
)

// Open reports whether the sale still needs settling.
func (s State) Open() bool {
	switch s {
	case Prepared, Pending, InDoubt, NeedsReview:
		return true
	}
	return false
}

// allowed lists the legal transitions. Final states have none: a sale that
// succeeded or failed is never reopened, so nothing can sell it twice.
var allowed = map[State][]State{
	Prepared:    {Succeeded, Failed, Pending, InDoubt, NeedsReview},
	Pending:     {Succeeded, Failed, Pending, InDoubt, NeedsReview},
	InDoubt:     {Succeeded, Failed, Pending, InDoubt, NeedsReview},
	NeedsReview: {Succeeded, Failed, NeedsReview},
}

// CanMove reports whether a sale may go from one state to another.
func CanMove(from, to State) bool {
	for _, s := range allowed[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Transition is one entry of a sale's history.
type Transition struct {
	At    time.Time
	State State
	Note  string
	By    string
}

// Sale is one sale, as the core and its front ends see it (the journal
// keeps it as a storage.SaleRecord, see records.go). It carries a copy of
// the product and the confirmed quote so a receipt can be printed after the
// product has gone from the catalogue.
type Sale struct {
	Ref      string
	Terminal string
	Clerk    string
	Provider string
	Product  providers.Product
	Quote    providers.Quote
	// Price is the shop's price as the price list set it at the quote:
	// the quote's retail price is this Retail, and Fee comes on top. Nil
	// for a sale made before the kiosk had price lists.
	Price *pricing.Record

	State       State
	ProviderRef string
	Message     string
	Charged     money.Money
	Attempts    int // status look-ups made
	Created     time.Time
	Updated     time.Time
	History     []Transition
	Prints      int
	// Alarm says why this sale must not be settled by asking the provider:
	// the provider answered "duplicate reference" to its first send, so the
	// record it holds under this reference is another sale's. Only a
	// supervisor decides it.
	Alarm string

	// Vouchers hold the PINs. The journal seals them on disk and opens
	// them on read when it has the key.
	Vouchers []providers.Voucher
	// VoucherErr says why Vouchers could not be opened (key missing or wrong).
	VoucherErr string
}

// Customer returns the number the sale was made for (the first phone or
// digits field), for lists and search.
func (s *Sale) Customer() string {
	for _, f := range s.Product.Fields {
		if f.Kind == providers.FieldPhone || f.Kind == providers.FieldDigits {
			if v := s.Quote.Fields[f.Name]; v != "" {
				return v
			}
		}
	}
	return ""
}

// AfterRestoreMessage marks a sale a restored journal knows only from the
// support log: it was made after the backup, may be known to its provider,
// and is asked about by its reference like any sale in doubt
// (storage.AfterRestoreMessage writes it).
const AfterRestoreMessage = "after restore: ask provider"

// AfterRestore says the sale came back from the support log after a
// restore and its provider is still to be asked.
func (s *Sale) AfterRestore() bool { return s.State.Open() && s.Message == AfterRestoreMessage }

// Paid is what the customer pays: the retail price and the shop's
// service fee (a sale priced before the kiosk had price lists: its
// retail price).
func (s *Sale) Paid() money.Money {
	if s.Price != nil && !s.Price.Total.IsZero() {
		return s.Price.Total
	}
	return s.Quote.Retail
}

// Mask hides all but the last three characters: "*******123".
func Mask(s string) string {
	r := []rune(s)
	if len(r) <= 3 {
		return s
	}
	for i := 0; i < len(r)-3; i++ {
		r[i] = '*'
	}
	return string(r)
}

func (s *Sale) move(to State, at time.Time, note, by string) error {
	if s.State != "" && !CanMove(s.State, to) {
		return fmt.Errorf("sale %s: cannot move from %s to %s", s.Ref, s.State, to)
	}
	s.State = to
	s.Updated = at
	s.History = append(s.History, Transition{At: at, State: to, Note: note, By: by})
	return nil
}
