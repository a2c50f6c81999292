// Package dtone is the client for DT One Goods & Services (formerly
// TransferTo, API v1.1): top-ups, vouchers with PINs and bill payments for
// operators in many countries, priced in the account's currency (USD).
//
// Every call is signed with three headers (see sign.go). A sale is one POST
// to transactions/{type} under our reference as external_id, and is looked
// up again with GET transactions/{type}/ext-{reference}.
package dtone

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"kiosk/providers"
	"kiosk/secret"
)

// ID names the provider in config, journal and CLI.
const ID = "dtone"

// Name is shown to people.
const Name = "DT One Goods & Services"

// Answer size limits: a country's catalogue can be large, anything else is small.
const (
	catalogLimit = 16 << 20
	answerLimit  = 1 << 20
)

// Config is the [providers.dtone] section.
type Config struct {
	BaseURL   string       `toml:"base_url"`   // https://gs-api.dtone.com/v1.1
	APIKey    secret.Value `toml:"api_key"`    // X-TransferTo-apikey
	APISecret secret.Value `toml:"api_secret"` // signs the nonce; never sent
	// Simulation asks DT One to simulate purchases (nothing is charged or
	// delivered); the status bar says so.
	Simulation bool `toml:"simulation"`
	// Countries limits the catalogue to these ISO 3166 alpha-2 codes ("GT",
	// "IN"); DT One's own numeric country ids ("756") are accepted too.
	Countries []string `toml:"countries"`
	// Operators limits the catalogue to these DT One operator ids.
	Operators []int `toml:"operators"`

	// Sandbox is set by SandboxConfig so the screen shows it; not a file key.
	Sandbox bool `toml:"-"`
}

// Validate names the first bad key.
func (c Config) Validate() error {
	u, err := url.Parse(c.BaseURL)
	switch {
	case c.BaseURL == "":
		return errors.New("base_url: missing value: set DT One's API address, e.g. https://gs-api.dtone.com/v1.1")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("base_url: %q is not an http(s) URL with a host", c.BaseURL)
	case c.APIKey.IsZero():
		return errors.New("api_key: missing value")
	case c.APISecret.IsZero():
		return errors.New("api_secret: missing value")
	}
	for _, cc := range c.Countries {
		if !isCountryCode(cc) {
			return fmt.Errorf("countries: %q is not an ISO 3166 code like \"GT\" or a DT One country id like \"756\"", cc)
		}
	}
	for _, op := range c.Operators {
		if op <= 0 {
			return fmt.Errorf("operators: %d is not a DT One operator id", op)
		}
	}
	return nil
}

func isCountryCode(s string) bool {
	if s == "" {
		return false
	}
	letters, digits := true, true
	for _, r := range s {
		letters = letters && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
		digits = digits && r >= '0' && r <= '9'
	}
	return letters && len(s) == 2 || digits
}

// Client talks to DT One. It implements providers.Provider and
// providers.StatusChecker; the API documents no balance or period listing.
type Client struct {
	cfg    Config
	hc     *http.Client
	base   string
	nonces nonces
}

var (
	_ providers.Provider      = (*Client)(nil)
	_ providers.StatusChecker = (*Client)(nil)
)

// New checks cfg and builds a client. hc nil uses a 30-second timeout.
func New(cfg Config, hc *http.Client) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("dtone config: %w", err)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{cfg: cfg, hc: hc, base: strings.TrimRight(cfg.BaseURL, "/")}, nil
}

// Info names the provider; the note says when purchases are simulated.
func (c *Client) Info() providers.Info {
	i := providers.Info{ID: ID, Name: Name, Sandbox: c.cfg.Sandbox}
	if c.cfg.Simulation {
		i.Note = "simulation"
	}
	return i
}

// call sends one signed request and reads the answer up to limit bytes. A
// body that is cut off or too long is an error. POST requests are never
// retried by net/http (no Idempotency-Key header is set), so a purchase is
// sent at most once.
func (c *Client) call(ctx context.Context, method, path string, body any, limit int64) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+"/"+path, rd)
	if err != nil {
		return 0, nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	sign(req, c.cfg.APIKey.Reveal(), c.cfg.APISecret.Reveal(), c.nonces.next())
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return resp.StatusCode, data, fmt.Errorf("read answer (HTTP %d): %w", resp.StatusCode, err)
	}
	if int64(len(data)) > limit {
		return resp.StatusCode, nil, fmt.Errorf("answer larger than %d bytes", limit)
	}
	return resp.StatusCode, data, nil
}

// codeInfo is what the kiosk makes of one of DT One's documented codes.
type codeInfo struct {
	msg     string
	refused bool // nothing was charged
}

var codes = map[string]codeInfo{
	"1000401": {"DT One refused the API key or signature: check api_key and api_secret", true},
	"1000404": {"DT One does not know this product or transaction", true},
	"1000777": {"the DT One account has not enough balance", true},
	"1000888": {"the DT One account has not enough balance (credit limit reached)", true},
	"1000990": {"DT One already has a sale under this reference; check the earlier sale before selling again", false},
	"1000999": {"DT One rejected a value in the request", true},
	"1000204": {"the account number is not correct for this operator", true},
	"1000207": {"the amount is over DT One's limit for this product", true},
	"1000218": {"DT One timed out waiting for the operator; the outcome is not known yet", false},
	"1000301": {"this product is not available at the moment", true},
	"1000302": {"this product is not available for this account", true},
	"1000303": {"this product cannot be sold with these details", true},
	"1000304": {"account verification is not available for this product", true},
	"1000500": {"DT One had an internal error; the outcome is not known", false},
}

// errorFor turns a documented error answer into a provider error. Only a
// purchase or a quote can be refused; for other calls a code says nothing
// about a sale's money and stays Unknown.
func errorFor(op string, e apiError) *providers.Error {
	ci, known := codes[e.Code]
	msg := ci.msg
	switch {
	case !known && e.Message != "":
		msg = "DT One: " + e.Message
	case !known:
		msg = "DT One answered with an undocumented error"
	case e.Message != "" && !strings.EqualFold(e.Message, ci.msg):
		msg += " (DT One: " + e.Message + ")"
	}
	if known && ci.refused && (op == "purchase" || op == "quote") {
		return providers.Refusal(ID, op, e.Code, msg)
	}
	return &providers.Error{Provider: ID, Op: op, Code: e.Code, Message: msg, Outcome: providers.Unknown, Temporary: !ci.refused}
}

// answerError explains a non-success answer of a call other than a purchase.
func answerError(op string, status int, body []byte) error {
	if e, ok := parseErrors(body); ok {
		return errorFor(op, e)
	}
	msg := fmt.Sprintf("DT One answered HTTP %d", status)
	if err := decodeJSON(body, new(json.RawMessage)); err != nil {
		msg += ": " + err.Error()
	}
	return &providers.Error{Provider: ID, Op: op, Message: msg, Temporary: status >= 500}
}

// transportError is a call that got no complete answer.
func transportError(op string, err error) error {
	return &providers.Error{Provider: ID, Op: op, Message: "no complete answer from DT One", Temporary: true, Err: err}
}

// seg escapes one path segment.
func seg(s string) string { return url.PathEscape(s) }
