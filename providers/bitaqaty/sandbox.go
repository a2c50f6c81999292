package bitaqaty

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

// Sandbox credentials, printed by `kiosk sandbox`.
const (
	SandboxUsername  = "kiosk@sandbox.test"
	SandboxSecretKey = "sandbox-secret"
)

// sandboxBalance is the opening balance, in halalas (5000.00 SAR).
const sandboxBalance = 500000

// Sandbox is a Bitaqaty Business server for tests and demos. It speaks the
// plain API (and the secured one after EnableSecured), checks every
// password, keeps a SAR balance and per-product stock, and stores sales by
// resellerRefNumber for status look-ups and reconcile.
type Sandbox struct {
	Faults *sandboxkit.Faults

	mu          sync.Mutex
	balance     int64 // halalas
	products    map[string]*sbProduct
	order       []string
	merchants   map[int]demoMerchant
	sales       map[string]*sbSale // committed, by resellerRefNumber
	failed      []*sbSale          // refused purchases, for reconcile isSuccessful=false
	inquiries   map[string]*sbInquiry
	seq         int64
	rnd         *rand.Rand
	now         func() time.Time
	exportLimit int
	sec         *sbSecured
}

type sbProduct struct {
	demoProduct
	stockLeft int
}

type sbSale struct {
	ref, bbRef, productID, productName, terminal string
	at                                           time.Time
	ok                                           bool
	price                                        priceSet
	serial, pin, username, expiry                string
	qr                                           bool
	details                                      map[string]string
	productType                                  int
	balanceAfter                                 int64
	bill                                         bool
	itemID, inquireRef                           string
}

type sbInquiry struct {
	ref, productID string
	price          priceSet
	used           bool
}

type sbSecured struct {
	bitaqaty *rsa.PrivateKey
	reseller *rsa.PublicKey
	padding  string
}

// NewSandbox returns a sandbox with the demo catalogue, 5000.00 SAR and
// the built-in credentials.
func NewSandbox() *Sandbox {
	s := &Sandbox{
		Faults:      &sandboxkit.Faults{},
		balance:     sandboxBalance,
		products:    map[string]*sbProduct{},
		merchants:   map[int]demoMerchant{},
		sales:       map[string]*sbSale{},
		inquiries:   map[string]*sbInquiry{},
		rnd:         rand.New(rand.NewPCG(2862, 333)),
		now:         time.Now,
		exportLimit: 1000,
	}
	for _, m := range demoMerchants {
		s.merchants[m.id] = m
	}
	for _, p := range demoProducts {
		s.products[p.id] = &sbProduct{demoProduct: p, stockLeft: p.stock}
		s.order = append(s.order, p.id)
	}
	return s
}

// SandboxConfig is a client configuration for a sandbox at baseURL.
func SandboxConfig(baseURL string) Config {
	return Config{BaseURL: baseURL, Username: SandboxUsername, SecretKey: secret.New(SandboxSecretKey), Sandbox: true}
}

// SetClock sets the clock the sandbox dates its answers by (expiry, sale
// times); tests fix it so no answer depends on the day.
func (s *Sandbox) SetClock(now func() time.Time) {
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
}

// Credentials is the line `kiosk sandbox` prints.
func (s *Sandbox) Credentials() string {
	return fmt.Sprintf("bitaqaty: username %s, secret key %s", SandboxUsername, SandboxSecretKey)
}

