package storage

// The outbox: what head office must learn, queued in the same commit that
// records it, so a change is either in the journal and queued, or in
// neither. An entry names what changed (a sale, a decision on it, a
// Z-report, a settled mismatch, a note), not a copy of it: the shipper
// reads the thing as it is now, which is never older than when it was
// queued, and head office keeps the newest version of each row. Entries
// are numbered by the outbox's own sequence and deleted once shipped.
//
// The outbox is kept only when head office is configured (Options.Outbox):
// without it nothing is queued. The first opening with it queues the
// journal's history, so head office learns of what was sold before.

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// What an outbox entry names.
const (
	OutSale     = "sale"     // a sale reached a final state or needs review
	OutDecision = "decision" // a supervisor decided an open sale
	OutZReport  = "zreport"  // a business day was closed
	OutSettled  = "settled"  // a supervisor settled a mismatch
	OutNote     = "note"     // a note was added to a closed day
)

var (
	// keyOutboxFrom holds when the outbox was started (and the history
	// queued); keyOutboxBackfill the last sale queued while that runs.
	keyOutboxFrom     = []byte("outbox_from")
	keyOutboxBackfill = []byte("outbox_backfill")
	keyOutboxCount    = []byte("outbox_count") // entries waiting, kept with each change

)

// OutboxRecord is one queued entry: a kind and the key of what it names.
type OutboxRecord struct {
	Kind     string    `json:"kind"`
	Ref      string    `json:"ref,omitempty"`      // sale, decision, settled
	Provider string    `json:"provider,omitempty"` // settled
	Z        uint64    `json:"z,omitempty"`        // zreport, note
	Step     int       `json:"step,omitempty"`     // decision: index in the sale's history; note: its number
	Queued   time.Time `json:"queued"`
}

// OutboxItem is an entry with what it names, read as it is now. Sales come
// without their PINs: the outbox never opens them.
type OutboxItem struct {
	Seq      uint64
	Kind     string
	Queued   time.Time
	Sale     *SaleRecord
	Decision *TransitionRecord // with Sale, the sale decided
	ZReport  *ZRecord
	Mismatch *MismatchRecord
	Note     *NoteRecord
}

// queue adds an entry to the outbox in tx, when the outbox is kept.
func (j *Journal) queue(tx *bolt.Tx, e OutboxRecord) error {
	if !j.outbox {
		return nil
	}
	b := tx.Bucket(bucketOutbox)
	if e.Queued.IsZero() {
		e.Queued = j.now()
	}
	// Head office keeps a row's newest version by this number, so it must
	// never go back, not even in a journal restored from an older copy: it
	// is at least the queueing time in microseconds.
	seq := max(b.Sequence()+1, uint64(max(e.Queued.UnixMicro(), 0)))
	if err := b.SetSequence(seq); err != nil {
		return err
	}
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := b.Put(u64(seq), v); err != nil {
		return err
	}
	return addCount(tx, keyOutboxCount, 1)
}

// addCount adds d to a meta counter.
func addCount(tx *bolt.Tx, key []byte, d int64) error {
	meta := tx.Bucket(bucketMeta)
	n := int64(0)
	if b := meta.Get(key); len(b) == 8 {
		n = int64(binary.BigEndian.Uint64(b))
	}
	return meta.Put(key, u64(uint64(max(n+d, 0))))
}

// shipsSale says whether head office must learn of a sale in this state:
// once it is final, and while it waits for a supervisor.
func shipsSale(r *SaleRecord) bool { return !r.Open || r.State == "needs_review" }

// shippedFields is what head office keeps of a sale that can change after
// it was first recorded; a change of anything else is not queued.
type shippedFields struct {
	state, providerRef, charged, clerk string
	steps                              int
}

func shipped(r *SaleRecord) shippedFields {
	return shippedFields{r.State, r.ProviderRef, r.Charged.String(), r.Clerk, len(r.History)}
}

// queueSale queues a sale written in tx, and each supervisor decision
// among its history entries from index from on. A decision is a move to a
// final state made by a named person: only a supervisor's decision moves
// a sale with a name (the clerk's name is on the prepared step).
func (j *Journal) queueSale(tx *bolt.Tx, r *SaleRecord, from int) error {
	if !j.outbox || !shipsSale(r) {
		return nil
	}
	if err := j.queue(tx, OutboxRecord{Kind: OutSale, Ref: r.Ref}); err != nil {
		return err
	}
	for i := max(from, 0); i < len(r.History); i++ {
		if t := r.History[i]; isDecision(t) {
			if err := j.queue(tx, OutboxRecord{Kind: OutDecision, Ref: r.Ref, Step: i}); err != nil {
				return err
			}
		}
	}
	return nil
}

