package dtone

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

// Numbers the sandbox accepts, per country, and one it calls invalid.
const (
	gtMobile   = "50255501234"
	gtInvalid  = "50255500000"
	inMobile   = "919876543210"
	phMobile   = "639171234567"
	tvAccount  = "12345678"
	usd        = "USD"
	testWindow = 5 * time.Second
)

func startSandbox(t *testing.T) (*Sandbox, string) {
	t.Helper()
	sb := NewSandbox()
	srv, err := sandboxkit.Start("127.0.0.1:0", sb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return sb, srv.URL
}

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg, &http.Client{Timeout: testWindow})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func setup(t *testing.T) (*Sandbox, *Client) {
	sb, url := startSandbox(t)
	return sb, newClient(t, SandboxConfig(url))
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), testWindow)
	t.Cleanup(cancel)
	return c
}

var refSeq atomic.Int64

func newRef() string { return fmt.Sprintf("%d%06d", time.Now().Unix(), refSeq.Add(1)) }

func findProduct(t *testing.T, c *Client, id string) providers.Product {
	t.Helper()
	list, err := c.Catalog(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("product %s not in catalogue", id)
	return providers.Product{}
}

func usdOf(s string) money.Money { return money.New(money.MustParse(s), usd) }

// sell quotes and buys, failing the test on any error.
func sell(t *testing.T, c *Client, p providers.Product, account, amount string) (string, providers.Result) {
	t.Helper()
	q, err := c.Quote(ctx(t), quoteReq(p, account, amount))
	if err != nil {
		t.Fatalf("quote %s: %v", p.ID, err)
	}
	ref := newRef()
	r, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Quote: q})
	if err != nil {
		t.Fatalf("purchase %s: %v", p.ID, err)
	}
	return ref, r
}

func quoteReq(p providers.Product, account, amount string) providers.QuoteRequest {
	req := providers.QuoteRequest{Product: p, Fields: map[string]string{}}
	if account != "" {
		req.Fields["account_number"] = account
	}
	if amount != "" {
		req.Amount = money.MustParse(amount)
	}
	return req
}

