package india

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/india/indiasim"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

// Contract tests: the client against the simulator written from the seed
// alone (indiasim), over real HTTP on loopback, document-only and with
// each extension.

// wire records the requests a server saw.
type wire struct {
	mu   sync.Mutex
	reqs []seen
}

type seen struct {
	method, path string
	query        url.Values
	header       http.Header
	body         string
}

func (w *wire) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		w.mu.Lock()
		w.reqs = append(w.reqs, seen{r.Method, r.URL.Path, r.URL.Query(), r.Header.Clone(), string(b)})
		w.mu.Unlock()
		h.ServeHTTP(rw, r)
	})
}

func (w *wire) all() []seen {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.reqs)
}

func (w *wire) count(path string) int {
	n := 0
	for _, r := range w.all() {
		if r.path == path {
			n++
		}
	}
	return n
}

// rig is a simulator on loopback and a client configured for it.
type rig struct {
	sim   *indiasim.Server
	url   string
	wire  *wire
	clock *clock.Fake
	p     providers.Provider
	c     *Client
	tt    *testing.T
}

// startSim serves a simulator with the given extensions on loopback.
func startSim(t *testing.T, clk *clock.Fake, ext ...string) (*indiasim.Server, string, *wire) {
	t.Helper()
	sim, err := indiasim.New(indiasim.Options{Now: clk.Now, Extensions: ext})
	if err != nil {
		t.Fatal(err)
	}
	w := &wire{}
	srv, err := sandboxkit.Start("127.0.0.1:0", w.wrap(sim))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return sim, srv.URL, w
}

// config is a client configuration for the simulator at base with the
// given extensions: base_url, recharge_path and the two tables, plus each
// extension's credentials.
func config(base string, clk *clock.Fake, ext ...string) Config {
	c := Config{BaseURL: base, RechargePath: indiasim.DefaultRechargePath, Extensions: ext}
	for _, o := range indiasim.Operators() {
		c.Operators = append(c.Operators, Operator{Code: Code(o.Code), Name: o.Name})
	}
	for _, ci := range indiasim.Circles() {
		c.Circles = append(c.Circles, Circle{Code: Code(ci.Code), Name: ci.Name})
	}
	if slices.Contains(ext, ExtSignin) {
		c.Username, c.Password = indiasim.Username, secret.New(indiasim.Password)
	}
	if slices.Contains(ext, ExtLegacyAuth) {
		c.PartnerID, c.APIPassword = indiasim.PartnerID, secret.New(indiasim.APIPassword)
	}
	if clk != nil {
		c.Now = clk.Now
	}
	return c
}

// start runs the simulator and a client with the same extensions.
func start(t *testing.T, ext []string) *rig {
	t.Helper()
	return startWith(t, ext, ext)
}

// startWith runs the simulator serving simExt and a client configured
// with clientExt.
func startWith(t *testing.T, clientExt, simExt []string) *rig {
	t.Helper()
	clk := clock.NewFake(clock.Start)
	sim, base, w := startSim(t, clk, simExt...)
	r := &rig{sim: sim, url: base, wire: w, clock: clk, tt: t}
	r.p, r.c = build(t, config(base, clk, clientExt...))
	return r
}

