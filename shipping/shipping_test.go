package shipping

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/eod"
	"kiosk/hq"
	"kiosk/hq/pgtest"
	"kiosk/money"
	"kiosk/secret"
	"kiosk/storage"
)

func sar(s string) money.Money { return money.New(money.MustParse(s), "SAR") }

// journalAt opens a journal with its outbox at path, on the fake clock.
func journalAt(t testing.TB, path string, c *clock.Fake) *storage.Journal {
	t.Helper()
	sealer, err := storage.NewSealer(make([]byte, storage.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	j, err := storage.Open(path, storage.Options{Terminal: 9, Sealer: sealer, Outbox: true, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// sell records a sale as the engine would: prepared, then its outcome,
// with a PIN and a serial that must never leave the kiosk.
func sell(t testing.TB, j *storage.Journal, c *clock.Fake, i int, state string) string {
	t.Helper()
	now := c.Now()
	r := &storage.SaleRecord{Terminal: "T009", Clerk: "amal", Provider: "bitaqaty", State: "prepared", Open: true,
		Customer: "966500000123", Created: now, Updated: now,
		History: []storage.TransitionRecord{{At: now, State: "prepared", By: "amal"}},
		Product: storage.ProductRecord{ID: "2862", Name: "iTunes 50 SAR", Brand: "iTunes"},
		Quote:   storage.QuoteRecord{Cost: sar("52.90"), CostVAT: sar("6.90"), Retail: sar("57.50"), RetailVAT: sar("7.50")}}
	if err := j.Prepare(r); err != nil {
		t.Fatal(err)
	}
	_, err := j.UpdateSale(r.Ref, func(x *storage.SaleRecord) error {
		x.State, x.Open = state, state == "needs_review"
		x.History = append(x.History, storage.TransitionRecord{At: c.Now(), State: state})
		if state == "succeeded" {
			x.Charged = x.Quote.Cost
			x.Vouchers = []storage.VoucherRecord{{Serial: fmt.Sprintf("SER-%06d", i), PIN: fmt.Sprintf("PIN-%04d-%04d", i, i*7)}}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return r.Ref
}

func decide(t testing.TB, j *storage.Journal, c *clock.Fake, ref string) {
	t.Helper()
	_, err := j.UpdateSale(ref, func(x *storage.SaleRecord) error {
		x.State, x.Open = "failed", false
		x.History = append(x.History, storage.TransitionRecord{At: c.Now(), State: "failed", Note: "supervisor: not sold", By: "sara"})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func drain(t testing.TB, url string, j *storage.Journal, c *clock.Fake) hq.Result {
	t.Helper()
	link := hq.NewLink(hq.Options{URL: secret.New(url), Now: c.Now, ConnectTimeout: 5 * time.Second},
		hq.Terminal{Number: 9, Epoch: j.Epoch(), Name: "T009"})
	defer link.Close()
	sh := &hq.Shipper{Outbox: Outbox{J: j}, To: link, Batch: 3, Now: c.Now}
	res, err := sh.Drain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Every kind of entry reaches head office from the journal's outbox as
// the journal holds it now, and nothing of it that must stay: no PIN, no
// serial, no whole customer number, no mismatch's serial.
func TestEveryKindShipsWithoutPINs(t *testing.T) {
	url := pgtest.NewDatabase(t)
	c := clock.NewTicking(clock.Start, time.Second)
	j := journalAt(t, filepath.Join(t.TempDir(), "journal.db"), c)
	defer j.Close()
	sold := sell(t, j, c, 1, "succeeded")
	review := sell(t, j, c, 2, "needs_review")
	decide(t, j, c, review)

	rep := eod.Report{Day: "2026-11-24", Totals: []eod.Total{{Provider: "bitaqaty", Currency: "SAR", Sales: 1,
		Cost: sar("52.90"), Retail: sar("57.50"), VAT: sar("7.50")}},
		Cash:       []eod.CashLine{{Currency: "SAR", Float: money.FromInt(100), Sales: money.MustParse("57.50"), Expected: money.MustParse("157.50")}},
		Mismatches: []eod.Mismatch{{Kind: eod.ChargedNotSold, Provider: "bitaqaty", Ref: "0099999990000001", Serial: "SER-STRANGER", PINMasked: "****4321"}}}
	raw, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	z := &storage.ZRecord{Day: "2026-11-24", From: clock.Start.Add(-time.Hour), To: clock.Start.Add(23 * time.Hour),
		ClosedAt: c.Now(), ClosedBy: "sara", Report: raw}
	m := storage.MismatchRecord{Kind: "charged_not_sold", Provider: "bitaqaty", Ref: "0099999990000001", Day: "2026-11-24",
		Serial: "SER-STRANGER", PINMasked: "****4321", Vouchers: []storage.VoucherRecord{{Serial: "SER-STRANGER", PIN: "PIN-STRANGER"}}}
	if err := j.CloseDay(z, []storage.MismatchRecord{m}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.SettleMismatch(m, storage.SettlementRecord{By: "sara", Reason: "refunded by Bitaqaty"}, "refund 7 seen"); err != nil {
		t.Fatal(err)
	}

	if res := drain(t, url, j, c); res.Shipped != 7 {
		t.Fatalf("shipped %d entries, want 7 (2 sales, the decided one again, a decision, a Z-report, a settlement, a note)", res.Shipped)
	}
	for sql, want := range map[string]int64{
		"select count(*) from sales": 2,
		"select count(*) from sales where ref = '" + sold + "' and state = 'succeeded'":                         1,
		"select count(*) from sales where ref = '" + review + "' and state = 'failed'":                          1,
		"select count(*) from sales where customer_masked = '*********123'":                                     2,
		"select count(*) from sales where cost = 52.90 and cost_vat = 6.90":                                     2,
		"select count(*) from decisions where decided_by = 'sara' and reason = 'not sold' and state = 'failed'": 1,
		"select count(*) from z_reports where z = 1 and mismatches = 1":                                         1,
		"select count(*) from z_totals where sales = 1 and retail = 57.50":                                      1,
		"select count(*) from z_cash where currency = 'SAR' and expected = 157.50":                              1,
		"select count(*) from settled_mismatches where settled_by = 'sara' and reason = 'refunded by Bitaqaty'": 1,
		"select count(*) from notes where text = 'refund 7 seen'":                                               1,
	} {
		if got := pgtest.QueryInt(t, url, sql); got != want {
			t.Errorf("%s: %d, want %d", sql, got, want)
		}
	}
	if n, _, err := j.OutboxBacklog(); err != nil || n != 0 {
		t.Fatalf("outbox after the shipment: %d, %v", n, err)
	}
	dump := pgtest.Dump(t, url)
	for _, secret := range []string{"PIN-0001", "SER-000001", "SER-STRANGER", "PIN-STRANGER", "****4321", "966500000123"} {
		if strings.Contains(dump, secret) {
			t.Errorf("head office holds %q", secret)
		}
	}
}
