package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"kiosk/money"
)

// The time index holds a summary of every sale in a small binary form: the
// end of day reads ten thousand of them for one report, and decoding JSON
// was most of its time. The layout is one version byte, then the fields in
// the order encodeSummary writes them: each string as a uvarint length and
// its bytes, each amount as its currency (a string) and a varint of
// millionths, the print count as a uvarint, and the created time as varint
// unix seconds, uvarint nanoseconds and a varint zone offset in seconds. A
// field is only ever added at the end, under a new version byte.

// The summary's forms: version 1 had five amounts (cost, retail, retail
// VAT, fee, charged); version 2, written now, has seven (cost VAT and fee
// VAT beside them). Both are read.
const (
	summaryV1 = 1
	summaryV2 = 2
)

// encodeSummary writes s in the time index's form.
func encodeSummary(s SummaryRecord) []byte {
	b := make([]byte, 0, 128)
	b = append(b, summaryV2)
	for _, f := range []string{s.Ref, s.Provider, s.ProductID, s.ProductName, s.Brand, s.Customer, s.Clerk, s.State, s.Message} {
		b = appendString(b, f)
	}
	for _, m := range []money.Money{s.Cost, s.CostVAT, s.Retail, s.RetailVAT, s.Fee, s.FeeVAT, s.Charged} {
		b = appendString(b, m.Currency)
		b = binary.AppendVarint(b, m.Amount.Micros())
	}
	b = binary.AppendUvarint(b, uint64(max(s.Prints, 0)))
	_, off := s.Created.Zone()
	b = binary.AppendVarint(b, s.Created.Unix())
	b = binary.AppendUvarint(b, uint64(s.Created.Nanosecond()))
	return binary.AppendVarint(b, int64(off))
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

var errShortSummary = errors.New("summary cut short")

// summaryReader reads the fields of an encoded summary in order; the first
// error sticks, so decodeSummary checks once at the end.
type summaryReader struct {
	b   []byte
	err error
	// seen interns the fields a day repeats (provider, product, clerk,
	// state, currency): a report reads thousands of summaries, and one
	// string each instead of one a summary is most of its allocations.
	seen map[string]string
}

func (r *summaryReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShortSummary
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *summaryReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShortSummary
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *summaryReader) string() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.err = errShortSummary
		return ""
	}
	s := string(r.b[:n]) // a copy: nothing refers to bbolt's memory after the tx
	r.b = r.b[n:]
	return s
}

// common reads a string the day repeats, once per distinct value.
func (r *summaryReader) common() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.err = errShortSummary
		return ""
	}
	s, ok := r.seen[string(r.b[:n])] // looking up with a []byte conversion does not allocate
	if !ok {
		s = string(r.b[:n])
		r.seen[s] = s
	}
	r.b = r.b[n:]
	return s
}

func (r *summaryReader) money() money.Money {
	cur := r.common()
	return money.Money{Amount: money.FromMicros(r.varint()), Currency: cur}
}

// decodeSummary reads what encodeSummary wrote.
func decodeSummary(b []byte) (SummaryRecord, error) {
	return summaryDecoder{}.decode(b)
}

// summaryDecoder decodes many summaries, sharing the strings they repeat.
type summaryDecoder map[string]string

func (d summaryDecoder) decode(b []byte) (SummaryRecord, error) {
	if len(b) == 0 || (b[0] != summaryV1 && b[0] != summaryV2) {
		if len(b) > 0 && b[0] == '{' {
			return SummaryRecord{}, errors.New("summary in an older form (JSON): the journal was not migrated")
		}
		return SummaryRecord{}, fmt.Errorf("summary of an unknown form (%d bytes)", len(b))
	}
	r := summaryReader{b: b[1:], seen: d}
	var s SummaryRecord
	s.Ref = r.string()
	s.Provider, s.ProductID, s.ProductName, s.Brand = r.common(), r.common(), r.common(), r.common()
	s.Customer = r.string()
	s.Clerk, s.State = r.common(), r.common()
	s.Message = r.string()
	amounts := []*money.Money{&s.Cost, &s.CostVAT, &s.Retail, &s.RetailVAT, &s.Fee, &s.FeeVAT, &s.Charged}
	if b[0] == summaryV1 {
		amounts = []*money.Money{&s.Cost, &s.Retail, &s.RetailVAT, &s.Fee, &s.Charged}
	}
	for _, m := range amounts {
		*m = r.money()
	}
	s.Prints = int(r.uvarint())
	sec, nsec := r.varint(), int64(r.uvarint())
	s.Created = zonedTime(sec, nsec, int(r.varint()))
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%d bytes after the summary", len(r.b))
	}
	return s, r.err
}

// zonedTime rebuilds a time in its offset the way a JSON time is read back
// (time.Parse): UTC for offset zero, the local zone when its offset then
// matches, else a fixed zone. Summaries then equal the sale record's time.
func zonedTime(sec, nsec int64, off int) time.Time {
	t := time.Unix(sec, nsec)
	if off == 0 {
		return t.UTC()
	}
	if _, local := t.Zone(); local == off {
		return t.In(time.Local)
	}
	return t.In(time.FixedZone("", off))
}
