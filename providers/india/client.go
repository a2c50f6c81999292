package india

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
	"sync"
	"time"

	"kiosk/money"
	"kiosk/providers"
)

// maxBody bounds an answer: a recharge answer is a few hundred bytes.
const maxBody = 64 << 10

// apiPaths are the request paths of one API style.
type apiPaths struct{ signin, recharge, status, balance string }

// paths are inferred from public client code, not documented: the bearer
// API at /member/signin and /recharge/{prepaid,statusCheck,balanceCheck};
// the older API's recharge at /get/prepaid/mobile (its status and balance
// paths are guesses). Every one can be overridden in the configuration.
func (c Config) paths() apiPaths {
	p := apiPaths{"/member/signin", "/recharge/prepaid", "/recharge/statusCheck", "/recharge/balanceCheck"}
	if c.api() == APILegacy {
		p = apiPaths{"", "/get/prepaid/mobile", "/get/status", "/get/balance"}
	}
	for _, o := range []struct {
		dst *string
		v   string
	}{{&p.signin, c.SigninPath}, {&p.recharge, c.RechargePath}, {&p.status, c.StatusPath}, {&p.balance, c.BalancePath}} {
		if o.v != "" {
			*o.dst = o.v
		}
	}
	return p
}

// Client talks to the recharge API. It implements providers.Provider,
// StatusChecker and BalanceChecker.
type Client struct {
	cfg     Config
	hc      *http.Client
	base    string
	paths   apiPaths
	ops     map[Code]Operator
	circles map[Code]Circle

	mu  sync.Mutex
	tok string // bearer token, "" until signed in
}

// New checks cfg and builds a client; hc nil means a client with a 30 s timeout.
func New(cfg Config, hc *http.Client) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("india config: %w", err)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	c := &Client{cfg: cfg, hc: hc, base: strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"), paths: cfg.paths(),
		ops: map[Code]Operator{}, circles: map[Code]Circle{}}
	for _, o := range cfg.operators() {
		c.ops[o.Code] = o
	}
	for _, ci := range cfg.circles() {
		c.circles[ci.Code] = ci
	}
	return c, nil
}

// Info names the provider and says how it is connected.
func (c *Client) Info() providers.Info {
	i := providers.Info{ID: ID, Name: "India mobile recharge", Sandbox: c.cfg.Sandbox}
	if c.cfg.api() == APILegacy {
		i.Note = "legacy API"
	}
	return i
}

// mobilePattern is an Indian mobile number without +91 or 0: ten digits
// starting with 6, 7, 8 or 9.
const mobilePattern = "[6-9][0-9]{9}"

// Catalog lists one range-priced prepaid recharge per configured operator.
func (c *Client) Catalog(ctx context.Context) ([]providers.Product, error) {
	var out []providers.Product
	for _, o := range c.cfg.operators() {
		out = append(out, c.product(o))
	}
	return out, nil
}

func (c *Client) product(o Operator) providers.Product {
	lo, hi := c.cfg.bounds(o)
	choices := make([]providers.Choice, 0, len(c.cfg.circles()))
	for _, ci := range c.cfg.circles() {
		choices = append(choices, providers.Choice{Value: string(ci.Code), Label: ci.Name})
	}
	return providers.Product{
		Provider:  ID,
		ID:        "prepaid-" + string(o.Code),
		Name:      o.Name + " prepaid recharge",
		Brand:     o.Name,
		Category:  "Mobile recharge",
		Country:   "IN",
		Kind:      providers.KindTopUp,
		Available: true,
		PriceKind: providers.PriceRange,
		MinAmount: money.New(lo, currency),
		MaxAmount: money.New(hi, currency),
		Step:      money.FromInt(1),
		HowToUse:  "The recharge reaches the customer's phone within minutes; the operator confirms it by SMS.",
		Fields: []providers.Field{
			{
				Name: "mobile_no", Label: "Mobile number", LabelAr: "رقم الجوال", Kind: providers.FieldPhone,
				Required: true, MinLen: 10, MaxLen: 10, Pattern: mobilePattern,
				PatternHint: "enter the 10-digit mobile number without +91 or 0; it starts with 6, 7, 8 or 9",
				Placeholder: "9876543210",
			},
			{
				Name: "circle", Label: "Circle", LabelAr: "المنطقة", Kind: providers.FieldChoice,
				Required: true, Choices: choices, Default: string(c.cfg.defaultCircle()),
			},
		},
		Extra: map[string]string{"operator_code": string(o.Code)},
	}
}

// sale is a checked recharge: what Quote and Purchase both need.
type sale struct {
	op     Operator
	circle Circle
	mobile string
	amount money.Decimal
}

