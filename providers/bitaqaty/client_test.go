package bitaqaty

// Contract tests: the client against bitaqatysim (written from the seed
// alone) over real HTTP on loopback. The simulator runs on a fake clock, so
// no test depends on today's date.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/bitaqaty/bitaqatysim"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

// Compile-time checks of the interfaces the client implements: every one
// of them is in the seed.
var (
	_ providers.Provider       = (*Client)(nil)
	_ providers.StatusChecker  = (*Client)(nil)
	_ providers.BalanceChecker = (*Client)(nil)
	_ providers.Reconciler     = (*Client)(nil)
)

type env struct {
	sim *bitaqatysim.Server
	c   *Client
	url string
	clk *clock.Fake
}

// simConfig is the client configuration for a simulator at base, built
// from its exported credentials.
func simConfig(base string) Config {
	return Config{BaseURL: base, Username: bitaqatysim.Username, SecretKey: secret.New(bitaqatysim.SecretKey), Sandbox: true}
}

// newEnv starts a simulator on loopback, on a fake clock, and a client for
// it. wrap, when given, sits in front of the simulator (to look at requests).
func newEnv(t *testing.T, wrap func(http.Handler) http.Handler) env {
	t.Helper()
	clk := clock.NewFake(clock.Start)
	sim, err := bitaqatysim.New(bitaqatysim.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = sim
	if wrap != nil {
		h = wrap(sim)
	}
	srv, err := sandboxkit.Start("127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c, err := New(simConfig(srv.URL), &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return env{sim, c, srv.URL, clk}
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

func (e env) status(t *testing.T, ref string, p providers.Product) (providers.Result, error) {
	t.Helper()
	return e.c.Status(ctx(t), providers.SaleRef{Ref: ref, Product: p})
}

func sar(s string) money.Money { return money.New(money.MustParse(s), "SAR") }

// wantCode checks a provider error's code and whether it is a refusal.
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

// wantDoubt checks that err leaves a sale in doubt: an error, not a
// refusal, not a duplicate; config says whether it must be a configuration
// error.
func wantDoubt(t *testing.T, what string, err error, config bool) {
	t.Helper()
	switch {
	case err == nil:
		t.Fatalf("%s: no error, want a doubt", what)
	case providers.IsRefused(err):
		t.Fatalf("%s: refused (%v), want a doubt", what, err)
	case providers.IsDuplicate(err):
		t.Fatalf("%s: duplicate (%v), want a doubt", what, err)
	case providers.IsConfig(err) != config:
		t.Fatalf("%s: config %v (%v), want %v", what, providers.IsConfig(err), err, config)
	}
}

// wantLookUpError checks that a status look-up failed as an error: never
// an outcome, never not found, never a refusal.
func wantLookUpError(t *testing.T, what string, r providers.Result, err error, config bool) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: status answered %+v, want an error", what, r)
	}
	if r.State != "" || providers.IsRefused(err) || providers.IsConfig(err) != config {
		t.Fatalf("%s: %+v, %v (refused %v, config %v), want a doubt with config %v", what, r, err, providers.IsRefused(err), providers.IsConfig(err), config)
	}
}

// ---- catalogue and quotes ----

func TestCatalog(t *testing.T) {
	e := newEnv(t, nil)
	ps, err := e.c.Catalog(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 43 {
		t.Fatalf("%d products, want the demo catalogue's 40 vouchers and 3 bills", len(ps))
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
	if off != 3 || bills != 3 {
		t.Errorf("%d unavailable, %d bill products", off, bills)
	}
	// The products list has no isQrCode (seed L212-L265): an eSIM is known
	// by its esimSpecifications (L238).
	esim := e.product(t, "8101")
	if esim.Extra[extraQR] != "true" || esim.Extra["esimData"] != "10 GB" {
		t.Errorf("eSIM product = %+v", esim)
	}
	if p := e.product(t, "2862"); p.Extra[extraQR] != "" || !p.Price.Equal(sar("51")) || !p.Cost.Equal(sar("48.50")) || !p.FaceValue.Equal(sar("50")) {
		t.Errorf("iTunes 50 = %+v", p)
	}
	top := e.product(t, "333")
	if top.PriceKind != providers.PriceRange || !top.MinAmount.Equal(sar("5")) || !top.MaxAmount.Equal(sar("500")) ||
		len(top.Fields) != 1 || top.Fields[0].Kind != providers.FieldPhone || !top.Fields[0].Confirm ||
		top.Fields[0].CallingCode != "" || top.Fields[0].MinLen != 10 || top.Fields[0].MaxLen != 10 {
		t.Errorf("top-up = %+v", top)
	}
	water := e.product(t, "124")
	if len(water.Fields) != 2 || water.Fields[0].Name != "accountNumber" || !water.Fields[1].Hidden {
		t.Errorf("water bill fields = %+v", water.Fields)
	}
	ms, err := e.c.Merchants(ctx(t))
	if err != nil || ms["101"] != "iTunes" || len(ms) != 14 {
		t.Errorf("merchants = %v, %v", ms, err)
	}
}

// The Mobily top-up's number field takes ten digits with the trunk 0; the
// seed names no country, so nothing is stripped that the field needs, and
// an international number is refused by its length, never cut.
func TestTopUpNumberNormalised(t *testing.T) {
	f := newEnv(t, nil).product(t, "333").Fields[0]
	for _, tt := range []struct {
		in, out string
		ok      bool
	}{
		{"0551234567", "0551234567", true},
		{"055 123 4567", "0551234567", true},
		{"055-123-4567", "0551234567", true},
		{"+966 55 123 4567", "966551234567", false},
	} {
		got := f.Normalize(tt.in)
		if got != tt.out || (f.Validate(got) == nil) != tt.ok {
			t.Errorf("%q → %q (valid %v), want %q (valid %v)", tt.in, got, f.Validate(got) == nil, tt.out, tt.ok)
		}
	}
}

func TestQuoteVoucher(t *testing.T) {
	e := newEnv(t, nil)
	p := e.product(t, "3201")
	if !p.Price.Equal(sar("57.50")) {
		t.Fatalf("catalogue price %v", p.Price)
	}
	e.sim.SetPrice("3201", money.MustParse("59.80"))
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

	// Bitaqaty's prices pass through as they are, even absurd ones: the
	// engine refuses them with the provider's name (sale.checkPrices). No
	// price is taken from the catalogue or from the cost.
	for _, price := range []string{"0", "-0.60"} {
		e.sim.SetPrice("3201", money.MustParse(price))
		q, err := e.c.Quote(ctx(t), providers.QuoteRequest{Product: p})
		if err != nil || !q.Retail.Equal(sar(price)) || !q.Cost.Equal(sar("55.20")) {
			t.Errorf("price %s: retail %v cost %v, %v", price, q.Retail, q.Cost, err)
		}
	}

	e.sim.SetAvailable("3201", false)
	_, err = e.c.Quote(ctx(t), providers.QuoteRequest{Product: p})
	wantCode(t, err, "NOT_AVAILABLE", true)
	if !strings.Contains(err.Error(), "product is not available") {
		t.Errorf("message = %v", err)
	}
}

// product-detailed-info may leave out names; the catalogue's stay.
func TestQuoteKeepsCatalogueFacts(t *testing.T) {
	c := bodyServer(t, 200, `{"status":true,"productID":2862,"costPriceAfterVat":48.5,"recommendedRetailPriceAfterVat":52.0}`)
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

// ---- purchases: every documented outcome ----

func TestPurchaseVoucherAndStatus(t *testing.T) {
	e := newEnv(t, nil)
	p := e.product(t, "2862")
	q := e.quote(t, "2862", nil, "")
	r, err := e.buy(t, "1001", q)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != providers.Succeeded || r.ProviderRef == "" || !r.Charged.Equal(sar("48.50")) || !r.Balance.Equal(sar("4951.50")) ||
		len(r.Vouchers) != 1 || !r.At.Equal(clock.Start) {
		t.Fatalf("result = %+v", r)
	}
	v := r.Vouchers[0]
	if v.Serial != "101000000001" || len(v.PIN) != 16 || v.Username != "" || v.Expiry != "2027-11-24 10:00:00" || v.IsQR || v.Extra != nil {
		t.Errorf("voucher = %+v", v)
	}
	if e.sim.Charged("1001") != 1 || !e.sim.Balance().Equal(sar("4951.50")) {
		t.Errorf("simulator charged %d, balance %v", e.sim.Charged("1001"), e.sim.Balance())
	}
	bal, err := e.c.Balance(ctx(t))
	if err != nil || len(bal) != 1 || !bal[0].Equal(sar("4951.50")) {
		t.Errorf("balance = %v, %v", bal, err)
	}
	s, err := e.status(t, "1001", p)
	if err != nil {
		t.Fatal(err)
	}
	if s.State != providers.Succeeded || s.ProviderRef != r.ProviderRef || len(s.Vouchers) != 1 || !sameVoucher(s.Vouchers[0], v) || !s.Charged.Equal(r.Charged) {
		t.Errorf("status = %+v", s)
	}
	// The documented not-found (303, seed L1184) is the only NotFound.
	s, err = e.status(t, "999999", p)
	if err != nil || s.State != providers.NotFound {
		t.Errorf("unknown ref: %+v, %v", s, err)
	}
}

func sameVoucher(a, b providers.Voucher) bool {
	return a.Serial == b.Serial && a.PIN == b.PIN && a.Username == b.Username && a.Expiry == b.Expiry && a.IsQR == b.IsQR && len(a.Extra) == len(b.Extra)
}

func TestPurchaseCredentialAndESIM(t *testing.T) {
	e := newEnv(t, nil)
	r, err := e.buy(t, "2001", e.quote(t, "7101", nil, ""))
	if err != nil || r.Vouchers[0].Username == "" || r.Vouchers[0].Serial == "" {
		t.Fatalf("noon: %+v, %v", r, err)
	}
	esim := e.product(t, "8101")
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
	// Recovered by status look-up: that answer has no isQrCode and no
	// productItemDetails (seed L1140-L1172). The PIN is still the QR link
	// (the product is an eSIM, L238, L1048); the rest is said to be missing.
	s, err := e.status(t, "2002", esim)
	if err != nil || len(s.Vouchers) != 1 {
		t.Fatalf("status: %+v, %v", s, err)
	}
	got := s.Vouchers[0]
	if !got.IsQR || got.PIN != v.PIN || got.Extra["iccid"] != "" || got.Extra["eSIM"] != esimNote {
		t.Errorf("recovered eSIM voucher = %+v", got)
	}
}

func TestDocumentedRefusals(t *testing.T) {
	e := newEnv(t, nil)
	q := e.quote(t, "4204", nil, "") // stock 2
	for _, ref := range []string{"3001", "3002"} {
		if _, err := e.buy(t, ref, q); err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
	}
	_, err := e.buy(t, "3003", q)
	wantCode(t, err, codeOutOfStock, true) // seed L1065
	if e.sim.Charged("3003") != 0 {
		t.Error("refused sale was charged")
	}
	e.sim.SetStock("4204", 1)
	if _, err := e.buy(t, "3004", q); err != nil {
		t.Errorf("after SetStock: %v", err)
	}

	// The documented duplicate reference (seed L1064): never a refusal, never
	// an outcome of this sale; marked Duplicate.
	_, err = e.buy(t, "3001", e.quote(t, "2862", nil, ""))
	wantCode(t, err, codeDuplicateRef, false)
	if !providers.IsDuplicate(err) {
		t.Errorf("duplicate not marked: %+v", err)
	}
	if e.sim.Charged("3001") != 1 {
		t.Error("duplicate changed the first sale")
	}

	// Nothing is sent without a reference, or with one over 50 (L989).
	_, err = e.buy(t, "", q)
	wantCode(t, err, "MISSING_RESELLER_REF_NUM", true)
	_, err = e.buy(t, strings.Repeat("1", 51), q)
	wantCode(t, err, "INVALID_RESELLER_REF_NUM", true)

	// Insufficient balance (L1066), reached by selling: 10 × 485.00 of 5000.
	q = e.quote(t, "2865", nil, "")
	for i := range 10 {
		if _, err := e.buy(t, fmt.Sprint(3100+i), q); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.buy(t, "3110", q)
	wantCode(t, err, codeNoBalance, true)
}

func TestBillInquiryAndPay(t *testing.T) {
	rec := newRecorder()
	e := newEnv(t, rec.wrap)
	bill := e.product(t, "123")
	q := e.quote(t, "123", map[string]string{"accountNumber": "30012345678"}, "")
	ref := q.Extra[extraInquireRef]
	if ref == "" || q.Cost.Amount.Sign() <= 0 || !q.Cost.Equal(q.Retail) || q.Amount.Cmp(q.Cost.Amount) != 0 || q.Cost.Currency != "SAR" {
		t.Fatalf("quote = %+v", q)
	}
	for _, part := range []string{"Customer:", "Account: 30012345678", "Due date: 2026-12-04 10:00:00", "Bill amount: " + q.Cost.String()} {
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
	body := rec.body("service-bill-pay")
	if !strings.Contains(body, `"inquireReferenceNumber":"`+ref+`"`) || strings.Contains(body, "productId") || strings.Contains(body, "inputParameters") {
		t.Errorf("bill payment sent %s", body)
	}
	if s, err := e.status(t, "8001", bill); err != nil || s.State != providers.Succeeded || len(s.Vouchers) != 1 ||
		s.ProviderRef == "" || !s.Charged.Equal(q.Cost) {
		t.Errorf("status: %+v, %v", s, err)
	}
	// The same inquiry cannot pay twice (125, seed L744): in doubt, not a
	// duplicate of the reference.
	_, err = e.buy(t, "8002", q)
	wantCode(t, err, codeDuplicateInquiry, false)
	if providers.IsDuplicate(err) {
		t.Error("a re-used inquiry marked as a duplicate reference")
	}

	_, err = e.c.Quote(ctx(t), providers.QuoteRequest{Product: bill, Fields: map[string]string{"accountNumber": "30012340000"}})
	wantCode(t, err, "NO_DUE_BILLS", true)
	_, err = e.c.Quote(ctx(t), providers.QuoteRequest{Product: bill, Fields: map[string]string{"accountNumber": "12"}})
	wantCode(t, err, "FAILED", true)
	_, err = e.c.Quote(ctx(t), providers.QuoteRequest{Product: bill})
	wantCode(t, err, "MISSING_INPUT_PARAMETERS", true)
	// The water bill sends its hidden field's default.
	e.quote(t, "124", map[string]string{"accountNumber": "1234567890"}, "")
	if !strings.Contains(rec.body("service-bill-inquire"), `"serviceType":"WATER"`) {
		t.Errorf("hidden default not sent: %s", rec.body("service-bill-inquire"))
	}
	_, err = e.buy(t, "8003", providers.Quote{Product: bill})
	wantCode(t, err, "MISSING_INQUIRE_REF_NUM_OR_PRODUCT_CODE", true)
}

func TestTopUp(t *testing.T) {
	e := newEnv(t, nil)
	q := e.quote(t, "333", map[string]string{"mobileNumber": "0551234567"}, "100")
	if !q.Retail.Equal(sar("100")) || !q.RetailBeforeVAT.Equal(sar("86.96")) || !q.Cost.Equal(sar("98.00")) || q.Amount.Cmp(money.FromInt(100)) != 0 || q.Info != "Top-up of 100.00 SAR" {
		t.Errorf("quote = retail %v (%v) cost %v amount %v info %q", q.Retail, q.RetailBeforeVAT, q.Cost, q.Amount, q.Info)
	}
	r, err := e.buy(t, "9001", q)
	if err != nil || r.State != providers.Succeeded || !r.Charged.Equal(q.Cost) || r.ProviderRef == "" {
		t.Fatalf("top-up: %+v, %v", r, err)
	}
	if !e.sim.Balance().Equal(sar("4902.00")) {
		t.Errorf("balance %v", e.sim.Balance())
	}
	p := e.product(t, "333")
	for _, amt := range []string{"3", "600"} {
		_, err := e.c.Quote(ctx(t), providers.QuoteRequest{Product: p, Amount: money.MustParse(amt)})
		wantCode(t, err, "INVALID_AMOUNT", true)
	}
}

// The simulator's documented error answers, reached with requests the
// client would not make, read as the documented refusals; in a purchase,
// only the rows of that method's own table are refusals.
func TestSimulatorErrorAnswers(t *testing.T) {
	e := newEnv(t, nil)
	u := bitaqatysim.Username
	tests := []struct {
		op, method string
		body       map[string]any
		code       string
		refused    bool
	}{
		{"balance", "check-balance", map[string]any{"password": "x"}, "MISSING_RESELLER_USERNAME", true},
		{"balance", "check-balance", map[string]any{"resellerUsername": u}, "MISSING_PASSWORD", true},
		{"catalog", "detailed-products-list", map[string]any{"resellerUsername": u, "password": e.c.sign("")}, "MISSING_MERCHANT_ID", true},
		{"catalog", "detailed-products-list", map[string]any{"resellerUsername": u, "password": e.c.sign("abc"), "merchantId": "abc"}, "INVALID_MERCHANT_ID", true},
		{"catalog", "detailed-products-list", map[string]any{"resellerUsername": u, "password": e.c.sign("999"), "merchantId": "999"}, codeNoProducts, true},
		{"quote", "product-detailed-info", map[string]any{"resellerUsername": u, "password": e.c.sign("2862"), "productId": "2862"}, "MISSING_PRODUCT_CODE", true},
		{"quote", "calculate-topup-amount", map[string]any{"resellerUsername": u, "password": e.c.sign("333"), "productId": "333", "amount": 4}, "INVALID_AMOUNT", true},
		{"reconcile", "reconcile", map[string]any{"resellerUsername": u, "password": e.c.sign("2024-01-01", "2024-01-02", "true"), "dateFrom": "2024-01-01", "dateTo": "2024-01-02", "isSuccessful": "true"}, "INVALID_DATE_FORMAT", true},
		{"reconcile", "reconcile", map[string]any{"resellerUsername": u, "password": e.c.sign("2024-01-01 00:00:00", "2024-01-02 00:00:00", "yes"), "dateFrom": "2024-01-01 00:00:00", "dateTo": "2024-01-02 00:00:00", "isSuccessful": "yes"}, "INVALID_IS_SUCCESSFUL", true},
		{"purchase", "purchase-product", map[string]any{"resellerUsername": u, "password": e.c.sign("2862", "1"), "productId": "2862", "resellerRefNumber": "1"}, "MISSING_PRODUCT_CODE", true},
		{"purchase", "purchase-product", map[string]any{"resellerUsername": u, "password": e.c.sign("1", "2862"), "productID": "2862", "resellerRefNumber": "1"}, codeInvalidPassword, true},
		{"purchase", "purchase-product", map[string]any{"resellerUsername": u, "password": e.c.sign("9", "1"), "productID": "9", "resellerRefNumber": "1"}, "INVALID_PRODUCT_CODE", true},
		{"purchase", "service-bill-pay", map[string]any{"resellerUsername": u, "password": e.c.sign("1"), "resellerRefNumber": "1", "inquireReferenceNumber": "x", "productId": "333"}, "MISSING_INQUIRE_REF_NUM_OR_PRODUCT_CODE", true},
		{"purchase", "service-bill-pay", map[string]any{"resellerUsername": u, "password": e.c.sign("1"), "resellerRefNumber": "1", "inquireReferenceNumber": "x"}, "INVALID_INQUIRE_REF_NUM", true},
		// A top-up amount under the minimum: requestStatus Failed,
		// serviceHubStatusEnum "Invalid Amount" (seed L722-L723).
		{"purchase", "service-bill-pay", map[string]any{"resellerUsername": u, "password": e.c.sign("1"), "resellerRefNumber": "1", "productId": "333", "inputParameters": map[string]string{"mobileNumber": "0551234567", "amount": "3"}}, "INVALID_AMOUNT", true},
		// 124 MISSING_AMOUNT is not in service-bill-pay's table (L738-L754):
		// not a documented refusal of a payment, so in doubt.
		{"purchase", "service-bill-pay", map[string]any{"resellerUsername": u, "password": e.c.sign("1"), "resellerRefNumber": "1", "productId": "333", "inputParameters": map[string]string{"mobileNumber": "0551234567"}}, "MISSING_AMOUNT", false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.code, func(t *testing.T) {
			var err error
			if tt.op == "purchase" {
				_, err = e.c.sale(ctx(t), tt.method, "1", tt.body)
			} else {
				var out map[string]any
				err = e.c.call(ctx(t), tt.op, tt.method, tt.body, &out)
			}
			wantCode(t, err, tt.code, tt.refused)
		})
	}
}

// ---- the fault switches ----

func TestFaults(t *testing.T) {
	type check func(t *testing.T, e env, r providers.Result, err error, took time.Duration)
	succeeded := func(t *testing.T, e env, r providers.Result, err error, _ time.Duration) {
		if err != nil || r.State != providers.Succeeded || len(r.Vouchers) != 1 || e.sim.Charged("4001") != 1 {
			t.Errorf("%+v, %v", r, err)
		}
	}
	refused := func(code string) check {
		return func(t *testing.T, e env, _ providers.Result, err error, _ time.Duration) {
			wantCode(t, err, code, true)
			if e.sim.Charged("4001") != 0 {
				t.Error("refused sale was charged")
			}
		}
	}
	// foundAfter: a sale committed before its answer was lost is in doubt,
	// then found by its reference, with its PIN, charged once.
	foundAfter := func(t *testing.T, e env, _ providers.Result, err error, _ time.Duration) {
		wantDoubt(t, "purchase", err, false)
		e.sim.Faults.Reset()
		s, err := e.status(t, "4001", e.product(t, "5101"))
		if err != nil || s.State != providers.Succeeded || len(s.Vouchers) != 1 || s.Vouchers[0].PIN == "" {
			t.Errorf("status after lost answer: %+v, %v", s, err)
		}
		if n := e.sim.Charged("4001"); n != 1 {
			t.Errorf("charged %d times", n)
		}
	}
	tests := []struct {
		fault   string
		timeout time.Duration
		check   check
	}{
		{"latency=150ms", 5 * time.Second, func(t *testing.T, e env, r providers.Result, err error, took time.Duration) {
			succeeded(t, e, r, err, took)
			if took < 150*time.Millisecond {
				t.Errorf("answered after %v", took)
			}
		}},
		{sandboxkit.FaultOutOfStock, 5 * time.Second, refused(codeOutOfStock)},
		{sandboxkit.FaultNoBalance, 5 * time.Second, refused(codeNoBalance)},
		// The seed has no pending state: a purchase answers its voucher or an
		// error, so the pending switch changes nothing.
		{"pending=2", 5 * time.Second, succeeded},
		{sandboxkit.FaultNoAnswer, 300 * time.Millisecond, func(t *testing.T, e env, _ providers.Result, err error, _ time.Duration) {
			wantDoubt(t, "purchase", err, false)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("no-answer: %v", err)
			}
			if e.sim.Charged("4001") != 0 {
				t.Error("no-answer committed")
			}
			e.sim.Faults.Reset()
			if s, err := e.status(t, "4001", providers.Product{}); err != nil || s.State != providers.NotFound {
				t.Errorf("status after no-answer: %+v %v", s, err)
			}
		}},
		{sandboxkit.FaultHangAfterCommit, 300 * time.Millisecond, func(t *testing.T, e env, r providers.Result, err error, took time.Duration) {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("hang-after-commit: %v", err)
			}
			foundAfter(t, e, r, err, took)
		}},
		{sandboxkit.FaultCutAfterCommit, 5 * time.Second, foundAfter},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			e := newEnv(t, nil)
			q := e.quote(t, "5101", nil, "")
			if err := e.sim.Faults.Parse(tt.fault); err != nil {
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

// The faults on a bill payment: a cut after commit is in doubt and found.
func TestBillPaymentFaults(t *testing.T) {
	for _, fault := range []string{sandboxkit.FaultCutAfterCommit, sandboxkit.FaultNoBalance} {
		t.Run(fault, func(t *testing.T) {
			e := newEnv(t, nil)
			top := e.product(t, "333")
			q := e.quote(t, "333", map[string]string{"mobileNumber": "0551234567"}, "50")
			_ = e.sim.Faults.Set(fault, "on")
			_, err := e.buy(t, "4101", q)
			if fault == sandboxkit.FaultNoBalance {
				wantCode(t, err, codeNoBalance, true)
				return
			}
			wantDoubt(t, "payment", err, false)
			e.sim.Faults.Reset()
			s, err := e.status(t, "4101", top)
			if err != nil || s.State != providers.Succeeded || !s.Charged.Equal(q.Cost) || e.sim.Charged("4101") != 1 {
				t.Errorf("status: %+v, %v", s, err)
			}
		})
	}
}

// ---- requests that never left, routes that do not exist, bad answers ----

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

func TestNotSent(t *testing.T) {
	c, err := New(simConfig(closedPort(t)), &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	voucher := providers.Product{Provider: ID, ID: "2862", Available: true}
	_, err = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "5001", Quote: providers.Quote{Product: voucher}})
	wantCode(t, err, "not_sent", true)
	if !providers.NotSent(err) || !strings.Contains(providers.ClerkMessage(err), "nothing was charged") {
		t.Errorf("purchase: %v", err)
	}
	_, err = c.Quote(ctx(t), providers.QuoteRequest{Product: voucher})
	wantCode(t, err, "not_sent", true)
	r, err := c.Status(ctx(t), providers.SaleRef{Ref: "5001"})
	wantLookUpError(t, "status", r, err, false)
	if _, err := c.Catalog(ctx(t)); err == nil {
		t.Error("catalogue from nowhere")
	}
	if _, err := c.Balance(ctx(t)); err == nil {
		t.Error("balance from nowhere")
	}
}

// A client pointed at a path the server does not have gets a
// configuration error naming the setting, never an outcome.
func TestRouteMissing(t *testing.T) {
	e := newEnv(t, nil)
	voucher := e.product(t, "2862")
	bb, reseller := testKeys(t)
	pub, priv := writeKeys(t, bb, reseller, false)
	secured := simConfig(e.url) // the simulator has not enabled the secured variant
	secured.Secured, secured.BitaqatyPublicKeyFile, secured.ResellerPrivateKeyFile = true, pub, priv
	for _, tt := range []struct {
		name    string
		cfg     Config
		setting string
	}{
		{"wrong path", simConfig(e.url + "/v2"), "base_url"},
		{"secured variant the server lacks", secured, "secured"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg, &http.Client{Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "5101", Quote: providers.Quote{Product: voucher}})
			wantDoubt(t, "purchase", err, true)
			if !strings.Contains(providers.ClerkMessage(err), tt.setting) {
				t.Errorf("message %q does not name %s", providers.ClerkMessage(err), tt.setting)
			}
			r, err := c.Status(ctx(t), providers.SaleRef{Ref: "5101", Product: voucher})
			wantLookUpError(t, "status", r, err, true)
			_, err = c.Quote(ctx(t), providers.QuoteRequest{Product: voucher})
			wantDoubt(t, "quote", err, true)
			_, err = c.Catalog(ctx(t))
			wantDoubt(t, "catalog", err, true)
			_, err = c.Balance(ctx(t))
			wantDoubt(t, "balance", err, true)
			_, err = c.Records(ctx(t), clock.Start.Add(-time.Hour), clock.Start)
			wantDoubt(t, "records", err, true)
		})
	}
}

// bodyServer answers every request with the same status and body.
func bodyServer(t *testing.T, status int, body string) *Client {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status == -1 { // answer part of a body, then drop the connection
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
	c, err := New(simConfig(srv.URL), &http.Client{Timeout: 5 * time.Second})
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
		config          bool
	}{
		{"html", "<html><body>Gateway</body></html>", "has no /integration/purchase-product", 200, true},
		{"html 502", `<html>bad gateway</html>`, "HTTP 502", 502, true},
		{"404 of a web server", `{"msg":"Not Found"}`, "check base_url", 404, true},
		{"405", `{"msg":"Method Not Allowed"}`, "HTTP 405", 405, true},
		{"truncated", `{"status":true,"bbTrxRefNumber":"BB1","pin":"12`, "cut off or malformed", 200, false},
		{"cut connection", `{"status":true,"bbTrx`, "cut off", -1, false},
		{"empty", ``, "empty", 200, false},
		{"not JSON", `OK`, "malformed", 200, false},
		{"other markup", `<error>busy</error>`, "web page", 200, false},
		{"no status", `{"pin":"1234"}`, "malformed", 200, false},
		{"bad price", `{"status":true,"bbTrxRefNumber":"BB1","costPriceAfterVat":"abc"}`, "malformed", 200, false},
		{"inexact price", `{"status":true,"bbTrxRefNumber":"BB1","costPriceAfterVat":48.1234567}`, "malformed", 200, false},
		{"http 500 json", `{"status":false,"errorCode":"500","errorMessage":"INTERNAL_SYSTEM_ERROR"}`, "HTTP 500", 500, false},
		{"http 503 documented code", `{"status":false,"errorCode":"301","errorMessage":"OUT_OF_STOCK"}`, "HTTP 503", 503, false},
		{"internal error", `{"status":false,"errorCode":"500","errorMessage":"INTERNAL_SYSTEM_ERROR"}`, "internal error", 200, false},
		{"status false no code", `{"status":false}`, "without a documented reason", 200, false},
		{"undocumented code", `{"status":false,"errorCode":"999","errorMessage":"CARD_LOCKED"}`, "CARD_LOCKED", 200, false},
		{"code of another method", `{"status":false,"errorCode":"303","errorMessage":"NO_REQUESTS_FOUND"}`, "no sale under this reference", 200, false},
		{"other sale", `{"status":true,"resellerRefNumber":"77","bbTrxRefNumber":"BB1","costPriceAfterVat":1}`, "another sale", 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := bodyServer(t, tt.status, tt.body)
			_, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "6001", Quote: q})
			wantDoubt(t, "purchase", err, tt.config)
			if !strings.Contains(providers.ClerkMessage(err), tt.msg) {
				t.Errorf("purchase: %q, want %q", providers.ClerkMessage(err), tt.msg)
			}
			if tt.name != "code of another method" { // 303 is the look-up's own not-found
				r, err := c.Status(ctx(t), providers.SaleRef{Ref: "6001", Product: q.Product})
				wantLookUpError(t, "status", r, err, tt.config)
			}
			if _, err := c.Catalog(ctx(t)); err == nil && !strings.HasPrefix(tt.body, `{"status":true`) {
				t.Error("catalog accepted the answer")
			}
		})
	}
	// A 4xx carrying a documented error body is that error (documented
	// bodies first, whatever the HTTP status).
	c := bodyServer(t, 400, `{"status":false,"errorCode":"302","errorMessage":"INSUFFICIENT_BALANCE"}`)
	_, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "6002", Quote: q})
	wantCode(t, err, codeNoBalance, true)
	c = bodyServer(t, 404, `{"status":false,"errorCode":"303","errorMessage":"NO_REQUESTS_FOUND","errorDesc":"There is no transaction with this reseller ref number"}`)
	if r, err := c.Status(ctx(t), providers.SaleRef{Ref: "6002"}); err != nil || r.State != providers.NotFound {
		t.Errorf("documented 303 under HTTP 404: %+v, %v", r, err)
	}
	// A status answer with no transaction number decides nothing.
	c = bodyServer(t, 200, `{"status":true,"resellerRefNumber":"6003","serial":"null","pin":"null"}`)
	r, err := c.Status(ctx(t), providers.SaleRef{Ref: "6003"})
	wantLookUpError(t, "status without bbTrxRefNumber", r, err, false)
	// A documented error to a look-up other than 303 is a doubt too.
	c = bodyServer(t, 200, `{"status":false,"errorCode":"202","errorMessage":"INVALID_PASSWORD"}`)
	r, err = c.Status(ctx(t), providers.SaleRef{Ref: "6003"})
	wantLookUpError(t, "status with INVALID_PASSWORD", r, err, false)
}

