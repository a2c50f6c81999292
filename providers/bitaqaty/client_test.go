package bitaqaty

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

// Compile-time checks of the interfaces the client implements.
var (
	_ providers.Provider       = (*Client)(nil)
	_ providers.StatusChecker  = (*Client)(nil)
	_ providers.BalanceChecker = (*Client)(nil)
	_ providers.Reconciler     = (*Client)(nil)
)

type env struct {
	sb  *Sandbox
	c   *Client
	url string
}

// newEnv starts a sandbox on loopback and a client for it. wrap, when
// given, sits in front of the sandbox (to look at requests).
func newEnv(t *testing.T, wrap func(http.Handler) http.Handler) env {
	t.Helper()
	sb := NewSandbox()
	var h http.Handler = sb
	if wrap != nil {
		h = wrap(sb)
	}
	srv, err := sandboxkit.Start("127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c, err := New(SandboxConfig(srv.URL), &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return env{sb, c, srv.URL}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func (e env) product(t *testing.T, id string) providers.Product {
	t.Helper()
	ps, err := e.c.Catalog(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("product %s not in catalogue", id)
	return providers.Product{}
}

func (e env) quote(t *testing.T, id string, fields map[string]string, amount string) providers.Quote {
	t.Helper()
	req := providers.QuoteRequest{Product: e.product(t, id), Fields: fields}
	if amount != "" {
		req.Amount = money.MustParse(amount)
	}
	q, err := e.c.Quote(ctx(t), req)
	if err != nil {
		t.Fatalf("quote %s: %v", id, err)
	}
	return q
}

func (e env) buy(t *testing.T, ref string, q providers.Quote) (providers.Result, error) {
	t.Helper()
	return e.c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Terminal: "T1", Quote: q})
}

func sar(s string) money.Money { return money.New(money.MustParse(s), "SAR") }

func wantCode(t *testing.T, err error, code string, refused bool) {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want a provider error %s", err, code)
	}
	if pe.Code != code || providers.IsRefused(err) != refused || pe.Message == "" {
		t.Fatalf("error = %+v (refused %v), want code %s refused %v", pe, providers.IsRefused(err), code, refused)
	}
}

