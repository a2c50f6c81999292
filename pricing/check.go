package pricing

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"kiosk/config"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/shelf"
)

// Catalogue is what a price list is checked against at start-up.
type Catalogue struct {
	// Providers are the ids of the configured providers.
	Providers []string
	// Products are the products of every provider whose catalogue is known
	// (loaded or cached in the journal).
	Products *shelf.Table
	// Unloaded are configured providers whose catalogue is not known yet
	// (a first start offline). A rule naming a brand or product that may be
	// theirs is warned about, not refused: the kiosk must still start.
	Unloaded []string
	// Merged says Products are the providers' lists merged into catalogue
	// order (sale.Catalogs): they are checked, and named in what is
	// reported, provider after provider in the order of Providers, as if
	// each provider's list were given one after the other.
	Merged bool
}

// List is a price list checked against a catalogue, ready to price sales.
// A nil *List has no rules and no fees: every product sells at the
// provider's recommended retail price, else at cost.
type List struct {
	rules    []Rule
	fees     []Fee
	warnings []string
	atCost   []string
}

// Warnings are the problems that do not stop the kiosk: products sold at
// cost, rules that price nothing, names not checked because a provider's
// catalogue is not loaded. Show them at start-up.
func (l *List) Warnings() []string {
	if l == nil {
		return nil
	}
	return l.warnings
}

// AtCost lists the keys of the available products sold at cost: no rule
// prices them and their provider gives no retail price above cost.
func (l *List) AtCost() []string {
	if l == nil {
		return nil
	}
	return l.atCost
}

// Check validates the rules against a catalogue: the providers, brands and
// products they name, a fee's currency against the products it applies to,
// and that no rule sells a product below cost unless it says below_cost.
// Every problem is reported at once, as "file:line: key: reason"; with
// any, no List is returned and the kiosk must not start half-priced.
func (r *Rules) Check(cat Catalogue) (*List, error) {
	c := newChecker(r.File, cat, r)
	// won lists, per rule and per fee, the products it prices (their
	// indexes in cat.Products).
	won, matched := make([][]int32, len(r.Prices)), make([]int, len(r.Prices))
	feeWon, feeMatched := make([][]int32, len(r.Fees)), make([]int, len(r.Fees))
	l := &List{rules: r.Prices, fees: r.Fees}
	var order []int32
	if cat.Merged {
		order = providerOrder(cat)
	}
	for n := range cat.Products.Len() {
		at := int32(n)
		if order != nil {
			at = order[n]
		}
		product := cat.Products.Product(int(at))
		p := &product
		c.see(p)
		if i := best(r.Prices, ruleMatch, p); i >= 0 {
			won[i] = append(won[i], at)
		} else if p.Available && atCost(p) {
			l.atCost = append(l.atCost, p.Key())
		}
		if i := best(r.Fees, feeMatch, p); i >= 0 {
			feeWon[i] = append(feeWon[i], at)
		}
		for i := range r.Prices {
			if r.Prices[i].Match.matches(p) {
				matched[i]++
			}
		}
		for i := range r.Fees {
			if r.Fees[i].Match.matches(p) {
				feeMatched[i]++
			}
		}
	}
	for i := range r.Prices {
		rule := &r.Prices[i]
		if c.known("prices", rule.Pos, rule.lines, rule.Match) && c.matches("prices", rule.Pos, rule.Match, matched[i]) {
			c.rule(rule, won[i])
		}
	}
	for i := range r.Fees {
		fee := &r.Fees[i]
		if c.known("fees", fee.Pos, fee.lines, fee.Match) && c.matches("fees", fee.Pos, fee.Match, feeMatched[i]) {
			c.fee(fee, feeWon[i])
		}
	}
	if err := errors.Join(c.errs...); err != nil {
		return nil, err
	}
	if n := len(l.atCost); n > 0 {
		c.warn("%d products are sold at cost (no [[prices]] rule, and no retail price above cost from the provider): %s", n, sample(l.atCost))
	}
	l.warnings = c.warnings
	return l, nil
}