// The balance is a double that may carry binary noise: read, rounded to six
// places; a purchase answer carrying such a balance still succeeds, with
// its prices exact.
func TestBalanceDoubles(t *testing.T) {
	c := bodyServer(t, 200, `{"requestSrvTime":"2026-11-24 10:00:00","status":true,"balance":99858.96671999992,"currency":"SAR"}`)
	bal, err := c.Balance(ctx(t))
	if err != nil || len(bal) != 1 || !bal[0].Equal(sar("99858.96672")) {
		t.Errorf("balance = %v, %v", bal, err)
	}
	c = bodyServer(t, 200, `{"status":true,"balance":5.0E3}`)
	if bal, err := c.Balance(ctx(t)); err != nil || !bal[0].Equal(sar("5000")) {
		t.Errorf("balance in exponent form = %v, %v", bal, err)
	}
	c = bodyServer(t, 200, `{"status":true,"bbTrxRefNumber":"BB1","resellerRefNumber":"6101","costPriceAfterVat":48.5,"balance":99858.96671999992,"currency":"SAR","pin":"X"}`)
	r, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "6101", Quote: providers.Quote{Product: providers.Product{Provider: ID, ID: "2862"}}})
	if err != nil || !r.Charged.Equal(sar("48.5")) || !r.Balance.Equal(sar("99858.96672")) {
		t.Errorf("purchase = %+v, %v", r, err)
	}
	for _, bad := range []string{`{"status":true}`, `{"status":true,"balance":"much"}`} {
		if _, err := bodyServer(t, 200, bad).Balance(ctx(t)); err == nil || providers.IsRefused(err) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// ---- what goes on the wire ----

// recorder keeps the JSON of each request by method and every path asked,
// and checks that every request is a JSON POST without an Idempotency-Key.
type recorder struct {
	mu     sync.Mutex
	bodies map[string]string
	paths  map[string]bool
	bad    []string
}

func newRecorder() *recorder {
	return &recorder{bodies: map[string]string{}, paths: map[string]bool{}}
}

func (rec *recorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		if r.Method != http.MethodPost || r.Header.Get("Idempotency-Key") != "" || r.Header.Get("Content-Type") != "application/json" {
			rec.bad = append(rec.bad, fmt.Sprintf("%s %s %v", r.Method, r.URL.Path, r.Header))
		}
		rec.bodies[r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]] = string(b)
		rec.paths[r.URL.Path] = true
		rec.mu.Unlock()
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(strings.NewReader(string(b)))
		next.ServeHTTP(w, r2)
	})
}

