package mor

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/mor/morsim"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

// simConfig is the client configuration for the simulator at base, built
// from the simulator's exported credentials (the tests must not import
// kiosk/sandboxes, which imports this package).
//
// It sends the ref-header extension, so the simulator can count charges
// per sale; TestRefHeaderOnlyWhenConfigured sells without it.
func simConfig(base string) Config {
	return Config{
		BaseURL: base, Username: morsim.User, SecretKey: secret.New(morsim.Secret), Sandbox: true,
		Extensions: []string{ExtRefHeader},
		CardGroups: []CardGroup{
			{ID: "6", Name: "International calling card 5 USD", NameAr: "بطاقة اتصال دولية 5 دولار",
				Price: money.MustParse("5.00"), Cost: money.MustParse("4.50"), Currency: "USD", MaxQuantity: 5,
				AccessNumber: "+1 800 555 0100"},
			{ID: "7", Name: "International calling card 10 USD", NameAr: "بطاقة اتصال دولية 10 دولار",
				Price: money.MustParse("10.00"), Cost: money.MustParse("9.00"), Currency: "USD", MaxQuantity: 5,
				AccessNumber: "+1 800 555 0100"},
			{ID: "8", Name: "Hajj calling card 20 SAR", NameAr: "بطاقة اتصال الحج 20 ريال", Brand: "Calling cards",
				Price: money.MustParse("20.00"), Currency: "SAR", MaxQuantity: 3,
				AccessNumber: "8001240000"},
		},
	}
}

// wire is one request as the server received it.
type wire struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Form                   url.Values // the body's form
}

// rig is the simulator on loopback, mounted under /mor as the kiosk mounts
// it, with a client for it and a record of every request.
type rig struct {
	sim  *morsim.Server
	c    *Client
	clk  *clock.Fake
	root string // server root; the client's base_url is root + "/mor"
	cfg  Config

	mu   sync.Mutex
	reqs []wire
}

// newRig starts the simulator serving the given extensions (none: the
// document only) and a client configured by edit.
func newRig(t *testing.T, ext []string, edit func(*Config)) *rig {
	t.Helper()
	r := &rig{clk: clock.NewFake(clock.Start)}
	sim, err := morsim.New(morsim.Options{Now: r.clk.Now, Extensions: ext})
	if err != nil {
		t.Fatal(err)
	}
	r.sim = sim
	mux := sandboxkit.Mount(map[string]http.Handler{"mor": sim})
	record := http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		b, _ := io.ReadAll(hr.Body)
		hr.Body = io.NopCloser(bytes.NewReader(b))
		form, _ := url.ParseQuery(string(b))
		r.mu.Lock()
		r.reqs = append(r.reqs, wire{hr.Method, hr.URL.Path, hr.URL.RawQuery, hr.Header.Clone(), form})
		r.mu.Unlock()
		mux.ServeHTTP(w, hr)
	})
	srv, err := sandboxkit.Start("127.0.0.1:0", record)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	r.root = srv.URL
	r.cfg = simConfig(srv.URL + "/mor")
	r.cfg.Now = r.clk.Now
	if edit != nil {
		edit(&r.cfg)
	}
	if r.c, err = New(r.cfg, &http.Client{Timeout: 10 * time.Second}); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) requests() []wire {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]wire(nil), r.reqs...)
}

// variants are the simulator's configurations every contract test runs
// against: the document alone, then each extension it has. The client's
// configuration is the same in all of them: it knows no extension.
func variants() map[string][]string {
	v := map[string][]string{"document": nil}
	for _, e := range morsim.ExtensionNames {
		v["with "+e] = []string{e}
	}
	return v
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// buy quotes qty cards of group and buys them under ref.
func buy(t *testing.T, c *Client, group, qty, ref string) (providers.Result, error) {
	t.Helper()
	return buyCtx(ctx(t), t, c, group, qty, ref)
}

func buyCtx(cx context.Context, t *testing.T, c *Client, group, qty, ref string) (providers.Result, error) {
	t.Helper()
	q, err := quote(t, c, group, qty)
	if err != nil {
		t.Fatalf("quote: %v", err)
	}
	return c.Purchase(cx, providers.PurchaseRequest{Ref: ref, Terminal: "T1", Clerk: "amal", Quote: q})
}

func quote(t *testing.T, c *Client, group, qty string) (providers.Quote, error) {
	t.Helper()
	p := findProduct(t, c, group)
	fields := p.NormalizeFields(map[string]string{"quantity": qty})
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

// noSecret fails when the API secret shows in an error or its clerk text.
func noSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && (strings.Contains(err.Error(), morsim.Secret) || strings.Contains(providers.ClerkMessage(err), morsim.Secret)) {
		t.Fatalf("secret in error: %v", err)
	}
}

func refused(t *testing.T, err error, code string) *providers.Error {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Outcome != providers.Refused {
		t.Fatalf("want refusal %q, got %v", code, err)
	}
	if pe.Code != code {
		t.Fatalf("code = %q, want %q (%v)", pe.Code, code, err)
	}
	if pe.Config || pe.Duplicate {
		t.Fatalf("refusal marked config/duplicate: %+v", pe)
	}
	noSecret(t, err)
	return pe
}

func doubt(t *testing.T, err error) *providers.Error {
	t.Helper()
	var pe *providers.Error
	if err == nil || !errors.As(err, &pe) || pe.Outcome != providers.Unknown || providers.IsRefused(err) {
		t.Fatalf("want doubt, got %v", err)
	}
	noSecret(t, err)
	return pe
}

// configDoubt is a route that does not exist: a doubt marked Config whose
// message names the setting, never an outcome.
func configDoubt(t *testing.T, err error) *providers.Error {
	t.Helper()
	pe := doubt(t, err)
	if !pe.Config || !providers.IsConfig(err) || !strings.Contains(pe.Message, "base_url") {
		t.Fatalf("want a configuration error naming base_url, got %+v", pe)
	}
	return pe
}

// eventually polls cond until it holds, failing after a generous bound.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: never happened", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