func TestCatalog(t *testing.T) {
	e := newEnv(t, nil)
	ps, err := e.c.Catalog(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < 40 {
		t.Fatalf("%d products, want the demo catalogue of 40+", len(ps))
	}
	brands, off, bills := map[string]bool{}, 0, 0
	for _, p := range ps {
		brands[p.Brand] = true
		if p.Provider != ID || p.ID == "" || p.Name == "" || p.NameAr == "" || p.Brand == "" {
			t.Errorf("incomplete product %+v", p)
		}
		if !p.Available {
			off++
		}
		if p.Kind == providers.KindBill {
			bills++
			continue
		}
		if p.Price.Currency != "SAR" || p.Price.Amount.Sign() <= 0 || p.Cost.Amount.Sign() <= 0 || p.HowToUse == "" || p.HowToUseAr == "" {
			t.Errorf("voucher %s: price %v cost %v", p.ID, p.Price, p.Cost)
		}
	}
	for _, b := range []string{"iTunes", "Google Play", "PlayStation", "Xbox", "PUBG Mobile", "Free Fire", "STC", "Mobily", "Zain", "Netflix", "Noon"} {
		if !brands[b] {
			t.Errorf("brand %s missing", b)
		}
	}
	if off < 2 || bills != 3 {
		t.Errorf("%d unavailable, %d bill products", off, bills)
	}
	esim := e.product(t, "8101")
	if esim.Extra["isQrCode"] != "true" || esim.Extra["esimData"] != "10 GB" {
		t.Errorf("eSIM product = %+v", esim)
	}
	top := e.product(t, "333")
	if top.PriceKind != providers.PriceRange || !top.MinAmount.Equal(sar("5")) || !top.MaxAmount.Equal(sar("500")) ||
		len(top.Fields) != 1 || top.Fields[0].Kind != providers.FieldPhone || !top.Fields[0].Confirm {
		t.Errorf("top-up = %+v", top)
	}
	water := e.product(t, "124")
	if len(water.Fields) != 2 || water.Fields[0].Name != "accountNumber" || !water.Fields[1].Hidden {
		t.Errorf("water bill fields = %+v", water.Fields)
	}
	ms, err := e.c.Merchants(ctx(t))
	if err != nil || ms["101"] != "iTunes" || len(ms) < 12 {
		t.Errorf("merchants = %v, %v", ms, err)
	}
}

// VAT in the demo catalogue adds up exactly for each VAT type.
func TestSandboxVAT(t *testing.T) {
	tests := []struct {
		vat                      string
		face, cost, retail       int64
		costVat, rrpBefore, rVat int64
	}{
		{"SG", 5000, 4800, 5750, 720, 5000, 750},
		{"SM", 5000, 4850, 5100, 0, 5087, 13},
		{"OS", 375, 360, 400, 0, 400, 0},
	}
	for _, tt := range tests {
		ps := vatPrices(tt.vat, tt.face, tt.cost, tt.retail)
		if ps.costVat != tt.costVat || ps.costAfter != tt.cost+tt.costVat || ps.rrpBefore != tt.rrpBefore || ps.rrpVat != tt.rVat || ps.rrpBefore+ps.rrpVat != tt.retail {
			t.Errorf("%s: %+v", tt.vat, ps)
		}
	}
}

func TestQuoteVoucherRereadsPrice(t *testing.T) {
	e := newEnv(t, nil)
	p := e.product(t, "3201")
	if !p.Price.Equal(sar("57.50")) {
		t.Fatalf("catalogue price %v", p.Price)
	}
	e.sb.SetPrice("3201", money.MustParse("59.80"))
	q, err := e.c.Quote(ctx(t), providers.QuoteRequest{Product: p})
	if err != nil {
		t.Fatal(err)
	}
	if !q.Retail.Equal(sar("59.80")) || !q.Product.Price.Equal(sar("59.80")) || !q.RetailBeforeVAT.Equal(sar("52")) || !q.RetailVAT.Equal(sar("7.80")) {
		t.Errorf("quote retail %v / product price %v / before %v vat %v", q.Retail, q.Product.Price, q.RetailBeforeVAT, q.RetailVAT)
	}
	if !q.Cost.Equal(sar("55.20")) || !q.CostBeforeVAT.Equal(sar("48")) || !q.CostVAT.Equal(sar("7.20")) {
		t.Errorf("quote cost %v = %v + %v", q.Cost, q.CostBeforeVAT, q.CostVAT)
	}
	if q.Product.Name != "PlayStation Store 50 SAR" || q.Product.Brand != "PlayStation" || q.Product.HowToUse == "" {
		t.Errorf("quoted product = %+v", q.Product)
	}

	e.sb.SetAvailable("3201", false)
	_, err = e.c.Quote(ctx(t), providers.QuoteRequest{Product: p})
	wantCode(t, err, "NOT_AVAILABLE", true)
	if !strings.Contains(err.Error(), "product is not available") {
		t.Errorf("message = %v", err)
	}
}

func TestPurchaseVoucherAndStatus(t *testing.T) {
	e := newEnv(t, nil)
	q := e.quote(t, "2862", nil, "")
	r, err := e.buy(t, "1001", q)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != providers.Succeeded || r.ProviderRef == "" || !r.Charged.Equal(sar("48.50")) || !r.Balance.Equal(sar("4951.50")) || len(r.Vouchers) != 1 {
		t.Fatalf("result = %+v", r)
	}
	v := r.Vouchers[0]
	if v.Serial == "" || len(v.PIN) != 16 || v.Username != "" || v.Expiry == "" || v.IsQR {
		t.Errorf("voucher = %+v", v)
	}
	if e.sb.Charged("1001") != 1 || !e.sb.Balance().Equal(sar("4951.50")) {
		t.Errorf("sandbox charged %d, balance %v", e.sb.Charged("1001"), e.sb.Balance())
	}
	bal, err := e.c.Balance(ctx(t))
	if err != nil || len(bal) != 1 || !bal[0].Equal(sar("4951.50")) {
		t.Errorf("balance = %v, %v", bal, err)
	}
	s, err := e.c.Status(ctx(t), providers.SaleRef{Ref: "1001"})
	if err != nil {
		t.Fatal(err)
	}
	if s.State != providers.Succeeded || s.ProviderRef != r.ProviderRef || s.ProductID != "2862" || len(s.Vouchers) != 1 || s.Vouchers[0].PIN != v.PIN {
		t.Errorf("status = %+v", s)
	}
	s, err = e.c.Status(ctx(t), providers.SaleRef{Ref: "999999"})
	if err != nil || s.State != providers.NotFound {
		t.Errorf("unknown ref: %+v, %v", s, err)
	}
}

func TestPurchaseCredentialAndESIM(t *testing.T) {
	e := newEnv(t, nil)
	r, err := e.buy(t, "2001", e.quote(t, "7101", nil, ""))
	if err != nil || r.Vouchers[0].Username == "" || r.Vouchers[0].Serial == "" {
		t.Fatalf("noon: %+v, %v", r, err)
	}
	r, err = e.buy(t, "2002", e.quote(t, "8101", nil, ""))
	if err != nil {
		t.Fatal(err)
	}
	v := r.Vouchers[0]
	if !v.IsQR || !strings.HasPrefix(v.PIN, "https://") || v.Serial != "" || v.Username != "" ||
		len(v.Extra["iccid"]) != 19 || !strings.HasPrefix(v.Extra["lpa"], "LPA:1$") || v.Extra["matchingId"] == "" ||
		v.Extra["qrcodeUrl"] != v.PIN || v.Extra["directAppleInstallationUrl"] == "" {
		t.Errorf("eSIM voucher = %+v", v)
	}
}

func TestOutOfStockAndDuplicate(t *testing.T) {
	e := newEnv(t, nil)
	q := e.quote(t, "4204", nil, "") // stock 2
	for _, ref := range []string{"3001", "3002"} {
		if _, err := e.buy(t, ref, q); err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
	}
	_, err := e.buy(t, "3003", q)
	wantCode(t, err, codeOutOfStock, true)
	if e.sb.Charged("3003") != 0 {
		t.Error("refused sale was charged")
	}
	_, err = e.buy(t, "3001", e.quote(t, "2862", nil, ""))
	wantCode(t, err, codeDuplicateRef, false)
	if e.sb.Charged("3001") != 1 {
		t.Error("duplicate changed the first sale")
	}
	e.sb.SetStock("4204", 1)
	if _, err := e.buy(t, "3004", q); err != nil {
		t.Errorf("after SetStock: %v", err)
	}
	_, err = e.buy(t, "", q)
	wantCode(t, err, "MISSING_RESELLER_REF_NUM", true)
}

func TestInsufficientBalanceNaturally(t *testing.T) {
	e := newEnv(t, nil)
	e.sb.mu.Lock()
	e.sb.balance = 1000 // 10.00 SAR
	e.sb.mu.Unlock()
	_, err := e.buy(t, "3101", e.quote(t, "2862", nil, ""))
	wantCode(t, err, codeNoBalance, true)
}

func TestFaults(t *testing.T) {
	tests := []struct {
		fault   string
		timeout time.Duration
		check   func(t *testing.T, e env, r providers.Result, err error, took time.Duration)
	}{
		{"latency=150ms", 5 * time.Second, func(t *testing.T, e env, r providers.Result, err error, took time.Duration) {
			if err != nil || r.State != providers.Succeeded || took < 150*time.Millisecond {
				t.Errorf("latency: %v after %v", err, took)
			}
		}},
		{"out-of-stock", 5 * time.Second, func(t *testing.T, e env, _ providers.Result, err error, _ time.Duration) {
			wantCode(t, err, codeOutOfStock, true)
		}},
		{"no-balance", 5 * time.Second, func(t *testing.T, e env, _ providers.Result, err error, _ time.Duration) {
			wantCode(t, err, codeNoBalance, true)
		}},
		{"no-answer", 300 * time.Millisecond, func(t *testing.T, e env, _ providers.Result, err error, _ time.Duration) {
			if providers.IsRefused(err) || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("no-answer: %v", err)
			}
			if e.sb.Charged("4001") != 0 {
				t.Error("no-answer committed")
			}
			e.sb.Faults.Reset()
			if s, err := e.c.Status(ctx(t), providers.SaleRef{Ref: "4001"}); err != nil || s.State != providers.NotFound {
				t.Errorf("status after no-answer: %+v %v", s, err)
			}
		}},
		{"hang-after-commit", 300 * time.Millisecond, func(t *testing.T, e env, _ providers.Result, err error, _ time.Duration) {
			if providers.IsRefused(err) || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("hang-after-commit: %v", err)
			}
			foundAfter(t, e)
		}},
		{"cut-after-commit", 5 * time.Second, func(t *testing.T, e env, _ providers.Result, err error, _ time.Duration) {
			if err == nil || providers.IsRefused(err) {
				t.Errorf("cut-after-commit: %v", err)
			}
			foundAfter(t, e)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			e := newEnv(t, nil)
			q := e.quote(t, "5101", nil, "")
			if err := e.sb.Faults.Parse(tt.fault); err != nil {
				t.Fatal(err)
			}
			c, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			start := time.Now()
			r, err := e.c.Purchase(c, providers.PurchaseRequest{Ref: "4001", Quote: q})
			tt.check(t, e, r, err, time.Since(start))
		})
	}
}

