package alqimah

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"kiosk/providers"
)

// Purchase sends one payment under req.Ref as TransactionID. It never
// retries: a second request could pay twice.
func (c *Client) Purchase(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	body, err := c.purchaseBody(req)
	if err != nil {
		return providers.Result{}, fmt.Errorf("alqimah purchase %s: %w", req.Ref, providers.Refusal(ID, "purchase", string(kindBadInput), err.Error()))
	}
	tok, err := c.token(ctx)
	if err != nil {
		// Nothing was sent: whatever stopped the login, nothing was sold.
		return providers.Result{}, fmt.Errorf("alqimah purchase %s: %w", req.Ref, refused(err))
	}
	raw, code, err := c.post(ctx, "/rest-api/", tok, body)
	if err != nil {
		return providers.Result{}, fmt.Errorf("alqimah purchase %s: %w", req.Ref,
			providers.Doubt(ID, "purchase", "network", "no answer from Al-Qimah; the sale may have gone through", err))
	}
	res, err := c.purchaseAnswer(ctx, tok, req.Ref, code, raw)
	if err != nil {
		return providers.Result{}, fmt.Errorf("alqimah purchase %s: %w", req.Ref, err)
	}
	return res, nil
}

// refused marks a pre-send failure as a refusal, keeping its code and text.
func refused(err error) error {
	var pe *providers.Error
	if errors.As(err, &pe) {
		cp := *pe
		cp.Op, cp.Outcome = "purchase", providers.Refused
		return &cp
	}
	return &providers.Error{Provider: ID, Op: "purchase", Code: "login", Message: "could not log in to Al-Qimah; nothing was sent", Outcome: providers.Refused, Temporary: true, Err: err}
}

// purchaseAnswer reads the answer to a payment.
func (c *Client) purchaseAnswer(ctx context.Context, tok, ref string, code int, raw []byte) (providers.Result, error) {
	if isAuthHTTP(code) {
		return providers.Result{}, c.authRefusal(ctx, tok, "")
	}
	if code >= 500 {
		return providers.Result{}, providers.Doubt(ID, "purchase", "http_"+strconv.Itoa(code),
			"Al-Qimah answered with a server error; the sale may have gone through", nil)
	}
	op, err := parseOperation(raw)
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		k := classify(ae.Message)
		switch {
		case k == kindAuth:
			return providers.Result{}, c.authRefusal(ctx, tok, ae.Message)
		case refusesPurchase(k):
			return providers.Result{}, providers.Refusal(ID, "purchase", string(k), message(k, ae.Message))
		}
		return providers.Result{}, providers.Doubt(ID, "purchase", string(k), message(k, ae.Message), err)
	case err != nil:
		return providers.Result{}, providers.Doubt(ID, "purchase", "bad_answer",
			"Al-Qimah's answer could not be read ("+badAnswer(err)+"); the sale may have gone through", err)
	}
	if !sameRef(op.TransactionID, ref) {
		return providers.Result{}, providers.Doubt(ID, "purchase", "bad_answer",
			fmt.Sprintf("Al-Qimah answered for transaction %q instead of %s", op.TransactionID, ref), nil)
	}
	return c.result(op), nil
}

// authRefusal handles a refused session during a purchase: the platform did
// nothing, so the sale is refused; the token is renewed for the next try,
// which is the caller's choice.
func (c *Client) authRefusal(ctx context.Context, tok, said string) error {
	c.dropToken(tok)
	_, _ = c.token(ctx) // best effort; a failure shows on the next request
	return providers.Refusal(ID, "purchase", string(kindAuth),
		message(kindAuth, said)+"; nothing was sold, logged in again: try the sale again")
}

// purchaseBody builds the payment request from the confirmed quote.
func (c *Client) purchaseBody(req providers.PurchaseRequest) (map[string]any, error) {
	if req.Ref == "" || len(req.Ref) > 20 || strings.Trim(req.Ref, "0123456789") != "" {
		return nil, fmt.Errorf("reference %q is not a number of at most 20 digits", req.Ref)
	}
	q := req.Quote
	p := q.Product
	network, err1 := strconv.Atoi(p.Extra[xNetwork])
	service, err2 := strconv.Atoi(p.Extra[xService])
	if err1 != nil || err2 != nil || service <= 0 {
		return nil, errors.New("the product has no Al-Qimah network and service numbers")
	}
	body := map[string]any{"NetworkNumber": network, "ServiceNumber": service, "TransactionID": req.Ref}
	if n := strings.TrimSpace(q.Fields[fieldMobile]); n != "" {
		body["MobileNumber"] = n
	}
	switch p.Extra[xType] {
	case typeAmount, typeUnits:
		amount := q.Extra[xAmount]
		if amount == "" || body["MobileNumber"] == nil {
			return nil, errors.New("the quote has no amount or number")
		}
		body["Amount"] = json.Number(amount)
	case typeOffer:
		if p.Extra[xOfferCode] == "" || body["MobileNumber"] == nil {
			return nil, errors.New("the quote has no offer code or number")
		}
		body["OfferCode"] = p.Extra[xOfferCode]
	case typeGame:
		if err := c.gameBody(body, q); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New("the product has no Al-Qimah type")
	}
	if c.cfg.WebhookURL != "" {
		if code := WebhookCode(c.cfg.WebhookKey, req.Ref); code != "" {
			body["WebHookURL"] = c.cfg.WebhookURL
			body["WebHookCode"] = code
		}
	}
	if _, err := json.Marshal(body); err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return body, nil
}

// gameBody adds LinkCode, Fields and Quantity, as the seed documents them:
// Fields is {"PlayerID": "...", "ZoneID": "...", "EmailAddress": "..."}.
func (c *Client) gameBody(body map[string]any, q providers.Quote) error {
	p := q.Product
	if p.Extra[xLinkCode] == "" {
		return errors.New("the product has no LinkCode")
	}
	body["LinkCode"] = p.Extra[xLinkCode]
	fields := map[string]string{}
	for _, name := range strings.Split(p.Extra[xFields], ",") {
		if name != "" {
			fields[name] = strings.TrimSpace(q.Fields[name])
		}
	}
	if c.cfg.GameFieldsAsText {
		b, err := json.Marshal(fields)
		if err != nil {
			return err
		}
		body["Fields"] = string(b)
	} else {
		body["Fields"] = fields
	}
	qty, err := strconv.Atoi(q.Extra[xQuantity])
	if err != nil || qty < 1 {
		qty = 1
	}
	body["Quantity"] = qty
	return nil
}
