package dtone

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"kiosk/providers"
)

// purchaseBody is POST transactions/{type} (extension transactions:
// PROVIDERS.md "(extension) Purchase": account_number, product_id,
// external_id, simulation; variable products add local_value). Ids and
// flags are sent as strings, as the public clients do.
type purchaseBody struct {
	AccountNumber string `json:"account_number,omitempty"`
	ProductID     string `json:"product_id"`
	ExternalID    string `json:"external_id"`
	Simulation    string `json:"simulation"`
	LocalValue    string `json:"local_value,omitempty"`
}

// Purchase sends one POST under req.Ref as external_id. Only documented
// "nothing charged" answers, and a request that never left, are refusals;
// a cut or unreadable answer, a server error, a timeout code or
// "external_id already used" (Duplicate) leave the sale in doubt.
func (c *Client) Purchase(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	r, err := c.purchase(ctx, req)
	if err != nil {
		return providers.Result{}, fmt.Errorf("dtone purchase %s: %w", req.Ref, err)
	}
	return providers.CleanResult(r), nil
}

func (c *Client) purchase(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	p := req.Quote.Product
	typ, pid := p.Extra["type"], productID(p)
	switch {
	case !c.cfg.Has(ExtTransactions):
		return providers.Result{}, providers.Refusal(ID, "purchase", "", "nothing was sent: DT One's document has no purchase request; enable "+extensionHint(ExtTransactions))
	case req.Ref == "":
		return providers.Result{}, providers.Refusal(ID, "purchase", "", "no sale reference")
	case !knownType(typ) || pid == "":
		return providers.Result{}, providers.Refusal(ID, "purchase", "", "product lacks its DT One type or id: refresh the catalogue")
	case isVariable(typ) && req.Quote.Amount.Sign() <= 0:
		return providers.Result{}, providers.Refusal(ID, "purchase", "", "no value chosen for a variable-value product")
	}
	body := purchaseBody{
		AccountNumber: strings.TrimSpace(req.Quote.Fields["account_number"]),
		ProductID:     pid,
		ExternalID:    req.Ref,
		Simulation:    "0",
	}
	if c.cfg.Simulation {
		body.Simulation = "1"
	}
	if isVariable(typ) {
		body.LocalValue = req.Quote.Amount.String()
	}
	// extension transactions: PROVIDERS.md "(extension) Purchase: POST transactions/{type}".
	path := "transactions/" + typ
	a, err := c.send(ctx, http.MethodPost, path, body, answerLimit)
	if err != nil {
		return providers.Result{}, failure("purchase", err)
	}
	switch {
	case routeMissing(a) && !hasErrors(a.Body):
		return providers.Result{}, providers.RouteError(ID, Name, "purchase", "POST "+path, routeHint(ExtTransactions), a)
	case a.Status == http.StatusCreated || a.Status == http.StatusOK:
		// PROVIDERS.md: success is HTTP 201 with the transaction.
		return readTxn("purchase", typ, req.Ref, a.Body)
	case a.Status >= 500:
		code := ""
		if e, ok := parseErrors(a.Body); ok {
			code = e.Code
		}
		return providers.Result{}, providers.Doubt(ID, "purchase", code, fmt.Sprintf("DT One server error (HTTP %d); the sale may have gone through", a.Status), nil)
	}
	e, ok := parseErrors(a.Body)
	if !ok {
		return providers.Result{}, providers.Doubt(ID, "purchase", "", fmt.Sprintf("unexpected HTTP %d answer from DT One; the sale may have gone through", a.Status), decodeJSON(a.Body, new(any)))
	}
	pe := errorFor("purchase", e)
	if pe.Outcome == providers.Refused || pe.Duplicate {
		return providers.Result{}, pe
	}
	// Undocumented codes and 1000218 say nothing certain about the money.
	return providers.Result{}, providers.Doubt(ID, "purchase", e.Code, pe.Message+"; the sale may have gone through", nil)
}

func hasErrors(body []byte) bool {
	_, ok := parseErrors(body)
	return ok
}

// readTxn turns a transaction answer into a result, checking it is ours.
func readTxn(op, typ, ref string, data []byte) (providers.Result, error) {
	t, err := parseTxn(data)
	if err != nil {
		if op == "purchase" {
			return providers.Result{}, providers.Doubt(ID, op, "", "DT One's answer could not be read; the sale may have gone through", err)
		}
		return providers.Result{}, &providers.Error{Provider: ID, Op: op, Message: "DT One's answer could not be read", Temporary: true, Err: err}
	}
	if got := string(t.ExternalID); got != "" && got != ref {
		msg := fmt.Sprintf("DT One answered about reference %s, not %s", got, ref)
		if op == "purchase" {
			return providers.Result{}, providers.Doubt(ID, op, "", msg, nil)
		}
		return providers.Result{}, &providers.Error{Provider: ID, Op: op, Message: msg}
	}
	return t.result(typ), nil
}

// Status looks a sale up by our reference (extension lookup: PROVIDERS.md
// "(extension) Look-up by our reference: GET transactions/{type}/ext-{external_id};
// unknown gives HTTP 404 with error code 1000404"). The product type the
// sale was made under is part of the path, so it comes from the sale's
// product. Only that 404 with 1000404 is "not found"; a 404 without it is a
// route that does not exist: a configuration error, never an outcome.
func (s withStatus) Status(ctx context.Context, sale providers.SaleRef) (providers.Result, error) {
	r, err := s.status(ctx, sale)
	if err != nil {
		return providers.Result{}, fmt.Errorf("dtone status %s: %w", sale.Ref, err)
	}
	return providers.CleanResult(r), nil
}

func (c *Client) status(ctx context.Context, sale providers.SaleRef) (providers.Result, error) {
	typ := sale.Product.Extra["type"]
	if !knownType(typ) || sale.Ref == "" {
		return providers.Result{}, &providers.Error{Provider: ID, Op: "status", Message: "the sale has no DT One product type or reference"}
	}
	// extension lookup: PROVIDERS.md "(extension) Look-up by our reference: GET transactions/{type}/ext-{external_id}".
	path := "transactions/" + typ + "/ext-" + seg(sale.Ref)
	a, err := c.send(ctx, http.MethodGet, path, nil, answerLimit)
	if err != nil {
		e := failure("status", err)
		e.Outcome = providers.Unknown // a look-up that did not happen says nothing about the sale
		return providers.Result{}, e
	}
	if a.Status == http.StatusOK && !routeMissing(a) {
		return readTxn("status", typ, sale.Ref, a.Body)
	}
	if e, ok := parseErrors(a.Body); ok && e.Code == "1000404" && a.Status == http.StatusNotFound {
		return providers.Result{State: providers.NotFound, Message: "DT One has no sale under this reference"}, nil
	}
	err = answerError("status", "GET transactions/{type}/ext-{reference}", routeHint(ExtLookup), a)
	return providers.Result{}, err
}
