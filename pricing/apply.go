package pricing

import (
	"errors"
	"fmt"

	"kiosk/money"
	"kiosk/providers"
)

// Source says what set a sale's retail price.
type Source string

// Sources.
const (
	FromRule     Source = "rule"     // a [[prices]] rule
	FromProvider Source = "provider" // no rule: the provider's recommended retail price
	FromCost     Source = "cost"     // no rule and no retail price from the provider: sold at cost
)

// Plan is what to ask the provider for, worked out before the quote from
// what the clerk entered.
type Plan struct {
	Product providers.Product
	// Mode is the rule's mode for a range or unit product; "" for a
	// fixed-price product.
	Mode Mode
	// Entered is the amount or unit count the clerk entered; in LessCredit
	// mode it is money: what the customer pays, before any fee.
	Entered money.Decimal
	// Ask is the amount (range) or unit count (units) to quote and send:
	// Entered, except in LessCredit mode, where it is the credit or the
	// units that Entered buys under the rule.
	Ask money.Decimal
	// Paid is what the customer pays before any fee, in LessCredit mode.
	Paid money.Money
}

// Plan works out the amount to ask the provider to quote for a sale. For
// a fixed-price product, and a range or unit product in PayMore mode, that
// is what the clerk entered; in LessCredit mode entered is what the
// customer pays, and the amount asked is the most credit (or units) whose
// price under the rule is no more than that.
func (l *List) Plan(p providers.Product, entered money.Decimal) (Plan, error) {
	r := l.rule(p)
	plan := Plan{Product: p, Mode: r.mode(p), Entered: entered, Ask: entered}
	if plan.Mode != LessCredit {
		return plan, nil
	}
	cur := currencyOf(&p)
	plan.Paid = money.New(entered, cur)
	if entered.Sign() <= 0 {
		return Plan{}, fmt.Errorf("%q: the amount the customer pays must be more than zero", p.Key())
	}
	ask, err := lessCredit(r, p, plan.Paid)
	if err != nil {
		return Plan{}, fmt.Errorf("%q: %s under %s: %w", p.Key(), plan.Paid, r.Pos, err)
	}
	if err := p.ValidateAmount(ask); err != nil {
		return Plan{}, fmt.Errorf("%q: %s buys %s under %s, but the %w", p.Key(), plan.Paid, asked(p, ask, cur), r.Pos, err)
	}
	plan.Ask = ask
	return plan, nil
}

// asked writes what is sent: "952.00 YER of credit" or "151 units".
func asked(p providers.Product, ask money.Decimal, cur string) string {
	if p.PriceKind == providers.PriceUnits {
		return ask.String() + " units"
	}
	return money.New(ask, cur).String() + " of credit"
}

// lessCredit is the most credit (in steps of the product's step, else the
// currency's) or the most units whose price under r is no more than paid.
// Credit is taken to cost its face value, a unit its unit price; no more
// is ever sent than paid would cost without a markup. The price grows
// with the amount, so the largest amount that fits is found by bisection.
func lessCredit(r *Rule, p providers.Product, paid money.Money) (money.Decimal, error) {
	unit := p.Cost // per unit, for unit products
	if p.PriceKind == providers.PriceRange {
		unit = money.New(p.Step, paid.Currency)
		if p.Step.Sign() <= 0 {
			unit.Amount = Step(paid.Currency)
		}
	} else if unit.Amount.Sign() <= 0 {
		unit = p.Price
	}
	if unit.Amount.Sign() <= 0 || unit.Currency != paid.Currency {
		return money.Zero, fmt.Errorf("the product gives no unit price in %s to work out the credit from", paid.Currency)
	}
	most, err := paid.Amount.MulDiv(money.FromInt(1), unit.Amount, money.FromInt(1), money.RoundDown)
	if err != nil {
		return money.Zero, err
	}
	hi, _ := most.IntPart()
	fits := func(k int64) (bool, error) {
		retail, err := r.retailFor(money.New(unit.Amount.MulInt(k), unit.Currency))
		return retail.Amount.Cmp(paid.Amount) <= 0, err
	}
	lo := int64(0) // fits(lo) holds (nothing costs nothing); fits(hi+1) is not tried
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		ok, err := fits(mid)
		if err != nil {
			return money.Zero, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return money.Zero, errors.New("it does not pay for the smallest amount")
	}
	if p.PriceKind == providers.PriceUnits {
		return money.FromInt(lo), nil
	}
	return unit.Amount.MulInt(lo), nil
}

