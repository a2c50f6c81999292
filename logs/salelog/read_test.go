package salelog

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/logs"
	"kiosk/providers"
	"kiosk/sale"
)

// TestReadSalesFollowsEachSale: the sale-step lines a Logger writes read
// back per sale (provider, product, the last state, first and last
// times), across rotated files, and only sales logged since a time.
func TestReadSalesFollowsEachSale(t *testing.T) {
	path := filepath.Join(t.TempDir(), logs.FileName)
	c := clock.NewFake(clock.Start)
	lg, err := logs.Open(path, logs.Options{MaxBytes: 600, Keep: 5, Now: c.Now}) // a few lines a file: it rotates
	if err != nil {
		t.Fatal(err)
	}
	g := New(lg.Logger)
	step := func(ref, provider, product string, st sale.State) {
		g.Step("status", &sale.Sale{Ref: ref, Provider: provider, State: st,
			Product: providers.Product{ID: product, Name: "a name with spaces and \"quotes\""}}, time.Second)
		c.Advance(time.Minute)
	}
	step("0010000010000001", "bitaqaty", "2862", sale.Prepared) // 10:00
	step("0010000010000001", "bitaqaty", "2862", sale.Succeeded)
	step("0010000010000002", "alqimah", "topup-yemen_mobile", sale.Prepared) // 10:02
	lg.Logger.Info("balance refreshed", logs.Provider("alqimah"))            // not a sale step
	step("0010000010000002", "alqimah", "topup-yemen_mobile", sale.InDoubt)
	g.ProviderError("status", "alqimah", "0010000010000002", errors.New("timeout"), time.Second) // not a step
	step("0010000010000003", "dtone", "12", sale.Pending)                                        // 10:04
	if err := lg.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(logs.Rotated(path, 1)); err != nil {
		t.Fatalf("the log did not rotate, so the test reads one file: %v", err)
	}
	for _, tc := range []struct {
		since time.Duration // after clock.Start
		want  []string      // ref provider product state first-minute last-minute
	}{
		{0, []string{
			"0010000010000001 bitaqaty 2862 succeeded 0 1",
			"0010000010000002 alqimah topup-yemen_mobile in_doubt 2 3",
			"0010000010000003 dtone 12 pending 4 4"}},
		{3 * time.Minute, []string{
			"0010000010000002 alqimah topup-yemen_mobile in_doubt 2 3",
			"0010000010000003 dtone 12 pending 4 4"}},
		{5 * time.Minute, nil},
	} {
		got, err := ReadSales(path, 5, clock.Start.Add(tc.since))
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range got {
			lines = append(lines, strings.Join([]string{l.Ref, l.Provider, l.Product, l.State,
				strconv.Itoa(int(l.First.Sub(clock.Start) / time.Minute)), strconv.Itoa(int(l.Last.Sub(clock.Start) / time.Minute))}, " "))
		}
		if strings.Join(lines, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("since +%v:\n%s\nwant:\n%s", tc.since, strings.Join(lines, "\n"), strings.Join(tc.want, "\n"))
		}
	}
	if _, err := ReadSales(filepath.Join(t.TempDir(), "none.log"), 5, clock.Start); err == nil {
		t.Error("a missing log read without an error")
	}
}

// TestParseLine: slog's text form, quoted values unquoted.
func TestParseLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		key  string
		want string
	}{
		{`time=2026-11-24T10:00:00.000+03:00 level=INFO msg="sale step" ref=1`, "msg", "sale step"},
		{`time=2026-11-24T10:00:00.000+03:00 level=INFO msg="sale step" ref=1`, "ref", "1"},
		{`msg="a \"q\" b" note="x=y z"`, "note", "x=y z"},
		{`msg="a \"q\" b" note="x=y z"`, "msg", `a "q" b`},
		{`broken "no key`, "msg", ""},
	} {
		if got := parseLine(tc.line)[tc.key]; got != tc.want {
			t.Errorf("%s: %s = %q, want %q", tc.line, tc.key, got, tc.want)
		}
	}
}