func (rec *recorder) body(method string) string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.bodies[method]
}

func (rec *recorder) all() (paths []string, bodies string) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for p := range rec.paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, b := range rec.bodies {
		bodies += b + "\n"
	}
	return paths, bodies
}

// documented is every path of the seed's plain API (L73-L1435).
var documented = map[string]bool{
	"/integration/check-balance": true, "/integration/detailed-products-list": true,
	"/integration/detailed-bill-products-list": true, "/integration/service-bill-inquire": true,
	"/integration/calculate-topup-amount": true, "/integration/service-bill-pay": true,
	"/integration/product-detailed-info": true, "/integration/purchase-product": true,
	"/integration/check-transaction-status": true, "/integration/reconcile": true,
	"/integration/get-merchant-list": true,
}

// Every request a whole working day sends is one the seed describes, in
// the seed's spelling (the server is strict about key casing).
func TestWireIsTheDocument(t *testing.T) {
	rec := newRecorder()
	e := newEnv(t, rec.wrap)
	e.c.cfg.TerminalID = "T-7"
	voucher := e.product(t, "2862")
	if _, err := e.buy(t, "7001", e.quote(t, "2862", nil, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.buy(t, "7002", e.quote(t, "333", map[string]string{"mobileNumber": "0551234567"}, "50")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.buy(t, "7003", e.quote(t, "123", map[string]string{"accountNumber": "30012345678"}, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.status(t, "7001", voucher); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.Balance(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.Records(ctx(t), e.clk.Now().Add(-time.Hour), e.clk.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"detailed-products-list":      {`"merchantId":""`},
		"detailed-bill-products-list": {`"merchantId":""`},
		"product-detailed-info":       {`"productID":"2862"`},
		"purchase-product":            {`"productID":"2862"`, `"resellerRefNumber":"7001"`, `"terminalId":"T-7"`},
		"calculate-topup-amount":      {`"productId":"333"`, `"amount":50`},
		"service-bill-inquire":        {`"productId":"123"`, `"inputParameters":{"accountNumber":"30012345678"}`},
		"service-bill-pay":            {`"terminalID":"T-7"`, `"inquireReferenceNumber":"`},
		"check-transaction-status":    {`"resellerRefNumber":"7001"`},
		"reconcile":                   {`"isSuccessful":"false"`, `"dateFrom":"2026-11-24 09:00:00"`, `"dateTo":"2026-11-24 11:00:00"`},
	}
	for method, parts := range want {
		for _, part := range parts {
			if !strings.Contains(rec.body(method), part) {
				t.Errorf("%s request %s lacks %s", method, rec.body(method), part)
			}
		}
	}
	paths, bodies := rec.all()
	for _, p := range paths {
		if !documented[p] {
			t.Errorf("request to %s, which the seed does not describe", p)
		}
	}
	if len(paths) != len(documented) {
		t.Errorf("asked %v", paths)
	}
	if strings.Contains(bodies, bitaqatysim.SecretKey) {
		t.Error("the secret key went over the wire")
	}
	if len(rec.bad) > 0 {
		t.Errorf("requests not plain JSON POSTs: %v", rec.bad)
	}
}

func TestBadCredentials(t *testing.T) {
	e := newEnv(t, nil)
	q := e.quote(t, "2862", nil, "")
	cfg := simConfig(e.url)
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

	cfg = simConfig(e.url)
	cfg.Username = "someone@else.test"
	c, _ = New(cfg, nil)
	r, err := c.Status(ctx(t), providers.SaleRef{Ref: "1"})
	wantLookUpError(t, "status", r, err, false)
	wantCode(t, err, "INVALID_RESELLER_USERNAME", false)
}

// ---- reconciliation and the clock ----

func TestRecords(t *testing.T) {
	e := newEnv(t, nil)
	start := e.clk.Now().Add(-time.Minute)
	q := e.quote(t, "4204", nil, "")
	for _, ref := range []string{"10001", "10002"} {
		if _, err := e.buy(t, ref, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.buy(t, "10003", q); !providers.IsRefused(err) {
		t.Fatalf("third sale of a stock-2 product: %v", err)
	}
	if err := e.sim.AddRecord("10004", "2862", e.clk.Now().Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	recs, err := e.c.Records(ctx(t), start, e.clk.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]providers.Record{}
	for _, r := range recs {
		got[r.Ref] = r
	}
	if len(recs) != 3 || got["10001"].State != providers.Succeeded || got["10002"].ProviderRef == "" ||
		!got["10001"].Charged.Equal(sar("35.60")) || got["10001"].Serial == "" || !got["10001"].At.Equal(clock.Start) ||
		got["10003"].State != providers.Failed || got["10001"].ProductID != "4204" || got["10001"].ProductName != "Free Fire 1060 Diamonds" {
		t.Errorf("records = %+v", recs)
	}
	// An empty period is no records, not an error.
	recs, err = e.c.Records(ctx(t), start.Add(-time.Hour), start.Add(-30*time.Minute))
	if err != nil || len(recs) != 0 {
		t.Errorf("empty period: %v, %v", recs, err)
	}
	// A period over the export limit (304, seed L1293) is split.
	from := e.clk.Now().Add(-30 * 24 * time.Hour)
	for i := range bitaqatysim.ExportLimit + 1 {
		if err := e.sim.AddRecord(fmt.Sprint(20000+i), "2862", from.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	recs, err = e.c.Records(ctx(t), from, from.Add(24*time.Hour))
	if err != nil || len(recs) != bitaqatysim.ExportLimit+1 {
		t.Errorf("split period: %d records, %v", len(recs), err)
	}
}

// The dates the client reads and sends are the simulator's clock's, a year
// ahead as on any other day.
func TestClock(t *testing.T) {
	e := newEnv(t, nil)
	later := clock.Start.AddDate(1, 0, 0)
	e.clk.Set(later)
	r, err := e.buy(t, "13001", e.quote(t, "2862", nil, ""))
	if err != nil {
		t.Fatal(err)
	}
	if !r.At.Equal(later) || r.Vouchers[0].Expiry != "2028-11-24 10:00:00" {
		t.Errorf("result at %v, expiry %q", r.At, r.Vouchers[0].Expiry)
	}
	recs, err := e.c.Records(ctx(t), later.Add(-time.Second), later.Add(time.Second))
	if err != nil || len(recs) != 1 || !recs[0].At.Equal(later) {
		t.Errorf("records: %+v, %v", recs, err)
	}
}

// ---- the secured variant ----

func TestSecured(t *testing.T) {
	bb, reseller := testKeys(t)
	for _, padding := range paddings {
		t.Run(padding, func(t *testing.T) {
			rec := newRecorder()
			e := newEnv(t, rec.wrap)
			e.sim.EnableSecured(bb, &reseller.PublicKey, padding)
			pub, priv := writeKeys(t, bb, reseller, padding == PaddingOAEPSHA1)
			cfg := simConfig(e.url)
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
				if err != nil || len(ps) != 40 {
					t.Fatalf("catalog: %d, %v", len(ps), err)
				}
				for _, p := range ps {
					if p.Kind == providers.KindBill {
						t.Errorf("bill %s listed in secured mode", p.ID)
					}
				}
			} else if ms, err := c.Merchants(ctx(t)); err != nil || len(ms) != 14 {
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
			if !providers.IsDuplicate(err) {
				t.Errorf("secured duplicate not marked: %v", err)
			}
			if recs, err := c.Records(ctx(t), e.clk.Now().Add(-time.Hour), e.clk.Now().Add(time.Hour)); err != nil || len(recs) != 1 {
				t.Errorf("records: %v, %v", recs, err)
			}
			if bal, err := c.Balance(ctx(t)); err != nil || !bal[0].Equal(sar("4951.50")) {
				t.Errorf("balance: %v, %v", bal, err)
			}
			body := rec.body("purchase-product")
			if !strings.Contains(body, `"encryptedData":"`) || strings.Contains(body, "11001") {
				t.Errorf("secured request in the clear: %s", body)
			}
			// Bills are not in the secured variant (seed L1436-L2244):
			// refused before anything is sent, naming the setting.
			bill := e.product(t, "123")
			_, err = c.Quote(ctx(t), providers.QuoteRequest{Product: bill, Fields: map[string]string{"accountNumber": "30012345678"}})
			wantCode(t, err, "NOT_IN_SECURED", true)
			if !strings.Contains(providers.ClerkMessage(err), "secured = false") {
				t.Errorf("message = %q", providers.ClerkMessage(err))
			}
			_, err = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "11002", Quote: providers.Quote{Product: bill}})
			wantCode(t, err, "NOT_IN_SECURED", true)
			paths, _ := rec.all()
			for _, p := range paths {
				if strings.HasPrefix(p, "/secured-integration/") && (strings.Contains(p, "bill") || strings.Contains(p, "topup")) {
					t.Errorf("secured mode asked %s", p)
				}
			}
		})
	}
	// A padding mismatch is a clear error, and a doubt for a purchase.
	e := newEnv(t, nil)
	e.sim.EnableSecured(bb, &reseller.PublicKey, PaddingOAEPSHA256)
	pub, priv := writeKeys(t, bb, reseller, false)
	cfg := simConfig(e.url)
	cfg.Secured, cfg.BitaqatyPublicKeyFile, cfg.ResellerPrivateKeyFile = true, pub, priv
	c, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Balance(ctx(t))
	if err == nil || providers.IsRefused(err) {
		t.Errorf("padding mismatch: %v", err)
	}
	_, err = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "11003", Quote: providers.Quote{Product: e.product(t, "2862")}})
	wantDoubt(t, "purchase with the wrong padding", err, false)
}

// ---- configuration ----

func TestConfigValidate(t *testing.T) {
	good := simConfig("https://bbapi.ocstaging.net")
	tests := []struct {
		key  string
		edit func(*Config)
	}{
		{"", func(*Config) {}},
		{"", func(c *Config) { c.Extensions = []string{} }},
		{"base_url", func(c *Config) { c.BaseURL = "" }},
		{"base_url", func(c *Config) { c.BaseURL = "ftp://bbapi.ocstaging.net" }},
		{"base_url", func(c *Config) { c.BaseURL = "https://" }},
		{"base_url", func(c *Config) { c.BaseURL = "bbapi.ocstaging.net" }},
		{"base_url", func(c *Config) { c.BaseURL = "https://bbapi.ocstaging.net/?x=1" }},
		{"username", func(c *Config) { c.Username = " " }},
		{"secret_key", func(c *Config) { c.SecretKey = secret.Value{} }},
		{"terminal_id", func(c *Config) { c.TerminalID = strings.Repeat("x", 256) }},
		{"extensions", func(c *Config) { c.Extensions = []string{"transactions"} }},
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
	c := good
	c.Extensions = []string{"status"}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), `"status"`) || !strings.Contains(err.Error(), "known: none") {
		t.Errorf("unknown extension: %v", err)
	}
	cfg := good
	cfg.Secured, cfg.BitaqatyPublicKeyFile, cfg.ResellerPrivateKeyFile = true, "/nonexistent/pub.pem", "/nonexistent/priv.key"
	if _, err := New(cfg, nil); err == nil || !strings.Contains(err.Error(), "bitaqaty_public_key_file") {
		t.Errorf("missing key file: %v", err)
	}
	if s := fmt.Sprintf("%+v", good); strings.Contains(s, bitaqatysim.SecretKey) {
		t.Error("config prints its secret")
	}
	// The simulator has no extensions to serve either.
	if _, err := bitaqatysim.New(bitaqatysim.Options{Extensions: []string{"x"}}); err == nil || len(bitaqatysim.ExtensionNames) != len(ExtensionNames) {
		t.Error("the simulator and the client disagree on extensions")
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
		if n := e.sim.Charged(r.ref); n > 1 || (n == 1) != (r.err == nil) {
			t.Errorf("%s charged %d times (err %v)", r.ref, n, r.err)
		}
	}
	if sold != 2 || !e.sim.Balance().Equal(sar("4928.80")) {
		t.Errorf("sold %d, balance %v", sold, e.sim.Balance())
	}
}
