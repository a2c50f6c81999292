package sale

import (
	"context"
	"fmt"

	"kiosk/i18n"
	"kiosk/money"
	"kiosk/pricing"
	"kiosk/providers"
)

// Quote is a price to confirm: the provider's quote with the shop's price
// on it (its Retail is the price list's retail price), and what the price
// list says of it. Confirm shows it, and the sale keeps Price.
type Quote struct {
	providers.Quote
	// Price is the shop's price: retail, the service fee on top, their VAT,
	// the margin and the rule that set them.
	Price pricing.Record
	// BelowCost: the price is below what the shop pays and no rule allows
	// it (the provider's cost rose past a fixed price, or its own retail
	// price is under cost). Confirm warns and asks for enter twice.
	BelowCost bool
	// ShortOfRule: the credit cost more than planned, so the customer pays
	// less than the rule's price for it. Confirm warns as for BelowCost.
	ShortOfRule bool
}

// NeedsSecondLook says Confirm must warn and ask for enter twice.
func (q Quote) NeedsSecondLook() bool { return q.BelowCost || q.ShortOfRule }

// CatalogPrice is the shop's price of a fixed-price product as the
// catalogue shows it (the price list applied to the catalogue's cost, else
// the provider's price); the quote gives the price actually charged. A
// product priced by the amount has none: its provider price is returned.
func (e *Engine) CatalogPrice(p providers.Product) money.Money {
	if p.PriceKind != providers.PriceFixed {
		return p.Price
	}
	m, _, err := e.prices.Load().CatalogPrice(p)
	if err != nil || m.IsZero() {
		return p.Price
	}
	return m
}

// SetPrices sets the shop's price list, checked against the catalogues
// (pricing.Rules.Check). Quotes made after it use it; a sale keeps the
// price it was quoted at.
func (e *Engine) SetPrices(l *pricing.List) { e.prices.Store(l) }

// Quote validates the clerk's input and asks the provider for the price to
// confirm, then prices it by the shop's price list. For a product priced
// by the amount, the price list's mode says what the amount entered is:
// the credit sent, or what the customer pays (the credit it buys is asked
// for). Nothing is sent when the input is wrong.
func (e *Engine) Quote(ctx context.Context, product providers.Product, fields map[string]string, amount money.Decimal) (Quote, error) {
	p, err := e.Provider(product.Provider)
	if err != nil {
		return Quote{}, err
	}
	if !product.Available {
		return Quote{}, i18n.Errorf("sale.not_available", product.Name)
	}
	if !e.store.HasKey() {
		return Quote{}, noKey(product.Name)
	}
	fields = product.NormalizeFields(fields)
	if err := product.ValidateFields(fields); err != nil {
		return Quote{}, err
	}
	prices := e.prices.Load()
	plan, err := prices.Plan(product, amount)
	if err != nil {
		return Quote{}, err
	}
	if err := product.ValidateAmount(plan.Ask); err != nil {
		return Quote{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.opt.Timeout)
	defer cancel()
	start := e.opt.Now()
	q, err := p.Quote(ctx, providers.QuoteRequest{Product: product, Fields: fields, Amount: plan.Ask})
	if err != nil {
		e.opt.Log.ProviderError("quote", product.Provider, "", err, e.since(start))
		return Quote{}, fmt.Errorf("quote %s: %w", product.Key(), err)
	}
	if q.Fields == nil {
		q.Fields = fields
	}
	if err := checkPrices(p.Info().Name, q); err != nil {
		return Quote{}, err
	}
	priced, err := prices.Apply(plan, q)
	if err != nil {
		return Quote{}, err
	}
	return Quote{Quote: priced.Quote, Price: priced.Record, BelowCost: priced.BelowCost, ShortOfRule: priced.ShortOfRule}, nil
}

// noKey refuses a sale whose PIN could not be kept, and says how to mend it.
func noKey(product string) error {
	return i18n.Errorf("sale.no_key", product, ErrNoKey)
}

// maxMarkup bounds how far apart cost and retail may be before the quote
// is taken for a provider's mistake rather than a price.
const maxMarkup = 100

// checkPrices refuses a quote whose prices make no sense, before the clerk
// sees them: a zero or negative cost or retail price (a customer must never
// be told to pay −0.60), or one more than maxMarkup times the other.
func checkPrices(provider string, q providers.Quote) error {
	for _, p := range []struct {
		what string
		m    money.Money
	}{{"cost", q.Cost}, {"retail", q.Retail}} {
		if p.m.Amount.Sign() <= 0 {
			return i18n.Errorf("sale.price_not_above_zero."+p.what, provider, p.m.String(), q.Product.Name)
		}
	}
	if q.Cost.Currency != q.Retail.Currency {
		return nil
	}
	hundredfold := func(a, b money.Money) bool {
		return a.Amount.Cmp(b.Amount.MulInt(maxMarkup)) > 0
	}
	if hundredfold(q.Retail, q.Cost) || hundredfold(q.Cost, q.Retail) {
		return i18n.Errorf("sale.prices_apart", provider, q.Retail.String(), q.Product.Name, q.Cost.String(), maxMarkup)
	}
	return nil
}

// PriceChanged reports whether the confirmed price differs from the price
// the clerk saw in the catalogue.
func PriceChanged(catalog providers.Product, q providers.Quote) bool {
	if catalog.PriceKind != providers.PriceFixed {
		return false
	}
	return !catalog.Price.Equal(q.Product.Price) || (!catalog.Cost.IsZero() && !catalog.Cost.Equal(q.Product.Cost))
}
