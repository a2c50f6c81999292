package dtone

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"

	"kiosk/money"
	"kiosk/providers"
)

// Quote re-reads the product from its operator's list (prices change), checks
// the amount of a variable product and prices it from the suggested values,
// and verifies the account number where the product allows it.
func (c *Client) Quote(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	q, err := c.quote(ctx, req)
	if err != nil {
		return providers.Quote{}, fmt.Errorf("dtone quote %s: %w", req.Product.ID, err)
	}
	return q, nil
}

func (c *Client) quote(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	if err := req.Product.ValidateFields(req.Fields); err != nil {
		return providers.Quote{}, providers.Refusal(ID, "quote", "", err.Error())
	}
	tp, err := c.lookupProduct(ctx, req.Product)
	if err != nil {
		return providers.Quote{}, err
	}
	fresh := toProduct(tp)
	q := providers.Quote{Product: fresh, Fields: req.Fields, Quantity: 1}
	var info []string
	if isVariable(tp.Type) {
		if !fresh.Available {
			return q, providers.Refusal(ID, "quote", "", "this product needs a bill look-up that this kiosk cannot do")
		}
		if err := fresh.ValidateAmount(req.Amount); err != nil {
			return q, providers.Refusal(ID, "quote", "", err.Error())
		}
		note, err := c.priceVariable(ctx, tp, req.Amount, &q)
		if err != nil {
			return q, err
		}
		info = append(info, note...)
	} else {
		fee := zeroIfNil(tp.Fee)
		q.Fee = money.New(fee, tp.AccountCurrency)
		q.Cost = fresh.Cost
		q.Retail = fresh.Price
	}
	if account := strings.TrimSpace(req.Fields["account_number"]); account != "" && fresh.Extra["verify"] != "no" {
		note, err := c.verify(ctx, &q.Product, account)
		if err != nil {
			return q, err
		}
		info = append(info, note)
	}
	q.Info = strings.Join(info, "\n")
	return q, nil
}

// lookupProduct finds the product again in its operator's current list.
func (c *Client) lookupProduct(ctx context.Context, p providers.Product) (typedProduct, error) {
	typ, pid, op := p.Extra["type"], p.Extra["product_id"], p.Extra["operator_id"]
	if !knownType(typ) || pid == "" || op == "" {
		return typedProduct{}, errors.New("product lacks DT One type, product or operator id: refresh the catalogue")
	}
	list, _, err := c.products(ctx, "operators/"+seg(op)+"/products")
	if err != nil {
		return typedProduct{}, err
	}
	for _, tp := range list {
		if tp.Type == typ && string(tp.ProductID) == pid {
			return tp, nil
		}
	}
	return typedProduct{}, providers.Refusal(ID, "quote", "", "DT One no longer offers this product: refresh the catalogue")
}

// priceVariable prices an amount of a variable product. An amount that is
// one of DT One's suggested values takes that value's prices; any other is
// priced at the rate of the largest suggested value, and the clerk is told.
func (c *Client) priceVariable(ctx context.Context, tp typedProduct, amount money.Decimal, q *providers.Quote) ([]string, error) {
	cur := tp.AccountCurrency
	if cur == "" {
		return nil, errors.New("DT One gave no account currency for this product")
	}
	q.Amount = amount
	sugg, err := c.suggestions(ctx, tp.Type, string(tp.ProductID))
	if err != nil {
		return nil, err
	}
	var ref *suggestion
	for i, s := range sugg {
		if s.LocalValue.Sign() <= 0 {
			continue
		}
		if s.LocalValue.Cmp(amount) == 0 {
			ref = &sugg[i]
			break
		}
		if ref == nil || s.LocalValue.Cmp(ref.LocalValue) > 0 {
			ref = &sugg[i]
		}
	}
	if ref == nil {
		return nil, providers.Refusal(ID, "quote", "", "DT One gives no price for amounts of this product")
	}
	var notes []string
	wholesale, retail := ref.WholesalePrice, ref.RetailPrice
	if ref.LocalValue.Cmp(amount) != 0 {
		places := money.Places(cur)
		if wholesale, err = scale(ref.WholesalePrice, amount, ref.LocalValue, places); err == nil {
			retail, err = scale(ref.RetailPrice, amount, ref.LocalValue, places)
		}
		if err != nil {
			return nil, fmt.Errorf("price %s: %w", amount, err)
		}
		notes = append(notes, "Price worked out from DT One's rate; the amount charged is shown after the sale.")
	}
	q.Fee = money.New(ref.Fee, cur)
	q.Cost = money.New(wholesale.Add(ref.Fee), cur)
	q.Retail = money.New(retail.Add(ref.Fee), cur)
	if s := suggestedText(sugg); s != "" {
		notes = append(notes, s)
	}
	return notes, nil
}

