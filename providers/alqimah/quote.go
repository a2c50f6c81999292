package alqimah

import (
	"context"
	"fmt"

	"kiosk/money"
	"kiosk/providers"
)

// Quote re-reads the price and runs the subscriber queries before a sale:
// top-up and offer prices come from the configuration (the seed publishes
// none), a game's from the categories (0/4, seed L258-364), and the
// subscriber queries are the seed's (L366-491).
func (c *Client) Quote(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	q, err := c.quote(ctx, req)
	if err != nil {
		return providers.Quote{}, fmt.Errorf("alqimah quote %s: %w", req.Product.ID, err)
	}
	return providers.CleanQuote(q), nil
}

func (c *Client) quote(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	p := req.Product
	key := p.Extra[xNet]
	if _, ok := c.nets[key]; !ok || c.nets[key].Disabled {
		return providers.Quote{}, providers.Refusal(ID, "quote", string(kindUnavailable), "this product's network is not enabled")
	}
	// Re-read the product from the current configuration or platform.
	switch p.Extra[xType] {
	case typeAmount, typeUnits:
		p = c.topUp(key)
	case typeOffer:
		fresh, ok := c.configuredOffer(key, p.Extra[xOfferCode])
		if !ok {
			return providers.Quote{}, providers.Refusal(ID, "quote", string(kindUnavailable), "this offer has no configured price")
		}
		p = fresh
	case typeGame:
		fresh, err := c.freshGame(ctx, p.Extra[xLinkCode])
		if err != nil {
			return providers.Quote{}, err
		}
		p = fresh
	default:
		return providers.Quote{}, fmt.Errorf("product has no Al-Qimah type")
	}
	req.Fields = p.NormalizeFields(req.Fields)
	if !p.Available {
		return providers.Quote{}, providers.Refusal(ID, "quote", string(kindUnavailable), "this product is not available now")
	}
	if err := p.ValidateFields(req.Fields); err != nil {
		return providers.Quote{}, providers.Refusal(ID, "quote", string(kindBadInput), err.Error())
	}
	q := providers.Quote{Product: p, Fields: req.Fields, Quantity: 1, Extra: map[string]string{}}
	if err := c.price(&q, req.Amount); err != nil {
		return providers.Quote{}, err
	}
	info, err := c.quoteQueries(ctx, p, req.Fields[fieldMobile], q.Amount)
	if err != nil {
		return providers.Quote{}, err
	}
	q.Info = info
	return q, nil
}

// price fills the quote's totals: the amount itself, units × unit price,
// or the item price × quantity.
func (c *Client) price(q *providers.Quote, amount money.Decimal) error {
	p, cur := q.Product, c.cfg.currency()
	switch p.PriceKind {
	case providers.PriceRange, providers.PriceUnits:
		if err := p.ValidateAmount(amount); err != nil {
			return providers.Refusal(ID, "quote", string(kindBadAmount), err.Error())
		}
	}
	var total money.Decimal
	switch {
	case p.PriceKind == providers.PriceRange:
		total = amount
		q.Amount, q.Extra[xAmount] = amount, amount.String()
	case p.PriceKind == providers.PriceUnits:
		n, _ := amount.IntPart()
		total = p.Cost.Amount.MulInt(n)
		q.Amount, q.Extra[xAmount] = amount, itoa(n)
		if p.Extra[xType] == typeGame {
			q.Quantity, q.Extra[xQuantity] = int(n), itoa(n)
		}
	default:
		total = p.Cost.Amount
		if p.Extra[xType] == typeGame {
			q.Extra[xQuantity] = p.Extra[xQuantity]
		}
	}
	q.Cost, q.Retail = money.New(total, cur), money.New(total, cur)
	return nil
}

func (c *Client) configuredOffer(key, code string) (providers.Product, bool) {
	for _, o := range c.cfg.Offers {
		if o.Network == key && o.Code == code {
			return c.offerProduct(key, o.Code, o.Name, o.NameAr, o.Price, true), true
		}
	}
	return providers.Product{}, false
}

// freshGame re-reads a game category by its LinkCode.
func (c *Client) freshGame(ctx context.Context, link string) (providers.Product, error) {
	cats, err := c.categories(ctx)
	if err != nil {
		return providers.Product{}, err
	}
	for _, cat := range cats {
		if cat.LinkCode == link {
			return c.gameProduct(cat), nil
		}
	}
	return providers.Product{}, providers.Refusal(ID, "quote", string(kindUnavailable), "Al-Qimah no longer offers "+link)
}
