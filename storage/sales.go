package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrNoKey refuses a sale the journal could not keep the PIN of.
var ErrNoKey = errors.New("the journal key is not available, so a PIN bought now could not be kept")

// Prepare journals a new sale before anything is sent to the provider. It
// takes the next number from the journal's sequence, fixes the reference
// (terminal, this opening's run, sequence: 16 digits, accepted by every
// provider), and commits. On a nil error the sale is durable and s.Ref is
// set. Without the key nothing is prepared: a PIN the customer paid for
// must have a place in the journal before it is bought.
func (j *Journal) Prepare(s *Sale) error {
	if j.sealer == nil {
		return ErrNoKey
	}
	now := j.now()
	return j.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		seq := uint64(1)
		if b := meta.Get(keySeq); len(b) == 8 {
			seq = binary.BigEndian.Uint64(b) + 1
		}
		if seq > 9_999_999 {
			return errors.New("journal: sale sequence exhausted; start a new journal")
		}
		if err := meta.Put(keySeq, u64(seq)); err != nil {
			return err
		}
		s.Ref = fmt.Sprintf("%03d%s%07d", j.terminal, j.run, seq)
		s.Created = now
		s.State = ""
		s.History = nil
		if err := s.move(Prepared, now, "", s.Clerk); err != nil {
			return err
		}
		if err := j.put(tx, s); err != nil {
			return err
		}
		if err := tx.Bucket(bucketOpen).Put([]byte(s.Ref), nil); err != nil {
			return err
		}
		if err := tx.Bucket(bucketByTime).Put(timeKey(s.Created, s.Ref), nil); err != nil {
			return err
		}
		return j.index(tx, s)
	})
}

// index adds a new sale to the history indexes.
func (j *Journal) index(tx *bolt.Tx, s *Sale) error {
	if c := digitsOf(s.Customer()); c != "" {
		if err := tx.Bucket(bucketByCustomer).Put(append([]byte(c+"|"), timeKey(s.Created, s.Ref)...), nil); err != nil {
			return err
		}
	}
	pk := s.Product.Key()
	if err := tx.Bucket(bucketByProduct).Put(append([]byte(pk+"|"), timeKey(s.Created, s.Ref)...), nil); err != nil {
		return err
	}
	return tx.Bucket(bucketProducts).Put([]byte(pk), []byte(s.Product.Name))
}

func digitsOf(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// Move records a new state for a sale, with whatever edit records the
// outcome (vouchers, provider reference, message), and commits it. It
// enforces the state machine: a final sale is never reopened.
func (j *Journal) Move(ref string, to State, note, by string, edit func(*Sale)) (*Sale, error) {
	var out *Sale
	err := j.update(func(tx *bolt.Tx) error {
		s, err := j.get(tx, ref)
		if err != nil {
			return err
		}
		if edit != nil {
			edit(s)
		}
		if err := s.move(to, j.now(), note, by); err != nil {
			return err
		}
		if err := j.put(tx, s); err != nil {
			return err
		}
		open := tx.Bucket(bucketOpen)
		if to.Open() {
			err = open.Put([]byte(ref), nil)
		} else {
			err = open.Delete([]byte(ref))
		}
		out = s
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("journal: record %s for sale %s: %w", to, ref, err)
	}
	return out, nil
}

// Touch saves bookkeeping that is not a state change (status look-ups made,
// prints) on an existing sale.
func (j *Journal) Touch(ref string, edit func(*Sale)) (*Sale, error) {
	var out *Sale
	err := j.update(func(tx *bolt.Tx) error {
		s, err := j.get(tx, ref)
		if err != nil {
			return err
		}
		edit(s)
		s.Updated = j.now()
		out = s
		return j.put(tx, s)
	})
	return out, err
}

// Get reads one sale.
func (j *Journal) Get(ref string) (*Sale, error) {
	var out *Sale
	err := j.view(func(tx *bolt.Tx) error {
		s, err := j.get(tx, ref)
		out = s
		return err
	})
	return out, err
}

// OpenSales returns every sale still to settle, oldest first. It reads the
// open index, so its cost follows the number of open sales, not the size of
// the journal.
func (j *Journal) OpenSales() ([]*Sale, error) {
	var out []*Sale
	err := j.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOpen).ForEach(func(k, _ []byte) error {
			s, err := j.get(tx, string(k))
			if err != nil {
				return err
			}
			out = append(out, s)
			return nil
		})
	})
	sortOldestFirst(out)
	return out, err
}

