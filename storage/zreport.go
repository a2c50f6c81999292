package storage

// End-of-day records. Package eod decides what a day's report says; this
// file keeps its records with the journal's rules: every write is one
// fsynced commit, a Z-report is written once and never rewritten, notes
// are only appended, and PINs are sealed like a sale's.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ErrDayClosed is returned when a business day that already has a Z-report
// is closed again.
var ErrDayClosed = errors.New("business day already closed")

func dayKey(day string) []byte { return []byte("day/" + day) }

// CloseDay writes a Z-report and, in the same commit, the day's mismatches.
// It assigns z.Number, and refuses (ErrDayClosed) a day that already has a
// Z-report, so two supervisors closing at once get one report. A mismatch
// stored before the close keeps its settlement and the provider's PINs it
// carried; one already closed with another day is left as it was.
func (j *Journal) CloseDay(z *ZRecord, mismatches []MismatchRecord) error {
	if z.Day == "" || z.ClosedBy == "" || len(z.Report) == 0 {
		return errors.New("journal: a Z-report needs its day, who closed it and the report")
	}
	return j.update(func(tx *bolt.Tx) error {
		recon, zb := tx.Bucket(bucketRecon), tx.Bucket(bucketZReports)
		if n := recon.Get(dayKey(z.Day)); n != nil {
			return fmt.Errorf("%w: %s has Z-report %d", ErrDayClosed, z.Day, binary.BigEndian.Uint64(n))
		}
		seq, err := zb.NextSequence()
		if err != nil {
			return err
		}
		z.Number = seq
		v, err := json.Marshal(z)
		if err != nil {
			return err
		}
		if err := zb.Put(u64(seq), v); err != nil {
			return err
		}
		if err := recon.Put(dayKey(z.Day), u64(seq)); err != nil {
			return err
		}
		if err := j.queue(tx, OutboxRecord{Kind: OutZReport, Z: seq}); err != nil {
			return err
		}
		for _, m := range mismatches {
			old, err := j.getMismatch(recon, m.key())
			if err != nil {
				return err
			}
			if old != nil && old.Z != 0 {
				continue // found and closed on another day: it stays that day's
			}
			m.Day, m.Z = z.Day, seq
			if old != nil {
				m.Settled = old.Settled
				if len(m.Vouchers) == 0 {
					m.SealedVouchers = old.SealedVouchers
				}
			}
			if err := j.putMismatch(recon, &m); err != nil {
				return err
			}
		}
		return nil
	})
}

// ZReportOfDay returns the Z-report of a business day, or nil when the day
// is not closed.
func (j *Journal) ZReportOfDay(day string) (*ZRecord, error) {
	var out *ZRecord
	err := j.view(func(tx *bolt.Tx) error {
		n := tx.Bucket(bucketRecon).Get(dayKey(day))
		if n == nil {
			return nil
		}
		z, err := getZ(tx, binary.BigEndian.Uint64(n))
		out = z
		return err
	})
	return out, err
}

// ZReportByNumber returns Z-report n.
func (j *Journal) ZReportByNumber(n uint64) (*ZRecord, error) {
	var out *ZRecord
	err := j.view(func(tx *bolt.Tx) (err error) {
		out, err = getZ(tx, n)
		return err
	})
	return out, err
}

func getZ(tx *bolt.Tx, n uint64) (*ZRecord, error) {
	v := tx.Bucket(bucketZReports).Get(u64(n))
	if v == nil {
		return nil, fmt.Errorf("there is no Z-report %d", n)
	}
	z := new(ZRecord)
	if err := json.Unmarshal(v, z); err != nil {
		return nil, fmt.Errorf("Z-report %d: unreadable record: %w", n, err)
	}
	return z, nil
}

// AddZNote appends a note to Z-report n.
func (j *Journal) AddZNote(n uint64, by, text string) (NoteRecord, error) {
	var out NoteRecord
	err := j.update(func(tx *bolt.Tx) (err error) {
		out, err = j.addZNote(tx, n, by, text)
		return err
	})
	return out, err
}

func (j *Journal) addZNote(tx *bolt.Tx, n uint64, by, text string) (NoteRecord, error) {
	if by == "" || text == "" {
		return NoteRecord{}, errors.New("a note on a closed day needs its author and its text")
	}
	if tx.Bucket(bucketZReports).Get(u64(n)) == nil {
		return NoteRecord{}, fmt.Errorf("there is no Z-report %d to annotate", n)
	}
	b := tx.Bucket(bucketZNotes)
	seq, err := b.NextSequence()
	if err != nil {
		return NoteRecord{}, err
	}
	note := NoteRecord{Z: n, Seq: seq, At: j.now(), By: by, Text: text}
	v, err := json.Marshal(note)
	if err != nil {
		return NoteRecord{}, err
	}
	if err := b.Put(append(u64(n), u64(seq)...), v); err != nil {
		return NoteRecord{}, err
	}
	return note, j.queue(tx, OutboxRecord{Kind: OutNote, Z: n, Step: int(seq)})
}

