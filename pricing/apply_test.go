package pricing

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/shelf"
)

// listFor parses and checks a price list against the given products.
func listFor(t *testing.T, text string, products ...providers.Product) *List {
	t.Helper()
	rules, err := Parse("k.toml", text)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	provs := map[string]bool{}
	for _, p := range products {
		provs[p.Provider] = true
	}
	cat := Catalogue{Products: shelf.Of(products)}
	for id := range provs {
		cat.Providers = append(cat.Providers, id)
	}
	l, err := rules.Check(cat)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return l
}

func TestMatchingAndPrecedence(t *testing.T) {
	l := list(t, `[[prices]]
kind = "voucher"
markup_percent = "1"
[[prices]]
provider = "alqimah"
markup_percent = "2"
[[prices]]
provider = "alqimah"
kind = "voucher"
markup_percent = "3"
[[prices]]
brand = "PUBG"
markup_percent = "4"
[[prices]]
provider = "alqimah"
brand = "pubg"
markup_percent = "5"
[[prices]]
product = "alqimah/game-pubg_325"
markup_percent = "6"
[[prices]]
brand = "Sabafon"
markup_percent = "7"
[[prices]]
kind = "topup"
markup_percent = "9"
`)
	tests := []struct {
		product providers.Product
		entered string
		line    string // "k.toml:N " of the winning rule; "" for none
		source  Source
		retail  string
	}{
		{itunes50, "", "k.toml:1 ", FromRule, "49.00 SAR"},      // kind only: 48.50 × 1.01 = 48.985, up to 0.05
		{ymTopUp, "1000", "k.toml:4 ", FromRule, "1020.00 YER"}, // provider beats kind
		{sabafon, "100", "k.toml:21 ", FromRule, "642.00 YER"},  // brand beats provider and kind: 600 × 1.07
		{itunes10, "", "k.toml:7 ", FromRule, "5892.00 YER"},    // provider + kind beats provider, kind: 5720 × 1.03 = 5891.6
		{pubg60, "", "k.toml:14 ", FromRule, "520.00 YER"},      // provider + brand beats brand, provider + kind: 495 × 1.05 = 519.75
		{pubg325, "", "k.toml:18 ", FromRule, "2624.00 YER"},    // product beats everything: 2475 × 1.06 = 2623.5
		{mtn5, "", "", FromProvider, "21.00 SAR"},               // no rule: the provider's retail
		{stcBill, "100", "", FromProvider, "100.00 SAR"},        // no rule: the amount, as quoted
	}
	for _, tt := range tests {
		pr := sell(t, l, tt.product, tt.entered)
		if pr.Source != tt.source || pr.Retail.String() != tt.retail {
			t.Errorf("%s: %s %s, want %s %s", tt.product.Key(), pr.Source, pr.Retail, tt.source, tt.retail)
		}
		if tt.line != "" && !strings.HasPrefix(pr.Rule, tt.line) {
			t.Errorf("%s: priced by %q, want the rule at %s", tt.product.Key(), pr.Rule, tt.line)
		}
		if got, ok := l.RuleFor(tt.product); ok != (tt.line != "") || ok && !strings.HasPrefix(got.Pos.String()+" ", tt.line) {
			t.Errorf("%s: RuleFor = %v, %v", tt.product.Key(), got.Pos, ok)
		}
	}
}

