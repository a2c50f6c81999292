// Package alqimah is the client for Al-Qimah's REST API (softibs.com): Yemeni
// mobile, landline, ADSL and 4G payments, operator offers, and game and
// gift-card top-ups. It signs in with an MD5 token, reuses the access token
// while it is valid by the server's clock, and sells under the kiosk's
// reference as TransactionID.
//
// The seed document (/work/shared/seeds/alqimah-rest-api.txt; "seed Lnn"
// below are its line numbers) is the specification. Every request the
// client sends is one of it; there are no extensions:
//
//	POST /rest-api/login  login                         seed L80-110 (Token: L19-67)
//	POST /rest-api/ 0/1   account balance               seed L124-149
//	POST /rest-api/ 0/2   operation status by our ref   seed L151-213
//	POST /rest-api/ 0/3   feed entries                  seed L215-256
//	POST /rest-api/ 0/4   game and gift-card categories seed L258-364
//	POST /rest-api/ 1/101 1/102 1/107 5/501 6/601 7/701 subscriber queries, seed L366-491
//	POST /rest-api/ n/s   payment by Amount             seed L499-541
//	POST /rest-api/ n/s   payment by OfferCode          seed L543-588
//	POST /rest-api/ n/s   payment by LinkCode           seed L590-634
//
// The payment network and service numbers are configuration: the seed's
// tables are empty (L70-76) and its examples are 1/103, 2/202 and 8/801.
//
// The seed documents one error answer, {"status": false, "message": "..."}
// (L106-110 and after every request), with no codes and no HTTP statuses.
// So the client sorts the free-text messages by keyword (codes.go), and is
// conservative where money is at stake: a purchase refusal is believed only
// when its message says what was refused; anything else, and any answer
// that is not one of the seed's bodies, leaves the sale in doubt.
package alqimah

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/termtext"
)

// ID names the provider in config, journal and CLI.
const ID = "alqimah"

// name is the provider's name for people.
const name = "Al-Qimah"

// The two routes of the seed, relative to base_url.
const (
	loginPath = "/rest-api/login" // seed L82
	apiPath   = "/rest-api/"      // seed L126, L153, L217, L260, L368, L501, L545, L592
)

// Routes as error messages name them.
const (
	loginRoute = "login route (POST /rest-api/login)"
	apiRoute   = "API route (POST /rest-api/)"
)

// Client talks to one Al-Qimah account. It is safe for concurrent use.
type Client struct {
	cfg  Config
	nets map[string]Network
	hc   *http.Client
	base string
	now  func() time.Time

	mu  sync.Mutex // guards the session; held during a login so only one runs
	ses session

	smu        sync.Mutex // guards serverTime
	serverTime time.Time  // the server's clock, from the Date header of its last answer

	qmu   sync.Mutex // guards lastQ
	lastQ int64
}

// session is an access token and how long it may be used.
type session struct {
	tok string
	// until is when the token stops being used, on the kiosk's clock;
	// serverUntil is the same moment on the server's clock (its Date
	// header). The token is renewed when either has passed.
	until, serverUntil time.Time
}

var (
	_ providers.Provider       = (*Client)(nil)
	_ providers.StatusChecker  = (*Client)(nil)
	_ providers.BalanceChecker = (*Client)(nil)
)

// New checks cfg and returns a client. hc nil means providers.NewHTTPClient.
func New(cfg Config, hc *http.Client) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("alqimah config: %w", err)
	}
	if hc == nil {
		hc = providers.NewHTTPClient()
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Client{
		cfg:  cfg,
		nets: cfg.networks(),
		hc:   hc,
		base: strings.TrimRight(cfg.BaseURL, "/"),
		now:  now,
	}, nil
}

// Info names the provider.
func (c *Client) Info() providers.Info {
	return providers.Info{ID: ID, Name: name, Sandbox: c.cfg.Sandbox}
}

// token returns an access token that is valid by the server's clock,
// signing in when there is none. One sign-in serves many requests: a whole
// sale (quote, subscriber queries, purchase, status) and more, until the
// token's least possible lifetime (see tokenLife) is nearly over.
func (c *Client) token(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.ses; s.tok != "" && c.now().Before(s.until) && c.lastServerTime().Before(s.serverUntil) {
		return s.tok, nil
	}
	c.ses = session{}
	s, err := c.login(ctx)
	if err != nil {
		return "", err
	}
	c.ses = s
	return s.tok, nil
}

