package eod

import (
	"cmp"
	"slices"
	"strings"

	"kiosk/money"
	"kiosk/sale"
)

// Figures are the sums of a group of succeeded sales whose amounts are in
// one set of currencies. Amounts of two currencies are never added: a sale
// whose cost, fee or VAT is in another currency than its retail price goes
// to a group of its own, whose VAT owed and margin are nil.
//
// The margin is what the shop keeps: Retail + Fee − Cost − VATOwed, where
// VATOwed = VAT + FeeVAT − CostVAT is the VAT the shop owes (the VAT it
// collected less the VAT the provider charged it), as package pricing
// works it out for each sale.
type Figures struct {
	Currency     string       `json:"currency"`                // retail price's
	CostCurrency string       `json:"cost_currency,omitempty"` // set only when it differs
	VATCurrency  string       `json:"vat_currency,omitempty"`  // retail VAT's, set only when it differs
	FeeCurrency  string       `json:"fee_currency,omitempty"`  // set only when it differs
	Sales        int          `json:"sales"`
	Cost         money.Money  `json:"cost"`
	Retail       money.Money  `json:"retail"`
	VAT          money.Money  `json:"vat"` // the VAT in the retail prices
	Fee          money.Money  `json:"fee,omitzero"`
	FeeVAT       money.Money  `json:"fee_vat,omitzero"`
	CostVAT      money.Money  `json:"cost_vat,omitzero"`
	VATOwed      *money.Money `json:"vat_owed,omitempty"` // nil across currencies
	Margin       *money.Money `json:"margin,omitempty"`   // nil across currencies
}

// Total is one provider's succeeded sales in one set of currencies: its
// Figures, spelt out (as they always were, for the code and the Z-reports
// that read them).
type Total struct {
	Provider     string       `json:"provider"`
	Name         string       `json:"name,omitempty"` // the provider's name, as it calls itself
	Currency     string       `json:"currency"`
	CostCurrency string       `json:"cost_currency,omitempty"`
	VATCurrency  string       `json:"vat_currency,omitempty"`
	FeeCurrency  string       `json:"fee_currency,omitempty"`
	Sales        int          `json:"sales"`
	Cost         money.Money  `json:"cost"`
	Retail       money.Money  `json:"retail"`
	VAT          money.Money  `json:"vat"`
	Fee          money.Money  `json:"fee,omitzero"`
	FeeVAT       money.Money  `json:"fee_vat,omitzero"`
	CostVAT      money.Money  `json:"cost_vat,omitzero"`
	VATOwed      *money.Money `json:"vat_owed,omitempty"`
	Margin       *money.Money `json:"margin,omitempty"`
}

// Figures are the total's figures.
func (t *Total) Figures() Figures {
	return Figures{Currency: t.Currency, CostCurrency: t.CostCurrency, VATCurrency: t.VATCurrency, FeeCurrency: t.FeeCurrency,
		Sales: t.Sales, Cost: t.Cost, Retail: t.Retail, VAT: t.VAT, Fee: t.Fee, FeeVAT: t.FeeVAT, CostVAT: t.CostVAT,
		VATOwed: t.VATOwed, Margin: t.Margin}
}

func totalOf(provider, name string, f Figures) Total {
	return Total{Provider: provider, Name: name, Currency: f.Currency, CostCurrency: f.CostCurrency, VATCurrency: f.VATCurrency,
		FeeCurrency: f.FeeCurrency, Sales: f.Sales, Cost: f.Cost, Retail: f.Retail, VAT: f.VAT, Fee: f.Fee, FeeVAT: f.FeeVAT,
		CostVAT: f.CostVAT, VATOwed: f.VATOwed, Margin: f.Margin}
}

// Line is one clerk's, one brand's or one product's succeeded sales in one
// set of currencies. A product line names its provider too.
type Line struct {
	Clerk        string `json:"clerk,omitempty"`
	Brand        string `json:"brand,omitempty"`
	Provider     string `json:"provider,omitempty"`
	ProviderName string `json:"provider_name,omitempty"`
	ProductID    string `json:"product_id,omitempty"`
	Product      string `json:"product,omitempty"`
	Figures
}

