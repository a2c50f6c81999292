package india

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

var _ interface {
	providers.Provider
	providers.StatusChecker
	providers.BalanceChecker
} = (*Client)(nil)

func start(t *testing.T, legacy bool) (*Sandbox, *Client, string) {
	t.Helper()
	sb := NewSandbox()
	srv, err := sandboxkit.Start("127.0.0.1:0", sb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	cfg := SandboxConfig(srv.URL)
	if legacy {
		cfg = SandboxLegacyConfig(srv.URL)
	}
	c, err := New(cfg, &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return sb, c, srv.URL
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

func product(t *testing.T, c *Client, id string) providers.Product {
	t.Helper()
	ps, err := c.Catalog(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no product %s", id)
	return providers.Product{}
}

func quote(t *testing.T, c *Client, mobile, circle, amount string) (providers.Quote, error) {
	t.Helper()
	p := product(t, c, "prepaid-1")
	f := map[string]string{"mobile_no": mobile, "circle": circle}
	if err := p.ValidateFields(f); err != nil {
		return providers.Quote{}, err
	}
	a := money.MustParse(amount)
	if err := p.ValidateAmount(a); err != nil {
		return providers.Quote{}, err
	}
	return c.Quote(ctx(t), providers.QuoteRequest{Product: p, Fields: f, Amount: a})
}

func mustQuote(t *testing.T, c *Client) providers.Quote {
	t.Helper()
	q, err := quote(t, c, "9679833706", "23", "10")
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func buy(t *testing.T, c *Client, ref string) (providers.Result, error) {
	t.Helper()
	return c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Terminal: "T-01", Clerk: "ravi", Quote: mustQuote(t, c)})
}

func refused(t *testing.T, err error, code string) *providers.Error {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Outcome != providers.Refused {
		t.Fatalf("want refusal, got %v", err)
	}
	if code != "" && pe.Code != code {
		t.Fatalf("code %q, want %q (%v)", pe.Code, code, err)
	}
	noSecrets(t, err)
	return pe
}

func doubt(t *testing.T, err error) *providers.Error {
	t.Helper()
	var pe *providers.Error
	if err == nil || !errors.As(err, &pe) || pe.Outcome != providers.Unknown {
		t.Fatalf("want doubt, got %v", err)
	}
	noSecrets(t, err)
	return pe
}

func noSecrets(t *testing.T, err error) {
	t.Helper()
	for _, s := range []string{sandboxPassword, sandboxAPIPassword} {
		if strings.Contains(err.Error(), s) || strings.Contains(providers.ClerkMessage(err), s) {
			t.Fatalf("secret in error: %v", err)
		}
	}
}

func TestCatalogAndQuote(t *testing.T) {
	_, c, _ := start(t, false)
	ps, err := c.Catalog(ctx(t))
	if err != nil || len(ps) != 4 {
		t.Fatalf("%d %v", len(ps), err)
	}
	p := ps[0]
	if p.Provider != ID || p.ID != "prepaid-1" || p.Brand != "Airtel" || p.Kind != providers.KindTopUp || p.PriceKind != providers.PriceRange ||
		p.MinAmount.String() != "10.00 INR" || p.MaxAmount.String() != "5000.00 INR" || p.Country != "IN" {
		t.Fatalf("%+v", p)
	}
	if p.Fields[0].Kind != providers.FieldPhone || p.Fields[1].Kind != providers.FieldChoice || p.Fields[1].Default != "23" || len(p.Fields[1].Choices) != 23 {
		t.Fatalf("fields %+v", p.Fields)
	}
	for m, ok := range map[string]bool{"9679833706": true, "6000000000": true, "5679833706": false, "967983370": false, "09679833706": false, "+919679833706": false} {
		if err := p.ValidateFields(map[string]string{"mobile_no": m, "circle": "5"}); (err == nil) != ok {
			t.Errorf("mobile %s: %v", m, err)
		}
	}
	q, err := quote(t, c, "9679833706", "23", "49")
	if err != nil {
		t.Fatal(err)
	}
	if q.Cost.String() != "49.00 INR" || q.Retail.String() != "49.00 INR" || !strings.Contains(q.Info, "West Bengal") {
		t.Fatalf("%+v", q)
	}
	// The clerk's field checks come from the product; Quote checks again.
	_, err = c.Quote(ctx(t), providers.QuoteRequest{Product: p, Fields: map[string]string{"mobile_no": "9679833706", "circle": "99"}, Amount: money.FromInt(10)})
	refused(t, err, "circle")
	_, err = c.Quote(ctx(t), providers.QuoteRequest{Product: p, Fields: map[string]string{"mobile_no": "9679833706", "circle": "5"}, Amount: money.MustParse("10.50")})
	refused(t, err, "amount")
}

func TestPrefixHint(t *testing.T) {
	cfg := SandboxConfig("http://127.0.0.1:1")
	cfg.Operators = []Operator{{Code: "1", Name: "Airtel", Prefixes: []string{"98"}}}
	c, _ := New(cfg, nil)
	q, err := quote(t, c, "9679833706", "23", "10")
	if err != nil || !strings.Contains(q.Info, "not usually Airtel") {
		t.Fatalf("%+v %v", q.Info, err)
	}
}

func TestPurchaseStatusBalance(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		name := map[bool]string{false: "bearer", true: "legacy"}[legacy]
		t.Run(name, func(t *testing.T) {
			sb, c, _ := start(t, legacy)
			r, err := buy(t, c, "100001")
			if err != nil {
				t.Fatal(err)
			}
			if r.State != providers.Succeeded || r.ProviderRef == "" || len(r.Vouchers) != 1 || r.Vouchers[0].Reference == "" ||
				r.Charged.String() != "9.80 INR" || r.Vouchers[0].Value.String() != "10.00 INR" {
				t.Fatalf("%+v", r)
			}
			if sb.Charged("100001") != 1 || sb.Balance().String() != "9990.2" {
				t.Fatalf("charged %d balance %s", sb.Charged("100001"), sb.Balance())
			}
			s, err := c.Status(ctx(t), providers.SaleRef{Ref: "100001"})
			if err != nil || s.State != providers.Succeeded || s.ProviderRef != r.ProviderRef {
				t.Fatalf("status %+v %v", s, err)
			}
			s, err = c.Status(ctx(t), providers.SaleRef{Ref: "999999"})
			if err != nil || s.State != providers.NotFound {
				t.Fatalf("unknown ref: %+v %v", s, err)
			}
			bal, err := c.Balance(ctx(t))
			if err != nil || len(bal) != 1 || bal[0].String() != "9990.20 INR" {
				t.Fatalf("balance %v %v", bal, err)
			}
		})
	}
}

func TestDuplicateRefIsDoubt(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		sb, c, _ := start(t, legacy)
		if _, err := buy(t, c, "200001"); err != nil {
			t.Fatal(err)
		}
		_, err := buy(t, c, "200001")
		if pe := doubt(t, err); pe.Code != "duplicate" {
			t.Fatalf("code %q", pe.Code)
		}
		if sb.Charged("200001") != 1 || sb.Balance().String() != "9990.2" {
			t.Fatal("duplicate charged again")
		}
	}
}

func TestBadCredentials(t *testing.T) {
	_, _, url := start(t, false)
	cfg := SandboxConfig(url)
	cfg.Password = secret.New("wrong")
	bad, _ := New(cfg, nil)
	_, err := buy(t, bad, "300001")
	pe := refused(t, err, "signin")
	if !strings.Contains(pe.Message, "username and password") {
		t.Fatalf("message %q", pe.Message)
	}
	lcfg := SandboxLegacyConfig(url)
	lcfg.APIPassword = secret.New("wrong")
	lbad, _ := New(lcfg, nil)
	_, err = buy(t, lbad, "300002")
	pe = refused(t, err, "error 2")
	if !strings.Contains(pe.Message, "login") {
		t.Fatalf("message %q", pe.Message)
	}
}

func TestExpiredToken(t *testing.T) {
	sb, c, _ := start(t, false)
	if _, err := buy(t, c, "310001"); err != nil {
		t.Fatal(err)
	}
	sb.ExpireTokens()
	// A look-up signs in again by itself.
	if s, err := c.Status(ctx(t), providers.SaleRef{Ref: "310001"}); err != nil || s.State != providers.Succeeded {
		t.Fatalf("%+v %v", s, err)
	}
	sb.ExpireTokens()
	// A purchase is never sent twice: it is refused, and the next one works.
	_, err := buy(t, c, "310002")
	refused(t, err, "HTTP 401")
	if sb.Charged("310002") != 0 {
		t.Fatal("charged")
	}
	if _, err := buy(t, c, "310003"); err != nil {
		t.Fatal(err)
	}
}

func TestSandboxRefusals(t *testing.T) {
	sb, c, _ := start(t, false)
	_ = sb.Faults.Set(sandboxkit.FaultNoBalance, "on")
	_, err := buy(t, c, "400001")
	if pe := refused(t, err, "error 3"); !strings.Contains(pe.Message, "balance") {
		t.Fatalf("%q", pe.Message)
	}
	sb.Faults.Reset()
	_ = sb.Faults.Set(sandboxkit.FaultOutOfStock, "on")
	_, err = buy(t, c, "400002")
	if pe := refused(t, err, "error 4"); !strings.Contains(pe.Message, "operator") {
		t.Fatalf("%q", pe.Message)
	}
	sb.Faults.Reset()
	// An operator the sandbox does not know (configured on our side only).
	cfg := c.cfg
	cfg.Operators = []Operator{{Code: "77", Name: "Ghost"}}
	g, _ := New(cfg, nil)
	p := product(t, g, "prepaid-77")
	q, err := g.Quote(ctx(t), providers.QuoteRequest{Product: p, Fields: map[string]string{"mobile_no": "9679833706", "circle": "23"}, Amount: money.FromInt(10)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.Purchase(ctx(t), providers.PurchaseRequest{Ref: "400003", Quote: q})
	if pe := refused(t, err, "error 2"); !strings.Contains(pe.Message, "operator") {
		t.Fatalf("%q", pe.Message)
	}
	if sb.Charged("400001")+sb.Charged("400002")+sb.Charged("400003") != 0 {
		t.Fatal("a refusal was charged")
	}
}

func TestPendingThenSuccess(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		sb, c, _ := start(t, legacy)
		_ = sb.Faults.Set(sandboxkit.FaultPending, "2")
		r, err := buy(t, c, "500001")
		if err != nil || r.State != providers.Pending || r.ProviderRef == "" || len(r.Vouchers) != 0 {
			t.Fatalf("%+v %v", r, err)
		}
		if !legacy && r.Message != "order in queue" {
			t.Fatalf("message %q", r.Message)
		}
		for i, want := range []providers.State{providers.Pending, providers.Pending, providers.Succeeded} {
			s, err := c.Status(ctx(t), providers.SaleRef{Ref: "500001"})
			if err != nil || s.State != want {
				t.Fatalf("poll %d: %+v %v", i, s, err)
			}
			if want == providers.Succeeded && (len(s.Vouchers) != 1 || s.Vouchers[0].Reference == "") {
				t.Fatalf("no operator reference: %+v", s)
			}
		}
	}
}

func TestFaults(t *testing.T) {
	t.Run("latency", func(t *testing.T) {
		sb, c, _ := start(t, false)
		_ = sb.Faults.Set(sandboxkit.FaultLatency, "50ms")
		t0 := time.Now()
		if _, err := buy(t, c, "600001"); err != nil {
			t.Fatal(err)
		}
		if time.Since(t0) < 100*time.Millisecond { // sign-in and recharge
			t.Fatal("no latency")
		}
	})
	t.Run("no answer", func(t *testing.T) {
		sb, c, _ := start(t, false)
		q := mustQuote(t, c)
		if _, err := c.Balance(ctx(t)); err != nil { // sign in first
			t.Fatal(err)
		}
		_ = sb.Faults.Set(sandboxkit.FaultNoAnswer, "on")
		cx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		_, err := c.Purchase(cx, providers.PurchaseRequest{Ref: "600002", Quote: q})
		doubt(t, err)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want a deadline", err)
		}
		sb.Faults.Reset()
		if s, err := c.Status(ctx(t), providers.SaleRef{Ref: "600002"}); err != nil || s.State != providers.NotFound {
			t.Fatalf("%+v %v", s, err)
		}
	})
	for _, fault := range []string{sandboxkit.FaultCutAfterCommit, sandboxkit.FaultHangAfterCommit} {
		for _, legacy := range []bool{false, true} {
			t.Run(fault+map[bool]string{false: "/bearer", true: "/legacy"}[legacy], func(t *testing.T) {
				sb, c, _ := start(t, legacy)
				q := mustQuote(t, c)
				if _, err := c.Balance(ctx(t)); err != nil {
					t.Fatal(err)
				}
				_ = sb.Faults.Set(fault, "on")
				cx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
				defer cancel()
				_, err := c.Purchase(cx, providers.PurchaseRequest{Ref: "600003", Quote: q})
				doubt(t, err)
				sb.Faults.Reset()
				s, err := c.Status(ctx(t), providers.SaleRef{Ref: "600003"})
				if err != nil || s.State != providers.Succeeded || sb.Charged("600003") != 1 {
					t.Fatalf("%+v %v", s, err)
				}
			})
		}
	}
}

// TestCannedAnswers checks the wire: one POST, JSON body with the seed's
// fields, bearer token; and what each odd answer becomes.
func TestCannedAnswers(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		state  providers.State
		refuse string // code; "" with no state means doubt
	}{
		{"seed queued", 200, strings.Replace(seedQueued, "5165483", "700001", 1), providers.Pending, ""},
		{"seed status success", 200, seedStatus, providers.Succeeded, ""},
		{"failure", 200, `{"error":0,"msg":Recharge failed at operator,"status":3,"orderid":"x","partnerreqid":"700001"}`, providers.Failed, ""},
		{"hold", 200, `{"error":0,"msg":hold,"status":5,"orderid":"x"}`, providers.Pending, ""},
		{"seed duplicate", 200, seedDuplicate, "", ""},
		{"refused", 200, `{"error":5,"msg":"Invalid amount for this operator"}`, "", "error 5"},
		{"error with pending status", 200, `{"error":7,"msg":"queued","status":2}`, "", ""},
		{"no status", 200, `{"error":0,"msg":"ok"}`, "", ""},
		{"other sale", 200, `{"error":0,"status":1,"partnerreqid":"123"}`, "", ""},
		{"html", 200, "<html><body>Service Unavailable</body></html>", "", ""},
		{"truncated", 200, seedQueued[:70], "", ""},
		{"empty", 200, "", "", ""},
		{"5xx", 503, `{"error":1,"msg":"busy"}`, "", ""},
		{"4xx not json", 404, "Not Found", "", ""},
		{"error not a number", 200, `{"error":"E","msg":"x"}`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/member/signin" {
					_, _ = io.WriteString(w, `{"error":0,"token":"t0k"}`)
					return
				}
				calls.Add(1)
				var in map[string]any
				dec := json.NewDecoder(r.Body)
				dec.UseNumber()
				err := dec.Decode(&in)
				if r.Method != http.MethodPost || r.URL.Path != "/recharge/prepaid" || r.Header.Get("Authorization") != "Bearer t0k" ||
					r.Header.Get("Idempotency-Key") != "" || err != nil ||
					in["mobile_no"] != json.Number("9679833706") || in["operator_code"] != json.Number("1") || in["amount"] != json.Number("10") ||
					in["circle"] != json.Number("23") || in["partner_request_id"] != "700001" || in["recharge_type"] != "1" ||
					in["user_var1"] != "T-01" || in["user_var2"] != "ravi" || in["user_var3"] != "700001" {
					t.Errorf("request %s %s %v %v", r.Method, r.URL, in, err)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			c, _ := New(SandboxConfig(srv.URL), srv.Client())
			r, err := buy(t, c, "700001")
			switch {
			case tt.state != "":
				if err != nil || r.State != tt.state {
					t.Fatalf("%+v %v", r, err)
				}
			case tt.refuse != "":
				refused(t, err, tt.refuse)
			default:
				doubt(t, err)
			}
			if calls.Load() != 1 {
				t.Fatalf("%d recharge requests", calls.Load())
			}
		})
	}
}

