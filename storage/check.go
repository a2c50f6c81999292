package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// ErrDamaged marks a journal that failed its checks. The file is left as it
// was: nothing in this package ever rewrites a damaged journal.
var ErrDamaged = errors.New("damaged")

// bbolt's on-disk meta page, as go.etcd.io/bbolt/internal/common lays it out:
// a 16-byte page header, then magic, version, page size, flags, the root
// bucket (root page, sequence), the freelist page, the high-water page id,
// the transaction id and an FNV-1a checksum of everything before it.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16
	metaSize       = 72
	offPageSize    = 8
	offPgid        = 40
	offTxid        = 48
	offChecksum    = 56
)

// metaPage is what checkFile reads of one meta page.
type metaPage struct {
	pageSize uint32
	pgid     uint64
	txid     uint64
	err      string // why the page is not valid; "" when it is
}

func readMeta(f io.ReaderAt, off int64) metaPage {
	b := make([]byte, pageHeaderSize+metaSize)
	if _, err := f.ReadAt(b, off); err != nil {
		return metaPage{err: "cannot be read (" + err.Error() + ")"}
	}
	m := b[pageHeaderSize:]
	le := binary.NativeEndian
	mp := metaPage{pageSize: le.Uint32(m[offPageSize:]), pgid: le.Uint64(m[offPgid:]), txid: le.Uint64(m[offTxid:])}
	h := fnv.New64a()
	h.Write(m[:offChecksum])
	switch {
	case le.Uint32(m) != boltMagic:
		mp.err = "is not a bbolt meta page"
	case le.Uint32(m[4:]) != boltVersion:
		mp.err = fmt.Sprintf("has bbolt format version %d", le.Uint32(m[4:]))
	case le.Uint64(m[offChecksum:]) != h.Sum64():
		mp.err = "fails its checksum"
	}
	return mp
}

// checkFile looks at a journal file before bbolt opens it, and refuses what
// bbolt would open silently or panic on: a meta page that fails its
// checksum (bbolt falls back to the older one, rolling back the last
// committed sale step, and then overwrites it), and a file shorter than its
// own pages say (a truncated copy, which panics on first read). A missing
// or empty file is a new journal.
func checkFile(path string) error {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("journal %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("journal %s is not a regular file (%s): refusing it", path, st.Mode().Type())
	}
	if st.Size() == 0 {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("journal %s: %w", path, err)
	}
	defer f.Close()
	m0 := readMeta(f, 0)
	pageSize := int64(m0.pageSize)
	if m0.err != "" || pageSize < 512 || pageSize > 1<<20 {
		pageSize = int64(os.Getpagesize())
	}
	m1 := readMeta(f, pageSize)
	for i, m := range []metaPage{m0, m1} {
		if m.err != "" {
			return damaged(path, fmt.Sprintf("meta page %d %s", i, m.err))
		}
	}
	newest := m0
	if m1.txid > m0.txid {
		newest = m1
	}
	if need := int64(newest.pgid) * pageSize; st.Size() < need {
		return damaged(path, fmt.Sprintf("the file is %d bytes but its pages need %d: it was cut short", st.Size(), need))
	}
	return nil
}

func damaged(path, why string) error {
	return fmt.Errorf("journal %s is %w: %s. It was left untouched: keep a copy of it, then restore a backup or ask support", path, ErrDamaged, why)
}

// contain turns a panic inside bbolt (it panics on pages it cannot make
// sense of) into a "damaged" error, so no panic reaches a clerk. The
// journal refuses every later call: a file that broke once is not trusted.
func (j *Journal) contain(err *error) {
	if r := recover(); r != nil {
		j.broken.Store(true)
		*err = damaged(j.path, fmt.Sprintf("a page could not be read (%v)", r))
	}
}

func (j *Journal) update(fn func(*bolt.Tx) error) (err error) {
	if j.broken.Load() {
		return damaged(j.path, "an earlier read failed")
	}
	defer j.contain(&err)
	// A damaged page can also fault inside bbolt's memory map; with this a
	// fault is a panic that contain turns into an error, not a crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return j.db.Update(fn)
}

func (j *Journal) view(fn func(*bolt.Tx) error) (err error) {
	if j.broken.Load() {
		return damaged(j.path, "an earlier read failed")
	}
	defer j.contain(&err)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return j.db.View(fn)
}

// Check runs bbolt's consistency check over every page (it reads the whole
// file, so it is a command, not part of opening) and returns what it found,
// one problem a line; nil means the journal is sound.
func (j *Journal) Check() ([]string, error) {
	var problems []string
	err := j.view(func(tx *bolt.Tx) error {
		more := 0
		for e := range tx.Check() { // read to the end: Check's goroutine holds the transaction
			if len(problems) < 100 {
				problems = append(problems, e.Error())
			} else {
				more++
			}
		}
		if more == 0 && len(problems) == 0 {
			problems = j.checkRecords(tx)
		}
		if more > 0 {
			problems = append(problems, fmt.Sprintf("… and %d more", more))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return problems, nil
}

// checkRecords reads every sale with its product copy, and every summary of
// the time index, once bbolt's pages are known sound: a record the kiosk
// cannot read is as damaged as a page bbolt cannot.
func (j *Journal) checkRecords(tx *bolt.Tx) []string {
	var problems []string
	note := func(err error) {
		if len(problems) < 100 {
			problems = append(problems, err.Error())
		}
	}
	err := tx.Bucket(bucketSales).ForEach(func(k, _ []byte) error {
		if _, err := j.get(tx, string(k)); err != nil {
			note(err)
		}
		return nil
	})
	if err != nil {
		note(err)
	}
	err = tx.Bucket(bucketByTime).ForEach(func(k, v []byte) error {
		if len(k) < 8 {
			note(fmt.Errorf("time index: a key of %d bytes", len(k)))
		} else if _, err := decodeSummary(v); err != nil {
			note(fmt.Errorf("sale %s: unreadable summary: %w", k[8:], err))
		}
		return nil
	})
	if err != nil {
		note(err)
	}
	return problems
}

// CheckError formats the problems Check found as one error, or nil.
func CheckError(path string, problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	return damaged(path, strings.Join(problems, "; "))
}
