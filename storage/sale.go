package storage

import (
	"fmt"
	"time"

	"kiosk/money"
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
	At    time.Time `json:"at"`
	State State     `json:"state"`
	Note  string    `json:"note,omitempty"`
	By    string    `json:"by,omitempty"`
}

// Sale is one sale as the journal keeps it. It carries a copy of the product
// and the confirmed quote so a receipt can be printed after the product has
// gone from the catalogue.
type Sale struct {
	Ref      string            `json:"ref"`
	Terminal string            `json:"terminal"`
	Clerk    string            `json:"clerk,omitempty"`
	Provider string            `json:"provider"`
	Product  providers.Product `json:"product"`
	Quote    providers.Quote   `json:"quote"`

	State       State        `json:"state"`
	ProviderRef string       `json:"provider_ref,omitempty"`
	Message     string       `json:"message,omitempty"`
	Charged     money.Money  `json:"charged,omitzero"`
	Attempts    int          `json:"attempts,omitempty"` // status look-ups made
	Created     time.Time    `json:"created"`
	Updated     time.Time    `json:"updated"`
	History     []Transition `json:"history"`
	Prints      int          `json:"prints,omitempty"`
	// Alarm says why this sale must not be settled by asking the provider:
	// the provider answered "duplicate reference" to its first send, so the
	// record it holds under this reference is another sale's. Only a
	// supervisor decides it.
	Alarm string `json:"alarm,omitempty"`

	// Vouchers hold the PINs. They are sealed on disk (SealedVouchers) and
	// opened on read when the journal has the key.
	Vouchers       []providers.Voucher `json:"-"`
	SealedVouchers []byte              `json:"vouchers_sealed,omitempty"`
	// VoucherErr says why Vouchers could not be opened (key missing or wrong).
	VoucherErr string `json:"-"`
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