// Counts are the period's sales by what happened to them and their slips.
type Counts struct {
	Sales     int `json:"sales"` // every sale of the period, whatever its state
	Succeeded int `json:"succeeded"`
	Failed    int `json:"failed"`
	Open      int `json:"open"`      // prepared, pending, in doubt or in review
	Reprinted int `json:"reprinted"` // sales printed more than once
	Reprints  int `json:"reprints"`  // every print of a sale after its first
	// NotSoldSlips are failed sales whose slip was printed. The journal
	// counts a sale's prints, not which slip each was: a sale printed
	// while open (a NOT SETTLED slip) that failed later counts here too.
	NotSoldSlips int `json:"not_sold_slips"`
}

// curSet names the currencies of a sale's amounts. A currency is "" where
// it is the retail price's, and for an amount that is zero (a zero adds
// nothing, whatever its currency).
type curSet struct{ retail, cost, vat, fee, feeVAT, costVAT string }

func currenciesOf(s *SaleSummary) curSet {
	r := s.Retail.Currency
	other := func(m money.Money) string {
		if m.Currency == r || m.IsZero() {
			return ""
		}
		return m.Currency
	}
	return curSet{retail: r, cost: other(s.Cost), vat: other(s.RetailVAT), fee: other(s.Fee),
		feeVAT: other(s.FeeVAT), costVAT: other(s.CostVAT)}
}

// sums adds up the amounts of sales of one curSet.
type sums struct {
	n                                       int
	retail, cost, vat, fee, feeVAT, costVAT money.Decimal
}

func (a *sums) add(s *SaleSummary) {
	a.n++
	a.retail = a.retail.Add(s.Retail.Amount)
	a.cost = a.cost.Add(s.Cost.Amount)
	a.vat = a.vat.Add(s.RetailVAT.Amount)
	a.fee = a.fee.Add(s.Fee.Amount)
	a.feeVAT = a.feeVAT.Add(s.FeeVAT.Amount)
	a.costVAT = a.costVAT.Add(s.CostVAT.Amount)
}

func (a *sums) merge(b *sums) {
	a.n += b.n
	a.retail, a.cost, a.vat = a.retail.Add(b.retail), a.cost.Add(b.cost), a.vat.Add(b.vat)
	a.fee, a.feeVAT, a.costVAT = a.fee.Add(b.fee), a.feeVAT.Add(b.feeVAT), a.costVAT.Add(b.costVAT)
}

// figures turns sums into amounts with their currencies, and works out the
// VAT owed and the margin where every amount is in the retail currency.
func figures(k curSet, a *sums) Figures {
	in := func(cur string) string { return cmp.Or(cur, k.retail) }
	f := Figures{Currency: k.retail, CostCurrency: k.cost, VATCurrency: k.vat, FeeCurrency: k.fee, Sales: a.n,
		Retail: money.Money{Amount: a.retail, Currency: k.retail}, Cost: money.Money{Amount: a.cost, Currency: in(k.cost)},
		VAT: money.Money{Amount: a.vat, Currency: in(k.vat)}, Fee: money.Money{Amount: a.fee, Currency: in(k.fee)},
		FeeVAT: money.Money{Amount: a.feeVAT, Currency: in(k.feeVAT)}, CostVAT: money.Money{Amount: a.costVAT, Currency: in(k.costVAT)}}
	if k.vat == "" && k.feeVAT == "" && k.costVAT == "" {
		owed := money.Money{Amount: a.vat.Add(a.feeVAT).Sub(a.costVAT), Currency: k.retail}
		f.VATOwed = &owed
		if k.cost == "" && k.fee == "" {
			m := money.Money{Amount: a.retail.Add(a.fee).Sub(a.cost).Sub(owed.Amount), Currency: k.retail}
			f.Margin = &m
		}
	}
	return f
}

// group is the finest grouping the report needs: the other views are
// sums of these. A day has thousands of sales but only dozens of groups,
// so each sale costs one map update.
type group struct {
	provider, productID, brand, clerk string
	cur                               curSet
}

// tally is everything the report adds up from the period's sales.
type tally struct {
	totals                   []Total
	clerks, brands, products []Line
	counts                   Counts
}