func errCode(err error) string {
	var pe *providers.Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestCatalog(t *testing.T) {
	_, c := setup(t)
	list, err := c.Catalog(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for _, p := range list {
		types[p.Extra["type"]]++
		if p.Provider != ID || p.Brand == "" || p.Country == "" || len(p.Fields) != 1 {
			t.Errorf("incomplete product %+v", p)
		}
	}
	for _, pt := range productTypes {
		if types[pt.name] == 0 {
			t.Errorf("no %s in the catalogue", pt.name)
		}
	}
	tv := findProduct(t, c, "fvr-64")
	if tv.Brand != "Claro TV" || tv.Country != "GT" || !tv.Price.Equal(usdOf("13.5")) || !tv.Cost.Equal(usdOf("12.5")) {
		t.Errorf("Claro TV $14 = %+v", tv)
	}
	data := findProduct(t, c, "vvr-1558")
	if data.Brand != "Airtel Andhra Pradesh" || data.Kind != providers.KindOffer || data.PriceKind != providers.PriceRange ||
		!data.MinAmount.Equal(money.New(money.FromInt(9), "INR")) || !data.MaxAmount.Equal(money.New(money.FromInt(1000), "INR")) {
		t.Errorf("Airtel data = %+v", data)
	}
	if f := data.Fields[0]; f.Kind != providers.FieldPhone || f.Pattern == "" || f.MinLen != 12 {
		t.Errorf("Airtel field = %+v", f)
	}
	if bill := findProduct(t, c, "vvp-2702"); bill.Available || bill.Kind != providers.KindBill {
		t.Errorf("variable payment should be listed but not sellable: %+v", bill)
	}
	if digicel := findProduct(t, c, "fvr-1771"); digicel.Brand != "Digicel" || digicel.Country != "SV" {
		t.Errorf("Digicel = %+v", digicel)
	}
}

func TestCatalogFilters(t *testing.T) {
	_, url := startSandbox(t)
	tests := []struct {
		name      string
		countries []string
		operators []int
		check     func(providers.Product) bool
	}{
		{"iso", []string{"gt", "SV"}, nil, func(p providers.Product) bool { return p.Country == "GT" || p.Country == "SV" }},
		{"dtone country id", []string{"766"}, nil, func(p providers.Product) bool { return p.Country == "IN" }},
		{"operators", nil, []int{2184, 1449}, func(p providers.Product) bool { return p.Brand == "Airtel" || p.Brand == "Airtel Andhra Pradesh" }},
		{"operators in a country", []string{"BD"}, []int{2184, 1449}, func(p providers.Product) bool { return p.ID == "fvr-1601" || p.ID == "fvr-1602" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := SandboxConfig(url)
			cfg.Countries, cfg.Operators = tt.countries, tt.operators
			list, err := newClient(t, cfg).Catalog(ctx(t))
			if err != nil || len(list) == 0 {
				t.Fatalf("catalog: %d products, %v", len(list), err)
			}
			for _, p := range list {
				if !tt.check(p) {
					t.Errorf("unexpected product %s (%s, %s)", p.ID, p.Brand, p.Country)
				}
			}
		})
	}
}

func TestQuoteFixed(t *testing.T) {
	_, c := setup(t)
	p := findProduct(t, c, "fvr-301")
	q, err := c.Quote(ctx(t), quoteReq(p, gtMobile, ""))
	if err != nil {
		t.Fatal(err)
	}
	if !q.Cost.Equal(usdOf("4.55")) || !q.Retail.Equal(usdOf("5")) || !q.Fee.Equal(usdOf("0")) {
		t.Errorf("cost %s retail %s fee %s", q.Cost, q.Retail, q.Fee)
	}
	if !strings.Contains(q.Info, "valid") || q.Product.Extra["verify"] != "yes" {
		t.Errorf("info %q extra %v", q.Info, q.Product.Extra)
	}

	// A fee is part of both totals.
	gen := findProduct(t, c, "fvv-2012")
	q, err = c.Quote(ctx(t), quoteReq(gen, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if !q.Cost.Equal(usdOf("9.45")) || !q.Retail.Equal(usdOf("10.75")) || !q.Fee.Equal(usdOf("0.25")) {
		t.Errorf("with fee: cost %s retail %s fee %s", q.Cost, q.Retail, q.Fee)
	}
}

func TestQuoteAccountVerification(t *testing.T) {
	_, c := setup(t)
	p := findProduct(t, c, "fvr-301")
	_, err := c.Quote(ctx(t), quoteReq(p, gtInvalid, ""))
	if !providers.IsRefused(err) || errCode(err) != "1000204" || !strings.Contains(providers.ClerkMessage(err), gtInvalid) {
		t.Fatalf("invalid number: %v", err)
	}
	// Claro TV answers 1000304: not an error, the sale goes on unchecked.
	tv := findProduct(t, c, "fvr-64")
	q, err := c.Quote(ctx(t), quoteReq(tv, tvAccount, ""))
	if err != nil {
		t.Fatalf("1000304 stopped the quote: %v", err)
	}
	if q.Product.Extra["verify"] != "no" || !strings.Contains(q.Info, "cannot be checked") {
		t.Errorf("info %q extra %v", q.Info, q.Product.Extra)
	}
	// A number of the wrong country never reaches DT One.
	if _, err := c.Quote(ctx(t), quoteReq(p, inMobile, "")); !providers.IsRefused(err) {
		t.Errorf("wrong country prefix: %v", err)
	}
}

func TestQuoteVariable(t *testing.T) {
	_, c := setup(t)
	p := findProduct(t, c, "vvr-1558")
	tests := []struct {
		amount, cost, retail string
		estimated            bool
	}{
		{"19", "0.3", "0.34", false},
		{"100", "1.72", "2", true}, // 0.5/29 and 0.58/29 per INR
	}
	for _, tt := range tests {
		q, err := c.Quote(ctx(t), quoteReq(p, inMobile, tt.amount))
		if err != nil {
			t.Fatalf("amount %s: %v", tt.amount, err)
		}
		if !q.Cost.Equal(usdOf(tt.cost)) || !q.Retail.Equal(usdOf(tt.retail)) || q.Amount.String() != tt.amount {
			t.Errorf("amount %s: cost %s retail %s", tt.amount, q.Cost, q.Retail)
		}
		if !strings.Contains(q.Info, "Suggested amounts: 9 INR – 50 MB of 2G Plan for 1 Day") ||
			strings.Contains(q.Info, "worked out") != tt.estimated {
			t.Errorf("amount %s: info %q", tt.amount, q.Info)
		}
	}
	for _, bad := range []string{"5", "1001", "0"} {
		if _, err := c.Quote(ctx(t), quoteReq(p, inMobile, bad)); !providers.IsRefused(err) {
			t.Errorf("amount %s: %v", bad, err)
		}
	}
	vals, err := c.SuggestedValues(ctx(t), p)
	if err != nil || len(vals) != 3 || vals[0].String() != "9" || vals[1].String() != "19" {
		t.Errorf("SuggestedValues = %v, %v", vals, err)
	}
	if vals, err := c.SuggestedValues(ctx(t), findProduct(t, c, "fvr-64")); err != nil || vals != nil {
		t.Errorf("fixed product suggested values = %v, %v", vals, err)
	}
	if _, err := c.Quote(ctx(t), quoteReq(findProduct(t, c, "vvp-2702"), "1234567890", "50000")); !providers.IsRefused(err) {
		t.Errorf("variable payment quoted: %v", err)
	}
}

func TestPurchaseAndStatus(t *testing.T) {
	sb, c := setup(t)
	tests := []struct {
		id, account, amount string
		charged             string
		pin                 bool
	}{
		{"fvv-112", gtMobile, "", "14.79", true},
		{"vvv-2601", "", "75", "10.13", true}, // 75 × 27/200 = 10.125
		{"fvr-301", gtMobile, "", "4.55", false},
		{"vvr-1558", inMobile, "29", "0.5", false},
		{"fvr-64", tvAccount, "", "12.5", false},
		{"fvp-2701", "523012345678", "", "1.4", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p := findProduct(t, c, tt.id)
			ref, r := sell(t, c, p, tt.account, tt.amount)
			if r.State != providers.Succeeded || r.ProviderRef == "" || !r.Charged.Equal(usdOf(tt.charged)) || len(r.Vouchers) != 1 {
				t.Fatalf("result = %+v", r)
			}
			v := r.Vouchers[0]
			if tt.pin && (len(v.PIN) != 16 || v.PIN2 == "" || v.Expiry == "" || v.Extra["info_1"] == "") {
				t.Errorf("voucher = %+v", v)
			}
			if !tt.pin && !strings.HasPrefix(v.Reference, "OP") {
				t.Errorf("top-up reference = %+v", v)
			}
			st, err := c.Status(ctx(t), providers.SaleRef{Ref: ref, Product: p})
			if err != nil || st.State != providers.Succeeded || st.ProviderRef != r.ProviderRef || len(st.Vouchers) != 1 || st.Vouchers[0].PIN != v.PIN {
				t.Errorf("status = %+v, %v", st, err)
			}
			if n := sb.Charged(ref); n != 1 {
				t.Errorf("Charged = %d", n)
			}
		})
	}
}

func TestStatusNotFound(t *testing.T) {
	_, c := setup(t)
	p := findProduct(t, c, "fvr-301")
	r, err := c.Status(ctx(t), providers.SaleRef{Ref: "99999999", Product: p})
	if err != nil || r.State != providers.NotFound {
		t.Fatalf("unknown ref: %+v, %v", r, err)
	}
	if _, err := c.Status(ctx(t), providers.SaleRef{Ref: "1"}); err == nil {
		t.Fatal("status without a product type was sent")
	}
}

func TestSimulationOffDebitsBalance(t *testing.T) {
	sb, url := startSandbox(t)
	cfg := SandboxConfig(url)
	cfg.Simulation = false
	c := newClient(t, cfg)
	if c.Info().Note != "" || newClient(t, SandboxConfig(url)).Info().Note != "simulation" {
		t.Fatal("Info().Note does not follow simulation")
	}
	_, r := sell(t, c, findProduct(t, c, "fvv-2012"), "", "")
	if r.State != providers.Succeeded {
		t.Fatalf("result %+v", r)
	}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	if got := sb.balance.String(); got != "4990.55" {
		t.Fatalf("balance = %s, want 5000 - 9.45", got)
	}
}

func TestFaults(t *testing.T) {
	sb, c := setup(t)
	p := findProduct(t, c, "fvv-112")
	q, err := c.Quote(ctx(t), quoteReq(p, gtMobile, ""))
	if err != nil {
		t.Fatal(err)
	}
	buy := func(timeout time.Duration) (string, time.Duration, error) {
		cx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		ref := newRef()
		start := time.Now()
		_, err := c.Purchase(cx, providers.PurchaseRequest{Ref: ref, Quote: q})
		return ref, time.Since(start), err
	}
	status := func(ref string) providers.State {
		r, err := c.Status(ctx(t), providers.SaleRef{Ref: ref, Product: p})
		if err != nil {
			t.Fatalf("status %s: %v", ref, err)
		}
		return r.State
	}

	t.Run("latency", func(t *testing.T) {
		defer sb.Faults.Reset()
		_ = sb.Faults.Set(sandboxkit.FaultLatency, "40ms")
		_, took, err := buy(testWindow)
		if err != nil || took < 40*time.Millisecond {
			t.Fatalf("took %s, err %v", took, err)
		}
	})
	t.Run("no answer", func(t *testing.T) {
		defer sb.Faults.Reset()
		_ = sb.Faults.Set(sandboxkit.FaultNoAnswer, "on")
		ref, _, err := buy(200 * time.Millisecond)
		if err == nil || providers.IsRefused(err) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		sb.Faults.Reset()
		if sb.Charged(ref) != 0 || status(ref) != providers.NotFound {
			t.Fatal("no-answer committed a sale")
		}
	})
	for _, fault := range []string{sandboxkit.FaultCutAfterCommit, sandboxkit.FaultHangAfterCommit} {
		t.Run(fault, func(t *testing.T) {
			defer sb.Faults.Reset()
			_ = sb.Faults.Set(fault, "on")
			ref, _, err := buy(300 * time.Millisecond)
			if err == nil || providers.IsRefused(err) {
				t.Fatalf("err = %v", err)
			}
			sb.Faults.Reset()
			if sb.Charged(ref) != 1 || status(ref) != providers.Succeeded {
				t.Fatal("the committed sale is not found")
			}
		})
	}
	refusals := []struct{ fault, code string }{
		{sandboxkit.FaultOutOfStock, "1000301"},
		{sandboxkit.FaultNoBalance, "1000777"},
	}
	for _, tt := range refusals {
		t.Run(tt.fault, func(t *testing.T) {
			defer sb.Faults.Reset()
			_ = sb.Faults.Set(tt.fault, "on")
			ref, _, err := buy(testWindow)
			if !providers.IsRefused(err) || errCode(err) != tt.code || sb.Charged(ref) != 0 {
				t.Fatalf("err = %v (code %s)", err, errCode(err))
			}
		})
	}
}

func TestPendingThenSuccess(t *testing.T) {
	sb, c := setup(t)
	_ = sb.Faults.Set(sandboxkit.FaultPending, "2")
	p := findProduct(t, c, "fvv-112")
	ref, r := sell(t, c, p, "", "")
	if r.State != providers.Pending || len(r.Vouchers) != 0 {
		t.Fatalf("purchase = %+v", r)
	}
	sb.Faults.Reset()
	for i, want := range []providers.State{providers.Pending, providers.Pending, providers.Succeeded} {
		st, err := c.Status(ctx(t), providers.SaleRef{Ref: ref, Product: p})
		if err != nil || st.State != want {
			t.Fatalf("poll %d: %+v, %v", i, st, err)
		}
		if want == providers.Succeeded && (len(st.Vouchers) != 1 || st.Vouchers[0].PIN == "") {
			t.Fatalf("no PIN after success: %+v", st)
		}
	}
}

func TestDuplicateRefIsDoubt(t *testing.T) {
	sb, c := setup(t)
	p := findProduct(t, c, "fvr-301")
	q, err := c.Quote(ctx(t), quoteReq(p, gtMobile, ""))
	if err != nil {
		t.Fatal(err)
	}
	ref := newRef()
	if _, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Quote: q}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Quote: q})
	if err == nil || providers.IsRefused(err) || errCode(err) != "1000990" {
		t.Fatalf("duplicate: %v", err)
	}
	if sb.Charged(ref) != 1 {
		t.Fatalf("Charged = %d", sb.Charged(ref))
	}
}