// scale returns price × amount / per rounded to places, exactly.
func scale(price, amount, per money.Decimal, places int) (money.Decimal, error) {
	p, ok1 := new(big.Rat).SetString(price.String())
	a, ok2 := new(big.Rat).SetString(amount.String())
	d, ok3 := new(big.Rat).SetString(per.String())
	if !ok1 || !ok2 || !ok3 || d.Sign() == 0 {
		return money.Zero, errors.New("cannot scale price")
	}
	r := p.Mul(p, a)
	return money.Parse(r.Quo(r, d).FloatString(places))
}

func suggestedText(sugg []suggestion) string {
	var parts []string
	for _, s := range sugg {
		t := s.LocalValue.String() + " " + s.LocalCurrency
		if name := strings.TrimSpace(s.Name); name != "" {
			t += " – " + name
		}
		parts = append(parts, t)
	}
	if len(parts) == 0 {
		return ""
	}
	return "Suggested amounts: " + strings.Join(parts, "; ")
}

// SuggestedValues returns the amounts DT One suggests for a variable
// product, in the product's amount currency, for the fields screen. Fixed
// products have none.
func (c *Client) SuggestedValues(ctx context.Context, product providers.Product) ([]money.Decimal, error) {
	typ, pid := product.Extra["type"], product.Extra["product_id"]
	if !isVariable(typ) {
		return nil, nil
	}
	sugg, err := c.suggestions(ctx, typ, pid)
	if err != nil {
		return nil, fmt.Errorf("dtone suggested values %s: %w", product.ID, err)
	}
	out := make([]money.Decimal, 0, len(sugg))
	for _, s := range sugg {
		out = append(out, s.LocalValue)
	}
	return out, nil
}

// suggestions calls product/{type}/{id}/suggested_values. The seed documents
// it for variable value recharges; the same path is used for the other
// variable types, and "not found" there means none.
func (c *Client) suggestions(ctx context.Context, typ, pid string) ([]suggestion, error) {
	status, body, err := c.call(ctx, http.MethodGet, "product/"+typ+"/"+seg(pid)+"/suggested_values", nil, answerLimit)
	if err != nil {
		return nil, transportError("quote", err)
	}
	if status != http.StatusOK {
		if e, ok := parseErrors(body); ok && e.Code == "1000404" {
			return nil, nil
		}
		return nil, answerError("quote", status, body)
	}
	return parseSuggested(body)
}

// verify asks DT One whether the account number is valid for the product.
// "Not available for this product" (400/1000304) is no error: the sale goes
// on unchecked, and the product is marked so the next quote skips the call.
func (c *Client) verify(ctx context.Context, p *providers.Product, account string) (string, error) {
	path := "products/" + seg(p.Extra["product_id"]) + "/account_number/" + seg(account) + "/status"
	status, body, err := c.call(ctx, http.MethodGet, path, nil, answerLimit)
	if err != nil {
		return "", transportError("quote", err)
	}
	invalid := providers.Refusal(ID, "quote", "1000204", fmt.Sprintf("%s says the number %s is not valid for %s", Name, account, p.Brand))
	if status == http.StatusOK {
		ok, err := parseVerified(body)
		switch {
		case err != nil:
			return "", &providers.Error{Provider: ID, Op: "quote", Message: "DT One's account check could not be read", Err: err}
		case !ok:
			return "", invalid
		}
		p.Extra["verify"] = "yes"
		return "Number " + account + " checked with the operator: valid.", nil
	}
	e, ok := parseErrors(body)
	switch {
	case ok && e.Code == "1000304":
		p.Extra["verify"] = "no"
		return "This operator's numbers cannot be checked before the sale; check the number with the customer.", nil
	case ok && e.Code == "1000204":
		return "", invalid
	}
	return "", answerError("quote", status, body)
}
