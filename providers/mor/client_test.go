package mor

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"kiosk/providers"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

// start runs a fresh sandbox on loopback and a client for it.
func start(t *testing.T) (*Sandbox, *Client) {
	t.Helper()
	sb := NewSandbox()
	srv, err := sandboxkit.Start("127.0.0.1:0", sb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c, err := New(SandboxConfig(srv.URL), &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return sb, c
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

// buy quotes qty cards of group and buys them under ref.
func buy(t *testing.T, c *Client, group, qty, ref string) (providers.Result, error) {
	t.Helper()
	q, err := quote(t, c, group, qty)
	if err != nil {
		t.Fatalf("quote: %v", err)
	}
	return c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Terminal: "T1", Clerk: "amal", Quote: q})
}

func quote(t *testing.T, c *Client, group, qty string) (providers.Quote, error) {
	t.Helper()
	p := findProduct(t, c, group)
	fields := map[string]string{"quantity": qty}
	if err := p.ValidateFields(fields); err != nil {
		return providers.Quote{}, err
	}
	return c.Quote(ctx(t), providers.QuoteRequest{Product: p, Fields: fields})
}

func findProduct(t *testing.T, c *Client, id string) providers.Product {
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

func refused(t *testing.T, err error, code string) {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Outcome != providers.Refused {
		t.Fatalf("want refusal %q, got %v", code, err)
	}
	if pe.Code != code {
		t.Fatalf("code = %q, want %q (%v)", pe.Code, code, err)
	}
	if strings.Contains(err.Error(), sandboxSecret) || strings.Contains(providers.ClerkMessage(err), sandboxSecret) {
		t.Fatal("secret in error")
	}
}

func doubt(t *testing.T, err error) *providers.Error {
	t.Helper()
	var pe *providers.Error
	if err == nil || !errors.As(err, &pe) || pe.Outcome != providers.Unknown || providers.IsRefused(err) {
		t.Fatalf("want doubt, got %v", err)
	}
	return pe
}

func TestCatalog(t *testing.T) {
	_, c := start(t)
	ps, err := c.Catalog(ctx(t))
	if err != nil || len(ps) != 3 {
		t.Fatalf("catalog: %d %v", len(ps), err)
	}
	p := ps[0]
	if p.Provider != ID || p.ID != "6" || p.Kind != providers.KindCallingCard || p.PriceKind != providers.PriceFixed ||
		p.Price.String() != "5.00 USD" || p.Cost.Amount.String() != "4.5" || p.Brand != "Calling cards" || p.NameAr == "" {
		t.Fatalf("product = %+v", p)
	}
	f := p.Fields[0]
	if f.Name != "quantity" || f.Kind != providers.FieldDigits || f.Default != "1" {
		t.Fatalf("field = %+v", f)
	}
	for v, ok := range map[string]bool{"1": true, "5": true, "0": false, "12": false, "x": false, "": false} {
		if err := p.ValidateFields(map[string]string{"quantity": v}); (err == nil) != ok {
			t.Errorf("quantity %q: %v", v, err)
		}
	}
	if c.Info().ID != ID || !c.Info().Sandbox {
		t.Fatalf("info = %+v", c.Info())
	}
}

func TestQuote(t *testing.T) {
	_, c := start(t)
	q, err := quote(t, c, "6", "2")
	if err != nil {
		t.Fatal(err)
	}
	if q.Quantity != 2 || q.Retail.String() != "10.00 USD" || q.Cost.String() != "9.00 USD" {
		t.Fatalf("quote = %+v", q)
	}
	_, err = quote(t, c, "6", "6")
	refused(t, err, "quantity")
	_, err = c.Quote(ctx(t), providers.QuoteRequest{Product: providers.Product{Provider: ID, ID: "99"}})
	refused(t, err, errNoGroup)
}

func TestPurchaseOneAndTwo(t *testing.T) {
	sb, c := start(t)
	r, err := buy(t, c, "6", "1", "100001")
	if err != nil {
		t.Fatal(err)
	}
	if r.State != providers.Succeeded || len(r.Vouchers) != 1 || r.Vouchers[0].PIN == "" || r.Vouchers[0].Serial != "6000001" ||
		r.Vouchers[0].Value.String() != "5.00 USD" || r.Charged.String() != "4.50 USD" || r.ProviderRef != "6000001" {
		t.Fatalf("result = %+v", r)
	}
	// The seed's example: two cards from group 6.
	r, err = buy(t, c, "6", "2", "100002")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Vouchers) != 2 || r.Vouchers[0].Serial == r.Vouchers[1].Serial || r.Charged.String() != "9.00 USD" {
		t.Fatalf("result = %+v", r)
	}
	if sb.Sold() != 2 || sb.Charged("100001") != 1 || sb.Charged("100002") != 1 || sb.Charged("1") != 0 {
		t.Fatalf("sold %d", sb.Sold())
	}
}

func TestFreeCardsRunOut(t *testing.T) {
	sb, c := start(t)
	if _, err := buy(t, c, "8", "2", "200001"); err != nil {
		t.Fatal(err)
	}
	_, err := buy(t, c, "8", "1", "200002")
	refused(t, err, errNoFreeCards)
	if sb.Sold() != 1 {
		t.Fatalf("sold %d", sb.Sold())
	}
}

func TestRefusals(t *testing.T) {
	sb, c := start(t)
	base := c.cfg.BaseURL
	tests := []struct {
		name  string
		cfg   func() Config
		group string
		code  string
	}{
		{"bad login", func() Config { cf := SandboxConfig(base); cf.Username = "intruder"; return cf }, "6", errBadLogin},
		{"wrong key", func() Config { cf := SandboxConfig(base); cf.SecretKey = secret.New("000000"); return cf }, "6", errIncorrectHash},
		{"unknown group", func() Config {
			cf := SandboxConfig(base)
			cf.CardGroups[0].ID = "99"
			return cf
		}, "99", errNoGroup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl, err := New(tt.cfg(), nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = buy(t, cl, tt.group, "1", "300001")
			refused(t, err, tt.code)
			if !strings.Contains(providers.ClerkMessage(err), "MOR") && tt.code != errNoGroup {
				t.Errorf("message %q", providers.ClerkMessage(err))
			}
		})
	}
	if sb.Sold() != 0 {
		t.Fatalf("sold %d", sb.Sold())
	}
}

func TestFaults(t *testing.T) {
	t.Run("latency", func(t *testing.T) {
		sb, c := start(t)
		_ = sb.Faults.Set(sandboxkit.FaultLatency, "60ms")
		t0 := time.Now()
		if _, err := buy(t, c, "6", "1", "400001"); err != nil {
			t.Fatal(err)
		}
		if time.Since(t0) < 60*time.Millisecond {
			t.Fatal("no latency")
		}
	})
	t.Run("out of stock", func(t *testing.T) {
		sb, c := start(t)
		_ = sb.Faults.Set(sandboxkit.FaultOutOfStock, "on")
		_, err := buy(t, c, "6", "1", "400002")
		refused(t, err, errNoFreeCards)
	})
	t.Run("no answer", func(t *testing.T) {
		sb, c := start(t)
		_ = sb.Faults.Set(sandboxkit.FaultNoAnswer, "on")
		q, _ := quote(t, c, "6", "1")
		cx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		_, err := c.Purchase(cx, providers.PurchaseRequest{Ref: "400003", Quote: q})
		doubt(t, err)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want a deadline", err)
		}
		if sb.Sold() != 0 {
			t.Fatal("no-answer committed a sale")
		}
	})
	for _, fault := range []string{sandboxkit.FaultHangAfterCommit, sandboxkit.FaultCutAfterCommit} {
		t.Run(fault, func(t *testing.T) {
			sb, c := start(t)
			_ = sb.Faults.Set(fault, "on")
			q, _ := quote(t, c, "6", "1")
			cx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			_, err := c.Purchase(cx, providers.PurchaseRequest{Ref: "400004", Quote: q})
			doubt(t, err)
			// MOR has no status call: the sandbox shows the card was sold,
			// which is why the core sends such a sale to review.
			if sb.Charged("400004") != 1 {
				t.Fatalf("charged %d", sb.Charged("400004"))
			}
		})
	}
	t.Run("no balance and pending do not apply", func(t *testing.T) {
		sb, c := start(t)
		_ = sb.Faults.Parse("no-balance,pending=2")
		r, err := buy(t, c, "6", "1", "400005")
		if err != nil || r.State != providers.Succeeded {
			t.Fatalf("%+v %v", r, err)
		}
	})
}