func TestPurchaseRefusals(t *testing.T) {
	_, c := setup(t)
	p := findProduct(t, c, "fvr-301")
	q, err := c.Quote(ctx(t), quoteReq(p, gtMobile, ""))
	if err != nil {
		t.Fatal(err)
	}
	bad := q
	bad.Fields = map[string]string{"account_number": gtInvalid} // changed after the quote
	_, err = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: newRef(), Quote: bad})
	if !providers.IsRefused(err) || errCode(err) != "1000204" {
		t.Errorf("invalid account: %v", err)
	}
	v := findProduct(t, c, "vvr-1558")
	vq, err := c.Quote(ctx(t), quoteReq(v, inMobile, "29"))
	if err != nil {
		t.Fatal(err)
	}
	vq.Amount = money.FromInt(5000)
	_, err = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: newRef(), Quote: vq})
	if !providers.IsRefused(err) || errCode(err) != "1000207" {
		t.Errorf("amount over the limit: %v", err)
	}
	if _, err := c.Purchase(ctx(t), providers.PurchaseRequest{Quote: q}); !providers.IsRefused(err) {
		t.Errorf("no reference: %v", err)
	}
}

func TestBadCredentials(t *testing.T) {
	sb, url := startSandbox(t)
	good := newClient(t, SandboxConfig(url))
	p := findProduct(t, good, "fvr-301")
	q, err := good.Quote(ctx(t), quoteReq(p, gtMobile, ""))
	if err != nil {
		t.Fatal(err)
	}
	cfg := SandboxConfig(url)
	cfg.APISecret = secret.New("wrong-secret")
	c := newClient(t, cfg)
	_, err = c.Catalog(ctx(t))
	if err == nil || !strings.Contains(err.Error(), "check api_key and api_secret") {
		t.Errorf("catalog: %v", err)
	}
	ref := newRef()
	_, err = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Quote: q})
	if !providers.IsRefused(err) || errCode(err) != "1000401" || sb.Charged(ref) != 0 {
		t.Errorf("purchase: %v", err)
	}
	if strings.Contains(err.Error(), "wrong-secret") || strings.Contains(fmt.Sprintf("%+v %#v", cfg, cfg), "wrong-secret") {
		t.Error("the secret leaked into an error or the config's print")
	}
}