// EnableSecured serves the secured-integration variant: requests are
// decrypted with bitaqatyPriv, answers encrypted for resellerPub, with the
// given padding (see the Padding constants).
func (s *Sandbox) EnableSecured(bitaqatyPriv *rsa.PrivateKey, resellerPub *rsa.PublicKey, padding string) {
	if padding == "" {
		padding = PaddingPKCS1v15
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sec = &sbSecured{bitaqaty: bitaqatyPriv, reseller: resellerPub, padding: padding}
}

// Charged reports how many purchases were committed under ref (0 or 1:
// a duplicate reference is refused).
func (s *Sandbox) Charged(ref string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sales[ref]; ok {
		return 1
	}
	return 0
}

// SetPrice changes a product's recommended retail price (VAT included).
func (s *Sandbox) SetPrice(productID string, retailAfterVat money.Decimal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.products[productID]; p != nil {
		p.retail = halalas(retailAfterVat)
	}
}

// SetStock sets how many vouchers of a product are left.
func (s *Sandbox) SetStock(productID string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.products[productID]; p != nil {
		p.stockLeft = n
	}
}

// SetAvailable lists a product as available or not.
func (s *Sandbox) SetAvailable(productID string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.products[productID]; p != nil {
		p.off = !ok
	}
}

// Balance is the sandbox account's balance.
func (s *Sandbox) Balance() money.Money {
	s.mu.Lock()
	defer s.mu.Unlock()
	return money.New(money.FromMinor(s.balance, 2), defaultCurrency)
}

// AddRecord commits a voucher sale at time at without a client request, as
// if another program had sold it (reconciliation tests).
func (s *Sandbox) AddRecord(ref, productID string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.products[productID]
	switch {
	case p == nil || p.bill:
		return fmt.Errorf("sandbox: no voucher product %s", productID)
	case s.sales[ref] != nil:
		return fmt.Errorf("sandbox: reference %s already used", ref)
	}
	s.commitVoucher(ref, "", p).at = at
	return nil
}

// ServeHTTP answers {base}/integration/{method} and, when enabled,
// {base}/secured-integration/{method}.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Faults.Delay(r.Context())
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	method, ok := strings.CutPrefix(r.URL.Path, "/integration/")
	secured := false
	if !ok {
		method, secured = strings.CutPrefix(r.URL.Path, "/secured-integration/")
	}
	s.mu.Lock()
	sec := s.sec
	s.mu.Unlock()
	if !ok && (!secured || sec == nil) {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	if secured {
		if body, err = openRequest(sec, body); err != nil {
			writeJSON(w, fail("500", codeInternal)) // unencrypted: nothing to encrypt for
			return
		}
	}
	var req map[string]json.RawMessage
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, fail("500", codeInternal))
		return
	}
	ans, done := s.dispatch(w, r, method, req)
	if done {
		return
	}
	if !secured {
		writeJSON(w, ans)
		return
	}
	plain, _ := json.Marshal(ans)
	enc, err := encryptBlocks(sec.reseller, sec.padding, plain)
	if err != nil {
		http.Error(w, "encrypt: "+err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]any{"status": ans["status"], "data": base64.StdEncoding.EncodeToString(enc)})
}

// openRequest decrypts {resellerUsername, encryptedData}.
func openRequest(sec *sbSecured, body []byte) ([]byte, error) {
	var outer struct {
		ResellerUsername string `json:"resellerUsername"`
		EncryptedData    string `json:"encryptedData"`
	}
	if err := json.Unmarshal(body, &outer); err != nil {
		return nil, err
	}
	raw, err := decodeBase64(outer.EncryptedData)
	if err != nil {
		return nil, err
	}
	plain, err := decryptBlocks(sec.bitaqaty, sec.padding, raw)
	if err != nil {
		return nil, err
	}
	var inner struct {
		ResellerUsername string `json:"resellerUsername"`
	}
	if err := json.Unmarshal(plain, &inner); err != nil || inner.ResellerUsername != outer.ResellerUsername {
		return nil, fmt.Errorf("outer and inner username differ")
	}
	return plain, nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_ = json.NewEncoder(w).Encode(v)
}

type answer = map[string]any

