package storage

import (
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/money"
)

// TestSummariesFollowTheSales: the time index's summaries are what the
// records say, awkward names included, and change with each sale.
func TestSummariesFollowTheSales(t *testing.T) {
	clock := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	j, err := Open(filepath.Join(t.TempDir(), "j.db"), Options{Terminal: 1, Sealer: mustSealer(t), Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	names := []string{`iTunes "50" \ SAR`, "بطاقة آيتونز\n٥٠", "}{][,:", `\\"`, ""}
	var refs []string
	for i, name := range names {
		clock = clock.Add(time.Minute)
		s := newSale()
		s.Created = clock
		s.Product.Name = name
		s.Quote.Cost = money.New(money.MustParse("52.9"), "SAR")
		if i == 1 {
			s.Quote.Cost = money.New(money.MustParse("13.37"), "USD")
			s.Quote.RetailVAT = money.New(money.MustParse("7.5"), "SAR")
		}
		if err := j.Prepare(s); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, s.Ref)
		if i%2 == 0 {
			if _, err := setState(j, s.Ref, "succeeded", false, func(x *SaleRecord) {
				x.Message, x.Charged, x.Prints = `done "fine"`, money.New(money.MustParse("50"), "SAR"), 1
				x.Vouchers = []VoucherRecord{{Serial: "S1", PIN: "1234-5678"}}
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	from, to := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	full, err := j.Between(from, to)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := j.Summaries(from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != len(names) || len(full) != len(names) {
		t.Fatalf("Summaries %d, Between %d, want %d", len(sums), len(full), len(names))
	}
	for i := range full {
		if want := full[i].Summary(); !reflect.DeepEqual(sums[i], want) {
			t.Errorf("sale %d:\n summary %+v\n record  %+v", i, sums[i], want)
		}
	}
	if got, _ := j.Summaries(time.Date(2026, 11, 24, 8, 3, 0, 0, time.UTC), to); len(got) != 3 {
		t.Errorf("summaries from the third minute: %d sales", len(got))
	}
	states, err := j.States([]string{refs[0], refs[1], "9999"})
	if err != nil || len(states) != 2 || states[refs[0]] != "succeeded" || states[refs[1]] != "prepared" {
		t.Fatalf("States = %v, %v", states, err)
	}
}

func mustSealer(t testing.TB) *Sealer {
	s, err := NewSealer(testKey())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCloseDayOnceAndNotes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	j := openTest(t, path, testKey())
	defer j.Close()
	at := time.Date(2026, 11, 25, 4, 0, 0, 0, time.UTC)
	mk := func(day string) *ZRecord {
		return &ZRecord{Day: day, From: at.Add(-24 * time.Hour), To: at, ClosedAt: at, ClosedBy: "amal", Report: []byte(`{"day":"` + day + `"}`)}
	}
	charged := MismatchRecord{Kind: "charged_not_sold", Provider: "bitaqaty", Ref: "100", Detail: "charged",
		Vouchers: []VoucherRecord{{Serial: "S9", PIN: "PIN-SECRET-777"}}, PINMasked: "***********777"}
	unknown := MismatchRecord{Kind: "unknown_to_provider", Provider: "bitaqaty", Ref: "101", Detail: "unknown"}
	// Settled before the close: the close keeps the settlement.
	if _, err := j.SettleMismatch(unknown, SettlementRecord{By: "amal", Reason: "test sale"}, "settled 101"); err != nil {
		t.Fatal(err)
	}
	z := mk("2026-11-24")
	if err := j.CloseDay(z, []MismatchRecord{charged, unknown}); err != nil || z.Number != 1 {
		t.Fatalf("first close: number %d, %v", z.Number, err)
	}
	if err := j.CloseDay(mk("2026-11-24"), nil); !errors.Is(err, ErrDayClosed) {
		t.Fatalf("second close of a day: %v", err)
	}
	z2 := mk("2026-11-25")
	if err := j.CloseDay(z2, nil); err != nil || z2.Number != 2 {
		t.Fatalf("next day: %d %v", z2.Number, err)
	}
	got, err := j.ZReportOfDay("2026-11-24")
	if err != nil || got == nil || got.Number != 1 || got.ClosedBy != "amal" || string(got.Report) != `{"day":"2026-11-24"}` {
		t.Fatalf("ZReportOfDay = %+v, %v", got, err)
	}
	if none, err := j.ZReportOfDay("2026-11-26"); none != nil || err != nil {
		t.Fatalf("open day: %v %v", none, err)
	}

	stored, err := j.Mismatches()
	if err != nil || len(stored) != 2 {
		t.Fatalf("stored mismatches: %d %v", len(stored), err)
	}
	for _, m := range stored {
		if m.Z != 1 || m.Day != "2026-11-24" {
			t.Errorf("%s: z %d day %s", m.Ref, m.Z, m.Day)
		}
	}
	if stored[1].Ref != "101" || stored[1].Settled == nil || stored[1].Settled.Reason != "test sale" {
		t.Errorf("settlement lost at close: %+v", stored[1])
	}
	if len(stored[0].Vouchers) != 1 || stored[0].Vouchers[0].PIN != "PIN-SECRET-777" {
		t.Errorf("provider PIN not kept: %+v", stored[0])
	}
	if err := j.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				if bytes.Contains(v, []byte("PIN-SECRET-777")) {
					t.Errorf("PIN in the clear in bucket %s key %s", name, k)
				}
				return nil
			})
		})
	}); err != nil {
		t.Fatal(err)
	}

	// Settling a mismatch of a closed day notes it on the day's Z-report.
	if _, err := j.SettleMismatch(charged, SettlementRecord{By: "huda", Reason: "PIN given to the customer"}, "mismatch 100 settled"); err != nil {
		t.Fatal(err)
	}
	if _, err := j.SettleMismatch(charged, SettlementRecord{By: "huda", Reason: "again"}, "again"); err == nil || !strings.Contains(err.Error(), "already settled") {
		t.Fatalf("settled twice: %v", err)
	}
	if _, err := j.AddZNote(1, "huda", "drawer recounted"); err != nil {
		t.Fatal(err)
	}
	if _, err := j.AddZNote(9, "huda", "no such day"); err == nil {
		t.Fatal("note on a Z-report that does not exist")
	}
	if _, err := j.AddZNote(1, "", "anonymous"); err == nil {
		t.Fatal("note without an author")
	}
	notes, err := j.ZNotes(1)
	if err != nil || len(notes) != 2 || !strings.Contains(notes[0].Text, "100") || notes[1].Text != "drawer recounted" {
		t.Fatalf("notes = %+v, %v", notes, err)
	}
	if other, _ := j.ZNotes(2); len(other) != 0 {
		t.Fatalf("notes leaked to Z 2: %+v", other)
	}
	if again, _ := j.ZReportByNumber(1); string(again.Report) != `{"day":"2026-11-24"}` {
		t.Fatalf("Z-report changed: %s", again.Report)
	}
}
