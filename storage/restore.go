package storage

// Restore: the supported way back to a backup copy. The copy is checked
// on a temporary copy of its own (the file given is never changed), the
// journal it replaces is kept beside it, and the copy is installed with a
// rename. What the replaced journal knew that the copy does not (the sales
// made after the backup) is carried over: as they were, from the replaced
// file when it can be read, else from the support log as sales in doubt
// that the sale core asks the provider about by their own reference.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	// keyRestoredAt holds when the journal was last restored from a copy
	// (RFC 3339, UTC); keyRestoredFrom the copy's file name.
	keyRestoredAt   = []byte("restored_at")
	keyRestoredFrom = []byte("restored_from")
)

// AfterRestoreMessage is the message of a sale known only from the support
// log: the open-sales screen shows it, and recovery asks the provider.
const AfterRestoreMessage = "after restore: ask provider"

// LostSale is a sale the support log knows of.
type LostSale struct {
	Ref, Provider, Product, State string
	First                         time.Time // its first line in the log
}

// RestoreOptions say what to restore where.
type RestoreOptions struct {
	Copy       string // the backup copy (never changed)
	Journal    string // the journal it replaces
	Terminal   int    // this kiosk's number: another terminal's copy is refused
	TerminalID string // written on sales added from the log
	Sealer     *Sealer
	Now        func() time.Time
	By         string // who restores, for the audit record
	// Lost reads the sales the support log holds since a time. It is
	// called only when the replaced journal cannot be read.
	Lost func(since time.Time) ([]LostSale, error)
	// Outbox: head office is configured; the sales carried over are queued
	// for it (shipping is idempotent, so one it already has is no harm).
	Outbox bool
}

// RestoreResult says what a restore did.
type RestoreResult struct {
	BackupTime  time.Time // when the copy was taken (its manifest, else its newest sale)
	CopySales   int
	Replaced    string // where the replaced journal was kept; "" when there was none
	ReplacedErr string // why the replaced journal could not be read ("" when it was)
	Sequence    uint64 // the restored journal's sale sequence now
	// FromReplaced are the sales copied from the replaced journal (made or
	// changed after the backup); FromLog those known only from the log,
	// added in doubt. Both are references, oldest first.
	FromReplaced []string
	FromLog      []string
	// DaysRecords counts the Z-reports, notes, reconciliation records,
	// users and audit entries kept from the replaced journal.
	DaysRecords int
	// CarriedDays is what was read of them (restore's own bookkeeping).
	CarriedDays []carried `json:"-"`
}

// Restore installs the copy in place of the journal. Nothing is replaced
// unless every check passes: the copy is a kiosk journal, passes bbolt's
// and the records' checks, is of a schema this build reads, was made by
// this terminal, and its PINs open with this kiosk's key; and no kiosk
// holds the journal.
func Restore(opt RestoreOptions) (RestoreResult, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	var res RestoreResult
	if err := restorable(opt.Copy, opt.Journal); err != nil {
		return res, err
	}
	lock, err := lockJournal(opt)
	if err != nil {
		return res, err
	}
	defer lock.release()
	if lock.why != "" {
		res.ReplacedErr = lock.why
	}
	tmp, err := copyToTemp(opt.Copy, filepath.Dir(opt.Journal))
	if err != nil {
		return res, fmt.Errorf("restore %s: %w; nothing was replaced", opt.Copy, err)
	}
	defer os.Remove(tmp) // after the rename there is nothing left to remove
	if err := prepareCopy(tmp, opt, lock.old, &res); err != nil {
		return res, fmt.Errorf("restore %s refused: %w; nothing was replaced", opt.Copy, err)
	}
	if err := install(tmp, opt, &res); err != nil {
		return res, fmt.Errorf("restore %s: %w", opt.Copy, err)
	}
	return res, nil
}