// dispatch runs one method. done means the fault switches took the
// request over and nothing must be written.
func (s *Sandbox) dispatch(w http.ResponseWriter, r *http.Request, method string, req map[string]json.RawMessage) (answer, bool) {
	switch method {
	case "purchase-product":
		return s.purchase(w, r, req)
	case "service-bill-pay":
		return s.billPay(w, r, req)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch method {
	case "check-balance":
		return s.checkBalance(req), false
	case "get-merchant-list":
		return s.merchantList(req), false
	case "detailed-products-list":
		return s.productList(req, false), false
	case "detailed-bill-products-list":
		return s.productList(req, true), false
	case "product-detailed-info":
		return s.productInfo(req), false
	case "calculate-topup-amount":
		return s.topupAmount(req), false
	case "service-bill-inquire":
		return s.billInquire(req), false
	case "check-transaction-status":
		return s.transactionStatus(req), false
	case "reconcile":
		return s.reconcile(req), false
	}
	return fail("209", codeNotAllowed), false
}

// param reads a request value with its exact key: the real server is
// strict about casing, so productId where productID is expected is missing.
func param(req map[string]json.RawMessage, key string) (string, bool) {
	raw, ok := req[key]
	if !ok {
		return "", false
	}
	var v flexString
	if json.Unmarshal(raw, &v) != nil {
		return "", true
	}
	return string(v), true
}

// auth checks username and password; fields are the method's signed values.
func (s *Sandbox) auth(req map[string]json.RawMessage, fields ...string) answer {
	user, _ := param(req, "resellerUsername")
	pw, _ := param(req, "password")
	switch {
	case user == "":
		return fail("101", "MISSING_RESELLER_USERNAME")
	case pw == "":
		return fail("102", "MISSING_PASSWORD")
	case user != SandboxUsername:
		return fail("201", "INVALID_RESELLER_USERNAME")
	case pw != password(SandboxUsername, SandboxSecretKey, fields...):
		return fail("202", codeInvalidPassword)
	}
	return nil
}

func fail(code, name string) answer {
	return answer{"status": false, "errorCode": code, "errorMessage": name, "errorDesc": clerkText[name]}
}

func (s *Sandbox) ok() answer {
	t := s.now().In(ksa).Format(wireTime)
	return answer{"status": true, "errorCode": nil, "errorMessage": nil, "errorDesc": nil, "requestSrvTime": t, "responseSrvTime": t}
}

// priceSet is the six price fields, in halalas.
type priceSet struct{ costBefore, costVat, costAfter, rrpBefore, rrpVat, rrpAfter int64 }

func (ps priceSet) put(a answer) {
	a["costPriceBeforeVat"], a["costPriceVatAmount"], a["costPriceAfterVat"] = amount(ps.costBefore), amount(ps.costVat), amount(ps.costAfter)
	a["recommendedRetailPriceBeforeVat"], a["recommendedRetailPriceVatAmount"], a["recommendedRetailPriceAfterVat"] = amount(ps.rrpBefore), amount(ps.rrpVat), amount(ps.rrpAfter)
	a["currency"] = defaultCurrency
}

// vatPrices applies Saudi VAT (15%) by VAT type: SG on the whole price, SM
// on the margin over the face value, OS none. Retail prices are set VAT
// included, so their VAT is taken out of them; cost VAT is added on top.
func vatPrices(vatType string, face, cost, retail int64) priceSet {
	ps := priceSet{costBefore: cost, rrpAfter: retail, rrpBefore: retail}
	switch vatType {
	case "SG":
		ps.costVat = divRound(cost*15, 100)
		ps.rrpBefore = divRound(retail*100, 115)
	case "SM":
		if cost > face {
			ps.costVat = divRound((cost-face)*15, 100)
		}
		if retail > face {
			ps.rrpBefore = retail - divRound((retail-face)*15, 115)
		}
	}
	ps.costAfter = cost + ps.costVat
	ps.rrpVat = retail - ps.rrpBefore
	return ps
}

func vatPercent(vatType string) json.Number {
	if vatType == "SG" || vatType == "SM" {
		return "15.0"
	}
	return "0.0"
}

// divRound divides non-negative a by b, rounding half up.
func divRound(a, b int64) int64 { return (a + b/2) / b }

// amount writes halalas as a JSON number with two decimals, as a Java
// double would print it.
func amount(h int64) json.Number {
	return json.Number(money.FromMinor(h, 2).StringFixed(2))
}

// halalas converts an amount to whole halalas, rounding half away from zero.
func halalas(d money.Decimal) int64 {
	n, _ := strconv.ParseInt(strings.Replace(d.StringFixed(2), ".", "", 1), 10, 64)
	return n
}