// Recent returns up to limit sales, newest first, created before the given
// time (zero: now). It walks the time index backwards.
func (j *Journal) Recent(limit int, before time.Time) ([]*Sale, error) {
	var out []*Sale
	err := j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketByTime).Cursor()
		var k []byte
		if before.IsZero() {
			k, _ = c.Last()
		} else {
			c.Seek(u64(uint64(before.UnixNano())))
			k, _ = c.Prev()
		}
		for ; k != nil && len(out) < limit; k, _ = c.Prev() {
			s, err := j.get(tx, string(k[8:]))
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

// Between returns the sales created in [from, to), oldest first.
func (j *Journal) Between(from, to time.Time) ([]*Sale, error) {
	var out []*Sale
	end := u64(uint64(to.UnixNano()))
	err := j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketByTime).Cursor()
		for k, _ := c.Seek(u64(uint64(from.UnixNano()))); k != nil && bytes.Compare(k[:8], end) < 0; k, _ = c.Next() {
			s, err := j.get(tx, string(k[8:]))
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

func (j *Journal) get(tx *bolt.Tx, ref string) (*Sale, error) {
	v := tx.Bucket(bucketSales).Get([]byte(ref))
	if v == nil {
		return nil, fmt.Errorf("sale %s: %w", ref, ErrNotFound)
	}
	s := new(Sale)
	// json.Unmarshal copies, so nothing refers to bbolt's memory after the tx.
	if err := json.Unmarshal(v, s); err != nil {
		return nil, fmt.Errorf("sale %s: unreadable record: %w", ref, err)
	}
	if len(s.SealedVouchers) > 0 {
		j.openVouchers(s)
	}
	return s, nil
}

func (j *Journal) openVouchers(s *Sale) {
	if j.sealer == nil {
		s.VoucherErr = "PIN locked: the journal key is not available"
		return
	}
	plain, err := j.sealer.Open(s.SealedVouchers, []byte(s.Ref))
	if err != nil {
		s.VoucherErr = "PIN locked: the journal key does not match this journal"
		return
	}
	if err := json.Unmarshal(plain, &s.Vouchers); err != nil {
		s.VoucherErr = "PIN record unreadable"
	}
}

func (j *Journal) put(tx *bolt.Tx, s *Sale) error {
	if len(s.Vouchers) > 0 {
		if j.sealer == nil {
			return errors.New("cannot store PINs: the journal key is not available")
		}
		plain, err := json.Marshal(s.Vouchers)
		if err != nil {
			return err
		}
		if s.SealedVouchers, err = j.sealer.Seal(plain, []byte(s.Ref)); err != nil {
			return err
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketSales).Put([]byte(s.Ref), b)
}

func sortOldestFirst(s []*Sale) {
	for i := 1; i < len(s); i++ {
		for k := i; k > 0 && s[k].Created.Before(s[k-1].Created); k-- {
			s[k], s[k-1] = s[k-1], s[k]
		}
	}
}

// CountSales returns how many sales the journal holds. Sales are never
// deleted and each takes one number of the sequence, so the sequence is the
// count: reading it costs one page, where counting keys would read them all.
func (j *Journal) CountSales() (int, error) {
	n := 0
	err := j.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta).Get(keySeq); len(b) == 8 {
			n = int(binary.BigEndian.Uint64(b))
		}
		return nil
	})
	return n, err
}
