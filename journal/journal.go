// Package journal is the bbolt journal (package storage) as the sale core
// and the end of day see it: it implements their store interfaces
// (sale.Store, eod.Store) with storage's own records, mapping the core's
// types to them and back. It is the one place that knows both sides, so
// storage knows nothing of sales or providers, and the core and the
// screens nothing of bbolt.
package journal

import (
	"errors"
	"time"

	"kiosk/sale"
	"kiosk/storage"
)

// Journal is an open journal file as the core uses it.
type Journal struct {
	j *storage.Journal
}

// New wraps an open storage journal.
func New(j *storage.Journal) *Journal { return &Journal{j: j} }

// Storage is the journal file underneath (for checks, backups and closing).
func (a *Journal) Storage() *storage.Journal { return a.j }

// Close closes the file.
func (a *Journal) Close() error { return a.j.Close() }

// errorAs is a storage error that also answers errors.Is for the core's
// sentinel of the same meaning.
type errorAs struct{ err, as error }

func (e errorAs) Error() string   { return e.err.Error() }
func (e errorAs) Unwrap() []error { return []error{e.err, e.as} }

// mapErr lets the core recognise storage's errors by its own sentinels.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, storage.ErrNotFound):
		return errorAs{err, sale.ErrNotFound}
	case errors.Is(err, storage.ErrNoKey):
		return errorAs{err, sale.ErrNoKey}
	}
	return err
}

var _ sale.Store = (*Journal)(nil)

// Prepare journals a new sale and sets its reference.
func (a *Journal) Prepare(s *sale.Sale) error {
	r := toRecord(s)
	if err := a.j.Prepare(&r); err != nil {
		return mapErr(err)
	}
	s.Ref = r.Ref
	return nil
}

// Update changes one sale in one commit. PINs the journal could not open
// (no key) stay sealed as they are unless edit sets PINs of its own.
func (a *Journal) Update(ref string, edit func(*sale.Sale) error) (*sale.Sale, error) {
	var out *sale.Sale
	_, err := a.j.UpdateSale(ref, func(r *storage.SaleRecord) error {
		s := fromRecord(*r)
		if err := edit(s); err != nil {
			return err
		}
		nr := toRecord(s)
		if len(nr.Vouchers) == 0 {
			nr.SealedVouchers, nr.VoucherErr = r.SealedVouchers, r.VoucherErr
		}
		*r = nr
		out = s
		return nil
	})
	if err != nil {
		return nil, mapErr(err)
	}
	return out, nil
}

// Sale reads one sale.
func (a *Journal) Sale(ref string) (*sale.Sale, error) {
	r, err := a.j.Sale(ref)
	if err != nil {
		return nil, mapErr(err)
	}
	return fromRecord(r), nil
}

// OpenSales returns the sales still to settle, oldest first.
func (a *Journal) OpenSales() ([]*sale.Sale, error) {
	rs, err := a.j.OpenSales()
	return fromRecords(rs), mapErr(err)
}

// HasKey reports whether PINs can be kept.
func (a *Journal) HasKey() bool { return a.j.HasSealer() }

// Recent returns up to limit sales, newest first.
func (a *Journal) Recent(limit int, before time.Time) ([]*sale.Sale, error) {
	rs, err := a.j.Recent(limit, before)
	return fromRecords(rs), mapErr(err)
}

// Search finds sales for the history screen.
func (a *Journal) Search(q sale.Query) ([]*sale.Sale, error) {
	rs, err := a.j.Search(storage.Search{Text: q.Text, From: q.From, To: q.To, Limit: q.Limit})
	return fromRecords(rs), mapErr(err)
}

// TopProducts returns the best sellers since a time.
func (a *Journal) TopProducts(since time.Time, n int) ([]string, error) {
	return a.j.TopProducts(since, n)
}

// RecentCustomers returns the last customers' numbers of a brand.
func (a *Journal) RecentCustomers(brand string, n int) ([]string, error) {
	return a.j.RecentCustomers(brand, n)
}

// CountSales is how many sales the journal holds.
func (a *Journal) CountSales() (int, error) { return a.j.CountSales() }

// PutCatalog caches a catalogue.
func (a *Journal) PutCatalog(provider string, data []byte, at time.Time) error {
	return a.j.PutCatalog(provider, data, at)
}

// Catalog reads a cached catalogue.
func (a *Journal) Catalog(provider string) ([]byte, time.Time, error) { return a.j.Catalog(provider) }

// ReadCatalogs reads the providers' cached catalogues in place.
func (a *Journal) ReadCatalogs(providers []string, read func(i int, data []byte, at time.Time) error) error {
	return a.j.ReadCatalogs(providers, read)
}

func accountRecord(u sale.Account) storage.UserRecord {
	return storage.UserRecord{Name: u.Name, Role: string(u.Role), Lang: u.Lang, Salt: u.Salt, Hash: u.Hash,
		Created: u.Created, Disabled: u.Disabled, Failures: u.Failures, LockedUntil: u.LockedUntil}
}

func account(r storage.UserRecord) sale.Account {
	return sale.Account{User: sale.User{Name: r.Name, Role: sale.Role(r.Role), Lang: r.Lang, Created: r.Created, Disabled: r.Disabled},
		Salt: r.Salt, Hash: r.Hash, Failures: r.Failures, LockedUntil: r.LockedUntil}
}

// PutAccount writes a user.
func (a *Journal) PutAccount(u sale.Account) error { return a.j.PutUser(accountRecord(u)) }

// UpdateAccount changes a user in one commit.
func (a *Journal) UpdateAccount(name string, edit func(*sale.Account) error) (sale.Account, bool, error) {
	r, ok, err := a.j.UpdateUser(name, func(r *storage.UserRecord) error {
		u := account(*r)
		if err := edit(&u); err != nil {
			return err
		}
		*r = accountRecord(u)
		return nil
	})
	return account(r), ok, err
}

// Account reads a user.
func (a *Journal) Account(name string) (sale.Account, bool, error) {
	r, ok, err := a.j.User(name)
	return account(r), ok, err
}

// Accounts lists the users.
func (a *Journal) Accounts() ([]sale.Account, error) {
	rs, err := a.j.Users()
	out := make([]sale.Account, len(rs))
	for i, r := range rs {
		out[i] = account(r)
	}
	return out, err
}

// Audit appends an audit entry.
func (a *Journal) Audit(e sale.AuditEntry) (sale.AuditEntry, error) {
	r, err := a.j.Audit(storage.AuditRecord{At: e.At, Who: e.Who, Action: e.Action, Ref: e.Ref, Detail: e.Detail})
	e.Seq, e.At = r.Seq, r.At
	return e, err
}

// AuditLog returns the audit record, oldest first.
func (a *Journal) AuditLog() ([]sale.AuditEntry, error) {
	rs, err := a.j.AuditLog()
	out := make([]sale.AuditEntry, len(rs))
	for i, r := range rs {
		out[i] = sale.AuditEntry{Seq: r.Seq, At: r.At, Who: r.Who, Action: r.Action, Ref: r.Ref, Detail: r.Detail}
	}
	return out, err
}

// Import writes sales made elsewhere in one commit (benchmarks build large
// journals with it), with their indexes, as Prepare and Update would.
func (a *Journal) Import(sales []*sale.Sale) error {
	rs := make([]storage.SaleRecord, len(sales))
	for i, s := range sales {
		rs[i] = toRecord(s)
	}
	return mapErr(a.j.Import(rs))
}
