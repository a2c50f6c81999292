package pricing

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"kiosk/config"
	"kiosk/money"
	"kiosk/providers"
)

func TestParseReadsTheIssueKeys(t *testing.T) {
	rules, err := Parse("k.toml", `
[shop]
name = "Al-Noor"

[[prices]]
provider = "alqimah"     # match on any of: provider, brand, product ("alqimah/game-pubg_60"), kind
brand = "PUBG"
markup_percent = "10"    # or markup = "50" (fixed over cost), or retail = "550"
round = "5"              # up to this step, in the product's currency

[[prices]]
product = "bitaqaty/2862"
retail = 55
below_cost = true
rounding = "nearest"

[[prices]]
kind = "topup"
markup = "2.5"
mode = "less_credit"
rounding = "down"

[[fees]]
kind = "bill"            # provider, brand, product or kind, as above
amount = "2.00"
currency = "SAR"
vat_percent = "15"

[providers.alqimah]
brand = "ignored: not a price list key"
`)
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		{Pos: Pos{"k.toml", 5}, Match: Match{Provider: "alqimah", Brand: "PUBG"}, Method: Percent, Value: d("10"), Round: d("5"), Rounding: money.RoundUp},
		{Pos: Pos{"k.toml", 11}, Match: Match{Product: "bitaqaty/2862"}, Method: Fixed, Value: d("55"), Rounding: money.RoundNearest, BelowCost: true},
		{Pos: Pos{"k.toml", 17}, Match: Match{Kind: providers.KindTopUp}, Method: Markup, Value: d("2.5"), Rounding: money.RoundDown, Mode: LessCredit},
	}
	if len(rules.Prices) != len(want) {
		t.Fatalf("got %d rules, want %d", len(rules.Prices), len(want))
	}
	for i, w := range want {
		g := rules.Prices[i]
		g.lines, w.lines = nil, nil
		if !reflect.DeepEqual(g, w) {
			t.Errorf("rule %d = %+v, want %+v", i, g, w)
		}
	}
	if len(rules.Fees) != 1 {
		t.Fatalf("got %d fees", len(rules.Fees))
	}
	f := rules.Fees[0]
	if f.Pos.Line != 23 || f.Match != (Match{Kind: providers.KindBill}) || !f.Amount.Equal(m("2.00 SAR")) || f.VATPercent.Cmp(d("15")) != 0 {
		t.Errorf("fee = %+v", f)
	}
}

func TestParseNothingIsNoRules(t *testing.T) {
	rules, err := Parse("k.toml", "[shop]\nname = \"x\"\n")
	if err != nil || len(rules.Prices) != 0 || len(rules.Fees) != 0 {
		t.Errorf("Parse = %+v, %v; want no rules", rules, err)
	}
}