func TestSandboxRefusesReplayedNonce(t *testing.T) {
	_, url := startSandbox(t)
	send := func(nonce string) int {
		req, _ := http.NewRequestWithContext(ctx(t), http.MethodGet, url+"/ping", nil)
		sign(req, sandboxKey, sandboxSecret, nonce)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if first, again := send("1700000000000001"), send("1700000000000001"); first != http.StatusOK || again != http.StatusUnauthorized {
		t.Fatalf("first %d, replay %d", first, again)
	}
	req, _ := http.NewRequestWithContext(ctx(t), http.MethodGet, url+"/ping", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned request: %d", resp.StatusCode)
	}
}

func TestSandboxCredentialsAndConfig(t *testing.T) {
	sb := NewSandbox()
	if !strings.Contains(sb.Credentials(), sandboxKey) {
		t.Error("Credentials does not name the key")
	}
	cfg := SandboxConfig("http://127.0.0.1:1")
	if err := cfg.Validate(); err != nil || !cfg.Simulation || !cfg.Sandbox {
		t.Errorf("SandboxConfig = %+v, %v", cfg, err)
	}
}

func TestConfigValidate(t *testing.T) {
	good := Config{BaseURL: "https://gs-api.dtone.com/v1.1", APIKey: secret.New("k"), APISecret: secret.New("s")}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key    string
		change func(*Config)
	}{
		{"base_url", func(c *Config) { c.BaseURL = "" }},
		{"base_url", func(c *Config) { c.BaseURL = "ftp://x" }},
		{"base_url", func(c *Config) { c.BaseURL = "https://" }},
		{"api_key", func(c *Config) { c.APIKey = secret.Value{} }},
		{"api_secret", func(c *Config) { c.APISecret = secret.Value{} }},
		{"countries", func(c *Config) { c.Countries = []string{"Guatemala"} }},
		{"countries", func(c *Config) { c.Countries = []string{""} }},
		{"operators", func(c *Config) { c.Operators = []int{0} }},
	}
	for _, tt := range tests {
		c := good
		tt.change(&c)
		err := c.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), tt.key+":") {
			t.Errorf("want an error naming %s, got %v", tt.key, err)
		}
		if _, err := New(c, nil); err == nil {
			t.Errorf("New accepted a bad %s", tt.key)
		}
	}
}
