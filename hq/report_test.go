package hq

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/money"
)

func money3(amount, cur string) money.Money { return money.New(money.MustParse(amount), cur) }

// fleetRig has three terminals: 1 and 2 sell and ship through their own
// shippers and outboxes; 3 last reported two days ago.
func fleetRig(t *testing.T) *rig {
	t.Helper()
	r := newRig(t)
	r.clock.Set(clock.Start.Add(-48 * time.Hour))
	if err := r.sender(t, 3, "e3").Ship(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	r.clock.Set(clock.Start.Add(2 * time.Hour))
	yer := func(i int) *Sale {
		s := sold(2, i)
		s.Provider, s.ProductID, s.Product = "alqimah", "topup", "Yemen Mobile top-up"
		s.Retail, s.RetailVAT, s.RetailBeforeVAT = money3("1000", "YER"), money.Money{}, money.Money{}
		s.Cost, s.CostBeforeVAT, s.Charged = money3("980", "YER"), money.Money{}, money3("980", "YER")
		return s
	}
	usdCost := func(i int) *Sale {
		s := sold(2, i)
		s.Provider, s.Cost, s.CostBeforeVAT, s.Charged = "dtone", money3("13.10", "USD"), money.Money{}, money3("13.10", "USD")
		return s
	}
	with := func(s *Sale, edit func(*Sale)) *Sale { edit(s); return s }
	outboxes := map[int][]*Sale{
		1: {sold(1, 1), sold(1, 2), sold(1, 3),
			with(sold(1, 4), func(s *Sale) { s.State = "failed" }),
			with(sold(1, 5), func(s *Sale) { s.State = "needs_review" }),
			// the day before: outside the report's period
			with(sold(1, 6), func(s *Sale) { s.Created = clock.Start.Add(-30 * time.Hour) })},
		2: {sold(2, 1), sold(2, 2), yer(3), yer(4), usdCost(5)},
	}
	for n, ss := range outboxes {
		box := &memOutbox{}
		for i, s := range ss {
			box.add(saleEntry(uint64(i+1), s))
		}
		if n == 1 {
			box.add(Entry{Seq: 100, Kind: KindZReport, ZReport: &ZReport{Number: 12, Day: "2026-11-24",
				From: clock.Start.Add(-10 * time.Hour), To: clock.Start.Add(time.Hour), ClosedAt: clock.Start.Add(time.Hour),
				ClosedBy: "sara", Totals: []ZTotal{{Provider: "bitaqaty", Currency: "SAR", Sales: 3}}}},
				Entry{Seq: 101, Kind: KindZReport, ZReport: &ZReport{Number: 11, Day: "2026-11-22",
					From: clock.Start.Add(-58 * time.Hour), To: clock.Start.Add(-34 * time.Hour),
					ClosedAt: clock.Start.Add(-34 * time.Hour), ClosedBy: "sara"}})
		}
		sh := &Shipper{Outbox: box, To: r.sender(t, n, fmt.Sprintf("e%d", n)), Batch: 2}
		if _, err := sh.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func dayQuery(r *rig) ReportQuery {
	return ReportQuery{From: clock.Start.Add(-10 * time.Hour), To: clock.Start.Add(14 * time.Hour), Now: r.clock.Now()}
}

func TestReportShowsEachTerminalExactly(t *testing.T) {
	r := fleetRig(t)
	rep, err := r.db.Report(context.Background(), dayQuery(r))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range rep.Totals {
		margin := "-"
		if x.Margin != nil {
			margin = x.Margin.String()
		}
		got = append(got, fmt.Sprintf("%d %s %s/%s/%s n=%d retail=%s vat=%s cost=%s margin=%s", x.Terminal, x.Provider,
			x.Currency, x.CostCurrency, x.VATCurrency, x.Sales, x.Retail, x.VAT, x.Cost, margin))
	}
	want := []string{
		// margin = retail + fee − cost − VAT owed, as the kiosk's end of day counts it
		"1 bitaqaty SAR// n=3 retail=155.25 SAR vat=0.69 SAR cost=145.50 SAR margin=9.06 SAR",
		"2 alqimah YER// n=2 retail=2000.00 YER vat=0.00 YER cost=1960.00 YER margin=40.00 YER",
		"2 bitaqaty SAR// n=2 retail=103.50 SAR vat=0.46 SAR cost=97.00 SAR margin=6.04 SAR",
		"2 dtone SAR/USD/ n=1 retail=51.75 SAR vat=0.23 SAR cost=13.10 USD margin=-",
	}
	sameLines(t, "totals", got, want)
	var terms []string
	for _, s := range rep.Terminals {
		var zs []string
		for _, z := range s.ZReports {
			zs = append(zs, fmt.Sprintf("Z%d %s %d", z.Number, z.Day, z.Sales))
		}
		terms = append(terms, fmt.Sprintf("%d %s %s quiet=%v not_counted=%d %v", s.Terminal, s.Name,
			s.LastContact.UTC().Format(time.RFC3339), s.Quiet, s.NotCounted, zs))
	}
	wantTerms := []string{
		"1 T001 2026-11-24T09:00:00Z quiet=false not_counted=2 [Z12 2026-11-24 3]",
		"2 T002 2026-11-24T09:00:00Z quiet=false not_counted=0 []",
		"3 T003 2026-11-22T07:00:00Z quiet=true not_counted=0 []",
	}
	sameLines(t, "terminals", terms, wantTerms)
}

func TestReportCSV(t *testing.T) {
	r := fleetRig(t)
	rep, err := r.db.Report(context.Background(), dayQuery(r))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"terminal", "provider", "currency", "sales", "retail", "vat", "cost", "margin", "last_contact", "not_reporting"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("header %v has no %q", rows[0], h)
		}
	}
	var got []string
	for _, row := range rows[1:] {
		got = append(got, strings.Join([]string{row[col["terminal"]], row[col["provider"]], row[col["currency"]],
			row[col["sales"]], row[col["retail"]], row[col["margin"]], row[col["not_reporting"]], row[col["z_reports"]]}, ","))
	}
	want := []string{
		"1,bitaqaty,SAR,3,155.25,9.06,false,12",
		"2,alqimah,YER,2,2000.00,40.00,false,",
		"2,bitaqaty,SAR,2,103.50,6.04,false,",
		"2,dtone,SAR,1,51.75,,false,",
		"3,,,0,,,true,",
	}
	sameLines(t, "CSV rows", got, want)
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"001 T001", "155.25", "NOT REPORTING", "Z12 2026-11-24 (3 sales, sara)"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
}

func TestReportRefusesAnEmptyPeriod(t *testing.T) {
	r := newRig(t)
	_, err := r.db.Report(context.Background(), ReportQuery{From: clock.Start, To: clock.Start})
	if err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Fatalf("err = %v", err)
	}
}

