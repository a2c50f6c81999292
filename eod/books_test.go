package eod_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/pricing"
	"kiosk/providers"
	"kiosk/providers/sandboxkit"
	"kiosk/sale"
	"kiosk/shelf"
)

// testPrices is a price list over the sandboxes' products: markups, a
// rounding step, and service fees with and without VAT.
const testPrices = `
[[prices]]
product = "bitaqaty/2862"
markup_percent = "10"

[[prices]]
product = "bitaqaty/3201"
markup_percent = "4"

[[prices]]
provider = "alqimah"
brand = "PUBG"
markup_percent = "10"
round = "5"

[[prices]]
product = "mor/6"
markup = "0.75"

[[fees]]
provider = "bitaqaty"
brand = "iTunes"
amount = "2.00"
currency = "SAR"
vat_percent = "15"

[[fees]]
product = "mor/6"
amount = "0.25"
currency = "USD"
`

// priceList checks testPrices against the sandboxes' catalogues.
func (r *rig) priceList() *pricing.List {
	r.t.Helper()
	rules, err := pricing.Parse("prices.toml", testPrices)
	if err != nil {
		r.t.Fatal(err)
	}
	var cat pricing.Catalogue
	var all []providers.Product
	for _, p := range r.e.Providers() {
		id := p.Info().ID
		ps, err := r.e.RefreshCatalog(context.Background(), id)
		if err != nil {
			r.t.Fatal(err)
		}
		cat.Providers = append(cat.Providers, id)
		all = append(all, ps...)
	}
	cat.Products = shelf.Of(all)
	l, err := rules.Check(cat)
	if err != nil {
		r.t.Fatal(err)
	}
	return l
}

