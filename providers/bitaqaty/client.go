package bitaqaty

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"kiosk/money"
	"kiosk/providers"
)

// maxBody bounds an answer; the full catalogue is the largest.
const maxBody = 16 << 20

// name is how the clerk's messages call the provider.
const name = "Bitaqaty"

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
		return apiError(op, method, env)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return badAnswer(op, method, body, err)
	}
	return nil
}

// post sends req once, as the JSON body of a POST to
// {base}/integration/{method} (seed L73-L1435: every method's Stage and
// Production URL, every example a requests.post with json=), or in secured
// mode as {resellerUsername, encryptedData} to
// {base}/secured-integration/{method} (seed L1436-L1475). It returns the
// plain answer JSON. No retries: providers.Send sends once.
func (c *Client) post(ctx context.Context, op, method string, req any) ([]byte, error) {
	plain, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("bitaqaty %s: encode request: %w", method, err)
	}
	path, payload := "/integration/"+method, plain
	if c.sec != nil {
		path = "/secured-integration/" + method
		enc, err := encryptBlocks(c.sec.bitaqaty, c.sec.padding, plain)
		if err != nil {
			return nil, fmt.Errorf("bitaqaty %s: %w", method, err)
		}
		payload, _ = json.Marshal(map[string]string{
			"resellerUsername": c.cfg.Username,                         // seed L1460
			"encryptedData":    base64.StdEncoding.EncodeToString(enc), // seed L1461
		})
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("bitaqaty %s: %w", method, err)
	}
	hr.Header.Set("Content-Type", "application/json") // seed L945
	hr.Header.Set("Accept", "application/json")
	a, err := providers.Send(c.hc, hr, maxBody)
	if err != nil {
		pe := providers.SendFailure(ID, name, op, err)
		pe.Err = fmt.Errorf("%s: %w", method, err)
		return nil, pe
	}
	return c.answer(op, method, path, a)
}

// answer reads an HTTP answer: the secured envelope is opened; a 2xx body
// goes back to the caller, which reads Bitaqaty's answer in it. Otherwise
// Bitaqaty's own documented error bodies are taken first, whatever the
// HTTP status; what is left and looks like a web server's "no such path"
// is a configuration error; any other HTTP status is a doubt (the seed
// gives only 200 for an answer, L146).
func (c *Client) answer(op, method, path string, a providers.Answer) ([]byte, error) {
	body := a.Body
	if c.sec != nil {
		opened, ok, err := c.openSecured(body)
		if ok && err != nil {
			return nil, badAnswer(op, method, body, err)
		}
		if ok {
			body = opened
		}
	}
	if a.Status >= 300 && a.Status < 500 {
		if env, err := decodeEnvelope(body); err == nil && !env.ok() && errorName(env) != "" {
			return nil, apiError(op, method, env)
		}
	}
	if providers.RouteMissing(a) {
		setting := "base_url"
		if c.sec != nil {
			setting = "base_url and secured"
		}
		e := providers.RouteError(ID, name, op, path, setting, a)
		e.Err = fmt.Errorf("%s: HTTP %d", method, a.Status)
		return nil, e
	}
	if a.Status < 200 || a.Status >= 300 {
		return nil, providers.Doubt(ID, op, fmt.Sprintf("HTTP %d", a.Status),
			fmt.Sprintf("Bitaqaty answered HTTP %d", a.Status), fmt.Errorf("%s: HTTP %d", method, a.Status))
	}
	return body, nil
}

// openSecured decrypts a secured answer {status, data} (seed L1470-L1475).
// ok is false for an answer that has no data to open (an error Bitaqaty
// did not encrypt, or a web server's page): it is then read as it is.
func (c *Client) openSecured(body []byte) (plain []byte, ok bool, err error) {
	var outer struct {
		Data *string `json:"data"`
	}
	if json.Unmarshal(body, &outer) != nil || outer.Data == nil || strings.TrimSpace(*outer.Data) == "" {
		return nil, false, nil
	}
	raw, err := decodeBase64(*outer.Data)
	if err != nil {
		return nil, true, fmt.Errorf("secured answer: data is not base64: %w", err)
	}
	plain, err = decryptBlocks(c.sec.reseller, c.sec.padding, raw)
	if err != nil {
		return nil, true, fmt.Errorf("secured answer: %w", err)
	}
	return plain, true, nil
}