// dropToken forgets tok after the platform refused it; a token that another
// caller has already replaced is left alone.
func (c *Client) dropToken(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ses.tok == tok {
		c.ses = session{}
	}
}

// noteServerTime keeps the server's clock from an answer's Date header.
func (c *Client) noteServerTime(h http.Header) {
	t, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return
	}
	c.smu.Lock()
	c.serverTime = t
	c.smu.Unlock()
}

func (c *Client) lastServerTime() time.Time {
	c.smu.Lock()
	defer c.smu.Unlock()
	return c.serverTime
}

// login signs in (seed L80-110): AccountNumber, UserName and Token =
// md5(UserName + AccountNumber + md5(Password) + APIToken) (seed L23, L94-97).
func (c *Client) login(ctx context.Context) (session, error) {
	req := map[string]string{ // seed L94-97
		"AccountNumber": c.cfg.AccountNumber,
		"UserName":      c.cfg.Username,
		"Token":         loginToken(c.cfg.Username, c.cfg.AccountNumber, c.cfg.Password.Reveal(), c.cfg.APIToken.Reveal()),
	}
	start := c.now()
	a, err := c.exchange(ctx, "login", loginPath, "", req)
	if err != nil {
		return session{}, err
	}
	var la loginAnswer
	err = c.answer("login", loginRoute, a, func(b []byte) (err error) {
		la, err = parseLogin(b)
		return err
	})
	if ae, ok := err.(*apiError); ok {
		// seed L106-110: the login's only error answer.
		e := providers.Refusal(ID, "login", string(kindLogin), message(kindLogin, ae.Message))
		e.Err = ae
		return session{}, e
	}
	if err != nil {
		return session{}, err
	}
	// The server's clock when it answered: its Date header, or the kiosk's
	// own clock when there is none.
	server, derr := http.ParseTime(a.Header.Get("Date"))
	if derr != nil {
		server = start
	}
	life := tokenLife(la.ExpiresWall, server)
	keep := life - renewMargin(life)
	return session{tok: la.AccessToken, until: start.Add(keep), serverUntil: server.Add(keep)}, nil
}

// tokenLife is the least time an access token can still live after the
// server's clock read server (from its Date header, in UTC), given
// token_expires as the server wrote it: its local wall-clock time with no
// zone (seed L104). The zone is not known, and the difference between that
// wall clock and UTC is the token's lifetime plus the zone's offset. Every
// zone's offset is a whole number of quarter hours between -12 h and +14 h,
// and the server gave a token that had not expired yet; so the largest
// offset below the difference gives the shortest lifetime the token can
// have. That is how long the client keeps it (renewing a little earlier):
// it never sends a token that has expired by the server's clock, whatever
// the server's zone, and one sign-in serves at least 15 minutes, or the
// whole lifetime of a shorter token. (Read as UTC+3, as the client did
// before, a one-hour token from a server on UTC looked expired at once.)
func tokenLife(expiresWall, server time.Time) time.Duration {
	const quarter = 15 * time.Minute
	const east, west = 14 * time.Hour, -12 * time.Hour
	d := expiresWall.Sub(server.UTC()) // lifetime + offset
	n := (d - 1) / quarter
	if (d-1)%quarter < 0 {
		n-- // floor, not truncation, below zero
	}
	z := min(n*quarter, east) // the largest offset below d
	if z < west {
		return 0 // expired in every zone
	}
	return d - z
}

// renewMargin is how long before the end of its least lifetime a token is
// renewed: room for a request on the way, and for the whole seconds of the
// Date header and of token_expires.
func renewMargin(life time.Duration) time.Duration {
	return min(30*time.Second, life/4) + 2*time.Second
}

// exchange sends one POST of v as JSON to path (seed L16-17), with the
// api-token header when tok is set (seed L132), through providers.Send. The
// error, when no answer came, is the one op gets: a refusal when the
// request never left, a doubt otherwise.
func (c *Client) exchange(ctx context.Context, op, path, tok string, v any) (providers.Answer, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return providers.Answer{}, providers.Refusal(ID, op, string(kindBadInput), "the request could not be written: "+err.Error())
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(data))
	if err != nil {
		return providers.Answer{}, providers.Refusal(ID, op, "config", "base_url: "+providers.StripURL(err).Error())
	}
	req.Header.Set("Content-Type", "application/json") // seed L17
	if tok != "" {
		req.Header.Set("api-token", tok) // seed L132
	}
	a, err := providers.Send(c.hc, req, maxBody)
	if err != nil {
		return a, providers.SendFailure(ID, name, op, err)
	}
	c.noteServerTime(a.Header)
	return a, nil
}

