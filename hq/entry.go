package hq

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"kiosk/money"
)

// Kind says what an outbox entry tells head office.
type Kind string

// The kinds of entry, one for each change issue 13 lists.
const (
	KindSale     Kind = "sale"     // a sale reached a final state or needs review
	KindDecision Kind = "decision" // a supervisor decided an open sale
	KindZReport  Kind = "zreport"  // a business day was closed
	KindSettled  Kind = "settled"  // a supervisor settled a mismatch
	KindNote     Kind = "note"     // a note was added to a closed day
)

// Entry is one change the kiosk queued for head office. Seq is the
// outbox's sequence: strictly increasing within one terminal's outbox, it
// orders the entries and lets head office keep only the latest version of
// a row when an entry is shipped twice. Exactly one of the payloads is set,
// the one Kind names.
type Entry struct {
	Seq      uint64
	Kind     Kind
	Sale     *Sale
	Decision *Decision
	ZReport  *ZReport
	Settled  *Mismatch
	Note     *Note
}

// Sale is what head office learns of a sale: never a PIN, a serial or a
// secret, and the customer's number only masked.
type Sale struct {
	Ref         string
	Clerk       string
	Created     time.Time
	Updated     time.Time
	Provider    string
	ProductID   string
	Product     string
	Customer    string // masked: "******123"
	State       string // the journal's state: succeeded, failed, needs_review…
	ProviderRef string
	Quantity    int // 0 is taken as 1

	Retail, RetailVAT, RetailBeforeVAT money.Money
	Cost, CostVAT, CostBeforeVAT       money.Money
	Fee, FeeVAT                        money.Money // the shop's service fee and the VAT in it
	Charged                            money.Money // what the provider's answer said it charged
}

// Decision is a supervisor's decision on a sale no provider could settle.
type Decision struct {
	Ref    string
	At     time.Time
	By     string
	State  string // succeeded or failed
	Reason string
}

// ZReport is a closed business day as the kiosk's end of day counted it.
type ZReport struct {
	Number     uint64
	Day        string // 2006-01-02
	From, To   time.Time
	ClosedAt   time.Time
	ClosedBy   string
	Mismatches int // found on the day
	NotCounted int // sales of the day that are not in the totals
	Totals     []ZTotal
	Cash       []ZCash
}

// ZTotal is one provider's succeeded sales of a closed day in one set of
// currencies.
type ZTotal struct {
	Provider     string
	Currency     string // the retail price's
	CostCurrency string // "" when the cost's is Currency
	VATCurrency  string // "" when the VAT's is Currency
	Sales        int
	Retail       money.Decimal
	VAT          money.Decimal
	Cost         money.Decimal
}

// ZCash is the drawer of a closed day in one currency.
type ZCash struct {
	Currency string
	Float    money.Decimal
	Sales    money.Decimal
	Expected money.Decimal
	Counted  *money.Decimal // nil when not counted
}

// Mismatch is a mismatch between the journal and a provider that a
// supervisor settled. The serial and the PIN the kiosk keeps stay there.
type Mismatch struct {
	Kind          string // unknown_to_provider, charged_not_sold, amount_differs, open_at_close
	Provider      string
	Ref           string
	Day           string // business day it was found on, 2006-01-02
	Z             uint64 // the Z-report of that day, 0 before the close
	ProductID     string
	Product       string
	JournalState  string
	ProviderState string
	Cost          money.Money
	Charged       money.Money
	ProviderRef   string
	Detail        string
	SettledAt     time.Time
	SettledBy     string
	Reason        string
}

// Note is a note added to a closed day.
type Note struct {
	Z    uint64
	Seq  uint64 // the note's number within the Z-report
	At   time.Time
	By   string
	Text string
}

