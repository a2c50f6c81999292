package eod_test

import (
	"context"
	"errors"
	"kiosk/eod"
	"kiosk/sale"
	"strings"
	"testing"
	"time"

	"kiosk/money"
)

func date(s string) time.Time {
	d, err := eod.ParseDate(s, time.UTC)
	if err != nil {
		panic(err)
	}
	return d
}

func at(s string) time.Time {
	t, err := time.ParseInLocation(time.DateTime, s, time.UTC)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDayBounds(t *testing.T) {
	riyadh := time.FixedZone("AST", 3*3600)
	from, to := eod.Day(date("2026-11-24"), 4, riyadh)
	if from.String() != "2026-11-24 04:00:00 +0300 AST" || to.String() != "2026-11-25 04:00:00 +0300 AST" {
		t.Fatalf("eod.Day = %v .. %v", from, to)
	}
	for _, c := range []struct{ at, day string }{
		{"2026-11-25 03:59:59", "2026-11-24"},
		{"2026-11-25 04:00:00", "2026-11-25"},
		{"2026-11-24 00:00:00", "2026-11-23"},
	} {
		local, _ := time.ParseInLocation(time.DateTime, c.at, riyadh)
		if got := eod.DayOf(local.UTC(), 4, riyadh).Format(eod.DateLayout); got != c.day {
			t.Errorf("eod.DayOf(%s) = %s, want %s", c.at, got, c.day)
		}
	}
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		// Summer time ends on 1 November 2026: that day has 25 hours.
		from, to := eod.Day(date("2026-11-01"), 0, ny)
		if to.Sub(from) != 25*time.Hour {
			t.Errorf("a day with the clocks going back lasts %v", to.Sub(from))
		}
	}
	if _, err := eod.New(nil, nil, eod.Options{CutoffHour: 24}); err == nil {
		t.Error("cut-off 24 accepted")
	}
}

