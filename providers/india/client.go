package india

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// name is how errors name the provider.
const name = "the recharge provider"

// Client talks to the recharge API. It implements providers.Provider; New
// wraps it so that the value it returns implements StatusChecker only with
// the status extension and BalanceChecker only with the balance extension.
type Client struct {
	cfg     Config
	hc      *http.Client
	base    string
	paths   paths
	now     func() time.Time
	ops     map[Code]Operator
	circles map[Code]Circle

	mu  sync.Mutex
	tok string // bearer token (extension signin), "" until signed in
}

// withStatus, withBalance and withBoth add the extensions' look-ups.
type (
	withStatus  struct{ *Client }
	withBalance struct{ *Client }
	withBoth    struct{ *Client }
)

// Status looks a sale up by partner_request_id (extension status).
func (w withStatus) Status(ctx context.Context, sr providers.SaleRef) (providers.Result, error) {
	return w.status(ctx, sr)
}

// Balance reads the wallet (extension balance).
func (w withBalance) Balance(ctx context.Context) ([]money.Money, error) { return w.balance(ctx) }

// Status looks a sale up by partner_request_id (extension status).
func (w withBoth) Status(ctx context.Context, sr providers.SaleRef) (providers.Result, error) {
	return w.status(ctx, sr)
}

// Balance reads the wallet (extension balance).
func (w withBoth) Balance(ctx context.Context) ([]money.Money, error) { return w.balance(ctx) }

// New checks cfg and builds a client; hc nil means providers.NewHTTPClient.
// The value implements providers.StatusChecker only when cfg names the
// status extension, and providers.BalanceChecker only with balance: the
// seed has neither request.
func New(cfg Config, hc *http.Client) (providers.Provider, error) {
	c, err := newClient(cfg, hc)
	if err != nil {
		return nil, err
	}
	switch st, bal := cfg.has(ExtStatus), cfg.has(ExtBalance); {
	case st && bal:
		return withBoth{c}, nil
	case st:
		return withStatus{c}, nil
	case bal:
		return withBalance{c}, nil
	}
	return c, nil
}

func newClient(cfg Config, hc *http.Client) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("india config: %w", err)
	}
	if hc == nil {
		hc = providers.NewHTTPClient()
	}
	c := &Client{cfg: cfg, hc: hc, base: strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"), paths: cfg.paths(),
		now: cfg.Now, ops: map[Code]Operator{}, circles: map[Code]Circle{}}
	if c.now == nil {
		c.now = time.Now
	}
	for _, o := range cfg.Operators {
		c.ops[o.Code] = o
	}
	for _, ci := range cfg.Circles {
		c.circles[ci.Code] = ci
	}
	return c, nil
}

// Info names the provider and says how it is connected.
func (c *Client) Info() providers.Info {
	i := providers.Info{ID: ID, Name: "India mobile recharge", Sandbox: c.cfg.Sandbox}
	if c.cfg.has(ExtLegacyAuth) {
		i.Note = "legacy API"
	}
	return i
}

// mobilePattern is an Indian mobile number without +91 or 0: ten digits
// starting with 6, 7, 8 or 9.
const mobilePattern = "[6-9][0-9]{9}"

// mobileField is the customer's number (seed L3 mobile_no, a Number; the
// examples L31/L42 write ten digits): +91 98765 43210, 0091…, 09876543210
// all become 9876543210.
var mobileField = providers.Field{
	Name: "mobile_no", Label: "Mobile number", LabelAr: "رقم الجوال", Kind: providers.FieldPhone,
	Required: true, MinLen: 10, MaxLen: 10, Pattern: mobilePattern,
	PatternHint: "enter the 10-digit mobile number; it starts with 6, 7, 8 or 9", HintKey: "india_mobile",
	Placeholder: "9876543210", CallingCode: "91", NationalLen: 10,
}

// Catalog lists one range-priced prepaid recharge per configured
// operator. It sends nothing: the seed has no product or plan list.
func (c *Client) Catalog(ctx context.Context) ([]providers.Product, error) {
	out := make([]providers.Product, 0, len(c.cfg.Operators))
	for _, o := range c.cfg.Operators {
		out = append(out, c.product(o))
	}
	return providers.CleanProducts(out), nil
}

