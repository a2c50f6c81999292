// Package indiasim simulates the Indian mobile recharge API (RechargeKit's
// fields) from its seed document alone:
// /work/shared/seeds/india-mobile-recharge-api.txt, 67 lines. Comments
// "seed Lnn" give the line of that document each route, field check and
// answer template comes from; "extension: <source>" marks what the seed does
// not describe and is served only when Options.Extensions names it.
//
// The seed documents one request, the recharge (its parameters L1-L12, two
// JSON request examples L30-L52), its answer fields (L13-L29), a pending
// answer that is not valid JSON (L53-L64, `"msg":order in queue`) and the
// duplicate answer with a trailing comma (L65-L68). It names no path, no
// method and no credentials, so by default the recharge is served at
// Options.RechargePath with no authentication.
package indiasim

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
)

// Extension names for Options.Extensions.
const (
	// ExtSignin: POST /member/signin {username, password} answers a bearer
	// token; every other call then needs Authorization: Bearer <token>.
	// extension: PROVIDERS.md "Indian mobile recharge" (RechargeKit's current
	// API, public docs and clients); answer texts kept from the old sandbox.
	ExtSignin = "signin"
	// ExtLegacyAuth: every call needs the older API's partner_id and
	// api_password query parameters, and answers use upper-case keys
	// (ERROR, STATUS, ORDERID, OPTRANSID, PARTNERREQID, MESSAGE,
	// USERVAR1..3, COMMISSION). extension: PROVIDERS.md "An older API passes
	// partner_id and api_password as query parameters ... the older API
	// answers with upper-case keys"; key names as the old sandbox and public
	// RechargeKit clients spell them.
	ExtLegacyAuth = "legacy-auth"
	// ExtStatus: status check by partner_request_id (or order_id) at
	// StatusPath and LegacyStatusPath, answering the recharge's fields and
	// status codes. extension: PROVIDERS.md "Status check by
	// partner_request_id (or order_id): same status codes"; paths from the
	// old sandbox.
	ExtStatus = "status"
	// ExtBalance: wallet balance at BalancePath and LegacyBalancePath.
	// extension: RechargeKit's public API (balance check); paths and answer
	// (wallet_amount) from the old sandbox.
	ExtBalance = "balance"
)

// ExtensionNames lists every extension this simulator can serve; each is
// documented with its source at its constant above.
var ExtensionNames = []string{ExtSignin, ExtLegacyAuth, ExtStatus, ExtBalance}

// Paths. The seed names none; DefaultRechargePath is the kiosk's default
// recharge_path. The others are the extensions' (old sandbox's) paths.
const (
	DefaultRechargePath = "/recharge"
	SigninPath          = "/member/signin"         // extension: signin
	StatusPath          = "/recharge/statusCheck"  // extension: status
	LegacyStatusPath    = "/get/status"            // extension: status (older API's path)
	BalancePath         = "/recharge/balanceCheck" // extension: balance
	LegacyBalancePath   = "/get/balance"           // extension: balance (older API's path)
)

// StartBalance is the demo INR wallet (old sandbox's ₹10,000).
const StartBalance = 10000

// Recharge statuses. seed L19-L21: '1' SUCCESS, '2' PENDING, '3' FAILURE.
const (
	StatusSuccess = 1
	StatusPending = 2
	StatusFailure = 3
)

// Error codes of answers. seed L15-L16: 0 means processed; any other value
// means "not processed, process again". The seed gives only 1, for the
// duplicate (L66); the other non-zero values are the old sandbox's.
const (
	errDuplicate    = 1 // seed L66
	errNotFound     = 1 // extension: status (old sandbox's value)
	errInvalid      = 2 // a field fails its check
	errBalance      = 3 // insufficient balance
	errBadRequest   = 9 // the body is not a JSON object of strings and numbers
	errLegacyCreds  = 2 // extension: legacy-auth (old sandbox's value)
	maxBody         = 16 << 10
	msgDuplicate    = "Duplicate order, Order ID must be unique" // seed L67
	msgPending      = "order in queue"                           // seed L55
	msgSuccess      = "success"
	msgFailure      = "failure"
	msgOperatorDown = "Operator down"
	msgNoBalance    = "Insufficient balance in wallet"
)