// answer sorts one HTTP answer. It returns nil when the body is one of the
// seed's success answers and parse took it; the *apiError of the seed's
// error answer {"status": false, "message"} (L106-110) when it came with a
// 2xx status, for the caller to judge; and a *providers.Error doubt for
// anything else. The seed shows no HTTP statuses, so no answer with
// another status is an outcome: a web server's answer for a path it does
// not have is a RouteError (check base_url), the rest plain doubts.
func (c *Client) answer(op, route string, a providers.Answer, parse func([]byte) error) error {
	ok := a.Status >= 200 && a.Status < 300
	err := parse(a.Body)
	var ae *apiError
	switch {
	case ok && err == nil:
		return nil
	case ok && errors.As(err, &ae):
		return ae
	case errors.As(err, &ae):
		// The seed's error body, with a status the seed never shows.
		return providers.Doubt(ID, op, "HTTP "+strconv.Itoa(a.Status),
			fmt.Sprintf("%s answered HTTP %d: %s", name, a.Status, ae.Message), ae)
	case providers.RouteMissing(a):
		return providers.RouteError(ID, name, op, route, "base_url", a)
	case !ok:
		return providers.Doubt(ID, op, "HTTP "+strconv.Itoa(a.Status),
			fmt.Sprintf("%s answered HTTP %d, which is none of its documented answers", name, a.Status), err)
	}
	return providers.Doubt(ID, op, "bad_answer", name+"'s answer could not be read: "+badAnswer(err), err)
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

// call runs one request that changes nothing (balance, status, feed,
// categories, subscriber queries) and hands the answer to parse. body is
// called for each attempt (a query needs a fresh TransactionID). When the
// platform refuses the token, the token is dropped and the request is sent
// once more after a fresh sign-in: repeating a read is harmless.
func (c *Client) call(ctx context.Context, op string, body func() any, parse func([]byte) error) error {
	for attempt := 0; ; attempt++ {
		tok, err := c.token(ctx)
		if err != nil {
			return err
		}
		a, err := c.exchange(ctx, op, apiPath, tok, body())
		if err != nil {
			return err
		}
		err = c.answer(op, apiRoute, a, parse)
		var ae *apiError
		if errors.As(err, &ae) && isAuth(ae.Message) {
			c.dropToken(tok)
			if attempt == 0 {
				continue
			}
		}
		if e, ok := err.(*apiError); ok {
			k := classify(e.Message)
			if isAuth(e.Message) {
				k = kindAuth
			}
			pe := providers.Refusal(ID, op, string(k), message(k, e.Message))
			pe.Err = e
			return pe
		}
		return err
	}
}

// nextQueryID returns a fresh TransactionID for a subscriber query, which
// the platform wants unique per request (seed L375, L394). Nanosecond time
// gives 19 digits, so it never equals a 16-digit sale reference.
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

// global builds a network-0 request (seed L112-122).
func global(service int) func() any {
	return func() any { return map[string]any{"NetworkNumber": 0, "ServiceNumber": service} }
}

// Balance returns the account balance: seed L124-149, 0/1.
func (c *Client) Balance(ctx context.Context) ([]money.Money, error) {
	var bal money.Decimal
	err := c.call(ctx, "balance", global(1), func(b []byte) (err error) { // seed L135-136
		bal, err = parseBalance(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("alqimah balance: %w", err)
	}
	return []money.Money{money.New(bal, c.cfg.currency())}, nil
}

// Feed lists the credits added to the account: seed L215-256, 0/3.
func (c *Client) Feed(ctx context.Context) ([]FeedEntry, error) {
	var out []FeedEntry
	err := c.call(ctx, "feed", global(3), func(b []byte) (err error) { // seed L230-231
		out, err = parseFeed(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("alqimah feed: %w", err)
	}
	for i := range out {
		out[i].Date, out[i].Currency = termtext.Line(out[i].Date), termtext.Line(out[i].Currency)
		out[i].CurrencyName, out[i].Notes = termtext.Line(out[i].CurrencyName), termtext.Line(out[i].Notes)
	}
	return out, nil
}

// categories reads the game and gift-card categories: seed L258-364, 0/4.
func (c *Client) categories(ctx context.Context) ([]category, error) {
	var out []category
	err := c.call(ctx, "categories", global(4), func(b []byte) (err error) { // seed L269-270
		out, err = parseCategories(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("alqimah categories: %w", err)
	}
	return out, nil
}

// Status looks a sale up by our reference: seed L151-213, 0/2 with
// TransactionID. The seed documents no answer for a TransactionID the
// platform does not know (only its generic error, L209-213), so Status
// never reports NotFound: any error answer leaves the sale as it was.
func (c *Client) Status(ctx context.Context, sale providers.SaleRef) (providers.Result, error) {
	op, err := c.status(ctx, sale.Ref)
	if err != nil {
		return providers.Result{}, fmt.Errorf("alqimah status %s: %w", sale.Ref, err)
	}
	return providers.CleanResult(c.result(op, sale.Product)), nil
}

// status is the 0/2 request and the check that the answer is for ref.
func (c *Client) status(ctx context.Context, ref string) (operation, error) {
	body := func() any { // seed L172-174
		return map[string]any{"NetworkNumber": 0, "ServiceNumber": 2, "TransactionID": ref}
	}
	var op operation
	err := c.call(ctx, "status", body, func(b []byte) (err error) {
		op, err = parseOperation(b)
		return err
	})
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Outcome == providers.Refused {
		// A look-up that was refused says nothing about the sale.
		cp := *pe
		cp.Outcome, cp.Temporary = providers.Unknown, true
		return op, &cp
	}
	if err != nil {
		return op, err
	}
	if !sameRef(op.TransactionID, ref) { // seed L165: "Your system's transaction number"
		return op, providers.Doubt(ID, "status", "bad_answer",
			fmt.Sprintf("%s answered for transaction %q instead of %s", name, op.TransactionID, ref), nil)
	}
	return op, nil
}

// sameRef accepts an answer that echoes our reference or leaves it out. The
// seed's status answer writes it as a number (L184: 1234), which loses the
// leading zeros of a numeric reference; any other text must match exactly.
func sameRef(got flexString, ref string) bool {
	g := string(got)
	switch {
	case g == "" || g == ref:
		return true
	case digits(g) && digits(ref):
		return strings.TrimLeft(g, "0") == strings.TrimLeft(ref, "0")
	}
	return false
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// deliversCode reports whether a product's customer is owed a code the
// platform keeps in the operation's notes: a gift card (a category with no
// player or zone to credit). The seed's answers have no PIN or serial
// field; its status answer has details, "Additional transaction notes"
// (L164), which is where such a code comes. Top-ups, bills, offers and game
// credit deliver nothing but the platform's reference.
func deliversCode(p providers.Product) bool {
	return p.Extra[xType] == typeGame && p.Kind == providers.KindVoucher
}

// result turns an operation answer (seed L177-208, L518-536) into a Result.
// For a product that delivers a code, details (L164) is the voucher's PIN,
// exactly as sent: sealed in the journal, masked in lists, shown in full to
// the clerk and printed; it never goes into a message.
func (c *Client) result(op operation, p providers.Product) providers.Result {
	r := providers.Result{ProviderRef: string(op.ReferenceID), Message: op.Message, At: c.now()}
	code := deliversCode(p)
	if !code {
		r.Message = opMessage(op)
	}
	if op.AgentBalance != nil { // seed L532
		r.Balance = money.New(*op.AgentBalance, c.cfg.currency())
	}
	switch *op.OperationStatus { // seed L160, L528-531
	case 1:
		r.State = providers.Succeeded
		if op.Price != nil { // seed L162, L533
			r.Charged = money.New(*op.Price, c.cfg.currency())
		}
		v := providers.Voucher{Reference: string(op.ReferenceID)}
		details := strings.TrimSpace(string(op.Details))
		switch {
		case code && details != "":
			v.PIN = details
		case code:
			r.Message = strings.TrimSpace(r.Message + " — " + name + "'s answer holds no card code (details is empty): check the sale on its portal before the customer leaves")
		default:
			if op.Message != "" || details != "" {
				v.Extra = map[string]string{}
				if op.Message != "" {
					v.Extra["message"] = op.Message
				}
				if details != "" && details != op.Message {
					v.Extra["details"] = details
				}
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