func build(t *testing.T, cfg Config) (providers.Provider, *Client) {
	t.Helper()
	p, err := New(cfg, &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return p, inner(p)
}

func inner(p providers.Provider) *Client {
	switch v := p.(type) {
	case *Client:
		return v
	case withStatus:
		return v.Client
	case withBalance:
		return v.Client
	case withBoth:
		return v.Client
	}
	panic("not an india client")
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func product(t *testing.T, p providers.Provider, id string) providers.Product {
	t.Helper()
	ps, err := p.Catalog(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ps {
		if x.ID == id {
			return x
		}
	}
	t.Fatalf("no product %s", id)
	return providers.Product{}
}

// quoteFor quotes as the engine does: fields normalised, then validated.
func quoteFor(t *testing.T, p providers.Provider, productID, mobile, circle, amount string) (providers.Quote, error) {
	t.Helper()
	pr := product(t, p, productID)
	f := pr.NormalizeFields(map[string]string{"mobile_no": mobile, "circle": circle})
	if err := pr.ValidateFields(f); err != nil {
		return providers.Quote{}, err
	}
	a := money.MustParse(amount)
	if err := pr.ValidateAmount(a); err != nil {
		return providers.Quote{}, err
	}
	return p.Quote(ctx(t), providers.QuoteRequest{Product: pr, Fields: f, Amount: a})
}

func mustQuote(t *testing.T, p providers.Provider) providers.Quote {
	t.Helper()
	q, err := quoteFor(t, p, "prepaid-1", "9679833706", "23", "10")
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func buyWith(c context.Context, p providers.Provider, q providers.Quote, ref string) (providers.Result, error) {
	return p.Purchase(c, providers.PurchaseRequest{Ref: ref, Terminal: "T-01", Clerk: "ravi", Quote: q})
}

func buy(t *testing.T, p providers.Provider, ref string) (providers.Result, error) {
	t.Helper()
	return buyWith(ctx(t), p, mustQuote(t, p), ref)
}

// kind sums an error up for the tables: "" (none), "refused", "doubt",
// "config" (a doubt that names a setting) or "duplicate".
func kind(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	noSecrets(t, err)
	var pe *providers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("not a provider error: %v", err)
	}
	switch {
	case pe.Duplicate:
		if pe.Outcome != providers.Unknown || pe.Config {
			t.Fatalf("duplicate must be a doubt: %+v", pe)
		}
		return "duplicate"
	case pe.Config:
		if pe.Outcome != providers.Unknown {
			t.Fatalf("a configuration error must never be an outcome: %+v", pe)
		}
		return "config"
	case pe.Outcome == providers.Refused:
		return "refused"
	}
	return "doubt"
}

func noSecrets(t *testing.T, err error) {
	t.Helper()
	for _, s := range []string{indiasim.Password, indiasim.APIPassword} {
		if strings.Contains(err.Error(), s) || strings.Contains(providers.ClerkMessage(err), s) {
			t.Fatalf("secret in error: %v", err)
		}
	}
}

// modes are the client configurations the outcome tests run in: the
// document alone, each extension alone, and the demo's set.
var modes = [][]string{
	nil,
	{ExtSignin},
	{ExtLegacyAuth},
	{ExtStatus},
	{ExtBalance},
	{ExtSignin, ExtStatus, ExtBalance},
	{ExtLegacyAuth, ExtStatus, ExtBalance},
}

func modeName(ext []string) string {
	if len(ext) == 0 {
		return "document"
	}
	return strings.Join(ext, "+")
}

func TestCapabilitiesFollowTheExtensions(t *testing.T) {
	for _, ext := range modes {
		t.Run(modeName(ext), func(t *testing.T) {
			p, _ := build(t, config("http://127.0.0.1:1", nil, ext...))
			_, st := p.(providers.StatusChecker)
			_, bal := p.(providers.BalanceChecker)
			if st != slices.Contains(ext, ExtStatus) || bal != slices.Contains(ext, ExtBalance) {
				t.Fatalf("status checker %v, balance checker %v", st, bal)
			}
			if note := p.Info().Note; (note != "") != slices.Contains(ext, ExtLegacyAuth) {
				t.Fatalf("note %q", note)
			}
		})
	}
}

// TestDocumentOnlySells: base_url, recharge_path and the tables are
// enough; one request goes, the seed's recharge, with no credentials.
func TestDocumentOnlySells(t *testing.T) {
	r := start(t, nil)
	q := mustQuote(t, r.p)
	if n := len(r.wire.all()); n != 0 {
		t.Fatalf("the quote sent %d requests; the seed has no price call", n)
	}
	res, err := buyWith(ctx(t), r.p, q, "100001")
	if err != nil {
		t.Fatal(err)
	}
	if res.State != providers.Succeeded || res.ProviderRef != "da9842e1-f561-4728-827b-000000000001" || res.Message != "success" ||
		res.Charged.String() != "9.80 INR" || !res.At.Equal(clock.Start) || len(res.Vouchers) != 1 {
		t.Fatalf("%+v", res)
	}
	if v := res.Vouchers[0]; v.Reference != "OPR000000001" || v.Value.String() != "10.00 INR" || len(v.Extra) != 0 || v.PIN != "" {
		t.Fatalf("voucher %+v (the commission must never reach the receipt)", v)
	}
	if r.sim.Charged("100001") != 1 || r.sim.Balance().String() != "9990.2" {
		t.Fatalf("charged %d balance %s", r.sim.Charged("100001"), r.sim.Balance())
	}
	reqs := r.wire.all()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	w := reqs[0]
	if w.method != http.MethodPost || w.path != "/recharge" || len(w.query) != 0 || w.header.Get("Authorization") != "" ||
		w.header.Get("Idempotency-Key") != "" || w.header.Get("Content-Type") != "application/json" {
		t.Fatalf("request %s %s %v %v", w.method, w.path, w.query, w.header)
	}
	// The seed's example (L30-L40), with our reference and user_vars.
	const want = `{"mobile_no":9679833706,"operator_code":1,"amount":10,"partner_request_id":"100001","circle":23,"recharge_type":"1","user_var1":"T01","user_var2":"ravi","user_var3":"100001"}`
	if w.body != want {
		t.Fatalf("body\n%s\nwant\n%s", w.body, want)
	}
}

func TestDestIsSentWhenConfigured(t *testing.T) {
	clk := clock.NewFake(clock.Start)
	_, base, w := startSim(t, clk)
	cfg := config(base, clk)
	cfg.Dest = "online"
	p, _ := build(t, cfg)
	if _, err := buy(t, p, "100002"); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(w.all()[0].body), &m); err != nil || m["dest"] != "online" { // seed L48
		t.Fatalf("%v %v", m, err)
	}
}

// TestOutcomes runs every documented outcome of a recharge in every mode.
func TestOutcomes(t *testing.T) {
	type outcome struct {
		name  string
		setup func(r *rig)
		ref   string
		op    string // product id, default prepaid-1
		state providers.State
		kind  string
		code  string
	}
	tests := []outcome{
		{name: "success", state: providers.Succeeded},
		{name: "pending (seed L53-L64)", setup: func(r *rig) { _ = r.sim.Faults.Set(sandboxkit.FaultPending, "2") }, state: providers.Pending},
		{name: "operator down: processed, status 3 (L21)", setup: func(r *rig) { _ = r.sim.Faults.Set(sandboxkit.FaultOutOfStock, "on") }, state: providers.Failed},
		{name: "no balance: error non-zero (L16)", setup: func(r *rig) { _ = r.sim.Faults.Set(sandboxkit.FaultNoBalance, "on") }, kind: "refused", code: "error 3"},
		{name: "operator the provider does not know (L16)", op: "prepaid-77", kind: "refused", code: "error 2"},
		{name: "duplicate reference (L65-L68)", setup: func(r *rig) {
			if _, err := buy(r.t(), r.p, "DUPREF1"); err != nil {
				r.t().Fatal(err)
			}
		}, ref: "DUPREF1", kind: "duplicate", code: "duplicate"},
	}
	for _, ext := range modes {
		for _, tc := range tests {
			t.Run(modeName(ext)+"/"+tc.name, func(t *testing.T) {
				r := start(t, ext)
				p := r.p
				if tc.op == "prepaid-77" {
					cfg := r.c.cfg
					cfg.Operators = append(slices.Clone(cfg.Operators), Operator{Code: "77", Name: "Ghost"})
					p, _ = build(t, cfg)
				}
				if tc.setup != nil {
					tc.setup(r)
				}
				before := r.sim.Orders()
				ref := tc.ref
				if ref == "" {
					ref = "200001"
				}
				productID := tc.op
				if productID == "" {
					productID = "prepaid-1"
				}
				q, err := quoteFor(t, p, productID, "9679833706", "23", "10")
				if err != nil {
					t.Fatal(err)
				}
				res, err := buyWith(ctx(t), p, q, ref)
				if k := kind(t, err); k != tc.kind {
					t.Fatalf("error %v: kind %q, want %q", err, k, tc.kind)
				}
				if tc.code != "" {
					var pe *providers.Error
					errors.As(err, &pe)
					if pe.Code != tc.code {
						t.Fatalf("code %q, want %q", pe.Code, tc.code)
					}
				}
				if res.State != tc.state {
					t.Fatalf("state %q, want %q (%+v)", res.State, tc.state, res)
				}
				switch tc.state {
				case providers.Pending:
					if res.Message != "order in queue" || res.ProviderRef == "" || len(res.Vouchers) != 0 || res.Charged.String() != "10.00 INR" {
						t.Fatalf("%+v", res)
					}
				case providers.Failed:
					if r.sim.Charged(ref) != 0 || res.Message != "Operator down" {
						t.Fatalf("%+v charged %d", res, r.sim.Charged(ref))
					}
				}
				if tc.kind == "refused" && r.sim.Orders() != before {
					t.Fatal("a refused recharge was stored")
				}
				if tc.kind == "duplicate" && (r.sim.Charged(ref) != 1 || r.sim.Orders() != 1) {
					t.Fatal("the duplicate was charged again")
				}
			})
		}
	}
}

// tt lets a table's setup fail its test.
func (r *rig) t() *testing.T { return r.tt }

// TestPendingThenStatus: with the status extension a pending recharge is
// followed to its end; without it there is no look-up at all.
func TestPendingThenStatus(t *testing.T) {
	for _, ext := range [][]string{{ExtStatus}, {ExtSignin, ExtStatus}, {ExtLegacyAuth, ExtStatus}} {
		t.Run(modeName(ext), func(t *testing.T) {
			r := start(t, ext)
			_ = r.sim.Faults.Set(sandboxkit.FaultPending, "2")
			res, err := buy(t, r.p, "500001")
			if err != nil || res.State != providers.Pending {
				t.Fatalf("%+v %v", res, err)
			}
			sc := r.p.(providers.StatusChecker)
			for i, want := range []providers.State{providers.Pending, providers.Pending, providers.Succeeded} {
				s, err := sc.Status(ctx(t), providers.SaleRef{Ref: "500001"})
				if err != nil || s.State != want {
					t.Fatalf("look-up %d: %+v %v", i, s, err)
				}
				if want == providers.Succeeded && (len(s.Vouchers) != 1 || s.Vouchers[0].Reference != "OPR000000001" || len(s.Vouchers[0].Extra) != 0) {
					t.Fatalf("%+v", s)
				}
			}
			r.sim.SetStatus("500001", indiasim.StatusFailure)
			if s, err := sc.Status(ctx(t), providers.SaleRef{Ref: "500001"}); err != nil || s.State != providers.Failed {
				t.Fatalf("%+v %v", s, err)
			}
			r.sim.SetStatus("500001", indiasim.StatusPending)
			if s, err := sc.Status(ctx(t), providers.SaleRef{Ref: "500001"}); err != nil || s.State != providers.Pending {
				t.Fatalf("%+v %v", s, err)
			}
		})
	}
	t.Run("document", func(t *testing.T) {
		r := start(t, nil)
		_ = r.sim.Faults.Set(sandboxkit.FaultPending, "2")
		res, err := buy(t, r.p, "500002")
		if err != nil || res.State != providers.Pending {
			t.Fatalf("%+v %v", res, err)
		}
		if _, ok := r.p.(providers.StatusChecker); ok {
			t.Fatal("a status look-up without the status extension")
		}
	})
}

// TestStatusIsNeverNotFound: the seed documents no not-found answer, so
// "Transaction not found" (the simulator's own) is a doubt.
func TestStatusIsNeverNotFound(t *testing.T) {
	r := start(t, []string{ExtStatus})
	s, err := r.p.(providers.StatusChecker).Status(ctx(t), providers.SaleRef{Ref: "999999"})
	if k := kind(t, err); k != "doubt" || s.State != "" {
		t.Fatalf("%+v %v (%s)", s, err, k)
	}
}

// TestRouteMissing: a wrong path, or an extension the server does not
// have, is a configuration error, never an outcome.
func TestRouteMissing(t *testing.T) {
	t.Run("wrong recharge_path", func(t *testing.T) {
		clk := clock.NewFake(clock.Start)
		sim, base, _ := startSim(t, clk)
		cfg := config(base, clk)
		cfg.RechargePath = "/recharge/prepaid"
		p, _ := build(t, cfg)
		res, err := buy(t, p, "300001")
		if k := kind(t, err); k != "config" || res.State != "" {
			t.Fatalf("%+v %v", res, err)
		}
		if !strings.Contains(err.Error(), "recharge_path") || sim.Orders() != 0 {
			t.Fatalf("%v", err)
		}
	})
	t.Run("status the server lacks", func(t *testing.T) {
		r := startWith(t, []string{ExtStatus}, nil)
		if _, err := buy(t, r.p, "300002"); err != nil {
			t.Fatal(err)
		}
		s, err := r.p.(providers.StatusChecker).Status(ctx(t), providers.SaleRef{Ref: "300002"})
		if k := kind(t, err); k != "config" || s.State != "" || !strings.Contains(err.Error(), "status_path") {
			t.Fatalf("%+v %v", s, err)
		}
	})
	t.Run("balance the server lacks", func(t *testing.T) {
		r := startWith(t, []string{ExtBalance}, nil)
		if _, err := r.p.(providers.BalanceChecker).Balance(ctx(t)); kind(t, err) != "config" || !strings.Contains(err.Error(), "balance_path") {
			t.Fatalf("%v", err)
		}
	})
	t.Run("signin the server lacks: at the quote", func(t *testing.T) {
		r := startWith(t, []string{ExtSignin}, nil)
		_, err := quoteFor(t, r.p, "prepaid-1", "9679833706", "23", "10")
		if kind(t, err) != "config" || !strings.Contains(err.Error(), "signin_path") {
			t.Fatalf("%v", err)
		}
	})
	t.Run("signin the server lacks: at the purchase, nothing sent", func(t *testing.T) {
		r := startWith(t, []string{ExtSignin}, nil)
		q := providers.Quote{Product: product(t, r.p, "prepaid-1"), Fields: map[string]string{"mobile_no": "9679833706", "circle": "23"}, Amount: money.FromInt(10)}
		_, err := buyWith(ctx(t), r.p, q, "300003")
		if kind(t, err) != "refused" || r.wire.count("/recharge") != 0 {
			t.Fatalf("%v", err)
		}
	})
}

// TestNotSent: a request that never left is a refusal for a purchase
// (nothing charged, may be sold again) and a plain doubt for a look-up.
func TestNotSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close()
	for _, ext := range [][]string{nil, {ExtStatus, ExtBalance}, {ExtLegacyAuth, ExtStatus}} {
		t.Run(modeName(ext), func(t *testing.T) {
			p, _ := build(t, config(base, nil, ext...))
			q := providers.Quote{Product: product(t, p, "prepaid-1"), Fields: map[string]string{"mobile_no": "9679833706", "circle": "23"}, Amount: money.FromInt(10)}
			_, err := buyWith(ctx(t), p, q, "400001")
			if kind(t, err) != "refused" || !strings.Contains(providers.ClerkMessage(err), "nothing was charged") {
				t.Fatalf("%v", err)
			}
			if sc, ok := p.(providers.StatusChecker); ok {
				if s, err := sc.Status(ctx(t), providers.SaleRef{Ref: "400001"}); kind(t, err) != "doubt" || s.State != "" {
					t.Fatalf("%+v %v", s, err)
				}
			}
		})
	}
	t.Run("signin before the purchase", func(t *testing.T) {
		p, _ := build(t, config(base, nil, ExtSignin))
		if _, err := quoteFor(t, p, "prepaid-1", "9679833706", "23", "10"); kind(t, err) != "refused" {
			t.Fatalf("%v", err)
		}
	})
}

// TestFaults runs the simulator's fault switches against the client.
func TestFaults(t *testing.T) {
	tests := []struct {
		name    string
		fault   string
		value   string
		cancel  string        // cancel the request at this stage
		timeout time.Duration // the request's own deadline
		kind    string
		state   providers.State
		charged int
		after   providers.State // the status look-up afterwards
	}{
		{name: "latency within the timeout", fault: sandboxkit.FaultLatency, value: "20ms", state: providers.Succeeded, charged: 1, after: providers.Succeeded},
		{name: "latency beyond the timeout", fault: sandboxkit.FaultLatency, value: "1h", timeout: 100 * time.Millisecond, kind: "doubt", charged: 0},
		{name: "no answer", fault: sandboxkit.FaultNoAnswer, cancel: sandboxkit.StageReceived, kind: "doubt", charged: 0},
		{name: "hang after commit", fault: sandboxkit.FaultHangAfterCommit, cancel: sandboxkit.StageCommitted, kind: "doubt", charged: 1, after: providers.Succeeded},
		{name: "cut after commit", fault: sandboxkit.FaultCutAfterCommit, kind: "doubt", charged: 1, after: providers.Succeeded},
		{name: "out of stock", fault: sandboxkit.FaultOutOfStock, state: providers.Failed, charged: 0, after: providers.Failed},
		{name: "no balance", fault: sandboxkit.FaultNoBalance, kind: "refused", charged: 0},
		{name: "pending", fault: sandboxkit.FaultPending, value: "1", state: providers.Pending, charged: 1, after: providers.Pending},
	}
	for _, ext := range [][]string{nil, {ExtStatus}, {ExtSignin, ExtStatus}, {ExtLegacyAuth, ExtStatus}} {
		for _, tc := range tests {
			t.Run(modeName(ext)+"/"+tc.name, func(t *testing.T) {
				r := start(t, ext)
				q := mustQuote(t, r.p) // signs in first, where it must
				if err := r.sim.Faults.Set(tc.fault, tc.value); err != nil {
					t.Fatal(err)
				}
				c, cancel := context.WithCancel(context.Background())
				defer cancel()
				if tc.timeout > 0 {
					c, cancel = context.WithTimeout(c, tc.timeout)
					defer cancel()
				}
				if tc.cancel != "" {
					r.sim.Faults.OnStage(func(stage, _ string) {
						if stage == tc.cancel {
							cancel()
						}
					})
				}
				res, err := buyWith(c, r.p, q, "600001")
				if k := kind(t, err); k != tc.kind || res.State != tc.state {
					t.Fatalf("%+v %v: kind %q, want %q / %q", res, err, k, tc.kind, tc.state)
				}
				if got := r.sim.Charged("600001"); got != tc.charged {
					t.Fatalf("charged %d, want %d", got, tc.charged)
				}
				r.sim.Faults.Reset()
				r.sim.Faults.OnStage(nil)
				sc, ok := r.p.(providers.StatusChecker)
				if !ok {
					return
				}
				s, err := sc.Status(ctx(t), providers.SaleRef{Ref: "600001"})
				if tc.after == "" {
					// Never received, or refused: the provider has no
					// record, and that is not a documented answer.
					if kind(t, err) != "doubt" || s.State != "" {
						t.Fatalf("%+v %v", s, err)
					}
					return
				}
				if err != nil || s.State != tc.after {
					t.Fatalf("look-up %+v %v, want %s", s, err, tc.after)
				}
			})
		}
	}
}

// canned serves one answer to the recharge (and to the status check),
// and counts the requests.
func canned(t *testing.T, status int, ctype, body string, ext ...string) (providers.Provider, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == DefaultSigninPath {
			_, _ = io.WriteString(w, `{"error":0,"msg":"Login successful","token":"t0k"}`)
			return
		}
		calls.Add(1)
		if r.Method != http.MethodPost || r.Header.Get("Idempotency-Key") != "" {
			t.Errorf("%s %s", r.Method, r.URL)
		}
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	p, _ := build(t, config(srv.URL, nil, ext...))
	return p, &calls
}

// TestAnswers: what each answer, documented or not, makes of a purchase
// and of a status look-up.
func TestAnswers(t *testing.T) {
	const html = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"
	pending := strings.Replace(seedQueued, "5165483", "700001", 1)
	tests := []struct {
		name        string
		status      int
		ctype, body string
		state       providers.State // of the purchase
		kind        string          // of the purchase
		lookup      providers.State // of a status look-up ("" with an error)
		lookupKind  string
	}{
		{"seed pending, verbatim (L53-L64)", 200, "application/json", pending, providers.Pending, "", providers.Pending, ""},
		{"seed duplicate, verbatim (L65-L68)", 200, "application/json", seedDuplicate, "", "duplicate", "", "doubt"},
		{"success", 200, "", `{"error":0,"msg":success,"status":1,"orderid":"o1","optransid":"OP1","partnerreqid":"700001","commission":0.2}`, providers.Succeeded, "", providers.Succeeded, ""},
		{"failure (L21)", 200, "", `{"error":0,"msg":Recharge failed,"status":3,"orderid":"o1","partnerreqid":"700001"}`, providers.Failed, "", providers.Failed, ""},
		{"not processed (L16)", 200, "", `{"error":5,"msg":"Invalid amount for this operator"}`, "", "refused", "", "doubt"},
		{"not found wording", 200, "", `{"error":1,"msg":"Transaction not found"}`, "", "refused", "", "doubt"},
		{"older API's keys", 200, "", `{"ERROR":0,"STATUS":1,"ORDERID":"51645247","OPTRANSID":"ONR1","PARTNERREQID":"700001","MESSAGE":"Success","COMMISSION":"0.3500"}`, providers.Succeeded, "", providers.Succeeded, ""},
		{"contradictory: not processed yet pending", 200, "", `{"error":7,"msg":"queued","status":2}`, "", "doubt", "", "doubt"},
		{"undocumented status", 200, "", `{"error":0,"msg":hold,"status":5,"orderid":"x"}`, "", "doubt", "", "doubt"},
		{"no status", 200, "", `{"error":0,"msg":"ok"}`, "", "doubt", "", "doubt"},
		{"error not a number", 200, "", `{"error":"E","msg":"x"}`, "", "doubt", "", "doubt"},
		{"no error field", 200, "", `{"msg":"ok","status":1}`, "", "doubt", "", "doubt"},
		{"another sale's answer", 200, "", `{"error":0,"status":1,"partnerreqid":"123"}`, "", "doubt", "", "doubt"},
		{"truncated", 200, "application/json", pending[:70], "", "doubt", "", "doubt"},
		{"empty", 200, "", "", "", "doubt", "", "doubt"},
		{"not JSON", 200, "text/plain", "OK", "", "doubt", "", "doubt"},
		{"HTML page, 200", 200, "text/html", html, "", "config", "", "config"},
		{"HTML page, 502", 502, "text/html", html, "", "config", "", "config"},
		{"route missing (the reviewer's server)", 404, "application/json", `{"msg":"Not Found"}`, "", "config", "", "config"},
		{"route missing, 405", 405, "", "", "", "config", "", "config"},
		{"documented body under a 404", 404, "application/json", `{"error":1,"msg":"Transaction not found"}`, "", "config", "", "config"},
		{"5xx with a body", 503, "application/json", `{"error":1,"msg":"busy"}`, "", "doubt", "", "doubt"},
		{"401 with the provider's refusal", 401, "application/json", `{"error":1,"msg":"Unauthorized"}`, "", "refused", "", "doubt"},
		{"401 from something else", 401, "text/plain", "Unauthorized", "", "config", "", "config"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, calls := canned(t, tc.status, tc.ctype, tc.body, ExtStatus)
			res, err := buy(t, p, "700001")
			if k := kind(t, err); k != tc.kind || res.State != tc.state {
				t.Fatalf("purchase %+v %v: kind %q state %q, want %q %q", res, err, k, res.State, tc.kind, tc.state)
			}
			if calls.Load() != 1 {
				t.Fatalf("%d recharge requests", calls.Load())
			}
			s, err := p.(providers.StatusChecker).Status(ctx(t), providers.SaleRef{Ref: "700001"})
			if k := kind(t, err); k != tc.lookupKind || s.State != tc.lookup {
				t.Fatalf("look-up %+v %v: kind %q, want %q %q", s, err, k, tc.lookupKind, tc.lookup)
			}
			if s.State == providers.NotFound {
				t.Fatal("NotFound from an answer the seed does not document")
			}
		})
	}
}