// Options configure a Server.
type Options struct {
	// Now is the clock. nil means time.Now. The seed's answers carry no
	// times; Now gives the HTTP Date header of every answer.
	Now func() time.Time
	// Extensions lists the extension routes to serve (names from
	// ExtensionNames). nil or empty: serve only what the seed describes.
	Extensions []string
	// RechargePath is where the recharge is served; the seed names no path.
	// Empty means DefaultRechargePath. The kiosk's configuration calls it
	// recharge_path.
	RechargePath string
}

// Server is the simulator. It is safe for concurrent use.
type Server struct {
	// Faults are switched at run time by tests and `kiosk sandbox --fault`.
	Faults *sandboxkit.Faults

	now          func() time.Time
	rechargePath string
	ext          map[string]bool
	operators    map[string]bool
	circles      map[string]bool

	mu       sync.Mutex
	balance  money.Decimal
	orders   map[string]*order // by partner_request_id
	byID     map[string]*order // by orderid
	tokens   map[string]bool
	seq      int // orders made, for deterministic order and operator ids
	tokenSeq int
}

// order is one stored recharge.
type order struct {
	seq        int
	ref        string // partner_request_id
	orderID    string
	opTransID  string
	amount     money.Decimal
	commission money.Decimal // credited when the recharge succeeds
	debited    money.Decimal // what the wallet is short by because of it
	status     int
	msg        string // for a failure
	pollsLeft  int    // status look-ups still to say pending (pending fault)
	held       bool   // SetStatus(ref, 2): stays pending until set again
	userVar    [3]string
}

// New builds a simulator with the demo wallet and code tables. It fails on
// an unknown extension name or a recharge path that clashes with one.
func New(opt Options) (*Server, error) {
	s := &Server{
		Faults:       &sandboxkit.Faults{},
		now:          opt.Now,
		rechargePath: opt.RechargePath,
		ext:          map[string]bool{},
		operators:    map[string]bool{},
		circles:      map[string]bool{},
		balance:      money.FromInt(StartBalance),
		orders:       map[string]*order{},
		byID:         map[string]*order{},
		tokens:       map[string]bool{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rechargePath == "" {
		s.rechargePath = DefaultRechargePath
	}
	if !strings.HasPrefix(s.rechargePath, "/") {
		s.rechargePath = "/" + s.rechargePath
	}
	for _, name := range opt.Extensions {
		known := false
		for _, k := range ExtensionNames {
			known = known || k == name
		}
		if !known {
			return nil, fmt.Errorf("indiasim: unknown extension %q (known: %s)", name, strings.Join(ExtensionNames, ", "))
		}
		s.ext[name] = true
	}
	for _, p := range s.extensionPaths() {
		if p == s.rechargePath {
			return nil, fmt.Errorf("indiasim: recharge path %s is also an extension's path", p)
		}
	}
	for _, o := range Operators() {
		s.operators[o.Code] = true
	}
	for _, c := range Circles() {
		s.circles[c.Code] = true
	}
	return s, nil
}

func (s *Server) extensionPaths() []string {
	var out []string
	if s.ext[ExtSignin] {
		out = append(out, SigninPath)
	}
	if s.ext[ExtStatus] {
		out = append(out, StatusPath, LegacyStatusPath)
	}
	if s.ext[ExtBalance] {
		out = append(out, BalancePath, LegacyBalancePath)
	}
	return out
}

// RechargePath is the path the recharge is served at.
func (s *Server) RechargePath() string { return s.rechargePath }

// Credentials is the line `kiosk sandbox` prints.
func (s *Server) Credentials() string {
	var b strings.Builder
	fmt.Fprintf(&b, "india: recharge at POST %s", s.rechargePath)
	if !s.ext[ExtSignin] && !s.ext[ExtLegacyAuth] {
		b.WriteString(", no credentials (the seed has none)")
	}
	if s.ext[ExtSignin] {
		fmt.Fprintf(&b, "; signin username=%s password=%s", Username, Password)
	}
	if s.ext[ExtLegacyAuth] {
		fmt.Fprintf(&b, "; legacy partner_id=%s api_password=%s", PartnerID, APIPassword)
	}
	var ext []string
	for _, n := range ExtensionNames {
		if s.ext[n] {
			ext = append(ext, n)
		}
	}
	if len(ext) > 0 {
		fmt.Fprintf(&b, " (extensions: %s)", strings.Join(ext, ", "))
	}
	return b.String()
}

// Charged is how many recharges are committed and charged under ref (the
// partner_request_id): 0 or 1, as a repeated reference is refused as a
// duplicate. A recharge that failed (status 3) is not charged.
func (s *Server) Charged(ref string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orders[ref]; o != nil && o.status != StatusFailure {
		return 1
	}
	return 0
}

// Balance is the INR wallet (₹10,000 at the start).
func (s *Server) Balance() money.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balance
}

// Orders is how many recharges are stored, whatever their status (a failed
// "operator down" recharge counts; a refused request does not).
func (s *Server) Orders() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.orders)
}

