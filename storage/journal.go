// Package storage is the bbolt journal: the source of truth for what this
// kiosk sold. Every sale step is one db.Update (fsynced on commit), written
// before the side effect it describes. db.Batch is never used for sales (it
// may run its function twice) and NoSync is never set.
package storage

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the journal layout this build writes. A journal with a
// higher version was written by a newer kiosk and is refused, untouched.
const SchemaVersion = 1

// Every bucket, declared once and created at start-up.
var (
	bucketMeta    = []byte("meta")    // schema version, ref epoch, sale sequence
	bucketSales   = []byte("sales")   // ref → Sale JSON
	bucketOpen    = []byte("open")    // ref → nothing: sales still to settle
	bucketByTime  = []byte("by_time") // 8-byte created unix-nanos + ref → nothing
	bucketCatalog = []byte("catalog") // provider → catalogue JSON; "at:"+provider → time
	bucketAudit   = []byte("audit")   // 8-byte sequence → AuditEntry JSON
	bucketUsers   = []byte("users")   // clerk name → User JSON
	// History indexes: digits of the customer number, or a product key, then
	// 8-byte created unix-nanos and the ref → nothing.
	bucketByCustomer = []byte("by_customer")
	bucketByProduct  = []byte("by_product")
	bucketProducts   = []byte("products_sold") // provider/id → product name, for history search
	// BucketZReports holds closed days: 8-byte Z number → report JSON, never rewritten.
	BucketZReports = []byte("zreports")
	// BucketZNotes holds annotations of closed days: 8-byte Z number + 8-byte seq → note JSON.
	BucketZNotes = []byte("znotes")
	// BucketRecon holds reconciliation decisions and carried-over mismatches: key → JSON.
	BucketRecon = []byte("recon")

	allBuckets = [][]byte{bucketMeta, bucketSales, bucketOpen, bucketByTime, bucketCatalog, bucketAudit,
		bucketUsers, BucketZReports, BucketZNotes, BucketRecon, bucketByCustomer, bucketByProduct, bucketProducts}

	keySchema = []byte("schema")
	keyEpoch  = []byte("epoch")
	keySeq    = []byte("sale_seq")
)

// ErrNotFound is returned for a reference the journal does not hold.
var ErrNotFound = errors.New("no such sale in the journal")

// Options configure Open.
type Options struct {
	// Timeout is how long to wait for another process's lock on the file
	// before giving up with a clear error. Default 2s.
	Timeout time.Duration
	// Sealer encrypts PINs at rest. Without one, sales can still be read but
	// their PINs cannot, and a sale with vouchers cannot be recorded.
	Sealer *Sealer
	// Terminal is this kiosk's number (1–999), the first digits of every
	// reference, so kiosks sharing a provider account never collide.
	Terminal int
	// Now is the clock; tests set it.
	Now func() time.Time
	// ReadOnly opens the file for reading only (journal list/show while a
	// kiosk may be running is still refused by the lock).
	ReadOnly bool
}

// Journal is an open journal file.
type Journal struct {
	db       *bolt.DB
	path     string
	sealer   *Sealer
	terminal int
	epoch    string
	now      func() time.Time
}

// Open opens (or creates) the journal at path. It never truncates or
// recreates an existing file: a locked, damaged or too-new file is an error
// that says so, and the file is left as it was.
func Open(path string, opt Options) (*Journal, error) {
	if opt.Timeout == 0 {
		opt.Timeout = 2 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Terminal < 1 || opt.Terminal > 999 {
		return nil, fmt.Errorf("journal: terminal number %d must be between 1 and 999", opt.Terminal)
	}
	if !opt.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("journal %s: %w", path, err)
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly})
	if err != nil {
		return nil, openError(path, err)
	}
	j := &Journal{db: db, path: path, sealer: opt.Sealer, terminal: opt.Terminal, now: opt.Now}
	if err := j.init(opt.ReadOnly); err != nil {
		_ = db.Close()
		return nil, err
	}
	return j, nil
}

func openError(path string, err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return fmt.Errorf("journal %s is in use by another kiosk process; close it and try again", path)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum),
		errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrInvalidMapping):
		return fmt.Errorf("journal %s is damaged (%v); it was left untouched: restore it from a backup or ask support", path, err)
	}
	return fmt.Errorf("journal %s: %w", path, err)
}

// init creates the buckets and the schema key once, and checks the version.
func (j *Journal) init(readOnly bool) error {
	check := func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return fmt.Errorf("journal %s has no meta bucket: not a kiosk journal", j.path)
		}
		v, err := strconv.Atoi(string(meta.Get(keySchema)))
		if err != nil {
			return fmt.Errorf("journal %s: unreadable schema version %q", j.path, meta.Get(keySchema))
		}
		if v > SchemaVersion {
			return fmt.Errorf("journal %s was written by a newer kiosk (schema %d, this build reads %d); upgrade kiosk — the file was left untouched", j.path, v, SchemaVersion)
		}
		j.epoch = string(meta.Get(keyEpoch))
		return nil
	}
	if readOnly {
		return j.db.View(check)
	}
	return j.db.Update(func(tx *bolt.Tx) error {
		fresh := tx.Bucket(bucketMeta) == nil
		if !fresh {
			if err := check(tx); err != nil {
				return err
			}
		}
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("journal %s: create bucket %s: %w", j.path, name, err)
			}
		}
		if fresh {
			meta := tx.Bucket(bucketMeta)
			epoch, err := newEpoch()
			if err != nil {
				return err
			}
			if err := meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion))); err != nil {
				return err
			}
			if err := meta.Put(keyEpoch, []byte(epoch)); err != nil {
				return err
			}
			j.epoch = epoch
		}
		return nil
	})
}

// newEpoch picks the five digits that make this journal's references
// different from those of any earlier journal on the same terminal (a
// replaced disk must not reuse references the provider has already seen).
func newEpoch() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(100000))
	if err != nil {
		return "", fmt.Errorf("journal epoch: %w", err)
	}
	return fmt.Sprintf("%05d", n.Int64()), nil
}

// Update runs fn in a read-write transaction (fsynced on commit) for
// packages that keep their own records in the journal's buckets (the
// end-of-day reports). Values read inside fn are invalid after it returns.
func (j *Journal) Update(fn func(tx *bolt.Tx) error) error { return j.db.Update(fn) }

// View runs fn in a read-only transaction.
func (j *Journal) View(fn func(tx *bolt.Tx) error) error { return j.db.View(fn) }

// Now is the journal's clock.
func (j *Journal) Now() time.Time { return j.now() }

// U64 encodes n as an 8-byte big-endian key, the form of every sequence key.
func U64(n uint64) []byte { return u64(n) }

// Close closes the file.
func (j *Journal) Close() error { return j.db.Close() }

// Path is the journal file's path.
func (j *Journal) Path() string { return j.path }

// HasSealer reports whether PINs can be read and written.
func (j *Journal) HasSealer() bool { return j.sealer != nil }

func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

func timeKey(t time.Time, ref string) []byte {
	return append(u64(uint64(t.UnixNano())), ref...)
}