// restorable refuses a copy that is not a file, or is the journal itself.
func restorable(copyPath, journal string) error {
	st, err := os.Stat(copyPath)
	if err != nil {
		return fmt.Errorf("restore %s: %w", copyPath, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("restore %s refused: not a regular file", copyPath)
	}
	if jst, err := os.Stat(journal); err == nil && os.SameFile(st, jst) {
		return fmt.Errorf("restore %s refused: it is the journal itself", copyPath)
	}
	return nil
}

// journalLock keeps every kiosk off the journal while it is replaced:
// the replaced journal opened read-only (bbolt's shared lock), or, when it
// cannot be read, an exclusive lock of its own.
type journalLock struct {
	old  *Journal
	file *os.File
	why  string // why the old journal could not be read
}

func (l *journalLock) release() {
	if l.old != nil {
		_ = l.old.Close()
	}
	if l.file != nil {
		_ = l.file.Close() // closing the file drops its lock
	}
}

// lockJournal refuses while a kiosk holds the journal, and otherwise
// holds it until the restore is done.
func lockJournal(opt RestoreOptions) (*journalLock, error) {
	if _, err := os.Lstat(opt.Journal); errors.Is(err, fs.ErrNotExist) {
		return &journalLock{why: "there was no journal"}, nil
	}
	// A probe first: bbolt's own lock would wait, and say less.
	f, err := exclusive(opt.Journal)
	if err != nil {
		return nil, err
	}
	_ = f.Close()
	old, oerr := Open(opt.Journal, Options{ReadOnly: true, Terminal: opt.Terminal, Sealer: opt.Sealer, Now: opt.Now, Timeout: time.Second})
	if oerr == nil {
		return &journalLock{old: old}, nil // bbolt's shared lock keeps kiosks out
	}
	// Unreadable (damaged, an old schema, not a journal): a lock of our own.
	if f, err = exclusive(opt.Journal); err != nil {
		return nil, err
	}
	return &journalLock{file: f, why: err2line(oerr)}, nil
}

// exclusive takes the lock bbolt takes (flock) on path without waiting.
func exclusive(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("journal %s is in use by a running kiosk: stop it, then restore; nothing was replaced", path)
		}
		return nil, fmt.Errorf("journal %s: lock: %w", path, err)
	}
	return f, nil
}

// err2line is an error's text without the damaged-journal advice.
func err2line(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ". It was left untouched"); i > 0 {
		msg = msg[:i]
	}
	return msg
}

// copyToTemp copies src into dir under a temporary name, fsynced.
func copyToTemp(src, dir string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	out, err := os.CreateTemp(dir, ".journal-restore-*.tmp")
	if err != nil {
		return "", err
	}
	tmp := out.Name()
	_, cerr := io.Copy(out, in)
	serr := out.Sync()
	xerr := out.Close()
	if err := errors.Join(cerr, serr, xerr); err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// prepareCopy checks the temporary copy and brings what the replaced
// journal (or the log) knows into it.
func prepareCopy(tmp string, opt RestoreOptions, old *Journal, res *RestoreResult) error {
	if st, err := os.Stat(tmp); err != nil {
		return err
	} else if st.Size() == 0 {
		return errors.New("the file is empty: not a kiosk journal")
	}
	if err := matchManifest(tmp, opt.Copy); err != nil {
		return err
	}
	if err := checkFile(tmp); err != nil {
		return notJournal(err, tmp, opt.Copy)
	}
	if err := peekSchema(tmp); err != nil {
		return notJournal(err, tmp, opt.Copy)
	}
	j, err := Open(tmp, Options{Terminal: opt.Terminal, Sealer: opt.Sealer, Now: opt.Now, Outbox: opt.Outbox})
	if err != nil {
		return notJournal(err, tmp, opt.Copy)
	}
	defer j.Close()
	problems, err := j.Check()
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("the copy fails its check: %s", strings.Join(problems, "; "))
	}
	facts, err := j.copyFacts(opt.Terminal)
	if err != nil {
		return err
	}
	res.CopySales, res.BackupTime = facts.sales, facts.newest
	if m, err := ReadManifest(opt.Copy); err == nil {
		if m.Terminal != 0 && m.Terminal != opt.Terminal {
			return fmt.Errorf("its manifest says it is terminal %03d's, and this kiosk is terminal %03d", m.Terminal, opt.Terminal)
		}
		res.BackupTime = m.Created
	}
	if old != nil {
		return j.mergeReplaced(old, opt, res)
	}
	return j.mergeLost(opt, res)
}

