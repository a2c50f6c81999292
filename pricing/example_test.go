package pricing

import (
	"os"
	"testing"
)

// The documented example is a valid price list, and prices as its
// comments say.
func TestExampleConfig(t *testing.T) {
	text, err := os.ReadFile("testdata/prices.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := Parse("prices.example.toml", string(text))
	if err != nil {
		t.Fatal(err)
	}
	l, err := rules.Check(testCatalogue)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		got     Priced
		total   string
		below   bool
		feeRule bool
	}{
		{"PUBG 60: 495 × 1.10 = 544.5, up to 545", sell(t, l, pubg60, ""), "545.00 YER", false, false},
		{"PUBG 325 at its fixed price", sell(t, l, pubg325, ""), "2750.00 YER", false, false},
		{"1000 rials of Yemen Mobile: 952 of credit", sell(t, l, ymTopUp, "1000"), "1000.00 YER", false, false},
		{"iTunes 50: 48.50 × 1.03 = 49.955, nearest 49.95", sell(t, l, itunes50, ""), "49.95 SAR", false, false},
		{"the loss leader is allowed below cost", sell(t, l, psn50, ""), "50.00 SAR", false, false},
		{"a bill with its fee", sell(t, l, stcBill, "100"), "102.00 SAR", false, true},
		{"an Al-Qimah bill with its fee", sell(t, l, adsl, "1000"), "1100.00 YER", false, true},
	}
	for _, tt := range tests {
		if tt.got.Total.String() != tt.total || tt.got.BelowCost != tt.below || (tt.got.FeeRule != "") != tt.feeRule {
			t.Errorf("%s: total %s below cost %v fee %q", tt.name, tt.got.Total, tt.got.BelowCost, tt.got.FeeRule)
		}
	}
	if c := sell(t, l, ymTopUp, "1000").Credit.String(); c != "952" {
		t.Errorf("credit for 1000 YER = %s, want 952", c)
	}
}

// FuzzParse: no text makes Parse or Check panic, and what Parse accepts
// has a price method and names products.
func FuzzParse(f *testing.F) {
	if text, err := os.ReadFile("testdata/prices.example.toml"); err == nil {
		f.Add(string(text))
	}
	for _, s := range []string{
		"[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"ten\"\n",
		"[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = 10.5\n",
		"[prices]\nbrand = 1\n",
		"prices = [{brand = \"PUBG\", markup = \"5\"}]\n",
		"[[fees]]\nkind = \"bill\"\namount = \"2\"\ncurrency = \"SAR\"\n",
		"[[prices]]\nproduct = \"/\"\nretail = \"-1\"\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		rules, err := Parse("f.toml", text)
		if err != nil {
			return
		}
		for _, r := range rules.Prices {
			if r.Method == "" || r.Match.rank() == 0 {
				t.Fatalf("accepted a rule without a method or a match: %+v", r)
			}
		}
		if l, err := rules.Check(testCatalogue); err == nil {
			for _, p := range testProducts {
				if plan, err := l.Plan(p, d("1000")); err == nil {
					_, _ = l.Apply(plan, quote(p, plan.Ask))
				}
			}
		}
	})
}
