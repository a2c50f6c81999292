package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrNoKey refuses a sale the journal could not keep the PIN of.
var ErrNoKey = errors.New("the journal key is not available, so a PIN bought now could not be kept")

// Prepare journals a new sale before anything is sent to the provider. It
// takes the next number from the journal's sequence, fixes the reference
// (terminal, this opening's run, sequence: 16 digits, accepted by every
// provider), and commits the record with its indexes. On a nil error the
// sale is durable and r.Ref is set. Without the key nothing is prepared: a
// PIN the customer paid for must have a place in the journal before it is
// bought.
func (j *Journal) Prepare(r *SaleRecord) error {
	if j.sealer == nil {
		return ErrNoKey
	}
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
		r.Ref = fmt.Sprintf("%03d%s%07d", j.terminal, j.run, seq)
		if err := j.put(tx, r); err != nil {
			return err
		}
		return j.index(tx, r)
	})
}

// index adds a new sale to the history indexes.
func (j *Journal) index(tx *bolt.Tx, r *SaleRecord) error {
	if c := digitsOf(r.Customer); c != "" {
		if err := tx.Bucket(bucketByCustomer).Put(append([]byte(c+"|"), timeKey(r.Created, r.Ref)...), nil); err != nil {
			return err
		}
	}
	pk := r.Provider + "/" + r.Product.ID
	if err := tx.Bucket(bucketByProduct).Put(append([]byte(pk+"|"), timeKey(r.Created, r.Ref)...), nil); err != nil {
		return err
	}
	return tx.Bucket(bucketProducts).Put([]byte(pk), []byte(r.Product.Name))
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

// ErrUnchanged, returned by an UpdateSale edit, says there is nothing to
// write: UpdateSale then commits nothing and returns the record as it is.
var ErrUnchanged = errors.New("nothing to change")

// UpdateSale reads a sale, lets edit change it, and writes it back with its
// open index and summary in one commit. An error from edit writes nothing
// and is returned (ErrUnchanged: nothing written, no error). The sale core
// decides in edit what may change (the state machine is its own).
func (j *Journal) UpdateSale(ref string, edit func(*SaleRecord) error) (SaleRecord, error) {
	var out SaleRecord
	err := j.update(func(tx *bolt.Tx) error {
		r, err := j.get(tx, ref)
		if err != nil {
			return err
		}
		before := shipped(&r)
		steps := len(r.History)
		if err := edit(&r); err != nil {
			out = r
			return err
		}
		if r.Ref != ref {
			return fmt.Errorf("sale %s: an edit may not change the reference", ref)
		}
		out = r
		if err := j.put(tx, &r); err != nil {
			return err
		}
		if shipped(&r) == before {
			return nil // a look-up or a print: nothing head office keeps changed
		}
		return j.queueSale(tx, &r, steps)
	})
	if errors.Is(err, ErrUnchanged) {
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("journal: sale %s: %w", ref, err)
	}
	return out, nil
}

// Sale reads one sale.
func (j *Journal) Sale(ref string) (SaleRecord, error) {
	var out SaleRecord
	err := j.view(func(tx *bolt.Tx) (err error) {
		out, err = j.get(tx, ref)
		return err
	})
	return out, err
}

// OpenSales returns every sale still to settle, oldest first. It reads the
// open index, so its cost follows the number of open sales, not the size of
// the journal.
func (j *Journal) OpenSales() ([]SaleRecord, error) {
	var out []SaleRecord
	err := j.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOpen).ForEach(func(k, _ []byte) error {
			r, err := j.get(tx, string(k))
			if err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	sort.SliceStable(out, func(a, b int) bool { return out[a].Created.Before(out[b].Created) })
	return out, err
}

// Recent returns up to limit sales, newest first, created before the given
// time (zero: now). It walks the time index backwards.
func (j *Journal) Recent(limit int, before time.Time) ([]SaleRecord, error) {
	var out []SaleRecord
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
			r, err := j.get(tx, string(k[8:]))
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// Between returns the sales created in [from, to), oldest first.
func (j *Journal) Between(from, to time.Time) ([]SaleRecord, error) {
	var out []SaleRecord
	err := j.eachTime(from, to, func(tx *bolt.Tx, k, _ []byte) error {
		r, err := j.get(tx, string(k[8:]))
		out = append(out, r)
		return err
	})
	return out, err
}

// Summaries returns the summaries of the sales created in [from, to),
// oldest first, from the time index alone: a day's report never reads a
// whole sale.
func (j *Journal) Summaries(from, to time.Time) ([]SummaryRecord, error) {
	var out []SummaryRecord
	err := j.EachSummary(from, to, func(n int) { out = make([]SummaryRecord, 0, n) },
		func(s *SummaryRecord) { out = append(out, *s) })
	return out, err
}

// EachSummary calls each with the summary of every sale created in
// [from, to), oldest first, in one read transaction, after telling size
// how many there are: a caller that keeps them in its own type allocates
// once (a day's report reads ten thousand).
func (j *Journal) EachSummary(from, to time.Time, size func(n int), each func(*SummaryRecord)) error {
	start, end := u64(uint64(max(from.UnixNano(), 0))), u64(uint64(max(to.UnixNano(), 0)))
	return j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketByTime).Cursor()
		n := 0
		for k, _ := c.Seek(start); k != nil && bytes.Compare(k[:8], end) < 0; k, _ = c.Next() {
			n++
		}
		size(n)
		dec := summaryDecoder{}
		for k, v := c.Seek(start); k != nil && bytes.Compare(k[:8], end) < 0; k, v = c.Next() {
			s, err := dec.decode(v)
			if err != nil {
				return fmt.Errorf("sale %s: unreadable summary: %w", k[8:], err)
			}
			each(&s)
		}
		return nil
	})
}

