// Package storage is the bbolt journal: the source of truth for what this
// kiosk sold. Every sale step is one db.Update (fsynced on commit), written
// before the side effect it describes. db.Batch is never used for sales (it
// may run its function twice) and NoSync is never set.
package storage

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
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
	// Outbox keeps the head-office outbox (outbox.go): set when head
	// office is configured. The first writable opening with it queues the
	// journal's history.
	Outbox bool
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
	outbox   bool
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
	j := &Journal{db: db, path: path, sealer: opt.Sealer, terminal: opt.Terminal, run: run, now: opt.Now, readOnly: opt.ReadOnly, outbox: opt.Outbox}
	if err := j.init(opt.ReadOnly); err != nil {
		_ = db.Close()
		return nil, err
	}
	if opt.Outbox && !opt.ReadOnly {
		if err := j.startOutbox(); err != nil {
			_ = db.Close()
			return nil, err
		}
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

// init checks the schema version and brings the journal to it. It reads
// first and writes only when something is missing or old (a new journal,
// or one from an older build), so opening a current journal costs no
// commit and a read-only opening never changes a byte. A read-only opening
// of an older journal is refused: reading it needs its migration.
func (j *Journal) init(readOnly bool) error {
	var v int
	complete := true
	err := j.view(func(tx *bolt.Tx) error {
		var err error
		if v, err = schemaVersion(tx); err != nil {
			return fmt.Errorf("journal %s: %w", j.path, err)
		}
		if v > SchemaVersion {
			return fmt.Errorf("journal %s was written by a newer kiosk (schema %d, this build reads %d); upgrade kiosk — the file was left untouched", j.path, v, SchemaVersion)
		}
		if v == 0 && hasUserBuckets(tx) {
			return fmt.Errorf("journal %s has no meta bucket: not a kiosk journal; it was left untouched", j.path)
		}
		for _, name := range allBuckets {
			complete = complete && tx.Bucket(name) != nil
		}
		if meta := tx.Bucket(bucketMeta); meta != nil {
			j.epoch = string(meta.Get(keyEpoch))
		}
		return nil
	})
	switch {
	case err != nil:
		return err
	case v == SchemaVersion && complete:
		return nil
	case readOnly && v == 0:
		return fmt.Errorf("journal %s is empty: nothing has been sold with it", j.path)
	case readOnly:
		return fmt.Errorf("journal %s was written by an older kiosk (schema %d): start the kiosk once to bring it to schema %d, then read it", j.path, v, SchemaVersion)
	}
	if err := j.update(func(tx *bolt.Tx) error { return j.create(tx, v == 0) }); err != nil {
		return err
	}
	if v == 0 {
		return nil
	}
	return j.migrate(v)
}

// create makes the missing buckets and, for a new journal, its meta keys.
func (j *Journal) create(tx *bolt.Tx, fresh bool) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("journal %s: create bucket %s: %w", j.path, name, err)
		}
	}
	if !fresh {
		return nil
	}
	epoch, err := newEpoch()
	if err != nil {
		return err
	}
	if err := putVersion(tx, SchemaVersion); err != nil {
		return err
	}
	if err := tx.Bucket(bucketMeta).Put(keyEpoch, []byte(epoch)); err != nil {
		return err
	}
	j.epoch = epoch
	return nil
}

// hasUserBuckets reports whether a bbolt file holds any bucket: a file
// with buckets but no meta bucket belongs to another program.
func hasUserBuckets(tx *bolt.Tx) bool {
	any := false
	_ = tx.ForEach(func([]byte, *bolt.Bucket) error { any = true; return nil })
	return any
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

// Now is the journal's clock.
func (j *Journal) Now() time.Time { return j.now() }

// Close closes the file.
func (j *Journal) Close() error { return j.db.Close() }

// Path is the journal file's path.
func (j *Journal) Path() string { return j.path }

// HasSealer reports whether PINs can be read and written.
func (j *Journal) HasSealer() bool { return j.sealer != nil }

func timeKey(t time.Time, ref string) []byte {
	return append(u64(uint64(t.UnixNano())), ref...)
}
