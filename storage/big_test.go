package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"kiosk/money"
)

// refOf finds the reference of the k-th sale (the run it was built under
// is the builder's, not this opening's).
func refOf(b *testing.B, j *Journal, k int) string {
	rs, err := j.Recent(1, time.Time{})
	if err != nil || len(rs) == 0 {
		b.Fatal(err)
	}
	return fmt.Sprintf("%s%07d", rs[0].Ref[:9], k)
}

// bigJournal returns a journal file with n settled sales over a year and
// `open` sales still open, imported in large commits and kept in the temp
// directory between runs (a million sales take a few minutes to build).
func bigJournal(b *testing.B, n, open int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("kiosk-bench-%d-%d-v%d.db", n, open, SchemaVersion))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".building"
	os.Remove(tmp)
	j, err := Open(tmp, Options{Terminal: 1, Sealer: testSealer(b)})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC)
	step := 365 * 24 * time.Hour / time.Duration(n+open)
	const batch = 20000
	recs := make([]SaleRecord, 0, batch)
	for i := 0; i < n+open; i += batch {
		recs = recs[:0]
		for k := i; k < min(i+batch, n+open); k++ {
			r := benchSale(k, start.Add(time.Duration(k)*step))
			r.Ref = fmt.Sprintf("001%s%07d", j.run, k+1)
			r.State = "succeeded"
			if k >= n {
				r.State, r.Open = "in_doubt", true
			}
			r.History = []TransitionRecord{{At: r.Created, State: "prepared"}, {At: r.Created.Add(time.Second), State: r.State}}
			recs = append(recs, r)
		}
		if err := j.Import(recs); err != nil {
			b.Fatal(err)
		}
	}
	j.Close()
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchSale(k int, at time.Time) SaleRecord {
	v := int64(5 + k%100)
	cust := fmt.Sprintf("77%07d", k%50000)
	return SaleRecord{
		Terminal: "T001", Clerk: "amal", Provider: "bitaqaty", Created: at, Updated: at, Customer: cust,
		Product: ProductRecord{ID: fmt.Sprint(1000 + k%500), Name: fmt.Sprintf("Card %d SAR #%d", v, k%500),
			Brand: "Brand", Kind: "topup", PriceKind: "fixed",
			Price: money.New(money.FromInt(v+1), "SAR"), Cost: money.New(money.FromInt(v), "SAR"),
			Fields:   []FieldRecord{{Name: "mobile", Label: "Mobile number", Kind: "phone", Required: true, MinLen: 9, MaxLen: 9}},
			HowToUse: "Dial *123*PIN# to recharge."},
		Quote: QuoteRecord{Fields: map[string]string{"mobile": cust},
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
		{Text: refOf(b, j, 500000)},
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

// BenchmarkBackupMillion: a hot backup of a journal with 1,000,000 sales
// (one read transaction, the copy fsynced, the manifest beside it).
func BenchmarkBackupMillion(b *testing.B) {
	path := bigJournal(b, 1_000_000, 10)
	j, err := Open(path, Options{Terminal: 1, ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for b.Loop() {
		dir := b.TempDir()
		m, err := j.Backup(dir, BackupOptions{})
		if err != nil || m.Sales != 1_000_010 {
			b.Fatalf("backup: %d sales, %v", m.Sales, err)
		}
		b.StopTimer()
		os.RemoveAll(dir)
		b.StartTimer()
	}
}

// BenchmarkSuffixSearchMillion searches 1,000,000 sales by a customer
// number's last digits: a number found among the newest sales, and one
// no sale has, which reads the whole window.
func BenchmarkSuffixSearchMillion(b *testing.B) {
	path := bigJournal(b, 1_000_000, 10)
	j, err := Open(path, Options{Terminal: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	for _, tt := range []struct {
		name, digits string
		found        bool
	}{{"found", "2345", true}, {"no such number", "99999", false}} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				res, err := j.Search(Search{Text: tt.digits})
				if err != nil || (len(res) > 0) != tt.found {
					b.Fatalf("%d results, %v", len(res), err)
				}
			}
		})
	}
}