// check refuses an entry head office could not store, naming the entry
// and what is wrong with it. It is called for the whole batch before
// anything is sent, so a bad entry sends nothing.
func (e *Entry) check() error {
	var err error
	set := 0
	for _, p := range []bool{e.Sale != nil, e.Decision != nil, e.ZReport != nil, e.Settled != nil, e.Note != nil} {
		if p {
			set++
		}
	}
	switch {
	case e.Seq == 0:
		err = errors.New("sequence 0 (outbox sequences start at 1)")
	case set != 1:
		err = fmt.Errorf("%d payloads set, want exactly one", set)
	case e.Kind == KindSale && e.Sale != nil:
		err = e.Sale.check()
	case e.Kind == KindDecision && e.Decision != nil:
		err = e.Decision.check()
	case e.Kind == KindZReport && e.ZReport != nil:
		err = e.ZReport.check()
	case e.Kind == KindSettled && e.Settled != nil:
		err = e.Settled.check()
	case e.Kind == KindNote && e.Note != nil:
		err = e.Note.check()
	default:
		err = fmt.Errorf("kind %q does not match its payload", e.Kind)
	}
	if err != nil {
		return fmt.Errorf("outbox entry %d (%s): %w", e.Seq, e.Kind, err)
	}
	return nil
}

func (s *Sale) check() error {
	switch {
	case s.Ref == "":
		return errors.New("sale without a reference")
	case s.Provider == "" || s.State == "":
		return fmt.Errorf("sale %s: provider and state are required", s.Ref)
	case s.Created.IsZero():
		return fmt.Errorf("sale %s: no creation time", s.Ref)
	case !masked(s.Customer):
		// The number is the customer's: head office never gets it whole.
		return fmt.Errorf("sale %s: the customer number is not masked", s.Ref)
	case s.Quantity < 0:
		return fmt.Errorf("sale %s: quantity %d", s.Ref, s.Quantity)
	}
	return nil
}

func (d *Decision) check() error {
	switch {
	case d.Ref == "":
		return errors.New("decision without a reference")
	case d.By == "" || d.Reason == "" || d.At.IsZero():
		return fmt.Errorf("decision on %s: who, when and why are required", d.Ref)
	case d.State != "succeeded" && d.State != "failed":
		return fmt.Errorf("decision on %s: state %q, want succeeded or failed", d.Ref, d.State)
	}
	return nil
}

func (z *ZReport) check() error {
	if z.Number == 0 {
		return errors.New("Z-report number 0")
	}
	if _, err := time.Parse(time.DateOnly, z.Day); err != nil {
		return fmt.Errorf("Z-report %d: day %q is not a date like 2026-11-24", z.Number, z.Day)
	}
	if z.ClosedAt.IsZero() || !z.From.Before(z.To) {
		return fmt.Errorf("Z-report %d: closing time and a period [from, to) are required", z.Number)
	}
	seen := map[[4]string]bool{}
	for _, t := range z.Totals {
		k := [4]string{t.Provider, t.Currency, t.CostCurrency, t.VATCurrency}
		if seen[k] {
			return fmt.Errorf("Z-report %d: two totals for %s %s", z.Number, t.Provider, t.Currency)
		}
		seen[k] = true
	}
	cur := map[string]bool{}
	for _, c := range z.Cash {
		if cur[c.Currency] {
			return fmt.Errorf("Z-report %d: two cash lines for %s", z.Number, c.Currency)
		}
		cur[c.Currency] = true
	}
	return nil
}

func (m *Mismatch) check() error {
	switch {
	case m.Ref == "" || m.Provider == "" || m.Kind == "":
		return errors.New("settled mismatch without reference, provider or kind")
	case m.SettledBy == "" || m.Reason == "" || m.SettledAt.IsZero():
		return fmt.Errorf("mismatch %s (%s): who settled it, when and why are required", m.Ref, m.Provider)
	}
	if _, err := time.Parse(time.DateOnly, m.Day); err != nil {
		return fmt.Errorf("mismatch %s (%s): day %q is not a date like 2026-11-24", m.Ref, m.Provider, m.Day)
	}
	return nil
}

func (n *Note) check() error {
	if n.Z == 0 || n.Seq == 0 || n.By == "" || n.At.IsZero() {
		return fmt.Errorf("note %d of Z-report %d: Z number, note number, author and time are required", n.Seq, n.Z)
	}
	return nil
}

// masked reports whether a customer number is masked as storage.Mask
// does it: every character but the last three is '*'. Three characters or
// fewer are left as they are there, so they are accepted here.
func masked(s string) bool {
	r := []rune(s)
	if len(r) <= 3 {
		return true
	}
	return strings.Trim(string(r[:len(r)-3]), "*") == ""
}
