package india

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
)

// Sandbox is a recharge API in RechargeKit's style, both ways in: bearer
// sign-in with JSON bodies, and the older query-parameter API with
// upper-case answer keys. It keeps an INR wallet, checks operator and
// circle codes, stores recharges by partner_request_id (a repeat is
// "Duplicate order"), and answers the current API in the documentation's
// own sloppy format ("msg":order in queue — not valid JSON).
//
// Faults: latency, no-answer, hang- and cut-after-commit, out-of-stock
// (answered as "Operator down"), no-balance ("Insufficient balance"), and
// pending=N (recharges answer status 2, then N status look-ups say 2
// before 1).
type Sandbox struct {
	Faults *sandboxkit.Faults

	mu      sync.Mutex
	tokens  map[string]bool
	balance money.Decimal
	ops     map[Code]bool
	circles map[Code]bool
	orders  map[string]*sbOrder // by partner_request_id
	seq     int
}

type sbOrder struct {
	ref, orderID, opTransID      string
	mobile, operator, circle     string
	amount, commission           money.Decimal
	pendingLeft                  int
	userVar1, userVar2, userVar3 string
}

// NewSandbox builds a sandbox with the sample operators and circles and a
// wallet of ₹10,000.
func NewSandbox() *Sandbox {
	s := &Sandbox{Faults: &sandboxkit.Faults{}, tokens: map[string]bool{}, balance: money.FromInt(10000),
		ops: map[Code]bool{}, circles: map[Code]bool{}, orders: map[string]*sbOrder{}}
	for _, o := range defaultOperators() {
		s.ops[o.Code] = true
	}
	for _, c := range defaultCircles() {
		s.circles[c.Code] = true
	}
	return s
}

// Credentials is the line `kiosk sandbox` prints.
func (s *Sandbox) Credentials() string {
	return fmt.Sprintf("india: username=%s password=%s (api=bearer); partner_id=%s api_password=%s (api=legacy)",
		sandboxUser, sandboxPassword, sandboxPartnerID, sandboxAPIPassword)
}

// Charged is how many recharges were committed under ref (0 or 1: a
// repeated reference is refused as a duplicate).
func (s *Sandbox) Charged(ref string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.orders[ref]; ok {
		return 1
	}
	return 0
}

// Balance is the wallet, for tests.
func (s *Sandbox) Balance() money.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balance
}

// ServeHTTP routes both API styles.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Faults.Delay(r.Context())
	legacy := strings.HasPrefix(r.URL.Path, "/get/")
	switch {
	case r.URL.Path == "/member/signin" && r.Method == http.MethodPost:
		s.signin(w, r)
		return
	case legacy:
		q := r.URL.Query()
		if q.Get("partner_id") != sandboxPartnerID || q.Get("api_password") != sandboxAPIPassword {
			writeLegacy(w, kv{"ERROR", "2"}, kv{"STATUS", "3"}, kv{"MESSAGE", `"Invalid partner id or api password"`})
			return
		}
	default:
		if !s.authorised(r) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":1,"msg":"Unauthorized, invalid token"}`))
			return
		}
	}
	params, err := requestParams(r, legacy)
	if err != nil {
		writeAnswer(w, legacy, kv{"error", "9"}, kv{"msg", `"Invalid request"`})
		return
	}
	switch {
	case r.URL.Path == "/recharge/prepaid" && r.Method == http.MethodPost,
		r.URL.Path == "/get/prepaid/mobile": // the older API also took GET
		s.recharge(w, r, params, legacy)
	case r.URL.Path == "/recharge/statusCheck" || r.URL.Path == "/get/status":
		s.status(w, params, legacy)
	case r.URL.Path == "/recharge/balanceCheck" || r.URL.Path == "/get/balance":
		s.mu.Lock()
		bal := s.balance.StringFixed(2)
		s.mu.Unlock()
		writeAnswer(w, legacy, kv{"error", "0"}, kv{"msg", `"success"`}, kv{"wallet_amount", `"` + bal + `"`})
	default:
		http.NotFound(w, r)
	}
}