// TestSignin: one sign-in serves a whole sale; an expired token refuses a
// purchase (nothing charged) and is replaced; a look-up signs in again by
// itself; a wrong password is said at the quote.
func TestSignin(t *testing.T) {
	r := start(t, []string{ExtSignin, ExtStatus, ExtBalance})
	if _, err := buy(t, r.p, "310001"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.p.(providers.StatusChecker).Status(ctx(t), providers.SaleRef{Ref: "310001"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.p.(providers.BalanceChecker).Balance(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if n := r.wire.count(DefaultSigninPath); n != 1 {
		t.Fatalf("%d sign-ins for a sale, a look-up and a balance", n)
	}
	for _, w := range r.wire.all() {
		if w.path != DefaultSigninPath && !strings.HasPrefix(w.header.Get("Authorization"), "Bearer ") {
			t.Fatalf("%s without the token", w.path)
		}
		if w.path == DefaultSigninPath && w.body != `{"password":"`+indiasim.Password+`","username":"`+indiasim.Username+`"}` {
			t.Fatalf("sign-in body %s", w.body)
		}
	}

	r.sim.ExpireTokens()
	if s, err := r.p.(providers.StatusChecker).Status(ctx(t), providers.SaleRef{Ref: "310001"}); err != nil || s.State != providers.Succeeded {
		t.Fatalf("look-up after expiry: %+v %v", s, err)
	}
	r.sim.ExpireTokens()
	q := mustQuote(t, r.p) // the token is still held: the quote sends nothing
	_, err := buyWith(ctx(t), r.p, q, "310002")
	if kind(t, err) != "refused" || r.sim.Charged("310002") != 0 {
		t.Fatalf("%v", err)
	}
	if _, err := buy(t, r.p, "310003"); err != nil { // the next quote signs in again
		t.Fatal(err)
	}

	clk := clock.NewFake(clock.Start)
	_, base, w := startSim(t, clk, ExtSignin)
	cfg := config(base, clk, ExtSignin)
	cfg.Password = secret.New("wrong-password")
	p, _ := build(t, cfg)
	_, err = quoteFor(t, p, "prepaid-1", "9679833706", "23", "10")
	if kind(t, err) != "refused" || !strings.Contains(err.Error(), "username and password") || strings.Contains(err.Error(), "wrong-password") {
		t.Fatalf("%v", err)
	}
	if w.count("/recharge") != 0 {
		t.Fatal("a recharge was sent without a sign-in")
	}
}

// TestSigninMissingAtServer: a document-only client against a server that
// wants a token gets the provider's 401 refusal, which names the setting.
func TestSigninWantedByServer(t *testing.T) {
	r := startWith(t, nil, []string{ExtSignin})
	_, err := buy(t, r.p, "320001")
	if kind(t, err) != "refused" || !strings.Contains(err.Error(), "signin") || r.sim.Orders() != 0 {
		t.Fatalf("%v", err)
	}
}

func TestLegacyAuth(t *testing.T) {
	r := start(t, []string{ExtLegacyAuth, ExtStatus, ExtBalance})
	res, err := buy(t, r.p, "800001")
	if err != nil || res.State != providers.Succeeded || res.Charged.String() != "9.80 INR" || res.Vouchers[0].Reference != "OPR000000001" {
		t.Fatalf("%+v %v", res, err)
	}
	if s, err := r.p.(providers.StatusChecker).Status(ctx(t), providers.SaleRef{Ref: "800001"}); err != nil || s.State != providers.Succeeded {
		t.Fatalf("%+v %v", s, err)
	}
	bal, err := r.p.(providers.BalanceChecker).Balance(ctx(t))
	if err != nil || len(bal) != 1 || bal[0].String() != "9990.20 INR" {
		t.Fatalf("%v %v", bal, err)
	}
	for _, w := range r.wire.all() {
		if w.query.Get("partner_id") != indiasim.PartnerID || w.query.Get("api_password") != indiasim.APIPassword || w.header.Get("Authorization") != "" {
			t.Fatalf("%s %v", w.path, w.query)
		}
	}
	paths := []string{}
	for _, w := range r.wire.all() {
		paths = append(paths, w.method+" "+w.path)
	}
	if want := []string{"POST /recharge", "POST /get/status", "GET /get/balance"}; !slices.Equal(paths, want) {
		t.Fatalf("%v, want %v", paths, want)
	}
	if q := r.wire.all()[0].query; q.Get("mobile_no") != "9679833706" || q.Get("partner_request_id") != "800001" || q.Get("circle") != "23" {
		t.Fatalf("%v", q)
	}

	cfg := r.c.cfg
	cfg.APIPassword = secret.New("wrong")
	bad, _ := build(t, cfg)
	if _, err := buy(t, bad, "800002"); kind(t, err) != "refused" || !strings.Contains(providers.ClerkMessage(err), "login") {
		t.Fatalf("%v", err)
	}

	// A cut connection: the error must not show the URL and its password.
	_ = r.sim.Faults.Set(sandboxkit.FaultCutAfterCommit, "on")
	if _, err := buy(t, r.p, "800003"); kind(t, err) != "doubt" {
		t.Fatalf("%v", err)
	}
}

// TestPhoneNumbers: the customer's number in any common form becomes the
// seed's ten digits (L31), on the wire too.
func TestPhoneNumbers(t *testing.T) {
	for _, in := range []string{"+91 98765 43210", "0091 98765-43210", "09876543210", "919876543210", "9876543210"} {
		t.Run(in, func(t *testing.T) {
			r := start(t, nil)
			q, err := quoteFor(t, r.p, "prepaid-1", in, "5", "49")
			if err != nil || q.Fields["mobile_no"] != "9876543210" {
				t.Fatalf("%+v %v", q.Fields, err)
			}
			if _, err := buyWith(ctx(t), r.p, q, "900001"); err != nil {
				t.Fatal(err)
			}
			if b := r.wire.all()[0].body; !strings.Contains(b, `"mobile_no":9876543210,`) {
				t.Fatalf("%s", b)
			}
		})
	}
	// Quote normalises by itself too (a caller that skipped the engine).
	r := start(t, nil)
	pr := product(t, r.p, "prepaid-1")
	q, err := r.p.Quote(ctx(t), providers.QuoteRequest{Product: pr, Fields: map[string]string{"mobile_no": "+91 98765 43210", "circle": "5"}, Amount: money.FromInt(10)})
	if err != nil || q.Fields["mobile_no"] != "9876543210" {
		t.Fatalf("%+v %v", q, err)
	}
	for _, bad := range []string{"+92 98765 43210", "98765432101", "5876543210"} {
		if _, err := quoteFor(t, r.p, "prepaid-1", bad, "5", "10"); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestCatalogAndQuote(t *testing.T) {
	r := start(t, nil)
	ps, err := r.p.Catalog(ctx(t))
	if err != nil || len(ps) != len(indiasim.Operators()) {
		t.Fatalf("%d %v", len(ps), err)
	}
	p := ps[0]
	if p.Provider != ID || p.ID != "prepaid-1" || p.Brand != "Airtel" || p.Kind != providers.KindTopUp || p.PriceKind != providers.PriceRange ||
		p.MinAmount.String() != "10.00 INR" || p.MaxAmount.String() != "5000.00 INR" || p.Country != "IN" {
		t.Fatalf("%+v", p)
	}
	if f := p.Fields[0]; f.Kind != providers.FieldPhone || f.CallingCode != "91" || f.NationalLen != 10 {
		t.Fatalf("%+v", f)
	}
	if f := p.Fields[1]; f.Kind != providers.FieldChoice || f.Default != "" || len(f.Choices) != len(indiasim.Circles()) {
		t.Fatalf("%+v", f)
	}
	q, err := quoteFor(t, r.p, "prepaid-1", "9679833706", string(seedCircle), "49")
	if err != nil || q.Cost.String() != "49.00 INR" || q.Retail.String() != "49.00 INR" || !strings.Contains(q.Info, "West Bengal") {
		t.Fatalf("%+v %v", q, err)
	}
	_, err = r.p.Quote(ctx(t), providers.QuoteRequest{Product: p, Fields: map[string]string{"mobile_no": "9679833706", "circle": "99"}, Amount: money.FromInt(10)})
	if kind(t, err) != "refused" {
		t.Fatal(err)
	}
	_, err = r.p.Quote(ctx(t), providers.QuoteRequest{Product: p, Fields: map[string]string{"mobile_no": "9679833706", "circle": "5"}, Amount: money.MustParse("10.50")})
	if kind(t, err) != "refused" {
		t.Fatal(err)
	}
	if len(r.wire.all()) != 0 {
		t.Fatal("catalogue or quote sent a request")
	}

	cfg := r.c.cfg
	cfg.Operators = []Operator{{Code: seedOperator, Name: "Airtel", Prefixes: []string{"98"}}}
	cfg.DefaultCircle = seedCircle
	hp, _ := build(t, cfg)
	if f := product(t, hp, "prepaid-1").Fields[1]; f.Default != "23" {
		t.Fatalf("default circle %q", f.Default)
	}
	q, err = quoteFor(t, hp, "prepaid-1", "9679833706", "23", "10")
	if err != nil || !strings.Contains(q.Info, "not usually Airtel") {
		t.Fatalf("%+v %v", q.Info, err)
	}
}

// TestClock: results are dated by the injected clock, never by today.
func TestClock(t *testing.T) {
	r := start(t, []string{ExtStatus})
	for i, at := range []time.Time{clock.Start, clock.Start.AddDate(1, 0, 0), time.Date(2031, 12, 31, 23, 59, 59, 0, time.UTC)} {
		r.clock.Set(at)
		ref := "C" + string(rune('1'+i))
		res, err := buy(t, r.p, ref)
		if err != nil || !res.At.Equal(at) {
			t.Fatalf("%+v %v, want %s", res, err, at)
		}
		if s, err := r.p.(providers.StatusChecker).Status(ctx(t), providers.SaleRef{Ref: ref}); err != nil || !s.At.Equal(at) {
			t.Fatalf("%+v %v", s, err)
		}
	}
}

func TestUserVar(t *testing.T) {
	if got := userVar("Kiosk #1 — Riyadh/ß_x-y.z"); got != "Kiosk1Riyadhxyz" {
		t.Fatalf("%q", got)
	}
}
