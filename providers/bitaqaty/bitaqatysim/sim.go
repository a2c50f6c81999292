// Package bitaqatysim is a Bitaqaty Business reseller API simulator written
// from the seed document alone (seeds/bitaqaty-business-reseller-api.txt,
// "Reseller Integration V2"). Comments "seed L<n>" give the seed line each
// route, field check and answer template comes from.
//
// It serves the plain API, POST {base}/integration/{method} with a JSON body
// (seed L73-L1435), and, after EnableSecured, the RSA secured-integration
// variant POST {base}/secured-integration/{method} for the seven methods the
// seed documents there (L1436-L2244). Every answer is HTTP 200 with the
// seed's body (L146 "For successful API call, response code will be 200");
// paths the seed does not have answer a generic HTTP 404.
package bitaqatysim

import (
	"crypto/md5"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
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
)

// Demo credentials (the old sandbox's), printed by `kiosk sandbox`.
const (
	Username  = "kiosk@sandbox.test"
	SecretKey = "sandbox-secret"
)

// Currency is the demo reseller's currency (seed L114 "Reseller currency").
const Currency = "SAR"

// OpeningBalance is the demo account's opening balance in halalas (5000.00 SAR).
const OpeningBalance = 500000

// ExportLimit is how many records one reconcile answer may carry before the
// seed's EXCEED_EXPORT_LIMIT (L1293).
const ExportLimit = 1000

// ExtensionNames lists the extension routes this simulator can serve. The
// seed describes every method the kiosk uses (PROVIDERS.md marks no
// Bitaqaty request as an extension), so there are none.
var ExtensionNames = []string{}

// Options configure a Server.
type Options struct {
	// Now is the clock; nil means time.Now. Every time in an answer and
	// the HTTP Date header come from it.
	Now func() time.Time
	// Extensions lists extension routes to serve; this simulator has none,
	// so any name is refused.
	Extensions []string
}

// Server is the simulator. It is safe for concurrent use.
type Server struct {
	// Faults are switched at run time by tests and `kiosk sandbox --fault`.
	Faults *sandboxkit.Faults

	mu          sync.Mutex
	now         func() time.Time
	balance     int64 // halalas
	products    map[string]*product
	order       []*product
	merchants   map[int]*merchant
	mOrder      []*merchant
	sales       map[string]*sale // committed, by resellerRefNumber
	log         []*sale          // committed and refused purchases, in order (reconcile)
	inquiries   map[string]*inquiry
	seq         int64
	rnd         *rand.Rand
	exportLimit int
	generated   int
	sec         *securedKeys
}

type merchant struct {
	id           int
	en, ar       string
	catEn, catAr string
	howEn, howAr string
	pin          pinStyle
	bill, esim   bool
}

type product struct {
	id        string
	merchant  *merchant
	en, ar    string
	vatType   string
	face      int64
	cost      int64
	retail    int64
	stockLeft int
	off       bool
	kind      int
	esim      *esimSpec
	bill      bool
	inquiry   bool
	form      []fieldDef
}

type sale struct {
	ref, bbRef, terminal string
	product              *product
	at                   time.Time
	ok                   bool
	price                priceSet
	serial, pin, user    string
	expiry               time.Time
	qr                   bool
	esim                 *esimItem
	balanceAfter         int64
	bill                 bool
	itemID               int64
	inquireRef           string
}

type esimItem struct{ iccid, lpa, matchingID, qrcodeURL, qrcode, appleURL string }

type inquiry struct {
	ref     string
	product *product
	price   priceSet
	used    bool
}