func TestRoundingPerCurrency(t *testing.T) {
	kwd := providers.Product{Provider: "dtone", ID: "kw1", Brand: "Zain", Kind: providers.KindTopUp, Available: true,
		PriceKind: providers.PriceFixed, Price: m("1.300 KWD"), Cost: m("1.234 KWD")}
	psnYER := providers.Product{Provider: "alqimah", ID: "psn", Brand: "PSN", Kind: providers.KindVoucher, Available: true,
		PriceKind: providers.PriceFixed, Price: m("495 YER"), Cost: m("495 YER")}
	tests := []struct {
		name    string
		product providers.Product
		rule    string
		retail  string
	}{
		{"SAR steps of 0.05, up", itunes50, `markup_percent = "10"`, "53.35 SAR"}, // 53.35 exactly
		{"SAR up", psn100, `markup_percent = "3"`, "100.70 SAR"},                  // 100.6825
		{"SAR nearest", psn100, "markup_percent = \"3\"\nrounding = \"nearest\"", "100.70 SAR"},
		{"SAR down", psn100, "markup_percent = \"3\"\nrounding = \"down\"", "100.65 SAR"},
		{"SAR as configured", psn100, "markup_percent = \"3\"\nround = \"0.25\"", "100.75 SAR"},
		{"SAR fixed markup", itunes50, `markup = "1.02"`, "49.55 SAR"},         // 49.52
		{"YER whole rials, up", psnYER, `markup_percent = "10"`, "545.00 YER"}, // 544.5
		{"YER nearest: half away from zero", psnYER, "markup_percent = \"10\"\nrounding = \"nearest\"", "545.00 YER"},
		{"YER down", psnYER, "markup_percent = \"10\"\nrounding = \"down\"", "544.00 YER"},
		{"YER to 5, up", psnYER, "markup_percent = \"12\"\nround = \"5\"", "555.00 YER"}, // 554.4
		{"YER to 5, nearest", psnYER, "markup_percent = \"12\"\nround = \"5\"\nrounding = \"nearest\"", "555.00 YER"},
		{"YER to 5, down", psnYER, "markup_percent = \"12\"\nround = \"5\"\nrounding = \"down\"", "550.00 YER"},
		{"YER fixed markup to 100", psnYER, "markup = \"50\"\nround = \"100\"", "600.00 YER"},
		{"YER fixed retail is not rounded", psnYER, `retail = "549"`, "549.00 YER"},
		{"KWD: its minor unit, 0.001", kwd, `markup_percent = "10"`, "1.358 KWD"}, // 1.3574
		{"exact: no rounding needed", psnYER, `markup_percent = "0"`, "495.00 YER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := listFor(t, "[[prices]]\nproduct = \""+tt.product.Key()+"\"\n"+tt.rule+"\n", tt.product)
			pr := sell(t, l, tt.product, "")
			if pr.Retail.String() != tt.retail {
				t.Errorf("retail %s, want %s", pr.Retail, tt.retail)
			}
			if !pr.Quote.Retail.Equal(pr.Retail) {
				t.Errorf("quote's retail %s, want the shop's %s", pr.Quote.Retail, pr.Retail)
			}
		})
	}
}

func TestVATOfTheShopsPrice(t *testing.T) {
	noType := mtn5
	noType.VATType = ""
	strange := psn100
	strange.VATType = "XX"
	tests := []struct {
		name      string
		product   providers.Product
		rule      string
		quoteVAT  string // the provider's retail VAT in the quote, if any
		retail    string
		vat       string
		beforeVAT string
		wantErr   string
	}{
		// SG: 97.75 × 1.05 = 102.6375 → 102.65; VAT 102.65 × 15/115 = 13.389…
		{"standard gross", psn100, `markup_percent = "5"`, "", "102.65 SAR", "13.39 SAR", "89.26 SAR", ""},
		// SM: 48.50 + 3 = 51.50; VAT on 51.50 − 50 face = 1.50 × 15/115 = 0.1956…
		{"standard margin", itunes50, `markup = "3"`, "", "51.50 SAR", "0.20 SAR", "51.30 SAR", ""},
		// SM below the face value: no margin, no VAT.
		{"standard margin under face value", itunes50, `markup = "1"`, "", "49.50 SAR", "0.00 SAR", "49.50 SAR", ""},
		{"out of scope", stcBill, `markup = "1"`, "", "101.00 SAR", "0.00 SAR", "101.00 SAR", ""},
		{"no VAT type, no VAT", noType, `markup = "1"`, "", "20.40 SAR", "0.00 SAR", "20.40 SAR", ""},
		{"no VAT type but the provider charged VAT", noType, `markup = "1"`, "2.74 SAR", "", "", "", "names no VAT type"},
		{"unknown VAT type", strange, `markup = "1"`, "", "", "", "", `VAT type "XX" is not known`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := listFor(t, "[[prices]]\nproduct = \""+tt.product.Key()+"\"\n"+tt.rule+"\n", tt.product)
			entered := money.Zero
			if variable(&tt.product) {
				entered = d("100")
			}
			plan, err := l.Plan(tt.product, entered)
			if err != nil {
				t.Fatal(err)
			}
			q := quote(tt.product, plan.Ask)
			if tt.quoteVAT != "" {
				q.RetailVAT = m(tt.quoteVAT)
			}
			pr, err := l.Apply(plan, q)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if pr.Retail.String() != tt.retail || pr.RetailVAT.String() != tt.vat || pr.Quote.RetailBeforeVAT.String() != tt.beforeVAT {
				t.Errorf("retail %s VAT %s before VAT %s; want %s %s %s", pr.Retail, pr.RetailVAT, pr.Quote.RetailBeforeVAT, tt.retail, tt.vat, tt.beforeVAT)
			}
			if !pr.Quote.RetailVAT.Equal(pr.RetailVAT) {
				t.Errorf("quote's VAT %s, want %s", pr.Quote.RetailVAT, pr.RetailVAT)
			}
		})
	}
}

