package storage

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/money"
	"kiosk/providers"
)

// bigJournal returns a journal file with n settled sales over a year and
// `open` sales still open, built once in large transactions and kept in
// the temp directory between runs (building a million sales takes a while).
func bigJournal(b *testing.B, n, open int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("kiosk-bench-%d-%d-v2.db", n, open))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".building"
	os.Remove(tmp)
	j, err := Open(tmp, Options{Terminal: 1})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC)
	step := 365 * 24 * time.Hour / time.Duration(n+open)
	const batch = 20000
	for i := 0; i < n+open; i += batch {
		err := j.update(func(tx *bolt.Tx) error {
			for k := i; k < min(i+batch, n+open); k++ {
				s := benchSale(k, start.Add(time.Duration(k)*step))
				s.Ref = fmt.Sprintf("001%s%08d", j.epoch, k+1)
				state := Succeeded
				if k >= n {
					state = InDoubt
				}
				s.History = []Transition{{At: s.Created, State: Prepared}, {At: s.Created.Add(time.Second), State: state}}
				s.State = state
				if err := j.put(tx, s); err != nil {
					return err
				}
				if state.Open() {
					if err := tx.Bucket(bucketOpen).Put([]byte(s.Ref), nil); err != nil {
						return err
					}
				}
				if err := tx.Bucket(bucketByTime).Put(timeKey(s.Created, s.Ref), nil); err != nil {
					return err
				}
				if err := j.index(tx, s); err != nil {
					return err
				}
			}
			seq := make([]byte, 8)
			binary.BigEndian.PutUint64(seq, uint64(min(i+batch, n+open)))
			return tx.Bucket(bucketMeta).Put(keySeq, seq)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	j.Close()
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchSale(k int, at time.Time) *Sale {
	v := int64(5 + k%100)
	return &Sale{
		Terminal: "T001", Clerk: "amal", Provider: "bitaqaty", Created: at, Updated: at,
		Product: providers.Product{Provider: "bitaqaty", ID: fmt.Sprint(1000 + k%500), Name: fmt.Sprintf("Card %d SAR #%d", v, k%500),
			Brand: "Brand", Kind: providers.KindTopUp, Available: true, PriceKind: providers.PriceFixed,
			Price: money.New(money.FromInt(v+1), "SAR"), Cost: money.New(money.FromInt(v), "SAR"),
			Fields:   []providers.Field{{Name: "mobile", Label: "Mobile number", Kind: providers.FieldPhone, Required: true, MinLen: 9, MaxLen: 9}},
			HowToUse: "Dial *123*PIN# to recharge."},
		Quote: providers.Quote{Fields: map[string]string{"mobile": fmt.Sprintf("77%07d", k%50000)},
			Cost: money.New(money.FromInt(v), "SAR"), Retail: money.New(money.FromInt(v+1), "SAR")},
	}
}

// BenchmarkRecoveryListMillion: start-up with 1,000,000 settled sales and
// 10 open ones — open the journal and read the open-sales list.
func BenchmarkRecoveryListMillion(b *testing.B) {
	path := bigJournal(b, 1_000_000, 10)
	b.ResetTimer()
	for b.Loop() {
		j, err := Open(path, Options{Terminal: 1, ReadOnly: false})
		if err != nil {
			b.Fatal(err)
		}
		open, err := j.OpenSales()
		if err != nil || len(open) != 10 {
			b.Fatalf("%d open sales, %v", len(open), err)
		}
		j.Close()
	}
}

// BenchmarkHistorySearchMillion searches 1,000,000 sales by customer
// number, by product and by date.
func BenchmarkHistorySearchMillion(b *testing.B) {
	path := bigJournal(b, 1_000_000, 10)
	j, err := Open(path, Options{Terminal: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	day := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	for _, q := range []Search{
		{Text: "770012345"},
		{Text: "770012"},
		{Text: "card 50 sar #45"},
		{From: day, To: day.Add(24 * time.Hour)},
		{Text: fmt.Sprintf("001%s00500000", j.epoch)},
	} {
		name := q.Text
		if name == "" {
			name = "date"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				res, err := j.Search(q)
				if err != nil || len(res) == 0 {
					b.Fatalf("%d results, %v", len(res), err)
				}
			}
		})
	}
}
