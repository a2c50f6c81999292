package storage

// End-of-day records. Package eod decides what a day's report says; this
// file only keeps its records in the journal, with the journal's rules:
// every write is one fsynced db.Update, a Z-report is written once and never
// rewritten, notes are only appended, and PINs are sealed like a sale's.
//
// Keys:
//
//	zreports  8-byte Z number                → ZReport JSON (written once)
//	znotes    8-byte Z number + 8-byte seq   → ZNote JSON (append only)
//	recon     "day/" + business day          → 8-byte Z number (one close per day)
//	recon     "mis/" + ref + "/" + provider  → Mismatch JSON (one per sale and provider)
//
// DaySales, at the end, reads a day's sales for the report; it belongs
// with sales.go and sits here only to keep this change to one file.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/money"
	"kiosk/providers"
)

// ErrDayClosed is returned when a business day that already has a Z-report
// is closed again.
var ErrDayClosed = errors.New("business day already closed")

// ZReport is a closed business day: the report as package eod wrote it, with
// the facts needed to find it and to chain the next day to it.
type ZReport struct {
	Number   uint64          `json:"number"`
	Day      string          `json:"day"`  // business day, 2006-01-02
	From     time.Time       `json:"from"` // period covered: [From, To)
	To       time.Time       `json:"to"`
	ClosedAt time.Time       `json:"closed_at"`
	ClosedBy string          `json:"closed_by"`
	Report   json.RawMessage `json:"report"`
}

// ZNote is an annotation of a closed day. A Z-report never changes; what is
// learnt about it later is added as a note.
type ZNote struct {
	Z    uint64    `json:"z"`
	Seq  uint64    `json:"seq"`
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	Text string    `json:"text"`
}

// MismatchKind says how the journal and a provider disagree.
type MismatchKind string

// Mismatch kinds.
const (
	// UnknownToProvider: sold here, but the provider has no charge for it.
	UnknownToProvider MismatchKind = "unknown_to_provider"
	// ChargedNotSold: the provider charged for it, but here it failed or
	// is missing altogether.
	ChargedNotSold MismatchKind = "charged_not_sold"
	// AmountDiffers: both sold it, for different amounts.
	AmountDiffers MismatchKind = "amount_differs"
	// OpenAtClose: the sale was still unsettled when its day was closed, so
	// no Z-report counts it; it is carried until a supervisor settles it.
	OpenAtClose MismatchKind = "open_at_close"
)

// Settlement is a supervisor's decision on a mismatch.
type Settlement struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// Mismatch is one disagreement between the journal and a provider. Open
// mismatches of closed days are carried into the next days' reports.
type Mismatch struct {
	Kind          MismatchKind    `json:"kind"`
	Provider      string          `json:"provider"`
	Ref           string          `json:"ref"`
	Day           string          `json:"day"`         // business day it was found on
	Z             uint64          `json:"z,omitempty"` // the Z-report of that day, once closed
	ProductID     string          `json:"product_id,omitempty"`
	Product       string          `json:"product,omitempty"`
	JournalState  State           `json:"journal_state,omitempty"` // "" when the journal has no such sale
	ProviderState providers.State `json:"provider_state,omitempty"`
	Cost          money.Money     `json:"cost,omitzero"`    // the journal's Quote.Cost
	Charged       money.Money     `json:"charged,omitzero"` // what the provider says it charged
	ProviderRef   string          `json:"provider_ref,omitempty"`
	Serial        string          `json:"serial,omitempty"`
	PINMasked     string          `json:"pin_masked,omitempty"` // the PIN itself is only ever sealed
	At            time.Time       `json:"at,omitzero"`          // when the provider recorded it
	Detail        string          `json:"detail"`
	Settled       *Settlement     `json:"settled,omitempty"`

	// Vouchers are the provider's PINs for a sale it charged but this
	// kiosk did not hand over; sealed in the journal like a sale's.
	Vouchers       []providers.Voucher `json:"-"`
	SealedVouchers []byte              `json:"vouchers_sealed,omitempty"`
	VoucherErr     string              `json:"-"`
}

// Key is the mismatch's key in the recon bucket.
func (m *Mismatch) Key() []byte { return []byte("mis/" + m.Ref + "/" + m.Provider) }