// Without a rule the provider's figures stand as it sent them.
func TestNoRuleKeepsTheProvidersFigures(t *testing.T) {
	for _, l := range []*List{nil, list(t, "[[prices]]\nbrand = \"PUBG\"\nmarkup = \"5\"\n")} {
		pr := sell(t, l, itunes50, "")
		if pr.Source != FromProvider || pr.Retail.String() != "51.00 SAR" || pr.RetailVAT.String() != "0.13 SAR" ||
			pr.Quote.RetailBeforeVAT.String() != "50.87 SAR" || pr.Rule != "no [[prices]] rule: the provider's recommended retail price" {
			t.Errorf("list %p: %+v", l, pr.Record)
		}
		// Al-Qimah's quote carries its cost as the retail price: sold at cost.
		pr = sell(t, l, itunes10, "")
		if pr.Retail.String() != "5720.00 YER" || !pr.Margin.IsZero() || pr.BelowCost {
			t.Errorf("list %p: %+v", l, pr.Record)
		}
	}
	q := quote(ymTopUp, d("1000"))
	q.Retail = money.Money{}
	plan, _ := (*List)(nil).Plan(ymTopUp, d("1000"))
	pr, err := (*List)(nil).Apply(plan, q)
	if err != nil || pr.Source != FromCost || pr.Retail.String() != "1000.00 YER" ||
		pr.Rule != "no [[prices]] rule and no retail price from the provider: sold at cost" {
		t.Errorf("no retail in the quote: %+v, %v", pr.Record, err)
	}
}

func TestFees(t *testing.T) {
	l := list(t, `[[fees]]
provider = "bitaqaty"
kind = "bill"
amount = "2.00"
currency = "SAR"
vat_percent = "15"

[[fees]]
provider = "alqimah"
kind = "bill"
amount = "200"
currency = "YER"

[[fees]]
brand = "Yemen Mobile"
amount = "50"
currency = "YER"

[[fees]]
product = "alqimah/topup-adsl"
amount = "0"
currency = "YER"

[[prices]]
brand = "PUBG"
markup_percent = "10"
`)
	noADSLFee := list(t, "[[fees]]\nprovider = \"alqimah\"\nkind = \"bill\"\namount = \"200\"\ncurrency = \"YER\"\n")
	tests := []struct {
		name                 string
		l                    *List
		product              providers.Product
		entered              string
		retail, fee, feeVAT  string
		total, margin, feeAt string
	}{
		// 2.00 × 15/115 = 0.2608…: the fee's own VAT, apart from the product's.
		{"bill fee with VAT", l, stcBill, "100", "100.00 SAR", "2.00 SAR", "0.26 SAR", "102.00 SAR", "1.74 SAR", "k.toml:1 [[fees]]"},
		{"a brand fee beats nothing else", l, ymTopUp, "1000", "1000.00 YER", "50.00 YER", "0.00 YER", "1050.00 YER", "50.00 YER", "k.toml:14 [[fees]]"},
		{"a zero fee removes a broader one", l, adsl, "3000", "3000.00 YER", "0.00 YER", "0.00 YER", "3000.00 YER", "0.00 YER", ""},
		{"the broader fee without it", noADSLFee, adsl, "3000", "3000.00 YER", "200.00 YER", "0.00 YER", "3200.00 YER", "200.00 YER", "k.toml:1 [[fees]]"},
		{"no fee", l, pubg60, "", "545.00 YER", "0.00 YER", "0.00 YER", "545.00 YER", "50.00 YER", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := sell(t, tt.l, tt.product, tt.entered)
			got := []string{pr.Retail.String(), pr.Fee.String(), pr.FeeVAT.String(), pr.Total.String(), pr.Margin.String()}
			want := []string{tt.retail, tt.fee, tt.feeVAT, tt.total, tt.margin}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("retail, fee, fee VAT, total, margin = %v, want %v", got, want)
			}
			if tt.feeAt == "" && pr.FeeRule != "" || !strings.HasPrefix(pr.FeeRule, tt.feeAt) {
				t.Errorf("fee rule %q, want %q", pr.FeeRule, tt.feeAt)
			}
			// The provider's own fee field is not the shop's fee.
			if !pr.Quote.Fee.IsZero() {
				t.Errorf("quote's provider fee changed to %s", pr.Quote.Fee)
			}
		})
	}
}

