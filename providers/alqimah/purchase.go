package alqimah

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"kiosk/money"
	"kiosk/providers"
)

// Purchase sends one payment under req.Ref as TransactionID (seed L513,
// L560, L606). It never retries: a second request could pay twice. A
// refused token is not signed in again and sent again either: the sale is
// refused (nothing was done) and the next sale signs in afresh.
func (c *Client) Purchase(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	res, err := c.purchase(ctx, req)
	if err != nil {
		return providers.Result{}, fmt.Errorf("alqimah purchase %s: %w", req.Ref, err)
	}
	return providers.CleanResult(res), nil
}

func (c *Client) purchase(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	body, err := c.purchaseBody(req)
	if err != nil {
		return providers.Result{}, providers.Refusal(ID, "purchase", string(kindBadInput), err.Error()+"; nothing was sent")
	}
	tok, err := c.token(ctx)
	if err != nil {
		// The payment was never sent: whatever stopped the sign-in, nothing was sold.
		return providers.Result{}, refused(err)
	}
	a, err := c.exchange(ctx, "purchase", apiPath, tok, body)
	if err != nil {
		return providers.Result{}, err // refused when it never left, in doubt otherwise
	}
	op, err := c.purchaseAnswer(tok, req.Ref, a)
	if err != nil {
		return providers.Result{}, err
	}
	p := req.Quote.Product
	res := c.result(op, p)
	if res.State == providers.Succeeded && deliversCode(p) {
		return c.withCode(ctx, req.Ref, p, res), nil
	}
	return res, nil
}

// refused marks a failure before the payment was sent (the sign-in) as a
// refusal, keeping its code, text and Config mark.
func refused(err error) error {
	var pe *providers.Error
	if errors.As(err, &pe) {
		cp := *pe
		cp.Op, cp.Outcome, cp.Temporary, cp.Err = "purchase", providers.Refused, true, err
		if !strings.Contains(cp.Message, "nothing was sent") {
			cp.Message = strings.TrimSpace(cp.Message + "; nothing was sent and nothing was sold")
		}
		return &cp
	}
	return &providers.Error{Provider: ID, Op: "purchase", Code: "login", Message: "could not sign in to Al-Qimah; nothing was sent and nothing was sold", Outcome: providers.Refused, Temporary: true, Err: err}
}

// purchaseAnswer reads the answer to a payment (seed L518-541).
func (c *Client) purchaseAnswer(tok, ref string, a providers.Answer) (operation, error) {
	var op operation
	err := c.answer("purchase", apiRoute, a, func(b []byte) (err error) {
		op, err = parseOperation(b)
		return err
	})
	var ae *apiError
	if errors.As(err, &ae) && isAuth(ae.Message) {
		c.dropToken(tok)
	}
	if e, ok := err.(*apiError); ok {
		return op, c.purchaseRefusal(e)
	}
	if err != nil {
		return op, err
	}
	if !sameRef(op.TransactionID, ref) { // seed L535: "The unique transaction ID sent from your side"
		return op, providers.Doubt(ID, "purchase", "bad_answer",
			fmt.Sprintf("%s answered for transaction %q instead of %s; the sale may have gone through", name, op.TransactionID, ref), nil)
	}
	return op, nil
}

// purchaseRefusal judges the seed's error answer to a payment (L537-541).
func (c *Client) purchaseRefusal(ae *apiError) error {
	k := classify(ae.Message)
	switch {
	case k == kindDuplicate:
		// seed L513: "the same ID cannot be used for multiple transactions".
		// To a sale sent for the first time, another sale holds the ID.
		e := providers.Doubt(ID, "purchase", string(k), message(k, ae.Message)+"; another sale may hold it", ae)
		e.Duplicate = true
		return e
	case k == kindAuth:
		// The platform refused the token, so it did nothing with the
		// request; the token is dropped and the next request signs in.
		e := providers.Refusal(ID, "purchase", string(k), message(k, ae.Message)+": nothing was sold; the kiosk signs in again, so the sale can be made again")
		e.Temporary, e.Err = true, ae
		return e
	case refusesPurchase(k):
		e := providers.Refusal(ID, "purchase", string(k), message(k, ae.Message))
		e.Err = ae
		return e
	}
	return providers.Doubt(ID, "purchase", string(k), message(k, ae.Message)+"; the sale may have gone through", ae)
}

