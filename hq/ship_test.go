package hq

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"kiosk/clock"
	"kiosk/money"
)

// row reads one row of a query as text, column by column.
func (r *rig) row(t testing.TB, sql string, args ...any) []string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), r.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("%s: no row (%v)", sql, rows.Err())
	}
	vals, err := rows.Values()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		if tm, ok := v.(time.Time); ok {
			v = tm.UTC().Format(time.RFC3339)
		}
		out[i] = fmt.Sprint(v)
	}
	return out
}

// everyKind is one entry of each kind, terminal 3's.
func everyKind() []Entry {
	sale := sold(3, 1)
	sale.Fee = sar("1.25")
	sale.Quantity = 2
	counted := money.MustParse("480.50")
	at := clock.Start.Add(8 * time.Hour)
	return []Entry{
		saleEntry(1, sale),
		{Seq: 2, Kind: KindDecision, Decision: &Decision{Ref: ref(3, 9), At: at, By: "sara", State: "failed", Reason: "portal shows no charge"}},
		{Seq: 3, Kind: KindZReport, ZReport: &ZReport{Number: 7, Day: "2026-11-24", From: clock.Start.Add(-10 * time.Hour),
			To: clock.Start.Add(14 * time.Hour), ClosedAt: at, ClosedBy: "sara", Mismatches: 1, NotCounted: 2,
			Totals: []ZTotal{{Provider: "bitaqaty", Currency: "SAR", Sales: 9, Retail: money.MustParse("465.75"),
				VAT: money.MustParse("2.07"), Cost: money.MustParse("436.5")}},
			Cash: []ZCash{{Currency: "SAR", Float: money.MustParse("100"), Sales: money.MustParse("465.75"),
				Expected: money.MustParse("565.75"), Counted: &counted}, {Currency: "YER", Expected: money.Zero}}}},
		{Seq: 4, Kind: KindSettled, Settled: &Mismatch{Kind: "charged_not_sold", Provider: "bitaqaty", Ref: ref(3, 9),
			Day: "2026-11-24", Z: 7, JournalState: "failed", ProviderState: "succeeded", Cost: sar("48.50"),
			Charged: sar("48.50"), ProviderRef: "BB9", Detail: "charged by the provider, failed here",
			SettledAt: at, SettledBy: "sara", Reason: "refund asked"}},
		{Seq: 5, Kind: KindNote, Note: &Note{Z: 7, Seq: 1, At: at, By: "sara", Text: "drawer short: coins"}},
	}
}

