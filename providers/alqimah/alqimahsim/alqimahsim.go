// Package alqimahsim simulates Al-Qimah's REST API, written from the seed
// document /work/shared/seeds/alqimah-rest-api.txt alone (comments "seed Lnn"
// are its line numbers). It serves two routes, POST /rest-api/login and
// POST /rest-api/ (seed L82, L126), relative to the root it is mounted at.
//
// Everything the seed leaves open is chosen here and said so in a comment:
// the seed documents no error codes, no HTTP status other than the answer
// bodies, no duplicate/out-of-stock/insufficient-balance texts and no
// not-found answer; every refusal is the generic {"status": false,
// "message": "Error Message"} of seed L107-110 with HTTP 200.
package alqimahsim

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
)

// Demo credentials, the old sandbox's values; printed by `kiosk sandbox`,
// never real. The seed's four variables are UserName, Password,
// AccountNumber and API Token (seed L11-14).
const (
	AccountNumber = "100200"
	UserName      = "kiosk_demo"
	Password      = "demo-pass"
	APIToken      = "demo-api-token-123"
)

// Demo subscriber numbers with special answers (kept from the old sandbox).
const (
	// UnknownSubscriber: a query for it is refused (subscriber not found).
	UnknownSubscriber = "770000000"
	// FailingNumber: a payment to it is cancelled by the operator
	// (operationStatus 0, seed L530) and charges nothing.
	FailingNumber = "770000001"
)

// startBalance is the demo agent balance, in YER (the old sandbox's).
var startBalance = money.FromInt(1_000_000)

// ExtensionNames lists the extensions this simulator can serve. The seed
// covers everything the kiosk uses (PROVIDERS.md marks no Al-Qimah
// request as an extension), so there are none.
var ExtensionNames = []string{}

// Options configure a Server.
type Options struct {
	// Now is the clock; nil means time.Now. token_expires, the token
	// lifetime, the feed and subscriber dates and the HTTP Date header all
	// come from it.
	Now func() time.Time
	// Extensions lists the extension routes to serve (from ExtensionNames;
	// there are none).
	Extensions []string
	// Zone is the server's local time zone: token_expires and the dates
	// in answers are written in it with no zone (seed L104). nil: UTC.
	Zone *time.Location
	// Networks are the payment network/service numbers; nil means
	// DefaultNetworks(). The seed's tables are empty (seed L70-76).
	Networks []Network
	// Offers are the offers sold by OfferCode; nil means DefaultOffers().
	Offers []Offer
}

// Server is the simulated platform. It is safe for concurrent use.
type Server struct {
	// Faults are switched at run time by tests and `kiosk sandbox --fault`.
	Faults *sandboxkit.Faults
	// TokenTTL is how long an access token lives by the server's clock
	// (default one hour; the seed's example expiry, L104, is unspecific).
	// Set it before serving requests.
	TokenTTL time.Duration

	now   func() time.Time
	zone  *time.Location
	nets  []Network
	offer map[offerKey]Offer
	hc    *http.Client

	mu       sync.Mutex
	tokens   map[string]time.Time // access token → expiry
	issued   int64                // tokens issued so far (the token's seed)
	logins   int
	balance  money.Decimal
	cats     []category
	catIndex map[string]int // LinkCode → index in cats
	genNext  int            // categories generated so far
	sales    map[string]*sale
	usedIDs  map[string]bool // every TransactionID taken (queries and payments)
	commits  map[string]int
	nextRef  int64
}

type offerKey struct{ network, code string }

// New returns a simulator with the demo data: 1,000,000 YER, the demo
// categories, networks and offers.
func New(opt Options) (*Server, error) {
	for _, e := range opt.Extensions {
		if !slices.Contains(ExtensionNames, e) {
			return nil, fmt.Errorf("alqimahsim: unknown extension %q (known: %q)", e, ExtensionNames)
		}
	}
	nets := opt.Networks
	if nets == nil {
		nets = DefaultNetworks()
	}
	if err := checkNetworks(nets); err != nil {
		return nil, err
	}
	offers := opt.Offers
	if offers == nil {
		offers = DefaultOffers()
	}
	s := &Server{
		Faults:   &sandboxkit.Faults{},
		TokenTTL: time.Hour,
		now:      opt.Now,
		zone:     opt.Zone,
		nets:     append([]Network(nil), nets...),
		offer:    map[offerKey]Offer{},
		hc:       &http.Client{Timeout: 10 * time.Second},
		tokens:   map[string]time.Time{},
		balance:  startBalance,
		catIndex: map[string]int{},
		sales:    map[string]*sale{},
		usedIDs:  map[string]bool{},
		commits:  map[string]int{},
		nextRef:  243085, // the seed's referenceID (L525); the first sale gets 243086
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.zone == nil {
		s.zone = time.UTC
	}
	for _, o := range offers {
		if s.network(o.Network) == nil {
			return nil, fmt.Errorf("alqimahsim: offer %s: unknown network %q", o.Code, o.Network)
		}
		s.offer[offerKey{o.Network, o.Code}] = o
	}
	for _, c := range demoCategories() {
		s.addCategory(c)
	}
	return s, nil
}

// Credentials is the line `kiosk sandbox` prints.
func (s *Server) Credentials() string {
	return fmt.Sprintf("alqimah: account_number=%s username=%s password=%s api_token=%s",
		AccountNumber, UserName, Password, APIToken)
}

// Charged counts the purchases committed and charged under the kiosk's
// TransactionID ref; a sale the operator cancelled charges nothing.
func (s *Server) Charged(ref string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commits[ref]
}

// Logins counts the successful logins served so far.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// RevokeTokens makes every issued access token invalid, as a platform
// restart would.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// Balance is the agent balance now (YER).
func (s *Server) Balance() money.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balance
}