// New returns a simulator with the demo catalogue, 5000.00 SAR and the demo
// credentials. It refuses unknown extension names.
func New(opt Options) (*Server, error) {
	if len(opt.Extensions) > 0 {
		return nil, fmt.Errorf("bitaqatysim: unknown extension %q (this simulator has none: the seed covers every method)", opt.Extensions[0])
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	s := &Server{
		Faults:      &sandboxkit.Faults{},
		now:         now,
		balance:     OpeningBalance,
		products:    make(map[string]*product, len(demoProducts)),
		merchants:   make(map[int]*merchant, len(demoMerchants)),
		sales:       map[string]*sale{},
		inquiries:   map[string]*inquiry{},
		rnd:         rand.New(rand.NewPCG(2862, 333)), // the old sandbox's seed: same PINs in the same order
		exportLimit: ExportLimit,
	}
	for _, d := range demoMerchants {
		m := &merchant{id: d.id, en: d.en, ar: d.ar, catEn: d.catEn, catAr: d.catAr, howEn: d.howEn, howAr: d.howAr, pin: d.pin, bill: d.bill, esim: d.esim}
		s.merchants[m.id] = m
		s.mOrder = append(s.mOrder, m)
	}
	for _, d := range demoProducts {
		p := &product{
			id: d.id, merchant: s.merchants[d.merchant], en: d.en, ar: d.ar, vatType: d.vatType,
			face: d.face, cost: d.cost, retail: d.retail, stockLeft: d.stock, off: d.off, kind: d.kind,
			esim: d.esim, bill: d.bill, inquiry: d.inquiry, form: d.form,
		}
		s.products[p.id] = p
		s.order = append(s.order, p)
	}
	return s, nil
}

// SetClock replaces the clock (nil: time.Now), for callers that share one
// clock across simulators after New.
func (s *Server) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// Credentials is the line `kiosk sandbox` prints.
func (s *Server) Credentials() string {
	return fmt.Sprintf("bitaqaty: username %s, secret key %s", Username, SecretKey)
}

// EnableSecured serves the secured-integration variant: requests are
// decrypted with bitaqatyPriv, answers encrypted for resellerPub, with the
// given padding (one of Paddings; "" means pkcs1v15). An unknown padding
// makes every secured request fail with HTTP 500.
func (s *Server) EnableSecured(bitaqatyPriv *rsa.PrivateKey, resellerPub *rsa.PublicKey, padding string) {
	if padding == "" {
		padding = PaddingPKCS1v15
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sec = &securedKeys{bitaqaty: bitaqatyPriv, reseller: resellerPub, padding: padding}
}

// Charged reports how many purchases were committed under ref (0 or 1: a
// second use of a reference is refused as a duplicate).
func (s *Server) Charged(ref string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sales[ref]; ok {
		return 1
	}
	return 0
}

// SetPrice changes a product's recommended retail price (VAT included).
func (s *Server) SetPrice(productID string, retailAfterVat money.Decimal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.products[productID]; p != nil {
		p.retail = halalas(retailAfterVat)
	}
}

// SetStock sets how many vouchers of a product are left.
func (s *Server) SetStock(productID string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.products[productID]; p != nil {
		p.stockLeft = n
	}
}

// SetAvailable lists a product as available or not (seed L226-L229).
// Purchases of an unavailable product answer OUT_OF_STOCK.
func (s *Server) SetAvailable(productID string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.products[productID]; p != nil {
		p.off = !ok
	}
}

// Balance is the demo account's balance.
func (s *Server) Balance() money.Money {
	s.mu.Lock()
	defer s.mu.Unlock()
	return money.New(money.FromMinor(s.balance, 2), Currency)
}

// AddRecord commits a voucher sale at time at without a request, as if
// another program had sold it (end-of-day reconciliation tests).
func (s *Server) AddRecord(ref, productID string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.products[productID]
	switch {
	case p == nil || p.bill:
		return fmt.Errorf("bitaqatysim: no voucher product %s", productID)
	case s.sales[ref] != nil:
		return fmt.Errorf("bitaqatysim: reference %s already used", ref)
	}
	s.commitVoucher(ref, "", p).at = at
	return nil
}

// Generate adds n generated voucher products (deterministic: the same calls
// give the same catalogue) across 50 generated merchants, for start-up and
// search benchmarks. Product ids start at GenProductBase, merchant ids at
// GenMerchantBase.
func (s *Server) Generate(n int) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gm := make([]*merchant, len(genBrands))
	for i, b := range genBrands {
		id := GenMerchantBase + i
		m := s.merchants[id]
		if m == nil {
			m = &merchant{
				id: id, en: b.en, ar: b.ar, catEn: b.catEn, catAr: catAr[b.catEn],
				howEn: "Redeem the code on the " + b.en + " website or app.",
				howAr: "استرد الرمز من موقع أو تطبيق " + b.ar + ".",
				pin:   b.pin,
			}
			s.merchants[id] = m
			s.mOrder = append(s.mOrder, m)
		}
		gm[i] = m
	}
	if len(s.products)+n > 2*len(s.products) {
		grown := make(map[string]*product, len(s.products)+n)
		for k, v := range s.products {
			grown[k] = v
		}
		s.products = grown
	}
	block := make([]product, n)
	s.order = append(make([]*product, 0, len(s.order)+n), s.order...)
	var buf []byte
	for j := range block {
		p := &block[j]
		buf = genProduct(s.generated+j, p, gm, buf)
		s.products[p.id] = p
		s.order = append(s.order, p)
	}
	s.generated += n
}

// ---- HTTP ----

type method struct {
	handle  func(s *Server, c *call) *reply
	secured bool // also under /secured-integration/ (seed L1436-L2244)
}

// methods are the seed's routes; Stage URLs .../integration/<name>.
var methods = map[string]method{
	"check-balance":               {(*Server).checkBalance, true},      // seed L75-L80; secured L1441-L1446
	"detailed-products-list":      {(*Server).productsList, true},      // seed L162-L167; secured L1537-L1542
	"detailed-bill-products-list": {(*Server).billProductsList, false}, // seed L315-L320
	"service-bill-inquire":        {(*Server).billInquire, false},      // seed L458-L463
	"calculate-topup-amount":      {(*Server).topupAmount, false},      // seed L574-L579
	"service-bill-pay":            {(*Server).billPay, false},          // seed L666-L671
	"product-detailed-info":       {(*Server).productInfo, true},       // seed L817-L822; secured L1658-L1663
	"purchase-product":            {(*Server).purchase, true},          // seed L964-L969; secured L1783-L1788
	"check-transaction-status":    {(*Server).transactionStatus, true}, // seed L1111-L1116; secured L1914-L1919
	"reconcile":                   {(*Server).reconcile, true},         // seed L1228-L1233; secured L2038-L2043
	"get-merchant-list":           {(*Server).merchantList, true},      // seed L1335-L1340; secured L2150-L2155
}

// call is one request being answered.
type call struct {
	w       http.ResponseWriter
	r       *http.Request
	req     params
	secured bool
	noTimes bool // calculate-topup-amount's answer table has no server times (seed L599-L614)
	now     func() time.Time
}

// reply is a complete answer body; nil means the fault switches took the
// request over and nothing may be written.
type reply struct {
	ok   bool
	body []byte
}

// ServeHTTP answers {base}/integration/{method} and, once EnableSecured
// was called, {base}/secured-integration/{method}.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Faults.Delay(r.Context())
	s.mu.Lock()
	now, sec := s.now, s.sec
	s.mu.Unlock()
	w.Header().Set("Date", now().UTC().Format(http.TimeFormat))

	name, secured := "", false
	if n, ok := strings.CutPrefix(r.URL.Path, "/integration/"); ok {
		name = n
	} else if n, ok := strings.CutPrefix(r.URL.Path, "/secured-integration/"); ok && sec != nil {
		name, secured = n, true
	}
	m, ok := methods[name]
	if !ok || secured && !m.secured {
		notFound(w)
		return
	}
	if r.Method != http.MethodPost { // seed: every example is requests.post / 'POST' (L143, L936)
		w.Header().Set("Allow", http.MethodPost)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = io.WriteString(w, `{"msg":"Method Not Allowed"}`)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return
	}
	c := &call{w: w, r: r, secured: secured, noTimes: name == "calculate-topup-amount", now: now}
	if secured {
		s.serveSecured(c, m, sec, body)
		return
	}
	var rep *reply
	if c.req, err = parseParams(body); err != nil {
		rep = s.fail(c, errInternal) // seed L124: 500 INTERNAL_SYSTEM_ERROR
	} else {
		rep = m.handle(s, c)
	}
	if rep != nil {
		writeJSON(w, rep.body)
	}
}