// sellPriced sells a sandbox product for real at the price the list sets
// (with its fee): the engine prices the quote and keeps the price with
// the sale.
func (r *rig) sellPriced(l *pricing.List, provider, id string, fields map[string]string, clerk, faults string) *sale.Sale {
	r.t.Helper()
	ctx := context.Background()
	r.e.SetPrices(l)
	defer r.e.SetPrices(nil)
	q, err := r.e.Quote(ctx, r.product(provider, id), fields, money.Zero)
	if err != nil {
		r.t.Fatal(err)
	}
	f, _ := r.set.Faults(provider)
	f.Reset()
	if err := f.Parse(faults); err != nil {
		r.t.Fatal(err)
	}
	defer f.Reset()
	s, err := r.e.Sell(ctx, q, clerk)
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

// printed prints a sale's slip n times through the engine, as the result
// screen does, to a printer that takes everything.
func (r *rig) printed(s *sale.Sale, n int) {
	r.t.Helper()
	for range n {
		if _, err := r.e.Print(context.Background(), s.Ref, "amal", func(context.Context, *sale.Sale, int) error { return nil }); err != nil {
			r.t.Fatal(err)
		}
	}
}

var (
	player  = map[string]string{"PlayerID": "5123456789"}
	oneCard = map[string]string{"quantity": "1"}
)

// TestMarginsAddUp sells priced products in three currencies through the
// sandboxes, with fees, VAT on the margin, VAT on the whole price less
// the provider's VAT, a failed sale and a sale whose cost is in another
// currency: per currency, the margins of every view add up to retail +
// fee − cost − VAT owed, which is what the price list itself worked out
// for each sale, and the drawer should hold retail + fee.
func TestMarginsAddUp(t *testing.T) {
	r := newRig(t)
	cutoff, day := r.middayCutoff()
	l := r.priceList()
	sales := []struct {
		provider, id string
		fields       map[string]string
		clerk        string
		faults       string
	}{
		{"bitaqaty", "2862", nil, "amal", ""}, // SM VAT, fee with VAT
		{"bitaqaty", "2862", nil, "huda", ""},
		{"bitaqaty", "3201", nil, "amal", ""}, // SG VAT less the cost's
		{"bitaqaty", "2862", nil, "huda", sandboxkit.FaultOutOfStock},
		{"alqimah", "game-pubg_120", player, "huda", ""}, // rounded to 5 rials
		{"alqimah", "game-pubg_120", player, "amal", ""},
		{"mor", "6", oneCard, "amal", ""}, // fee without VAT
	}
	for _, s := range sales {
		r.sellPriced(l, s.provider, s.id, s.fields, s.clerk, s.faults)
	}
	odd := r.journal("mor", "8", cur("1500", "YER"), cur("1.25", "USD"), sale.Succeeded) // cost in another currency

	// What the books must find, from the sales themselves.
	all, err := r.e.Recent(100, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	fromPricing, formula, cash := money.Totals{}, money.Totals{}, money.Totals{}
	succeeded := 0
	for _, s := range all {
		if s.State != sale.Succeeded {
			continue
		}
		succeeded++
		cash.Add(s.Quote.Retail)
		if s.Price == nil {
			continue // the odd one: no margin
		}
		p, q := s.Price, s.Quote
		cash.Add(p.Fee)
		fromPricing.Add(p.Margin)
		cur := q.Retail.Currency
		formula[cur] = formula[cur].Add(q.Retail.Amount).Add(p.Fee.Amount).Sub(q.Cost.Amount).
			Sub(q.RetailVAT.Amount.Add(p.FeeVAT.Amount).Sub(q.CostVAT.Amount))
	}
	if succeeded != 7 || len(fromPricing) != 3 {
		t.Fatalf("%d sales succeeded, margins in %v", succeeded, fromPricing)
	}
	for c, m := range fromPricing {
		if formula[c].Cmp(m) != 0 {
			t.Fatalf("%s: the price list's margins %s, retail + fee − cost − VAT owed %s", c, m, formula[c])
		}
	}
	if fromPricing["SAR"].Sign() <= 0 || fromPricing["YER"].Sign() <= 0 || fromPricing["USD"].Sign() <= 0 {
		t.Fatalf("margins %v: the price list should earn something in each currency", fromPricing)
	}

	rep, err := r.books(cutoff).Report(context.Background(), day, eod.CashCount{Float: []money.Money{sar("100")}})
	if err != nil {
		t.Fatal(err)
	}
	var totals []eod.Figures
	for _, x := range rep.Totals {
		totals = append(totals, x.Figures())
	}
	views := []struct {
		name string
		rows []eod.Figures
	}{
		{"providers", totals},
		{"clerks", figuresOf(rep.Clerks)},
		{"brands", figuresOf(rep.Brands)},
		{"products", figuresOf(rep.Products)},
	}
	for _, v := range views {
		t.Run(v.name, func(t *testing.T) {
			got := money.Totals{}
			n, without := 0, 0
			for _, f := range v.rows {
				n += f.Sales
				if f.Margin == nil {
					without++
					if f.Currency != "YER" || f.CostCurrency != "USD" || f.Sales != 1 {
						t.Errorf("no margin for %+v", f)
					}
					continue
				}
				got.Add(*f.Margin)
			}
			if n != succeeded || without != 1 {
				t.Errorf("%d sales in the rows, %d without margin; want %d and 1", n, without, succeeded)
			}
			if len(got) != len(fromPricing) {
				t.Errorf("margins in %v, want %v", got, fromPricing)
			}
			for c, m := range fromPricing {
				if got[c].Cmp(m) != 0 {
					t.Errorf("%s margin %s, want %s", c, got[c], m)
				}
			}
		})
	}
	expected := map[string]string{}
	for _, c := range rep.Cash {
		expected[c.Currency] = c.Expected.String()
	}
	want := map[string]string{"SAR": cash["SAR"].Add(money.MustParse("100")).String(), "YER": cash["YER"].String(), "USD": cash["USD"].String()}
	if len(expected) != 3 || expected["SAR"] != want["SAR"] || expected["YER"] != want["YER"] || expected["USD"] != want["USD"] {
		t.Errorf("expected cash %v, want float + retail + fee %v", expected, want)
	}
	if rep.Counts.Succeeded != succeeded || rep.Counts.Failed != 1 {
		t.Errorf("counts %+v", rep.Counts)
	}
	text := rep.Text(eod.ReceiptWidth)
	for _, wantText := range []string{"VAT owed", "Fee VAT", "Cost VAT", "n/a (currencies differ)", odd.Product.Name} {
		if !strings.Contains(text, wantText) {
			t.Errorf("text lacks %q:\n%s", wantText, text)
		}
	}
}

func figuresOf(ls []eod.Line) []eod.Figures {
	out := make([]eod.Figures, len(ls))
	for i, l := range ls {
		out[i] = l.Figures
	}
	return out
}

// TestLinesAndCounts: the report's lines per clerk, brand and product, and
// its counts of failed sales, reprints and NOT SOLD slips, with every
// provider named as it calls itself.
func TestLinesAndCounts(t *testing.T) {
	r := newRig(t)
	cutoff, day := r.middayCutoff()
	a := r.sell("bitaqaty", "2862", nil, "")
	b := r.sell("bitaqaty", "2862", nil, "")
	refused := r.sell("bitaqaty", "2862", nil, sandboxkit.FaultOutOfStock)
	silent := r.sell("bitaqaty", "2862", nil, sandboxkit.FaultOutOfStock)
	c := r.sell("alqimah", "game-pubg_120", player, "")
	if _, err := r.j.Update(c.Ref, func(s *sale.Sale) error { s.Clerk = "huda"; return nil }); err != nil {
		t.Fatal(err)
	}
	r.printed(a, 3)       // two reprints
	r.printed(b, 1)       // the receipt only
	r.printed(refused, 1) // the NOT SOLD slip
	for _, s := range []*sale.Sale{a, b, c} {
		if s.State != sale.Succeeded {
			t.Fatalf("%s: %s", s.Ref, s.State)
		}
	}
	if refused.State != sale.Failed || silent.State != sale.Failed {
		t.Fatalf("refused sales: %s, %s", refused.State, silent.State)
	}
	rep, err := r.books(cutoff).Report(context.Background(), day, eod.CashCount{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *rep.Counts, (eod.Counts{Sales: 5, Succeeded: 3, Failed: 2, Reprinted: 1, Reprints: 2, NotSoldSlips: 1}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	type row struct {
		key   string
		sales int
	}
	tests := []struct {
		name  string
		lines []eod.Line
		key   func(eod.Line) string
		want  []row
	}{
		{"clerks", rep.Clerks, func(l eod.Line) string { return l.Clerk + " " + l.Currency }, []row{{"amal SAR", 2}, {"huda YER", 1}}},
		{"brands", rep.Brands, func(l eod.Line) string { return l.Brand + " " + l.Currency }, []row{{"iTunes SAR", 2}, {"PUBG YER", 1}}},
		{"products", rep.Products, func(l eod.Line) string { return l.Product + " · " + l.ProviderName },
			[]row{{"Pubg UC 120 · Al-Qimah", 1}, {"iTunes Gift Card 50 SAR · Bitaqaty Business", 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []row
			for _, l := range tt.lines {
				got = append(got, row{tt.key(l), l.Sales})
			}
			if !equalRows(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	text := rep.Text(80)
	var csv bytes.Buffer
	if err := rep.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Bitaqaty Business SAR", "Al-Qimah YER", "FAILED Bitaqaty Business",
		"BY CLERK", "BY PRODUCT", "BY BRAND", "iTunes Gift Card 50 SAR · Bitaqaty Business",
		"NOT SOLD slips printed                                                         1",
		"Reprints                                                                       2"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		for _, id := range []string{"bitaqaty", "alqimah"} {
			if strings.Contains(line, id) {
				t.Errorf("the text names a provider by its id: %q", line)
			}
		}
	}
	rows := csvSections(t, csv.Bytes())
	if len(rows["clerks"]) != 2 || len(rows["products"]) != 2 || len(rows["brands"]) != 2 || len(rows["counts"]) != 1 {
		t.Errorf("CSV: %d clerks, %d products, %d brands, %d counts", len(rows["clerks"]), len(rows["products"]),
			len(rows["brands"]), len(rows["counts"]))
	}
	for _, sec := range []string{"totals", "not_counted", "products"} {
		for _, row := range rows[sec] {
			if !strings.Contains(strings.Join(row, ","), "Bitaqaty Business") && !strings.Contains(strings.Join(row, ","), "Al-Qimah") {
				t.Errorf("CSV %s row without the provider's name: %v", sec, row)
			}
		}
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestXReportWritesNothing: an X-report of a day with a sale the provider
// charged but that failed here (whose PINs the day report keeps in the
// journal at once) leaves the journal file as it was, byte for byte; the
// day report does not, which shows the comparison can tell.
func TestXReportWritesNothing(t *testing.T) {
	r := newRig(t)
	cutoff, _ := r.middayCutoff()
	r.sell("bitaqaty", "2862", nil, "")
	failedHere := r.journal("bitaqaty", "2862", sar("57.50"), sar("48.50"), sale.Failed)
	if err := r.set.Bitaqaty.AddRecord(failedHere.Ref, "2862", r.now()); err != nil {
		t.Fatal(err)
	}
	b := r.books(cutoff)
	ctx := context.Background()
	tests := []struct {
		name    string
		report  func() (*eod.Report, error)
		changes bool
	}{
		{"X-report", func() (*eod.Report, error) { return b.XReport(ctx, eod.CashCount{}) }, false},
		{"X-report with a count", func() (*eod.Report, error) {
			return b.XReport(ctx, eod.CashCount{Counted: []money.Money{sar("10")}})
		}, false},
		{"day report", func() (*eod.Report, error) {
			today, err := b.Today()
			if err != nil {
				return nil, err
			}
			return b.Report(ctx, today, eod.CashCount{})
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := fileSum(t, r.path)
			audit, _ := r.e.AuditLog()
			rep, err := tt.report()
			if err != nil {
				t.Fatal(err)
			}
			if changed := fileSum(t, r.path) != before; changed != tt.changes {
				t.Fatalf("journal file changed: %v, want %v", changed, tt.changes)
			}
			after, _ := r.e.AuditLog()
			if len(after) != len(audit) {
				t.Errorf("%d audit entries written", len(after)-len(audit))
			}
			if len(rep.Mismatches) != 1 || rep.Mismatches[0].Kind != eod.ChargedNotSold || rep.Mismatches[0].PINMasked == "" {
				t.Errorf("mismatches: %+v", rep.Mismatches)
			}
			text := rep.Text(eod.ReceiptWidth)
			if x := strings.Contains(text, "X-REPORT - NOT A CLOSING"); x != rep.X || rep.X == tt.changes || rep.Closed() {
				t.Errorf("X %v, closed %v, text:\n%s", rep.X, rep.Closed(), text)
			}
			if rep.X && rep.To.After(r.now()) {
				t.Errorf("the X-report runs to %v, after now", rep.To)
			}
		})
	}
	if z, err := r.j.ZReportOfDay(eod.DayOf(r.now(), cutoff, time.UTC).Format(eod.DateLayout)); err != nil || z != nil {
		t.Errorf("a Z-report was written: %+v %v", z, err)
	}
}

// TestBlindCount: under a blind count no sum of the day's sales and no
// expected cash is shown, in text or CSV, until the cash is counted.
func TestBlindCount(t *testing.T) {
	r := newRig(t)
	cutoff, day := r.middayCutoff()
	for range 3 {
		r.sell("bitaqaty", "2862", nil, "") // 51.00 SAR each
	}
	blind, err := eod.New(r.e, r.j, eod.Options{CutoffHour: cutoff, Location: time.UTC, Now: r.now, BlindCount: true})
	if err != nil {
		t.Fatal(err)
	}
	counted := eod.CashCount{Float: []money.Money{sar("100")}, Counted: []money.Money{sar("250")}}
	tests := []struct {
		name  string
		books *eod.Books
		cash  eod.CashCount
		blind bool
	}{
		{"blind, not counted", blind, eod.CashCount{Float: []money.Money{sar("100")}}, true},
		{"blind, counted", blind, counted, false},
		{"not blind", r.books(cutoff), eod.CashCount{Float: []money.Money{sar("100")}}, false},
	}
	// The sums that give the drawer away: sales, expected, and the margin
	// and cost from which retail follows.
	secrets := []string{"153.00", "253.00", "145.50"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := tt.books.Report(context.Background(), day, tt.cash)
			if err != nil {
				t.Fatal(err)
			}
			text := rep.Text(80)
			var csv bytes.Buffer
			if err := rep.WriteCSV(&csv); err != nil {
				t.Fatal(err)
			}
			if rep.Blind != tt.blind || strings.Contains(text, "BLIND COUNT") != tt.blind ||
				strings.Contains(text, "hidden until counted") != tt.blind {
				t.Errorf("blind %v, text:\n%s", rep.Blind, text)
			}
			for _, s := range secrets {
				if shown := strings.Contains(text, s) || strings.Contains(csv.String(), s); shown == tt.blind {
					t.Errorf("%s shown: %v\n%s\n%s", s, shown, text, csv.String())
				}
			}
			if !strings.Contains(text, "3 sales") {
				t.Errorf("the number of sales is not shown:\n%s", text)
			}
		})
	}
}

// TestCloseAsConfirmed: a prepared close shows what is over or short and
// writes nothing; confirmed, it writes exactly that; if a sale of the day
// changed in between, nothing is written.
func TestCloseAsConfirmed(t *testing.T) {
	tests := []struct {
		name    string
		between func(r *rig, open *sale.Sale)
		err     error
	}{
		{"confirmed as shown", func(*rig, *sale.Sale) {}, nil},
		{"a sale settled meanwhile", func(r *rig, open *sale.Sale) { r.setState(open.Ref, sale.Succeeded, "late") }, eod.ErrChanged},
		{"a slip printed meanwhile", func(r *rig, open *sale.Sale) { r.printed(open, 1) }, eod.ErrChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.clock.Set(at("2026-11-24 10:00:00"))
			r.journal("mor", "6", cur("5", "USD"), cur("4.5", "USD"), sale.Succeeded)
			r.journal("mor", "6", cur("5", "USD"), cur("4.5", "USD"), sale.Succeeded)
			open := r.journal("mor", "6", cur("5", "USD"), cur("4.5", "USD"), sale.NeedsReview) // MOR cannot be asked
			r.clock.Set(at("2026-11-24 22:00:00"))
			b := r.books(0)
			cash := eod.CashCount{Float: []money.Money{cur("20", "USD")}, Counted: []money.Money{cur("27.50", "USD")}}
			prepared, err := b.PrepareClose(context.Background(), date("2026-11-24"), cash)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(prepared.CashSummary(i18n.EN), "|"); got != "USD: short 2.50 (expected 30.00, counted 27.50)" {
				t.Errorf("cash summary %q", got)
			}
			if got := strings.Join(prepared.CashSummary(i18n.AR), "|"); got != "USD: عجز 2.50 (المتوقع 30.00، المعدود 27.50)" {
				t.Errorf("Arabic cash summary %q", got)
			}
			if z, _ := r.j.ZReportOfDay("2026-11-24"); z != nil || prepared.Closed() {
				t.Fatal("preparing a close closed the day")
			}
			tt.between(r, open)
			z, err := b.CloseConfirmed(prepared, "amal")
			if !errors.Is(err, tt.err) {
				t.Fatalf("close: %v, want %v", err, tt.err)
			}
			stored, _ := r.j.ZReportOfDay("2026-11-24")
			if tt.err != nil {
				if stored != nil {
					t.Fatalf("Z-report %d written after the sales changed", stored.Number)
				}
				return
			}
			if stored == nil || z.Number != 1 || !z.To.Equal(prepared.To) || z.Cash[0].Difference.String() != "-2.5" ||
				prepared.Closed() || len(z.NotCounted) != 1 {
				t.Fatalf("Z-report %+v", z)
			}
			if _, err := b.CloseConfirmed(prepared, "amal"); !errors.Is(err, eod.ErrDayClosed) {
				t.Errorf("confirmed twice: %v", err)
			}
		})
	}
}

// TestDrawerCurrencies: the currencies a count form asks for are those
// the day's succeeded sales were paid in (a fee's too) and the float's.
func TestDrawerCurrencies(t *testing.T) {
	tests := []struct {
		name  string
		float []money.Money
		want  string
	}{
		{"sales only", nil, "SAR,USD,YER"},
		{"a float in another currency", []money.Money{cur("100", "INR")}, "INR,SAR,USD,YER"},
	}
	r := newRig(t)
	r.clock.Set(at("2026-11-24 10:00:00"))
	r.journal("mor", "6", cur("5", "USD"), cur("4.5", "USD"), sale.Succeeded)
	r.journal("mor", "7", sar("20"), sar("18"), sale.Succeeded)
	r.journal("mor", "8", cur("1500", "YER"), cur("1.25", "USD"), sale.Succeeded)
	r.journal("mor", "9", cur("10", "EUR"), cur("9", "EUR"), sale.Failed) // not in the drawer
	r.clock.Set(at("2026-11-24 12:00:00"))
	b := r.books(0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := b.DrawerCurrencies(date("2026-11-24"), eod.CashCount{Float: tt.float})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("currencies %v, want %s", got, tt.want)
			}
		})
	}
	if got, _ := b.DrawerCurrencies(date("2026-11-25"), eod.CashCount{}); len(got) != 0 {
		t.Errorf("a day without sales: %v", got)
	}
}
