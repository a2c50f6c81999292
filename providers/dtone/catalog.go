package dtone

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"kiosk/money"
	"kiosk/providers"
)

// Catalog loads the products of the configured operators, countries and
// services: one discovery call of the seed document for each (seed L54,
// L113, L153), and one suggested-values call (seed L193) for each
// variable-value recharge, which is sold at those values only. With no ids
// configured, a discovery extension lists every country, service or
// operator first.
func (c *Client) Catalog(ctx context.Context) ([]providers.Product, error) {
	paths, err := c.catalogPaths(ctx)
	if err != nil {
		return nil, fmt.Errorf("dtone catalog: %w", err)
	}
	// Each call's products are kept apart and put together once at the
	// end: appending 480,000 products one by one to one slice allocated
	// five times their size (a large slice grows by a quarter) while the
	// kiosk goes on with its catalogue in memory.
	var parts [][]providers.Product
	seen := map[string]bool{}
	skipped := 0
	for _, path := range paths {
		list, n, err := c.products(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("dtone catalog %s: %w", path, err)
		}
		skipped += n
		out := make([]providers.Product, 0, len(list))
		for _, tp := range list {
			id := prefixOf(tp.Type) + "-" + string(tp.ProductID)
			if seen[id] {
				continue
			}
			seen[id] = true
			var sugg []suggestion
			var refused *apiError
			if tp.Type == VariableRecharges {
				if sugg, refused, err = c.suggestions(ctx, "catalog", string(tp.ProductID)); err != nil {
					return nil, fmt.Errorf("dtone catalog: suggested values of product %s: %w", tp.ProductID, err)
				}
			}
			p := toProduct(tp, sugg)
			if refused != nil {
				unavailable(&p, "DT One gives no suggested values for it ("+refused.Code+")")
			}
			out = append(out, p)
		}
		parts = append(parts, out)
	}
	out := slices.Concat(parts...)
	clear(parts)
	if len(out) == 0 && skipped > 0 {
		return nil, fmt.Errorf("dtone catalog: none of %d products had a readable price", skipped)
	}
	slices.SortStableFunc(out, func(a, b providers.Product) int {
		return cmp.Or(cmp.Compare(a.Country, b.Country), cmp.Compare(a.Brand, b.Brand), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return providers.CleanProducts(out), nil
}

// catalogPaths lists the discovery calls to make: the configured ids, in
// the order operators, countries, services; with none, every country,
// service or operator a discovery extension lists.
func (c *Client) catalogPaths(ctx context.Context) ([]string, error) {
	var paths []string
	for _, op := range c.cfg.Operators {
		paths = append(paths, "operators/"+strconv.Itoa(op)+"/products") // seed L54
	}
	var iso []string
	for _, cc := range c.cfg.Countries {
		if isDigits(cc) {
			paths = append(paths, "countries/"+seg(cc)+"/products") // seed L113
		} else {
			iso = append(iso, strings.ToUpper(cc))
		}
	}
	for _, sv := range c.cfg.Services {
		paths = append(paths, "services/"+strconv.Itoa(sv)+"/products") // seed L153
	}
	none := len(paths) == 0 && len(iso) == 0
	switch {
	case len(iso) > 0 || none && c.cfg.Has(ExtCountries):
		countries, err := c.discover(ctx, ExtCountries, "countries", "country_id", "country")
		if err != nil {
			return nil, err
		}
		found := map[string]bool{}
		for _, ct := range countries {
			code := isoOf(ct.Name)
			if none || slices.Contains(iso, code) {
				found[code] = true
				paths = append(paths, "countries/"+seg(ct.ID)+"/products") // seed L113
			}
		}
		for _, cc := range iso {
			if !found[cc] {
				return nil, fmt.Errorf("countries: DT One lists no country for the ISO code %q: write DT One's own country id instead", cc)
			}
		}
	case none && c.cfg.Has(ExtServices):
		services, err := c.discover(ctx, ExtServices, "services", "service_id", "service")
		if err != nil {
			return nil, err
		}
		for _, sv := range services {
			paths = append(paths, "services/"+seg(sv.ID)+"/products") // seed L153
		}
	case none && c.cfg.Has(ExtOperators):
		operators, err := c.discover(ctx, ExtOperators, "operators", "operator_id", "operator")
		if err != nil {
			return nil, err
		}
		for _, op := range operators {
			paths = append(paths, "operators/"+seg(op.ID)+"/products") // seed L54
		}
	}
	return paths, nil
}

// discover runs one discovery extension: GET countries, GET services or
// GET operators.
//
// extension countries / services / operators: PROVIDERS.md "(extension)
// GET ping, services, countries, operators" (public Goods & Services API).
func (c *Client) discover(ctx context.Context, ext, list, idKey, nameKey string) ([]listed, error) {
	a, err := c.send(ctx, http.MethodGet, list, nil, answerLimit) // extension countries|services|operators: PROVIDERS.md
	if err != nil {
		return nil, failure("catalog", err)
	}
	if a.Status != http.StatusOK || routeMissing(a) {
		return nil, answerError("catalog", "GET "+list, routeHint(ext), a)
	}
	return parseListed(a.Body, list, idKey, nameKey)
}

// products runs one discovery call of the seed document: GET
// operators/{id}/products (seed L54), countries/{id}/products (seed L113)
// or services/{id}/products (seed L153).
func (c *Client) products(ctx context.Context, path string) ([]typedProduct, int, error) {
	a, err := c.send(ctx, http.MethodGet, path, nil, catalogLimit)
	if err != nil {
		return nil, 0, failure("catalog", err)
	}
	if a.Status != http.StatusOK || routeMissing(a) {
		return nil, 0, answerError("catalog", "GET "+path, routeHint(""), a)
	}
	return parseProducts(a.Body)
}

// unavailable lists p but marks it not sellable, saying why.
func unavailable(p *providers.Product, why string) {
	p.Available = false
	p.Extra["unavailable"] = why
	p.HowToUse = "Not sold at this kiosk: " + why + "."
}

// toProduct turns a discovery product into the kiosk's product. sugg are
// the suggested values of a variable-value recharge.
func toProduct(tp typedProduct, sugg []suggestion) providers.Product {
	id := string(tp.ProductID)
	iso := isoOf(tp.Country)
	p := providers.Product{
		Provider:  ID,
		ID:        prefixOf(tp.Type) + "-" + id,
		Name:      cmp.Or(strings.TrimSpace(tp.ProductName), strings.TrimSpace(tp.ShortDesc), "Product "+id),
		Brand:     brandOf(tp.Operator, tp.Country),
		Category:  tp.Service,
		Country:   iso,
		Kind:      kindOf(tp.Type, tp.Service),
		Available: true,
		Fields:    []providers.Field{accountField(tp.Type, tp.Service, iso)},
		HowToUse:  howToUse(tp),
		// No product_id: it is the ID's number (productID), and leaving it
		// out makes the extras of one operator's products the same, so a
		// decoded cache keeps one map for them all instead of one a product.
		Extra: map[string]string{
			"type":        tp.Type,
			"operator_id": string(tp.OperatorID),
			"operator":    tp.Operator,
			"country_id":  string(tp.CountryID),
			"verify":      "unknown", // the quote tries; 1000304 says "not for this product" (seed L254-L265)
		},
	}
	if isVariable(tp.Type) {
		cur := tp.amountCurrency()
		p.PriceKind = providers.PriceRange
		p.Price = money.Money{Currency: cur}
		p.Extra["amount_currency"] = cur
		p.Extra["account_currency"] = tp.AccountCurrency
		switch tp.Type {
		case VariableRecharges:
			// Sold at its suggested values only (seed L191-L229): the seed
			// defines no range, and prices nothing else.
			if len(sugg) == 0 {
				unavailable(&p, "DT One suggests no values for it")
				return p
			}
			lo, hi := sugg[0].LocalValue, sugg[0].LocalValue
			vals := make([]string, len(sugg))
			for i, s := range sugg {
				lo, hi = minDec(lo, s.LocalValue), maxDec(hi, s.LocalValue)
				vals[i] = s.LocalValue.String()
			}
			p.MinAmount, p.MaxAmount = money.New(lo, cur), money.New(hi, cur)
			p.Extra["suggested"] = strings.Join(vals, ",")
		case VariablePayments:
			// Seed L25: the amount to pay must be retrieved first, with a
			// request the seed does not document.
			unavailable(&p, "the bill amount must be retrieved first, with a request DT One's document does not describe")
		default:
			// The seed documents suggested values for variable value
			// recharges only (L193), and no range: nothing prices it.
			unavailable(&p, "DT One's document gives no price for variable-value vouchers")
		}
		return p
	}
	fee := zeroIfNil(tp.Fee)
	p.PriceKind = providers.PriceFixed
	p.Price = money.New(tp.RetailPrice.Add(fee), tp.AccountCurrency)
	p.Cost = money.New(tp.WholesalePrice.Add(fee), tp.AccountCurrency)
	switch {
	case tp.LocalValue != nil && tp.LocalCurrency != "":
		p.FaceValue = money.New(*tp.LocalValue, tp.LocalCurrency)
	case tp.ProductValue != nil && tp.ProductCurrency != "":
		p.FaceValue = money.New(*tp.ProductValue, tp.ProductCurrency)
	}
	return p
}

func minDec(a, b money.Decimal) money.Decimal {
	if b.Cmp(a) < 0 {
		return b
	}
	return a
}

func maxDec(a, b money.Decimal) money.Decimal {
	if b.Cmp(a) > 0 {
		return b
	}
	return a
}

func zeroIfNil(d *money.Decimal) money.Decimal {
	if d == nil {
		return money.Zero
	}
	return *d
}

// productID is DT One's product id of p: the number after the type's
// prefix in p.ID ("fvv-112" is 112), or the product_id extra a product
// copied before it left the extras still carries (a sale in an older
// journal).
func productID(p providers.Product) string {
	if id := p.Extra["product_id"]; id != "" {
		return id
	}
	_, id, _ := strings.Cut(p.ID, "-")
	return id
}

func prefixOf(typ string) string {
	for _, pt := range productTypes {
		if pt.name == typ {
			return pt.prefix
		}
	}
	return "p"
}

func kindOf(typ, service string) providers.Kind {
	svc := strings.ToLower(service)
	switch {
	case strings.Contains(typ, "voucher"):
		return providers.KindVoucher
	case strings.Contains(typ, "payment"):
		return providers.KindBill
	case strings.Contains(svc, "bundle") || strings.Contains(svc, "data"):
		return providers.KindOffer
	}
	return providers.KindTopUp
}

// brandOf turns DT One's operator name ("Claro TV Guatemala USD", "Airtel
// Bangladesh") into what a clerk calls it ("Claro TV", "Airtel") by dropping
// a trailing currency code and the country name.
func brandOf(operator, country string) string {
	words := strings.Fields(operator)
	if n := len(words); n > 1 && len(words[n-1]) == 3 && strings.ToUpper(words[n-1]) == words[n-1] && isLetters(words[n-1]) {
		words = words[:n-1]
	}
	b := strings.Join(words, " ")
	if country != "" && len(b) > len(country) && strings.HasSuffix(strings.ToLower(b), " "+strings.ToLower(country)) {
		b = strings.TrimSpace(b[:len(b)-len(country)])
	}
	return cmp.Or(b, strings.TrimSpace(operator))
}

func isLetters(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func howToUse(tp typedProduct) string {
	desc := strings.TrimSpace(tp.ShortDesc)
	var s string
	switch kindOf(tp.Type, tp.Service) {
	case providers.KindVoucher:
		s = "Give the customer the PIN from the receipt to redeem with " + brandOf(tp.Operator, tp.Country) + "."
	case providers.KindBill:
		s = "The payment is credited to the account at once."
	default:
		s = "The credit is sent to the number at once; hand over the receipt with the operator reference."
	}
	if desc != "" && desc != tp.ProductName {
		s = desc + ". " + s
	}
	return s
}
