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
	"runtime/debug"
	"strconv"
	"sync/atomic"
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
	epoch    string // this journal's identity, fixed when it was created
	run      string // this opening's reference block, see newRun
	now      func() time.Time
	readOnly bool
	broken   atomic.Bool // a read failed: every later call is refused
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
	} else if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("journal %s does not exist yet: nothing has been sold with this configuration", path)
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	run, err := newRun()
	if err != nil {
		return nil, err
	}
	db, err := openBolt(path, opt)
	if err != nil {
		return nil, openError(path, err)
	}
	j := &Journal{db: db, path: path, sealer: opt.Sealer, terminal: opt.Terminal, run: run, now: opt.Now, readOnly: opt.ReadOnly}
	if err := j.init(opt.ReadOnly); err != nil {
		_ = db.Close()
		return nil, err
	}
	return j, nil
}

// openBolt opens the file with bbolt, turning a panic on a page it cannot
// read (bbolt reads the freelist while opening) into a "damaged" error.
func openBolt(path string, opt Options) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, damaged(path, fmt.Sprintf("a page could not be read (%v)", r))
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly})
}

func openError(path string, err error) error {
	if errors.Is(err, ErrDamaged) {
		return err
	}
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return fmt.Errorf("journal %s is in use by another kiosk process; close it and try again", path)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum),
		errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrInvalidMapping):
		return damaged(path, err.Error())
	}
	return fmt.Errorf("journal %s: %w", path, err)
}

// init checks the schema version and creates what is missing. It reads
// first and writes only when a bucket or the schema key is missing (a new
// journal, or one from an older build), so opening an existing journal
// costs no commit and a read-only opening never changes a byte.
func (j *Journal) init(readOnly bool) error {
	missing := false
	err := j.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			missing = true
			return nil
		}
		if err := j.checkSchema(tx); err != nil {
			return err
		}
		for _, name := range allBuckets {
			missing = missing || tx.Bucket(name) == nil
		}
		return nil
	})
	if err != nil || !missing {
		return err
	}
	if readOnly {
		if j.epoch == "" {
			return fmt.Errorf("journal %s has no meta bucket: not a kiosk journal", j.path)
		}
		return nil // an older layout, read as it is; the next writable opening adds the buckets
	}
	return j.update(func(tx *bolt.Tx) error {
		fresh := tx.Bucket(bucketMeta) == nil
		if !fresh {
			if err := j.checkSchema(tx); err != nil {
				return err
			}
		} else if st, err := os.Stat(j.path); err == nil && st.Size() > 0 && hasUserBuckets(tx) {
			return fmt.Errorf("journal %s has no meta bucket: not a kiosk journal; it was left untouched", j.path)
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

// hasUserBuckets reports whether a bbolt file holds any bucket: a file
// with buckets but no meta bucket belongs to another program.
func hasUserBuckets(tx *bolt.Tx) bool {
	any := false
	_ = tx.ForEach(func([]byte, *bolt.Bucket) error { any = true; return nil })
	return any
}

// checkSchema refuses a journal written by a newer kiosk and reads the epoch.
func (j *Journal) checkSchema(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
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

// newRun picks the six digits that start this opening's references
// (after the terminal number). A new run at every opening is what keeps
// references unique when the journal is a restored older copy, or when two
// machines were started from one copy: the copy's sale sequence goes back,
// but its references carry a run no earlier opening used (one chance in a
// million per opening of meeting one). A provider that still answers
// "duplicate reference" gets the sale put in review with an alarm (see
// sale.Engine.Send), never settled from another sale's record.
func newRun() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("journal run: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
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
func (j *Journal) Update(fn func(tx *bolt.Tx) error) error { return j.update(fn) }

// View runs fn in a read-only transaction.
func (j *Journal) View(fn func(tx *bolt.Tx) error) error { return j.view(fn) }

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