// withCode reads the code of a gift card just paid for. The payment answer
// (seed L518-526) has no field for it; the status answer's details,
// "Additional transaction notes" (L164), does. When the look-up does not
// give a final success, the sale is returned pending so that the kiosk asks
// again (L531: pending "requires a re-check of the operation status") and
// records what the status answer says; it is never settled without it.
func (c *Client) withCode(ctx context.Context, ref string, p providers.Product, paid providers.Result) providers.Result {
	op, err := c.status(ctx, ref)
	if err == nil && *op.OperationStatus == 1 {
		st := c.result(op, p)
		st.Balance = paid.Balance // the status answer has no agentBalance
		if st.Charged.IsZero() {
			st.Charged = paid.Charged
		}
		if st.ProviderRef == "" {
			st.ProviderRef, st.Vouchers[0].Reference = paid.ProviderRef, paid.ProviderRef
		}
		return st
	}
	pending := paid
	pending.State, pending.Vouchers, pending.Charged = providers.Pending, nil, money.Money{}
	pending.Message = strings.TrimSpace(paid.Message + " — " + name + " took the payment; the card's code comes with the status look-up, which is asked again")
	return pending
}

// purchaseBody builds the payment request from the confirmed quote.
func (c *Client) purchaseBody(req providers.PurchaseRequest) (map[string]any, error) {
	if !validRef(req.Ref) {
		return nil, fmt.Errorf("reference %q cannot be a TransactionID", req.Ref)
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
		// seed L507-513: NetworkNumber, ServiceNumber, MobileNumber, Amount
		// (a unit count on Sabafon, YOU and Y Telecom, L510-511), TransactionID.
		amount := q.Extra[xAmount]
		if amount == "" || body["MobileNumber"] == nil {
			return nil, errors.New("the quote has no amount or number")
		}
		body["Amount"] = json.Number(amount)
	case typeOffer:
		// seed L549-560: OfferCode instead of Amount.
		if p.Extra[xOfferCode] == "" || body["MobileNumber"] == nil {
			return nil, errors.New("the quote has no offer code or number")
		}
		body["OfferCode"] = p.Extra[xOfferCode]
	case typeGame:
		// seed L598-606: LinkCode, Fields, Quantity.
		if err := c.gameBody(body, q); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New("the product has no Al-Qimah type")
	}
	if c.cfg.WebhookURL != "" {
		// seed L495-497, L514-515: the optional WebHookURL and WebHookCode.
		if code := WebhookCode(c.cfg.WebhookKey, req.Ref); code != "" {
			body["WebHookURL"] = c.cfg.WebhookURL
			body["WebHookCode"] = code
		}
	}
	return body, nil
}

// validRef says whether ref can be sent as TransactionID: the seed takes
// any text (its webhook example is "TXN789", L672); the kiosk's references
// are 16 digits.
func validRef(ref string) bool {
	if ref == "" || len(ref) > maxWebhookRef {
		return false
	}
	for _, r := range ref {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// gameBody adds LinkCode, Fields and Quantity, as the seed documents them
// (L601-605): Fields is {"PlayerID": "...", "ZoneID": "...", "EmailAddress": "..."}.
func (c *Client) gameBody(body map[string]any, q providers.Quote) error {
	p := q.Product
	if p.Extra[xLinkCode] == "" {
		return errors.New("the product has no LinkCode")
	}
	body["LinkCode"] = p.Extra[xLinkCode] // seed L601
	fields := map[string]string{}
	for _, name := range strings.Split(p.Extra[xFields], ",") {
		if name != "" {
			fields[name] = strings.TrimSpace(q.Fields[name])
		}
	}
	// seed L602-604: "field in JSON format"; whether as an object or as a
	// text holding one is not said, so it is a setting.
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
	body["Quantity"] = qty // seed L605
	return nil
}