// matchManifest compares the temporary copy with the sha256 and size its
// manifest recorded when the backup was taken, if it has one: a backup
// that rotted on its disk, or was changed since, can pass bbolt's check
// and still have lost a sale. A copy without a manifest is checked by its
// pages alone.
func matchManifest(tmp, copyPath string) error {
	m, err := ReadManifest(copyPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if m.SHA256 == "" {
		return nil
	}
	f, err := os.Open(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("read the copy: %w", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 || (m.Size != 0 && n != m.Size) {
		return fmt.Errorf("the copy differs from its manifest (sha256 %s…, %d bytes; the backup wrote %s…, %d bytes): it was damaged or changed since the backup; use another copy",
			got[:12], n, m.SHA256[:min(12, len(m.SHA256))], m.Size)
	}
	return nil
}

// notJournal says that the copy is no journal the kiosk can take,
// whatever the check that found it called it, and names the copy given,
// not its temporary twin.
func notJournal(err error, tmp, copyPath string) error {
	msg := strings.ReplaceAll(err2line(err), tmp, copyPath)
	if errors.Is(err, ErrDamaged) {
		return fmt.Errorf("not a kiosk journal, or a damaged one: %s", msg)
	}
	return errors.New(msg)
}

// peekSchema refuses a bbolt file that is not a kiosk journal, or of a
// schema newer than this build, before a writable opening could add
// buckets to it.
func peekSchema(path string) error {
	db, err := openBolt(path, Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return openError(path, err)
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		v, err := schemaVersion(tx)
		switch {
		case err != nil:
			return fmt.Errorf("not a kiosk journal: %w", err)
		case v == 0:
			return errors.New("not a kiosk journal (no schema version)")
		case v > SchemaVersion:
			return fmt.Errorf("written by a newer kiosk (schema %d, this build reads %d): upgrade kiosk first", v, SchemaVersion)
		}
		return nil
	})
}

// copyFacts are what the restore needs to know of the copy.
type copyFactsOut struct {
	sales  int
	seq    uint64
	newest time.Time
}

// copyFacts checks that every sale of the copy is this terminal's and
// that the key opens its newest sealed PINs, and returns its size and age.
func (j *Journal) copyFacts(terminal int) (copyFactsOut, error) {
	var out copyFactsOut
	prefix := fmt.Sprintf("%03d", terminal)
	err := j.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta).Get(keySeq); len(b) == 8 {
			out.seq = binary.BigEndian.Uint64(b)
		}
		c := tx.Bucket(bucketSales).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if !strings.HasPrefix(string(k), prefix) {
				return fmt.Errorf("it holds sale %s of terminal %s, and this kiosk is terminal %s: another terminal's copy", k, k[:min(3, len(k))], prefix)
			}
			out.sales++
		}
		if k, _ := tx.Bucket(bucketByTime).Cursor().Last(); len(k) >= 8 {
			out.newest = time.Unix(0, int64(binary.BigEndian.Uint64(k[:8]))).UTC()
		}
		return j.keyOpens(tx)
	})
	return out, err
}

// keyOpens opens the newest sealed PINs of the copy with this kiosk's key:
// a key that does not open them belongs to another journal.
func (j *Journal) keyOpens(tx *bolt.Tx) error {
	c := tx.Bucket(bucketSales).Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		var r SaleRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("sale %s: unreadable record: %w", k, err)
		}
		if len(r.SealedVouchers) == 0 {
			continue
		}
		if j.sealer == nil {
			return errors.New("the journal key is not available, so its PINs could not be checked: put the key back first (journal.key_file or journal.key_env)")
		}
		if _, err := j.sealer.Open(r.SealedVouchers, []byte(r.Ref)); err != nil {
			return fmt.Errorf("this kiosk's journal key does not open its PINs (sale %s): it is another journal's copy, or the key was changed", r.Ref)
		}
		return nil
	}
	return nil
}

// mergeReplaced copies into the restored journal every sale of the
// replaced one that the copy lacks, or holds in an older state, as it was
// (sealed PINs and all: the same key sealed them), and moves the sequence
// past the replaced journal's.
func (j *Journal) mergeReplaced(old *Journal, opt RestoreOptions, res *RestoreResult) error {
	var recs []SaleRecord
	var oldSeq uint64
	var days []carried
	err := old.view(func(otx *bolt.Tx) error {
		if b := otx.Bucket(bucketMeta).Get(keySeq); len(b) == 8 {
			oldSeq = binary.BigEndian.Uint64(b)
		}
		var err error
		if days, err = carryDays(otx); err != nil {
			return fmt.Errorf("replaced journal: %w", err)
		}
		return j.view(func(ntx *bolt.Tx) error {
			return otx.Bucket(bucketSales).ForEach(func(k, _ []byte) error {
				r, err := old.read(otx, string(k))
				if err != nil {
					return fmt.Errorf("replaced journal: %w", err)
				}
				if have, err := j.read(ntx, string(k)); err == nil && !r.Updated.After(have.Updated) {
					return nil
				} else if err != nil && !errors.Is(err, ErrNotFound) {
					return err
				}
				recs = append(recs, r)
				return nil
			})
		})
	})
	if err != nil {
		return err
	}
	sortByCreated(recs)
	for _, r := range recs {
		res.FromReplaced = append(res.FromReplaced, r.Ref)
	}
	res.CarriedDays = days
	return j.finishRestore(recs, oldSeq, opt, res)
}

