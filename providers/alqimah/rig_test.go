package alqimah

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/alqimah/alqimahsim"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

// simConfig is the client configuration for the simulator at base, built
// from its exported credentials: the unit prices of its networks and the
// offers it sells (alqimahsim.DefaultNetworks, DefaultOffers).
func simConfig(base string, now func() time.Time) Config {
	return Config{
		BaseURL: base, AccountNumber: alqimahsim.AccountNumber, Username: alqimahsim.UserName,
		Password: secret.New(alqimahsim.Password), APIToken: secret.New(alqimahsim.APIToken),
		Currency: "YER",
		Networks: map[string]Network{
			Sabafon:  {UnitPrice: money.MustParse("1.21")},
			YOU:      {UnitPrice: money.MustParse("1.18")},
			YTelecom: {UnitPrice: money.MustParse("1.15")},
		},
		Offers: []Offer{
			{Network: YemenMobile, Code: "A4990006", Name: "Mazaya 4G VoLTE monthly (prepaid)", NameAr: "باقة مزايا فورجي فولتي الشهريه دفع مسبق", Price: money.MustParse("2500")},
			{Network: YemenMobile, Code: "A3825", Name: "Tawfeer 4G 5 GB monthly (prepaid)", NameAr: "دفع مسبق باقة نت توفير فورجي 5 جيجا الشهرية", Price: money.MustParse("1600")},
			{Network: Sabafon, Code: "PREWhatsApp", Name: "WhatsApp monthly bundle", NameAr: "باقة واتساب الشهرية", Price: money.MustParse("500")},
		},
		Now: now,
	}
}

// gate sits between the client and the simulator on the loopback server:
// it counts and records what the client sends, and can answer a request
// itself instead of the simulator.
type gate struct {
	sim http.Handler

	mu       sync.Mutex
	logins   int      // POST /rest-api/login seen
	api      int      // requests to any other path seen
	requests []record // every request, in order
	answer   func(r record) (status int, contentType, body string, ok bool)
}

// record is one request as the client sent it.
type record struct {
	Method, Path string
	Header       http.Header
	Body         map[string]any
	Raw          string
}

// service is the request's NetworkNumber/ServiceNumber, as "0/2".
func (r record) service() string {
	n, _ := r.Body["NetworkNumber"].(json.Number)
	s, _ := r.Body["ServiceNumber"].(json.Number)
	return string(n) + "/" + string(s)
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	rec := record{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Raw: string(raw)}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	_ = d.Decode(&rec.Body)
	g.mu.Lock()
	if r.URL.Path == loginPath {
		g.logins++
	} else {
		g.api++
	}
	g.requests = append(g.requests, rec)
	answer := g.answer
	g.mu.Unlock()
	if answer != nil {
		if status, ct, body, ok := answer(rec); ok {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
			return
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	g.sim.ServeHTTP(w, r)
}

func (g *gate) set(f func(r record) (int, string, string, bool)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.answer = f
}

// counts returns the logins and other requests seen so far.
func (g *gate) counts() (logins, api int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.logins, g.api
}

func (g *gate) sent() []record {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]record(nil), g.requests...)
}

// rig is a simulator on loopback, behind a gate, and a client talking to it
// over real HTTP, both on one fake clock.
type rig struct {
	t    *testing.T
	sim  *alqimahsim.Server
	gate *gate
	clk  *clock.Fake
	c    *Client
	url  string
}

type rigOptions struct {
	zone *time.Location
	edit func(*Config)
	sim  func(*alqimahsim.Options)
}

func newRig(t *testing.T, opts ...func(*rigOptions)) *rig {
	t.Helper()
	var o rigOptions
	for _, f := range opts {
		f(&o)
	}
	clk := clock.NewFake(clock.Start)
	so := alqimahsim.Options{Now: clk.Now, Zone: o.zone}
	if o.sim != nil {
		o.sim(&so)
	}
	sim, err := alqimahsim.New(so)
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{sim: sim}
	srv, err := sandboxkit.Start("127.0.0.1:0", g)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	cfg := simConfig(srv.URL, clk.Now)
	if o.edit != nil {
		o.edit(&cfg)
	}
	c, err := New(cfg, &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{t: t, sim: sim, gate: g, clk: clk, c: c, url: srv.URL}
}

func inZone(z *time.Location) func(*rigOptions) { return func(o *rigOptions) { o.zone = z } }
func withConfig(f func(*Config)) func(*rigOptions) {
	return func(o *rigOptions) { o.edit = f }
}

func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func (r *rig) ctx() context.Context { return testCtx(r.t, 10*time.Second) }

func (r *rig) product(id string) providers.Product {
	r.t.Helper()
	ps, err := r.c.Catalog(r.ctx())
	if err != nil {
		r.t.Fatal(err)
	}
	for _, p := range ps {
		if p.ID == id {
			return p
		}
	}
	r.t.Fatalf("no product %s", id)
	return providers.Product{}
}

func (r *rig) quote(id string, fields map[string]string, amount string) providers.Quote {
	r.t.Helper()
	req := providers.QuoteRequest{Product: r.product(id), Fields: fields}
	if amount != "" {
		req.Amount = money.MustParse(amount)
	}
	q, err := r.c.Quote(r.ctx(), req)
	if err != nil {
		r.t.Fatalf("quote %s: %v", id, err)
	}
	return q
}

func (r *rig) buy(ref string, q providers.Quote) (providers.Result, error) {
	return r.c.Purchase(r.ctx(), providers.PurchaseRequest{Ref: ref, Quote: q})
}

func (r *rig) status(ref string, p providers.Product) (providers.Result, error) {
	return r.c.Status(r.ctx(), providers.SaleRef{Ref: ref, Product: p})
}

func mobile(n string) map[string]string { return map[string]string{fieldMobile: n} }

// wantErr checks an error's meaning: refused (nothing charged) or not, and
// its code when code is set.
func wantErr(t *testing.T, err error, refused bool, code string) *providers.Error {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a *providers.Error", err)
	}
	if providers.IsRefused(err) != refused || (code != "" && pe.Code != code) {
		t.Fatalf("err = %v (refused %v, code %q), want refused %v code %q", err, providers.IsRefused(err), pe.Code, refused, code)
	}
	return pe
}

// Texts the simulator answers with; the seed gives none ("Error Message").
const (
	simDuplicate   = "رقم العملية مستخدم مسبقاً - TransactionID already exists"
	simBadToken    = "Invalid or expired api-token - رمز الدخول غير صالح أو منتهي"
	simBadLogin    = "Invalid login data"
	simNoBalance   = "رصيدك غير كافي - Insufficient balance"
	simUnavailable = "الخدمة غير متوفرة حالياً - Service not available"
	simBadAmount   = "المبلغ غير صحيح - Invalid amount"
	simBadNumber   = "رقم المشترك غير صحيح - Invalid subscriber number"
	simNoSub       = "رقم المشترك غير موجود - Subscriber not found"
	simService     = "رقم الشبكة أو الخدمة غير صحيح - Invalid network or service number"
	simBadOffer    = "رمز العرض غير صحيح - Invalid OfferCode"
	simBadLinkCode = "رمز الفئة غير موجود - LinkCode not found"
	simNoOperation = "العملية غير موجودة - Transaction not found"
)

// canonJSON is a JSON text with its object keys sorted, numbers as written.
func canonJSON(t *testing.T, s string) string {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, s)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