// serveSecured opens {resellerUsername, encryptedData} (seed L1459-L1465),
// runs the plain method on the decrypted JSON and answers {status, data}
// (seed L1470-L1475), the data encrypted for the reseller's public key.
func (s *Server) serveSecured(c *call, m method, sec *securedKeys, body []byte) {
	if _, err := oaepOptions(sec.padding); err != nil {
		http.Error(c.w, "bitaqatysim: "+err.Error(), http.StatusInternalServerError)
		return
	}
	rep := func() *reply {
		outer, err := parseParams(body)
		if err != nil {
			return s.fail(c, errInternal)
		}
		user, _ := outer.text("resellerUsername") // seed L1460
		enc, _ := outer.text("encryptedData")     // seed L1461
		switch {
		case user == "":
			return s.fail(c, errMissingUser)
		case user != Username:
			return s.fail(c, errInvalidUser)
		case enc == "":
			return s.fail(c, errInternal)
		}
		raw, err := decodeBase64(enc)
		if err != nil {
			return s.fail(c, errInternal)
		}
		plain, err := decryptBlocks(sec.bitaqaty, sec.padding, raw)
		if err != nil {
			return s.fail(c, errInternal)
		}
		if c.req, err = parseParams(plain); err != nil {
			return s.fail(c, errInternal)
		}
		if inner, _ := c.req.text("resellerUsername"); inner != "" && inner != user {
			return s.fail(c, errInvalidUser)
		}
		return m.handle(s, c)
	}()
	if rep == nil {
		return
	}
	data, err := encryptBlocks(sec.reseller, sec.padding, rep.body)
	if err != nil {
		http.Error(c.w, "bitaqatysim: encrypt answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	o := newObj()
	o.boolean("status", rep.ok)                            // seed L1471
	o.str("data", base64.StdEncoding.EncodeToString(data)) // seed L1475
	writeJSON(c.w, o.bytes())
}

func writeJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write(body)
}

// notFound is what a web server says for a path it does not have: a
// generic 404, never the provider's documented error body.
func notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, `{"msg":"Not Found"}`)
}