// carried is one record of the replaced journal's books to keep.
type carried struct {
	bucket    []byte
	key, val  []byte
	overwrite bool   // the replaced journal's value is the newer one
	seq       uint64 // the bucket's sequence in the replaced journal
}

// carryDays collects what the replaced journal recorded besides sales:
// its Z-reports and notes (written once: a number the copy lacks is a day
// closed after the backup, and must not be numbered again), the
// reconciliation records and users (the replaced journal's are the newer),
// and the audit entries after the copy's. Each bucket's sequence goes with
// them, so the next Z-report, note or audit entry numbers after them.
func carryDays(otx *bolt.Tx) ([]carried, error) {
	var out []carried
	for _, b := range []struct {
		name      []byte
		overwrite bool
	}{{bucketZReports, false}, {bucketZNotes, false}, {bucketAudit, false}, {bucketRecon, true}, {bucketUsers, true}} {
		bk := otx.Bucket(b.name)
		if bk == nil {
			continue
		}
		seq := bk.Sequence()
		err := bk.ForEach(func(k, v []byte) error {
			out = append(out, carried{bucket: b.name, key: append([]byte{}, k...), val: append([]byte{}, v...), overwrite: b.overwrite, seq: seq})
			return nil
		})
		if err != nil {
			return nil, err
		}
		if bk.Stats().KeyN == 0 && seq > 0 {
			out = append(out, carried{bucket: b.name, seq: seq})
		}
	}
	return out, nil
}