// badAnswer describes an answer that is not readable Bitaqaty JSON: a
// doubt, since the request may have been carried out.
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

// Balance reports the account balance. check-balance, seed L75-L125:
// resellerUsername, password = MD5(resellerUsername + secretKey) (L94-L96);
// answer balance and currency (L113-L114).
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
		return nil, apiError("balance", "check-balance", env)
	}
	a, err := parseBalance(body)
	if err != nil {
		return nil, badAnswer("balance", "check-balance", body, err)
	}
	cur := strings.ToUpper(strings.TrimSpace(a.Currency))
	if cur == "" {
		cur = defaultCurrency
	}
	return []money.Money{money.New(a.Balance.Decimal, cur)}, nil
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

// Status looks a sale up by the kiosk's reference. check-transaction-status,
// seed L1111-L1186 (secured L1914-L1997): resellerUsername, password =
// MD5(ResellerUsername + ResellerRefNumber + SecretKey) (L1132),
// resellerRefNumber (L1135).
//
// Only the documented 303 NO_REQUESTS_FOUND (L1184) is "not found"; every
// other error, and every answer that is not the seed's, is an error (the
// sale stays open), never an outcome.
func (c *Client) Status(ctx context.Context, sale providers.SaleRef) (providers.Result, error) {
	req := map[string]string{
		"resellerUsername":  c.cfg.Username,
		"password":          c.sign(sale.Ref),
		"resellerRefNumber": sale.Ref,
	}
	var a saleAnswer
	err := c.call(ctx, "status", "check-transaction-status", req, &a)
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Code == codeNoRequests && !pe.Config {
		return providers.Result{State: providers.NotFound, Message: clerkText[codeNoRequests]}, nil
	}
	if err != nil {
		if pe != nil {
			// A look-up says nothing about the sale's money: it is never a
			// refusal, whatever the answer.
			pe.Outcome, pe.Temporary = providers.Unknown, true
			if pe.Err != nil {
				pe.Err = fmt.Errorf("ref %s: %w", sale.Ref, pe.Err)
			}
		}
		return providers.Result{}, err
	}
	if ref := a.ResellerRefNumber.text(); ref != "" && ref != sale.Ref {
		return providers.Result{}, providers.Doubt(ID, "status", "", "Bitaqaty answered about another sale ("+clean(ref)+")", nil)
	}
	bill := sale.Product.Extra[extraBill] == "true" || a.ItemID.text() != ""
	if a.BbTrxRefNumber.text() == "" && (!bill || a.ItemID.text() == "") {
		// The seed's status answer has no state field: what makes it a sale
		// is Bitaqaty's transaction number, which only a successful
		// transaction has (L1151, L1270). Without it nothing is decided.
		return providers.Result{}, providers.Doubt(ID, "status", "",
			"Bitaqaty's status answer has no transaction number; check this sale on Bitaqaty's portal", nil)
	}
	if bill {
		return providers.CleanResult(billResult(a, sale.Product)), nil
	}
	return providers.CleanResult(saleResult(a, sale.Product)), nil
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
	return providers.CleanRecords(out), nil
}

// reconcile asks for one kind of record. reconcile, seed L1228-L1334
// (secured L2038-L2148): resellerUsername, password =
// MD5(ResellerUsername + DateFrom + DateTo + IsSuccessful + SecretKey)
// (L1249), dateFrom and dateTo as yyyy-mm-dd hh:mm:ss (L1252-L1253), and
// isSuccessful as the text true/false (L1254, the example at L1316). When
// the period holds more records than Bitaqaty exports at once
// (EXCEED_EXPORT_LIMIT, L1293), it is split in halves (down to a minute).
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
		var pe *providers.Error
		if errors.As(err, &pe) && pe.Code == codeNoRequests && !pe.Config {
			return nil, nil
		}
		return nil, err
	}
	env, err := decodeEnvelope(body)
	if err != nil {
		return nil, badAnswer("reconcile", "reconcile", body, err)
	}
	if !env.ok() {
		pe := apiError("reconcile", "reconcile", env)
		switch {
		case pe.Code == codeNoRequests: // L1292: an empty period
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
	// The state is the filter asked for (L1254); purchaseStatus (L1278)
	// says the same as text.
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