// A product the catalogue did not have at start-up (a refresh added it)
// meets a fee in another currency at the quote: refused, not mixed.
func TestFeeInAnotherCurrencyAtTheQuote(t *testing.T) {
	l := list(t, "[[fees]]\nprovider = \"bitaqaty\"\nkind = \"bill\"\namount = \"2.00\"\ncurrency = \"SAR\"\n")
	yerBill := stcBill
	yerBill.ID, yerBill.Price, yerBill.MinAmount = "bill-yer", m("0 YER"), m("5 YER")
	plan, err := l.Plan(yerBill, d("500"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Apply(plan, quote(yerBill, plan.Ask))
	if err == nil || !strings.Contains(err.Error(), "k.toml:1: the fee is in SAR but the product is sold in YER") {
		t.Errorf("error %v", err)
	}
}

func TestBelowCostAtTheQuote(t *testing.T) {
	fixed := "[[prices]]\nproduct = \"bitaqaty/2862\"\nretail = \"52\"\n"
	tests := []struct {
		name      string
		l         *List
		cost      string // the cost the provider quotes now
		retail    string // the provider's own retail in the quote
		below     bool
		retailWas string
	}{
		{"fixed price over cost", list(t, fixed), "48.50 SAR", "51.00 SAR", false, "52.00 SAR"},
		{"cost rose past the fixed price", list(t, fixed), "52.50 SAR", "55.00 SAR", true, "52.00 SAR"},
		{"allowed below cost", list(t, fixed+"below_cost = true\n"), "52.50 SAR", "55.00 SAR", false, "52.00 SAR"},
		{"provider's own retail below cost", nil, "52.50 SAR", "51.00 SAR", true, "51.00 SAR"},
		{"a markup never goes below cost", list(t, "[[prices]]\nproduct = \"bitaqaty/2862\"\nmarkup_percent = \"2\"\n"), "52.50 SAR", "51.00 SAR", false, "53.55 SAR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := tt.l.Plan(itunes50, money.Zero)
			if err != nil {
				t.Fatal(err)
			}
			q := quote(itunes50, money.Zero)
			q.Cost, q.Retail = m(tt.cost), m(tt.retail)
			pr, err := tt.l.Apply(plan, q)
			if err != nil {
				t.Fatal(err)
			}
			if pr.BelowCost != tt.below || pr.Retail.String() != tt.retailWas {
				t.Errorf("BelowCost %v retail %s, want %v %s", pr.BelowCost, pr.Retail, tt.below, tt.retailWas)
			}
		})
	}
}

func TestRangeAndUnitModes(t *testing.T) {
	tests := []struct {
		name    string
		rules   string
		product providers.Product
		entered string
		mode    Mode
		ask     string // what the provider is asked to quote and send
		cost    string
		retail  string
		margin  string
	}{
		{"no rule: pays the amount", "", ymTopUp, "1000", PayMore, "1000", "1000.00 YER", "1000.00 YER", "0.00 YER"},
		{"pay more: the amount plus the markup", "markup_percent = \"2\"", ymTopUp, "1000", PayMore, "1000", "1000.00 YER", "1020.00 YER", "20.00 YER"},
		// 952 × 1.05 = 999.6 → 1000 fits; 953 × 1.05 = 1000.65 → 1001 does not.
		{"less credit by a percentage", "markup_percent = \"5\"\nmode = \"less_credit\"", ymTopUp, "1000", LessCredit, "952", "952.00 YER", "1000.00 YER", "48.00 YER"},
		// 950 + 50 = 1000 fits; 951 + 50 → 1005 does not.
		{"less credit by a fixed markup", "markup = \"50\"\nround = \"5\"\nmode = \"less_credit\"", ymTopUp, "1000", LessCredit, "950", "950.00 YER", "1000.00 YER", "50.00 YER"},
		{"less credit, exact", "markup_percent = \"25\"\nmode = \"less_credit\"", ymTopUp, "1000", LessCredit, "800", "800.00 YER", "1000.00 YER", "200.00 YER"},
		{"units, pay more", "markup_percent = \"10\"", sabafon, "100", PayMore, "100", "600.00 YER", "660.00 YER", "60.00 YER"},
		// 151 units × 6 × 1.1 = 996.6 → 997 fits; 152 → 1003.2 does not.
		{"units, less credit", "markup_percent = \"10\"\nmode = \"less_credit\"", sabafon, "1000", LessCredit, "151", "906.00 YER", "1000.00 YER", "94.00 YER"},
		// Rounding down would let 1004 YER of credit go for 1000: never more credit than the money pays for.
		{"less credit never sends more than paid", "markup_percent = \"0\"\nround = \"10\"\nrounding = \"down\"\nmode = \"less_credit\"", ymTopUp, "1000", LessCredit, "1000", "1000.00 YER", "1000.00 YER", "0.00 YER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := ""
			if tt.rules != "" {
				text = "[[prices]]\nproduct = \"" + tt.product.Key() + "\"\n" + tt.rules + "\n"
			}
			pr := sell(t, listFor(t, text, tt.product), tt.product, tt.entered)
			got := []string{string(pr.Mode), pr.Credit.String(), pr.Cost.String(), pr.Retail.String(), pr.Margin.String()}
			want := []string{string(tt.mode), tt.ask, tt.cost, tt.retail, tt.margin}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("mode, credit, cost, retail, margin = %v, want %v", got, want)
			}
			if pr.BelowCost || pr.ShortOfRule {
				t.Errorf("BelowCost %v ShortOfRule %v", pr.BelowCost, pr.ShortOfRule)
			}
		})
	}
}