// check validates a product, its fields and the amount against the
// configuration. Its errors are refusals: nothing is sent.
func (c *Client) check(op string, p providers.Product, f map[string]string, amount money.Decimal) (sale, error) {
	code := Code(p.Extra["operator_code"])
	if code == "" {
		code = Code(strings.TrimPrefix(p.ID, "prepaid-"))
	}
	o, ok := c.ops[code]
	if !ok {
		return sale{}, providers.Refusal(ID, op, "operator", fmt.Sprintf("operator %s is no longer in the india settings", code))
	}
	s := sale{op: o, mobile: strings.TrimSpace(f["mobile_no"]), amount: amount}
	if len(s.mobile) != 10 || !digits(s.mobile) || s.mobile[0] < '6' {
		return sale{}, providers.Refusal(ID, op, "mobile_no", "the mobile number must be 10 digits starting with 6, 7, 8 or 9")
	}
	if s.circle, ok = c.circles[Code(strings.TrimSpace(f["circle"]))]; !ok {
		return sale{}, providers.Refusal(ID, op, "circle", "choose the customer's circle from the list")
	}
	lo, hi := c.cfg.bounds(o)
	if _, whole := amount.IntPart(); !whole || amount.Cmp(lo) < 0 || amount.Cmp(hi) > 0 {
		return sale{}, providers.Refusal(ID, op, "amount", fmt.Sprintf("the amount must be whole rupees from %s to %s", lo, hi))
	}
	return s, nil
}

// Quote checks the recharge and prices it at its face amount; the API has
// no price or plan call. A number outside the operator's configured series
// only adds a note: numbers move between operators.
func (c *Client) Quote(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	s, err := c.check("quote", req.Product, req.Fields, req.Amount)
	if err != nil {
		return providers.Quote{}, err
	}
	total := money.New(s.amount, currency)
	info := fmt.Sprintf("₹%s recharge for %s, %s, %s circle", s.amount, s.mobile, s.op.Name, s.circle.Name)
	if len(s.op.Prefixes) > 0 && !hasPrefix(s.mobile, s.op.Prefixes) {
		info += fmt.Sprintf(". Note: this number series is not usually %s; check the operator with the customer", s.op.Name)
	}
	return providers.Quote{
		Product: c.product(s.op), Fields: req.Fields, Amount: s.amount,
		Cost: total, Retail: total, Info: info,
		Extra: map[string]string{"operator_code": string(s.op.Code)},
	}, nil
}

func hasPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// Purchase sends one recharge under req.Ref as partner_request_id. No
// retries: a repeated reference is answered "Duplicate order".
func (c *Client) Purchase(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	s, err := c.check("purchase", req.Quote.Product, req.Quote.Fields, req.Quote.Amount)
	if err != nil {
		return providers.Result{}, fmt.Errorf("india purchase %s: %w", req.Ref, err)
	}
	params := [][2]string{
		{"mobile_no", s.mobile}, {"operator_code", string(s.op.Code)}, {"amount", s.amount.String()},
		{"partner_request_id", req.Ref}, {"circle", string(s.circle.Code)}, {"recharge_type", c.cfg.rechargeType()},
	}
	if c.cfg.Dest != "" {
		params = append(params, [2]string{"dest", c.cfg.Dest})
	}
	params = append(params, [2]string{"user_var1", userVar(req.Terminal)}, [2]string{"user_var2", userVar(req.Clerk)}, [2]string{"user_var3", userVar(req.Ref)})
	hr, tok, err := c.request(ctx, "purchase", http.MethodPost, c.paths.recharge, params)
	if err != nil {
		return providers.Result{}, fmt.Errorf("india purchase %s: %w", req.Ref, err)
	}
	resp, err := c.send(hr)
	if err != nil {
		return providers.Result{}, fmt.Errorf("india purchase %s: %w", req.Ref,
			providers.Doubt(ID, "purchase", "", "no answer from the recharge provider ("+providers.TransportReason(err)+")", err))
	}
	r, err := c.purchaseResult(req.Ref, s.amount, resp, tok)
	if err != nil {
		return providers.Result{}, fmt.Errorf("india purchase %s: %w", req.Ref, err)
	}
	return r, nil
}