// tallySales groups the succeeded sales per provider, clerk, brand and
// product, each per set of currencies, and counts every sale. name gives a
// provider's name from its id.
func tallySales(sales []SaleSummary, name func(string) string) tally {
	var out tally
	groups := map[group]*sums{}
	productNames := map[[2]string]string{}
	for i := range sales {
		s := &sales[i]
		out.counts.count(s)
		if s.State != sale.Succeeded {
			continue
		}
		g := group{provider: s.Provider, productID: s.ProductID, brand: s.Brand, clerk: s.Clerk, cur: currenciesOf(s)}
		a := groups[g]
		if a == nil {
			a = &sums{}
			groups[g] = a
		}
		a.add(s)
		productNames[[2]string{s.Provider, s.ProductID}] = s.ProductName // oldest first: the newest name stays
	}

	type byKey struct {
		k   Line
		cur curSet
	}
	roll := func(key func(g group) Line) []Line {
		m := map[byKey]*sums{}
		for g, a := range groups {
			k := byKey{key(g), g.cur}
			if m[k] == nil {
				m[k] = &sums{}
			}
			m[k].merge(a)
		}
		lines := make([]Line, 0, len(m))
		for k, a := range m {
			l := k.k
			l.Figures = figures(k.cur, a)
			lines = append(lines, l)
		}
		return lines
	}
	for _, l := range roll(func(g group) Line { return Line{Provider: g.provider} }) {
		out.totals = append(out.totals, totalOf(l.Provider, name(l.Provider), l.Figures))
	}
	out.clerks = roll(func(g group) Line { return Line{Clerk: g.clerk} })
	out.brands = roll(func(g group) Line { return Line{Brand: g.brand} })
	out.products = roll(func(g group) Line { return Line{Provider: g.provider, ProductID: g.productID} })
	for i := range out.products {
		p := &out.products[i]
		p.ProviderName, p.Product = name(p.Provider), productNames[[2]string{p.Provider, p.ProductID}]
	}

	slices.SortFunc(out.totals, func(a, b Total) int {
		fa, fb := a.Figures(), b.Figures()
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), compareFigures(&fa, &fb))
	})
	slices.SortFunc(out.clerks, func(a, b Line) int {
		return cmp.Or(byName(a.Clerk, b.Clerk), compareFigures(&a.Figures, &b.Figures))
	})
	slices.SortFunc(out.brands, func(a, b Line) int {
		return cmp.Or(byName(a.Brand, b.Brand), compareFigures(&a.Figures, &b.Figures))
	})
	slices.SortFunc(out.products, func(a, b Line) int {
		return cmp.Or(byName(a.ProviderName, b.ProviderName), byName(a.Product, b.Product),
			cmp.Compare(a.ProductID, b.ProductID), compareFigures(&a.Figures, &b.Figures))
	})
	return out
}

// byName orders names as people look them up: "iTunes" between
// "Google Play" and "PUBG".
func byName(a, b string) int {
	return cmp.Or(cmp.Compare(strings.ToLower(a), strings.ToLower(b)), cmp.Compare(a, b))
}

// compareFigures orders the currency sets of one clerk, brand or product.
func compareFigures(a, b *Figures) int {
	return cmp.Or(cmp.Compare(a.Currency, b.Currency), cmp.Compare(a.CostCurrency, b.CostCurrency),
		cmp.Compare(a.VATCurrency, b.VATCurrency), cmp.Compare(a.FeeCurrency, b.FeeCurrency),
		cmp.Compare(a.CostVAT.Currency, b.CostVAT.Currency), cmp.Compare(a.FeeVAT.Currency, b.FeeVAT.Currency))
}

func (c *Counts) count(s *SaleSummary) {
	c.Sales++
	switch {
	case s.State == sale.Succeeded:
		c.Succeeded++
	case s.State == sale.Failed:
		c.Failed++
		if s.Prints > 0 {
			c.NotSoldSlips++
		}
	case s.State.Open():
		c.Open++
	}
	if s.Prints > 1 {
		c.Reprinted++
		c.Reprints += s.Prints - 1
	}
}