func TestLessCreditRefusals(t *testing.T) {
	l := listFor(t, "[[prices]]\nbrand = \"Yemen Mobile\"\nmarkup_percent = \"5\"\nmode = \"less_credit\"\n", ymTopUp)
	tests := []struct {
		entered, want string
	}{
		{"100", `"alqimah/topup-yemen_mobile": 100.00 YER buys 95.00 YER of credit under k.toml:1, but the amount must be at least 100`},
		{"0", "must be more than zero"},
		{"60000", "amount must be at most 50000"},
	}
	for _, tt := range tests {
		if _, err := l.Plan(ymTopUp, d(tt.entered)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Plan(%s): %v, want %q", tt.entered, err, tt.want)
		}
	}
}

// The credit cost more than the plan assumed (a provider that charges over
// face value): the customer still pays what was agreed, and Confirm warns.
func TestLessCreditShortOfTheRule(t *testing.T) {
	l := listFor(t, "[[prices]]\nbrand = \"Yemen Mobile\"\nmarkup_percent = \"5\"\nmode = \"less_credit\"\n", ymTopUp)
	plan, err := l.Plan(ymTopUp, d("1000"))
	if err != nil {
		t.Fatal(err)
	}
	q := quote(ymTopUp, plan.Ask)
	q.Cost = m("980 YER")
	pr, err := l.Apply(plan, q)
	if err != nil {
		t.Fatal(err)
	}
	if !pr.ShortOfRule || pr.BelowCost || pr.Retail.String() != "1000.00 YER" || pr.Margin.String() != "20.00 YER" {
		t.Errorf("%+v short %v below %v", pr.Record, pr.ShortOfRule, pr.BelowCost)
	}
}