// eachTime calls fn with the time-index entries of [from, to), oldest first.
func (j *Journal) eachTime(from, to time.Time, fn func(tx *bolt.Tx, k, v []byte) error) error {
	end := u64(uint64(max(to.UnixNano(), 0)))
	return j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketByTime).Cursor()
		for k, v := c.Seek(u64(uint64(max(from.UnixNano(), 0)))); k != nil && bytes.Compare(k[:8], end) < 0; k, v = c.Next() {
			if err := fn(tx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// States returns the state of each of refs the journal holds; refs it does
// not hold are left out of the map.
func (j *Journal) States(refs []string) (map[string]string, error) {
	out := make(map[string]string, len(refs))
	err := j.view(func(tx *bolt.Tx) error {
		sales := tx.Bucket(bucketSales)
		for _, ref := range refs {
			if sales.Get([]byte(ref)) == nil {
				continue
			}
			r, err := j.get(tx, ref)
			if err != nil {
				return err
			}
			out[ref] = r.State
		}
		return nil
	})
	return out, err
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

// get reads a sale with its product copy, and opens its PINs.
func (j *Journal) get(tx *bolt.Tx, ref string) (SaleRecord, error) {
	r, err := j.read(tx, ref)
	if err == nil && len(r.SealedVouchers) > 0 {
		r.Vouchers, r.VoucherErr = j.openVouchers(r.SealedVouchers, []byte(r.Ref))
	}
	return r, err
}

// read reads a sale with its product copy, its PINs left sealed.
func (j *Journal) read(tx *bolt.Tx, ref string) (SaleRecord, error) {
	v := tx.Bucket(bucketSales).Get([]byte(ref))
	if v == nil {
		return SaleRecord{}, fmt.Errorf("sale %s: %w", ref, ErrNotFound)
	}
	var r SaleRecord
	// json.Unmarshal copies, so nothing refers to bbolt's memory after the tx.
	if err := json.Unmarshal(v, &r); err != nil {
		return SaleRecord{}, fmt.Errorf("sale %s: unreadable record: %w", ref, err)
	}
	if r.ProductKey != "" {
		p := tx.Bucket(bucketProductCopies).Get([]byte(r.ProductKey))
		if p == nil {
			return SaleRecord{}, fmt.Errorf("sale %s: its product copy %s is missing", ref, r.ProductKey)
		}
		if err := json.Unmarshal(p, &r.Product); err != nil {
			return SaleRecord{}, fmt.Errorf("sale %s: unreadable product copy %s: %w", ref, r.ProductKey, err)
		}
	}
	return r, nil
}

// putProductCopy writes the product as a sale has it to the copies bucket,
// unless that very copy is there already, and returns its key: the
// product's provider and id and a hash of the copy, so a product whose
// price or text changes gets a new copy and old sales keep theirs.
func putProductCopy(tx *bolt.Tx, provider string, p *ProductRecord) (string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	copies := tx.Bucket(bucketProductCopies)
	// 12 hex digits tell copies of one product apart; on the (unlikely)
	// clash with a different copy the whole hash is used.
	for _, n := range []int{6, len(sum)} {
		key := []byte(provider + "/" + p.ID + "#" + hex.EncodeToString(sum[:n]))
		old := copies.Get(key)
		if bytes.Equal(old, b) {
			return string(key), nil
		}
		if old == nil {
			return string(key), copies.Put(key, b)
		}
	}
	return "", fmt.Errorf("product %s/%s: two different copies share one hash", provider, p.ID)
}

// openVouchers opens sealed PINs, or says why it cannot.
func (j *Journal) openVouchers(sealed, ad []byte) ([]VoucherRecord, string) {
	if j.sealer == nil {
		return nil, "PIN locked: the journal key is not available"
	}
	plain, err := j.sealer.Open(sealed, ad)
	if err != nil {
		return nil, "PIN locked: the journal key does not match this journal"
	}
	var vs []VoucherRecord
	if err := json.Unmarshal(plain, &vs); err != nil {
		return nil, "PIN record unreadable"
	}
	return vs, ""
}

// sealVouchers seals PINs for the record keyed ad.
func (j *Journal) sealVouchers(vs []VoucherRecord, ad []byte) ([]byte, error) {
	if j.sealer == nil {
		return nil, errors.New("cannot store PINs: the journal key is not available")
	}
	plain, err := json.Marshal(vs)
	if err != nil {
		return nil, err
	}
	return j.sealer.Seal(plain, ad)
}

// put writes a sale record, its open-index entry and its summary.
func (j *Journal) put(tx *bolt.Tx, r *SaleRecord) error {
	r.V = SaleVersion
	if len(r.Vouchers) > 0 {
		sealed, err := j.sealVouchers(r.Vouchers, []byte(r.Ref))
		if err != nil {
			return err
		}
		r.SealedVouchers = sealed
	}
	key, err := putProductCopy(tx, r.Provider, &r.Product)
	if err != nil {
		return err
	}
	r.ProductKey = key
	rec := *r // the record names its product copy and does not hold it
	rec.Product = ProductRecord{}
	b, err := json.Marshal(&rec)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketSales).Put([]byte(r.Ref), b); err != nil {
		return err
	}
	open := tx.Bucket(bucketOpen)
	if r.Open {
		err = open.Put([]byte(r.Ref), nil)
	} else {
		err = open.Delete([]byte(r.Ref))
	}
	if err != nil {
		return err
	}
	return tx.Bucket(bucketByTime).Put(timeKey(r.Created, r.Ref), encodeSummary(r.Summary()))
}

// Import writes sales that were made elsewhere (benchmarks build large
// journals with it) in one commit per call, with their indexes, as Prepare
// and UpdateSale would. References are kept as given; the sequence is
// moved past the number of sales imported.
func (j *Journal) Import(recs []SaleRecord) error {
	return j.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		seq := uint64(0)
		if b := meta.Get(keySeq); len(b) == 8 {
			seq = binary.BigEndian.Uint64(b)
		}
		tx.Bucket(bucketSales).FillPercent, tx.Bucket(bucketByTime).FillPercent = 0.95, 0.95
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
		return meta.Put(keySeq, u64(seq+uint64(len(recs))))
	})
}