func isDecision(t TransitionRecord) bool {
	return t.By != "" && (t.State == "succeeded" || t.State == "failed")
}

// OutboxPending returns up to n entries not yet shipped, oldest first, each
// with what it names. An entry whose subject cannot be read is an error
// naming it: the shipper stops there rather than skip it.
func (j *Journal) OutboxPending(n int) ([]OutboxItem, error) {
	if !j.outbox {
		return nil, errOutboxOff
	}
	var out []OutboxItem
	err := j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOutbox).Cursor()
		for k, v := c.First(); k != nil && len(out) < n; k, v = c.Next() {
			var e OutboxRecord
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("outbox entry %d: unreadable: %w", binary.BigEndian.Uint64(k), err)
			}
			it, err := j.outboxItem(tx, binary.BigEndian.Uint64(k), e)
			if err != nil {
				return fmt.Errorf("outbox entry %d (%s): %w", it.Seq, e.Kind, err)
			}
			out = append(out, it)
		}
		return nil
	})
	return out, err
}

func (j *Journal) outboxItem(tx *bolt.Tx, seq uint64, e OutboxRecord) (OutboxItem, error) {
	it := OutboxItem{Seq: seq, Kind: e.Kind, Queued: e.Queued}
	switch e.Kind {
	case OutSale, OutDecision:
		r, err := j.getWithoutPINs(tx, e.Ref)
		if err != nil {
			return it, err
		}
		it.Sale = &r
		if e.Kind == OutDecision {
			if e.Step < 0 || e.Step >= len(r.History) || !isDecision(r.History[e.Step]) {
				return it, fmt.Errorf("sale %s has no decision at step %d", e.Ref, e.Step)
			}
			it.Decision = &r.History[e.Step]
		}
	case OutZReport:
		z, err := getZ(tx, e.Z)
		if err != nil {
			return it, err
		}
		it.ZReport = z
	case OutSettled:
		m, err := j.getMismatch(tx.Bucket(bucketRecon), mismatchKey(e.Ref, e.Provider))
		if err == nil && (m == nil || m.Settled == nil) {
			err = fmt.Errorf("mismatch %s (%s) is not settled in the journal", e.Ref, e.Provider)
		}
		if err != nil {
			return it, err
		}
		m.Vouchers, m.SealedVouchers, m.Serial, m.PINMasked = nil, nil, "", ""
		it.Mismatch = m
	case OutNote:
		nr, err := getNote(tx, e.Z, uint64(e.Step))
		if err != nil {
			return it, err
		}
		it.Note = nr
	default:
		return it, fmt.Errorf("unknown kind %q (written by a newer kiosk?)", e.Kind)
	}
	return it, nil
}

// getWithoutPINs reads a sale as get does, leaving its PINs sealed and out.
func (j *Journal) getWithoutPINs(tx *bolt.Tx, ref string) (SaleRecord, error) {
	r, err := j.read(tx, ref)
	r.SealedVouchers = nil
	return r, err
}

func getNote(tx *bolt.Tx, z, n uint64) (*NoteRecord, error) {
	v := tx.Bucket(bucketZNotes).Get(append(u64(z), u64(n)...))
	if v == nil {
		return nil, fmt.Errorf("there is no note %d on Z-report %d", n, z)
	}
	nr := new(NoteRecord)
	if err := json.Unmarshal(v, nr); err != nil {
		return nil, fmt.Errorf("note %d of Z-report %d: unreadable record: %w", n, z, err)
	}
	return nr, nil
}

// OutboxShipped deletes the entries up to and including upTo, in one
// commit: head office has committed them. Marking again, or less, changes
// nothing.
func (j *Journal) OutboxShipped(upTo uint64) error {
	if !j.outbox {
		return errOutboxOff
	}
	return j.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		var keys [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) <= upTo; k, _ = c.Next() {
			keys = append(keys, append([]byte{}, k...))
		}
		for _, k := range keys { // after the walk: a Delete under an open cursor moves it
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return addCount(tx, keyOutboxCount, -int64(len(keys)))
	})
}