// Every bad input gets file:line: key: and a reason.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // every one must appear, each in its own error
	}{
		{"percentage not a number", "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"ten\"\n",
			[]string{`k.toml:3: prices.markup_percent: "ten" is not a number; write a percentage like "10"`}},
		{"percentage with a percent sign", "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"10%\"\n",
			[]string{`k.toml:3: prices.markup_percent: "10%" is not a number`}},
		{"markup not a number", "[[prices]]\nbrand = \"PUBG\"\n\nmarkup = \"fifty\"\n",
			[]string{`k.toml:4: prices.markup: "fifty" is not a number; write an amount like "50"`}},
		{"float is not exact", "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = 10.5\n",
			[]string{`k.toml:3: prices.markup_percent: write 10.5 in quotes ("10.5"): a TOML float is not exact`}},
		{"round not a number", "[[prices]]\nbrand = \"PUBG\"\nmarkup = \"5\"\nround = \"five\"\n",
			[]string{`k.toml:4: prices.round: "five" is not a number`}},
		{"round zero", "[[prices]]\nbrand = \"PUBG\"\nmarkup = \"5\"\nround = \"0\"\n",
			[]string{`k.toml:4: prices.round: must be more than zero`}},
		{"two methods", "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"10\"\nretail = \"550\"\n",
			[]string{`k.toml:4: prices.retail: markup_percent and retail both set the price; keep one`}},
		{"no method", "[[prices]]\nbrand = \"PUBG\"\n",
			[]string{`k.toml:1: prices: sets no price: give one of markup_percent, markup or retail`}},
		{"no match", "[[prices]]\nmarkup = \"5\"\n",
			[]string{`k.toml:1: prices: names no products: set at least one of provider, brand, product or kind`}},
		{"unknown key", "[[prices]]\nbrand = \"PUBG\"\nmarkup = \"5\"\nmarkup_percnt = \"3\"\n",
			[]string{`k.toml:4: prices.markup_percnt: unknown key`}},
		{"unknown kind", "[[prices]]\nkind = \"bills\"\nmarkup = \"5\"\n",
			[]string{`k.toml:2: prices.kind: "bills" is not a product kind; use one of "voucher", "topup", "bill"`}},
		{"bad product key", "[[prices]]\nproduct = \"game-pubg_60\"\nmarkup = \"5\"\n",
			[]string{`k.toml:2: prices.product: "game-pubg_60" is not a product key; write provider/id`}},
		{"product of another provider", "[[prices]]\nprovider = \"bitaqaty\"\nproduct = \"alqimah/game-pubg_60\"\nmarkup = \"5\"\n",
			[]string{`k.toml:3: prices.product: "alqimah/game-pubg_60" is not a product of provider "bitaqaty"`}},
		{"brand not a string", "[[prices]]\nbrand = 7\nmarkup = \"5\"\n",
			[]string{`k.toml:2: prices.brand: must be a string in quotes, got an integer`}},
		{"empty brand", "[[prices]]\nbrand = \"\"\nkind = \"game\"\nmarkup = \"5\"\n",
			[]string{`k.toml:2: prices.brand: is empty`}},
		{"bad rounding", "[[prices]]\nbrand = \"PUBG\"\nmarkup = \"5\"\nrounding = \"ceiling\"\n",
			[]string{`k.toml:4: prices.rounding: "ceiling" is not a rounding rule; use "up", "nearest" or "down"`}},
		{"bad mode", "[[prices]]\nkind = \"topup\"\nmarkup = \"5\"\nmode = \"deduct\"\n",
			[]string{`k.toml:4: prices.mode: "deduct" is not a mode; use "pay_more"`}},
		{"below_cost not a bool", "[[prices]]\nbrand = \"PUBG\"\nmarkup = \"5\"\nbelow_cost = \"yes\"\n",
			[]string{`k.toml:4: prices.below_cost: must be true or false, got a string`}},
		{"negative markup without below_cost", "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"-5\"\n",
			[]string{`k.toml:3: prices.markup_percent: -5 is below cost; add below_cost = true`}},
		{"percent to nothing", "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"-100\"\nbelow_cost = true\n",
			[]string{`k.toml:3: prices.markup_percent: -100% would make the price zero or less`}},
		{"zero retail", "[[prices]]\nbrand = \"PUBG\"\nretail = \"0\"\n",
			[]string{`k.toml:3: prices.retail: must be more than zero`}},
		{"prices as a table", "[prices]\nbrand = \"PUBG\"\n",
			[]string{`k.toml:1: prices: must be written as [[prices]] tables`}},
		{"tie naming both lines", "[[prices]]\nbrand = \"PUBG\"\nmarkup = \"5\"\n\n[[prices]]\nbrand = \"pubg\"\nmarkup_percent = \"3\"\n",
			[]string{`k.toml:5: prices: matches the same products as the rule at k.toml:1 (brand = "PUBG") with equal precedence`}},
		{"tie of two keys", "[[prices]]\nprovider = \"alqimah\"\nkind = \"topup\"\nmarkup = \"5\"\n[[prices]]\nkind = \"topup\"\nprovider = \"alqimah\"\nmarkup = \"7\"\n",
			[]string{`k.toml:5: prices: matches the same products as the rule at k.toml:1 (provider = "alqimah", kind = "topup")`}},
		{"fee tie", "[[fees]]\nkind = \"bill\"\namount = \"2\"\ncurrency = \"SAR\"\n[[fees]]\nkind = \"bill\"\namount = \"3\"\ncurrency = \"SAR\"\n",
			[]string{`k.toml:5: fees: matches the same products as the fee at k.toml:1 (kind = "bill")`}},
		{"fee without currency", "[[fees]]\nkind = \"bill\"\namount = \"2\"\n",
			[]string{`k.toml:1: fees.currency: missing`}},
		{"fee currency not a code", "[[fees]]\nkind = \"bill\"\namount = \"2\"\ncurrency = \"riyal\"\n",
			[]string{`k.toml:4: fees.currency: "RIYAL" is not a currency code`}},
		{"fee without amount", "[[fees]]\nkind = \"bill\"\ncurrency = \"SAR\"\n",
			[]string{`k.toml:1: fees.amount: missing`}},
		{"negative fee", "[[fees]]\nkind = \"bill\"\namount = \"-2\"\ncurrency = \"SAR\"\n",
			[]string{`k.toml:3: fees.amount: must not be negative`}},
		{"fee finer than the currency", "[[fees]]\nkind = \"bill\"\namount = \"2.005\"\ncurrency = \"SAR\"\n",
			[]string{`k.toml:3: fees.amount: 2.005 has more decimal places than SAR has (2)`}},
		{"fee VAT not a number", "[[fees]]\nkind = \"bill\"\namount = \"2\"\ncurrency = \"SAR\"\nvat_percent = \"fifteen\"\n",
			[]string{`k.toml:5: fees.vat_percent: "fifteen" is not a number`}},
		{"fee VAT over 100", "[[fees]]\nkind = \"bill\"\namount = \"2\"\ncurrency = \"SAR\"\nvat_percent = \"150\"\n",
			[]string{`k.toml:5: fees.vat_percent: must be from 0 to 100`}},
		{"fee unknown key", "[[fees]]\nkind = \"bill\"\namount = \"2\"\ncurrency = \"SAR\"\nvat = \"15\"\n",
			[]string{`k.toml:5: fees.vat: unknown key`}},
		{"all problems at once, each at its own table", "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"ten\"\n\n[[prices]]\nbrand = \"iTunes\"\nmarkup = \"x\"\n",
			[]string{`k.toml:3: prices.markup_percent: "ten"`, `k.toml:7: prices.markup: "x"`}},
		{"syntax error", "[[prices]\nbrand = \"PUBG\"\n", []string{`k.toml:2: expected end of table array name delimiter`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("k.toml", tt.text)
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant it to contain\n%s", err, w)
				}
			}
			if len(tt.want) > 1 && strings.Count(err.Error(), "\n") < len(tt.want)-1 {
				t.Errorf("want %d errors, got %v", len(tt.want), err)
			}
		})
	}
}

func TestParseErrorsAreKeyErrors(t *testing.T) {
	_, err := Parse("k.toml", "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"ten\"\n")
	var ke *config.KeyError
	if !errors.As(err, &ke) || ke.Line != 3 || ke.Key != "prices.markup_percent" {
		t.Errorf("error %v is not the KeyError of line 3, prices.markup_percent", err)
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.toml")
	if err := os.WriteFile(path, []byte("[[prices]]\nbrand = \"PUBG\"\nmarkup = \"5\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rules, err := Load(path)
	if err != nil || len(rules.Prices) != 1 || rules.Prices[0].Pos.File != path {
		t.Errorf("Load = %+v, %v", rules, err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.toml")); err == nil || !strings.Contains(err.Error(), "missing.toml") {
		t.Errorf("Load of a missing file: %v", err)
	}
}
