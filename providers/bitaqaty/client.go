package bitaqaty

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"kiosk/money"
	"kiosk/providers"
)

// maxBody bounds an answer; the full catalogue is the largest.
const maxBody = 16 << 20

// Info names the provider and says how it is connected.
func (c *Client) Info() providers.Info {
	i := providers.Info{ID: ID, Name: "Bitaqaty Business", Sandbox: c.cfg.Sandbox}
	if c.sec != nil {
		i.Note = "secured"
	}
	return i
}

func (c *Client) sign(fields ...string) string {
	return password(c.cfg.Username, c.cfg.SecretKey.Reveal(), fields...)
}

// call sends one request and decodes its answer into out. Every error is a
// *providers.Error: a refusal for a documented "no", otherwise a doubt (no
// answer, HTTP error, an answer that is not Bitaqaty JSON).
func (c *Client) call(ctx context.Context, op, method string, req, out any) error {
	body, err := c.post(ctx, op, method, req)
	if err != nil {
		return err
	}
	env, err := decodeEnvelope(body)
	if err != nil {
		return badAnswer(op, method, body, err)
	}
	if !env.ok() {
		return apiError(op, env)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return badAnswer(op, method, body, err)
	}
	return nil
}

// post sends req as JSON (encrypted in secured mode) and returns the plain
// answer JSON. It is called once per operation: no retries here.
func (c *Client) post(ctx context.Context, op, method string, req any) ([]byte, error) {
	plain, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("bitaqaty %s: encode request: %w", method, err)
	}
	url, payload := c.base+"/integration/"+method, plain
	if c.sec != nil {
		url = c.base + "/secured-integration/" + method
		enc, err := encryptBlocks(c.sec.bitaqaty, c.sec.padding, plain)
		if err != nil {
			return nil, fmt.Errorf("bitaqaty %s: %w", method, err)
		}
		payload, _ = json.Marshal(map[string]string{
			"resellerUsername": c.cfg.Username,
			"encryptedData":    base64.StdEncoding.EncodeToString(enc),
		})
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("bitaqaty %s: %w", method, err)
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(hr)
	if err != nil {
		return nil, providers.Doubt(ID, op, "", "no answer from Bitaqaty ("+providers.TransportReason(err)+")", fmt.Errorf("%s: %w", method, err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, providers.Doubt(ID, op, "", "the answer from Bitaqaty was cut off", fmt.Errorf("%s: read answer: %w", method, err))
	}
	if len(body) > maxBody {
		return nil, providers.Doubt(ID, op, "", "the answer from Bitaqaty is too large", fmt.Errorf("%s: answer over %d bytes", method, maxBody))
	}
	if c.sec != nil && resp.StatusCode < 500 {
		if body, err = c.openSecured(body); err != nil {
			return nil, badAnswer(op, method, body, err)
		}
	}
	if resp.StatusCode >= 300 {
		// A 4xx that is a proper Bitaqaty error answer still says what is wrong.
		if env, err := decodeEnvelope(body); err == nil && resp.StatusCode < 500 && !env.ok() && errorName(env) != "" {
			return nil, apiError(op, env)
		}
		return nil, providers.Doubt(ID, op, fmt.Sprintf("HTTP %d", resp.StatusCode),
			fmt.Sprintf("Bitaqaty answered HTTP %d", resp.StatusCode), fmt.Errorf("%s: HTTP %s", method, resp.Status))
	}
	return body, nil
}

// openSecured decrypts a secured answer {status, data}. An answer without
// data (an error Bitaqaty could not encrypt) is returned as it is, so its
// errorCode is read like a plain answer.
func (c *Client) openSecured(body []byte) ([]byte, error) {
	var outer struct {
		Data string `json:"data"`
	}
	if err := json.Unmarshal(body, &outer); err != nil {
		return body, err
	}
	if strings.TrimSpace(outer.Data) == "" {
		return body, nil
	}
	raw, err := decodeBase64(outer.Data)
	if err != nil {
		return body, fmt.Errorf("secured answer: data is not base64: %w", err)
	}
	plain, err := decryptBlocks(c.sec.reseller, c.sec.padding, raw)
	if err != nil {
		return body, fmt.Errorf("secured answer: %w", err)
	}
	return plain, nil
}

// badAnswer describes an answer that is not readable Bitaqaty JSON.
func badAnswer(op, method string, body []byte, err error) *providers.Error {
	msg := "Bitaqaty's answer was cut off or malformed"
	t := bytes.TrimSpace(body)
	switch {
	case len(t) == 0:
		msg = "Bitaqaty sent an empty answer"
	case t[0] == '<':
		msg = "Bitaqaty sent a web page instead of an API answer"
	case strings.Contains(err.Error(), "secured answer"):
		msg = "Bitaqaty's encrypted answer could not be read (check the keys and padding)"
	}
	return providers.Doubt(ID, op, "", msg, fmt.Errorf("%s: %w", method, err))
}

// Balance reports the account balance (check-balance).
func (c *Client) Balance(ctx context.Context) ([]money.Money, error) {
	req := map[string]string{"resellerUsername": c.cfg.Username, "password": c.sign()}
	body, err := c.post(ctx, "balance", "check-balance", req)
	if err != nil {
		return nil, err
	}
	env, err := decodeEnvelope(body)
	if err != nil {
		return nil, badAnswer("balance", "check-balance", body, err)
	}
	if !env.ok() {
		return nil, apiError("balance", env)
	}
	a, err := parseBalance(body)
	if err != nil {
		return nil, badAnswer("balance", "check-balance", body, err)
	}
	cur := strings.ToUpper(strings.TrimSpace(a.Currency))
	if cur == "" {
		cur = defaultCurrency
	}
	return []money.Money{money.New(*a.Balance, cur)}, nil
}

// Merchants lists the merchants assigned to the account (get-merchant-list),
// ID to English name.
func (c *Client) Merchants(ctx context.Context) (map[string]string, error) {
	names, err := c.merchantNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(names))
	for id, n := range names {
		out[id] = n.en
	}
	return out, nil
}

// Status looks a sale up by the kiosk's reference (check-transaction-status).
func (c *Client) Status(ctx context.Context, sale providers.SaleRef) (providers.Result, error) {
	req := map[string]string{
		"resellerUsername":  c.cfg.Username,
		"password":          c.sign(sale.Ref),
		"resellerRefNumber": sale.Ref,
	}
	var a saleAnswer
	err := c.call(ctx, "status", "check-transaction-status", req, &a)
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Code == codeNoRequests {
		return providers.Result{State: providers.NotFound, Message: clerkText[codeNoRequests]}, nil
	}
	if err != nil {
		return providers.Result{}, err
	}
	r := saleResult(a)
	if a.ItemID.text() != "" || sale.Product.Extra[extraBill] == "true" {
		r = billResult(a, sale.Product)
	}
	if ref := a.ResellerRefNumber.text(); ref != "" && ref != sale.Ref {
		return providers.Result{}, providers.Doubt(ID, "status", "", "Bitaqaty answered about another sale ("+clean(ref)+")", nil)
	}
	if s := strings.ToUpper(a.PurchaseStatus.text()); strings.Contains(s, "FAIL") || s == "FALSE" {
		r.State, r.Vouchers = providers.Failed, nil
		r.Message = "Bitaqaty reports this sale as failed"
	}
	return r, nil
}

// Records lists what Bitaqaty recorded in [from, to]: reconcile is asked
// once for successful and once for failed sales and the two are merged.
func (c *Client) Records(ctx context.Context, from, to time.Time) ([]providers.Record, error) {
	var out []providers.Record
	for _, ok := range []bool{true, false} {
		recs, err := c.reconcile(ctx, from, to, ok, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}

// reconcile asks for one kind of record. When the period holds more records
// than Bitaqaty exports at once, it is split in halves (down to a minute).
func (c *Client) reconcile(ctx context.Context, from, to time.Time, successful bool, depth int) ([]providers.Record, error) {
	df, dt := from.In(ksa).Format(wireTime), to.In(ksa).Format(wireTime)
	flag := "false"
	if successful {
		flag = "true"
	}
	req := map[string]string{
		"resellerUsername": c.cfg.Username,
		"password":         c.sign(df, dt, flag),
		"dateFrom":         df,
		"dateTo":           dt,
		"isSuccessful":     flag,
	}
	body, err := c.post(ctx, "reconcile", "reconcile", req)
	if err != nil {
		return nil, err
	}
	env, err := decodeEnvelope(body)
	if err != nil {
		return nil, badAnswer("reconcile", "reconcile", body, err)
	}
	if !env.ok() {
		pe := apiError("reconcile", env)
		switch {
		case pe.Code == codeNoRequests:
			return nil, nil
		case pe.Code == codeExportLimit && depth < 16 && to.Sub(from) > time.Minute:
			mid := from.Add(to.Sub(from) / 2).Truncate(time.Second)
			a, err := c.reconcile(ctx, from, mid, successful, depth+1)
			if err != nil {
				return nil, err
			}
			b, err := c.reconcile(ctx, mid.Add(time.Second), to, successful, depth+1)
			return append(a, b...), err
		}
		return nil, pe
	}
	wrs, err := parseReconcile(body)
	if err != nil {
		return nil, badAnswer("reconcile", "reconcile", body, err)
	}
	state := providers.Failed
	if successful {
		state = providers.Succeeded
	}
	out := make([]providers.Record, 0, len(wrs))
	for _, w := range wrs {
		cur := strings.ToUpper(strings.TrimSpace(w.Currency))
		if cur == "" {
			cur = defaultCurrency
		}
		out = append(out, providers.Record{
			Ref:         w.ResellerRefNumber.text(),
			ProviderRef: w.BbTrxRefNumber.text(),
			ProductID:   w.ProductID.text(),
			ProductName: w.ProductName,
			At:          parseTime(w.TransactionDate.text()),
			State:       state,
			Charged:     money.New(w.CostPriceAfterVat, cur),
			Serial:      w.Serial.text(),
		})
	}
	return out, nil
}
