package pricing

import (
	"strings"
	"testing"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/shelf"
)

// m is an amount for tests: m("48.50 SAR").
func m(s string) money.Money {
	amt, cur, _ := strings.Cut(s, " ")
	return money.New(money.MustParse(amt), cur)
}

func d(s string) money.Decimal { return money.MustParse(s) }

// The test catalogue: products shaped as the provider clients build them.
var (
	itunes50 = providers.Product{Provider: "bitaqaty", ID: "2862", Name: "iTunes Gift Card 50 SAR", Brand: "iTunes",
		Kind: providers.KindVoucher, Available: true, PriceKind: providers.PriceFixed,
		Price: m("51.00 SAR"), Cost: m("48.50 SAR"), FaceValue: m("50 SAR"), VATType: "SM", VATPercent: d("15")}
	psn100 = providers.Product{Provider: "bitaqaty", ID: "3100", Name: "PlayStation 100 SAR", Brand: "PlayStation",
		Kind: providers.KindVoucher, Available: true, PriceKind: providers.PriceFixed,
		Price: m("103.50 SAR"), Cost: m("97.75 SAR"), VATType: "SG", VATPercent: d("15")}
	psn50 = providers.Product{Provider: "bitaqaty", ID: "3201", Name: "PlayStation 50", Brand: "PlayStation",
		Kind: providers.KindVoucher, Available: true, PriceKind: providers.PriceFixed,
		Price: m("57.50 SAR"), Cost: m("55.20 SAR"), FaceValue: m("50 SAR"), VATType: "SG", VATPercent: d("15")}
	stcBill = providers.Product{Provider: "bitaqaty", ID: "bill-stc", Name: "STC bill", Brand: "STC",
		Kind: providers.KindBill, Available: true, PriceKind: providers.PriceRange,
		Price: m("0 SAR"), MinAmount: m("5 SAR"), VATType: "OS"}
	pubg60 = providers.Product{Provider: "alqimah", ID: "game-pubg_60", Name: "Pubg UC 60", Brand: "PUBG",
		Kind: providers.KindVoucher, Available: true, PriceKind: providers.PriceFixed,
		Price: m("495 YER"), Cost: m("495 YER")}
	pubg325 = providers.Product{Provider: "alqimah", ID: "game-pubg_325", Name: "Pubg UC 325", Brand: "PUBG",
		Kind: providers.KindVoucher, Available: true, PriceKind: providers.PriceFixed,
		Price: m("2475 YER"), Cost: m("2475 YER")}
	itunes10 = providers.Product{Provider: "alqimah", ID: "game-itunes_10", Name: "iTunes 10", Brand: "iTunes",
		Kind: providers.KindVoucher, Available: true, PriceKind: providers.PriceFixed,
		Price: m("5720 YER"), Cost: m("5720 YER")}
	ymTopUp = providers.Product{Provider: "alqimah", ID: "topup-yemen_mobile", Name: "Yemen Mobile top-up", Brand: "Yemen Mobile",
		Kind: providers.KindTopUp, Available: true, PriceKind: providers.PriceRange,
		Price: m("0 YER"), Cost: m("0 YER"), MinAmount: m("100 YER"), MaxAmount: m("50000 YER")}
	sabafon = providers.Product{Provider: "alqimah", ID: "topup-sabafon", Name: "Sabafon top-up", Brand: "Sabafon",
		Kind: providers.KindTopUp, Available: true, PriceKind: providers.PriceUnits,
		Price: m("6 YER"), Cost: m("6 YER"), MinAmount: money.New(d("10"), ""), MaxAmount: money.New(d("10000"), "")}
	adsl = providers.Product{Provider: "alqimah", ID: "topup-adsl", Name: "ADSL payment", Brand: "Yemen Net",
		Kind: providers.KindBill, Available: true, PriceKind: providers.PriceRange,
		Price: m("0 YER"), Cost: m("0 YER"), MinAmount: m("500 YER")}
	airtel = providers.Product{Provider: "dtone", ID: "9001", Name: "Airtel India top-up", Brand: "Airtel",
		Kind: providers.KindTopUp, Available: true, PriceKind: providers.PriceRange,
		Price: m("0 SAR"), Cost: m("0 SAR"), MinAmount: m("10 INR"), MaxAmount: m("5000 INR")}
	mtn5 = providers.Product{Provider: "dtone", ID: "9100", Name: "MTN 5 GB", Brand: "MTN",
		Kind: providers.KindOffer, Available: true, PriceKind: providers.PriceFixed,
		Price: m("21.00 SAR"), Cost: m("19.40 SAR")}
)

var (
	testProducts  = []providers.Product{itunes50, psn100, stcBill, pubg60, pubg325, itunes10, ymTopUp, sabafon, adsl, airtel, mtn5, psn50}
	testCatalogue = Catalogue{
		Providers: []string{"alqimah", "bitaqaty", "dtone", "mor"},
		Products:  shelf.Of(testProducts),
	}
)

// list parses and checks a price list against the test catalogue.
func list(t *testing.T, text string) *List {
	t.Helper()
	rules, err := Parse("k.toml", text)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	l, err := rules.Check(testCatalogue)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return l
}

// quote is the provider's quote for a product, as its client returns it:
// fixed products at their catalogue prices, range products at the amount,
// unit products at count × unit price.
func quote(p providers.Product, amount money.Decimal) providers.Quote {
	q := providers.Quote{Product: p, Cost: p.Cost, Retail: p.Price}
	switch p.PriceKind {
	case providers.PriceRange:
		cur := currencyOf(&p)
		q.Amount, q.Cost, q.Retail = amount, money.New(amount, cur), money.New(amount, cur)
	case providers.PriceUnits:
		n, _ := amount.IntPart()
		q.Amount = amount
		q.Cost = money.New(p.Cost.Amount.MulInt(n), p.Cost.Currency)
		q.Retail = q.Cost
	}
	if p.Key() == psn100.Key() {
		// SG: the cost VAT is 15% on top of 85.00.
		q.CostBeforeVAT, q.CostVAT = m("85.00 SAR"), m("12.75 SAR")
	}
	if p.Key() == itunes50.Key() {
		// Bitaqaty's sandbox figures for the 50 SAR card (README's Confirm).
		q.CostBeforeVAT, q.CostVAT = m("48.50 SAR"), m("0 SAR")
		q.RetailBeforeVAT, q.RetailVAT = m("50.87 SAR"), m("0.13 SAR")
	}
	return q
}

// sell plans and prices one sale, as the engine will.
func sell(t *testing.T, l *List, p providers.Product, entered string) Priced {
	t.Helper()
	e := money.Zero
	if entered != "" {
		e = d(entered)
	}
	plan, err := l.Plan(p, e)
	if err != nil {
		t.Fatalf("Plan(%s, %s): %v", p.Key(), entered, err)
	}
	pr, err := l.Apply(plan, quote(p, plan.Ask))
	if err != nil {
		t.Fatalf("Apply(%s, %s): %v", p.Key(), entered, err)
	}
	return pr
}