func TestShipStoresEachKindAsSent(t *testing.T) {
	r := newRig(t)
	s := r.sender(t, 3, "epoch-3")
	batch := everyKind()
	if err := s.Ship(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, sql string
		want      []string
	}{
		{"sale", `SELECT terminal, ref, seq, clerk, created_at, provider, product_id, product, customer_masked, state,
			provider_ref, quantity, retail::text, retail_currency, retail_vat::text, retail_before_vat::text,
			cost::text, cost_currency, fee::text, fee_currency, charged::text, cost_vat_currency FROM sales`,
			[]string{"3", ref(3, 1), "1", "amal", "2026-11-24T07:00:01Z", "bitaqaty", "2862", "iTunes Gift Card 50 SAR",
				"******123", "succeeded", "BB00000001", "2", "51.750000", "SAR", "0.230000", "51.520000",
				"48.500000", "SAR", "1.250000", "SAR", "48.500000", ""}},
		{"decision", "SELECT ref, seq, decided_at, decided_by, state, reason FROM decisions",
			[]string{ref(3, 9), "2", "2026-11-24T15:00:00Z", "sara", "failed", "portal shows no charge"}},
		{"Z-report", "SELECT z, day::text, from_at, to_at, closed_by, mismatches, not_counted FROM z_reports",
			[]string{"7", "2026-11-24", "2026-11-23T21:00:00Z", "2026-11-24T21:00:00Z", "sara", "1", "2"}},
		{"Z totals", "SELECT provider, currency, cost_currency, sales, retail::text, vat::text, cost::text FROM z_totals",
			[]string{"bitaqaty", "SAR", "", "9", "465.750000", "2.070000", "436.500000"}},
		{"Z cash counted", "SELECT float::text, expected::text, counted::text FROM z_cash WHERE currency = 'SAR'",
			[]string{"100.000000", "565.750000", "480.500000"}},
		{"Z cash not counted", "SELECT counted IS NULL FROM z_cash WHERE currency = 'YER'", []string{"true"}},
		{"settled", "SELECT kind, ref, day::text, z, journal_state, charged::text, settled_by, reason FROM settled_mismatches",
			[]string{"charged_not_sold", ref(3, 9), "2026-11-24", "7", "failed", "48.500000", "sara", "refund asked"}},
		{"note", "SELECT z, note_seq, seq, noted_by, text FROM notes", []string{"7", "1", "5", "sara", "drawer short: coins"}},
		{"terminal", "SELECT terminal, epoch, name, last_seq, last_contact FROM terminals",
			[]string{"3", "epoch-3", "T003", "5", "2026-11-24T07:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.row(t, tt.sql)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Shipping again — the same batch, an older version after a newer, two
// versions in one batch — leaves one row per key, at its latest version.
func TestShipIsIdempotentAndKeepsTheLatestVersion(t *testing.T) {
	review := func(seq uint64, i int) Entry {
		s := sold(1, i)
		s.State, s.ProviderRef = "needs_review", ""
		return saleEntry(seq, s)
	}
	z := func(seq uint64) Entry {
		return Entry{Seq: seq, Kind: KindZReport, ZReport: &ZReport{Number: 1, Day: "2026-11-24", From: clock.Start,
			To: clock.Start.Add(time.Hour), ClosedAt: clock.Start.Add(time.Hour), ClosedBy: "sara",
			Totals: []ZTotal{{Provider: "bitaqaty", Currency: "SAR", Sales: 1}}}}
	}
	tests := []struct {
		name      string
		batches   [][]Entry
		rows      int64 // sales rows
		state     string
		seq       int64
		zTotals   int64
		lastSeq   int64
		lastState string
	}{
		{"same batch twice", [][]Entry{sales(1, 1, 3), sales(1, 1, 3)}, 3, "succeeded", 1, 0, 3, ""},
		{"review then sold, two batches", [][]Entry{{review(1, 1)}, {saleEntry(2, sold(1, 1))}}, 1, "succeeded", 2, 0, 2, ""},
		{"review then sold, one batch", [][]Entry{{review(1, 1), saleEntry(2, sold(1, 1))}}, 1, "succeeded", 2, 0, 2, ""},
		{"newer shipped, then the older again", [][]Entry{{review(1, 1), saleEntry(2, sold(1, 1))}, {review(1, 1)}},
			1, "succeeded", 2, 0, 2, ""},
		{"Z-report twice", [][]Entry{{z(1)}, {z(1)}, {saleEntry(2, sold(1, 1))}}, 1, "succeeded", 2, 1, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			s := r.sender(t, 1, "e1")
			for _, b := range tt.batches {
				if err := s.Ship(context.Background(), b); err != nil {
					t.Fatal(err)
				}
			}
			if n := r.count(t, "SELECT count(*) FROM sales"); n != tt.rows {
				t.Errorf("sales rows = %d, want %d", n, tt.rows)
			}
			got := r.row(t, "SELECT state, seq FROM sales WHERE ref = $1", ref(1, 1))
			if got[0] != tt.state || got[1] != fmt.Sprint(tt.seq) {
				t.Errorf("sale 1 = %v, want %s at seq %d", got, tt.state, tt.seq)
			}
			if n := r.count(t, "SELECT count(*) FROM z_totals"); n != tt.zTotals {
				t.Errorf("z_totals rows = %d, want %d", n, tt.zTotals)
			}
			if n := r.count(t, "SELECT last_seq FROM terminals"); n != tt.lastSeq {
				t.Errorf("last_seq = %d, want %d", n, tt.lastSeq)
			}
		})
	}
}

func TestTerminalNumberOfAnotherKioskIsRefused(t *testing.T) {
	r := newRig(t)
	if err := r.sender(t, 5, "journal-A").Ship(context.Background(), sales(5, 1, 2)); err != nil {
		t.Fatal(err)
	}
	other, err := r.db.Sender(Terminal{Number: 5, Epoch: "journal-B", Name: "T005-back-shop"})
	if err != nil {
		t.Fatal(err)
	}
	err = other.Ship(context.Background(), sales(5, 1, 4))
	if !errors.Is(err, ErrTerminalUsed) {
		t.Fatalf("err = %v, want ErrTerminalUsed", err)
	}
	for _, want := range []string{"terminal 5", "journal epoch journal-A", "T005,", "T005-back-shop with journal epoch journal-B"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q, want it to name %q", err, want)
		}
	}
	if n := r.count(t, "SELECT count(*) FROM sales"); n != 2 {
		t.Errorf("sales = %d after the refusal, want the first kiosk's 2", n)
	}
	if got := r.row(t, "SELECT epoch, last_seq FROM terminals WHERE terminal = 5"); got[0] != "journal-A" || got[1] != "2" {
		t.Errorf("terminal 5 = %v, want journal-A's, untouched", got)
	}
}

// A malformed entry, or a batch out of order, sends nothing at all.
func TestBadBatchSendsNothing(t *testing.T) {
	unmasked := sold(1, 2)
	unmasked.Customer = "771234567"
	noRef := sold(1, 2)
	noRef.Ref = ""
	tests := []struct {
		name string
		bad  Entry
		want string
	}{
		{"customer number not masked", saleEntry(2, unmasked), "customer number is not masked"},
		{"no reference", saleEntry(2, noRef), "sale without a reference"},
		{"kind and payload differ", Entry{Seq: 2, Kind: KindNote, Sale: sold(1, 2)}, `kind "note" does not match`},
		{"two payloads", Entry{Seq: 2, Kind: KindSale, Sale: sold(1, 2), Note: &Note{}}, "2 payloads set"},
		{"sequence zero", saleEntry(0, sold(1, 2)), "sequence 0"},
		{"out of order", saleEntry(1, sold(1, 2)), "entry 1 follows entry 1"},
		{"decision without reason", Entry{Seq: 2, Kind: KindDecision, Decision: &Decision{Ref: "x", At: clock.Start, By: "sara", State: "failed"}},
			"who, when and why"},
		{"Z-report with a bad day", Entry{Seq: 2, Kind: KindZReport, ZReport: &ZReport{Number: 1, Day: "24/11/2026",
			From: clock.Start, To: clock.Start.Add(time.Hour), ClosedAt: clock.Start}}, "is not a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			err := r.sender(t, 1, "e1").Ship(context.Background(), []Entry{saleEntry(1, sold(1, 1)), tt.bad})
			if !errors.Is(err, ErrBadEntry) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrBadEntry saying %q", err, tt.want)
			}
			if n := r.count(t, "SELECT count(*) FROM sales") + r.count(t, "SELECT count(*) FROM terminals"); n != 0 {
				t.Errorf("%d rows stored from a refused batch", n)
			}
		})
	}
}

