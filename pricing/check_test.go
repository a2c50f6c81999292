package pricing

import (
	"slices"
	"strings"
	"testing"

	"kiosk/providers"
	"kiosk/shelf"
)

// Problems found against the catalogue get file:line: key: and a reason.
func TestCheckErrors(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"unknown provider", "[[prices]]\nprovider = \"alqimma\"\nmarkup = \"5\"\n",
			[]string{`k.toml:2: prices.provider: unknown provider "alqimma"; configured: alqimah, bitaqaty, dtone, mor`}},
		{"unknown brand", "[[prices]]\nbrand = \"PUGB\"\nmarkup_percent = \"10\"\n",
			[]string{`k.toml:2: prices.brand: unknown brand "PUGB": no product of any provider has it`}},
		{"brand not at that provider", "[[prices]]\nprovider = \"bitaqaty\"\nbrand = \"PUBG\"\nmarkup_percent = \"10\"\n",
			[]string{`k.toml:3: prices.brand: unknown brand "PUBG": no product of bitaqaty has it`}},
		{"unknown product", "[[prices]]\nproduct = \"alqimah/game-pubg_61\"\nmarkup = \"5\"\n",
			[]string{`k.toml:2: prices.product: unknown product "alqimah/game-pubg_61": alqimah has no such product`}},
		{"product of an unconfigured provider", "[[prices]]\nproduct = \"reloadly/17\"\nmarkup = \"5\"\n",
			[]string{`k.toml:2: prices.product: unknown product "reloadly/17": no provider "reloadly" is configured`}},
		{"keys that together match nothing", "[[prices]]\nbrand = \"PUBG\"\nkind = \"bill\"\nmarkup = \"5\"\n",
			[]string{`k.toml:1: prices: brand = "PUBG", kind = "bill" matches no product in the catalogue`}},
		{"fee in another currency", "[[fees]]\nkind = \"bill\"\namount = \"2.00\"\ncurrency = \"SAR\"\nvat_percent = \"15\"\n",
			[]string{`k.toml:4: fees.currency: the fee is in SAR, but it applies to products sold in YER: "alqimah/topup-adsl"; name a provider or product`}},
		{"fee of an unknown brand", "[[fees]]\nbrand = \"Zain\"\namount = \"2\"\ncurrency = \"SAR\"\n",
			[]string{`k.toml:2: fees.brand: unknown brand "Zain"`}},
		{"fixed retail below cost", "[[prices]]\nproduct = \"bitaqaty/2862\"\nretail = \"45\"\n",
			[]string{`k.toml:3: prices.retail: sells below cost: "bitaqaty/2862"; add below_cost = true to the rule if that is meant`}},
		{"rounding down below cost", "[[prices]]\nprovider = \"bitaqaty\"\nkind = \"voucher\"\nmarkup_percent = \"0\"\nround = \"1\"\nrounding = \"down\"\n",
			[]string{`k.toml:4: prices.markup_percent: sells below cost: "bitaqaty/2862", "bitaqaty/3100"`}},
		{"unit product below cost", "[[prices]]\nbrand = \"Sabafon\"\nmarkup = \"0\"\nround = \"100\"\nrounding = \"down\"\n",
			[]string{`k.toml:3: prices.markup: sells below cost: "alqimah/topup-sabafon"`}},
		{"fixed retail for a range product", "[[prices]]\nbrand = \"Yemen Mobile\"\nretail = \"1000\"\n",
			[]string{`k.toml:3: prices.retail: a fixed retail price cannot price products whose amount is chosen at the sale: "alqimah/topup-yemen_mobile"`}},
		{"an amount across currencies", "[[prices]]\nbrand = \"iTunes\"\nmarkup = \"5\"\n",
			[]string{`k.toml:3: prices.markup: 5 is an amount, but the rule prices products in SAR and YER`}},
		{"a step across currencies", "[[prices]]\nbrand = \"iTunes\"\nmarkup_percent = \"5\"\nround = \"5\"\n",
			[]string{`k.toml:4: prices.round: 5 is an amount, but the rule prices products in SAR and YER`}},
		{"an amount finer than the currency", "[[prices]]\nprovider = \"bitaqaty\"\nmarkup = \"0.125\"\n",
			[]string{`k.toml:3: prices.markup: 0.125 has more decimal places than SAR has (2)`}},
		{"less credit in another currency", "[[prices]]\nprovider = \"dtone\"\nkind = \"topup\"\nmarkup_percent = \"5\"\nmode = \"less_credit\"\n",
			[]string{`k.toml:5: prices.mode: less_credit needs the amount in the currency the customer pays; these top up in another: "dtone/9001"`}},
		{"every problem at once", "[[prices]]\nprovider = \"alqimma\"\nmarkup = \"5\"\n[[prices]]\nbrand = \"PUGB\"\nmarkup = \"5\"\n",
			[]string{`k.toml:2: prices.provider: unknown provider`, `k.toml:5: prices.brand: unknown brand "PUGB"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := Parse("k.toml", tt.text)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			l, err := rules.Check(testCatalogue)
			if err == nil {
				t.Fatalf("no error (list %+v); want %q", l, tt.want)
			}
			if l != nil {
				t.Errorf("a list came back with the error: the kiosk would start half-priced")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant it to contain\n%s", err, w)
				}
			}
		})
	}
}

func TestCheckAllowsWhatIsMeant(t *testing.T) {
	tests := []struct{ name, text string }{
		{"below cost when the rule says so", "[[prices]]\nproduct = \"bitaqaty/2862\"\nretail = \"45\"\nbelow_cost = true\n"},
		{"a percentage across currencies", "[[prices]]\nbrand = \"itunes\"\nmarkup_percent = \"5\"\n"},
		{"a fee in the products' currency", "[[fees]]\nprovider = \"bitaqaty\"\nkind = \"bill\"\namount = \"2.00\"\ncurrency = \"sar\"\n"},
		{"a more specific zero fee", "[[fees]]\nkind = \"bill\"\namount = \"2.00\"\ncurrency = \"SAR\"\n[[fees]]\nproduct = \"alqimah/topup-adsl\"\namount = \"0\"\ncurrency = \"YER\"\n"},
		{"less credit in the paying currency", "[[prices]]\nbrand = \"Yemen Mobile\"\nmarkup_percent = \"5\"\nmode = \"less_credit\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := Parse("k.toml", tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rules.Check(testCatalogue); err != nil {
				t.Errorf("Check: %v", err)
			}
		})
	}
}

func TestCheckWarnings(t *testing.T) {
	tests := []struct {
		name, text string
		cat        Catalogue
		want       []string
		atCost     []string
	}{
		{
			name: "products sold at cost are named",
			text: "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"10\"\n",
			cat:  testCatalogue,
			want: []string{`6 products are sold at cost (no [[prices]] rule, and no retail price above cost from the provider): "bitaqaty/bill-stc", "alqimah/game-itunes_10", "alqimah/topup-yemen_mobile", "alqimah/topup-sabafon", "alqimah/topup-adsl" and 1 more`},
			atCost: []string{"bitaqaty/bill-stc", "alqimah/game-itunes_10", "alqimah/topup-yemen_mobile",
				"alqimah/topup-sabafon", "alqimah/topup-adsl", "dtone/9001"},
		},
		{
			name: "a rule every product of which has a more specific one",
			text: "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"10\"\n[[prices]]\nprovider = \"alqimah\"\nbrand = \"PUBG\"\nmarkup_percent = \"12\"\n",
			cat:  Catalogue{Providers: []string{"alqimah"}, Products: shelf.Of([]providers.Product{pubg60})},
			want: []string{`k.toml:1: [[prices]] brand = "PUBG" prices nothing: every product it matches has a more specific rule`},
		},
		{
			name: "a catalogue not loaded yet is not held against a rule",
			text: "[[prices]]\nprovider = \"bitaqaty\"\nbrand = \"iTunes\"\nmarkup_percent = \"3\"\n[[prices]]\nproduct = \"bitaqaty/2862\"\nretail = \"52\"\n",
			cat:  Catalogue{Providers: []string{"alqimah", "bitaqaty"}, Products: shelf.Of([]providers.Product{pubg60}), Unloaded: []string{"bitaqaty"}},
			want: []string{
				`k.toml:1: [[prices]] provider = "bitaqaty", brand = "iTunes": not checked, it matches no product of the catalogues loaded so far`,
				`k.toml:5: [[prices]] product = "bitaqaty/2862": not checked`,
				`1 products are sold at cost`,
			},
			atCost: []string{"alqimah/game-pubg_60"},
		},
		{
			name: "mode on a rule that prices no range product",
			text: "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"10\"\nmode = \"less_credit\"\n",
			cat:  Catalogue{Providers: []string{"alqimah"}, Products: shelf.Of([]providers.Product{pubg60})},
			want: []string{`k.toml:4: [[prices]] brand = "PUBG": mode applies to range and unit products, and this rule prices none`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := Parse("k.toml", tt.text)
			if err != nil {
				t.Fatal(err)
			}
			l, err := rules.Check(tt.cat)
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(l.Warnings(), "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("warnings\n%s\nwant one containing\n%s", all, w)
				}
			}
			if len(l.Warnings()) != len(tt.want) {
				t.Errorf("%d warnings, want %d:\n%s", len(l.Warnings()), len(tt.want), all)
			}
			if !slices.Equal(l.AtCost(), tt.atCost) {
				t.Errorf("AtCost = %q, want %q", l.AtCost(), tt.atCost)
			}
		})
	}
}

// Provider text in messages is quoted, so no control character reaches
// the terminal that shows them.
func TestCheckQuotesProviderText(t *testing.T) {
	evil := pubg60
	evil.ID = "game-\x1b[2Jpubg"
	rules, err := Parse("k.toml", "[[prices]]\nprovider = \"alqimah\"\nretail = \"1\"\n")
	if err != nil {
		t.Fatal(err)
	}
	_, err = rules.Check(Catalogue{Providers: []string{"alqimah"}, Products: shelf.Of([]providers.Product{evil})})
	if err == nil || strings.Contains(err.Error(), "\x1b") || !strings.Contains(err.Error(), `\x1b[2Jpubg`) {
		t.Errorf("error %q: want the escape quoted", err)
	}
}

// TestCheckMergedNamesProvidersInTurn: the catalogue merged into catalogue
// order (as the kiosk loads it at start-up) gets the same warnings,
// errors and at-cost list, naming the same products in the same order, as
// the providers' lists given one after the other.
func TestCheckMergedNamesProvidersInTurn(t *testing.T) {
	var concat []providers.Product
	for _, id := range testCatalogue.Providers {
		var own []providers.Product
		for _, p := range testProducts {
			if p.Provider == id {
				own = append(own, p)
			}
		}
		slices.SortStableFunc(own, byBrandName)
		concat = append(concat, own...)
	}
	merged := slices.Clone(concat)
	slices.SortStableFunc(merged, byBrandName)
	for _, text := range []string{
		"[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"10\"\n",
		"[[prices]]\nkind = \"voucher\"\nretail = \"1\"\n",
		"[[prices]]\nproduct = \"alqimah/game-pubg_60\"\nretail = \"1\"\n[[fees]]\nkind = \"topup\"\namount = \"2\"\ncurrency = \"SAR\"\n",
	} {
		rules, err := Parse("k.toml", text)
		if err != nil {
			t.Fatal(err)
		}
		want, wantErr := rules.Check(Catalogue{Providers: testCatalogue.Providers, Products: shelf.Of(concat)})
		got, gotErr := rules.Check(Catalogue{Providers: testCatalogue.Providers, Products: shelf.Of(merged), Merged: true})
		if !slices.Equal(got.Warnings(), want.Warnings()) || !slices.Equal(got.AtCost(), want.AtCost()) || fmtErr(gotErr) != fmtErr(wantErr) {
			t.Errorf("%s merged: %q %q %v\nwant %q %q %v", text, got.Warnings(), got.AtCost(), gotErr, want.Warnings(), want.AtCost(), wantErr)
		}
		if slices.EqualFunc(merged, concat, func(a, b providers.Product) bool { return a.Key() == b.Key() }) {
			t.Fatal("the test catalogue merges into the order it is given in: it tests nothing")
		}
	}
}

func byBrandName(a, b providers.Product) int {
	if c := strings.Compare(a.Brand, b.Brand); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
