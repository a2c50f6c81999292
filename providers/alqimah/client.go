// Package alqimah is the client for Al-Qimah's REST API (softibs.com): Yemeni
// mobile, landline, ADSL and 4G payments, operator offers, and game and
// gift-card top-ups. It logs in with an MD5 token, reuses the access token
// until it expires, and sells under the kiosk's reference as TransactionID.
package alqimah

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"kiosk/money"
	"kiosk/providers"
)

// ID names the provider in config, journal and CLI.
const ID = "alqimah"

// Client talks to one Al-Qimah account. It is safe for concurrent use.
type Client struct {
	cfg  Config
	nets map[string]Network
	hc   *http.Client
	base string
	now  func() time.Time // replaced in tests

	mu      sync.Mutex // guards the token; held during a login so only one runs
	tok     string
	renewAt time.Time

	qmu   sync.Mutex // guards lastQ
	lastQ int64
}

var (
	_ providers.Provider       = (*Client)(nil)
	_ providers.StatusChecker  = (*Client)(nil)
	_ providers.BalanceChecker = (*Client)(nil)
)

// New checks cfg and returns a client. hc nil means a client with a 30 s timeout.
func New(cfg Config, hc *http.Client) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("alqimah config: %w", err)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{
		cfg:  cfg,
		nets: cfg.networks(),
		hc:   hc,
		base: strings.TrimRight(cfg.BaseURL, "/"),
		now:  time.Now,
	}, nil
}

// Info names the provider.
func (c *Client) Info() providers.Info {
	return providers.Info{ID: ID, Name: "Al-Qimah", Sandbox: c.cfg.Sandbox}
}

// token returns a valid access token, logging in when there is none or it
// is about to expire.
func (c *Client) token(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok != "" && c.now().Before(c.renewAt) {
		return c.tok, nil
	}
	a, err := c.login(ctx)
	if err != nil {
		return "", err
	}
	c.tok = a.AccessToken
	// Renew a little early: a tenth of the lifetime, at most 30 s, so a
	// request never leaves with a token that dies on the way.
	life := a.Expires.Sub(c.now())
	c.renewAt = a.Expires.Add(-min(30*time.Second, max(life/10, 0)))
	return c.tok, nil
}

// dropToken forgets tok after the platform refused it; a token that another
// caller has already replaced is left alone.
func (c *Client) dropToken(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok == tok {
		c.tok = ""
	}
}

func (c *Client) login(ctx context.Context) (loginAnswer, error) {
	req := map[string]string{
		"AccountNumber": c.cfg.AccountNumber,
		"UserName":      c.cfg.Username,
		"Token":         loginToken(c.cfg.Username, c.cfg.AccountNumber, c.cfg.Password.Reveal(), c.cfg.APIToken.Reveal()),
	}
	body, code, err := c.post(ctx, "/rest-api/login", "", req)
	if err != nil {
		return loginAnswer{}, &providers.Error{Provider: ID, Op: "login", Code: "network", Message: "cannot reach Al-Qimah to log in", Temporary: true, Err: err}
	}
	if code >= 500 {
		return loginAnswer{}, &providers.Error{Provider: ID, Op: "login", Code: "http_" + strconv.Itoa(code), Message: "Al-Qimah login failed with a server error", Temporary: true}
	}
	a, err := parseLogin(body)
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		return a, &providers.Error{Provider: ID, Op: "login", Code: string(kindAuth), Message: message(kindAuth, ae.Message), Outcome: providers.Refused}
	case err != nil:
		return a, &providers.Error{Provider: ID, Op: "login", Code: "bad_answer", Message: "Al-Qimah login answer could not be read", Temporary: true, Err: err}
	}
	return a, nil
}

// post sends one POST with a JSON body and reads at most maxBody bytes.
func (c *Client) post(ctx context.Context, path, tok string, v any) ([]byte, int, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, 0, fmt.Errorf("encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(data))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if tok != "" {
		req.Header.Set("api-token", tok)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, resp.StatusCode, fmt.Errorf("read answer: %w", err)
	}
	if len(body) > maxBody {
		return nil, resp.StatusCode, fmt.Errorf("answer longer than %d bytes", maxBody)
	}
	return body, resp.StatusCode, nil
}

// isAuthHTTP reports HTTP codes that mean the api-token was refused.
func isAuthHTTP(code int) bool {
	return code == http.StatusUnauthorized || code == http.StatusForbidden
}

// call runs one non-purchase request and hands the answer to parse. An auth
// refusal drops the token and the request is sent once more after a fresh
// login; these requests change nothing, so repeating them is safe.
func (c *Client) call(ctx context.Context, op string, req any, parse func([]byte) error) error {
	for attempt := 0; ; attempt++ {
		tok, err := c.token(ctx)
		if err != nil {
			return err
		}
		body, code, err := c.post(ctx, "/rest-api/", tok, req)
		if err != nil {
			return &providers.Error{Provider: ID, Op: op, Code: "network", Message: "no answer from Al-Qimah", Temporary: true, Err: err}
		}
		perr := c.answerError(op, code, body, parse)
		var pe *providers.Error
		if attempt == 0 && errors.As(perr, &pe) && pe.Code == string(kindAuth) {
			c.dropToken(tok)
			continue
		}
		return perr
	}
}