// keepDays writes the carried records into tx: a record the copy lacks,
// or one whose newer value the replaced journal holds; sequences only go
// forward.
func keepDays(tx *bolt.Tx, days []carried) (int, error) {
	n := 0
	for _, c := range days {
		b := tx.Bucket(c.bucket)
		if c.seq > b.Sequence() {
			if err := b.SetSequence(c.seq); err != nil {
				return n, err
			}
		}
		if c.key == nil {
			continue
		}
		if have := b.Get(c.key); have != nil && (!c.overwrite || bytes.Equal(have, c.val)) {
			continue
		}
		if err := b.Put(c.key, c.val); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// mergeLost adds the sales only the support log knows of, in doubt.
func (j *Journal) mergeLost(opt RestoreOptions, res *RestoreResult) error {
	if opt.Lost == nil {
		return j.finishRestore(nil, 0, opt, res)
	}
	// A sale prepared while the backup was being written may be logged a
	// moment before the backup's time; the reference, not the time, says
	// whether the copy has it.
	lost, err := opt.Lost(res.BackupTime.Add(-time.Minute))
	if err != nil {
		return fmt.Errorf("read the support log: %w", err)
	}
	var recs []SaleRecord
	var maxSeq uint64
	err = j.view(func(tx *bolt.Tx) error {
		for _, l := range lost {
			if tx.Bucket(bucketSales).Get([]byte(l.Ref)) != nil {
				continue
			}
			if !strings.HasPrefix(l.Ref, fmt.Sprintf("%03d", opt.Terminal)) || len(l.Ref) != 16 {
				continue // not this terminal's reference
			}
			if n, err := strconv.ParseUint(l.Ref[9:], 10, 64); err == nil {
				maxSeq = max(maxSeq, n)
			}
			r := lostRecord(l, opt)
			if p, ok := soldCopy(tx, l.Provider, l.Product); ok {
				r.Product = p
			}
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sortByCreated(recs)
	for _, r := range recs {
		res.FromLog = append(res.FromLog, r.Ref)
	}
	return j.finishRestore(recs, maxSeq, opt, res)
}

// lostRecord is a sale known from the log: in doubt, for recovery to ask
// the provider by its reference. Its product is what the log names (the
// id); the provider's answer fills in what it sold.
func lostRecord(l LostSale, opt RestoreOptions) SaleRecord {
	now := opt.Now()
	return SaleRecord{
		Ref: l.Ref, Terminal: opt.TerminalID, Provider: l.Provider, State: "in_doubt", Open: true,
		Message: AfterRestoreMessage, Created: l.First, Updated: now,
		History: []TransitionRecord{
			{At: l.First, State: "prepared", Note: "known only from the support log (last logged state: " + l.State + ")"},
			{At: now, State: "in_doubt", Note: AfterRestoreMessage, By: opt.By},
		},
		Product: ProductRecord{ID: l.Product, Name: "product " + l.Product + " (after restore)"},
	}
}

// soldCopy is a copy of the product as an earlier sale of the copy had it
// (any of them: they differ in price, not in what the product is), so a
// look-up reads the provider's answer for the product sold: DT One's
// path needs its product type, and Al-Qimah's answer holds a card code
// only for a game voucher.
func soldCopy(tx *bolt.Tx, provider, id string) (ProductRecord, bool) {
	prefix := []byte(provider + "/" + id + "#")
	c := tx.Bucket(bucketProductCopies).Cursor()
	k, v := c.Seek(prefix)
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return ProductRecord{}, false
	}
	var p ProductRecord
	if err := json.Unmarshal(v, &p); err != nil || p.ID != id {
		return ProductRecord{}, false
	}
	return p, true
}

func sortByCreated(recs []SaleRecord) {
	for i := 1; i < len(recs); i++ { // few records: insertion sort keeps it short
		for k := i; k > 0 && recs[k].Created.Before(recs[k-1].Created); k-- {
			recs[k], recs[k-1] = recs[k-1], recs[k]
		}
	}
}

// finishRestore writes the carried sales, moves the sequence to at least
// seq, records when the journal was restored and audits it, in one commit.
func (j *Journal) finishRestore(recs []SaleRecord, seq uint64, opt RestoreOptions, res *RestoreResult) error {
	return j.update(func(tx *bolt.Tx) error {
		for i := range recs {
			if err := j.put(tx, &recs[i]); err != nil {
				return err
			}
			if err := j.index(tx, &recs[i]); err != nil {
				return err
			}
			if err := j.queueSale(tx, &recs[i], 0); err != nil {
				return err
			}
		}
		kept, err := keepDays(tx, res.CarriedDays)
		if err != nil {
			return err
		}
		res.DaysRecords = kept
		meta := tx.Bucket(bucketMeta)
		cur := uint64(0)
		if b := meta.Get(keySeq); len(b) == 8 {
			cur = binary.BigEndian.Uint64(b)
		}
		res.Sequence = max(cur, seq)
		if err := meta.Put(keySeq, u64(res.Sequence)); err != nil {
			return err
		}
		if err := meta.Put(keyRestoredAt, []byte(opt.Now().UTC().Format(time.RFC3339))); err != nil {
			return err
		}
		if err := meta.Put(keyRestoredFrom, []byte(filepath.Base(opt.Copy))); err != nil {
			return err
		}
		return j.auditTx(tx, AuditRecord{Who: opt.By, Action: "restored journal",
			Detail: fmt.Sprintf("from %s (taken %s, %d sales); %d sales carried from the replaced journal, %d from the support log",
				filepath.Base(opt.Copy), res.BackupTime.Format(time.RFC3339), res.CopySales, len(res.FromReplaced), len(res.FromLog))})
	})
}

// auditTx appends an audit entry inside tx.
func (j *Journal) auditTx(tx *bolt.Tx, e AuditRecord) error {
	b := tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	if e.At.IsZero() {
		e.At = j.now()
	}
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Put(u64(seq), v)
}

// install keeps the replaced journal beside it under a new name and
// renames the prepared copy into place: the journal's path always names a
// whole journal, the old one or the restored one.
func install(tmp string, opt RestoreOptions, res *RestoreResult) error {
	dir := filepath.Dir(opt.Journal)
	if _, err := os.Lstat(opt.Journal); err == nil {
		keep, err := replacedName(opt.Journal, opt.Now())
		if err != nil {
			return err
		}
		if err := os.Link(opt.Journal, keep); err != nil {
			return fmt.Errorf("keep the replaced journal as %s: %w; nothing was replaced", keep, err)
		}
		res.Replaced = keep
	}
	if err := os.Rename(tmp, opt.Journal); err != nil {
		if res.Replaced != "" {
			_ = os.Remove(res.Replaced) // the journal is still in place under its own name
			res.Replaced = ""
		}
		return fmt.Errorf("install the copy: %w; nothing was replaced", err)
	}
	syncDir(dir)
	return nil
}

// replacedName is journal.db.replaced-20261124T101500Z (with a counter
// when a restore in the same second kept one already).
func replacedName(journal string, now time.Time) (string, error) {
	base := journal + ".replaced-" + now.UTC().Format("20060102T150405Z")
	for n := 1; n < 100; n++ {
		name := base
		if n > 1 {
			name += "-" + strconv.Itoa(n)
		}
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name, nil
		}
	}
	return "", fmt.Errorf("too many replaced journals named %s", base)
}

// RestoredAt says when the journal was last restored from a copy (zero
// when never).
func (j *Journal) RestoredAt() (time.Time, error) {
	var t time.Time
	err := j.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyRestoredAt)
		if v == nil {
			return nil
		}
		var err error
		t, err = time.Parse(time.RFC3339, string(v))
		return err
	})
	return t, err
}