// foundAfter checks that a sale committed before the answer was lost is
// found by its reference, with its PIN, and charged once.
func foundAfter(t *testing.T, e env) {
	t.Helper()
	e.sb.Faults.Reset()
	s, err := e.c.Status(ctx(t), providers.SaleRef{Ref: "4001"})
	if err != nil || s.State != providers.Succeeded || len(s.Vouchers) != 1 || s.Vouchers[0].PIN == "" {
		t.Errorf("status after lost answer: %+v, %v", s, err)
	}
	if n := e.sb.Charged("4001"); n != 1 {
		t.Errorf("charged %d times", n)
	}
}

func TestBadCredentials(t *testing.T) {
	e := newEnv(t, nil)
	q := e.quote(t, "2862", nil, "")
	cfg := SandboxConfig(e.url)
	cfg.SecretKey = secret.New("wrong-secret-value")
	c, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "5001", Quote: q})
	wantCode(t, err, codeInvalidPassword, true)
	if msg := providers.ClerkMessage(err); !strings.Contains(msg, "credentials") || strings.Contains(msg, "wrong-secret-value") {
		t.Errorf("clerk message = %q", msg)
	}
	_, err = c.Balance(ctx(t))
	wantCode(t, err, codeInvalidPassword, true)
	_, err = c.Catalog(ctx(t))
	wantCode(t, err, codeInvalidPassword, true)

	cfg = SandboxConfig(e.url)
	cfg.Username = "someone@else.test"
	c, _ = New(cfg, nil)
	_, err = c.Status(ctx(t), providers.SaleRef{Ref: "1"})
	wantCode(t, err, "INVALID_RESELLER_USERNAME", true)
}