// ZNotes returns the notes of Z-report n, oldest first.
func (j *Journal) ZNotes(n uint64) ([]NoteRecord, error) {
	var out []NoteRecord
	prefix := u64(n)
	err := j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketZNotes).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var note NoteRecord
			if err := json.Unmarshal(v, &note); err != nil {
				return fmt.Errorf("Z-report %d note: %w", n, err)
			}
			out = append(out, note)
		}
		return nil
	})
	return out, err
}

// SettleMismatch records a supervisor's settlement of a mismatch, storing
// the mismatch first if it was not stored yet (a day not closed). A
// mismatch is settled once; a mismatch of a closed day also gets the note
// text on that day's Z-report, in the same commit, since the report itself
// cannot change.
func (j *Journal) SettleMismatch(m MismatchRecord, s SettlementRecord, note string) (*MismatchRecord, error) {
	if s.By == "" || s.Reason == "" {
		return nil, errors.New("settling a mismatch needs who settles it and why")
	}
	if s.At.IsZero() {
		s.At = j.now()
	}
	var out *MismatchRecord
	err := j.update(func(tx *bolt.Tx) error {
		recon := tx.Bucket(bucketRecon)
		old, err := j.getMismatch(recon, m.key())
		if err != nil {
			return err
		}
		if old != nil {
			if old.Settled != nil {
				return fmt.Errorf("mismatch %s (%s) was already settled by %s on %s: %s", m.Ref, m.Provider,
					old.Settled.By, old.Settled.At.Format("2006-01-02 15:04:05"), old.Settled.Reason)
			}
			m = *old
		}
		m.Settled = &s
		if err := j.putMismatch(recon, &m); err != nil {
			return err
		}
		if err := j.queue(tx, OutboxRecord{Kind: OutSettled, Ref: m.Ref, Provider: m.Provider}); err != nil {
			return err
		}
		if m.Z != 0 && note != "" {
			if _, err := j.addZNote(tx, m.Z, s.By, note); err != nil {
				return err
			}
		}
		out = &m
		return nil
	})
	return out, err
}

// KeepMismatch stores a mismatch found before its day is closed, so what
// it carries (the provider's PINs) is in the journal at once. A stored
// mismatch keeps its settlement; one already closed is left as it was.
func (j *Journal) KeepMismatch(m MismatchRecord) error {
	return j.update(func(tx *bolt.Tx) error {
		recon := tx.Bucket(bucketRecon)
		old, err := j.getMismatch(recon, m.key())
		if err != nil || (old != nil && old.Z != 0) {
			return err
		}
		if old != nil {
			m.Settled = old.Settled
		}
		m.Z = 0
		return j.putMismatch(recon, &m)
	})
}

// GetMismatch returns the stored mismatch for a sale and provider, or nil.
func (j *Journal) GetMismatch(ref, provider string) (*MismatchRecord, error) {
	var out *MismatchRecord
	err := j.view(func(tx *bolt.Tx) (err error) {
		out, err = j.getMismatch(tx.Bucket(bucketRecon), mismatchKey(ref, provider))
		return err
	})
	return out, err
}

// Mismatches returns every stored mismatch, open or settled, in key order.
// Mismatches are rare (a handful a day), so a scan is cheap.
func (j *Journal) Mismatches() ([]MismatchRecord, error) {
	var out []MismatchRecord
	prefix := []byte("mis/")
	err := j.view(func(tx *bolt.Tx) error {
		recon := tx.Bucket(bucketRecon)
		c := recon.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			m, err := j.getMismatch(recon, k)
			if err != nil {
				return err
			}
			out = append(out, *m)
		}
		return nil
	})
	return out, err
}

func (j *Journal) getMismatch(b *bolt.Bucket, key []byte) (*MismatchRecord, error) {
	v := b.Get(key)
	if v == nil {
		return nil, nil
	}
	m := new(MismatchRecord)
	if err := json.Unmarshal(v, m); err != nil {
		return nil, fmt.Errorf("mismatch %s: unreadable record: %w", key, err)
	}
	if len(m.SealedVouchers) > 0 {
		m.Vouchers, m.VoucherErr = j.openVouchers(m.SealedVouchers, key)
	}
	return m, nil
}

func (j *Journal) putMismatch(b *bolt.Bucket, m *MismatchRecord) error {
	key := m.key()
	if len(m.Vouchers) > 0 {
		sealed, err := j.sealVouchers(m.Vouchers, key)
		if err != nil {
			return fmt.Errorf("cannot store the provider's PINs: %w", err)
		}
		m.SealedVouchers = sealed
	}
	v, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return b.Put(key, v)
}
