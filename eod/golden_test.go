package eod_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kiosk/clock"
	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/providers/sandboxkit"
	"kiosk/sale"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenDay is a whole day on the sandboxes, at fixed times: priced sales
// of four providers by two clerks (fees, VAT on the margin and on the
// whole price), a reprint, a refused sale whose NOT SOLD slip was printed,
// a pending sale, a sale the provider never saw, one whose cost is in
// another currency, and a cash count that is short, exact and over.
// It returns the report and the journal's reference block, which differs
// on every run.
func goldenDay(t *testing.T) (*eod.Report, string) {
	r := newRig(t)
	l := r.priceList()
	at := func(hhmm string) {
		ts, err := time.Parse("2006-01-02 15:04", "2026-11-24 "+hhmm)
		if err != nil {
			t.Fatal(err)
		}
		r.clock.Set(ts)
	}
	at("08:05")
	itunes := r.sellPriced(l, "bitaqaty", "2862", nil, "amal", "")
	at("08:40")
	r.sellPriced(l, "bitaqaty", "3201", nil, "huda", "")
	at("09:15")
	refused := r.sellPriced(l, "bitaqaty", "2862", nil, "huda", sandboxkit.FaultOutOfStock)
	at("10:30")
	r.sellPriced(l, "alqimah", "game-pubg_120", player, "huda", "")
	at("11:45")
	r.sellPriced(l, "mor", "6", oneCard, "amal", "")
	at("12:20")
	r.sellPriced(l, "alqimah", "game-pubg_120", player, "amal", "pending=5")
	at("13:10")
	r.named(r.journal("bitaqaty", "2862", sar("53.35"), sar("48.50"), sale.Succeeded), "iTunes Gift Card 50 SAR", "iTunes")
	at("14:00")
	r.named(r.journal("mor", "8", cur("1500", "YER"), cur("1.25", "USD"), sale.Succeeded), "Calling card 1500 YER", "Calling cards")
	r.printed(itunes, 2)
	r.printed(refused, 1)

	at("18:00")
	books, err := eod.New(r.e, r.j, eod.Options{CutoffHour: 4, Location: time.UTC, Timeout: 2 * time.Second,
		Now: clock.NewFake(r.now()).Now})
	if err != nil {
		t.Fatal(err)
	}
	expected := func(rep *eod.Report, cur string) money.Decimal {
		for _, c := range rep.Cash {
			if c.Currency == cur {
				return c.Expected
			}
		}
		t.Fatalf("no %s in the drawer", cur)
		return money.Zero
	}
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	first, err := books.Report(context.Background(), day, eod.CashCount{})
	if err != nil {
		t.Fatal(err)
	}
	counted := []money.Money{
		money.New(expected(first, "SAR").Add(money.MustParse("100")).Sub(money.MustParse("5")), "SAR"), // short 5
		money.New(expected(first, "YER"), "YER"),
		money.New(expected(first, "USD").Add(money.MustParse("0.50")), "USD"),
	}
	rep, err := books.Report(context.Background(), day, eod.CashCount{Float: []money.Money{sar("100")}, Counted: counted})
	if err != nil {
		t.Fatal(err)
	}
	return rep, itunes.Ref[3:9]
}

// named gives a sale journaled by hand its product's name and brand.
func (r *rig) named(s *sale.Sale, name, brand string) {
	r.t.Helper()
	if _, err := r.j.Update(s.Ref, func(s *sale.Sale) error {
		s.Product.Name, s.Product.Brand = name, brand
		return nil
	}); err != nil {
		r.t.Fatal(err)
	}
}

// TestReportGoldens: the day's report in English and Arabic, 80 and 120
// columns wide, as the screen and the printer get it (logical order), with
// the CSV of each language. The references' random block is written ######.
func TestReportGoldens(t *testing.T) {
	rep, block := goldenDay(t)
	stable := func(s string) string { return strings.ReplaceAll(s, "001"+block, "001######") }
	tests := []struct {
		lang  i18n.Lang
		width int
	}{{i18n.EN, 80}, {i18n.EN, 120}, {i18n.AR, 80}, {i18n.AR, 120}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s-%d", tt.lang, tt.width), func(t *testing.T) {
			text := rep.TextWith(eod.TextOptions{Width: tt.width, Lang: tt.lang})
			for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				if n := ansi.StringWidth(line); n > tt.width {
					t.Errorf("a line of %d cells: %q", n, line)
				}
			}
			golden(t, fmt.Sprintf("report-%s-%d.txt", tt.lang, tt.width), stable(text))
		})
	}
	for _, lang := range i18n.Langs() {
		t.Run("csv-"+string(lang), func(t *testing.T) {
			var b bytes.Buffer
			if err := rep.WriteCSVIn(&b, lang); err != nil {
				t.Fatal(err)
			}
			golden(t, fmt.Sprintf("report-%s.csv", lang), stable(b.String()))
		})
	}
}

// golden compares got with testdata/name, or writes it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}