// bodyServer answers every request with the same status and body.
func bodyServer(t *testing.T, status int, body string) *Client {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status == -1 { // answer half a body then drop the connection
			w.Header().Set("Content-Length", "500")
			_, _ = w.Write([]byte(body))
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
	srv, err := sandboxkit.Start("127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c, err := New(SandboxConfig(srv.URL), &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBadAnswers(t *testing.T) {
	q := providers.Quote{Product: providers.Product{Provider: ID, ID: "2862"}}
	tests := []struct {
		name, body, msg string
		status          int
	}{
		{"html", "<html><body>Gateway</body></html>", "web page", 200},
		{"truncated", `{"status":true,"bbTrxRefNumber":"BB1","pin":"12`, "cut off or malformed", 200},
		{"cut connection", `{"status":true,"bbTrx`, "cut off", -1},
		{"empty", ``, "empty", 200},
		{"no status", `{"pin":"1234"}`, "malformed", 200},
		{"bad price", `{"status":true,"bbTrxRefNumber":"BB1","costPriceAfterVat":"abc"}`, "malformed", 200},
		{"http 502", `<html>bad gateway</html>`, "HTTP 502", 502},
		{"http 500 json", `{"status":false,"errorCode":"500","errorMessage":"INTERNAL_SYSTEM_ERROR"}`, "HTTP 500", 500},
		{"internal error", `{"status":false,"errorCode":"500","errorMessage":"INTERNAL_SYSTEM_ERROR"}`, "internal error", 200},
		{"status false no code", `{"status":false}`, "without a documented reason", 200},
		{"other sale", `{"status":true,"resellerRefNumber":"77","costPriceAfterVat":1}`, "another sale", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := bodyServer(t, tt.status, tt.body)
			_, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "6001", Quote: q})
			if err == nil || providers.IsRefused(err) || !strings.Contains(providers.ClerkMessage(err), tt.msg) {
				t.Errorf("purchase: %v (want doubt with %q)", err, tt.msg)
			}
			if _, err := c.Catalog(ctx(t)); err == nil && !strings.HasPrefix(tt.body, `{"status":true`) {
				t.Error("catalog accepted the answer")
			}
		})
	}
	// A 4xx carrying a documented error is that error.
	c := bodyServer(t, 400, `{"status":false,"errorCode":"302","errorMessage":"INSUFFICIENT_BALANCE"}`)
	_, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "6002", Quote: q})
	wantCode(t, err, codeNoBalance, true)
}

// recorder keeps the JSON of each request by method, and checks that every
// request is a POST without an Idempotency-Key.
type recorder struct {
	bodies map[string]string
	bad    atomic.Value
}

func (rec *recorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Idempotency-Key") != "" || r.Header.Get("Content-Type") != "application/json" {
			rec.bad.Store(fmt.Sprintf("%s %s %v", r.Method, r.URL.Path, r.Header))
		}
		var buf strings.Builder
		b := make([]byte, 1<<16)
		for {
			n, err := r.Body.Read(b)
			buf.Write(b[:n])
			if err != nil {
				break
			}
		}
		rec.bodies[r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]] = buf.String()
		r.Body = http.NoBody
		r2 := r.Clone(r.Context())
		r2.Body = nopCloser{strings.NewReader(buf.String())}
		next.ServeHTTP(w, r2)
	})
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