// providerOrder lists the indexes of cat.Products provider after provider,
// in the order of cat.Providers, each provider's in the order given;
// products of a provider not listed come last, in the order given.
func providerOrder(cat Catalogue) []int32 {
	rank := make(map[string]int, len(cat.Providers))
	for i, id := range cat.Providers {
		if _, ok := rank[id]; !ok {
			rank[id] = i
		}
	}
	starts := make([]int, len(cat.Providers)+2) // per rank; the last: not listed
	of := func(provider string) int {
		if k, ok := rank[provider]; ok {
			return k
		}
		return len(cat.Providers)
	}
	last, lastRank := "", 0
	for i := range cat.Products.Len() {
		if p := cat.Products.Provider(i); i == 0 || p != last {
			last, lastRank = p, of(p)
		}
		starts[lastRank+1]++
	}
	for k := 1; k < len(starts); k++ {
		starts[k] += starts[k-1]
	}
	order := make([]int32, cat.Products.Len())
	for i := range cat.Products.Len() {
		if p := cat.Products.Provider(i); i == 0 || p != last {
			last, lastRank = p, of(p)
		}
		order[starts[lastRank]] = int32(i)
		starts[lastRank]++
	}
	return order
}

// atCost reports whether a product without a rule sells at its cost: its
// provider gives no retail price above cost (a range product, whose prices
// come only with the quote, gives none in the catalogue).
func atCost(p *providers.Product) bool {
	switch {
	case p.Price.Amount.Sign() <= 0:
		return true
	case p.Cost.Currency != "" && p.Cost.Currency != p.Price.Currency:
		return false // a retail price the provider gives, not comparable here
	}
	return p.Price.Amount.Cmp(p.Cost.Amount) <= 0
}

func ruleMatch(r *Rule) Match { return r.Match }
func feeMatch(f *Fee) Match   { return f.Match }

// best is the index of the most specific item matching p, or -1. Parse
// refuses ties, so the first of equal rank cannot lose to a later one.
func best[T any](items []T, match func(*T) Match, p *providers.Product) int {
	idx, rank := -1, 0
	for i := range items {
		if m := match(&items[i]); m.rank() > rank && m.matches(p) {
			idx, rank = i, m.rank()
		}
	}
	return idx
}

// checker collects the problems found against one catalogue.
type checker struct {
	file       string
	products   *shelf.Table
	configured []string
	unloaded   map[string]bool
	// keys are the products the rules and fees name, provider → id →
	// whether the catalogue has it (see): no key is built per product.
	keys     map[string]map[string]bool
	brands   map[string]map[string]bool // provider → lower-case brand → present
	lastProv string                     // the last product seen: a brand comes in runs
	lastBr   string
	errs     []error
	warnings []string
}

func newChecker(file string, cat Catalogue, r *Rules) *checker {
	c := &checker{file: file, products: cat.Products, configured: slices.Sorted(slices.Values(cat.Providers)),
		unloaded: map[string]bool{}, keys: map[string]map[string]bool{}, brands: map[string]map[string]bool{}}
	for _, id := range cat.Unloaded {
		c.unloaded[id] = true
	}
	named := func(m Match) {
		if prov, id, ok := strings.Cut(m.Product, "/"); ok {
			if c.keys[prov] == nil {
				c.keys[prov] = map[string]bool{}
			}
			c.keys[prov][id] = false
		}
	}
	for i := range r.Prices {
		named(r.Prices[i].Match)
	}
	for i := range r.Fees {
		named(r.Fees[i].Match)
	}
	return c
}

// see notes a product of the catalogue: its key, if a rule names it, and
// its brand.
func (c *checker) see(p *providers.Product) {
	if ids := c.keys[p.Provider]; ids != nil {
		if _, ok := ids[p.ID]; ok {
			ids[p.ID] = true
		}
	}
	if p.Brand == c.lastBr && p.Provider == c.lastProv && len(c.brands) > 0 {
		return
	}
	c.lastProv, c.lastBr = p.Provider, p.Brand
	if c.brands[p.Provider] == nil {
		c.brands[p.Provider] = map[string]bool{}
	}
	c.brands[p.Provider][strings.ToLower(strings.TrimSpace(p.Brand))] = true
}

// hasKey reports whether the catalogue has the product key names.
func (c *checker) hasKey(key string) bool {
	prov, id, _ := strings.Cut(key, "/")
	return c.keys[prov][id]
}

