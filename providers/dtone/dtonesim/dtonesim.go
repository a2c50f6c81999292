// Package dtonesim is a DT One Goods & Services API simulator written from the
// seed document /work/shared/seeds/dtone-goods-services-products.txt alone
// ("seed Lnn" comments give its line numbers). The seed documents product
// discovery and account verification; authentication and the routes marked
// "extension" come from /work/shared/PROVIDERS.md (the public Goods & Services
// API, formerly TransferTo v1.1) and are served only when named in
// Options.Extensions.
//
// Paths are relative to the API base: mount the server under a prefix with
// http.StripPrefix. A path the seed does not describe (and no enabled
// extension serves) answers like a web server that does not have it: HTTP 404
// with a small HTML page, never the provider's error body.
package dtonesim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
)

// Demo credentials (the old built-in sandbox's; printable, they open nothing real).
const (
	APIKey    = "sandbox-dtone-apikey"
	APISecret = "sandbox-dtone-secret"
)

// Authentication headers. Authentication is not in the seed: it comes from
// PROVIDERS.md ("Auth headers on every call").
const (
	HeaderAPIKey = "X-TransferTo-apikey"
	HeaderNonce  = "X-TransferTo-nonce"
	HeaderHMAC   = "X-TransferTo-hmac"
)

// InitialBalance is the account balance a new Server starts with, in USD
// (the account currency, seed L46 / L80).
const InitialBalance = 5000

// Extension names.
const (
	// ExtPing serves GET /ping. extension: PROVIDERS.md "(extension) GET ping".
	ExtPing = "ping"
	// ExtServices serves GET /services. extension: PROVIDERS.md "(extension) ... services".
	ExtServices = "services"
	// ExtCountries serves GET /countries. extension: PROVIDERS.md "(extension) ... countries".
	ExtCountries = "countries"
	// ExtOperators serves GET /operators and GET /countries/{id}/operators.
	// extension: PROVIDERS.md "(extension) ... operators" (the per-country
	// form is the public API's).
	ExtOperators = "operators"
	// ExtCountryServices serves GET /countries/{id}/services.
	// extension: PROVIDERS.md "(extension) ... countries/{id}/services".
	ExtCountryServices = "country-services"
	// ExtTransactions serves POST /transactions/{type} (the purchase).
	// extension: PROVIDERS.md "(extension) Purchase".
	ExtTransactions = "transactions"
	// ExtLookup serves GET /transactions/{type}/ext-{external_id}.
	// extension: PROVIDERS.md "(extension) Look-up by our reference".
	ExtLookup = "lookup"
)

// ExtensionNames lists every extension this simulator can serve; each is
// documented at its constant above with its source.
var ExtensionNames = []string{ExtPing, ExtServices, ExtCountries, ExtOperators, ExtCountryServices, ExtTransactions, ExtLookup}

// Options configure a Server.
type Options struct {
	// Now is the clock. nil means time.Now. Every time in an answer
	// (transaction dates, voucher expiry, the HTTP Date header) comes from it.
	Now func() time.Time
	// Extensions lists the extension routes to serve (names from
	// ExtensionNames). nil or empty: serve only what the seed describes.
	Extensions []string
}

// Server is the simulator. It is safe for concurrent use.
type Server struct {
	// Faults are switched at run time by tests and `kiosk sandbox --fault`.
	Faults *sandboxkit.Faults

	now func() time.Time
	ext map[string]bool

	mu           sync.Mutex
	countries    []country
	countryIdx   map[int]int
	operators    []operator
	operatorIdx  map[int]int
	opsByCountry map[int][]int
	services     []service
	serviceIdx   map[int]int
	products     []product
	productIdx   map[int]int32
	byOperator   map[int][]int32
	byService    map[int][]int32
	generated    int

	stock   map[int]int // product id → PINs left, for stocked products
	nonces  map[string]struct{}
	balance money.Decimal // USD
	txns    map[string]*txn
	charged map[string]int
	nextTxn int64
}

// New returns a simulator with the demo catalogue and InitialBalance USD.
// It fails on an extension name it does not know.
func New(opt Options) (*Server, error) {
	s := &Server{
		Faults:       &sandboxkit.Faults{},
		now:          opt.Now,
		ext:          map[string]bool{},
		countryIdx:   map[int]int{},
		operatorIdx:  map[int]int{},
		opsByCountry: map[int][]int{},
		serviceIdx:   map[int]int{},
		productIdx:   map[int]int32{},
		byOperator:   map[int][]int32{},
		byService:    map[int][]int32{},
		stock:        map[int]int{},
		nonces:       map[string]struct{}{},
		balance:      money.FromInt(InitialBalance),
		txns:         map[string]*txn{},
		charged:      map[string]int{},
		nextTxn:      3624298,
	}
	if s.now == nil {
		s.now = time.Now
	}
	for _, name := range opt.Extensions {
		if !slices.Contains(ExtensionNames, name) {
			return nil, fmt.Errorf("dtonesim: unknown extension %q (known: %s)", name, strings.Join(ExtensionNames, ", "))
		}
		s.ext[name] = true
	}
	for _, c := range demoCountries() {
		s.addCountry(c)
	}
	for _, o := range demoOperators() {
		s.addOperator(o)
	}
	for _, sv := range demoServices() {
		s.serviceIdx[sv.ID] = len(s.services)
		s.services = append(s.services, sv)
	}
	for _, p := range demoProducts() {
		s.addProduct(p)
	}
	return s, nil
}

// Credentials is one line for `kiosk sandbox` to print.
func (s *Server) Credentials() string {
	return fmt.Sprintf("dtone: api_key=%s api_secret=%s (numbers ending in 0000 are invalid; Claro TV, vouchers and PLN skip account checks)", APIKey, APISecret)
}

