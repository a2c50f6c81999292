package pricing_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"kiosk/clock"
	"kiosk/money"
	"kiosk/pricing"
	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/providers/bitaqaty"
	"kiosk/sandboxes"
	"kiosk/shelf"
)

// The price list against the real sandboxes' catalogues and quotes on
// loopback, called the way the engine's Quote is to call it: Plan, the
// provider's quote for plan.Ask, Apply.
func TestPricesOnTheSandboxes(t *testing.T) {
	c := clock.NewFake(clock.Start)
	set, err := sandboxes.Start("127.0.0.1:0", sandboxes.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	clients := map[string]providers.Provider{}
	b, err := bitaqaty.New(sandboxes.BitaqatyConfig(set.BaseURL(bitaqaty.ID), false), nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := alqimah.New(sandboxes.AlQimahConfig(set.BaseURL(alqimah.ID), false), nil)
	if err != nil {
		t.Fatal(err)
	}
	clients[bitaqaty.ID], clients[alqimah.ID] = b, a
	ctx := context.Background()
	cat := pricing.Catalogue{Providers: []string{alqimah.ID, bitaqaty.ID}}
	var all []providers.Product
	for _, id := range cat.Providers {
		ps, err := clients[id].Catalog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ps...)
	}
	cat.Products = shelf.Of(all)
	rules, err := pricing.Parse("kiosk.toml", `
[[prices]]
provider = "alqimah"
brand = "PUBG"
markup_percent = "10"
round = "5"

[[prices]]
brand = "Yemen Mobile"
kind = "topup"
markup_percent = "5"
mode = "less_credit"

[[prices]]
brand = "Sabafon"
kind = "topup"
markup_percent = "10"

[[prices]]
provider = "bitaqaty"
brand = "PlayStation"
markup_percent = "4"

[[prices]]
product = "bitaqaty/2862"
retail = "52"

[[fees]]
provider = "alqimah"
kind = "bill"
amount = "100"
currency = "YER"
`)
	if err != nil {
		t.Fatal(err)
	}
	l, err := rules.Check(cat)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(l.AtCost(), "alqimah/game-itunes_us_10") || !strings.Contains(strings.Join(l.Warnings(), "\n"), "products are sold at cost") {
		t.Errorf("at cost %q, warnings %q: want the products sold at cost named", l.AtCost(), l.Warnings())
	}
	// The documented example holds against the sandboxes' catalogues too,
	// so it can stand in config.example.toml.
	text, err := os.ReadFile("testdata/prices.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	example, err := pricing.Parse("prices.example.toml", string(text))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := example.Check(cat); err != nil {
		t.Errorf("the example against the sandboxes: %v", err)
	}
	product := func(key string) providers.Product {
		for _, p := range all {
			if p.Key() == key {
				return p
			}
		}
		t.Fatalf("no %s in the sandbox catalogue", key)
		return providers.Product{}
	}
	tests := []struct {
		key, entered string
		field        string // the value of the product's first field
		mode         pricing.Mode
		credit       string
		cost, retail string
		vat, fee     string
		total        string
	}{
		// 495 × 1.10 = 544.5, up to 545.
		{"alqimah/game-pubg_60", "", "5123456789", "", "0", "495.00 YER", "545.00 YER", "0.00 YER", "0.00 YER", "545.00 YER"},
		// 1000 rials paid: 952 × 1.05 = 999.6 → 1000 fits, 953 does not.
		{"alqimah/topup-yemen_mobile", "1000", "771234567", pricing.LessCredit, "952", "952.00 YER", "1000.00 YER", "0.00 YER", "0.00 YER", "1000.00 YER"},
		// 100 units × 1.21 = 121 × 1.10 = 133.1, up to 134.
		{"alqimah/topup-sabafon", "100", "711234567", pricing.PayMore, "100", "121.00 YER", "134.00 YER", "0.00 YER", "0.00 YER", "134.00 YER"},
		// No rule: the amount, and the bill fee on top.
		{"alqimah/topup-adsl", "3000", "01234567", pricing.PayMore, "3000", "3000.00 YER", "3000.00 YER", "0.00 YER", "100.00 YER", "3100.00 YER"},
		// SG: 55.20 × 1.04 = 57.408 → 57.45; VAT 57.45 × 15/115 = 7.49 less the cost's 7.20.
		{"bitaqaty/3201", "", "", "", "0", "55.20 SAR", "57.45 SAR", "0.29 SAR", "0.00 SAR", "57.45 SAR"},
		// SM at a fixed 52: VAT (52 − 50 face) × 15/115 = 0.26.
		{"bitaqaty/2862", "", "", "", "0", "48.50 SAR", "52.00 SAR", "0.26 SAR", "0.00 SAR", "52.00 SAR"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			p := product(tt.key)
			fields := map[string]string{}
			if tt.field != "" {
				fields[p.Fields[0].Name] = tt.field
			}
			entered := money.Zero
			if tt.entered != "" {
				entered = money.MustParse(tt.entered)
			}
			plan, err := l.Plan(p, entered)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.ValidateFields(fields); err != nil {
				t.Fatal(err)
			}
			q, err := clients[p.Provider].Quote(ctx, providers.QuoteRequest{Product: p, Fields: fields, Amount: plan.Ask})
			if err != nil {
				t.Fatal(err)
			}
			pr, err := l.Apply(plan, q)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{string(pr.Mode), pr.Credit.String(), pr.Cost.String(), pr.Retail.String(), pr.VAT.String(), pr.Fee.String(), pr.Total.String()}
			want := []string{string(tt.mode), tt.credit, tt.cost, tt.retail, tt.vat, tt.fee, tt.total}
			if strings.Join(got, " | ") != strings.Join(want, " | ") {
				t.Errorf("mode, credit, cost, retail, VAT owed, fee, total =\n%v\nwant\n%v", got, want)
			}
			if pr.BelowCost || pr.ShortOfRule || !pr.Quote.Retail.Equal(pr.Retail) {
				t.Errorf("below cost %v short %v quote retail %s", pr.BelowCost, pr.ShortOfRule, pr.Quote.Retail)
			}
		})
	}
}