func (c *checker) errorf(table string, pos Pos, lines map[string]int, key, format string, args ...any) {
	full := table
	if key != "" {
		full += "." + key
	}
	c.errs = append(c.errs, &config.KeyError{File: c.file, Line: pos.at(lines, key).Line, Key: full, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) warn(format string, args ...any) {
	c.warnings = append(c.warnings, fmt.Sprintf(format, args...))
}

// mayBeUnloaded reports whether products m names could be in a catalogue
// that is not loaded.
func (c *checker) mayBeUnloaded(m Match) bool {
	prov := m.Provider
	if m.Product != "" {
		prov, _, _ = strings.Cut(m.Product, "/")
	}
	if prov != "" {
		return c.unloaded[prov]
	}
	return len(c.unloaded) > 0
}

// known checks the provider, product and brand a table names; false means
// it names something that does not exist (reported).
func (c *checker) known(table string, pos Pos, lines map[string]int, m Match) bool {
	ok := true
	isConfigured := func(id string) bool { return slices.Contains(c.configured, id) }
	if m.Provider != "" && !isConfigured(m.Provider) {
		c.errorf(table, pos, lines, "provider", "unknown provider %q; configured: %s", m.Provider, strings.Join(c.configured, ", "))
		ok = false
	}
	if m.Product != "" {
		prov, _, _ := strings.Cut(m.Product, "/")
		switch {
		case !isConfigured(prov):
			c.errorf(table, pos, lines, "product", "unknown product %q: no provider %q is configured", m.Product, prov)
			ok = false
		case !c.hasKey(m.Product) && !c.unloaded[prov]:
			c.errorf(table, pos, lines, "product", "unknown product %q: %s has no such product (see kiosk catalog --provider %s)", m.Product, prov, prov)
			ok = false
		}
	}
	if ok && m.Brand != "" && !c.hasBrand(m.Provider, m.Brand) && !c.mayBeUnloaded(m) {
		where := "any provider"
		if m.Provider != "" {
			where = m.Provider
		}
		c.errorf(table, pos, lines, "brand", "unknown brand %q: no product of %s has it", m.Brand, where)
		ok = false
	}
	return ok
}

func (c *checker) hasBrand(provider, brand string) bool {
	b := strings.ToLower(brand)
	for prov, set := range c.brands {
		if (provider == "" || prov == provider) && set[b] {
			return true
		}
	}
	return false
}

// matches reports whether a table matches any product; one that matches
// none is refused (its keys together fit no product), unless the product
// may be in a catalogue not loaded yet.
func (c *checker) matches(table string, pos Pos, m Match, n int) bool {
	if n > 0 {
		return true
	}
	if c.mayBeUnloaded(m) {
		c.warn("%s: [[%s]] %s: not checked, it matches no product of the catalogues loaded so far", pos, table, m)
		return false
	}
	c.errs = append(c.errs, &config.KeyError{File: c.file, Line: pos.Line, Key: table,
		Msg: fmt.Sprintf("%s matches no product in the catalogue", m)})
	return false
}

// rule checks a price rule on the products it prices.
func (c *checker) rule(r *Rule, won []int32) {
	if len(won) == 0 {
		c.warn("%s: [[prices]] %s prices nothing: every product it matches has a more specific rule", r.Pos, r.Match)
		return
	}
	errorf := func(key, format string, args ...any) { c.errorf("prices", r.Pos, r.lines, key, format, args...) }
	method := string(r.Method)
	currencies := map[string]bool{}
	var below, fixedVariable, foreignCost, foreignAmount []string
	variables := 0
	for _, at := range won {
		product := c.products.Product(int(at))
		p := &product
		cur := currencyOf(p)
		currencies[cur] = true
		if p.Cost.Currency != "" && p.Cost.Currency != cur {
			foreignCost = append(foreignCost, p.Key())
			continue
		}
		if variable(p) {
			variables++
			if r.Method == Fixed {
				fixedVariable = append(fixedVariable, p.Key())
			}
			if r.Mode == LessCredit && p.PriceKind == providers.PriceRange && p.MinAmount.Currency != "" && p.MinAmount.Currency != cur {
				foreignAmount = append(foreignAmount, p.Key())
			}
		}
		if c.belowCost(r, p) {
			below = append(below, p.Key())
		}
	}
	if len(foreignCost) > 0 {
		errorf("", "prices products whose cost is in another currency than their price, so no price can be set over cost: %s", sample(foreignCost))
	}
	if len(fixedVariable) > 0 {
		errorf(method, "a fixed retail price cannot price products whose amount is chosen at the sale: %s; use markup_percent or markup", sample(fixedVariable))
	}
	if len(foreignAmount) > 0 {
		errorf("mode", "less_credit needs the amount in the currency the customer pays; these top up in another: %s", sample(foreignAmount))
	}
	if r.Mode != "" && variables == 0 {
		c.warn("%s: [[prices]] %s: mode applies to range and unit products, and this rule prices none", r.Pos.at(r.lines, "mode"), r.Match)
	}
	if len(below) > 0 {
		errorf(method, "sells below cost: %s; add below_cost = true to the rule if that is meant", sample(below))
	}
	c.amounts(r, currencies)
}

// amounts checks the amounts a rule writes (markup, retail, round) against
// the currencies of the products it prices: an amount has one currency.
func (c *checker) amounts(r *Rule, currencies map[string]bool) {
	curs := slices.Sorted(maps.Keys(currencies))
	type amount struct {
		key string
		v   money.Decimal
	}
	var amounts []amount
	if r.Method != Percent {
		amounts = append(amounts, amount{string(r.Method), r.Value})
	}
	if r.Round.Sign() > 0 {
		amounts = append(amounts, amount{"round", r.Round})
	}
	for _, a := range amounts {
		if len(curs) > 1 {
			c.errorf("prices", r.Pos, r.lines, a.key, "%s is an amount, but the rule prices products in %s; name a provider or product so it prices one currency", a.v, strings.Join(curs, " and "))
			continue
		}
		for _, cur := range curs {
			if p := money.Places(cur); a.v.Round(p).Cmp(a.v) != 0 {
				c.errorf("prices", r.Pos, r.lines, a.key, "%s has more decimal places than %s has (%d)", a.v, cur, p)
			}
		}
	}
}

// belowCost reports whether the rule would sell p below its catalogue cost
// without allowing it. Fixed products are checked at their price, unit
// products at their smallest count; a range product's cost comes only with
// the quote, where Apply reports it.
func (c *checker) belowCost(r *Rule, p *providers.Product) bool {
	if r.BelowCost || p.Cost.Amount.Sign() <= 0 || p.PriceKind == providers.PriceRange {
		return false
	}
	cost := p.Cost
	if p.PriceKind == providers.PriceUnits {
		n, _ := p.MinAmount.Amount.IntPart()
		cost.Amount = cost.Amount.MulInt(max(n, 1))
	}
	retail, err := r.retailFor(cost)
	return err == nil && retail.Amount.Cmp(cost.Amount) < 0
}

// fee checks a fee on the products it applies to.
func (c *checker) fee(f *Fee, won []int32) {
	if len(won) == 0 {
		c.warn("%s: [[fees]] %s applies to nothing: every product it matches has a more specific fee", f.Pos, f.Match)
		return
	}
	other := map[string][]string{}
	for _, at := range won {
		p := c.products.Product(int(at))
		if cur := currencyOf(&p); cur != f.Amount.Currency {
			other[cur] = append(other[cur], p.Key())
		}
	}
	for _, cur := range slices.Sorted(maps.Keys(other)) {
		c.errorf("fees", f.Pos, f.lines, "currency", "the fee is in %s, but it applies to products sold in %s: %s; name a provider or product so it applies to %s products only",
			f.Amount.Currency, cur, sample(other[cur]), f.Amount.Currency)
	}
}

// sample names the first few of a list of product keys. Keys come from the
// providers, so they are quoted: no control character reaches a terminal.
func sample(keys []string) string {
	const most = 5
	var b strings.Builder
	for i, k := range keys {
		if i == most {
			fmt.Fprintf(&b, " and %d more", len(keys)-most)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", k)
	}
	return b.String()
}
