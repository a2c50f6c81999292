package sale

import (
	"fmt"
	"time"
)

// get reads one sale.
func (e *Engine) get(ref string) (*Sale, error) { return e.store.Sale(ref) }

// move records a new state for a sale, with whatever edit records the
// outcome (vouchers, provider reference, message), in one commit. The
// state machine is checked against the sale as the commit finds it: a
// final sale is never reopened, whoever else changed it meanwhile.
func (e *Engine) move(ref string, to State, note, by string, edit func(*Sale)) (*Sale, error) {
	out, err := e.store.Update(ref, func(s *Sale) error {
		if edit != nil {
			edit(s)
		}
		return s.move(to, e.opt.Now(), note, by)
	})
	if err != nil {
		return nil, fmt.Errorf("journal: record %s for sale %s: %w", to, ref, err)
	}
	return out, nil
}

// touch saves bookkeeping that is not a state change (look-ups made,
// prints) on a sale.
func (e *Engine) touch(ref string, edit func(*Sale)) (*Sale, error) {
	return e.store.Update(ref, func(s *Sale) error {
		edit(s)
		s.Updated = e.opt.Now()
		return nil
	})
}

// Sale reads one sale from the journal, with its PINs when the journal has
// the key.
func (e *Engine) Sale(ref string) (*Sale, error) { return e.get(ref) }

// OpenSales returns every sale still to settle, oldest first.
func (e *Engine) OpenSales() ([]*Sale, error) {
	return e.store.OpenSales()
}

// Recent returns up to limit sales, newest first, created before the given
// time (zero: now).
func (e *Engine) Recent(limit int, before time.Time) ([]*Sale, error) {
	return e.store.Recent(limit, before)
}

// History finds sales for the history screen, newest first, offline.
func (e *Engine) History(q Query) ([]*Sale, error) {
	return e.store.Search(q)
}

// TopProducts returns the product keys sold most in the last 30 days.
func (e *Engine) TopProducts(n int) ([]string, error) {
	return e.store.TopProducts(e.opt.Now().AddDate(0, 0, -30), n)
}

// RecentCustomers returns the last customers' numbers for a brand.
func (e *Engine) RecentCustomers(brand string, n int) ([]string, error) {
	return e.store.RecentCustomers(brand, n)
}

// CountSales is how many sales the journal holds.
func (e *Engine) CountSales() (int, error) { return e.store.CountSales() }

// CanSell says why no sale can be made now (the PIN key is missing), or nil.
func (e *Engine) CanSell() error {
	if !e.store.HasKey() {
		return ErrNoKey
	}
	return nil
}

// Now is the engine's clock.
func (e *Engine) Now() time.Time { return e.opt.Now() }
