// Package dtone is the client for DT One Goods & Services (formerly
// TransferTo, API v1.1): top-ups, vouchers with PINs and bill payments for
// operators in many countries, priced in the account's currency (USD).
//
// The seed document (/work/shared/seeds/dtone-goods-services-products.txt,
// "seed Lnn" below) covers product discovery and account verification
// only. By default the client sends nothing else. The requests known from
// DT One's public API but outside the document are extensions, sent only
// when the configuration names them (extensions = [...]):
//
//   - countries, services, operators: the discovery lists
//     (GET countries, GET services, GET operators), so the catalogue can
//     be built without configured ids;
//   - transactions: the purchase, POST transactions/{type};
//   - lookup: the look-up by our reference, GET transactions/{type}/ext-{ref}.
//
// Every call is signed with three headers (see sign.go; PROVIDERS.md).
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
	"slices"
	"strings"

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

// Extension names, the same as the simulator's (dtonesim). Each is a
// request DT One's seed document does not describe; the client sends it
// only when the configuration names it.
const (
	// ExtCountries: GET countries, DT One's list of countries with their
	// ids. extension countries: PROVIDERS.md "(extension) GET ... countries"
	// (public Goods & Services API v1.1). Lets the catalogue take every
	// country when no ids are configured, and ISO codes in countries.
	ExtCountries = "countries"
	// ExtServices: GET services. extension services: PROVIDERS.md
	// "(extension) GET ... services". Lets the catalogue take every service
	// when no ids are configured.
	ExtServices = "services"
	// ExtOperators: GET operators. extension operators: PROVIDERS.md
	// "(extension) GET ... operators". Lets the catalogue take every
	// operator when no ids are configured.
	ExtOperators = "operators"
	// ExtTransactions: POST transactions/{type}, the purchase. extension
	// transactions: PROVIDERS.md "(extension) Purchase". Without it nothing
	// can be sold: the catalogue is listed, and a quote is refused.
	ExtTransactions = "transactions"
	// ExtLookup: GET transactions/{type}/ext-{external_id}, the look-up by
	// our reference. extension lookup: PROVIDERS.md "(extension) Look-up by
	// our reference". Without it the client has no status look-up: a
	// pending or unclear sale waits for a supervisor.
	ExtLookup = "lookup"
)

// Extensions lists every extension the client knows.
var Extensions = []string{ExtCountries, ExtServices, ExtOperators, ExtTransactions, ExtLookup}

// Config is the [providers.dtone] section.
type Config struct {
	BaseURL   string       `toml:"base_url"`   // https://gs-api.dtone.com/v1.1
	APIKey    secret.Value `toml:"api_key"`    // X-TransferTo-apikey
	APISecret secret.Value `toml:"api_secret"` // signs the nonce; never sent
	// Simulation asks DT One to simulate purchases (nothing is charged or
	// delivered); the status bar says so.
	Simulation bool `toml:"simulation"`

	// Where the catalogue comes from; each id is one discovery call of the
	// seed document, and the catalogue is their union:
	//   Operators: GET operators/{id}/products (seed L54);
	//   Countries: GET countries/{id}/products (seed L113), DT One's own
	//     country ids ("756"); ISO 3166 codes ("GT") need the countries
	//     extension, which finds DT One's id by the country's name;
	//   Services:  GET services/{id}/products (seed L153).
	// With none set, the catalogue needs a discovery extension (countries,
	// services or operators) to list everything.
	Operators []int    `toml:"operators"`
	Countries []string `toml:"countries"`
	Services  []int    `toml:"services"`

	// Extensions names the requests outside the seed document the client
	// may send (see the Ext constants).
	Extensions []string `toml:"extensions"`

	// Sandbox is set for the built-in simulator so the screen shows it; not a file key.
	Sandbox bool `toml:"-"`
}