func (c *Client) product(o Operator) providers.Product {
	lo, hi := c.cfg.bounds(o)
	choices := make([]providers.Choice, 0, len(c.cfg.Circles))
	for _, ci := range c.cfg.Circles {
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
			mobileField,
			{
				Name: "circle", Label: "Circle", LabelAr: "المنطقة", Kind: providers.FieldChoice,
				Required: true, Choices: choices, Default: string(c.cfg.DefaultCircle),
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
	s := sale{op: o, mobile: mobileField.Normalize(f["mobile_no"]), amount: amount}
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

// Quote checks the recharge and prices it at its face amount; the seed has
// no price or plan call, so nothing is sent — except, with the signin
// extension, the sign-in, made here (once, before anything is journaled)
// so that a wrong password is said before the sale instead of failing it.
// A number outside the operator's configured series only adds a note:
// numbers move between operators.
func (c *Client) Quote(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	s, err := c.check("quote", req.Product, req.Fields, req.Amount)
	if err != nil {
		return providers.Quote{}, err
	}
	if c.cfg.has(ExtSignin) {
		if _, err := c.token(ctx, "quote"); err != nil {
			return providers.Quote{}, fmt.Errorf("india quote: %w", err)
		}
	}
	total := money.New(s.amount, currency)
	info := fmt.Sprintf("₹%s recharge for %s, %s, %s circle", s.amount, s.mobile, s.op.Name, s.circle.Name)
	if len(s.op.Prefixes) > 0 && !hasPrefix(s.mobile, s.op.Prefixes) {
		info += fmt.Sprintf(". Note: this number series is not usually %s; check the operator with the customer", s.op.Name)
	}
	fields := make(map[string]string, len(req.Fields))
	for k, v := range req.Fields {
		fields[k] = v
	}
	fields["mobile_no"] = s.mobile
	return providers.CleanQuote(providers.Quote{
		Product: c.product(s.op), Fields: fields, Amount: s.amount,
		Cost: total, Retail: total, Info: info,
		Extra: map[string]string{"operator_code": string(s.op.Code)},
	}), nil
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
	// seed L1-L12: the recharge, POST (never a GET: DESIGN.md) to recharge_path.
	hr, tok, err := c.request(ctx, "purchase", http.MethodPost, c.paths.recharge, rechargeParams(c.cfg, s, req))
	if err != nil {
		return providers.Result{}, fmt.Errorf("india purchase %s: %w", req.Ref, err)
	}
	a, err := providers.Send(c.hc, hr, maxBody)
	if err != nil {
		return providers.Result{}, fmt.Errorf("india purchase %s: %w", req.Ref, providers.SendFailure(ID, name, "purchase", err))
	}
	r, err := c.purchaseResult(req.Ref, s.amount, a, tok)
	if err != nil {
		return providers.Result{}, fmt.Errorf("india purchase %s: %w", req.Ref, err)
	}
	return providers.CleanResult(r), nil
}

// rechargeParams are the recharge's parameters, in the order of the seed's
// table (L3-L12) and examples (L30-L52). seed L1-L12.
func rechargeParams(cfg Config, s sale, req providers.PurchaseRequest) [][2]string {
	params := [][2]string{
		{"mobile_no", s.mobile},               // seed L3, L31
		{"operator_code", string(s.op.Code)},  // seed L4, L32
		{"amount", s.amount.String()},         // seed L5, L33
		{"partner_request_id", req.Ref},       // seed L6: unique, alphanumeric
		{"circle", string(s.circle.Code)},     // seed L7, L35
		{"recharge_type", cfg.rechargeType()}, // seed L8, L36
	}
	if cfg.Dest != "" {
		params = append(params, [2]string{"dest", cfg.Dest}) // seed L9, L48
	}
	// seed L10-L12: "any future reference for API users, will be sent back".
	return append(params,
		[2]string{"user_var1", userVar(req.Terminal)}, [2]string{"user_var2", userVar(req.Clerk)}, [2]string{"user_var3", userVar(req.Ref)})
}

// purchaseResult reads the recharge's answer. The provider's own answer
// (an object with the seed's error field, L15-L16) is read first; a route
// that does not exist is a configuration error; anything else is a doubt.
func (c *Client) purchaseResult(ref string, amount money.Decimal, ans providers.Answer, tok string) (providers.Result, error) {
	doubt := func(code, msg string, cause error) error { return providers.Doubt(ID, "purchase", code, msg, cause) }
	a, perr := parseAnswer(ans.Body)
	switch {
	case success2xx(ans.Status) && perr == nil:
	case ans.Status == http.StatusUnauthorized || ans.Status == http.StatusForbidden:
		return providers.Result{}, c.authAnswer("purchase", ans, a, perr, tok)
	case providers.RouteMissing(ans):
		return providers.Result{}, c.routeError("purchase", "recharge", ans)
	case success2xx(ans.Status):
		return providers.Result{}, doubt("", "the answer from the recharge provider could not be read", perr)
	default:
		return providers.Result{}, doubt(fmt.Sprintf("HTTP %d", ans.Status), fmt.Sprintf("the recharge provider answered HTTP %d", ans.Status), nil)
	}
	ok, err := a.processed()
	if err != nil {
		return providers.Result{}, doubt("", "the answer from the recharge provider is unclear", err)
	}
	st, stErr := a.state()
	if !ok {
		switch {
		case isDuplicate(a.Msg):
			// seed L65-L68: the reference is taken. To a first send that
			// means another sale holds it; the engine raises the alarm.
			e := providers.Doubt(ID, "purchase", "duplicate", "the provider already has a sale under this reference ("+clip(a.Msg, 60)+"); it must not be settled from that sale's record", nil)
			e.Duplicate, e.Temporary = true, false
			return providers.Result{}, e
		case stErr == nil && st != providers.Failed:
			// error says "not processed" (L16) and status says success or
			// pending (L21): the answer contradicts itself.
			return providers.Result{}, doubt("error "+a.Error, "the provider's answer is contradictory: "+clip(a.Msg, 80), nil)
		}
		if c.cfg.has(ExtSignin) && isAuthProblem(a.Msg) {
			c.dropToken(tok)
		}
		return providers.Result{}, refusal("purchase", a) // seed L16: not processed, process again
	}
	if a.PartnerReqID != "" && a.PartnerReqID != ref {
		return providers.Result{}, doubt("", fmt.Sprintf("the provider answered for another sale (%s)", clip(a.PartnerReqID, 24)), nil)
	}
	if stErr != nil {
		return providers.Result{}, doubt("", "the answer from the recharge provider has no documented status", stErr)
	}
	return c.result(st, a, amount), nil
}

// authAnswer reads an HTTP 401 or 403. The provider's own "not processed"
// answer (error non-zero, seed L16) refuses the request; an answer without
// it may come from anything between us and the provider: a doubt.
func (c *Client) authAnswer(op string, ans providers.Answer, a answer, perr error, tok string) error {
	setting := "the extensions in [providers.india]: the seed has no sign-in; a provider that wants one needs extensions = [\"signin\"] (username, password) or [\"legacy-auth\"] (partner_id, api_password)"
	switch {
	case c.cfg.has(ExtSignin):
		c.dropToken(tok)
		setting = "username and password in [providers.india]"
	case c.cfg.has(ExtLegacyAuth):
		setting = "partner_id and api_password in [providers.india]"
	}
	code := fmt.Sprintf("HTTP %d", ans.Status)
	if perr == nil {
		if ok, err := a.processed(); err == nil && !ok {
			msg := fmt.Sprintf("the recharge provider did not accept our credentials (HTTP %d); nothing was charged", ans.Status)
			if c.cfg.has(ExtSignin) {
				msg += "; the kiosk signs in again for the next sale"
			} else {
				msg += "; check " + setting
			}
			e := providers.Refusal(ID, op, code, msg)
			e.Temporary = c.cfg.has(ExtSignin)
			return e
		}
	}
	e := providers.Doubt(ID, op, code, fmt.Sprintf("the recharge provider answered HTTP %d: check %s", ans.Status, setting), perr)
	e.Config = true
	return e
}

// routeError is the answer of a route that does not exist: the setting
// that names it is wrong, or the provider lacks the extension.
func (c *Client) routeError(op, which string, ans providers.Answer) *providers.Error {
	route, setting := "recharge at "+c.paths.recharge, "base_url and recharge_path in [providers.india]"
	switch which {
	case "status":
		route, setting = "status check at "+c.paths.status, fmt.Sprintf("status_path, or remove %q from extensions, in [providers.india]", ExtStatus)
	case "balance":
		route, setting = "balance check at "+c.paths.balance, fmt.Sprintf("balance_path, or remove %q from extensions, in [providers.india]", ExtBalance)
	case "signin":
		route, setting = "sign-in at "+c.paths.signin, fmt.Sprintf("signin_path, or remove %q from extensions, in [providers.india]", ExtSignin)
	}
	return providers.RouteError(ID, name, op, route, setting, ans)
}

func success2xx(status int) bool { return status >= 200 && status < 300 }

// result builds a Result from a processed answer (seed L13-L29).
//
// commission (L26) is the partner's: it only lowers what the shop was
// charged (Result.Charged, the sale's Charged), and is never put in a
// Voucher, whose fields the customer's receipt prints.
func (c *Client) result(st providers.State, a answer, amount money.Decimal) providers.Result {
	r := providers.Result{State: st, ProviderRef: a.OrderID, Message: a.Msg, At: c.now().UTC()} // L23
	if st == providers.Failed {
		return r
	}
	if !amount.IsZero() {
		r.Charged = money.New(amount.Sub(a.commission(amount)), currency)
	}
	if st == providers.Succeeded {
		v := providers.Voucher{Reference: a.OpTransID} // L24: the operator's transaction id
		if !amount.IsZero() {
			v.Value = money.New(amount, currency)
		}
		r.Vouchers = []providers.Voucher{v}
	}
	return r
}

// status looks a sale up by partner_request_id (extension status:
// PROVIDERS.md "Status check by partner_request_id ... same status
// codes"). The seed documents no answer for a reference the provider does
// not know, so no answer is read as NotFound: an error answer is a doubt,
// and the engine puts the sale in review after its look-ups fail.
func (c *Client) status(ctx context.Context, sr providers.SaleRef) (providers.Result, error) {
	for attempt := 0; ; attempt++ {
		// extension status: partner_request_id, as the recharge's (seed L6).
		hr, tok, err := c.request(ctx, "status", http.MethodPost, c.paths.status, [][2]string{{"partner_request_id", sr.Ref}})
		if err != nil {
			return providers.Result{}, fmt.Errorf("india status %s: %w", sr.Ref, lookupErr(err))
		}
		ans, err := providers.Send(c.hc, hr, maxBody)
		if err != nil {
			return providers.Result{}, fmt.Errorf("india status %s: %w", sr.Ref, lookupErr(providers.SendFailure(ID, name, "status", err)))
		}
		if ans.Status == http.StatusUnauthorized && c.cfg.has(ExtSignin) && attempt == 0 {
			c.dropToken(tok) // an expired token: a look-up is safe to send again
			continue
		}
		r, err := c.statusResult(sr.Ref, ans, tok)
		if err != nil {
			return providers.Result{}, fmt.Errorf("india status %s: %w", sr.Ref, lookupErr(err))
		}
		return providers.CleanResult(r), nil
	}
}

// lookupErr makes a failed look-up a doubt: a status look-up that got no
// documented answer says nothing about the sale, so its error is never an
// outcome (a sign-in or connection that failed before it is not a refusal
// of the sale).
func lookupErr(err error) error {
	var pe *providers.Error
	if errors.As(err, &pe) {
		pe.Outcome = providers.Unknown
	}
	return err
}

func (c *Client) statusResult(ref string, ans providers.Answer, tok string) (providers.Result, error) {
	fail := func(code, msg string, cause error) error { return providers.Doubt(ID, "status", code, msg, cause) }
	a, perr := parseAnswer(ans.Body)
	switch {
	case success2xx(ans.Status) && perr == nil:
	case ans.Status == http.StatusUnauthorized || ans.Status == http.StatusForbidden:
		return providers.Result{}, c.authAnswer("status", ans, a, perr, tok)
	case providers.RouteMissing(ans):
		return providers.Result{}, c.routeError("status", "status", ans)
	case success2xx(ans.Status):
		return providers.Result{}, fail("", "the status answer could not be read", perr)
	default:
		return providers.Result{}, fail(fmt.Sprintf("HTTP %d", ans.Status), fmt.Sprintf("the recharge provider answered HTTP %d", ans.Status), nil)
	}
	ok, err := a.processed()
	if err != nil {
		return providers.Result{}, fail("", "the status answer is unclear", err)
	}
	if !ok {
		// Never NotFound: "Transaction not found" and the like are not in
		// the seed. The sale stays open.
		return providers.Result{}, fail("error "+a.Error, "the status look-up was not processed: "+clip(a.Msg, 100), nil)
	}
	if a.PartnerReqID != "" && a.PartnerReqID != ref {
		return providers.Result{}, fail("", fmt.Sprintf("the provider answered for another sale (%s)", clip(a.PartnerReqID, 24)), nil)
	}
	st, err := a.state()
	if err != nil {
		return providers.Result{}, fail("", "the status answer has no documented status", err)
	}
	return c.result(st, a, money.Zero), nil
}

// balance reads the wallet balance (extension balance: RechargeKit's
// public API; answer wallet_amount).
func (c *Client) balance(ctx context.Context) ([]money.Money, error) {
	for attempt := 0; ; attempt++ {
		// extension balance: a GET with no parameters but the credentials.
		hr, tok, err := c.request(ctx, "balance", http.MethodGet, c.paths.balance, nil)
		if err != nil {
			return nil, fmt.Errorf("india balance: %w", err)
		}
		ans, err := providers.Send(c.hc, hr, maxBody)
		if err != nil {
			return nil, fmt.Errorf("india balance: %w", providers.SendFailure(ID, name, "balance", err))
		}
		if ans.Status == http.StatusUnauthorized && c.cfg.has(ExtSignin) && attempt == 0 {
			c.dropToken(tok)
			continue
		}
		fail := func(code, msg string, cause error) error {
			return fmt.Errorf("india balance: %w", providers.Doubt(ID, "balance", code, msg, cause))
		}
		d, a, perr := parseBalance(ans.Body)
		switch {
		case success2xx(ans.Status) && perr == nil:
		case ans.Status == http.StatusUnauthorized || ans.Status == http.StatusForbidden:
			return nil, fmt.Errorf("india balance: %w", c.authAnswer("balance", ans, a, perr, tok))
		case providers.RouteMissing(ans):
			return nil, fmt.Errorf("india balance: %w", c.routeError("balance", "balance", ans))
		case success2xx(ans.Status):
			return nil, fail("", "the balance answer could not be read", perr)
		default:
			return nil, fail(fmt.Sprintf("HTTP %d", ans.Status), fmt.Sprintf("the recharge provider answered HTTP %d", ans.Status), nil)
		}
		if ok, _ := a.processed(); !ok {
			return nil, fmt.Errorf("india balance: %w", providers.Refusal(ID, "balance", "error "+a.Error, "balance look-up refused: "+clip(a.Msg, 100)))
		}
		return []money.Money{money.New(d, currency)}, nil
	}
}

// request builds a call: the seed's parameters as a JSON body like its
// examples (L30-L52) with no credentials; with legacy-auth, every
// parameter in the query string (seed L1 "REQUEST QUERY PARAM") with
// partner_id and api_password; with signin, the bearer token. tok is the
// token used ("" without signin). A sign-in that fails before a purchase
// is a refusal: the purchase was never sent.
func (c *Client) request(ctx context.Context, op, method, path string, params [][2]string) (*http.Request, string, error) {
	if c.cfg.has(ExtLegacyAuth) {
		// extension legacy-auth: PROVIDERS.md "partner_id and api_password as query parameters".
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
	tok := ""
	if c.cfg.has(ExtSignin) {
		t, err := c.token(ctx, op)
		if err != nil {
			if op == "purchase" {
				e := providers.Refusal(ID, op, "signin", "could not sign in to the recharge provider, so the recharge was not sent and nothing was charged: "+providers.ClerkMessage(err))
				e.Temporary, e.Err = true, err
				return nil, "", e
			}
			return nil, "", err
		}
		tok = t
	}
	var body *bytes.Reader
	if method == http.MethodPost {
		b, err := jsonBody(params)
		if err != nil {
			return nil, "", err
		}
		body = bytes.NewReader(b)
	}
	var hr *http.Request
	var err error
	if body != nil {
		hr, err = http.NewRequestWithContext(ctx, method, c.base+path, body)
	} else {
		hr, err = http.NewRequestWithContext(ctx, method, c.base+path, nil)
	}
	if err != nil {
		return nil, "", fmt.Errorf("build request: %w", err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	hr.Header.Set("Accept", "application/json")
	if tok != "" {
		hr.Header.Set("Authorization", "Bearer "+tok) // extension signin
	}
	return hr, tok, nil
}

// numeric are the fields the seed's examples send as JSON numbers
// (L31-L35; partner_request_id is "Alphanumeric", L6, so it goes as a
// string; recharge_type is "1", L36).
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

// userVar keeps a user_var alphanumeric (seed L10-L12: "Alphanumeric")
// and short.
func userVar(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
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