// A sale with the shop's service fee and a cost with VAT in it: the report
// counts the fee, nets the provider's VAT out of the VAT owed, and its
// margin is the kiosk's (pricing.Record.Margin for the same sale).
func TestReportMarginWithFeeAndCostVAT(t *testing.T) {
	r := newRig(t)
	s := sold(4, 1)
	s.Fee, s.FeeVAT, s.CostVAT = sar("2.00"), sar("0.26"), sar("6.33")
	box := &memOutbox{}
	box.add(saleEntry(1, s))
	if _, err := (&Shipper{Outbox: box, To: r.sender(t, 4, "e4")}).Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	rep, err := r.db.Report(context.Background(), dayQuery(r))
	if err != nil || len(rep.Totals) != 1 {
		t.Fatalf("report: %+v, %v", rep, err)
	}
	got := rep.Totals[0]
	// VAT owed 0.23 + 0.26 − 6.33 = −5.84; margin 51.75 + 2.00 − 48.50 + 5.84 = 11.09.
	if got.Fee.String() != "2.00 SAR" || got.VAT.String() != "-5.84 SAR" || got.Margin == nil || got.Margin.String() != "11.09 SAR" {
		t.Fatalf("fee %s, VAT owed %s, margin %v", got.Fee, got.VAT, got.Margin)
	}
}
