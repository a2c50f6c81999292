package alqimah

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"time"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

// Sandbox speaks Al-Qimah's REST API on loopback: login with the MD5 token,
// expiring access tokens, a YER balance, subscriber queries, payments by
// amount, units, offer or LinkCode stored by TransactionID, and status.
type Sandbox struct {
	Faults *sandboxkit.Faults
	// TokenTTL is how long an access token lives; tests shorten it.
	TokenTTL time.Duration

	mu       sync.Mutex
	now      func() time.Time
	tokens   map[string]time.Time // access token → expiry
	balance  money.Decimal
	nets     map[string]Network
	cats     []demoCategory
	sales    map[string]*sbSale // by TransactionID
	commits  map[string]int
	queryIDs map[string]bool
	nextRef  int64
	logins   int
}

type sbSale struct {
	ref, mobile, pin, serial string
	referenceID              int64
	state                    int // 1, 0, -1
	pollsLeft                int
	price                    money.Decimal
}

// NewSandbox returns a sandbox with the demo catalogue and 1,000,000 YER.
func NewSandbox() *Sandbox {
	nets := DefaultNetworks()
	for k, p := range demoUnitPrices {
		n := nets[k]
		n.UnitPrice = money.MustParse(p)
		nets[k] = n
	}
	return &Sandbox{
		Faults:   &sandboxkit.Faults{},
		TokenTTL: time.Hour,
		now:      time.Now,
		tokens:   map[string]time.Time{},
		balance:  money.FromInt(1_000_000),
		nets:     nets,
		cats:     demoCategories(),
		sales:    map[string]*sbSale{},
		commits:  map[string]int{},
		queryIDs: map[string]bool{},
		nextRef:  243085, // the seed's referenceID
	}
}

// SandboxConfig is a client configuration for a sandbox at baseURL.
func SandboxConfig(baseURL string) Config {
	nets := map[string]Network{}
	for k, p := range demoUnitPrices {
		nets[k] = Network{UnitPrice: money.MustParse(p)}
	}
	return Config{
		BaseURL: baseURL, AccountNumber: demoAccount, Username: demoUser,
		Password: secret.New(demoPassword), APIToken: secret.New(demoAPIToken),
		Currency: "YER", Networks: nets, Offers: append([]Offer(nil), demoOffers...),
		Sandbox: true,
	}
}

// SetClock sets the sandbox's clock (token expiry); tests fix it.
func (s *Sandbox) SetClock(now func() time.Time) {
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
}

// Credentials is the line `kiosk sandbox` prints.
func (s *Sandbox) Credentials() string {
	return fmt.Sprintf("alqimah: account_number=%s username=%s password=%s api_token=%s",
		demoAccount, demoUser, demoPassword, demoAPIToken)
}

// Charged counts the purchases committed and charged under ref (a sale the
// operator cancelled charges nothing).
func (s *Sandbox) Charged(ref string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commits[ref]
}

// RevokeTokens forgets every access token, as a platform restart would.
func (s *Sandbox) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// Logins counts successful logins.
func (s *Sandbox) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// sbRequest is every field any request may carry; JSON matching of keys is
// case-insensitive, and numbers may come as strings.
type sbRequest struct {
	AccountNumber flexString      `json:"AccountNumber"`
	UserName      string          `json:"UserName"`
	Token         string          `json:"Token"`
	NetworkNumber flexInt         `json:"NetworkNumber"`
	ServiceNumber flexInt         `json:"ServiceNumber"`
	TransactionID flexString      `json:"TransactionID"`
	MobileNumber  flexString      `json:"MobileNumber"`
	Amount        *money.Decimal  `json:"Amount"`
	OfferCode     string          `json:"OfferCode"`
	LinkCode      string          `json:"LinkCode"`
	Fields        json.RawMessage `json:"Fields"`
	Quantity      flexInt         `json:"Quantity"`
}

type obj = map[string]any

func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Faults.Delay(r.Context())
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reply(w, http.StatusMethodNotAllowed, fail("Request method must be POST"))
		return
	}
	var req sbRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		reply(w, http.StatusOK, fail("Invalid request body - بيانات الطلب غير صحيحة"))
		return
	}
	switch strings.TrimRight(r.URL.Path, "/") {
	case "/rest-api/login":
		s.login(w, req)
	case "/rest-api":
		if !s.authorized(r.Header.Get("api-token")) {
			reply(w, http.StatusUnauthorized, fail("Unauthorized: invalid or expired api-token"))
			return
		}
		s.route(w, r, req)
	default:
		http.NotFound(w, r)
	}
}