// ---- request parameters ----

type params map[string]json.RawMessage

func parseParams(body []byte) (params, error) {
	var p params
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, fmt.Errorf("request body is not a JSON object")
	}
	return p, nil
}

// has reports whether key is present at all (even null or empty).
func (p params) has(key string) bool {
	_, ok := p[key]
	return ok
}

// text reads a scalar under its exact key: a string's content, a number's
// text, true/false. The seed's samples send numbers both ways (productID
// '2862' at L1089, amount 100 at L647). ok is false when the key is absent,
// null, empty, or not a scalar. Keys are matched exactly: the server is
// strict about casing (productID vs productId).
func (p params) text(key string) (string, bool) {
	raw, present := p[key]
	if !present {
		return "", false
	}
	v := strings.TrimSpace(string(raw))
	switch {
	case v == "null" || v == "":
		return "", false
	case v[0] == '"':
		var str string
		if json.Unmarshal(raw, &str) != nil || str == "" {
			return "", false
		}
		return str, true
	case v[0] == '{' || v[0] == '[':
		return "", false
	}
	return v, true
}

// ---- answers ----

// apiErr is one row of a seed error table: code, message, description.
type apiErr struct{ code, msg, desc string }

// ksa is Saudi time (UTC+3, no daylight saving), the server's zone.
var ksa = time.FixedZone("AST", 3*60*60)

