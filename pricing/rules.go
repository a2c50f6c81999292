package pricing

import (
	"fmt"
	"strings"

	"kiosk/money"
	"kiosk/providers"
)

// Method is how a rule sets the retail price; its value is the config key.
type Method string

// Methods.
const (
	Percent Method = "markup_percent" // a percentage over cost
	Markup  Method = "markup"         // a fixed amount over cost
	Fixed   Method = "retail"         // a fixed retail price
)

// Mode says what the amount of a range or unit product means.
type Mode string

// Modes.
const (
	PayMore    Mode = "pay_more"    // the amount is the credit; the customer pays the rule's price for it
	LessCredit Mode = "less_credit" // the amount is what the customer pays; the shop sends less credit
)

// Pos is where a rule is written.
type Pos struct {
	File string
	Line int
}

// at is the position of one key of a table, given its lines.
func (p Pos) at(lines map[string]int, key string) Pos {
	if n, ok := lines[key]; ok {
		p.Line = n
	}
	return p
}

func (p Pos) String() string {
	f := p.File
	if f == "" {
		f = "config"
	}
	if p.Line == 0 {
		return f
	}
	return fmt.Sprintf("%s:%d", f, p.Line)
}

// Match says which products a rule or fee is for; an empty field matches
// every product.
type Match struct {
	Provider string         // provider id: "alqimah"
	Brand    string         // compared without regard to case
	Product  string         // product key: "alqimah/game-pubg_60"
	Kind     providers.Kind // "bill", "topup", …
}

// Matches reports whether p is one of the products m is for.
func (m Match) Matches(p providers.Product) bool { return m.matches(&p) }

// matches is Matches without copying the product or building its key.
func (m Match) matches(p *providers.Product) bool {
	return (m.Provider == "" || m.Provider == p.Provider) &&
		(m.Brand == "" || strings.EqualFold(m.Brand, strings.TrimSpace(p.Brand))) &&
		(m.Product == "" || isKey(m.Product, p)) &&
		(m.Kind == "" || m.Kind == p.Kind)
}

// isKey reports whether key is p.Key(), without building it.
func isKey(key string, p *providers.Product) bool {
	n := len(p.Provider)
	return len(key) == n+1+len(p.ID) && key[n] == '/' && key[:n] == p.Provider && key[n+1:] == p.ID
}

// rank orders matches by specificity: product outranks brand outranks
// provider outranks kind, and a match naming more keys outranks one with
// the same highest key naming fewer. As a bit mask, each key's weight is
// more than all lower keys together, so equal ranks mean the same keys.
func (m Match) rank() int {
	r := 0
	for _, k := range []struct {
		set    bool
		weight int
	}{{m.Product != "", 8}, {m.Brand != "", 4}, {m.Provider != "", 2}, {m.Kind != "", 1}} {
		if k.set {
			r += k.weight
		}
	}
	return r
}

// same reports whether two matches name the same keys with the same values,
// and so tie on every product they match.
func (m Match) same(o Match) bool {
	return m.Provider == o.Provider && strings.EqualFold(m.Brand, o.Brand) && m.Product == o.Product && m.Kind == o.Kind
}

// String writes the match as its config lines: `provider = "alqimah", brand = "PUBG"`.
func (m Match) String() string {
	var parts []string
	for _, kv := range [][2]string{{"provider", m.Provider}, {"brand", m.Brand}, {"product", m.Product}, {"kind", string(m.Kind)}} {
		if kv[1] != "" {
			parts = append(parts, fmt.Sprintf("%s = %q", kv[0], kv[1]))
		}
	}
	return strings.Join(parts, ", ")
}

// Rule is one [[prices]] table.
type Rule struct {
	Pos    Pos
	Match  Match
	Method Method
	// Value is the percentage (Percent), the amount over cost (Markup) or
	// the retail price (Fixed), in the product's currency.
	Value money.Decimal
	// Round is the rounding step in the product's currency; zero means the
	// currency's own step (Step).
	Round     money.Decimal
	Rounding  money.Rounding
	BelowCost bool // the owner allows this rule to sell below cost
	// Mode is what a range or unit product's amount means; "" is PayMore.
	Mode Mode

	lines map[string]int // each key's line, for problems found by Check
}