func fail(msg string) obj { return obj{"status": false, "message": msg} }

func reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Sandbox) login(w http.ResponseWriter, req sbRequest) {
	want := loginToken(demoUser, demoAccount, demoPassword, demoAPIToken)
	if string(req.AccountNumber) != demoAccount || req.UserName != demoUser || req.Token != want {
		reply(w, http.StatusOK, fail("Invalid login data"))
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	s.mu.Lock()
	exp := s.now().Add(s.TokenTTL)
	s.tokens[tok] = exp
	s.logins++
	s.mu.Unlock()
	reply(w, http.StatusOK, obj{
		"status": true, "message": "Login Successful", "access_token": tok,
		"token_expires": exp.In(serverZone).Format(expiryLayout),
	})
}

func (s *Sandbox) authorized(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[tok]
	if ok && !s.now().Before(exp) {
		delete(s.tokens, tok)
		return false
	}
	return ok
}

// route dispatches on NetworkNumber/ServiceNumber.
func (s *Sandbox) route(w http.ResponseWriter, r *http.Request, req sbRequest) {
	n, svc := int(req.NetworkNumber), int(req.ServiceNumber)
	switch {
	case n == 0 && svc == 1:
		s.mu.Lock()
		bal := s.balance
		s.mu.Unlock()
		reply(w, http.StatusOK, obj{"status": true, "agentBalance": wireNum(bal.String()), "message": "Agent Balance Query Success", "transactionID": 0})
	case n == 0 && svc == 2:
		s.status(w, string(req.TransactionID))
	case n == 0 && svc == 3:
		reply(w, http.StatusOK, obj{"status": true, "data": demoFeed, "message": "Query Success"})
	case n == 0 && svc == 4:
		reply(w, http.StatusOK, obj{"status": true, "data": s.cats, "message": "Success", "transactionID": "1"})
	default:
		if q := (queryService{n, svc}); sbQueries[q] != "" {
			s.query(w, req, q)
			return
		}
		s.pay(w, r, req)
	}
}

// sbQueries maps each query to the network whose numbers it takes.
var sbQueries = map[queryService]string{
	qYMBalance: YemenMobile, qYMLoan: YemenMobile, qYMOffers: YemenMobile,
	qADSL: ADSL, qLandline: Landline, qYemen4G: Yemen4G,
}

var patterns = map[string]*regexp.Regexp{}

func init() {
	for k, in := range netInfos {
		patterns[k] = regexp.MustCompile("^(?:" + in.pattern + ")$")
	}
}

// takeID claims a TransactionID; false when it was used before.
func (s *Sandbox) takeID(id string) bool {
	if s.queryIDs[id] || s.sales[id] != nil {
		return false
	}
	s.queryIDs[id] = true
	return true
}

const (
	msgDuplicate   = "رقم العملية مستخدم مسبقاً - TransactionID already exists"
	msgBadNumber   = "رقم المشترك غير صحيح - Invalid subscriber number"
	msgNoBalance   = "رصيدك غير كافي - Insufficient balance"
	msgUnavailable = "الخدمة غير متوفرة حالياً - Service not available"
	msgBadAmount   = "المبلغ غير صحيح - Invalid amount"
)

func (s *Sandbox) query(w http.ResponseWriter, req sbRequest, q queryService) {
	number, id := string(req.MobileNumber), string(req.TransactionID)
	if !patterns[sbQueries[q]].MatchString(number) {
		reply(w, http.StatusOK, fail(msgBadNumber))
		return
	}
	if number == demoUnknownSubscriber {
		reply(w, http.StatusOK, fail("رقم المشترك غير موجود - Subscriber not found"))
		return
	}
	s.mu.Lock()
	fresh := id != "" && s.takeID(id)
	s.mu.Unlock()
	if !fresh {
		reply(w, http.StatusOK, fail(msgDuplicate))
		return
	}
	reply(w, http.StatusOK, queryAnswers[q])
}

// queryAnswers are the seed's example answers.
var queryAnswers = map[queryService]obj{
	qYMBalance: {"status": true, "mobileBalance": wireNum("154.15"), "availableCredit": "", "mobileType": 1, "mobileTypeName": "دفع مسبق", "message": "Balance Query Success", "transactionID": 0},
	qYMLoan:    {"status": true, "loanStatus": false, "loanStatusString": "الرقم غير متسلف", "message": "Balance Query Success"},
	qYMOffers: {"status": true, "message": "Balance Query Success", "data": []obj{
		{"offerID": "A115887147", "offerName": "شريحه 4G", "offerStartDate": "2020-01-01 03:00:00", "offerEndDate": "2037-01-01 00:00:00"},
		{"offerID": "A4990006", "offerName": "باقة مزايا فورجي فولتي الشهريه دفع مسبق", "offerStartDate": "2024-07-21 17:14:06", "offerEndDate": "2024-08-19 23:59:59"},
		{"offerID": "A3825", "offerName": "دفع مسبق باقة نت توفير فورجي 5 جيجا الشهرية", "offerStartDate": "2024-07-26 18:01:40", "offerEndDate": "2024-08-24 23:59:59"},
		{"offerID": "A101045", "offerName": "خدمة فولتي - VoLTE", "offerStartDate": "2024-07-09 11:01:20", "offerEndDate": "2037-01-01 00:00:00"},
	}},
	qADSL:     {"status": true, "mobileBalance": "44.18 جيجابايت", "expiredDate": "21/10/2024", "offerAmount": "12600", "minAmount": "250", "message": "Balance Query Success", "transactionID": "1"},
	qLandline: {"status": true, "mobileBalance": "2869", "message": "Balance Query Success", "transactionID": "1"},
	qYemen4G:  {"status": true, "mobileBalance": "26.90جيجابايت", "expiredDate": "2024-11-06", "offerAmount": "2400", "offerSize": "2400", "callBalance": "", "message": "Balance Query Success", "transactionID": "1"},
}

func (s *Sandbox) status(w http.ResponseWriter, ref string) {
	s.mu.Lock()
	sale := s.sales[ref]
	var answer obj
	if sale != nil {
		if sale.state == -1 {
			if sale.pollsLeft > 0 {
				sale.pollsLeft--
			} else {
				sale.state = 1
			}
		}
		answer = sale.answer(s.balance)
	}
	s.mu.Unlock()
	if answer == nil {
		reply(w, http.StatusOK, fail("العملية غير موجودة - Transaction not found"))
		return
	}
	delete(answer, "agentBalance")
	answer["details"] = "Operation Notes"
	reply(w, http.StatusOK, answer)
}

// answer is the payment (and status) answer of a sale.
func (sale *sbSale) answer(balance money.Decimal) obj {
	msg := map[int]string{1: "جاهزة", 0: "ملغية", -1: "في الانتظار"}[sale.state]
	a := obj{
		"status": true, "operationStatus": sale.state, "agentBalance": wireNum(balance.String()),
		"price": wireNum(sale.price.String()), "message": msg, "mobileNumber": sale.mobile,
		"transactionID": sale.ref, "referenceID": sale.referenceID,
	}
	if sale.pin != "" && sale.state == 1 {
		a["pin"], a["serial"] = sale.pin, sale.serial
	}
	return a
}

// order is a checked payment request.
type order struct {
	price    money.Decimal
	mobile   string
	giftCard bool
}

func (s *Sandbox) pay(w http.ResponseWriter, r *http.Request, req sbRequest) {
	ref := string(req.TransactionID)
	if ref == "" || strings.Trim(ref, "0123456789") != "" {
		reply(w, http.StatusOK, fail("TransactionID is required - رقم العملية مطلوب"))
		return
	}
	o, msg := s.check(req)
	if msg != "" {
		reply(w, http.StatusOK, fail(msg))
		return
	}
	s.mu.Lock()
	dup := s.sales[ref] != nil || s.queryIDs[ref]
	s.mu.Unlock()
	switch {
	case dup:
		reply(w, http.StatusOK, fail(msgDuplicate))
		return
	case s.Faults.OutOfStock():
		reply(w, http.StatusOK, fail(msgUnavailable))
		return
	case s.Faults.NoBalance():
		reply(w, http.StatusOK, fail(msgNoBalance))
		return
	}
	if s.Faults.BeforeCommit(r, ref) {
		return
	}
	answer, msg := s.commit(ref, o)
	if msg != "" {
		reply(w, http.StatusOK, fail(msg))
		return
	}
	if s.Faults.AfterCommit(w, r, ref) {
		return
	}
	reply(w, http.StatusOK, answer)
}

// commit records the sale and charges the balance, atomically with the
// duplicate and balance checks.
func (s *Sandbox) commit(ref string, o order) (obj, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sales[ref] != nil || s.queryIDs[ref] {
		return nil, msgDuplicate
	}
	if s.balance.Cmp(o.price) < 0 {
		return nil, msgNoBalance
	}
	s.nextRef++
	sale := &sbSale{ref: ref, mobile: o.mobile, referenceID: s.nextRef, state: 1, price: o.price}
	switch {
	case o.mobile == demoFailingNumber:
		sale.state = 0 // the operator cancelled it; nothing is charged
	case s.Faults.PendingPolls() > 0:
		sale.state, sale.pollsLeft = -1, s.Faults.PendingPolls()
	}
	if sale.state != 0 {
		s.balance = s.balance.Sub(o.price)
		s.commits[ref]++
	}
	if o.giftCard {
		sale.pin, sale.serial = fmt.Sprintf("X%04d-GIFT-%06d", s.nextRef%10000, s.nextRef), fmt.Sprintf("SN%d", s.nextRef)
	}
	s.sales[ref] = sale
	a := sale.answer(s.balance)
	if sale.state == 1 {
		a["message"] = "تمت العملية بنجاح - Payment success"
	}
	return a, ""
}

// check validates a payment and prices it; msg is the refusal, if any.
func (s *Sandbox) check(req sbRequest) (order, string) {
	n, svc := int(req.NetworkNumber), int(req.ServiceNumber)
	number := string(req.MobileNumber)
	for _, key := range networkOrder {
		net := s.nets[key]
		if net.Network != n {
			continue
		}
		switch {
		case key == Games && svc == net.Service:
			return s.checkGame(req)
		case key != Games && (svc == net.Service || svc == net.OfferService && net.OfferService != 0) && !patterns[key].MatchString(number):
			return order{}, msgBadNumber
		case key != Games && svc == net.Service:
			return s.checkAmount(key, req)
		case key != Games && svc == net.OfferService && net.OfferService != 0:
			for _, o := range demoOffers {
				if o.Network == key && o.Code == req.OfferCode {
					return order{price: o.Price, mobile: number}, ""
				}
			}
			return order{}, "رمز العرض غير صحيح - Invalid OfferCode"
		}
	}
	return order{}, "رقم الشبكة أو الخدمة غير صحيح - Invalid network or service number"
}

func (s *Sandbox) checkAmount(key string, req sbRequest) (order, string) {
	net := s.nets[key]
	if req.Amount == nil || req.Amount.Sign() <= 0 || req.Amount.Cmp(net.MinAmount) < 0 || req.Amount.Cmp(net.MaxAmount) > 0 {
		return order{}, msgBadAmount
	}
	price := *req.Amount
	if unitPriced(key) {
		units, whole := req.Amount.IntPart()
		if !whole {
			return order{}, msgBadAmount
		}
		price = net.UnitPrice.MulInt(units)
	}
	return order{price: price, mobile: string(req.MobileNumber)}, ""
}

func (s *Sandbox) checkGame(req sbRequest) (order, string) {
	var cat *demoCategory
	for i := range s.cats {
		if s.cats[i].LinkCode == req.LinkCode {
			cat = &s.cats[i]
		}
	}
	if cat == nil {
		return order{}, "رمز الفئة غير موجود - LinkCode not found"
	}
	fields, ok := gameFields(req.Fields)
	if !ok {
		return order{}, "حقل Fields غير صحيح - Invalid Fields JSON"
	}
	for _, f := range cat.RequiredFields {
		v := strings.TrimSpace(fields[f.FieldCode])
		if v == "" {
			return order{}, fmt.Sprintf("الحقل %s مطلوب - %s is required", f.FieldName, f.FieldCode)
		}
		if f.FieldCode == "EmailAddress" {
			if _, err := mail.ParseAddress(v); err != nil {
				return order{}, "البريد الالكتروني غير صحيح - Invalid EmailAddress"
			}
		}
	}
	qty := max(int(req.Quantity), 1)
	if cat.AllowFreeQuantity && (qty < cat.MinQuantity || qty > cat.MaxQuantity) ||
		!cat.AllowFreeQuantity && qty != max(cat.MinQuantity, 1) {
		return order{}, "الكمية غير صحيحة - Invalid quantity"
	}
	price := money.MustParse(string(cat.LocalPrice)).MulInt(int64(qty))
	return order{price: price, mobile: string(req.MobileNumber), giftCard: cat.giftCard}, ""
}

// gameFields reads Fields sent as a JSON object or as JSON text.
func gameFields(raw json.RawMessage) (map[string]string, bool) {
	var text string
	if json.Unmarshal(raw, &text) == nil {
		raw = json.RawMessage(text)
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, false
	}
	return m, true
}