// answerError turns an HTTP answer into nil (parse accepted it) or a
// *providers.Error that says what went wrong.
func (c *Client) answerError(op string, code int, body []byte, parse func([]byte) error) error {
	if isAuthHTTP(code) {
		return &providers.Error{Provider: ID, Op: op, Code: string(kindAuth), Message: message(kindAuth, ""), Outcome: providers.Refused}
	}
	if code >= 500 {
		return &providers.Error{Provider: ID, Op: op, Code: "http_" + strconv.Itoa(code), Message: "Al-Qimah answered with a server error", Temporary: true}
	}
	err := parse(body)
	if err == nil {
		return nil
	}
	var ae *apiError
	if errors.As(err, &ae) {
		k := classify(ae.Message)
		return &providers.Error{Provider: ID, Op: op, Code: string(k), Message: message(k, ae.Message), Outcome: providers.Refused, Err: err}
	}
	return &providers.Error{Provider: ID, Op: op, Code: "bad_answer", Message: "Al-Qimah's answer could not be read: " + badAnswer(err), Temporary: true, Err: err}
}

// badAnswer describes an unreadable answer in a few words.
func badAnswer(err error) string {
	switch {
	case errors.Is(err, errHTML):
		return "got an HTML page instead of JSON"
	case errors.Is(err, errEmpty):
		return "the answer was empty"
	}
	return "malformed or truncated JSON"
}

// nextQueryID returns a fresh TransactionID for a subscriber query, which
// the platform wants unique per request. Nanosecond time gives 19 digits,
// so it never equals a 16-digit sale reference.
func (c *Client) nextQueryID() string {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	id := c.now().UnixNano()
	if id <= c.lastQ {
		id = c.lastQ + 1
	}
	c.lastQ = id
	return strconv.FormatInt(id, 10)
}

// global builds a network-0 request.
func global(service int) map[string]any {
	return map[string]any{"NetworkNumber": 0, "ServiceNumber": service}
}

// Balance returns the account balance (0/1).
func (c *Client) Balance(ctx context.Context) ([]money.Money, error) {
	var bal money.Decimal
	err := c.call(ctx, "balance", global(1), func(b []byte) (err error) {
		bal, err = parseBalance(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("alqimah balance: %w", err)
	}
	return []money.Money{money.New(bal, c.cfg.currency())}, nil
}

// Feed lists the credits added to the account (0/3).
func (c *Client) Feed(ctx context.Context) ([]FeedEntry, error) {
	var out []FeedEntry
	err := c.call(ctx, "feed", global(3), func(b []byte) (err error) {
		out, err = parseFeed(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("alqimah feed: %w", err)
	}
	return out, nil
}

// categories reads the game and gift-card categories (0/4).
func (c *Client) categories(ctx context.Context) ([]category, error) {
	var out []category
	err := c.call(ctx, "categories", global(4), func(b []byte) (err error) {
		out, err = parseCategories(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("alqimah categories: %w", err)
	}
	return out, nil
}

// Status looks a sale up by our reference (0/2).
func (c *Client) Status(ctx context.Context, sale providers.SaleRef) (providers.Result, error) {
	req := global(2)
	req["TransactionID"] = sale.Ref
	var op operation
	err := c.call(ctx, "status", req, func(b []byte) (err error) {
		op, err = parseOperation(b)
		return err
	})
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Code == string(kindNotFound) {
		return providers.Result{State: providers.NotFound, Message: pe.Message}, nil
	}
	if err != nil {
		return providers.Result{}, fmt.Errorf("alqimah status %s: %w", sale.Ref, err)
	}
	if !sameRef(op.TransactionID, sale.Ref) {
		return providers.Result{}, fmt.Errorf("alqimah status %s: answer is for transaction %q", sale.Ref, op.TransactionID)
	}
	return c.result(op), nil
}

// sameRef accepts an answer that echoes our reference or leaves it out.
func sameRef(got flexString, ref string) bool {
	g := strings.TrimLeft(string(got), "0")
	return g == "" || g == strings.TrimLeft(ref, "0")
}

// result turns an operation answer into a Result.
func (c *Client) result(op operation) providers.Result {
	r := providers.Result{ProviderRef: string(op.ReferenceID), Message: opMessage(op), At: c.now()}
	if op.Price != nil {
		r.Charged = money.New(*op.Price, c.cfg.currency())
	}
	if op.AgentBalance != nil {
		r.Balance = money.New(*op.AgentBalance, c.cfg.currency())
	}
	switch *op.OperationStatus {
	case 1:
		r.State = providers.Succeeded
		v := providers.Voucher{Reference: string(op.ReferenceID), PIN: op.pin(), Serial: string(op.Serial)}
		if op.Message != "" || op.Details != "" {
			v.Extra = map[string]string{}
			if op.Message != "" {
				v.Extra["message"] = op.Message
			}
			if op.Details != "" {
				v.Extra["details"] = string(op.Details)
			}
		}
		r.Vouchers = []providers.Voucher{v}
	case 0:
		r.State = providers.Failed
	default:
		r.State = providers.Pending
	}
	return r
}

func opMessage(op operation) string {
	if op.Details != "" && string(op.Details) != op.Message {
		return strings.TrimSpace(op.Message + " — " + string(op.Details))
	}
	return op.Message
}