// step is the rule's rounding step for a currency.
func (r *Rule) step(currency string) money.Decimal {
	if r.Round.Sign() > 0 {
		return r.Round
	}
	return Step(currency)
}

// mode is the rule's mode for a product: only range and unit products have one.
func (r *Rule) mode(p providers.Product) Mode {
	if !variable(&p) {
		return ""
	}
	if r != nil && r.Mode != "" {
		return r.Mode
	}
	return PayMore
}

// retailFor is the rule's retail price for a cost.
func (r *Rule) retailFor(cost money.Money) (money.Money, error) {
	var amt money.Decimal
	var err error
	switch r.Method {
	case Percent:
		amt, err = cost.Amount.MulDiv(money.FromInt(100).Add(r.Value), money.FromInt(100), r.step(cost.Currency), r.Rounding)
	case Markup:
		amt, err = cost.Amount.Add(r.Value).RoundStep(r.step(cost.Currency), r.Rounding)
	case Fixed:
		amt = r.Value
	default:
		err = fmt.Errorf("no price method")
	}
	if err != nil {
		return money.Money{}, fmt.Errorf("%s: %w", r.Pos, err)
	}
	return money.New(amt, cost.Currency), nil
}

// Describe writes the rule as it priced a sale in a currency, with the
// rounding it used spelled out, for the journal: a later change of the
// price list or of a default never changes what a recorded sale says.
func (r *Rule) Describe(currency string) string {
	s := fmt.Sprintf("%s [[prices]] %s, %s = %q", r.Pos, r.Match, r.Method, r.Value)
	if r.Method != Fixed {
		s += fmt.Sprintf(", round = %q, rounding = %q", r.step(currency), r.Rounding)
	}
	if r.BelowCost {
		s += ", below_cost = true"
	}
	if r.Mode != "" {
		s += fmt.Sprintf(", mode = %q", r.Mode)
	}
	return s
}

// Fee is one [[fees]] table: a service fee per sale.
type Fee struct {
	Pos   Pos
	Match Match
	// Amount is what the customer pays for the fee, VAT included.
	Amount     money.Money
	VATPercent money.Decimal

	lines map[string]int
}

// vat is the VAT inside the fee, rounded to the currency's places.
func (f *Fee) vat() (money.Money, error) {
	return vatIn(f.Amount, f.VATPercent)
}

// Describe writes the fee for the journal.
func (f *Fee) Describe() string {
	return fmt.Sprintf("%s [[fees]] %s, amount = %q, currency = %q, vat_percent = %q",
		f.Pos, f.Match, f.Amount.Amount, f.Amount.Currency, f.VATPercent)
}

// steps are the currencies whose price step is not their minor unit, as
// the issue gives them: whole rials for YER, 0.05 for SAR. A rule's round
// key sets any other step.
var steps = map[string]money.Decimal{
	"YER": money.FromInt(1),
	"SAR": money.FromMinor(5, 2),
}

// Step is a currency's default rounding step for shop prices: YER whole
// rials, SAR 0.05, any other currency its minor unit.
func Step(currency string) money.Decimal {
	if s, ok := steps[strings.ToUpper(currency)]; ok {
		return s
	}
	return money.FromMinor(1, money.Places(currency))
}

// variable reports whether a product's amount is chosen at the sale.
func variable(p *providers.Product) bool {
	return p.PriceKind == providers.PriceRange || p.PriceKind == providers.PriceUnits
}

// currencyOf is the currency a product is sold in.
func currencyOf(p *providers.Product) string {
	switch {
	case p.Price.Currency != "":
		return p.Price.Currency
	case p.Cost.Currency != "":
		return p.Cost.Currency
	}
	return p.MinAmount.Currency
}