// Record is what a sale keeps of its price: the figures and the rule as
// written when it was sold, so a later change of the price list never
// changes a recorded sale.
type Record struct {
	Cost      money.Money `json:"cost"`              // charged to the shop, VAT included
	CostVAT   money.Money `json:"cost_vat,omitzero"` // the VAT inside Cost, as the provider gave it
	Retail    money.Money `json:"retail"`            // the product's price to the customer, VAT included, fee apart
	RetailVAT money.Money `json:"retail_vat"`        // the VAT inside Retail
	Fee       money.Money `json:"fee,omitzero"`      // the shop's service fee, VAT included
	FeeVAT    money.Money `json:"fee_vat,omitzero"`  // the VAT inside Fee
	Total     money.Money `json:"total"`             // what the customer pays: Retail + Fee
	VAT       money.Money `json:"vat"`               // the VAT the shop owes: RetailVAT + FeeVAT − CostVAT
	Margin    money.Money `json:"margin"`            // what the shop keeps: Total − Cost − VAT
	// Mode is the mode of a range or unit product; Credit the amount (or
	// unit count) sent for it.
	Mode   Mode          `json:"mode,omitempty"`
	Credit money.Decimal `json:"credit,omitzero"`
	Source Source        `json:"source"`
	// Rule is the [[prices]] rule as written, with its file and line, or
	// why there was none; FeeRule the same for the fee.
	Rule    string `json:"rule"`
	FeeRule string `json:"fee_rule,omitempty"`
}

// Priced is a quote with the shop's prices.
type Priced struct {
	// Quote is the provider's quote with Retail, RetailBeforeVAT and
	// RetailVAT set to the shop's price (fee apart): the quote to confirm,
	// journal and send. Quote.Fee stays the provider's own fee (DT One's),
	// which its cost and retail price already include.
	Quote providers.Quote
	Record
	// BelowCost means the price is below cost and no rule allows it (the
	// provider's cost rose past a fixed price, or its own retail price is
	// below cost): Confirm warns and needs enter twice.
	BelowCost bool
	// ShortOfRule means, in LessCredit mode, that the credit cost more than
	// planned, so the customer pays less than the rule's price for it:
	// Confirm warns and needs enter twice, as for a price change.
	ShortOfRule bool
}

// Apply prices the provider's quote for a plan: the retail price from the
// rule (or the provider's recommended retail, else cost), its VAT, the fee
// with its own VAT, the margin, and the rule that set them.
func (l *List) Apply(plan Plan, q providers.Quote) (Priced, error) {
	p := q.Product
	if p.Key() != plan.Product.Key() {
		return Priced{}, fmt.Errorf("quote for %q does not belong to the plan for %q", p.Key(), plan.Product.Key())
	}
	if variable(&p) && q.Amount.Cmp(plan.Ask) != 0 {
		return Priced{}, fmt.Errorf("%q: the quote is for %s, the plan asked for %s", p.Key(), q.Amount, plan.Ask)
	}
	if q.Cost.Amount.Sign() <= 0 {
		return Priced{}, fmt.Errorf("%q: the provider quoted a cost of %s; a price cannot be set over it", p.Key(), q.Cost)
	}
	r := l.rule(p)
	if r.mode(p) != plan.Mode {
		return Priced{}, fmt.Errorf("%q: its price rule changed since the plan (mode %q, now %q); quote it again", p.Key(), plan.Mode, r.mode(p))
	}
	out := Priced{Quote: q, Record: Record{Cost: q.Cost, CostVAT: q.CostVAT, Mode: plan.Mode}}
	if variable(&p) {
		out.Credit = q.Amount
	}
	if err := out.retail(r, plan, q); err != nil {
		return Priced{}, fmt.Errorf("price %q: %w", p.Key(), err)
	}
	if err := out.fee(l.fee(p)); err != nil {
		return Priced{}, fmt.Errorf("price %q: %w", p.Key(), err)
	}
	if err := out.totals(); err != nil {
		return Priced{}, fmt.Errorf("price %q: %w", p.Key(), err)
	}
	allowed := r != nil && r.BelowCost
	out.BelowCost = out.Retail.Amount.Cmp(out.Cost.Amount) < 0 && !allowed
	return out, nil
}

