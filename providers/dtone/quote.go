package dtone

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"kiosk/money"
	"kiosk/providers"
)

// Quote re-reads the product from its operator's list (prices change),
// prices a variable-value recharge from the suggested value the clerk
// chose, and verifies the account number where the product allows it. A
// quote is refused when the transactions extension is off: DT One's
// document has no purchase, so nothing could be sold.
func (c *Client) Quote(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	q, err := c.quote(ctx, req)
	if err != nil {
		return providers.Quote{}, fmt.Errorf("dtone quote %s: %w", req.Product.ID, err)
	}
	return providers.CleanQuote(q), nil
}

func (c *Client) quote(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	fields := req.Product.NormalizeFields(req.Fields)
	if err := req.Product.ValidateFields(fields); err != nil {
		return providers.Quote{}, providers.Refusal(ID, "quote", "", err.Error())
	}
	if why := req.Product.Extra["unavailable"]; why != "" || !req.Product.Available {
		return providers.Quote{}, providers.Refusal(ID, "quote", "", cmp.Or(why, "this product is not sold at this kiosk"))
	}
	tp, err := c.lookupProduct(ctx, req.Product)
	if err != nil {
		return providers.Quote{}, err
	}
	var info []string
	var q providers.Quote
	if isVariable(tp.Type) {
		if q, info, err = c.quoteVariable(ctx, tp, req.Amount); err != nil {
			return providers.Quote{}, err
		}
	} else {
		fresh := toProduct(tp, nil)
		q = providers.Quote{Product: fresh, Quantity: 1,
			Fee: money.New(zeroIfNil(tp.Fee), tp.AccountCurrency), Cost: fresh.Cost, Retail: fresh.Price}
	}
	q.Fields = fields
	if v := req.Product.Extra["verify"]; v != "" {
		q.Product.Extra["verify"] = v // what an earlier quote learnt
	}
	if account := fields["account_number"]; account != "" && q.Product.Extra["verify"] != "no" {
		note, err := c.verify(ctx, &q.Product, account)
		if err != nil {
			return providers.Quote{}, err
		}
		info = append(info, note)
	}
	if !c.cfg.Has(ExtTransactions) {
		msg := "DT One's document has no purchase request, so this kiosk does not sell DT One products: to sell them, enable " + extensionHint(ExtTransactions)
		if len(info) > 0 {
			msg = strings.Join(info, " ") + " " + msg
		}
		return providers.Quote{}, providers.Refusal(ID, "quote", "", msg)
	}
	q.Info = strings.Join(info, "\n")
	return q, nil
}

