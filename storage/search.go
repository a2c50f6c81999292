package storage

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Search is a history query. Text is a sale reference, (the start of) a
// customer number, its last digits (four or more), or words of a product
// name; From/To bound the date (zero: open). All parts given must match.
type Search struct {
	Text     string
	From, To time.Time
	Limit    int // default 200
}

// Search finds sales newest first, through the indexes: a reference is one
// read, a customer number and a product are range scans, a date alone walks
// the time index. Its cost follows the number of matches, not the size of
// the journal.
func (j *Journal) Search(q Search) ([]SaleRecord, error) {
	if q.Limit <= 0 {
		q.Limit = 200
	}
	text := strings.TrimSpace(q.Text)
	var out []SaleRecord
	err := j.view(func(tx *bolt.Tx) error {
		var refs []timedRef
		switch {
		case text == "":
			refs = scanTime(tx, q)
		case len(text) == 16 && digitsOf(text) == text && tx.Bucket(bucketSales).Get([]byte(text)) != nil:
			return j.collect(tx, []timedRef{{ref: text}}, q, &out)
		case digitsOf(text) == strings.ReplaceAll(strings.TrimPrefix(text, "+"), " ", ""):
			d := digitsOf(text)
			refs = scanPrefix(tx.Bucket(bucketByCustomer), []byte(d), q, false)
			if len(d) >= MinSuffixDigits {
				refs = union(refs, scanSuffix(tx, d, q))
			}
		default:
			for _, pk := range matchProducts(tx, text) {
				refs = append(refs, scanPrefix(tx.Bucket(bucketByProduct), []byte(pk+"|"), q, true)...)
			}
		}
		sort.Slice(refs, func(a, b int) bool { return refs[a].at > refs[b].at })
		if len(refs) > q.Limit {
			refs = refs[:q.Limit]
		}
		return j.collect(tx, refs, q, &out)
	})
	return out, err
}

type timedRef struct {
	at  uint64
	ref string
}

func (j *Journal) collect(tx *bolt.Tx, refs []timedRef, q Search, out *[]SaleRecord) error {
	for _, r := range refs {
		s, err := j.get(tx, r.ref)
		if err != nil {
			return err
		}
		if inRange(s.Created, q) {
			*out = append(*out, s)
		}
	}
	return nil
}

func inRange(t time.Time, q Search) bool {
	return (q.From.IsZero() || !t.Before(q.From)) && (q.To.IsZero() || t.Before(q.To))
}

// scanPrefix reads index keys "prefix…|time ref" within the date range. A
// partial customer number matches many numbers, so every match is read;
// an exact product key is walked from its newest sale backwards and stops
// at Limit, so a best seller costs no more than a rare product.
func scanPrefix(b *bolt.Bucket, prefix []byte, q Search, exact bool) []timedRef {
	var out []timedRef
	c := b.Cursor()
	add := func(k []byte) {
		// The prefix (digits, or a product key) ends at the first '|' after
		// it; the 8 time bytes after that may hold any byte, '|' included.
		bar := bytes.IndexByte(k[len(prefix)-1:], '|') + len(prefix) - 1
		if bar < len(prefix)-1 || len(k)-bar-1 < 9 {
			return
		}
		rest := k[bar+1:]
		at := binary.BigEndian.Uint64(rest[:8])
		if inRange(time.Unix(0, int64(at)), q) {
			out = append(out, timedRef{at, string(rest[8:])})
		}
	}
	if !exact {
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			add(k)
		}
		return out
	}
	k, _ := c.Seek(append(append([]byte{}, prefix...), 0xff))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < q.Limit; k, _ = c.Prev() {
		add(k)
	}
	return out
}