// A second shipper of a terminal waits for the first to commit and says so.
func TestSecondShipperOfATerminalWaitsAndSaysSo(t *testing.T) {
	r := newRig(t)
	s := r.sender(t, 2, "e2")
	// The first shipper, mid-transaction: it holds the terminal.
	hold, err := pgx.Connect(context.Background(), r.url)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close(context.Background())
	tx, err := hold.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(context.Background(), "SELECT pg_advisory_xact_lock($1, $2)", lockClass, 2); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Ship(context.Background(), sales(2, 1, 5)) }()
	waitFor(t, "the second shipper to say it waits", func() bool {
		for _, l := range r.logs.all() {
			if strings.Contains(l, "another shipper is sending terminal 2's entries; waiting") {
				return true
			}
		}
		return false
	})
	select {
	case err := <-done:
		t.Fatalf("the second shipper did not wait: %v", err)
	default:
	}
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("after the first one finished: %v", err)
	}
	if n := r.count(t, "SELECT count(*) FROM sales"); n != 5 {
		t.Errorf("sales = %d, want 5", n)
	}
}

// Two shippers draining one terminal's outbox at once: every entry once.
func TestTwoShippersDrainingOneOutbox(t *testing.T) {
	r := newRig(t)
	box := &memOutbox{}
	box.add(sales(6, 1, 3000)...)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sh := &Shipper{Outbox: box, To: r.sender(t, 6, "e6"), Batch: 100}
			_, errs[i] = sh.Drain(context.Background())
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if box.left() != 0 {
		t.Errorf("outbox has %d entries left", box.left())
	}
	if n := r.count(t, "SELECT count(*) FROM sales WHERE terminal = 6"); n != 3000 {
		t.Errorf("sales = %d, want 3000", n)
	}
	if n := r.count(t, "SELECT count(DISTINCT ref) FROM sales"); n != 3000 {
		t.Errorf("distinct references = %d, want 3000", n)
	}
}

// waitFor polls cond until it holds, failing after a generous limit.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for range 3000 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("gave up waiting for %s", what)
}
