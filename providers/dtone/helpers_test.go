package dtone

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/dtone/dtonesim"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

// Numbers the simulator accepts, per country, and one it calls invalid
// (it refuses numbers ending in 0000).
const (
	gtMobile   = "50255501234"
	gtInvalid  = "50255500000"
	inMobile   = "919876543210"
	tvAccount  = "12345678"
	tvInvalid  = "12340000"
	meter      = "523012345678"
	usd        = "USD"
	testWindow = 5 * time.Second
)

// demoCountries are the simulator's countries by DT One id.
var demoCountries = []string{"678", "730", "756", "766", "767", "826", "840"}

// rig is one simulator on loopback (mounted under /dtone, as in the app)
// with a record of the requests it got.
type rig struct {
	sim   *dtonesim.Server
	clock *clock.Fake
	base  string // the client's base_url
	root  string // the server root

	mu   sync.Mutex
	seen []string // "GET /operators/1959/products"
}

// newRig starts a simulator serving the given extensions (none: the
// document only), with its clock at clock.Start.
func newRig(t *testing.T, ext ...string) *rig {
	t.Helper()
	r := &rig{clock: clock.NewFake(clock.Start)}
	sim, err := dtonesim.New(dtonesim.Options{Now: r.clock.Now, Extensions: ext})
	if err != nil {
		t.Fatal(err)
	}
	r.sim = sim
	record := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.seen = append(r.seen, req.Method+" "+req.URL.Path)
		r.mu.Unlock()
		sim.ServeHTTP(w, req)
	})
	srv, err := sandboxkit.Start("127.0.0.1:0", sandboxkit.Mount(map[string]http.Handler{"dtone": record}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	r.root, r.base = srv.URL, srv.URL+"/dtone"
	return r
}

// requests returns the requests seen so far.
func (r *rig) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

// config is a client configuration for the rig with the given extensions
// and the demo countries by id.
func (r *rig) config(ext ...string) Config {
	return Config{BaseURL: r.base, APIKey: secret.New(dtonesim.APIKey), APISecret: secret.New(dtonesim.APISecret),
		Simulation: true, Countries: append([]string(nil), demoCountries...), Extensions: ext}
}

// client builds a client for the rig.
func (r *rig) client(t *testing.T, ext ...string) providers.Provider {
	t.Helper()
	return newClient(t, r.config(ext...))
}

func newClient(t *testing.T, cfg Config) providers.Provider {
	t.Helper()
	c, err := New(cfg, &http.Client{Timeout: testWindow})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), testWindow)
	t.Cleanup(cancel)
	return c
}

var refSeq atomic.Int64

// newRef is a fresh 16-digit reference, like the engine's.
func newRef() string { return fmt.Sprintf("%016d", 1001000000000000+refSeq.Add(1)) }

func catalog(t *testing.T, c providers.Provider) map[string]providers.Product {
	t.Helper()
	list, err := c.Catalog(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]providers.Product{}
	for _, p := range list {
		if _, dup := out[p.ID]; dup {
			t.Fatalf("product %s listed twice", p.ID)
		}
		out[p.ID] = p
	}
	return out
}

func findProduct(t *testing.T, c providers.Provider, id string) providers.Product {
	t.Helper()
	p, ok := catalog(t, c)[id]
	if !ok {
		t.Fatalf("product %s not in catalogue", id)
	}
	return p
}

func usdOf(s string) money.Money { return money.New(money.MustParse(s), usd) }

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

func mustQuote(t *testing.T, c providers.Provider, p providers.Product, account, amount string) providers.Quote {
	t.Helper()
	q, err := c.Quote(ctx(t), quoteReq(p, account, amount))
	if err != nil {
		t.Fatalf("quote %s: %v", p.ID, err)
	}
	return q
}

// sell quotes and buys, failing the test on any error.
func sell(t *testing.T, c providers.Provider, p providers.Product, account, amount string) (string, providers.Result) {
	t.Helper()
	q := mustQuote(t, c, p, account, amount)
	ref := newRef()
	r, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Quote: q})
	if err != nil {
		t.Fatalf("purchase %s: %v", p.ID, err)
	}
	return ref, r
}

func status(t *testing.T, c providers.Provider, ref string, p providers.Product) (providers.Result, error) {
	t.Helper()
	sc, ok := c.(providers.StatusChecker)
	if !ok {
		t.Fatal("no StatusChecker")
	}
	return sc.Status(ctx(t), providers.SaleRef{Ref: ref, Product: p})
}

func provErr(err error) *providers.Error {
	var pe *providers.Error
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}

func errCode(err error) string {
	if pe := provErr(err); pe != nil {
		return pe.Code
	}
	return ""
}

// seedRoutes are the requests the seed document describes.
var seedRoutes = []*regexp.Regexp{
	regexp.MustCompile(`^GET /operators/\d+/products$`),                                // seed L54
	regexp.MustCompile(`^GET /countries/\d+/products$`),                                // seed L113
	regexp.MustCompile(`^GET /services/\d+/products$`),                                 // seed L153
	regexp.MustCompile(`^GET /product/variable_value_recharges/\d+/suggested_values$`), // seed L193
	regexp.MustCompile(`^GET /products/\d+/account_number/\d+/status$`),                // seed L238
}

func isSeedRoute(req string) bool {
	for _, re := range seedRoutes {
		if re.MatchString(req) {
			return true
		}
	}
	return false
}

// validSignature checks a request's auth headers as DT One does (PROVIDERS.md).
func validSignature(r *http.Request) bool {
	want := signature(dtonesim.APIKey, dtonesim.APISecret, r.Header.Get(headerNonce))
	return r.Header.Get(headerKey) == dtonesim.APIKey && hmac.Equal([]byte(r.Header.Get(headerHMAC)), []byte(want))
}