// Charged reports how many purchases were committed under ref (the external_id).
func (s *Server) Charged(ref string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.charged[ref]
}

// Balance is the account balance in USD.
func (s *Server) Balance() money.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balance
}

// Sign is the X-TransferTo-hmac value for a nonce: base64 of
// HMAC-SHA256(key = secret, message = apiKey + nonce). From PROVIDERS.md, not the seed.
func Sign(apiKey, secret, nonce string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(apiKey + nonce))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// route is one served path: the methods it answers and its handler.
type route struct {
	method string
	serve  func(w http.ResponseWriter, r *http.Request)
}

// match finds the route for a path; ok is false when no served route has
// this path (a 404), and the route's method may still differ (a 405).
func (s *Server) match(r *http.Request) (rt route, ok bool) {
	path := r.URL.Path
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	parts := strings.Split(path[1:], "/")
	for _, p := range parts {
		if p == "" {
			return route{}, false
		}
	}
	get := func(f func(http.ResponseWriter, *http.Request)) (route, bool) { return route{http.MethodGet, f}, true }
	switch len(parts) {
	case 1:
		switch {
		case parts[0] == "ping" && s.ext[ExtPing]: // extension: PROVIDERS.md GET ping
			return get(s.servePing)
		case parts[0] == "services" && s.ext[ExtServices]: // extension: PROVIDERS.md GET services
			return get(s.serveServices)
		case parts[0] == "countries" && s.ext[ExtCountries]: // extension: PROVIDERS.md GET countries
			return get(s.serveCountries)
		case parts[0] == "operators" && s.ext[ExtOperators]: // extension: PROVIDERS.md GET operators
			return get(func(w http.ResponseWriter, r *http.Request) { s.serveOperators(w, r, "") })
		}
	case 2:
		if parts[0] == "transactions" && s.ext[ExtTransactions] && transactionType(parts[1]) { // extension: PROVIDERS.md Purchase
			typ := parts[1]
			return route{http.MethodPost, func(w http.ResponseWriter, r *http.Request) { s.servePurchase(w, r, typ) }}, true
		}
	case 3:
		id := parts[1]
		switch {
		case parts[0] == "operators" && parts[2] == "products": // seed L54
			return get(func(w http.ResponseWriter, r *http.Request) { s.serveProducts(w, r, "operators", id) })
		case parts[0] == "countries" && parts[2] == "products": // seed L113
			return get(func(w http.ResponseWriter, r *http.Request) { s.serveProducts(w, r, "countries", id) })
		case parts[0] == "services" && parts[2] == "products": // seed L153
			return get(func(w http.ResponseWriter, r *http.Request) { s.serveProducts(w, r, "services", id) })
		case parts[0] == "countries" && parts[2] == "operators" && s.ext[ExtOperators]: // extension: public API countries/{id}/operators
			return get(func(w http.ResponseWriter, r *http.Request) { s.serveOperators(w, r, id) })
		case parts[0] == "countries" && parts[2] == "services" && s.ext[ExtCountryServices]: // extension: PROVIDERS.md countries/{id}/services
			return get(func(w http.ResponseWriter, r *http.Request) { s.serveCountryServices(w, r, id) })
		case parts[0] == "transactions" && s.ext[ExtLookup] && transactionType(parts[1]) && strings.HasPrefix(parts[2], "ext-") && len(parts[2]) > len("ext-"): // extension: PROVIDERS.md look-up
			typ, ref := parts[1], strings.TrimPrefix(parts[2], "ext-")
			return get(func(w http.ResponseWriter, r *http.Request) { s.serveLookup(w, r, typ, ref) })
		}
	case 4:
		if parts[0] == "product" && parts[1] == VariableValueRecharges && parts[3] == "suggested_values" { // seed L193
			id := parts[2]
			return get(func(w http.ResponseWriter, r *http.Request) { s.serveSuggested(w, r, id) })
		}
	case 5:
		if parts[0] == "products" && parts[2] == "account_number" && parts[4] == "status" { // seed L238
			id, account := parts[1], parts[3]
			return get(func(w http.ResponseWriter, r *http.Request) { s.serveAccountStatus(w, r, id, account) })
		}
	}
	return route{}, false
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Faults.Delay(r.Context())
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	rt, ok := s.match(r)
	if !ok {
		writeNotFound(w)
		return
	}
	if r.Method != rt.method {
		writeMethodNotAllowed(w, rt.method)
		return
	}
	if msg := s.authorize(r); msg != "" {
		writeError(w, http.StatusUnauthorized, codeUnauthorized, msg) // PROVIDERS.md: 1000401 unauthorized
		return
	}
	rt.serve(w, r)
}

// authorize checks the PROVIDERS.md auth headers (not in the seed) and that
// the nonce was never seen; it answers "" when the request may go on.
func (s *Server) authorize(r *http.Request) string {
	key, nonce, mac := r.Header.Get(HeaderAPIKey), r.Header.Get(HeaderNonce), r.Header.Get(HeaderHMAC)
	if key == "" || nonce == "" || mac == "" {
		return "Unauthorized: missing authentication headers"
	}
	if key != APIKey || !hmac.Equal([]byte(mac), []byte(Sign(APIKey, APISecret, nonce))) {
		return "Unauthorized: invalid api key or signature"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, seen := s.nonces[nonce]; seen {
		return "Unauthorized: nonce already used"
	}
	s.nonces[nonce] = struct{}{}
	return ""
}

// positiveID reads a numeric id from a path or query; ok is false otherwise.
func positiveID(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && n > 0
}

// validAccount is the demo rule (the old sandbox's) for a number the operator
// knows: digits only, and not ending in 0000.
func validAccount(n string) bool {
	if n == "" || strings.HasSuffix(n, "0000") {
		return false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