// scanTime walks the time index backwards from the end of the range.
func scanTime(tx *bolt.Tx, q Search) []timedRef {
	var out []timedRef
	c := tx.Bucket(bucketByTime).Cursor()
	var k []byte
	if q.To.IsZero() {
		k, _ = c.Last()
	} else {
		c.Seek(u64(uint64(q.To.UnixNano())))
		k, _ = c.Prev()
	}
	from := uint64(0)
	if !q.From.IsZero() {
		from = uint64(q.From.UnixNano())
	}
	for ; k != nil && len(out) < q.Limit; k, _ = c.Prev() {
		at := binary.BigEndian.Uint64(k[:8])
		if at < from {
			break
		}
		out = append(out, timedRef{at, string(k[8:])})
	}
	return out
}

// matchProducts finds the product keys whose name holds every word.
func matchProducts(tx *bolt.Tx, text string) []string {
	words := strings.Fields(strings.ToLower(text))
	var keys []string
	_ = tx.Bucket(bucketProducts).ForEach(func(k, v []byte) error {
		name := strings.ToLower(string(v)) + " " + strings.ToLower(string(k))
		for _, w := range words {
			if !strings.Contains(name, w) {
				return nil
			}
		}
		keys = append(keys, string(k))
		return nil
	})
	return keys
}

// MinSuffixDigits is the fewest last digits of a customer number a search
// finds a sale by ("4567" for 771234567): fewer would match most sales.
const MinSuffixDigits = 4

// SuffixWindow is how many of the newest sales (in the date range, when
// one is given) a search by a number's last digits looks through. The
// customer index is keyed by the number's first digits, so its end cannot
// be looked up; reading the newest sales' summaries instead keeps the
// search bounded — about two months at a busy kiosk, a few milliseconds —
// whatever the journal's size. Older sales are found by the whole number,
// its first digits or a date.
const SuffixWindow = 50_000

// suffixWindow is SuffixWindow; a test lowers it to see the bound hold.
var suffixWindow = SuffixWindow

// scanSuffix walks the time index back from the end of the range, through
// at most SuffixWindow sales, for customer numbers ending in digits.
func scanSuffix(tx *bolt.Tx, digits string, q Search) []timedRef {
	var out []timedRef
	c := tx.Bucket(bucketByTime).Cursor()
	var k, v []byte
	if q.To.IsZero() {
		k, v = c.Last()
	} else {
		c.Seek(u64(uint64(q.To.UnixNano())))
		k, v = c.Prev()
	}
	from := uint64(0)
	if !q.From.IsZero() {
		from = uint64(q.From.UnixNano())
	}
	for n := 0; k != nil && n < suffixWindow && len(out) < q.Limit; k, v = c.Prev() {
		n++
		at := binary.BigEndian.Uint64(k[:8])
		if at < from {
			break
		}
		if cust, ok := summaryCustomer(v); ok && endsWithDigits(cust, digits) {
			out = append(out, timedRef{at, string(k[8:])})
		}
	}
	return out
}

// summaryCustomer reads only the customer's number of an encoded summary:
// in both forms it is the sixth string, after the reference, provider,
// product id, product name and brand (encodeSummary).
func summaryCustomer(b []byte) ([]byte, bool) {
	if len(b) == 0 || (b[0] != summaryV1 && b[0] != summaryV2) {
		return nil, false
	}
	b = b[1:]
	for i := 0; i < 6; i++ {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return nil, false
		}
		if i == 5 {
			return b[w : w+int(n)], true
		}
		b = b[w+int(n):]
	}
	return nil, false
}

// endsWithDigits reports whether the digits of number end in digits.
func endsWithDigits(number []byte, digits string) bool {
	j := len(digits) - 1
	for i := len(number) - 1; i >= 0 && j >= 0; i-- {
		switch c := number[i]; {
		case c < '0' || c > '9':
		case c != digits[j]:
			return false
		default:
			j--
		}
	}
	return j < 0
}

// union is a with the references of b it does not have.
func union(a, b []timedRef) []timedRef {
	seen := make(map[string]bool, len(a))
	for _, r := range a {
		seen[r.ref] = true
	}
	for _, r := range b {
		if !seen[r.ref] {
			a = append(a, r)
			seen[r.ref] = true
		}
	}
	return a
}