// The server is strict about key casing; these are the seed's spellings.
func TestWireCasing(t *testing.T) {
	rec := &recorder{bodies: map[string]string{}}
	e := newEnv(t, rec.wrap)
	e.c.cfg.TerminalID = "T-7"
	if _, err := e.buy(t, "7001", e.quote(t, "2862", nil, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.buy(t, "7002", e.quote(t, "333", map[string]string{"mobileNumber": "0551234567"}, "50")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.Records(ctx(t), time.Now().Add(-time.Hour), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"detailed-products-list":      {`"merchantId":""`},
		"detailed-bill-products-list": {`"merchantId":""`},
		"product-detailed-info":       {`"productID":"2862"`},
		"purchase-product":            {`"productID":"2862"`, `"resellerRefNumber":"7001"`, `"terminalId":"T-7"`},
		"calculate-topup-amount":      {`"productId":"333"`, `"amount":50`},
		"service-bill-pay":            {`"productId":"333"`, `"terminalID":"T-7"`, `"inputParameters":{"amount":"50","mobileNumber":"0551234567"}`},
		"reconcile":                   {`"isSuccessful":"false"`, `"dateFrom":"20`},
	}
	for method, parts := range want {
		for _, part := range parts {
			if !strings.Contains(rec.bodies[method], part) {
				t.Errorf("%s request %s lacks %s", method, rec.bodies[method], part)
			}
		}
	}
	if strings.Contains(rec.bodies["service-bill-pay"], "inquireReferenceNumber") {
		t.Error("top-up payment sent an inquiry reference too")
	}
	if strings.Contains(strings.Join(mapValues(rec.bodies), " "), SandboxSecretKey) {
		t.Error("the secret key went over the wire")
	}
	if bad := rec.bad.Load(); bad != nil {
		t.Errorf("request not a plain JSON POST: %v", bad)
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestBillInquiryAndPay(t *testing.T) {
	rec := &recorder{bodies: map[string]string{}}
	e := newEnv(t, rec.wrap)
	q := e.quote(t, "123", map[string]string{"accountNumber": "30012345678"}, "")
	ref := q.Extra[extraInquireRef]
	if ref == "" || q.Cost.Amount.Sign() <= 0 || !q.Cost.Equal(q.Retail) || q.Amount.Cmp(q.Cost.Amount) != 0 {
		t.Fatalf("quote = %+v", q)
	}
	for _, part := range []string{"Customer:", "Account: 30012345678", "Due date: 20", "Bill amount: " + q.Cost.String()} {
		if !strings.Contains(q.Info, part) {
			t.Errorf("info %q lacks %q", q.Info, part)
		}
	}
	r, err := e.buy(t, "8001", q)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != providers.Succeeded || r.ProviderRef == "" || !r.Charged.Equal(q.Cost) || len(r.Vouchers) != 1 ||
		r.Vouchers[0].Reference != r.ProviderRef || r.Vouchers[0].Extra["billStatus"] != "PAID" {
		t.Errorf("result = %+v", r)
	}
	body := rec.bodies["service-bill-pay"]
	if !strings.Contains(body, `"inquireReferenceNumber":"`+ref+`"`) || strings.Contains(body, "productId") || strings.Contains(body, "inputParameters") {
		t.Errorf("bill payment sent %s", body)
	}
	if s, err := e.c.Status(ctx(t), providers.SaleRef{Ref: "8001"}); err != nil || s.State != providers.Succeeded ||
		len(s.Vouchers) != 1 || s.Vouchers[0].Reference != r.Vouchers[0].Reference || s.ProductID != "123" {
		t.Errorf("status: %+v, %v", s, err)
	}
	// The same inquiry cannot pay twice.
	_, err = e.buy(t, "8002", q)
	wantCode(t, err, codeDuplicateInquiry, false)

	_, err = e.c.Quote(ctx(t), providers.QuoteRequest{Product: e.product(t, "123"), Fields: map[string]string{"accountNumber": "30012340000"}})
	wantCode(t, err, "NO_DUE_BILLS", true)
	_, err = e.c.Quote(ctx(t), providers.QuoteRequest{Product: e.product(t, "123"), Fields: map[string]string{"accountNumber": "12"}})
	wantCode(t, err, "FAILED", true)
	_, err = e.c.Quote(ctx(t), providers.QuoteRequest{Product: e.product(t, "123")})
	wantCode(t, err, "MISSING_INPUT_PARAMETERS", true)
	// The water bill sends its hidden field's default.
	e.quote(t, "124", map[string]string{"accountNumber": "1234567890"}, "")
	if !strings.Contains(rec.bodies["service-bill-inquire"], `"serviceType":"WATER"`) {
		t.Errorf("hidden default not sent: %s", rec.bodies["service-bill-inquire"])
	}
	_, err = e.buy(t, "8003", providers.Quote{Product: e.product(t, "123")})
	wantCode(t, err, "MISSING_INQUIRE_REF_NUM_OR_PRODUCT_CODE", true)
}

func TestTopUp(t *testing.T) {
	e := newEnv(t, nil)
	q := e.quote(t, "333", map[string]string{"mobileNumber": "0551234567"}, "100")
	if !q.Retail.Equal(sar("100")) || !q.RetailBeforeVAT.Equal(sar("86.96")) || !q.Cost.Equal(sar("98.00")) || q.Amount.Cmp(money.FromInt(100)) != 0 || q.Info == "" {
		t.Errorf("quote = retail %v (%v) cost %v amount %v", q.Retail, q.RetailBeforeVAT, q.Cost, q.Amount)
	}
	r, err := e.buy(t, "9001", q)
	if err != nil || r.State != providers.Succeeded || !r.Charged.Equal(q.Cost) || r.ProviderRef == "" {
		t.Fatalf("top-up: %+v, %v", r, err)
	}
	if !e.sb.Balance().Equal(sar("4902.00")) {
		t.Errorf("balance %v", e.sb.Balance())
	}
	p := e.product(t, "333")
	for _, amt := range []string{"3", "600"} {
		_, err := e.c.Quote(ctx(t), providers.QuoteRequest{Product: p, Amount: money.MustParse(amt)})
		wantCode(t, err, "INVALID_AMOUNT", true)
	}
	// The sandbox's own minimum check answers 102 INVALID_AMOUNT.
	p.MinAmount = money.Money{}
	c := *e.c
	_, err = c.sale(ctx(t), "calculate-topup-amount", "", map[string]any{
		"resellerUsername": SandboxUsername, "password": c.sign("333"), "productId": "333", "amount": 4,
	})
	wantCode(t, err, "INVALID_AMOUNT", true)
}

func TestRecords(t *testing.T) {
	e := newEnv(t, nil)
	start := time.Now().Add(-time.Minute)
	q := e.quote(t, "4204", nil, "")
	for _, ref := range []string{"10001", "10002"} {
		if _, err := e.buy(t, ref, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.buy(t, "10003", q); !providers.IsRefused(err) {
		t.Fatalf("third sale of a stock-2 product: %v", err)
	}
	if err := e.sb.AddRecord("10004", "2862", time.Now().Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	recs, err := e.c.Records(ctx(t), start, time.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]providers.Record{}
	for _, r := range recs {
		got[r.Ref] = r
	}
	if len(recs) != 3 || got["10001"].State != providers.Succeeded || got["10002"].ProviderRef == "" ||
		!got["10001"].Charged.Equal(sar("35.60")) || got["10001"].Serial == "" || got["10001"].At.IsZero() ||
		got["10003"].State != providers.Failed || got["10001"].ProductID != "4204" {
		t.Errorf("records = %+v", recs)
	}
	// An empty period is no records, not an error.
	recs, err = e.c.Records(ctx(t), start.Add(-time.Hour), start.Add(-30*time.Minute))
	if err != nil || len(recs) != 0 {
		t.Errorf("empty period: %v, %v", recs, err)
	}
	// A period over the export limit is split.
	for i, ref := range []string{"10005", "10006"} {
		if err := e.sb.AddRecord(ref, "2862", time.Now().Add(-time.Duration(12*(i+1))*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	e.sb.mu.Lock()
	e.sb.exportLimit = 1
	e.sb.mu.Unlock()
	recs, err = e.c.Records(ctx(t), time.Now().Add(-72*time.Hour), time.Now().Add(-time.Hour))
	if err != nil || len(recs) != 3 {
		t.Errorf("split period: %d records, %v", len(recs), err)
	}
}

func TestSecured(t *testing.T) {
	bb, reseller := testKeys(t)
	for _, padding := range paddings {
		t.Run(padding, func(t *testing.T) {
			rec := &recorder{bodies: map[string]string{}}
			e := newEnv(t, rec.wrap)
			e.sb.EnableSecured(bb, &reseller.PublicKey, padding)
			pub, priv := writeKeys(t, bb, reseller, padding == PaddingOAEPSHA1)
			cfg := SandboxConfig(e.url)
			cfg.Secured, cfg.Padding, cfg.BitaqatyPublicKeyFile, cfg.ResellerPrivateKeyFile = true, padding, pub, priv
			c, err := New(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.Info().Note != "secured" {
				t.Errorf("info = %+v", c.Info())
			}
			// The catalogue is hundreds of RSA blocks: read it once securely.
			if padding == PaddingPKCS1v15 {
				ps, err := c.Catalog(ctx(t))
				if err != nil || len(ps) < 40 {
					t.Fatalf("catalog: %d, %v", len(ps), err)
				}
			} else if ms, err := c.Merchants(ctx(t)); err != nil || len(ms) < 12 {
				t.Fatalf("merchants: %v, %v", ms, err)
			}
			q, err := c.Quote(ctx(t), providers.QuoteRequest{Product: e.product(t, "2862")})
			if err != nil {
				t.Fatal(err)
			}
			r, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "11001", Quote: q})
			if err != nil || r.State != providers.Succeeded || r.Vouchers[0].PIN == "" {
				t.Fatalf("purchase: %+v, %v", r, err)
			}
			if s, err := c.Status(ctx(t), providers.SaleRef{Ref: "11001"}); err != nil || s.Vouchers[0].PIN != r.Vouchers[0].PIN {
				t.Errorf("status: %+v, %v", s, err)
			}
			if s, err := c.Status(ctx(t), providers.SaleRef{Ref: "404"}); err != nil || s.State != providers.NotFound {
				t.Errorf("status of unknown: %+v, %v", s, err)
			}
			_, err = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "11001", Quote: q})
			wantCode(t, err, codeDuplicateRef, false)
			if recs, err := c.Records(ctx(t), time.Now().Add(-time.Hour), time.Now().Add(time.Hour)); err != nil || len(recs) != 1 {
				t.Errorf("records: %v, %v", recs, err)
			}
			body := rec.bodies["purchase-product"]
			if !strings.Contains(body, `"encryptedData":"`) || strings.Contains(body, "11001") {
				t.Errorf("secured request in the clear: %s", body)
			}
		})
	}
	// A padding mismatch is a clear error, and a doubt for a purchase.
	e := newEnv(t, nil)
	e.sb.EnableSecured(bb, &reseller.PublicKey, PaddingOAEPSHA256)
	pub, priv := writeKeys(t, bb, reseller, false)
	cfg := SandboxConfig(e.url)
	cfg.Secured, cfg.BitaqatyPublicKeyFile, cfg.ResellerPrivateKeyFile = true, pub, priv
	c, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Balance(ctx(t))
	if err == nil || providers.IsRefused(err) {
		t.Errorf("padding mismatch: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	good := SandboxConfig("https://bbapi.ocstaging.net")
	tests := []struct {
		key  string
		edit func(*Config)
	}{
		{"", func(*Config) {}},
		{"base_url", func(c *Config) { c.BaseURL = "" }},
		{"base_url", func(c *Config) { c.BaseURL = "ftp://bbapi.ocstaging.net" }},
		{"base_url", func(c *Config) { c.BaseURL = "https://" }},
		{"base_url", func(c *Config) { c.BaseURL = "bbapi.ocstaging.net" }},
		{"username", func(c *Config) { c.Username = " " }},
		{"secret_key", func(c *Config) { c.SecretKey = secret.Value{} }},
		{"terminal_id", func(c *Config) { c.TerminalID = strings.Repeat("x", 256) }},
		{"padding", func(c *Config) { c.Padding = "oaep" }},
		{"bitaqaty_public_key_file", func(c *Config) { c.Secured = true }},
		{"reseller_private_key_file", func(c *Config) { c.Secured, c.BitaqatyPublicKeyFile = true, "k.pem" }},
	}
	for _, tt := range tests {
		c := good
		tt.edit(&c)
		err := c.Validate()
		if tt.key == "" && err != nil || tt.key != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.key+":")) {
			t.Errorf("want %q error, got %v", tt.key, err)
		}
	}
	cfg := good
	cfg.Secured, cfg.BitaqatyPublicKeyFile, cfg.ResellerPrivateKeyFile = true, "/nonexistent/pub.pem", "/nonexistent/priv.key"
	if _, err := New(cfg, nil); err == nil || !strings.Contains(err.Error(), "bitaqaty_public_key_file") {
		t.Errorf("missing key file: %v", err)
	}
	if s := fmt.Sprintf("%+v", good); strings.Contains(s, SandboxSecretKey) {
		t.Error("config prints its secret")
	}
}

func TestSandboxChecksPasswordsAndInput(t *testing.T) {
	e := newEnv(t, nil)
	call := func(method string, body map[string]any) error {
		_, err := e.c.sale(ctx(t), method, "", body)
		return err
	}
	u := SandboxUsername
	tests := []struct {
		method string
		body   map[string]any
		code   string
	}{
		{"check-balance", map[string]any{"password": "x"}, "MISSING_RESELLER_USERNAME"},
		{"check-balance", map[string]any{"resellerUsername": u}, "MISSING_PASSWORD"},
		{"purchase-product", map[string]any{"resellerUsername": u, "password": e.c.sign("2862", "1"), "productId": "2862", "resellerRefNumber": "1"}, "MISSING_PRODUCT_CODE"},
		{"purchase-product", map[string]any{"resellerUsername": u, "password": e.c.sign("1", "2862"), "productID": "2862", "resellerRefNumber": "1"}, codeInvalidPassword},
		{"purchase-product", map[string]any{"resellerUsername": u, "password": e.c.sign("9", "1"), "productID": "9", "resellerRefNumber": "1"}, "INVALID_PRODUCT_CODE"},
		{"purchase-product", map[string]any{"resellerUsername": u, "password": e.c.sign("2862", strings.Repeat("1", 51)), "productID": "2862", "resellerRefNumber": strings.Repeat("1", 51)}, "INVALID_RESELLER_REF_NUM"},
		{"product-detailed-info", map[string]any{"resellerUsername": u, "password": e.c.sign("2862"), "productId": "2862"}, "MISSING_PRODUCT_CODE"},
		{"detailed-products-list", map[string]any{"resellerUsername": u, "password": e.c.sign("abc"), "merchantId": "abc"}, "INVALID_MERCHANT_ID"},
		{"detailed-products-list", map[string]any{"resellerUsername": u, "password": e.c.sign("999"), "merchantId": "999"}, codeNoProducts},
		{"service-bill-pay", map[string]any{"resellerUsername": u, "password": e.c.sign("1"), "resellerRefNumber": "1", "inquireReferenceNumber": "x", "productId": "333"}, "MISSING_INQUIRE_REF_NUM_OR_PRODUCT_CODE"},
		{"service-bill-pay", map[string]any{"resellerUsername": u, "password": e.c.sign("1"), "resellerRefNumber": "1", "inquireReferenceNumber": "x"}, "INVALID_INQUIRE_REF_NUM"},
		{"service-bill-pay", map[string]any{"resellerUsername": u, "password": e.c.sign("1"), "resellerRefNumber": "1", "productId": "333", "inputParameters": map[string]string{"mobileNumber": "0551234567"}}, "MISSING_AMOUNT"},
		{"reconcile", map[string]any{"resellerUsername": u, "password": e.c.sign("2024-01-01", "2024-01-02", "true"), "dateFrom": "2024-01-01", "dateTo": "2024-01-02", "isSuccessful": "true"}, "INVALID_DATE_FORMAT"},
		{"reconcile", map[string]any{"resellerUsername": u, "password": e.c.sign("2024-01-01 00:00:00", "2024-01-02 00:00:00", "yes"), "dateFrom": "2024-01-01 00:00:00", "dateTo": "2024-01-02 00:00:00", "isSuccessful": "yes"}, "INVALID_IS_SUCCESSFUL"},
		{"reconcile", map[string]any{"resellerUsername": u, "password": e.c.sign("2024-01-01 00:00:00", "2024-01-02 00:00:00", "true"), "dateFrom": "2024-01-01 00:00:00", "dateTo": "2024-01-02 00:00:00"}, "MISSING_IS_SUCCESSFUL"},
	}
	for _, tt := range tests {
		err := call(tt.method, tt.body)
		var pe *providers.Error
		if !errors.As(err, &pe) || pe.Code != tt.code {
			t.Errorf("%s %v: %v, want %s", tt.method, tt.body, err, tt.code)
		}
	}
	if !strings.Contains(e.sb.Credentials(), SandboxUsername) {
		t.Error("credentials line lacks the username")
	}
}

// Concurrent sales of a product with two cards left: exactly two succeed,
// the others are refused, and each reference is charged at most once.
func TestConcurrentPurchases(t *testing.T) {
	e := newEnv(t, nil)
	q := e.quote(t, "4204", nil, "")
	type out struct {
		ref string
		err error
	}
	results := make(chan out, 12)
	for i := range 12 {
		go func() {
			ref := fmt.Sprint(12000 + i)
			_, err := e.c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Quote: q})
			results <- out{ref, err}
		}()
	}
	sold := 0
	for range 12 {
		r := <-results
		switch {
		case r.err == nil:
			sold++
		case !providers.IsRefused(r.err):
			t.Errorf("%s: %v", r.ref, r.err)
		}
		if n := e.sb.Charged(r.ref); n > 1 || (n == 1) != (r.err == nil) {
			t.Errorf("%s charged %d times (err %v)", r.ref, n, r.err)
		}
	}
	if sold != 2 || !e.sb.Balance().Equal(sar("4928.80")) {
		t.Errorf("sold %d, balance %v", sold, e.sb.Balance())
	}
}

// product-detailed-info may leave out names; the catalogue's stay.
func TestQuoteKeepsCatalogueFacts(t *testing.T) {
	c := bodyServer(t, 200, `{"status":true,"productID":2862,"costPriceAfterVat":48.5,"recommendedRetailPriceAfterVat":52}`)
	old := providers.Product{Provider: ID, ID: "2862", Name: "iTunes 50 SAR", Brand: "iTunes", Category: "Gift Cards", Extra: map[string]string{"x": "y"}}
	q, err := c.Quote(ctx(t), providers.QuoteRequest{Product: old})
	if err != nil {
		t.Fatal(err)
	}
	if p := q.Product; p.Name != old.Name || p.Brand != "iTunes" || p.Category != "Gift Cards" || p.Extra["x"] != "y" || !p.Price.Equal(sar("52")) {
		t.Errorf("quoted product = %+v", p)
	}
	c = bodyServer(t, 200, `{"status":true,"productID":2863,"costPriceAfterVat":48.5}`)
	if _, err := c.Quote(ctx(t), providers.QuoteRequest{Product: old}); err == nil || providers.IsRefused(err) {
		t.Errorf("answer about another product: %v", err)
	}
}