func TestApplyRefusesAMismatchedQuote(t *testing.T) {
	l := list(t, "[[prices]]\nbrand = \"Yemen Mobile\"\nmarkup_percent = \"5\"\nmode = \"less_credit\"\n")
	plan, err := l.Plan(ymTopUp, d("1000"))
	if err != nil {
		t.Fatal(err)
	}
	zeroCost := quote(ymTopUp, plan.Ask)
	zeroCost.Cost = m("0 YER")
	tests := []struct {
		name string
		q    providers.Quote
		want string
	}{
		{"another product", quote(pubg60, money.Zero), `quote for "alqimah/game-pubg_60" does not belong to the plan for "alqimah/topup-yemen_mobile"`},
		{"the amount paid instead of the credit", quote(ymTopUp, d("1000")), "the quote is for 1000, the plan asked for 952"},
		{"no cost", zeroCost, "quoted a cost of 0.00 YER"},
	}
	for _, tt := range tests {
		if _, err := l.Apply(plan, tt.q); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

// A day of sales in two currencies: the margins add up to retail − cost −
// VAT per currency (the fee with the retail, the VAT owed being what the
// shop charged less what the provider charged it), against figures worked
// out by hand.
func TestMarginsAddUp(t *testing.T) {
	l := list(t, `[[prices]]
provider = "bitaqaty"
kind = "voucher"
markup_percent = "5"

[[prices]]
brand = "PUBG"
markup_percent = "10"
round = "5"

[[prices]]
brand = "Sabafon"
markup_percent = "10"
mode = "less_credit"

[[fees]]
provider = "bitaqaty"
kind = "bill"
amount = "2.00"
currency = "SAR"
vat_percent = "15"

[[fees]]
brand = "Yemen Mobile"
amount = "50"
currency = "YER"
`)
	sales := []struct {
		p       providers.Product
		entered string
	}{
		{itunes50, ""},    // 48.50 → 50.95 (SM: VAT (50.95 − 50) × 15/115 = 0.12)
		{psn100, ""},      // 97.75 → 102.65 (SG: VAT 13.39)
		{stcBill, "100"},  // 100 + fee 2.00 (VAT 0.26)
		{mtn5, ""},        // the provider's 21.00 over 19.40, no VAT
		{pubg60, ""},      // 495 → 545
		{pubg325, ""},     // 2475 → 2725
		{ymTopUp, "1000"}, // 1000 + fee 50
		{sabafon, "1000"}, // 151 units: 906 for 1000
		{itunes10, ""},    // at cost
	}
	retail, cost, fee, vatOut, vatIn, margin := money.Totals{}, money.Totals{}, money.Totals{}, money.Totals{}, money.Totals{}, money.Totals{}
	for _, s := range sales {
		pr := sell(t, l, s.p, s.entered)
		// Each sale's own books balance.
		vat := pr.RetailVAT.Amount.Add(pr.FeeVAT.Amount).Sub(pr.CostVAT.Amount)
		want := pr.Retail.Amount.Add(pr.Fee.Amount).Sub(pr.Cost.Amount).Sub(vat)
		if pr.Margin.Amount.Cmp(want) != 0 || pr.VAT.Amount.Cmp(vat) != 0 ||
			!pr.Total.Equal(money.New(pr.Retail.Amount.Add(pr.Fee.Amount), pr.Retail.Currency)) {
			t.Errorf("%s: %+v does not add up", s.p.Key(), pr.Record)
		}
		retail.Add(pr.Retail)
		cost.Add(pr.Cost)
		fee.Add(pr.Fee)
		vatOut.Add(pr.RetailVAT)
		vatOut.Add(pr.FeeVAT)
		vatIn.Add(money.New(pr.CostVAT.Amount, pr.Cost.Currency))
		margin.Add(pr.Margin)
	}
	// Margins by hand: SAR 2.33 + 4.26 + 1.74 + 1.60; YER 50 + 250 + 50 + 94 + 0.
	expect := map[string]struct{ retail, cost, fee, vatOut, vatIn, margin string }{
		// 50.95 + 102.65 + 100 + 21.00; 48.50 + 97.75 + 100 + 19.40; 0.12 + 13.39 + 0.26; PSN's cost VAT
		"SAR": {"274.6", "265.65", "2", "13.77", "12.75", "9.93"},
		// 545 + 2725 + 1000 + 1000 + 5720; 495 + 2475 + 1000 + 906 + 5720
		"YER": {"10990", "10596", "50", "0", "0", "444"},
	}
	for cur, e := range expect {
		got := []string{retail[cur].String(), cost[cur].String(), fee[cur].String(), vatOut[cur].String(), vatIn[cur].String(), margin[cur].String()}
		want := []string{e.retail, e.cost, e.fee, e.vatOut, e.vatIn, e.margin}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: retail, cost, fee, VAT charged, VAT paid, margin = %v, want %v", cur, got, want)
		}
		sum := retail[cur].Add(fee[cur]).Sub(cost[cur]).Sub(vatOut[cur].Sub(vatIn[cur]))
		if sum.Cmp(margin[cur]) != 0 {
			t.Errorf("%s: retail + fee − cost − VAT = %s, margins sum to %s", cur, sum, margin[cur])
		}
	}
	if len(retail) != 2 {
		t.Errorf("currencies %v: amounts of two currencies were mixed", retail)
	}
}

// What a sale keeps is plain JSON with decimals as strings, and the rule
// as written: repricing under another list never touches it.
func TestRecordIsSelfContained(t *testing.T) {
	old := sell(t, list(t, "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"10\"\nround = \"5\"\n"), pubg60, "")
	b, err := json.Marshal(old.Record)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"retail":{"amount":"545","currency":"YER"}`, `"cost":{"amount":"495","currency":"YER"}`,
		`"margin":{"amount":"50","currency":"YER"}`, `"source":"rule"`,
		`"rule":"k.toml:1 [[prices]] brand = \"PUBG\", markup_percent = \"10\", round = \"5\", rounding = \"up\""`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("record %s: want %s", b, w)
		}
	}
	_ = sell(t, list(t, "[[prices]]\nproduct = \"alqimah/game-pubg_60\"\nretail = \"600\"\n"), pubg60, "")
	var back Record
	if err := json.Unmarshal(b, &back); err != nil || !back.Retail.Equal(old.Retail) || back.Rule != old.Rule {
		t.Errorf("read back %+v, %v; want %+v", back, err, old.Record)
	}
}

func BenchmarkApply(b *testing.B) {
	rules, err := Parse("k.toml", benchRules)
	if err != nil {
		b.Fatal(err)
	}
	l, err := rules.Check(testCatalogue)
	if err != nil {
		b.Fatal(err)
	}
	q := quote(pubg60, money.Zero)
	for b.Loop() {
		plan, _ := l.Plan(pubg60, money.Zero)
		if _, err := l.Apply(plan, q); err != nil {
			b.Fatal(err)
		}
	}
}

// benchRules is a price list of a size a shop may keep: a rule per brand
// and kind, a fee per kind.
var benchRules = func() string {
	var b strings.Builder
	for _, k := range []providers.Kind{providers.KindVoucher, providers.KindTopUp, providers.KindBill} {
		b.WriteString("[[prices]]\nkind = \"" + string(k) + "\"\nmarkup_percent = \"3\"\n")
		b.WriteString("[[prices]]\nprovider = \"alqimah\"\nkind = \"" + string(k) + "\"\nmarkup_percent = \"4\"\n")
	}
	for _, br := range []string{"PUBG", "iTunes", "Yemen Mobile", "Sabafon", "STC", "PlayStation", "MTN"} {
		b.WriteString("[[prices]]\nbrand = \"" + br + "\"\nmarkup_percent = \"5\"\n")
	}
	b.WriteString("[[fees]]\nprovider = \"alqimah\"\nkind = \"bill\"\namount = \"100\"\ncurrency = \"YER\"\n")
	return b.String()
}()

// BenchmarkCheck checks a price list against a catalogue the size of all
// five providers' together, many times over.
func BenchmarkCheck(b *testing.B) {
	rules, err := Parse("k.toml", benchRules)
	if err != nil {
		b.Fatal(err)
	}
	var ps []providers.Product
	for i := range 1000 {
		for _, p := range testProducts {
			p.ID = fmt.Sprintf("%s-%d", p.ID, i)
			ps = append(ps, p)
		}
	}
	cat := Catalogue{Providers: testCatalogue.Providers, Products: shelf.Of(ps)}
	b.ResetTimer()
	for b.Loop() {
		if _, err := rules.Check(cat); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCatalogPrice(t *testing.T) {
	l := list(t, "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"10\"\nround = \"5\"\n[[prices]]\nbrand = \"Yemen Mobile\"\nmarkup_percent = \"2\"\n")
	noCost := mtn5
	noCost.Cost = m("0 SAR")
	tests := []struct {
		p      providers.Product
		want   string
		source Source
	}{
		{pubg60, "545.00 YER", FromRule},
		{mtn5, "21.00 SAR", FromProvider},
		{itunes10, "5720.00 YER", FromProvider}, // Al-Qimah's price is its cost: a quote would say the same
		{noCost, "21.00 SAR", FromProvider},
		{ymTopUp, "0.00 YER", FromRule},
		{stcBill, "0.00 SAR", FromProvider},
	}
	for _, tt := range tests {
		got, src, err := l.CatalogPrice(tt.p)
		if err != nil || got.String() != tt.want || src != tt.source {
			t.Errorf("CatalogPrice(%s) = %s %s %v, want %s %s", tt.p.Key(), got, src, err, tt.want, tt.source)
		}
	}
}