func TestLegacyWire(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Method != http.MethodPost || r.URL.Path != "/get/prepaid/mobile" || q.Get("partner_id") != sandboxPartnerID ||
			q.Get("api_password") != sandboxAPIPassword || q.Get("mobile_no") != "9679833706" || q.Get("partner_request_id") != "800001" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		// Cut the connection: the error must not show the URL and its password.
		sandboxkit.Cut(w)
	}))
	defer srv.Close()
	c, _ := New(SandboxLegacyConfig(srv.URL), srv.Client())
	_, err := buy(t, c, "800001")
	doubt(t, err)
}

func TestStatusAnswers(t *testing.T) {
	tests := []struct {
		body  string
		state providers.State
		ok    bool
	}{
		{seedStatus, providers.Succeeded, true},
		{`{"error":1,"msg":"No record found"}`, providers.NotFound, true},
		{`{"ERROR":1,"MESSAGE":"Transaction not found"}`, providers.NotFound, true},
		{`{"error":1,"msg":"Server busy"}`, "", false},
		{`{"error":0,"status":1,"partnerreqid":"other"}`, "", false},
		{`<html>`, "", false},
	}
	for _, tt := range tests {
		r, err := statusResult("900001", httpAnswer{status: 200, body: []byte(tt.body)})
		if (err == nil) != tt.ok || r.State != tt.state {
			t.Errorf("%s: %+v %v", tt.body, r, err)
		}
	}
}

func TestUserVar(t *testing.T) {
	if got := userVar("Kiosk #1 — Riyadh/ß"); got != "Kiosk1Riyadh" {
		t.Fatalf("%q", got)
	}
}