// ExpireTokens makes every signin token invalid (signin extension).
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]bool{}
}

// SetStatus sets a stored recharge's status: 1 success, 2 pending (it stays
// pending until set again), 3 failure (the wallet is refunded and Charged
// becomes 0). Unknown references and other statuses are ignored.
func (s *Server) SetStatus(ref string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[ref]
	if o == nil || status < StatusSuccess || status > StatusFailure {
		return
	}
	s.setStatusLocked(o, status)
	o.held = status == StatusPending
	o.pollsLeft = 0
	if status == StatusFailure {
		o.msg = msgFailure
	}
}

// setStatusLocked moves o to status and keeps the wallet in step: a
// success costs amount less commission, a pending recharge the amount, a
// failure nothing.
func (s *Server) setStatusLocked(o *order, status int) {
	due := money.Zero
	switch status {
	case StatusSuccess:
		due = o.amount.Sub(o.commission)
		if o.opTransID == "" {
			o.opTransID = fmt.Sprintf("OPR%09d", o.seq)
		}
	case StatusPending:
		due = o.amount
	}
	s.balance = s.balance.Add(o.debited).Sub(due)
	o.debited = due
	o.status = status
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Faults.Delay(r.Context())
	if r.Context().Err() != nil {
		return // the client gave up during the latency: nothing reached the server
	}
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))

	var handle func(http.ResponseWriter, *http.Request, call)
	allow := []string{http.MethodGet, http.MethodPost}
	switch p := r.URL.Path; {
	case p == s.rechargePath: // seed L1-L12 (the recharge; the seed names no path)
		handle = s.recharge
	case s.ext[ExtSignin] && p == SigninPath: // extension: signin
		allow = []string{http.MethodPost}
	case s.ext[ExtStatus] && (p == StatusPath || p == LegacyStatusPath): // extension: status
		handle = s.status
	case s.ext[ExtBalance] && (p == BalancePath || p == LegacyBalancePath): // extension: balance
		handle = s.balanceCheck
	default:
		notFound(w)
		return
	}
	if !slices.Contains(allow, r.Method) {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeRaw(w, http.StatusMethodNotAllowed, `{"msg":"Method Not Allowed"}`)
		return
	}
	if handle == nil {
		s.signin(w, r)
		return
	}

	c := call{legacy: s.isLegacy(r)}
	switch {
	case c.legacy: // extension: legacy-auth
		q := r.URL.Query()
		if q.Get("partner_id") != PartnerID || q.Get("api_password") != APIPassword {
			writeError(w, true, errLegacyCreds, "Invalid partner id or api password")
			return
		}
	case s.ext[ExtSignin]: // extension: signin
		if !s.authorised(r) {
			writeRaw(w, http.StatusUnauthorized, `{"error":1,"msg":"Unauthorized, invalid token"}`)
			return
		}
	}
	p, err := readParams(r)
	if err != nil {
		writeError(w, c.legacy, errBadRequest, "Invalid request") // seed L16: not processed
		return
	}
	c.p = p
	handle(w, r, c)
}

// call is one request's parameters and answer style.
type call struct {
	legacy bool              // upper-case answers (legacy-auth extension)
	p      map[string]string // query parameters, then JSON body members
}

// isLegacy tells whether r uses the older API: always when only
// legacy-auth is on; when signin is on too, when r carries partner_id or
// api_password.
func (s *Server) isLegacy(r *http.Request) bool {
	if !s.ext[ExtLegacyAuth] {
		return false
	}
	if !s.ext[ExtSignin] {
		return true
	}
	q := r.URL.Query()
	return q.Has("partner_id") || q.Has("api_password")
}

