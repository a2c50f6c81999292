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
	"kiosk/providers"
)

func TestTerminalOf(t *testing.T) {
	tests := []struct {
		ref  string
		n    int
		isOK bool
	}{
		{"0011234560000001", 1, true},
		{"0421234560000001", 42, true},
		{"9991234560000001", 999, true},
		{"0001234560000001", 0, false},
		{"ABC1234", 0, false},
		{"+12345", 0, false},
		{"001", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		n, ok := TerminalOf(tt.ref)
		if n != tt.n || ok != tt.isOK {
			t.Errorf("TerminalOf(%q) = %d, %v; want %d, %v", tt.ref, n, ok, tt.n, tt.isOK)
		}
	}
}

// Two terminals share one Bitaqaty account: the provider's records hold
// both terminals' sales. Head office puts each record to its terminal and
// lists only real mismatches, in the kiosk's end-of-day classes.
func TestFleetReconciliationPerTerminal(t *testing.T) {
	r := newRig(t)
	r.clock.Set(clock.Start.Add(time.Hour))
	with := func(s *Sale, edit func(*Sale)) *Sale { edit(s); return s }
	shipped := map[int][]*Sale{
		1: {sold(1, 1), sold(1, 2), sold(1, 3),
			with(sold(1, 4), func(s *Sale) { s.State = "needs_review" }),
			with(sold(1, 5), func(s *Sale) { s.Provider = "alqimah" }),
			with(sold(1, 6), func(s *Sale) { s.Created = clock.Start.Add(-30 * time.Hour) })},
		2: {sold(2, 1), with(sold(2, 2), func(s *Sale) { s.State = "failed" }), sold(2, 3), sold(2, 4)},
	}
	for n, ss := range shipped {
		var es []Entry
		for i, s := range ss {
			es = append(es, saleEntry(uint64(i+1), s))
		}
		if err := r.sender(t, n, fmt.Sprintf("e%d", n)).Ship(context.Background(), es); err != nil {
			t.Fatal(err)
		}
	}
	rec := func(ref string, state providers.State, charged string, at time.Duration) providers.Record {
		return providers.Record{Ref: ref, State: state, Charged: sar(charged), At: clock.Start.Add(at),
			ProviderRef: "BB-" + ref[len(ref)-2:], ProductID: "2862", ProductName: "iTunes Gift Card 50 SAR"}
	}
	recs := []providers.Record{
		rec(ref(1, 1), providers.Succeeded, "48.50", time.Second), // matches
		rec(ref(1, 2), providers.Succeeded, "48.50", 2*time.Second),
		// ref(1, 3): sold at terminal 1, not in the records
		rec(ref(1, 4), providers.Succeeded, "48.50", 4*time.Second),            // open at terminal 1: not compared
		rec(ref(1, 6), providers.Succeeded, "48.50", 10*time.Minute),           // shipped, the day before
		rec(ref(1, 7), providers.Succeeded, "48.50", 3*time.Hour),              // after terminal 1's last contact
		rec(ref(2, 1), providers.Failed, "48.50", time.Second),                 // a failed try…
		rec(ref(2, 1), providers.Succeeded, "48.50", 2*time.Second),            // …then the charge: matches
		rec(ref(2, 2), providers.Succeeded, "48.50", 3*time.Second),            // failed at terminal 2
		rec(ref(2, 3), providers.Succeeded, "49.00", 4*time.Second),            // amount differs
		rec(ref(2, 4), providers.Failed, "48.50", 5*time.Second),               // sold at 2, failed there
		rec(ref(5, 1), providers.Succeeded, "48.50", 6*time.Second),            // terminal 5 never shipped
		rec("X-77", providers.Succeeded, "48.50", 7*time.Second),               // names no terminal
		rec(ref(2, 9), providers.Succeeded, "48.50", -20*time.Hour),            // outside the period: ignored
		rec(ref(1, 8), providers.Failed, "48.50", 8*time.Second),               // failed, unknown here: nothing to say
		rec(ref(2, 5), providers.Succeeded, "48.50", 20*time.Minute),           // not shipped, terminal 2 is up to date
		rec(ref(1, 9), providers.Succeeded, "48.50", 30*time.Minute+time.Hour), // after terminal 1's contact too
	}
	f, err := r.db.Reconcile(context.Background(), "bitaqaty", clock.Start.Add(-10*time.Hour), clock.Start.Add(14*time.Hour), recs)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, term := range f.Terminals {
		got = append(got, fmt.Sprintf("terminal %d: sales=%d records=%d open=%d", term.Terminal, term.Sales, term.Records, term.Open))
		for _, m := range term.Mismatches {
			got = append(got, fmt.Sprintf("  %s %s %s", m.Kind, m.Ref, m.Detail))
		}
	}
	want := []string{
		"terminal 0: sales=0 records=1 open=0",
		"  charged_not_sold X-77 charged by the provider under a reference that names no terminal",
		"terminal 1: sales=4 records=7 open=1",
		"  charged_not_sold " + ref(1, 7) + " charged by the provider; terminal 001 last shipped at 2026-11-24T08:00:00Z, before this sale: it may not have sent it yet",
		"  charged_not_sold " + ref(1, 9) + " charged by the provider; terminal 001 last shipped at 2026-11-24T08:00:00Z, before this sale: it may not have sent it yet",
		"  unknown_to_provider " + ref(1, 3) + " sold at terminal 001, but not in the provider's records",
		"terminal 2: sales=4 records=6 open=0",
		"  amount_differs " + ref(2, 3) + " cost at terminal 002 48.50 SAR, charged 49.00 SAR, difference 0.50 SAR",
		"  charged_not_sold " + ref(2, 2) + " charged by the provider, failed at terminal 002: the customer did not get it",
		"  charged_not_sold " + ref(2, 5) + " charged by the provider, missing from terminal 002's shipped sales",
		"  unknown_to_provider " + ref(2, 4) + " sold at terminal 002, but the provider records it as failed",
		"terminal 5: sales=0 records=1 open=0",
		"  charged_not_sold " + ref(5, 1) + " charged by the provider; terminal 005 has never shipped to head office",
	}
	sameLines(t, "reconciliation", got, want)
	if f.Records != len(recs) {
		t.Errorf("records = %d, want %d", f.Records, len(recs))
	}

	var b bytes.Buffer
	if err := f.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(FleetCSVHeader, ",") || len(rows) != 1+9 {
		t.Errorf("CSV: header %v and %d rows, want 9 mismatches", rows[0], len(rows)-1)
	}
	if row := rows[5]; row[0] != "2" || row[2] != AmountDiffers || row[7] != "48.50" || row[9] != "49.00" {
		t.Errorf("CSV amount row = %v", row)
	}
	var text bytes.Buffer
	if err := f.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "terminal 002 T002: 4 sales shipped, 6 records, 0 unsettled, 4 mismatches") {
		t.Errorf("text:\n%s", text.String())
	}
}