func (c *Client) purchaseResult(ref string, amount money.Decimal, resp httpAnswer, tok string) (providers.Result, error) {
	doubt := func(code, msg string, cause error) error {
		return providers.Doubt(ID, "purchase", code, msg, cause)
	}
	if resp.status == http.StatusUnauthorized || resp.status == http.StatusForbidden {
		// Refused at the door, before the recharge was looked at.
		c.dropToken(tok)
		return providers.Result{}, providers.Refusal(ID, "purchase", fmt.Sprintf("HTTP %d", resp.status),
			"the recharge provider did not accept our session; nothing was charged, try again")
	}
	if resp.status >= 500 {
		return providers.Result{}, doubt(fmt.Sprintf("HTTP %d", resp.status), fmt.Sprintf("the recharge provider answered HTTP %d", resp.status), nil)
	}
	a, err := parseAnswer(resp.body)
	if err != nil {
		return providers.Result{}, doubt("", "the answer from the recharge provider could not be read", err)
	}
	ok, err := a.processed()
	if err != nil {
		return providers.Result{}, doubt("", "the answer from the recharge provider is unclear", err)
	}
	st, stErr := a.state()
	if !ok {
		switch {
		case isDuplicate(a.Msg):
			return providers.Result{}, doubt("duplicate", "the provider already has a sale under this reference; check it before selling again", nil)
		case stErr == nil && st != providers.Failed:
			return providers.Result{}, doubt("error "+a.Error, "the provider's answer is contradictory: "+clip(a.Msg, 80), nil)
		case resp.status >= 300 && resp.status != http.StatusBadRequest && resp.status != http.StatusUnprocessableEntity:
			return providers.Result{}, doubt(fmt.Sprintf("HTTP %d", resp.status), fmt.Sprintf("the recharge provider answered HTTP %d", resp.status), nil)
		}
		if isAuthProblem(a.Msg) {
			c.dropToken(tok)
		}
		return providers.Result{}, refusal("purchase", a)
	}
	if resp.status >= 300 {
		return providers.Result{}, doubt(fmt.Sprintf("HTTP %d", resp.status), fmt.Sprintf("the recharge provider answered HTTP %d", resp.status), nil)
	}
	if a.PartnerReqID != "" && a.PartnerReqID != ref {
		return providers.Result{}, doubt("", fmt.Sprintf("the provider answered for another sale (%s)", clip(a.PartnerReqID, 24)), nil)
	}
	if stErr != nil {
		return providers.Result{}, doubt("", "the answer from the recharge provider has no status", stErr)
	}
	return result(st, a, amount), nil
}

// result builds a Result; charged is the amount less the commission.
func result(st providers.State, a answer, amount money.Decimal) providers.Result {
	r := providers.Result{State: st, ProviderRef: a.OrderID, Message: a.Msg, At: time.Now().UTC()}
	if st == providers.Failed {
		return r
	}
	if !amount.IsZero() {
		r.Charged = money.New(amount.Sub(a.commission(amount)), currency)
	}
	if st == providers.Succeeded {
		v := providers.Voucher{Reference: a.OpTransID, Extra: map[string]string{"order_id": a.OrderID}}
		if !amount.IsZero() {
			v.Value = money.New(amount, currency)
		}
		if a.Commission != "" {
			v.Extra["commission"] = a.Commission
		}
		r.Vouchers = []providers.Voucher{v}
	}
	return r
}

// Status looks a sale up by partner_request_id.
func (c *Client) Status(ctx context.Context, sr providers.SaleRef) (providers.Result, error) {
	for attempt := 0; ; attempt++ {
		hr, tok, err := c.request(ctx, "status", http.MethodPost, c.paths.status, [][2]string{{"partner_request_id", sr.Ref}})
		if err != nil {
			return providers.Result{}, fmt.Errorf("india status %s: %w", sr.Ref, err)
		}
		resp, err := c.send(hr)
		if err != nil {
			return providers.Result{}, fmt.Errorf("india status %s: %w", sr.Ref,
				providers.Doubt(ID, "status", "", "no answer from the recharge provider ("+providers.TransportReason(err)+")", err))
		}
		if resp.status == http.StatusUnauthorized && tok != "" && attempt == 0 {
			// An expired token: a look-up is safe to send again.
			c.dropToken(tok)
			continue
		}
		r, err := statusResult(sr.Ref, resp)
		if err != nil {
			return providers.Result{}, fmt.Errorf("india status %s: %w", sr.Ref, err)
		}
		return r, nil
	}
}

func statusResult(ref string, resp httpAnswer) (providers.Result, error) {
	fail := func(msg string, cause error) error { return providers.Doubt(ID, "status", "", msg, cause) }
	if resp.status >= 500 || resp.status == http.StatusUnauthorized || resp.status == http.StatusForbidden {
		return providers.Result{}, fail(fmt.Sprintf("the recharge provider answered HTTP %d", resp.status), nil)
	}
	a, err := parseAnswer(resp.body)
	if err != nil {
		return providers.Result{}, fail("the answer from the recharge provider could not be read", err)
	}
	ok, err := a.processed()
	if err != nil {
		return providers.Result{}, fail("the answer from the recharge provider is unclear", err)
	}
	if !ok {
		if isNotFound(a.Msg) {
			return providers.Result{State: providers.NotFound, Message: a.Msg}, nil
		}
		return providers.Result{}, providers.Doubt(ID, "status", "error "+a.Error, "status look-up refused: "+clip(a.Msg, 100), nil)
	}
	if a.PartnerReqID != "" && a.PartnerReqID != ref {
		return providers.Result{}, fail(fmt.Sprintf("the provider answered for another sale (%s)", clip(a.PartnerReqID, 24)), nil)
	}
	st, err := a.state()
	if err != nil {
		return providers.Result{}, fail("the answer from the recharge provider has no status", err)
	}
	return result(st, a, money.Zero), nil
}