// readParams reads the parameters as query parameters (seed L1 "REQUEST
// QUERY PARAM") and, for POST, as a JSON object body (seed L30-L52), whose
// members may be numbers or strings as the examples show (L31 number, L36
// string). A body member wins over a query parameter of the same name. An
// empty body is fine; a body that is not a JSON object of strings, numbers
// and nulls is refused.
func readParams(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	if r.Method != http.MethodPost || r.Body == nil {
		return out, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxBody {
		return nil, errors.New("body too large")
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return out, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("body is not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	for k, v := range m {
		switch t := v.(type) {
		case string:
			out[k] = t
		case json.Number:
			out[k] = t.String()
		case nil:
			delete(out, k)
		default:
			return nil, fmt.Errorf("%s: not a string or a number", k)
		}
	}
	return out, nil
}

// rechargeReq is a checked recharge request.
type rechargeReq struct {
	ref     string
	amount  money.Decimal
	paise   int64
	userVar [3]string
}

// validate checks the recharge parameters as the seed's table lists them
// (L3-L12). An empty value counts as absent. bad is the answer's msg.
func (s *Server) validate(p map[string]string) (q rechargeReq, bad string) {
	m := p["mobile_no"] // seed L3: Number, required; a 10-digit mobile number (L31)
	switch {
	case m == "":
		return q, "mobile_no is required"
	case len(m) != 10 || !digits(m):
		return q, "Invalid mobile number"
	}
	switch op := p["operator_code"]; { // seed L4: Number, required
	case op == "":
		return q, "operator_code is required"
	case !s.operators[op]:
		return q, "Invalid operator code"
	}
	a := p["amount"] // seed L5: Number, required
	if a == "" {
		return q, "amount is required"
	}
	amount, err := money.Parse(a)
	paise, whole := amount.MulInt(100).IntPart()
	if err != nil || amount.Sign() <= 0 || !whole {
		return q, "Invalid amount"
	}
	ref := p["partner_request_id"] // seed L6: Alphanumeric, required, unique
	switch {
	case ref == "":
		return q, "partner_request_id is required"
	case !alnum(ref):
		return q, "Invalid partner_request_id, must be alphanumeric"
	}
	switch c := p["circle"]; { // seed L7: Number, required
	case c == "":
		return q, "circle is required"
	case !s.circles[c]:
		return q, "Invalid circle code"
	}
	// seed L8: required, "1 By default": absent means 1; only 1 is documented.
	if t := p["recharge_type"]; t != "" && t != "1" {
		return q, "Invalid recharge type"
	}
	// seed L9: optional, "online or offline" (L48).
	if d := p["dest"]; d != "" && d != "online" && d != "offline" {
		return q, "Invalid dest, must be online or offline"
	}
	q = rechargeReq{ref: ref, amount: amount, paise: paise}
	// seed L10-L12: optional, sent back in the answer (L27-L29).
	q.userVar = [3]string{p["user_var1"], p["user_var2"], p["user_var3"]}
	return q, ""
}

// recharge serves the seed's one request. seed L1-L12 (request), L13-L29
// (answer fields), L53-L64 (pending answer), L65-L68 (duplicate answer).
func (s *Server) recharge(w http.ResponseWriter, r *http.Request, c call) {
	q, bad := s.validate(c.p)
	if bad != "" {
		writeError(w, c.legacy, errInvalid, bad) // seed L16: not processed, process again
		return
	}
	s.mu.Lock()
	if answered := s.refuseLocked(w, q, c.legacy); answered {
		s.mu.Unlock()
		return
	}
	if s.Faults.OutOfStock() {
		// The seed documents no out-of-stock answer. An operator that is down
		// is known only once the order is processed: error 0 (L16, processed)
		// with status 3 FAILURE (L21). The order is stored, not charged.
		o := s.newOrderLocked(q, StatusFailure)
		o.msg = msgOperatorDown
		cp := *o
		s.mu.Unlock()
		writeOrder(w, c.legacy, &cp)
		return
	}
	s.mu.Unlock()

	if s.Faults.BeforeCommit(r, q.ref) {
		return
	}
	s.mu.Lock()
	if answered := s.refuseLocked(w, q, c.legacy); answered { // a twin request won the race
		s.mu.Unlock()
		return
	}
	status := StatusSuccess
	polls := s.Faults.PendingPolls()
	if polls > 0 {
		status = StatusPending // seed L53-L64: "order in queue", status 2
	}
	o := s.newOrderLocked(q, status)
	o.pollsLeft = polls
	cp := *o
	s.mu.Unlock()
	if s.Faults.AfterCommit(w, r, q.ref) {
		return
	}
	writeOrder(w, c.legacy, &cp)
}

// refuseLocked answers a duplicate reference or a wallet too short, and
// says whether it did.
func (s *Server) refuseLocked(w http.ResponseWriter, q rechargeReq, legacy bool) bool {
	switch {
	case s.orders[q.ref] != nil:
		writeError(w, legacy, errDuplicate, msgDuplicate) // seed L65-L68
		return true
	case s.Faults.NoBalance() || s.balance.Cmp(q.amount) < 0:
		// The seed documents no insufficient-balance answer. The wallet is
		// checked before the order is processed, so it is error non-zero
		// ("not processed, process again", L16); nothing is stored and the
		// same partner_request_id may be sent again.
		writeError(w, legacy, errBalance, msgNoBalance)
		return true
	}
	return false
}

// newOrderLocked stores a recharge in status and charges the wallet for it.
// The commission is 2% (old sandbox's rate; seed L26 "Partner commission").
func (s *Server) newOrderLocked(q rechargeReq, status int) *order {
	s.seq++
	o := &order{
		seq: s.seq, ref: q.ref,
		// seed L57: a UUID-shaped orderid; deterministic tail as the old sandbox.
		orderID:    fmt.Sprintf("da9842e1-f561-4728-827b-%012d", s.seq),
		amount:     q.amount,
		commission: money.FromMinor(q.paise*2, 4),
		userVar:    q.userVar,
	}
	s.setStatusLocked(o, status)
	s.orders[o.ref] = o
	s.byID[o.orderID] = o
	return o
}

// status serves the status extension: look-up by partner_request_id, or by
// order_id. extension: status (PROVIDERS.md).
func (s *Server) status(w http.ResponseWriter, _ *http.Request, c call) {
	ref, id := c.p["partner_request_id"], c.p["order_id"]
	if ref == "" && id == "" {
		writeError(w, c.legacy, errInvalid, "partner_request_id is required")
		return
	}
	s.mu.Lock()
	o := s.orders[ref]
	if o == nil && id != "" {
		o = s.byID[id]
	}
	if o == nil {
		s.mu.Unlock()
		writeError(w, c.legacy, errNotFound, "Transaction not found")
		return
	}
	if o.status == StatusPending && !o.held {
		if o.pollsLeft > 0 {
			o.pollsLeft--
		} else {
			s.setStatusLocked(o, StatusSuccess)
		}
	}
	cp := *o
	s.mu.Unlock()
	writeOrder(w, c.legacy, &cp)
}

// balanceCheck serves the balance extension. extension: balance (old
// sandbox's answer: wallet_amount with two decimals).
func (s *Server) balanceCheck(w http.ResponseWriter, _ *http.Request, c call) {
	s.mu.Lock()
	bal := s.balance.StringFixed(2)
	s.mu.Unlock()
	if c.legacy {
		writeRaw(w, http.StatusOK, fmt.Sprintf(`{"ERROR":0,"MESSAGE":"success","WALLET_AMOUNT":%s}`, quote(bal)))
		return
	}
	writeRaw(w, http.StatusOK, fmt.Sprintf("{\n\"error\":0,\n\"msg\":\"success\",\n\"wallet_amount\":%s\n}", quote(bal)))
}

// signin serves the signin extension: POST /member/signin with a JSON body
// {"username","password"} (exact lower-case keys). extension: signin
// (PROVIDERS.md); answer texts from the old sandbox.
func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	body := r.Clone(r.Context())
	body.URL.RawQuery = "" // the credentials come in the JSON body only
	p, err := readParams(body)
	if err != nil || p["username"] != Username || p["password"] != Password {
		writeRaw(w, http.StatusOK, `{"error":1,"msg":"Invalid username or password"}`)
		return
	}
	s.mu.Lock()
	s.tokenSeq++
	sum := sha256.Sum256(fmt.Appendf(nil, "indiasim token %d", s.tokenSeq)) // deterministic
	tok := hex.EncodeToString(sum[:16])
	s.tokens[tok] = true
	s.mu.Unlock()
	writeRaw(w, http.StatusOK, fmt.Sprintf(`{"error":0,"msg":"Login successful","token":%s}`, quote(tok)))
}

func (s *Server) authorised(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok && s.tokens[tok]
}

// writeOrder answers a recharge or a status look-up.
func writeOrder(w http.ResponseWriter, legacy bool, o *order) {
	msg := msgSuccess
	commission := money.Zero // seed L60: 0 while pending; credited on success
	switch o.status {
	case StatusSuccess:
		commission = o.commission
	case StatusPending:
		msg = msgPending // seed L55
	case StatusFailure:
		msg = o.msg
	}
	if legacy {
		// extension: legacy-auth. The older API's upper-case keys, valid JSON,
		// commission as a string with four decimals (old sandbox).
		writeRaw(w, http.StatusOK, fmt.Sprintf(
			`{"ERROR":0,"STATUS":%d,"ORDERID":%s,"OPTRANSID":%s,"PARTNERREQID":%s,"MESSAGE":%s,"USERVAR1":%s,"USERVAR2":%s,"USERVAR3":%s,"COMMISSION":%s}`,
			o.status, quote(o.orderID), quote(o.opTransID), quote(o.ref), quote(msg),
			quote(o.userVar[0]), quote(o.userVar[1]), quote(o.userVar[2]), quote(commission.StringFixed(4))))
		return
	}
	// seed L53-L64, member for member and line for line: error and status are
	// numbers, msg is written without quotes (L55, not valid JSON),
	// partnerreqid is a string even when the request sent a number (L59),
	// commission a number (L26, L60).
	var b strings.Builder
	b.WriteString("{\n")
	fmt.Fprintf(&b, "\"error\":%d,\n", 0)                       // seed L54, L16
	fmt.Fprintf(&b, "\"msg\":%s,\n", msg)                       // seed L55, L18
	fmt.Fprintf(&b, "\"status\":%d,\n", o.status)               // seed L56, L19-L21
	fmt.Fprintf(&b, "\"orderid\":%s,\n", quote(o.orderID))      // seed L57, L23
	fmt.Fprintf(&b, "\"optransid\":%s,\n", quote(o.opTransID))  // seed L58, L24
	fmt.Fprintf(&b, "\"partnerreqid\":%s,\n", quote(o.ref))     // seed L59, L25
	fmt.Fprintf(&b, "\"commission\":%s,\n", commission)         // seed L60, L26
	fmt.Fprintf(&b, "\"user_var1\":%s,\n", quote(o.userVar[0])) // seed L61, L27
	fmt.Fprintf(&b, "\"user_var2\":%s,\n", quote(o.userVar[1])) // seed L62, L28
	fmt.Fprintf(&b, "\"user_var3\":%s\n", quote(o.userVar[2]))  // seed L63, L29
	b.WriteString("}")
	writeRaw(w, http.StatusOK, b.String())
}

// writeError answers a request that was not processed. The template is the
// seed's one error answer, the duplicate (L65-L68): error and msg, one a
// line, with the trailing comma. Legacy answers use upper-case keys with
// STATUS 3 and MESSAGE (old sandbox's credentials answer).
func writeError(w http.ResponseWriter, legacy bool, code int, msg string) {
	if legacy {
		writeRaw(w, http.StatusOK, fmt.Sprintf(`{"ERROR":%d,"STATUS":3,"MESSAGE":%s}`, code, quote(msg)))
		return
	}
	writeRaw(w, http.StatusOK, fmt.Sprintf("{\n\"error\":%d,\n\"msg\":%s,\n}", code, quote(msg))) // seed L65-L68
}

// notFound is what a web server answers for a path it does not have: not
// the provider's error body.
func notFound(w http.ResponseWriter) {
	writeRaw(w, http.StatusNotFound, `{"msg":"Not Found"}`)
}

func writeRaw(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return s != ""
}