// LoginToken is the seed's Token recipe (seed L23, L27, L47-67):
// lowercase hex md5(UserName + AccountNumber + md5(Password) + APIToken).
func LoginToken(userName, accountNumber, password, apiToken string) string {
	return md5hex(userName + accountNumber + md5hex(password) + apiToken)
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))         // seed L58: UTF-8 bytes
	return hex.EncodeToString(sum[:]) // seed L63: "x2", lowercase
}

// expiryLayout is token_expires' "yyyy-mm-dd hh:mm:ss" (seed L104).
const expiryLayout = "2006-01-02 15:04:05"

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Faults.Delay(r.Context())
	now := s.now()
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/rest-api/login": // seed L82
		s.login(w, r, now)
	case r.Method == http.MethodPost && r.URL.Path == "/rest-api/": // seed L126, L153, L217, L260, L368, L501, L545, L592
		s.api(w, r, now)
	default:
		// Not a route of the seed (seed L16: every request is a POST):
		// what a web server answers for a path it does not have.
		notFound(w)
	}
}

func notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n")
}

// reply writes an answer body. The seed shows only bodies, never an HTTP
// status, and its errors are bodies with "status": false (seed L107-110),
// so every answer, refusals included, is HTTP 200.
func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8") // seed L17
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// failure is the only error answer the seed documents (seed L107-110,
// L146-149, L210-213, L253-256, L361-364, L488-491, L538-541, L585-588,
// L631-634): no codes, just a message.
type failure struct {
	Status  bool   `json:"status"`  // seed L108
	Message string `json:"message"` // seed L109
}

func fail(w http.ResponseWriter, msg string) { reply(w, failure{false, msg}) }

// Refusal texts. The seed gives none ("Error Message", seed L109); these
// are the old sandbox's bilingual texts where it had one.
const (
	msgBadBody      = "Invalid request body - بيانات الطلب غير صحيحة"
	msgContentType  = "Content-Type must be application/json - نوع المحتوى يجب أن يكون application/json"
	msgBadLogin     = "Invalid login data"
	msgBadToken     = "Invalid or expired api-token - رمز الدخول غير صالح أو منتهي"
	msgService      = "رقم الشبكة أو الخدمة غير صحيح - Invalid network or service number"
	msgDuplicate    = "رقم العملية مستخدم مسبقاً - TransactionID already exists"
	msgBadNumber    = "رقم المشترك غير صحيح - Invalid subscriber number"
	msgNoSubscriber = "رقم المشترك غير موجود - Subscriber not found"
	msgNoBalance    = "رصيدك غير كافي - Insufficient balance"
	msgUnavailable  = "الخدمة غير متوفرة حالياً - Service not available"
	msgBadAmount    = "المبلغ غير صحيح - Invalid amount"
	msgBadOffer     = "رمز العرض غير صحيح - Invalid OfferCode"
	msgBadLinkCode  = "رمز الفئة غير موجود - LinkCode not found"
	msgBadFields    = "حقل Fields غير صحيح - Invalid Fields JSON"
	msgBadQuantity  = "الكمية غير صحيحة - Invalid quantity"
	msgNoOperation  = "العملية غير موجودة - Transaction not found"
)

func msgRequired(field string) string {
	return fmt.Sprintf("الحقل %s مطلوب - %s is required", field, field)
}

func msgInvalid(field string) string {
	return fmt.Sprintf("الحقل %s غير صحيح - %s is invalid", field, field)
}

// readBody reads the JSON object of a request. The seed's requests are
// JSON (seed L17: "Content-Type: application/json"), so a request without
// that content type is refused.
func readBody(w http.ResponseWriter, r *http.Request) (body, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" { // seed L17
		fail(w, msgContentType)
		return nil, false
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var b body
	if err != nil || json.Unmarshal(raw, &b) != nil || b == nil {
		fail(w, msgBadBody)
		return nil, false
	}
	return b, true
}

// loginAnswer is seed L100-105.
type loginAnswer struct {
	Status       bool   `json:"status"`        // seed L101
	Message      string `json:"message"`       // seed L102
	AccessToken  string `json:"access_token"`  // seed L103
	TokenExpires string `json:"token_expires"` // seed L104
}

