package sale

import (
	"errors"
	"kiosk/i18n"
	"time"
)

// The journal as the sale core needs it, one narrow interface a concern,
// in the core's own types. Package journal implements them over the bbolt
// journal (package storage, which keeps its own records), so the core
// never sees bbolt and the front ends, which see only the core, never do
// either.

// ErrNotFound is returned for a reference the journal does not hold.
var ErrNotFound = errors.New("no such sale in the journal")

// ErrNoKey refuses a sale whose PIN the journal could not keep.
var ErrNoKey = i18n.Errorf("sale.err_no_key")

// SaleStore keeps sales.
type SaleStore interface {
	// Prepare assigns the sale's reference and commits it durably.
	Prepare(s *Sale) error
	// Update changes one sale in one commit: edit gets the sale as the
	// journal holds it then; an error from edit writes nothing.
	Update(ref string, edit func(*Sale) error) (*Sale, error)
	Sale(ref string) (*Sale, error)
	// OpenSales are the sales still to settle, oldest first.
	OpenSales() ([]*Sale, error)
	// HasKey reports whether PINs can be kept.
	HasKey() bool
}

// HistoryStore finds sales for the clerk.
type HistoryStore interface {
	Recent(limit int, before time.Time) ([]*Sale, error)
	Search(q Query) ([]*Sale, error)
	TopProducts(since time.Time, n int) ([]string, error)
	RecentCustomers(brand string, n int) ([]string, error)
	CountSales() (int, error)
}

// Query is a history search: Text is a sale reference, (the start or the
// end of) a customer number, or words of a product name; From/To bound the
// date (zero: open). All parts given must match.
type Query struct {
	Text     string
	From, To time.Time
	Limit    int // default 200
}

// CatalogStore caches catalogues (the core encodes them).
type CatalogStore interface {
	PutCatalog(provider string, data []byte, at time.Time) error
	Catalog(provider string) ([]byte, time.Time, error)
	// ReadCatalogs calls read with each provider's cached catalogue and
	// when it was fetched (nil and a zero time when none), all as of one
	// moment, in place: read must not keep data.
	ReadCatalogs(providers []string, read func(i int, data []byte, at time.Time) error) error
}

// UserStore keeps the people who sign in.
type UserStore interface {
	PutAccount(a Account) error
	UpdateAccount(name string, edit func(*Account) error) (Account, bool, error)
	Account(name string) (Account, bool, error)
	Accounts() ([]Account, error)
}

// AuditStore keeps the append-only audit record.
type AuditStore interface {
	Audit(e AuditEntry) (AuditEntry, error)
	AuditLog() ([]AuditEntry, error)
}

// Store is all of them: what New takes.
type Store interface {
	SaleStore
	HistoryStore
	CatalogStore
	UserStore
	AuditStore
}