// Has reports whether the configuration turns extension name on.
func (c Config) Has(name string) bool { return slices.Contains(c.Extensions, name) }

// Validate names the first bad key.
func (c Config) Validate() error {
	if err := providers.CheckBaseURL(c.BaseURL); err != nil {
		return err
	}
	switch {
	case c.APIKey.IsZero():
		return errors.New("api_key: missing value")
	case c.APISecret.IsZero():
		return errors.New("api_secret: missing value")
	}
	for _, e := range c.Extensions {
		if !slices.Contains(Extensions, e) {
			return fmt.Errorf("extensions: %q is not an extension the DT One client knows (known: %s)", e, strings.Join(Extensions, ", "))
		}
	}
	for _, cc := range c.Countries {
		switch {
		case isDigits(cc):
		case isISO(cc) && !c.Has(ExtCountries):
			return fmt.Errorf("countries: %q is an ISO code, but DT One's document lists a country's products by DT One's own id (756 for Guatemala): write the id, or add \"countries\" to extensions so the client can look the id up", cc)
		case isISO(cc):
		default:
			return fmt.Errorf("countries: %q is not a DT One country id like \"756\" or an ISO 3166 code like \"GT\"", cc)
		}
	}
	for _, op := range c.Operators {
		if op <= 0 {
			return fmt.Errorf("operators: %d is not a DT One operator id", op)
		}
	}
	for _, sv := range c.Services {
		if sv <= 0 {
			return fmt.Errorf("services: %d is not a DT One service id", sv)
		}
	}
	if len(c.Operators)+len(c.Countries)+len(c.Services) == 0 && !c.Has(ExtCountries) && !c.Has(ExtServices) && !c.Has(ExtOperators) {
		return errors.New("operators: none of operators, countries or services is set: DT One's document lists products only for a given operator, country or service id (operators = [1959], countries = [\"756\"], services = [1]); set at least one, or add \"countries\" to extensions to list every country")
	}
	return nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func isISO(s string) bool {
	if len(s) != 2 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

// Client talks to DT One. It implements providers.Provider and
// providers.Suggester; the status look-up is added by New only with the
// lookup extension. The API documents no balance or period listing.
type Client struct {
	cfg    Config
	hc     *http.Client
	base   string
	nonces nonces
}

// withStatus is the client with the lookup extension on: only then does it
// implement providers.StatusChecker.
type withStatus struct{ *Client }

var (
	_ providers.Provider      = (*Client)(nil)
	_ providers.Suggester     = (*Client)(nil)
	_ providers.StatusChecker = withStatus{}
)

// New checks cfg and builds a client. hc nil uses providers.NewHTTPClient.
// The value implements providers.StatusChecker only when cfg turns the
// lookup extension on.
func New(cfg Config, hc *http.Client) (providers.Provider, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("dtone config: %w", err)
	}
	if hc == nil {
		hc = providers.NewHTTPClient()
	}
	c := &Client{cfg: cfg, hc: hc, base: strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")}
	if cfg.Has(ExtLookup) {
		return withStatus{c}, nil
	}
	return c, nil
}

// Info names the provider; the note says when purchases are simulated.
func (c *Client) Info() providers.Info {
	i := providers.Info{ID: ID, Name: Name, Sandbox: c.cfg.Sandbox}
	if c.cfg.Simulation {
		i.Note = "simulation"
	}
	return i
}

// extensionHint is the setting that turns an extension on, for messages.
func extensionHint(name string) string {
	return fmt.Sprintf("extensions = [%q] in [providers.dtone]", name)
}

// routeHint names the settings to check when a route is missing: base_url,
// and the extension that sends the request, if any (the server may not
// have it).
func routeHint(ext string) string {
	if ext == "" {
		return "[providers.dtone] base_url"
	}
	return fmt.Sprintf("[providers.dtone] base_url and extensions = [%q]", ext)
}

// send signs and sends one request through providers.Send and reads the
// answer up to limit bytes. The error, if any, is Send's (*providers.SendError)
// or a request that could not be built. POST requests carry no
// Idempotency-Key header, so net/http never sends a purchase twice.
func (c *Client) send(ctx context.Context, method, path string, body any, limit int64) (providers.Answer, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return providers.Answer{}, fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+"/"+path, rd)
	if err != nil {
		return providers.Answer{}, fmt.Errorf("build request: %w", providers.StripURL(err))
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	sign(req, c.cfg.APIKey.Reveal(), c.cfg.APISecret.Reveal(), c.nonces.next())
	return providers.Send(c.hc, req, limit)
}

// failure turns an error of send into the provider error op gets: a
// request that never left is a refusal (nothing sent, nothing charged), any
// other a doubt.
func failure(op string, err error) *providers.Error {
	var se *providers.SendError
	if errors.As(err, &se) {
		return providers.SendFailure(ID, Name, op, err)
	}
	// The request could not even be built: nothing left this machine.
	e := providers.Refusal(ID, op, "not_sent", "could not build the request to DT One: nothing was sent")
	e.Err = err
	return e
}

// codeInfo is what the kiosk makes of one of DT One's documented codes
// (PROVIDERS.md's error list; 1000304 is also seed L263).
type codeInfo struct {
	msg     string
	refused bool // on a purchase: nothing was charged
}

var codes = map[string]codeInfo{
	"1000401": {"DT One refused the API key or signature: check api_key and api_secret", true},
	"1000404": {"DT One does not know this product or transaction", true},
	"1000777": {"the DT One account has not enough balance", true},
	"1000888": {"the DT One account has not enough balance (credit limit reached)", true},
	"1000990": {"DT One already holds a sale under this reference", false},
	"1000999": {"DT One rejected a value in the request", true},
	"1000204": {"the account number is not correct for this operator", true},
	"1000207": {"the amount is over DT One's limit for this product", true},
	"1000218": {"DT One timed out waiting for the operator; the outcome is not known yet", false},
	"1000301": {"this product is not available at the moment (out of stock)", true},
	"1000302": {"this product is not available for this account", true},
	"1000303": {"this product cannot be sold with these details", true},
	"1000304": {"this product cannot be sold or checked this way", true},
}

// errorFor turns a documented error answer into a provider error. Only a
// purchase (and a quote, which sells nothing) can be refused; for other
// calls a code says nothing about a sale's money and stays Unknown.
// 1000990 is marked Duplicate.
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
	pe := &providers.Error{Provider: ID, Op: op, Code: e.Code, Message: msg, Outcome: providers.Unknown, Temporary: !ci.refused}
	if e.Code == "1000990" {
		pe.Duplicate = true
	}
	return pe
}

// answerError explains an answer that is not the success a call expects,
// for calls other than the purchase: DT One's own error body first, then a
// route that does not exist (a configuration error), then anything else.
func answerError(op, route, setting string, a providers.Answer) error {
	if e, ok := parseErrors(a.Body); ok {
		return errorFor(op, e)
	}
	if routeMissing(a) {
		return providers.RouteError(ID, Name, op, route, setting, a)
	}
	msg := fmt.Sprintf("DT One answered HTTP %d", a.Status)
	if err := decodeJSON(a.Body, new(json.RawMessage)); err != nil {
		msg += ": " + err.Error()
	}
	return &providers.Error{Provider: ID, Op: op, Message: msg, Temporary: true}
}

// routeMissing reports an answer of a web server that has no such route
// (providers.RouteMissing), leaving out server errors: a 502 page from a
// proxy says the provider is down, not that the kiosk is set up wrong.
func routeMissing(a providers.Answer) bool {
	return (a.Status < 500 || a.Status == http.StatusNotImplemented) && providers.RouteMissing(a)
}

// seg escapes one path segment.
func seg(s string) string { return url.PathEscape(s) }