// Balance reads the recharge wallet (INR).
func (c *Client) Balance(ctx context.Context) ([]money.Money, error) {
	for attempt := 0; ; attempt++ {
		hr, tok, err := c.request(ctx, "balance", http.MethodGet, c.paths.balance, nil)
		if err != nil {
			return nil, fmt.Errorf("india balance: %w", err)
		}
		resp, err := c.send(hr)
		if err != nil {
			return nil, fmt.Errorf("india balance: %w", providers.Doubt(ID, "balance", "", "no answer from the recharge provider ("+providers.TransportReason(err)+")", err))
		}
		if resp.status == http.StatusUnauthorized && tok != "" && attempt == 0 {
			c.dropToken(tok)
			continue
		}
		if resp.status >= 300 {
			return nil, fmt.Errorf("india balance: %w", providers.Doubt(ID, "balance", fmt.Sprintf("HTTP %d", resp.status),
				fmt.Sprintf("the recharge provider answered HTTP %d", resp.status), nil))
		}
		d, a, err := parseBalance(resp.body)
		if err != nil {
			return nil, fmt.Errorf("india balance: %w", providers.Doubt(ID, "balance", "", "the balance answer could not be read", err))
		}
		if ok, _ := a.processed(); !ok {
			return nil, fmt.Errorf("india balance: %w", providers.Refusal(ID, "balance", "error "+a.Error, "balance look-up refused: "+clip(a.Msg, 100)))
		}
		return []money.Money{money.New(d, currency)}, nil
	}
}

// request builds a call in the configured API style: JSON body and bearer
// token, or query parameters carrying partner_id and api_password. tok is
// the token used ("" on the legacy API).
func (c *Client) request(ctx context.Context, op, method, path string, params [][2]string) (*http.Request, string, error) {
	if c.cfg.api() == APILegacy {
		q := url.Values{"partner_id": {c.cfg.PartnerID}, "api_password": {c.cfg.APIPassword.Reveal()}}
		for _, p := range params {
			q.Set(p[0], p[1])
		}
		hr, err := http.NewRequestWithContext(ctx, method, c.base+path+"?"+q.Encode(), nil)
		if err != nil {
			return nil, "", errors.New("build request: bad base_url") // the URL holds the password: never print it
		}
		hr.Header.Set("Accept", "application/json")
		return hr, "", nil
	}
	tok, err := c.token(ctx, op)
	if err != nil {
		return nil, "", err
	}
	var body io.Reader
	if method == http.MethodPost {
		b, err := jsonBody(params)
		if err != nil {
			return nil, "", err
		}
		body = bytes.NewReader(b)
	}
	hr, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, "", fmt.Errorf("build request: %w", err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("Authorization", "Bearer "+tok)
	return hr, tok, nil
}

// numeric are the fields the seed's examples send as JSON numbers.
var numeric = map[string]bool{"mobile_no": true, "operator_code": true, "amount": true, "circle": true}

// jsonBody writes params in order, numbers as numbers like the seed.
func jsonBody(params [][2]string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range params {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p[0])
		b.Write(k)
		b.WriteByte(':')
		if numeric[p[0]] && plainNumber(p[1]) {
			b.WriteString(p[1])
			continue
		}
		v, err := json.Marshal(p[1])
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// httpAnswer is a read answer.
type httpAnswer struct {
	status int
	body   []byte
}

// send sends hr once. The error never holds the URL (the older API puts
// the password in it).
func (c *Client) send(hr *http.Request) (httpAnswer, error) {
	resp, err := c.hc.Do(hr)
	if err != nil {
		return httpAnswer{}, providers.StripURL(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return httpAnswer{}, fmt.Errorf("read answer: %w", providers.StripURL(err))
	}
	if len(body) > maxBody {
		return httpAnswer{}, fmt.Errorf("answer over %d bytes", maxBody)
	}
	return httpAnswer{status: resp.StatusCode, body: body}, nil
}

// userVar keeps a user_var alphanumeric (plus - _ .) and short.
func userVar(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (isKeyByte(byte(r)) || r == '.') {
			b.WriteRune(r)
		}
		if b.Len() >= 40 {
			break
		}
	}
	return b.String()
}

// plainNumber reports whether s can be written as a bare JSON number.
func plainNumber(s string) bool {
	_, err := money.Parse(s)
	return err == nil && s != "" && s[0] != '+' && s[0] != '.' && !strings.HasSuffix(s, ".") && (s[0] != '0' || len(s) == 1 || s[1] == '.')
}