func (s *Sandbox) signin(w http.ResponseWriter, r *http.Request) {
	var in struct{ Username, Password string }
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil ||
		in.Username != sandboxUser || in.Password != sandboxPassword {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"error":1,"msg":"Invalid username or password"}`))
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[tok] = true
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintf(w, `{"error":0,"msg":"Login successful","token":%q}`, tok)
}

func (s *Sandbox) authorised(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok && s.tokens[tok]
}

// ExpireTokens forgets every token, as when they time out.
func (s *Sandbox) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]bool{}
}

// requestParams reads the query (older API) or a JSON body whose values
// may be numbers or strings (current API).
func requestParams(r *http.Request, legacy bool) (map[string]string, error) {
	out := map[string]string{}
	if legacy || r.Method == http.MethodGet {
		for k := range r.URL.Query() {
			out[k] = r.URL.Query().Get(k)
		}
		return out, nil
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 16<<10))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	for k, v := range m {
		switch t := v.(type) {
		case string:
			out[k] = t
		case json.Number:
			out[k] = t.String()
		case nil:
		default:
			return nil, fmt.Errorf("%s: not a string or number", k)
		}
	}
	return out, nil
}

func (s *Sandbox) recharge(w http.ResponseWriter, r *http.Request, p map[string]string, legacy bool) {
	ref := p["partner_request_id"]
	amount, bad := s.validate(p)
	if bad != "" {
		writeAnswer(w, legacy, kv{"error", "2"}, kv{"msg", strconv.Quote(bad)}, kv{"status", "3"})
		return
	}
	if code, msg := s.admit(ref, amount); code != "" {
		if code == "1" && !legacy {
			// The seed's duplicate answer, trailing comma and all.
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("{\n\"error\":1,\n\"msg\":\"Duplicate order, Order ID must be unique\",\n}"))
			return
		}
		writeAnswer(w, legacy, kv{"error", code}, kv{"msg", strconv.Quote(msg)}, kv{"status", "3"})
		return
	}
	if s.Faults.BeforeCommit(r, ref) {
		return
	}
	o, code, msg := s.commit(p, amount)
	if code != "" {
		writeAnswer(w, legacy, kv{"error", code}, kv{"msg", strconv.Quote(msg)}, kv{"status", "3"})
		return
	}
	if s.Faults.AfterCommit(w, r, ref) {
		return
	}
	s.writeOrder(w, o, legacy)
}

// validate checks the recharge fields; bad is the provider's message.
func (s *Sandbox) validate(p map[string]string) (money.Decimal, string) {
	m := p["mobile_no"]
	if len(m) != 10 || !digits(m) || m[0] < '6' {
		return money.Zero, "Invalid mobile number"
	}
	if !s.ops[Code(p["operator_code"])] {
		return money.Zero, "Invalid operator code"
	}
	if !s.circles[Code(p["circle"])] {
		return money.Zero, "Invalid circle code"
	}
	a, err := money.Parse(p["amount"])
	if _, whole := a.IntPart(); err != nil || !whole || a.Cmp(money.FromInt(10)) < 0 || a.Cmp(money.FromInt(10000)) > 0 {
		return money.Zero, "Invalid amount, amount must be between 10 and 10000"
	}
	if p["partner_request_id"] == "" {
		return money.Zero, "partner_request_id is required"
	}
	return a, ""
}

// admit runs the checks that need the state: duplicate, wallet, operator up.
func (s *Sandbox) admit(ref string, amount money.Decimal) (code, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.orders[ref] != nil:
		return "1", "Duplicate order, Order ID must be unique"
	case s.Faults.NoBalance() || s.balance.Cmp(amount) < 0:
		return "3", "Insufficient balance in wallet"
	case s.Faults.OutOfStock():
		return "4", "Operator down, please try after some time"
	}
	return "", ""
}

// commit records the recharge and debits the wallet less a 2% commission.
func (s *Sandbox) commit(p map[string]string, amount money.Decimal) (*sbOrder, string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := p["partner_request_id"]
	if s.orders[ref] != nil {
		return nil, "1", "Duplicate order, Order ID must be unique"
	}
	rupees, _ := amount.IntPart()
	s.seq++
	o := &sbOrder{
		ref: ref, orderID: fmt.Sprintf("da9842e1-f561-4728-827b-%012d", s.seq),
		mobile: p["mobile_no"], operator: p["operator_code"], circle: p["circle"],
		amount: amount, commission: money.FromMinor(rupees*2, 2),
		pendingLeft: s.Faults.PendingPolls(),
		userVar1:    p["user_var1"], userVar2: p["user_var2"], userVar3: p["user_var3"],
	}
	if o.pendingLeft == 0 {
		o.opTransID = fmt.Sprintf("OPR%09d", s.seq)
	}
	s.balance = s.balance.Sub(amount.Sub(o.commission))
	s.orders[ref] = o
	return o, "", ""
}

func (s *Sandbox) status(w http.ResponseWriter, p map[string]string, legacy bool) {
	s.mu.Lock()
	o := s.orders[p["partner_request_id"]]
	if o == nil && p["order_id"] != "" {
		for _, x := range s.orders {
			if x.orderID == p["order_id"] {
				o = x
			}
		}
	}
	if o == nil {
		s.mu.Unlock()
		writeAnswer(w, legacy, kv{"error", "1"}, kv{"msg", `"Transaction not found"`})
		return
	}
	if o.pendingLeft > 0 {
		o.pendingLeft--
	} else if o.opTransID == "" {
		o.opTransID = fmt.Sprintf("OPR%09d", s.seq+1000)
	}
	cp := *o
	s.mu.Unlock()
	s.writeOrder(w, &cp, legacy)
}

// writeOrder answers a recharge or status. The current API answers like
// the seed: msg not quoted.
func (s *Sandbox) writeOrder(w http.ResponseWriter, o *sbOrder, legacy bool) {
	status, msg := "1", "success"
	if o.opTransID == "" {
		status, msg = "2", "order in queue"
	}
	if legacy {
		writeLegacy(w, kv{"ERROR", "0"}, kv{"STATUS", status}, kv{"ORDERID", strconv.Quote(o.orderID)},
			kv{"OPTRANSID", strconv.Quote(o.opTransID)}, kv{"PARTNERREQID", strconv.Quote(o.ref)},
			kv{"MESSAGE", strconv.Quote(msg)}, kv{"USERVAR1", strconv.Quote(o.userVar1)}, kv{"USERVAR2", strconv.Quote(o.userVar2)},
			kv{"USERVAR3", strconv.Quote(o.userVar3)}, kv{"COMMISSION", strconv.Quote(o.commission.StringFixed(4))})
		return
	}
	writeSloppy(w, kv{"error", "0"}, kv{"msg", msg}, kv{"status", status}, kv{"orderid", strconv.Quote(o.orderID)},
		kv{"optransid", strconv.Quote(o.opTransID)}, kv{"partnerreqid", strconv.Quote(o.ref)},
		kv{"commission", o.commission.String()}, kv{"user_var1", strconv.Quote(o.userVar1)},
		kv{"user_var2", strconv.Quote(o.userVar2)}, kv{"user_var3", strconv.Quote(o.userVar3)})
}

// kv is one answer member; v is written as is (quote it for a string).
type kv struct{ k, v string }

// writeSloppy writes members one a line, as the documentation shows them.
func writeSloppy(w http.ResponseWriter, members ...kv) {
	var b strings.Builder
	b.WriteString("{\n")
	for i, m := range members {
		fmt.Fprintf(&b, "%q:%s", m.k, m.v)
		if i < len(members)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}")
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(b.String()))
}

// writeLegacy writes the older API's compact upper-case answer.
func writeLegacy(w http.ResponseWriter, members ...kv) {
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%s", strings.ToUpper(m.k), m.v)
	}
	b.WriteByte('}')
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(b.String()))
}

func writeAnswer(w http.ResponseWriter, legacy bool, members ...kv) {
	if legacy {
		writeLegacy(w, members...)
		return
	}
	writeSloppy(w, members...)
}