func dayKey(day string) []byte { return []byte("day/" + day) }

// CloseDay writes a Z-report and, in the same transaction, the day's
// mismatches. It assigns z.Number, and refuses (ErrDayClosed) a day that
// already has a Z-report, so two supervisors closing at once get one report.
// A mismatch settled before the close keeps its settlement; one already
// closed with another day is left as it was.
func (j *Journal) CloseDay(z *ZReport, mismatches []Mismatch) error {
	if z.Day == "" || z.ClosedBy == "" || len(z.Report) == 0 {
		return errors.New("journal: a Z-report needs its day, who closed it and the report")
	}
	return j.update(func(tx *bolt.Tx) error {
		recon, zb := tx.Bucket(BucketRecon), tx.Bucket(BucketZReports)
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
		for _, m := range mismatches {
			old, err := j.getMismatch(recon, m.Key())
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
func (j *Journal) ZReportOfDay(day string) (*ZReport, error) {
	var out *ZReport
	err := j.view(func(tx *bolt.Tx) error {
		n := tx.Bucket(BucketRecon).Get(dayKey(day))
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
func (j *Journal) ZReportByNumber(n uint64) (*ZReport, error) {
	var out *ZReport
	err := j.view(func(tx *bolt.Tx) (err error) {
		out, err = getZ(tx, n)
		return err
	})
	return out, err
}

func getZ(tx *bolt.Tx, n uint64) (*ZReport, error) {
	v := tx.Bucket(BucketZReports).Get(u64(n))
	if v == nil {
		return nil, fmt.Errorf("there is no Z-report %d", n)
	}
	z := new(ZReport)
	if err := json.Unmarshal(v, z); err != nil {
		return nil, fmt.Errorf("Z-report %d: unreadable record: %w", n, err)
	}
	return z, nil
}

// AddZNote appends a note to Z-report n.
func (j *Journal) AddZNote(n uint64, by, text string) (ZNote, error) {
	var out ZNote
	err := j.update(func(tx *bolt.Tx) (err error) {
		out, err = j.addZNote(tx, n, by, text)
		return err
	})
	return out, err
}

func (j *Journal) addZNote(tx *bolt.Tx, n uint64, by, text string) (ZNote, error) {
	if by == "" || text == "" {
		return ZNote{}, errors.New("a note on a closed day needs its author and its text")
	}
	if tx.Bucket(BucketZReports).Get(u64(n)) == nil {
		return ZNote{}, fmt.Errorf("there is no Z-report %d to annotate", n)
	}
	b := tx.Bucket(BucketZNotes)
	seq, err := b.NextSequence()
	if err != nil {
		return ZNote{}, err
	}
	note := ZNote{Z: n, Seq: seq, At: j.now(), By: by, Text: text}
	v, err := json.Marshal(note)
	if err != nil {
		return ZNote{}, err
	}
	return note, b.Put(append(u64(n), u64(seq)...), v)
}

// ZNotes returns the notes of Z-report n, oldest first.
func (j *Journal) ZNotes(n uint64) ([]ZNote, error) {
	var out []ZNote
	prefix := u64(n)
	err := j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(BucketZNotes).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var note ZNote
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
// mismatch is settled once; a mismatch of a closed day also gets a note on
// that day's Z-report, in the same transaction, since the report itself
// cannot change.
func (j *Journal) SettleMismatch(m Mismatch, s Settlement) (*Mismatch, error) {
	if s.By == "" || s.Reason == "" {
		return nil, errors.New("settling a mismatch needs who settles it and why")
	}
	if s.At.IsZero() {
		s.At = j.now()
	}
	var out *Mismatch
	err := j.update(func(tx *bolt.Tx) error {
		recon := tx.Bucket(BucketRecon)
		old, err := j.getMismatch(recon, m.Key())
		if err != nil {
			return err
		}
		if old != nil {
			if old.Settled != nil {
				return fmt.Errorf("mismatch %s (%s) was already settled by %s on %s: %s", m.Ref, m.Provider,
					old.Settled.By, old.Settled.At.Format(time.DateTime), old.Settled.Reason)
			}
			m = *old
		}
		m.Settled = &s
		if err := j.putMismatch(recon, &m); err != nil {
			return err
		}
		if m.Z != 0 {
			text := fmt.Sprintf("mismatch %s (%s, %s) settled: %s", m.Ref, m.Provider, m.Kind, s.Reason)
			if _, err := j.addZNote(tx, m.Z, s.By, text); err != nil {
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
func (j *Journal) KeepMismatch(m Mismatch) error {
	return j.update(func(tx *bolt.Tx) error {
		recon := tx.Bucket(BucketRecon)
		old, err := j.getMismatch(recon, m.Key())
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
func (j *Journal) GetMismatch(ref, provider string) (*Mismatch, error) {
	var out *Mismatch
	key := (&Mismatch{Ref: ref, Provider: provider}).Key()
	err := j.view(func(tx *bolt.Tx) (err error) {
		out, err = j.getMismatch(tx.Bucket(BucketRecon), key)
		return err
	})
	return out, err
}

// Mismatches returns every stored mismatch, open or settled, in key order.
// Mismatches are rare (a handful a day), so a scan is cheap.
func (j *Journal) Mismatches() ([]Mismatch, error) {
	var out []Mismatch
	prefix := []byte("mis/")
	err := j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(BucketRecon).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			m, err := j.getMismatch(tx.Bucket(BucketRecon), k)
			if err != nil {
				return err
			}
			out = append(out, *m)
		}
		return nil
	})
	return out, err
}

func (j *Journal) getMismatch(b *bolt.Bucket, key []byte) (*Mismatch, error) {
	v := b.Get(key)
	if v == nil {
		return nil, nil
	}
	m := new(Mismatch)
	if err := json.Unmarshal(v, m); err != nil {
		return nil, fmt.Errorf("mismatch %s: unreadable record: %w", key, err)
	}
	if len(m.SealedVouchers) > 0 {
		if j.sealer == nil {
			m.VoucherErr = "PIN locked: the journal key is not available"
		} else if plain, err := j.sealer.Open(m.SealedVouchers, key); err != nil {
			m.VoucherErr = "PIN locked: the journal key does not match this journal"
		} else if err := json.Unmarshal(plain, &m.Vouchers); err != nil {
			m.VoucherErr = "PIN record unreadable"
		}
	}
	return m, nil
}

func (j *Journal) putMismatch(b *bolt.Bucket, m *Mismatch) error {
	key := m.Key()
	if len(m.Vouchers) > 0 {
		if j.sealer == nil {
			return errors.New("cannot store the provider's PINs: the journal key is not available")
		}
		plain, err := json.Marshal(m.Vouchers)
		if err != nil {
			return err
		}
		if m.SealedVouchers, err = j.sealer.Seal(plain, key); err != nil {
			return err
		}
	}
	v, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return b.Put(key, v)
}

// SaleSummary is the part of a journaled sale a day's report reads.
type SaleSummary struct {
	Ref, Provider, ProductID, ProductName, Message string
	State                                          State
	Cost, Retail, RetailVAT, Charged               money.Money // from the confirmed quote; Charged from the provider's answer
	Created                                        time.Time
}

func summaryOf(s *Sale) SaleSummary {
	return SaleSummary{Ref: s.Ref, Provider: s.Provider, ProductID: s.Product.ID, ProductName: s.Product.Name,
		Message: s.Message, State: s.State, Cost: s.Quote.Cost, Retail: s.Quote.Retail, RetailVAT: s.Quote.RetailVAT,
		Charged: s.Charged, Created: s.Created}
}

// DaySales returns the sales created in [from, to), oldest first, as
// Between does, but reads only what a day's report needs. A sale record
// holds two copies of its product and sealed PINs; skipping them instead
// of decoding them makes a 10,000-sale day several times faster to read. A
// record the quick reader cannot follow is decoded in full, so the answer
// never depends on the shortcut.
func (j *Journal) DaySales(from, to time.Time) ([]SaleSummary, error) {
	var out []SaleSummary
	end := u64(uint64(to.UnixNano()))
	err := j.view(func(tx *bolt.Tx) error {
		sales := tx.Bucket(bucketSales)
		c := tx.Bucket(bucketByTime).Cursor()
		for k, _ := c.Seek(u64(uint64(from.UnixNano()))); k != nil && bytes.Compare(k[:8], end) < 0; k, _ = c.Next() {
			ref := k[8:]
			v := sales.Get(ref)
			if v == nil {
				return fmt.Errorf("sale %s: %w", ref, ErrNotFound)
			}
			var s SaleSummary
			if summarize(v, &s) != nil || s.Ref != string(ref) {
				full, err := j.get(tx, string(ref))
				if err != nil {
					return err
				}
				s = summaryOf(full)
			}
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

// SaleStates returns the state of each of refs the journal holds; refs it
// does not hold are left out of the map.
func (j *Journal) SaleStates(refs []string) (map[string]State, error) {
	out := make(map[string]State, len(refs))
	err := j.view(func(tx *bolt.Tx) error {
		sales := tx.Bucket(bucketSales)
		for _, ref := range refs {
			v := sales.Get([]byte(ref))
			if v == nil {
				continue
			}
			var s SaleSummary
			if err := summarize(v, &s); err != nil {
				full, err := j.get(tx, ref)
				if err != nil {
					return err
				}
				s.State = full.State
			}
			out[ref] = s.State
		}
		return nil
	})
	return out, err
}

// summarize reads a Sale record's report fields by walking its JSON
// members and skipping the rest unparsed.
func summarize(raw []byte, s *SaleSummary) error {
	return members(raw, func(key, val []byte) error {
		switch string(key) {
		case "ref":
			return jsonString(val, &s.Ref)
		case "provider":
			return jsonString(val, &s.Provider)
		case "message":
			return jsonString(val, &s.Message)
		case "state":
			var st string
			err := jsonString(val, &st)
			s.State = State(st)
			return err
		case "charged":
			return jsonMoney(val, &s.Charged)
		case "created":
			return s.Created.UnmarshalJSON(val)
		case "product":
			return members(val, func(k, v []byte) error {
				switch string(k) {
				case "id":
					return jsonString(v, &s.ProductID)
				case "name":
					return jsonString(v, &s.ProductName)
				}
				return nil
			})
		case "quote":
			return members(val, func(k, v []byte) error {
				switch string(k) {
				case "cost":
					return jsonMoney(v, &s.Cost)
				case "retail":
					return jsonMoney(v, &s.Retail)
				case "retail_vat":
					return jsonMoney(v, &s.RetailVAT)
				}
				return nil
			})
		}
		return nil
	})
}

var errJSON = errors.New("sale record: not the JSON object expected")

func jsonString(v []byte, dst *string) error {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return errJSON
	}
	if bytes.IndexByte(v, '\\') < 0 {
		*dst = string(v[1 : len(v)-1])
		return nil
	}
	return json.Unmarshal(v, dst)
}

func jsonMoney(v []byte, m *money.Money) error {
	return members(v, func(k, val []byte) error {
		switch string(k) {
		case "amount":
			return m.Amount.UnmarshalJSON(val)
		case "currency":
			return jsonString(val, &m.Currency)
		}
		return nil
	})
}

// members calls fn with the key and raw value of each member of the JSON
// object b. Keys are taken as written (the journal's keys have no escapes).
func members(b []byte, fn func(key, val []byte) error) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errJSON
	}
	if i = skipSpace(b, i+1); i < len(b) && b[i] == '}' {
		return nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return errJSON
		}
		end := skipString(b, i)
		if end < 0 {
			return errJSON
		}
		key := b[i+1 : end-1]
		if i = skipSpace(b, end); i >= len(b) || b[i] != ':' {
			return errJSON
		}
		i = skipSpace(b, i+1)
		vend := skipValue(b, i)
		if vend < 0 {
			return errJSON
		}
		if err := fn(key, b[i:vend]); err != nil {
			return err
		}
		if i = skipSpace(b, vend); i >= len(b) {
			return errJSON
		}
		switch b[i] {
		case '}':
			return nil
		case ',':
			i = skipSpace(b, i+1)
		default:
			return errJSON
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at b[i], or -1.
func skipString(b []byte, i int) int {
	for j := i + 1; ; {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		q := j + k
		n := 0
		for p := q - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// skipValue returns the index just past the value starting at b[i], or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				if j = skipString(b, j); j < 0 {
					return -1
				}
				j--
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\t' && b[j] != '\r' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}
