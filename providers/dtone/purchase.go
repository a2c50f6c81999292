package dtone

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"kiosk/providers"
)

// purchaseBody is POST transactions/{type}. Ids and flags are sent as
// strings, as the public clients do.
type purchaseBody struct {
	AccountNumber string `json:"account_number,omitempty"`
	ProductID     string `json:"product_id"`
	ExternalID    string `json:"external_id"`
	Simulation    string `json:"simulation"`
	LocalValue    string `json:"local_value,omitempty"`
}

// Purchase sends one POST under req.Ref as external_id. Only documented
// "nothing charged" answers are refusals; a cut or unreadable answer, a
// server error, a timeout code or "external_id already used" leave the sale
// in doubt for Status to settle.
func (c *Client) Purchase(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	r, err := c.purchase(ctx, req)
	if err != nil {
		return providers.Result{}, fmt.Errorf("dtone purchase %s: %w", req.Ref, err)
	}
	return r, nil
}

func (c *Client) purchase(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	p := req.Quote.Product
	typ, pid := p.Extra["type"], p.Extra["product_id"]
	switch {
	case req.Ref == "":
		return providers.Result{}, providers.Refusal(ID, "purchase", "", "no sale reference")
	case !knownType(typ) || pid == "":
		return providers.Result{}, providers.Refusal(ID, "purchase", "", "product lacks its DT One type or id: refresh the catalogue")
	case isVariable(typ) && req.Quote.Amount.Sign() <= 0:
		return providers.Result{}, providers.Refusal(ID, "purchase", "", "no amount for a variable product")
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
	status, data, err := c.call(ctx, http.MethodPost, "transactions/"+typ, body, answerLimit)
	if err != nil {
		return providers.Result{}, providers.Doubt(ID, "purchase", "", "no complete answer from DT One; the sale may have gone through", err)
	}
	switch {
	case status == http.StatusCreated || status == http.StatusOK:
		return readTxn("purchase", typ, req.Ref, data)
	case status >= 500:
		code := ""
		if e, ok := parseErrors(data); ok {
			code = e.Code
		}
		return providers.Result{}, providers.Doubt(ID, "purchase", code, fmt.Sprintf("DT One server error (HTTP %d); the sale may have gone through", status), nil)
	}
	e, ok := parseErrors(data)
	if !ok {
		return providers.Result{}, providers.Doubt(ID, "purchase", "", fmt.Sprintf("unexpected HTTP %d answer from DT One; the sale may have gone through", status), decodeJSON(data, new(any)))
	}
	if pe := errorFor("purchase", e); pe.Outcome == providers.Refused {
		return providers.Result{}, pe
	}
	// Undocumented codes, 1000990 and 1000218 say nothing certain about the money.
	msg := errorFor("purchase", e).Message
	return providers.Result{}, providers.Doubt(ID, "purchase", e.Code, msg, nil)
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

// Status looks a sale up by our reference. The product type the sale was
// made under is part of the path, so it comes from the sale's product.
func (c *Client) Status(ctx context.Context, sale providers.SaleRef) (providers.Result, error) {
	typ := sale.Product.Extra["type"]
	if !knownType(typ) || sale.Ref == "" {
		return providers.Result{}, fmt.Errorf("dtone status %s: the sale has no DT One product type or reference", sale.Ref)
	}
	status, data, err := c.call(ctx, http.MethodGet, "transactions/"+typ+"/ext-"+seg(sale.Ref), nil, answerLimit)
	if err != nil {
		return providers.Result{}, fmt.Errorf("dtone status %s: %w", sale.Ref, transportError("status", err))
	}
	if status == http.StatusOK {
		r, err := readTxn("status", typ, sale.Ref, data)
		if err != nil {
			return r, fmt.Errorf("dtone status %s: %w", sale.Ref, err)
		}
		return r, nil
	}
	// Only DT One's own "not found" code means never sold: a bare 404 may
	// be a wrong base_url, and must not close a sale that went through.
	if e, ok := parseErrors(data); ok && e.Code == "1000404" {
		return providers.Result{State: providers.NotFound, Message: "DT One has no sale under this reference"}, nil
	}
	return providers.Result{}, fmt.Errorf("dtone status %s: %w", sale.Ref, answerError("status", status, data))
}
