package eod_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"kiosk/eod"
)

// Two kiosks on one Bitaqaty account: each one's end of day counts the
// records under the other's references as the other terminal's, and
// still flags a charge under its own number, or under a reference no
// kiosk makes, that its journal lacks.
func TestSharedAccountRecordsOfOtherTerminals(t *testing.T) {
	r := newRig(t)
	cutoff, day := r.middayCutoff()
	mine := r.sell("bitaqaty", "2862", nil, "")
	for _, ref := range []string{
		"0021234560000001", "0021234560000002", // terminal 2's sales
		"0019999900000007", // under this terminal's number, missing here
		"SHOP-7",           // not a kiosk's reference at all
	} {
		if err := r.set.Bitaqaty.AddRecord(ref, "2862", r.now()); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		terminal    int
		others      int
		mismatched  []string
		checkSuffix string
	}{
		{terminal: 1, others: 2, mismatched: []string{"0019999900000007", "SHOP-7"}, checkSuffix: "(2 of other terminals on the same account, not counted here)"},
		{terminal: 0, others: 0, mismatched: []string{"0019999900000007", "0021234560000001", "0021234560000002", "SHOP-7"}},
	} {
		b, err := eod.New(r.e, r.j, eod.Options{CutoffHour: cutoff, Location: time.UTC, Timeout: 2 * time.Second, Now: r.now, Terminal: tc.terminal})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := b.Report(context.Background(), day, eod.CashCount{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range rep.Mismatches {
			if m.Kind != eod.ChargedNotSold {
				t.Errorf("terminal %d: mismatch %s of kind %s", tc.terminal, m.Ref, m.Kind)
			}
			got = append(got, m.Ref)
		}
		sort.Strings(got)
		if strings.Join(got, " ") != strings.Join(tc.mismatched, " ") {
			t.Errorf("terminal %d: charged, not sold: %v, want %v", tc.terminal, got, tc.mismatched)
		}
		for _, c := range rep.Checks {
			if c.Provider != "bitaqaty" {
				continue
			}
			if c.OtherTerminals != tc.others || !strings.HasSuffix(c.Summary(), tc.checkSuffix) {
				t.Errorf("terminal %d: check %+v, %q", tc.terminal, c, c.Summary())
			}
		}
		if rep.Totals[0].Sales != 1 || !rep.Totals[0].Retail.Equal(mine.Quote.Retail) {
			t.Errorf("terminal %d: totals %+v (only this kiosk's sale counts)", tc.terminal, rep.Totals)
		}
	}
}