// OutboxBacklog is how many entries wait to be shipped and when the oldest
// of them was queued (zero when none waits).
func (j *Journal) OutboxBacklog() (n int, oldest time.Time, err error) {
	if !j.outbox {
		return 0, time.Time{}, errOutboxOff
	}
	err = j.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		k, v := b.Cursor().First()
		if k == nil {
			return nil
		}
		var e OutboxRecord
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("outbox entry %d: unreadable: %w", binary.BigEndian.Uint64(k), err)
		}
		oldest = e.Queued
		if c := tx.Bucket(bucketMeta).Get(keyOutboxCount); len(c) == 8 {
			n = int(binary.BigEndian.Uint64(c)) // kept with each change: no walk of the bucket
		}
		return nil
	})
	return n, oldest, err
}

// Epoch is this journal's identity, fixed when it was created: head office
// refuses a terminal number already used by a journal of another epoch.
func (j *Journal) Epoch() string { return j.epoch }

// startOutbox queues the journal's history the first time the outbox is
// kept: every shippable sale and its decisions, then the Z-reports, their
// notes and the settled mismatches. It works a few thousand sales a commit
// and picks up where it stopped after a crash; head office's upserts make
// an entry queued twice harmless.
func (j *Journal) startOutbox() error {
	started := false
	if err := j.view(func(tx *bolt.Tx) error {
		started = tx.Bucket(bucketMeta).Get(keyOutboxFrom) != nil
		return nil
	}); err != nil || started {
		return err
	}
	const batch = 5000
	for done := false; !done; {
		err := j.update(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			after := meta.Get(keyOutboxBackfill)
			c := tx.Bucket(bucketSales).Cursor()
			k, _ := c.First()
			if after != nil {
				if k, _ = c.Seek(after); k != nil && string(k) == string(after) {
					k, _ = c.Next()
				}
			}
			var refs []string
			for ; k != nil && len(refs) < batch; k, _ = c.Next() {
				refs = append(refs, string(k))
			}
			done = k == nil
			for _, ref := range refs {
				r, err := j.getWithoutPINs(tx, ref)
				if err != nil {
					return err
				}
				if err := j.queueSale(tx, &r, 0); err != nil {
					return err
				}
			}
			if len(refs) > 0 {
				if err := meta.Put(keyOutboxBackfill, []byte(refs[len(refs)-1])); err != nil {
					return err
				}
			}
			if done {
				return j.queueDays(tx)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("journal %s: queue the history for head office: %w", j.path, err)
		}
	}
	return nil
}

// queueDays queues every Z-report, note and settled mismatch, and marks
// the outbox started. Days are few: one commit holds them all.
func (j *Journal) queueDays(tx *bolt.Tx) error {
	if err := tx.Bucket(bucketZReports).ForEach(func(k, _ []byte) error {
		return j.queue(tx, OutboxRecord{Kind: OutZReport, Z: binary.BigEndian.Uint64(k)})
	}); err != nil {
		return err
	}
	if err := tx.Bucket(bucketZNotes).ForEach(func(k, _ []byte) error {
		if len(k) != 16 {
			return nil
		}
		return j.queue(tx, OutboxRecord{Kind: OutNote, Z: binary.BigEndian.Uint64(k[:8]), Step: int(binary.BigEndian.Uint64(k[8:]))})
	}); err != nil {
		return err
	}
	recon := tx.Bucket(bucketRecon)
	var settled []OutboxRecord
	c := recon.Cursor()
	for k, _ := c.Seek([]byte("mis/")); k != nil && strings.HasPrefix(string(k), "mis/"); k, _ = c.Next() {
		m, err := j.getMismatch(recon, k)
		if err != nil {
			return err
		}
		if m != nil && m.Settled != nil {
			settled = append(settled, OutboxRecord{Kind: OutSettled, Ref: m.Ref, Provider: m.Provider})
		}
	}
	for _, e := range settled {
		if err := j.queue(tx, e); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bucketMeta)
	if err := meta.Delete(keyOutboxBackfill); err != nil {
		return err
	}
	return meta.Put(keyOutboxFrom, []byte(j.now().UTC().Format(time.RFC3339)))
}

// errOutboxOff is returned by outbox reads of a journal opened without it.
var errOutboxOff = errors.New("this journal keeps no outbox: head office is not configured")