// retail sets the retail price, its VAT and where it came from.
func (pr *Priced) retail(r *Rule, plan Plan, q providers.Quote) error {
	cur := q.Retail.Currency
	if cur == "" {
		cur = q.Cost.Currency
	}
	if r != nil && q.Cost.Currency != cur {
		return fmt.Errorf("the cost is in %s and the price in %s: a price cannot be set over cost", q.Cost.Currency, cur)
	}
	switch {
	case plan.Mode == LessCredit:
		if plan.Paid.Currency != q.Cost.Currency {
			return fmt.Errorf("the customer pays in %s but the cost is in %s", plan.Paid.Currency, q.Cost.Currency)
		}
		want, err := r.retailFor(q.Cost)
		if err != nil {
			return err
		}
		pr.Retail, pr.Source, pr.Rule = plan.Paid, FromRule, r.Describe(cur)
		pr.ShortOfRule = want.Amount.Cmp(plan.Paid.Amount) > 0
	case r != nil:
		if r.Method == Fixed && variable(&q.Product) {
			return fmt.Errorf("%s: a fixed retail price cannot price an amount chosen at the sale", r.Pos)
		}
		retail, err := r.retailFor(q.Cost)
		if err != nil {
			return err
		}
		pr.Retail, pr.Source, pr.Rule = retail, FromRule, r.Describe(cur)
	case q.Retail.Amount.Sign() > 0:
		// The provider's own figures, VAT and all, as it sent them.
		pr.Retail, pr.RetailVAT, pr.Source = q.Retail, q.RetailVAT, FromProvider
		pr.Rule = "no [[prices]] rule: the provider's recommended retail price"
		if pr.RetailVAT.Currency == "" {
			pr.RetailVAT.Currency = cur
		}
		return nil
	default:
		pr.Retail, pr.Source = q.Cost, FromCost
		pr.Rule = "no [[prices]] rule and no retail price from the provider: sold at cost"
	}
	vat, err := retailVAT(q, pr.Retail)
	if err != nil {
		return err
	}
	pr.RetailVAT = vat
	pr.Quote.Retail, pr.Quote.RetailVAT = pr.Retail, vat
	pr.Quote.RetailBeforeVAT, err = pr.Retail.Sub(vat)
	return err
}

// fee adds the sale's service fee, if one applies.
func (pr *Priced) fee(f *Fee) error {
	cur := pr.Retail.Currency
	pr.Fee, pr.FeeVAT = money.New(money.Zero, cur), money.New(money.Zero, cur)
	if f == nil {
		return nil
	}
	if f.Amount.Currency != cur {
		return fmt.Errorf("%s: the fee is in %s but the product is sold in %s", f.Pos, f.Amount.Currency, cur)
	}
	vat, err := f.vat()
	if err != nil {
		return fmt.Errorf("%s: %w", f.Pos, err)
	}
	pr.Fee, pr.FeeVAT, pr.FeeRule = f.Amount, vat, f.Describe()
	return nil
}

// totals sets what the customer pays, the VAT the shop owes (what it
// charges less what the provider charged it) and what it keeps.
func (pr *Priced) totals() error {
	var errs [5]error
	pr.Total, errs[0] = pr.Retail.Add(pr.Fee)
	pr.VAT, errs[1] = pr.RetailVAT.Add(pr.FeeVAT)
	pr.VAT, errs[2] = pr.VAT.Sub(pr.CostVAT)
	pr.Margin, errs[3] = pr.Total.Sub(pr.Cost)
	pr.Margin, errs[4] = pr.Margin.Sub(pr.VAT)
	return errors.Join(errs[:]...)
}

// rule is the rule that prices p, or nil.
func (l *List) rule(p providers.Product) *Rule {
	if l == nil {
		return nil
	}
	if i := best(l.rules, ruleMatch, &p); i >= 0 {
		return &l.rules[i]
	}
	return nil
}

// fee is the fee that applies to p, or nil. A fee of zero applies as
// "no fee" and is not recorded.
func (l *List) fee(p providers.Product) *Fee {
	if l == nil {
		return nil
	}
	if i := best(l.fees, feeMatch, &p); i >= 0 && !l.fees[i].Amount.IsZero() {
		return &l.fees[i]
	}
	return nil
}

// RuleFor is the rule that prices p, for screens that show it; false when
// no rule does.
func (l *List) RuleFor(p providers.Product) (Rule, bool) {
	if r := l.rule(p); r != nil {
		return *r, true
	}
	return Rule{}, false
}

// CatalogPrice is the shop's price of a fixed-price product as the
// catalogue lists it, for the catalogue screen and kiosk catalog to show
// beside the cost: the rule applied to the catalogue's cost, else the
// provider's price. A range or unit product is priced only at the quote:
// its price here is zero, with the source a quote would have.
func (l *List) CatalogPrice(p providers.Product) (money.Money, Source, error) {
	r, cur := l.rule(p), currencyOf(&p)
	switch {
	case variable(&p) && r != nil:
		return money.New(money.Zero, cur), FromRule, nil
	case variable(&p):
		return money.New(money.Zero, cur), FromProvider, nil
	case p.Cost.Amount.Sign() <= 0 && r != nil && r.Method == Fixed:
		return money.New(r.Value, cur), FromRule, nil
	case p.Cost.Amount.Sign() <= 0:
		// The cost comes only with the quote: the provider's price stands.
		return p.Price, FromProvider, nil
	}
	pr, err := l.Apply(Plan{Product: p}, providers.Quote{Product: p, Cost: p.Cost, Retail: p.Price})
	if err != nil {
		return money.Money{}, "", err
	}
	return pr.Retail, pr.Source, nil
}
