package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/money"
	"kiosk/providers"
)

// TestDaySalesReadsWhatBetweenReads: the quick reader gives the same
// summaries as a full decode, for awkward names too, and for records
// written in another JSON layout (it falls back to the full decode).
func TestDaySalesReadsWhatBetweenReads(t *testing.T) {
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
			if _, err := j.Move(s.Ref, Succeeded, "ok", "", func(x *Sale) {
				x.Message, x.Charged = `done "fine"`, money.New(money.MustParse("50"), "SAR")
				x.Vouchers = []providers.Voucher{{Serial: "S1", PIN: "1234-5678"}}
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// One record rewritten indented and with an escaped key: the quick
	// reader must not be fooled by either.
	if err := j.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSales)
		var m map[string]any
		if err := json.Unmarshal(b.Get([]byte(refs[3])), &m); err != nil {
			return err
		}
		v, _ := json.MarshalIndent(m, "", "  ")
		v = bytes.Replace(v, []byte(`"provider"`), []byte(`"provid\u0065r"`), 1)
		return b.Put([]byte(refs[3]), v)
	}); err != nil {
		t.Fatal(err)
	}

	from, to := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	full, err := j.Between(from, to)
	if err != nil {
		t.Fatal(err)
	}
	quick, err := j.DaySales(from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(quick) != len(names) || len(full) != len(names) {
		t.Fatalf("DaySales %d, Between %d, want %d", len(quick), len(full), len(names))
	}
	for i := range full {
		want := summaryOf(full[i])
		if !reflect.DeepEqual(quick[i], want) {
			t.Errorf("sale %d:\n quick %+v\n full  %+v", i, quick[i], want)
		}
	}
	if got, _ := j.DaySales(time.Date(2026, 11, 24, 8, 3, 0, 0, time.UTC), to); len(got) != 3 {
		t.Errorf("DaySales from the third minute: %d sales", len(got))
	}

	states, err := j.SaleStates([]string{refs[0], refs[1], "9999"})
	if err != nil || len(states) != 2 || states[refs[0]] != Succeeded || states[refs[1]] != Prepared {
		t.Fatalf("SaleStates = %v, %v", states, err)
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
	mk := func(day string) *ZReport {
		return &ZReport{Day: day, From: at.Add(-24 * time.Hour), To: at, ClosedAt: at, ClosedBy: "amal", Report: json.RawMessage(`{"day":"` + day + `"}`)}
	}
	charged := Mismatch{Kind: ChargedNotSold, Provider: "bitaqaty", Ref: "100", Detail: "charged",
		Vouchers: []providers.Voucher{{Serial: "S9", PIN: "PIN-SECRET-777"}}, PINMasked: Mask("PIN-SECRET-777")}
	unknown := Mismatch{Kind: UnknownToProvider, Provider: "bitaqaty", Ref: "101", Detail: "unknown"}
	// Settled before the close: the close keeps the settlement.
	if _, err := j.SettleMismatch(unknown, Settlement{By: "amal", Reason: "test sale"}); err != nil {
		t.Fatal(err)
	}
	z := mk("2026-11-24")
	if err := j.CloseDay(z, []Mismatch{charged, unknown}); err != nil || z.Number != 1 {
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
	if err := j.View(func(tx *bolt.Tx) error {
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
	if _, err := j.SettleMismatch(charged, Settlement{By: "huda", Reason: "PIN given to the customer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.SettleMismatch(charged, Settlement{By: "huda", Reason: "again"}); err == nil || !strings.Contains(err.Error(), "already settled") {
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