// login is seed L80-110.
func (s *Server) login(w http.ResponseWriter, r *http.Request, now time.Time) {
	b, ok := readBody(w, r)
	if !ok {
		return
	}
	// seed L94-97: AccountNumber, UserName and Token, all required.
	fields := map[string]string{}
	for _, k := range []string{"AccountNumber", "UserName", "Token"} {
		v, present, err := b.text(k)
		switch {
		case err != nil:
			fail(w, msgInvalid(k))
			return
		case !present:
			fail(w, msgRequired(k))
			return
		}
		fields[k] = v
	}
	// The seed's recipe gives lowercase hex (seed L63, PHP md5 in L27);
	// the comparison is exact, as a string comparison on the server is.
	want := LoginToken(UserName, AccountNumber, Password, APIToken)
	if fields["AccountNumber"] != AccountNumber || fields["UserName"] != UserName || fields["Token"] != want {
		fail(w, msgBadLogin)
		return
	}
	s.mu.Lock()
	s.issued++
	tok := md5hex("alqimahsim access token " + strconv.FormatInt(s.issued, 10))
	exp := now.Add(s.TokenTTL)
	s.tokens[tok] = exp
	s.logins++
	s.mu.Unlock()
	reply(w, loginAnswer{
		Status:       true,
		Message:      "Login Successful", // seed L102
		AccessToken:  tok,
		TokenExpires: exp.In(s.zone).Format(expiryLayout), // seed L104: server's local time, no zone
	})
}

// authorized checks the api-token header (seed L132 and every request's
// header table) against the tokens issued and the server's clock. An
// expired token is forgotten.
func (s *Server) authorized(tok string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[tok]
	if ok && !now.Before(exp) {
		delete(s.tokens, tok)
		return false
	}
	return ok
}

// api is every request to /rest-api/, routed by NetworkNumber and
// ServiceNumber (seed L116-122, L372-373).
func (s *Server) api(w http.ResponseWriter, r *http.Request, now time.Time) {
	b, ok := readBody(w, r)
	if !ok {
		return
	}
	// seed L132 (and L169, L227, L266, L378, L504, L553, L595): header
	// api-token carries the access_token. A missing, unknown or expired
	// token gets the generic error answer (the seed has no other).
	if !s.authorized(r.Header.Get("api-token"), now) {
		fail(w, msgBadToken)
		return
	}
	network, msg := b.number("NetworkNumber") // seed L135, L381, L507
	if msg != "" {
		fail(w, msg)
		return
	}
	service, msg := b.number("ServiceNumber") // seed L136, L386, L508
	if msg != "" {
		fail(w, msg)
		return
	}
	if network == 0 {
		switch service {
		case 1: // seed L120, L124-149
			s.balanceQuery(w)
		case 2: // seed L121, L151-213
			s.status(w, b)
		case 3: // seed L122, L215-256
			s.feed(w, now)
		case 4: // seed L258-364
			s.categories(w)
		default:
			fail(w, msgService)
		}
		return
	}
	if q, ok := queryOf(network, service); ok { // seed L366-491
		s.query(w, b, q, now)
		return
	}
	s.pay(w, r, b, network, service) // seed L493-634
}

// balanceAnswer is seed L139-144.
type balanceAnswer struct {
	Status        bool   `json:"status"`        // seed L140
	AgentBalance  number `json:"agentBalance"`  // seed L141: a number
	Message       string `json:"message"`       // seed L142
	TransactionID int    `json:"transactionID"` // seed L143: 0
}

func (s *Server) balanceQuery(w http.ResponseWriter) {
	s.mu.Lock()
	bal := s.balance
	s.mu.Unlock()
	reply(w, balanceAnswer{true, number(bal), "Agent Balance Query Success", 0}) // seed L139-144
}

// feedEntry is one element of seed L236-249; every value is a string.
type feedEntry struct {
	Date     string `json:"Date"`     // seed L221, L238
	Amount   string `json:"Amount"`   // seed L222, L239: "70000.00000"
	Currency string `json:"Currency"` // seed L223, L240
	Notes    string `json:"Notes"`    // seed L224, L241
}

// feedAnswer is seed L234-251.
type feedAnswer struct {
	Status  bool        `json:"status"`  // seed L235
	Data    []feedEntry `json:"data"`    // seed L236
	Message string      `json:"message"` // seed L250
}

func (s *Server) feed(w http.ResponseWriter, now time.Time) {
	shift := s.dayShift(now)
	data := make([]feedEntry, len(demoFeed))
	for i, f := range demoFeed {
		data[i] = f
		data[i].Date = shiftDate(f.Date, "2006-01-02", shift)
	}
	reply(w, feedAnswer{true, data, "Query Success"}) // seed L234-251
}

// categoriesAnswer is seed L273-359.
type categoriesAnswer struct {
	Status        bool       `json:"status"`        // seed L274
	Data          []category `json:"data"`          // seed L275
	Message       string     `json:"message"`       // seed L357
	TransactionID string     `json:"transactionID"` // seed L358: the string "1"
}

func (s *Server) categories(w http.ResponseWriter) {
	s.mu.Lock()
	cats := s.cats[:len(s.cats):len(s.cats)] // entries are never changed once added
	s.mu.Unlock()
	reply(w, categoriesAnswer{true, cats, "Success", "1"}) // seed L273-359
}
