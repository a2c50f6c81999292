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

// Catalog loads the products of the configured operators, or of every
// (configured) country. One discovery call per operator or country.
func (c *Client) Catalog(ctx context.Context) ([]providers.Product, error) {
	paths, err := c.catalogPaths(ctx)
	if err != nil {
		return nil, fmt.Errorf("dtone catalog: %w", err)
	}
	var out []providers.Product
	seen := map[string]bool{}
	skipped := 0
	for _, path := range paths {
		list, n, err := c.products(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("dtone catalog %s: %w", path, err)
		}
		skipped += n
		for _, tp := range list {
			if !c.countryWanted(string(tp.CountryID), tp.Country) {
				continue
			}
			p := toProduct(tp)
			if !seen[p.ID] {
				seen[p.ID] = true
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 && skipped > 0 {
		return nil, fmt.Errorf("dtone catalog: none of %d products had a readable price", skipped)
	}
	slices.SortStableFunc(out, func(a, b providers.Product) int {
		return cmp.Or(cmp.Compare(a.Country, b.Country), cmp.Compare(a.Brand, b.Brand), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// catalogPaths lists the discovery calls to make.
func (c *Client) catalogPaths(ctx context.Context) ([]string, error) {
	var paths []string
	if len(c.cfg.Operators) > 0 {
		for _, op := range c.cfg.Operators {
			paths = append(paths, "operators/"+strconv.Itoa(op)+"/products")
		}
		return paths, nil
	}
	status, body, err := c.call(ctx, http.MethodGet, "countries", nil, answerLimit)
	if err != nil {
		return nil, transportError("catalog", err)
	}
	if status != http.StatusOK {
		return nil, answerError("catalog", status, body)
	}
	countries, err := parseCountries(body)
	if err != nil {
		return nil, err
	}
	for _, ct := range countries {
		if c.countryWanted(ct.ID, ct.Name) {
			paths = append(paths, "countries/"+seg(ct.ID)+"/products")
		}
	}
	return paths, nil
}

// products runs one discovery call.
func (c *Client) products(ctx context.Context, path string) ([]typedProduct, int, error) {
	status, body, err := c.call(ctx, http.MethodGet, path, nil, catalogLimit)
	if err != nil {
		return nil, 0, transportError("catalog", err)
	}
	if status != http.StatusOK {
		return nil, 0, answerError("catalog", status, body)
	}
	return parseProducts(body)
}

// countryWanted applies the countries setting to a DT One country.
func (c *Client) countryWanted(id, name string) bool {
	if len(c.cfg.Countries) == 0 {
		return true
	}
	iso := isoOf(name)
	for _, want := range c.cfg.Countries {
		if want == id || iso != "" && strings.EqualFold(want, iso) {
			return true
		}
	}
	return false
}

// toProduct turns a discovery product into the kiosk's product.
func toProduct(tp typedProduct) providers.Product {
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
		Extra: map[string]string{
			"type":        tp.Type,
			"product_id":  id,
			"operator_id": string(tp.OperatorID),
			"operator":    tp.Operator,
			"country_id":  string(tp.CountryID),
			"verify":      verifyOf(tp),
		},
	}
	if isVariable(tp.Type) {
		min, max := tp.bounds()
		cur := tp.amountCurrency()
		p.PriceKind = providers.PriceRange
		p.MinAmount, p.MaxAmount = money.New(*min, cur), money.New(*max, cur)
		p.Extra["amount_currency"] = cur
		p.Extra["account_currency"] = tp.AccountCurrency
		if tp.Type == VariablePayments {
			// The bill amount must be fetched first, with a call the seed
			// does not document; listed so the clerk sees why it can't be sold.
			p.Available = false
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

func zeroIfNil(d *money.Decimal) money.Decimal {
	if d == nil {
		return money.Zero
	}
	return *d
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

// verifyOf says whether a product's account number can be checked before a
// sale: "yes", "no", or "unknown" (the catalogue does not say; the quote
// tries and DT One answers 1000304 where it can't).
func verifyOf(tp typedProduct) string {
	if tp.AccountVerification != nil {
		switch strings.ToLower(string(*tp.AccountVerification)) {
		case "1", "true", "yes":
			return "yes"
		case "0", "false", "no":
			return "no"
		}
	}
	return "unknown"
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