// TestCutoffBoundaries: a sale a second before the cut-off belongs to the
// day before; one at the cut-off to the new day.
func TestCutoffBoundaries(t *testing.T) {
	r := newRig(t)
	for _, s := range []string{"2026-11-24 03:59:59", "2026-11-24 04:00:00", "2026-11-25 03:59:59", "2026-11-25 04:00:00"} {
		r.clock.Set(at(s))
		r.journal("mor", "6", cur("5", "USD"), cur("4.5", "USD"), sale.Succeeded)
	}
	r.clock.Set(at("2026-11-26 12:00:00"))
	b := r.books(4)
	for day, want := range map[string]int{"2026-11-23": 1, "2026-11-24": 2, "2026-11-25": 1} {
		rep, err := b.Report(context.Background(), date(day), eod.CashCount{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range rep.Totals {
			n += x.Sales
		}
		if n != want {
			t.Errorf("%s: %d sales, want %d", day, n, want)
		}
	}
}

// TestCloseOnceAnnotateCarryOver closes a day with an open mismatch and an
// unsettled sale, refuses a second close, annotates the closed day, and
// follows both into the next day until the mismatch is settled.
func TestCloseOnceAnnotateCarryOver(t *testing.T) {
	r := newRig(t)
	r.clock.Set(at("2026-11-24 10:00:00"))
	b := r.books(0)
	ctx := context.Background()
	unknown := r.journal("bitaqaty", "2862", sar("57.50"), sar("52.90"), sale.Succeeded)
	open := r.journal("mor", "6", cur("5", "USD"), cur("4.5", "USD"), sale.InDoubt)
	// Settled before the close: the Z-report shows it settled, and it is
	// not carried.
	early := r.journal("bitaqaty", "2862", sar("57.50"), sar("52.90"), sale.Succeeded)
	live, err := b.Report(ctx, date("2026-11-24"), eod.CashCount{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Settle(live, early.Ref, "bitaqaty", "training sale", "huda"); err != nil {
		t.Fatal(err)
	}

	r.clock.Set(at("2026-11-25 09:00:00"))
	if _, err := b.Close(ctx, date("2026-11-24"), eod.CashCount{}, "amal"); err == nil || !strings.Contains(err.Error(), "count the cash") {
		t.Fatalf("closed without counting: %v", err)
	}
	if _, err := b.Close(ctx, date("2026-11-26"), eod.CashCount{Counted: []money.Money{sar("0")}}, "amal"); err == nil {
		t.Fatal("closed a day that has not begun")
	}
	z, err := b.Close(ctx, date("2026-11-24"), eod.CashCount{Counted: []money.Money{sar("115")}}, "amal")
	if err != nil {
		t.Fatal(err)
	}
	if z.Number != 1 || z.ClosedBy != "amal" || !z.To.Equal(at("2026-11-25 00:00:00")) || len(z.Mismatches) != 2 {
		t.Fatalf("Z-report: number %d by %s to %v, %d mismatches", z.Number, z.ClosedBy, z.To, len(z.Mismatches))
	}
	for _, m := range z.Mismatches {
		if settled := m.Settled != nil; settled != (m.Ref == early.Ref) {
			t.Errorf("%s settled: %v", m.Ref, m.Settled)
		}
	}
	if text := z.Text(eod.ReceiptWidth); !strings.Contains(text, "settled by huda") || !strings.Contains(text, "(2, 1 open)") {
		t.Errorf("Z text:\n%s", text)
	}
	_, err = b.Close(ctx, date("2026-11-24"), eod.CashCount{Counted: []money.Money{sar("115")}}, "huda")
	if !errors.Is(err, eod.ErrDayClosed) || !strings.Contains(err.Error(), "Z-report 1, closed by amal") {
		t.Fatalf("second close: %v", err)
	}
	stored, _ := r.j.ZReportOfDay("2026-11-24")
	frozen := string(stored.Report)

	if _, err := b.Annotate(date("2026-11-24"), "huda", "drawer recounted: right"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Annotate(date("2026-11-25"), "huda", "not closed"); err == nil {
		t.Fatal("annotated a day that is not closed")
	}
	closed, err := b.Report(ctx, date("2026-11-24"), eod.CashCount{})
	if err != nil {
		t.Fatal(err)
	}
	if !closed.Closed() || closed.Number != 1 || len(closed.Notes) != 1 || !strings.Contains(closed.Text(eod.ReceiptWidth), "drawer recounted") {
		t.Fatalf("closed day: number %d, notes %+v", closed.Number, closed.Notes)
	}
	if len(closed.Mismatches) != 2 || closed.Cash[0].Verdict() != "exact" {
		t.Fatalf("closed day read back: %+v", closed)
	}

	// The next day carries the open mismatch and the sale open at the close.
	r.clock.Set(at("2026-11-25 10:00:00"))
	r.journal("mor", "6", cur("5", "USD"), cur("4.5", "USD"), sale.Succeeded)
	r.setState(open.Ref, sale.Succeeded, "settled late")
	next, err := b.Report(ctx, date("2026-11-25"), eod.CashCount{})
	if err != nil {
		t.Fatal(err)
	}
	carried := map[string]eod.Mismatch{}
	for _, m := range next.Carried {
		carried[m.Ref] = m
	}
	if len(carried) != 2 || carried[unknown.Ref].Kind != eod.UnknownToProvider || carried[open.Ref].Kind != eod.OpenAtClose ||
		!strings.Contains(carried[open.Ref].Detail, "succeeded now") || len(next.Mismatches) != 0 {
		t.Fatalf("carried: %+v, mismatches %+v", next.Carried, next.Mismatches)
	}
	if text := next.Text(eod.ReceiptWidth); !strings.Contains(text, "OPEN FROM EARLIER DAYS (2)") || !strings.Contains(text, "from 2026-11-24") {
		t.Fatalf("text:\n%s", text)
	}
	if len(next.Totals) != 1 || next.Totals[0].Sales != 1 {
		t.Fatalf("day 25 totals: %+v", next.Totals)
	}

	// Settled, it is no longer carried; the closed day keeps its report
	// and gets a note saying so.
	if _, err := b.Settle(next, unknown.Ref, "", "", "huda"); err == nil {
		t.Fatal("settled without a reason")
	}
	if _, err := b.Settle(next, "nope", "", "why", "huda"); err == nil {
		t.Fatal("settled a reference the report does not have")
	}
	if _, err := b.Settle(next, unknown.Ref, "", "test sale entered by hand", "huda"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Settle(next, unknown.Ref, "", "again", "huda"); err == nil {
		t.Fatal("settled twice")
	}
	after, _ := b.Report(ctx, date("2026-11-25"), eod.CashCount{})
	if len(after.Carried) != 1 || after.Carried[0].Ref != open.Ref {
		t.Fatalf("carried after settling: %+v", after.Carried)
	}
	closed, _ = b.Report(ctx, date("2026-11-24"), eod.CashCount{})
	if len(closed.Notes) != 2 || !strings.Contains(closed.Notes[1].Text, "test sale entered by hand") {
		t.Fatalf("closed day after settling: notes %+v", closed.Notes)
	}
	for _, m := range closed.Mismatches {
		if m.Ref == unknown.Ref && m.Settled != nil {
			t.Fatal("the Z-report changed: it shows a settlement made after the close")
		}
	}
	if stored, _ := r.j.ZReportOfDay("2026-11-24"); string(stored.Report) != frozen {
		t.Fatal("the Z-report changed after it was written")
	}
	var actions []string
	log, _ := r.e.AuditLog()
	for _, e := range log {
		actions = append(actions, e.Who+" "+e.Action+" "+e.Ref)
	}
	if want := "huda settled mismatch " + early.Ref + "|amal closed day |huda settled mismatch " + unknown.Ref; strings.Join(actions, "|") != want {
		t.Fatalf("audit:\n got  %s\n want %s", strings.Join(actions, "|"), want)
	}
}

// TestCloseTimeSetsTheNextPeriod: a day closed before its cut-off hands
// the later sales to the next day; a day closed after its end keeps only
// its own, and the morning's sales stay with the new day.
func TestCloseTimeSetsTheNextPeriod(t *testing.T) {
	r := newRig(t)
	r.clock.Set(at("2026-11-24 12:00:00"))
	b := r.books(4)
	ctx := context.Background()
	usd := func(s string) money.Money { return cur(s, "USD") }
	sale := func(when, price string) string {
		r.clock.Set(at(when))
		return r.journal("mor", "6", usd(price), usd("1"), sale.Succeeded).Ref
	}
	closeAt := func(when, day, counted string) *eod.Report {
		r.clock.Set(at(when))
		z, err := b.Close(ctx, date(day), eod.CashCount{Counted: []money.Money{usd(counted)}}, "amal")
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	sales := func(day string) string {
		rep, err := b.Report(ctx, date(day), eod.CashCount{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Totals) == 0 {
			return "0"
		}
		return rep.Totals[0].Retail.Amount.String()
	}

	sale("2026-11-24 12:00:00", "5")
	z24 := closeAt("2026-11-24 22:00:00", "2026-11-24", "5")
	if !z24.To.Equal(at("2026-11-24 22:00:00")) {
		t.Fatalf("early close ends at %v", z24.To)
	}
	sale("2026-11-24 23:00:00", "7") // after the Z: the next day's
	if today, err := b.Today(); err != nil || today.Format(eod.DateLayout) != "2026-11-25" {
		t.Errorf("after an early close, today is %v (%v)", today, err)
	}
	sale("2026-11-25 12:00:00", "11")
	if got := sales("2026-11-24"); got != "5" {
		t.Errorf("day 24 after its close: %s", got)
	}
	if got := sales("2026-11-25"); got != "18" {
		t.Errorf("day 25 with the sale after the early close: %s", got)
	}
	sale("2026-11-26 06:00:00", "13") // day 26, before day 25 is closed
	z25 := closeAt("2026-11-26 10:00:00", "2026-11-25", "18")
	if !z25.From.Equal(at("2026-11-24 22:00:00")) || !z25.To.Equal(at("2026-11-26 04:00:00")) {
		t.Fatalf("late close of 25: %v .. %v", z25.From, z25.To)
	}
	if got := sales("2026-11-26"); got != "13" {
		t.Errorf("day 26: %s", got)
	}
	// Closed early again, the next day can be closed before its cut-off:
	// it began at that close.
	closeAt("2026-11-26 23:00:00", "2026-11-26", "13")
	z27 := closeAt("2026-11-26 23:30:00", "2026-11-27", "0")
	if !z27.From.Equal(at("2026-11-26 23:00:00")) || !z27.To.Equal(at("2026-11-26 23:30:00")) {
		t.Errorf("day 27 closed before its cut-off: %v .. %v", z27.From, z27.To)
	}
	if today, _ := b.Today(); today.Format(eod.DateLayout) != "2026-11-28" {
		t.Errorf("today after two closes in one night: %v", today)
	}
}

// TestCloseSettlesOpenSalesFirst: a sale left prepared (the kiosk stopped
// before the answer) that the provider did charge is settled by reference
// at the close, with its PIN, and counted in the Z-report.
func TestCloseSettlesOpenSalesFirst(t *testing.T) {
	r := newRig(t)
	cutoff, day := r.middayCutoff()
	s := r.journal("bitaqaty", "2862", sar("57.50"), sar("48.50"), sale.Prepared) // 48.50: the sandbox's cost
	if err := r.set.Bitaqaty.AddRecord(s.Ref, "2862", r.now()); err != nil {
		t.Fatal(err)
	}
	z, err := r.books(cutoff).Close(context.Background(), day, eod.CashCount{Counted: []money.Money{sar("57.50")}}, "amal")
	if err != nil {
		t.Fatal(err)
	}
	if len(z.NotCounted) != 0 || len(z.Totals) != 1 || z.Totals[0].Sales != 1 || len(z.Mismatches) != 0 {
		t.Fatalf("Z-report: %d not counted, totals %+v, mismatches %+v", len(z.NotCounted), z.Totals, z.Mismatches)
	}
	got, _ := r.j.Sale(s.Ref)
	if got.State != sale.Succeeded || len(got.Vouchers) != 1 || got.Vouchers[0].PIN == "" {
		t.Fatalf("sale after the close: %s %+v", got.State, got.Vouchers)
	}
}