// lookupProduct finds the product again in its operator's current list
// (GET operators/{id}/products, seed L54).
func (c *Client) lookupProduct(ctx context.Context, p providers.Product) (typedProduct, error) {
	typ, pid, op := p.Extra["type"], productID(p), p.Extra["operator_id"]
	if !knownType(typ) || pid == "" || op == "" {
		return typedProduct{}, providers.Refusal(ID, "quote", "", "product lacks its DT One type, product or operator id: refresh the catalogue")
	}
	list, _, err := c.products(ctx, "operators/"+seg(op)+"/products") // seed L54
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

// quoteVariable prices a variable-value product at the suggested value the
// clerk chose: the seed prices variable-value recharges through their
// suggested values only (seed L191-L229), each with its own wholesale and
// retail price in the account currency (seed L46, L212-L214).
func (c *Client) quoteVariable(ctx context.Context, tp typedProduct, amount money.Decimal) (providers.Quote, []string, error) {
	if tp.Type != VariableRecharges {
		p := toProduct(tp, nil)
		return providers.Quote{}, nil, providers.Refusal(ID, "quote", "", cmp.Or(p.Extra["unavailable"], "this product cannot be sold here"))
	}
	sugg, refused, err := c.suggestions(ctx, "quote", string(tp.ProductID))
	if err != nil {
		return providers.Quote{}, nil, err
	}
	if refused != nil {
		return providers.Quote{}, nil, errorFor("quote", *refused)
	}
	fresh := toProduct(tp, sugg)
	cur, amountCur := tp.AccountCurrency, fresh.Extra["amount_currency"]
	if cur == "" {
		return providers.Quote{}, nil, errors.New("DT One gave no account currency for this product")
	}
	var pick *suggestion
	for i := range sugg {
		if sugg[i].LocalValue.Cmp(amount) == 0 {
			pick = &sugg[i]
			break
		}
	}
	if pick == nil {
		if len(sugg) == 0 {
			return providers.Quote{}, nil, providers.Refusal(ID, "quote", "", "DT One suggests no values for this product today, and sells it at no other")
		}
		return providers.Quote{}, nil, providers.Refusal(ID, "quote", "",
			fmt.Sprintf("DT One sells this product only at its suggested values: %s %s (ctrl+s offers them)", strings.ReplaceAll(fresh.Extra["suggested"], ",", ", "), amountCur))
	}
	q := providers.Quote{
		Product: fresh, Amount: amount, Quantity: 1,
		Fee:    money.New(pick.Fee, cur),
		Cost:   money.New(pick.WholesalePrice.Add(pick.Fee), cur),
		Retail: money.New(pick.RetailPrice.Add(pick.Fee), cur),
	}
	var info []string
	if s := describe(*pick, amountCur); s != "" {
		info = append(info, s)
	}
	if pick.RetailPrice.Cmp(*pick.WholesalePrice) < 0 {
		info = append(info, "DT One's retail price for this value is below its wholesale price.")
	}
	return q, info, nil
}

// describe is one suggested value for the clerk: "19 INR – 110 MB of 2G
// Plan for 3 Days (validity:3 Days, data_amount:110 MB)".
func describe(s suggestion, cur string) string {
	t := s.LocalValue.String() + " " + cmp.Or(s.LocalCurrency, cur)
	if name := strings.TrimSpace(s.Name); name != "" {
		t += " – " + name
	}
	var extra []string
	for _, x := range []string{s.Info1, s.Info2, s.Info3} {
		if x = strings.TrimSpace(x); x != "" && !strings.HasPrefix(x, "type:") {
			extra = append(extra, x)
		}
	}
	if len(extra) > 0 {
		t += " (" + strings.Join(extra, ", ") + ")"
	}
	return t
}

// SuggestedValues returns the values DT One suggests for a variable-value
// recharge (seed L193), in the product's local currency, for the fields
// screen. Other products have none.
func (c *Client) SuggestedValues(ctx context.Context, product providers.Product) ([]money.Decimal, error) {
	if product.Extra["type"] != VariableRecharges {
		return nil, nil
	}
	sugg, _, err := c.suggestions(ctx, "suggested values", productID(product))
	if err != nil {
		return nil, fmt.Errorf("dtone suggested values %s: %w", product.ID, err)
	}
	out := make([]money.Decimal, 0, len(sugg))
	for _, s := range sugg {
		out = append(out, s.LocalValue)
	}
	return out, nil
}

// suggestions calls GET product/variable_value_recharges/{id}/suggested_values
// (seed L193). refused is DT One's own error answer (the product has none);
// err is an answer that could not be had or read.
func (c *Client) suggestions(ctx context.Context, op, pid string) (sugg []suggestion, refused *apiError, err error) {
	path := "product/" + VariableRecharges + "/" + seg(pid) + "/suggested_values" // seed L193
	a, err := c.send(ctx, http.MethodGet, path, nil, answerLimit)
	if err != nil {
		return nil, nil, failure(op, err)
	}
	if a.Status != http.StatusOK || routeMissing(a) {
		if e, ok := parseErrors(a.Body); ok {
			return nil, &e, nil
		}
		return nil, nil, answerError(op, "GET "+path, routeHint(""), a)
	}
	sugg, err = parseSuggested(a.Body)
	if err != nil {
		return nil, nil, &providers.Error{Provider: ID, Op: op, Message: "DT One's suggested values could not be read", Temporary: true, Err: err}
	}
	return sugg, nil, nil
}

// verify asks DT One whether the account number is valid for the product
// (GET products/{id}/account_number/{n}/status, seed L231-L265):
// verified 1 is valid, 0 is not (L252), and error 1000304 (L254-L265) means
// the check is not available for this product: no error, the sale goes on
// unchecked, and the product is marked so the next quote skips the call.
func (c *Client) verify(ctx context.Context, p *providers.Product, account string) (string, error) {
	path := "products/" + seg(productID(*p)) + "/account_number/" + seg(account) + "/status" // seed L238
	a, err := c.send(ctx, http.MethodGet, path, nil, answerLimit)
	if err != nil {
		return "", failure("quote", err)
	}
	if a.Status == http.StatusOK && !routeMissing(a) {
		ok, err := parseVerified(a.Body)
		switch {
		case err != nil:
			return "", &providers.Error{Provider: ID, Op: "quote", Message: "DT One's account check could not be read", Temporary: true, Err: err}
		case !ok:
			return "", providers.Refusal(ID, "quote", "verified 0", fmt.Sprintf("DT One says the account number %s is not valid for %s", account, p.Name))
		}
		p.Extra["verify"] = "yes"
		return "Number " + account + " checked with the operator: valid.", nil
	}
	if e, ok := parseErrors(a.Body); ok && e.Code == "1000304" {
		p.Extra["verify"] = "no"
		return "This product's account numbers cannot be checked before the sale: check the number with the customer.", nil
	}
	return "", answerError("quote", "GET products/{id}/account_number/{n}/status", routeHint(""), a)
}