// wireTime is the seed's date-time format (L1252, L1290: yyyy-mm-dd hh:mm:ss).
const wireTime = "2006-01-02 15:04:05"

// begin starts an answer: requestSrvTime, responseSrvTime, status, in the
// order every answer table of the seed starts with (e.g. L104-L109).
func (s *Server) begin(c *call, ok bool) *obj {
	o := newObj()
	if !c.noTimes {
		t := c.now().In(ksa).Format(wireTime)
		o.str("requestSrvTime", t)  // seed L104
		o.str("responseSrvTime", t) // seed L105
	}
	o.boolean("status", ok) // seed L106-L108
	return o
}

func (s *Server) done(o *obj, ok bool) *reply { return &reply{ok: ok, body: o.bytes()} }

// fail is an error answer: status false, errorCode (a String, seed L110),
// errorMessage and errorDesc from the method's error table.
func (s *Server) fail(c *call, e apiErr) *reply {
	o := s.begin(c, false)
	o.str("errorCode", e.code)   // seed L110
	o.str("errorMessage", e.msg) // seed L111
	o.str("errorDesc", e.desc)   // seed L112
	return s.done(o, false)
}

// password is the seed's signature: lowercase hex MD5 of the reseller
// username, the method's fields and the secret key, joined with nothing
// between them (seed L96, L184, L480, L595, L688, L839, L985, L1132, L1249).
func password(user, secret string, fields ...string) string {
	h := md5.New()
	_, _ = io.WriteString(h, user)
	for _, f := range fields {
		_, _ = io.WriteString(h, f)
	}
	_, _ = io.WriteString(h, secret)
	return hex.EncodeToString(h.Sum(nil))
}

// auth checks resellerUsername and password (seed L94-L98 and every
// method's 101/102/201/202 rows); fields are the method's signed values.
func (s *Server) auth(c *call, t errTable, fields ...string) *reply {
	user, _ := c.req.text("resellerUsername")
	pw, _ := c.req.text("password")
	switch {
	case user == "":
		return s.fail(c, t.get("101"))
	case pw == "":
		return s.fail(c, t.get("102"))
	case user != Username:
		return s.fail(c, t.get("201"))
	case pw != password(Username, SecretKey, fields...):
		return s.fail(c, t.get("202"))
	}
	return nil
}

// priceSet is the six price fields (seed L219-L224), in halalas.
type priceSet struct{ costBefore, costVat, costAfter, rrpBefore, rrpVat, rrpAfter int64 }

func (ps priceSet) put(o *obj) {
	o.amount("costPriceBeforeVat", ps.costBefore)             // seed L219
	o.amount("costPriceVatAmount", ps.costVat)                // seed L220
	o.amount("costPriceAfterVat", ps.costAfter)               // seed L221
	o.amount("recommendedRetailPriceBeforeVat", ps.rrpBefore) // seed L222
	o.amount("recommendedRetailPriceVatAmount", ps.rrpVat)    // seed L223
	o.amount("recommendedRetailPriceAfterVat", ps.rrpAfter)   // seed L224
}

// vatPrices applies Saudi VAT (15%) by VAT type (seed L61-L66): SG on the
// whole price, SM on the margin over the face value, OS none. Retail prices
// are set VAT included, so their VAT is taken out of them; cost VAT is
// added on top. (The old sandbox's arithmetic: demo prices stay the same.)
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

func vatPercent(vatType string) string {
	if vatType == "SG" || vatType == "SM" {
		return "15.0"
	}
	return "0.0"
}

// divRound divides non-negative a by b, rounding half up.
func divRound(a, b int64) int64 { return (a + b/2) / b }

// halalas converts an amount to whole halalas, rounding half away from zero.
func halalas(d money.Decimal) int64 {
	n, _ := strconv.ParseInt(strings.Replace(d.StringFixed(2), ".", "", 1), 10, 64)
	return n
}