// TestSameRefSellsAgain documents MOR's limit: it has no reference, so a
// repeated request sells a second card. Only the core can prevent that,
// by never repeating a purchase.
func TestSameRefSellsAgain(t *testing.T) {
	sb, c := start(t)
	for range 2 {
		if _, err := buy(t, c, "7", "1", "500001"); err != nil {
			t.Fatal(err)
		}
	}
	if sb.Charged("500001") != 2 {
		t.Fatalf("charged %d", sb.Charged("500001"))
	}
}

// TestBadAnswers serves canned answers: each must leave the sale in doubt
// (or be a refusal when it is a documented error), and the request must be
// a single POST with a form body and no Idempotency-Key.
func TestBadAnswers(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		refuse string
	}{
		{"html", 200, "<html><body>Maintenance</body></html>", ""},
		{"truncated", 200, seedSuccess[:120], ""},
		{"empty", 200, "", ""},
		{"garbage", 200, "OK", ""},
		{"5xx", 502, "<html>Bad gateway</html>", ""},
		{"5xx with error", 500, "<error>Bad login</error>", ""},
		{"4xx html", 404, "<html>Not found</html>", ""},
		{"undocumented error", 200, "<page><error>Database is busy</error></page>", ""},
		{"4xx documented", 403, "<page><error>Bad login</error></page>", errBadLogin},
		{"already sold", 200, "<error>Card is already sold</error>", errAlreadySold},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				b, _ := io.ReadAll(r.Body)
				if r.Method != http.MethodPost || r.URL.Path != sellPath || r.Header.Get("Idempotency-Key") != "" ||
					!strings.Contains(string(b), "hash=") || r.URL.RawQuery != "" || r.Header.Get(RefHeader) != "600001" {
					t.Errorf("request %s %s %q %q", r.Method, r.URL, b, r.Header)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			c, err := New(SandboxConfig(srv.URL), srv.Client())
			if err != nil {
				t.Fatal(err)
			}
			_, err = buy(t, c, "6", "1", "600001")
			if tt.refuse != "" {
				refused(t, err, tt.refuse)
			} else {
				doubt(t, err)
				if !strings.Contains(err.Error(), "600001") {
					t.Errorf("error does not name the ref: %v", err)
				}
			}
			if calls.Load() != 1 {
				t.Fatalf("%d requests", calls.Load())
			}
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, _ := New(SandboxConfig(url), nil)
	_, err := buy(t, c, "6", "1", "700001")
	pe := doubt(t, err)
	if !strings.Contains(pe.Message, "no answer") {
		t.Fatalf("message %q", pe.Message)
	}
}

func TestSandboxSpeaksMOR(t *testing.T) {
	sb := NewSandbox()
	srv := httptest.NewServer(sb)
	defer srv.Close()
	// The seed's example request, as a POST with query parameters on the old name.
	resp, err := http.Post(srv.URL+"/billing/api/buy_card_from_callingroup?u=kiosk&id=6&quantity=2&hash=37086d860581fabc278413cd1a417d5c079f6eba", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	a, err := parseAnswer(b)
	if err != nil || len(a.Cards) != 2 {
		t.Fatalf("answer %s: %v", b, err)
	}
	// Selling a named card twice: "Card is already sold".
	num := a.Cards[0].Number
	resp, err = http.Post(srv.URL+sellPath+"?u=kiosk&id=6&number="+num+"&hash="+Hash(sandboxSecret, "", "6", ""), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if a, err := parseAnswer(b); err != nil || a.Error != errAlreadySold {
		t.Fatalf("answer %s: %v", b, err)
	}
	if !strings.Contains(sb.Credentials(), "456789") {
		t.Fatal("credentials line")
	}
}
