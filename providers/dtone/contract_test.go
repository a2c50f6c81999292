package dtone

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/dtone/dtonesim"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

// The contract tests run the client against the simulator written from the
// seed document alone, over real HTTP on loopback: first with the document
// only, then with each extension.

// demoIDs is every product of the simulator's demo catalogue.
var demoIDs = []string{
	"fvr-301", "fvr-302", "vvr-303", "fvr-64", "fvr-65", "fvv-112", "vvv-2601", "fvv-2012", "vvr-1558",
	"fvr-1601", "fvr-1602", "fvr-1620", "fvr-138", "fvr-1771", "vvr-1772", "fvr-2461", "fvp-2701", "vvp-2702",
}

func sortedKeys(m map[string]providers.Product) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestDocumentOnlyCatalogue(t *testing.T) {
	r := newRig(t)
	c := r.client(t)
	if _, ok := c.(providers.StatusChecker); ok {
		t.Fatal("a status look-up without the lookup extension")
	}
	if _, ok := c.(providers.Suggester); !ok {
		t.Fatal("suggested values are in the document (seed L193)")
	}
	got := catalog(t, c)
	want := slices.Clone(demoIDs)
	slices.Sort(want)
	if k := sortedKeys(got); !slices.Equal(k, want) {
		t.Fatalf("catalogue\n got %v\nwant %v", k, want)
	}
	tests := []struct {
		id        string
		available bool
		kind      providers.PriceKind
		price     string
		cost      string
		min, max  string
	}{
		{"fvr-64", true, providers.PriceFixed, "13.5 USD", "12.5 USD", "", ""}, // the seed's own product (L66-L84)
		{"fvv-2012", true, providers.PriceFixed, "10.75 USD", "9.45 USD", "", ""},
		{"vvr-1558", true, providers.PriceRange, "", "", "9 INR", "29 INR"}, // sold at its suggested values (seed L191-L229)
		{"vvr-303", true, providers.PriceRange, "", "", "5 USD", "20 USD"},
		{"vvv-2601", false, providers.PriceRange, "", "", "", ""}, // nothing in the document prices it
		{"vvp-2702", false, providers.PriceRange, "", "", "", ""}, // seed L25: the bill must be retrieved first
	}
	for _, tt := range tests {
		p := got[tt.id]
		if p.Available != tt.available || p.PriceKind != tt.kind {
			t.Errorf("%s: available %v kind %s", tt.id, p.Available, p.PriceKind)
		}
		if tt.price != "" && (p.Price.String() != money.New(money.MustParse(strings.Fields(tt.price)[0]), usd).String() || !p.Cost.Equal(usdOf(strings.Fields(tt.cost)[0]))) {
			t.Errorf("%s: price %s cost %s", tt.id, p.Price, p.Cost)
		}
		if tt.min != "" {
			f := strings.Fields(tt.min)
			g := strings.Fields(tt.max)
			if !p.MinAmount.Equal(money.New(money.MustParse(f[0]), f[1])) || !p.MaxAmount.Equal(money.New(money.MustParse(g[0]), g[1])) {
				t.Errorf("%s: range %s–%s", tt.id, p.MinAmount, p.MaxAmount)
			}
		}
		if !tt.available && p.Extra["unavailable"] == "" {
			t.Errorf("%s: unavailable without a reason", tt.id)
		}
	}
	if s := got["vvr-1558"].Extra["suggested"]; s != "9,19,29" {
		t.Errorf("suggested %q", s)
	}
	if f := got["vvr-1558"].Fields[0]; f.Kind != providers.FieldPhone || f.CallingCode != "91" || !f.International || f.NationalLen != 10 {
		t.Errorf("Airtel India field %+v", f)
	}
	for _, req := range r.requests() {
		if !isSeedRoute(req) {
			t.Errorf("sent %s, which the seed document does not describe", req)
		}
	}
}

// The seed's own country sample ends a list with a comma (seed L148); the
// simulator answers so, and the client reads it.
func TestCountryProductsWithTheSeedsTrailingComma(t *testing.T) {
	r := newRig(t)
	cfg := r.config()
	cfg.Countries = []string{"756"}
	got := catalog(t, newClient(t, cfg))
	if _, ok := got["fvr-64"]; !ok || len(got) != 7 {
		t.Fatalf("Guatemala: %v", sortedKeys(got))
	}
}

func TestCatalogueSources(t *testing.T) {
	tests := []struct {
		name string
		ext  []string
		cfg  func(*Config)
		want []string
	}{
		{"operators by id", nil, func(c *Config) { c.Countries, c.Operators = nil, []int{1959, 2184} }, []string{"fvr-64", "fvr-65", "vvr-1558"}},
		{"services by id", nil, func(c *Config) { c.Countries, c.Services = nil, []int{1} }, []string{"fvr-64", "fvr-65"}},
		{"union, once each", nil, func(c *Config) { c.Countries, c.Operators, c.Services = []string{"766"}, []int{2184}, []int{1} }, []string{"fvr-64", "fvr-65", "vvr-1558"}},
		{"every country (extension countries)", []string{ExtCountries}, func(c *Config) { c.Countries = nil }, demoIDs},
		{"ISO codes (extension countries)", []string{ExtCountries}, func(c *Config) { c.Countries = []string{"in", "SV"} }, []string{"vvr-1558", "fvr-1771", "vvr-1772"}},
		{"every service (extension services)", []string{ExtServices}, func(c *Config) { c.Countries = nil }, demoIDs},
		{"every operator (extension operators)", []string{ExtOperators}, func(c *Config) { c.Countries = nil }, demoIDs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.ext...)
			cfg := r.config(tt.ext...)
			tt.cfg(&cfg)
			got := sortedKeys(catalog(t, newClient(t, cfg)))
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
			for _, req := range r.requests() {
				if !isSeedRoute(req) && !slices.ContainsFunc(tt.ext, func(e string) bool { return req == "GET /"+e }) {
					t.Errorf("sent %s", req)
				}
			}
		})
	}
}

func TestNoCatalogueSourceIsAConfigError(t *testing.T) {
	cfg := newRig(t).config()
	cfg.Countries = nil
	_, err := New(cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "operators:") || !strings.Contains(err.Error(), "countries") || !strings.Contains(err.Error(), "services") {
		t.Fatalf("err = %v", err)
	}
}

// Without the transactions extension, DT One products are listed and
// their numbers checked, but no quote goes through and nothing is bought.
func TestDocumentOnlySellsNothing(t *testing.T) {
	r := newRig(t)
	c := r.client(t)
	p := findProduct(t, c, "fvr-301")
	_, err := c.Quote(ctx(t), quoteReq(p, gtMobile, ""))
	if !providers.IsRefused(err) || !strings.Contains(providers.ClerkMessage(err), `extensions = ["transactions"] in [providers.dtone]`) {
		t.Fatalf("quote: %v", err)
	}
	if !strings.Contains(providers.ClerkMessage(err), "checked with the operator: valid") {
		t.Errorf("the account check did not run: %v", err)
	}
	// The account check works without the extension (seed L231-L265).
	_, err = c.Quote(ctx(t), quoteReq(p, gtInvalid, ""))
	if !providers.IsRefused(err) || !strings.Contains(providers.ClerkMessage(err), "not valid") {
		t.Fatalf("invalid number: %v", err)
	}
	q := providers.Quote{Product: p, Fields: map[string]string{"account_number": gtMobile}, Cost: usdOf("4.55"), Retail: usdOf("5")}
	ref := newRef()
	_, err = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Quote: q})
	if !providers.IsRefused(err) || !strings.Contains(err.Error(), `extensions = ["transactions"]`) || r.sim.Charged(ref) != 0 {
		t.Fatalf("purchase: %v", err)
	}
	for _, req := range r.requests() {
		if !isSeedRoute(req) {
			t.Errorf("sent %s", req)
		}
	}
}

func TestAccountVerification(t *testing.T) {
	r := newRig(t)
	c := r.client(t, ExtTransactions)
	tests := []struct {
		name, id, account string
		refused           bool
		info              string
		verify            string
	}{
		{"valid", "fvr-301", gtMobile, false, "checked with the operator: valid", "yes"},
		{"verified 0 (seed L252)", "fvr-301", gtInvalid, true, "not valid", ""},
		{"not available for this product, 1000304 (seed L254-L265)", "fvr-64", tvAccount, false, "cannot be checked", "no"},
		{"typed in international form", "vvr-1558", "+91 98765 43210", false, "valid", "yes"},
		{"with the trunk 0", "vvr-1558", "09876543210", false, "valid", "yes"},
		{"another country's number never reaches DT One", "fvr-301", inMobile, true, "Customer mobile number", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := findProduct(t, c, tt.id)
			amount := ""
			if tt.id == "vvr-1558" {
				amount = "19"
			}
			q, err := c.Quote(ctx(t), quoteReq(p, tt.account, amount))
			if tt.refused {
				if !providers.IsRefused(err) || !strings.Contains(providers.ClerkMessage(err), tt.info) {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(q.Info, tt.info) || q.Product.Extra["verify"] != tt.verify {
				t.Errorf("info %q verify %q", q.Info, q.Product.Extra["verify"])
			}
			if tt.id == "vvr-1558" && q.Fields["account_number"] != inMobile {
				t.Errorf("account sent as %q", q.Fields["account_number"])
			}
		})
	}
	// A product marked "cannot be checked" is not asked again.
	tv := findProduct(t, c, "fvr-64")
	q := mustQuote(t, c, tv, tvAccount, "")
	n := len(r.requests())
	if _, err := c.Quote(ctx(t), quoteReq(q.Product, tvAccount, "")); err != nil {
		t.Fatal(err)
	}
	for _, req := range r.requests()[n:] {
		if strings.Contains(req, "/account_number/") {
			t.Errorf("asked again: %s", req)
		}
	}
}

func TestQuoteVariableAtSuggestedValues(t *testing.T) {
	r := newRig(t)
	c := r.client(t, ExtTransactions)
	p := findProduct(t, c, "vvr-1558")
	tests := []struct {
		amount, cost, retail string
		info                 string
	}{
		// The seed's own suggested values: retail below wholesale, prices as strings (seed L212-L213, L224-L225).
		{"9", "0.14", "0.06", "9 INR – 50 MB of 2G Plan for 1 Day"},
		{"19", "0.3", "0.14", "19 INR – 110 MB of 2G Plan for 3 Days (validity:3 Days, data_amount:110 MB)"},
		{"29", "0.5", "0.58", "29 INR – Data Plan 29 INR"},
	}
	for _, tt := range tests {
		q := mustQuote(t, c, p, inMobile, tt.amount)
		if !q.Cost.Equal(usdOf(tt.cost)) || !q.Retail.Equal(usdOf(tt.retail)) || q.Amount.String() != tt.amount {
			t.Errorf("%s: cost %s retail %s amount %s", tt.amount, q.Cost, q.Retail, q.Amount)
		}
		if !strings.Contains(q.Info, tt.info) {
			t.Errorf("%s: info %q", tt.amount, q.Info)
		}
		if below := q.Retail.Amount.Cmp(q.Cost.Amount) < 0; below != strings.Contains(q.Info, "below its wholesale") {
			t.Errorf("%s: info %q", tt.amount, q.Info)
		}
	}
	for _, bad := range []string{"10", "100", "0"} {
		_, err := c.Quote(ctx(t), quoteReq(p, inMobile, bad))
		if !providers.IsRefused(err) || !strings.Contains(providers.ClerkMessage(err), "9, 19, 29 INR") {
			t.Errorf("amount %s: %v", bad, err)
		}
	}
	vals, err := c.(providers.Suggester).SuggestedValues(ctx(t), p)
	if err != nil || len(vals) != 3 || vals[0].String() != "9" || vals[1].String() != "19" || vals[2].String() != "29" {
		t.Errorf("SuggestedValues = %v, %v", vals, err)
	}
	if vals, err := c.(providers.Suggester).SuggestedValues(ctx(t), findProduct(t, c, "fvr-64")); err != nil || vals != nil {
		t.Errorf("fixed product suggested values = %v, %v", vals, err)
	}
	for _, id := range []string{"vvp-2702", "vvv-2601"} {
		if _, err := c.Quote(ctx(t), quoteReq(findProduct(t, c, id), "1234567890", "50")); !providers.IsRefused(err) {
			t.Errorf("%s quoted: %v", id, err)
		}
	}
}

func TestQuoteFixed(t *testing.T) {
	c := newRig(t).client(t, ExtTransactions)
	q := mustQuote(t, c, findProduct(t, c, "fvr-301"), gtMobile, "")
	if !q.Cost.Equal(usdOf("4.55")) || !q.Retail.Equal(usdOf("5")) || !q.Fee.Equal(usdOf("0")) || q.Quantity != 1 {
		t.Errorf("cost %s retail %s fee %s", q.Cost, q.Retail, q.Fee)
	}
	// A fee is part of both totals.
	q = mustQuote(t, c, findProduct(t, c, "fvv-2012"), "", "")
	if !q.Cost.Equal(usdOf("9.45")) || !q.Retail.Equal(usdOf("10.75")) || !q.Fee.Equal(usdOf("0.25")) {
		t.Errorf("with fee: cost %s retail %s fee %s", q.Cost, q.Retail, q.Fee)
	}
	// A product the operator no longer lists.
	gone := findProduct(t, c, "fvr-301")
	gone.Extra["product_id"] = "4242"
	if _, err := c.Quote(ctx(t), quoteReq(gone, gtMobile, "")); !providers.IsRefused(err) || !strings.Contains(err.Error(), "no longer offers") {
		t.Errorf("gone: %v", err)
	}
}

func TestPurchaseAndLookup(t *testing.T) {
	tests := []struct {
		id, account, amount string
		charged             string
		pin                 bool
	}{
		{"fvv-112", gtMobile, "", "14.79", true},
		{"fvv-2012", "", "", "9.45", true},
		{"fvr-301", gtMobile, "", "4.55", false},
		{"vvr-1558", inMobile, "19", "0.3", false},
		{"vvr-303", gtMobile, "10", "9.1", false},
		{"fvr-64", tvAccount, "", "12.5", false},
		{"fvp-2701", meter, "", "1.4", false},
	}
	r := newRig(t, dtonesim.ExtTransactions, dtonesim.ExtLookup)
	c := r.client(t, ExtTransactions, ExtLookup)
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p := findProduct(t, c, tt.id)
			ref, res := sell(t, c, p, tt.account, tt.amount)
			if res.State != providers.Succeeded || res.ProviderRef == "" || res.ProductID != tt.id || !res.Charged.Equal(usdOf(tt.charged)) || len(res.Vouchers) != 1 {
				t.Fatalf("result = %+v", res)
			}
			v := res.Vouchers[0]
			if tt.pin && (len(v.PIN) != 16 || v.PIN2 == "" || v.Expiry == "" || v.Extra["info_1"] == "") {
				t.Errorf("voucher = %+v", v)
			}
			if !tt.pin && !strings.HasPrefix(v.Reference, "OP") {
				t.Errorf("top-up reference = %+v", v)
			}
			st, err := status(t, c, ref, p)
			if err != nil || st.State != providers.Succeeded || st.ProviderRef != res.ProviderRef || st.ProductID != tt.id || len(st.Vouchers) != 1 || st.Vouchers[0].PIN != v.PIN {
				t.Errorf("status = %+v, %v", st, err)
			}
			if n := r.sim.Charged(ref); n != 1 {
				t.Errorf("Charged = %d", n)
			}
		})
	}
	// Not found: DT One's documented 404 with 1000404 (PROVIDERS.md).
	st, err := status(t, c, "1001999999999999", findProduct(t, c, "fvr-301"))
	if err != nil || st.State != providers.NotFound {
		t.Fatalf("unknown ref: %+v, %v", st, err)
	}
	if _, err := status(t, c, "1", providers.Product{}); err == nil {
		t.Fatal("status without a product type was sent")
	}
}

func TestTransactionsWithoutLookup(t *testing.T) {
	r := newRig(t, dtonesim.ExtTransactions)
	c := r.client(t, ExtTransactions)
	if _, ok := c.(providers.StatusChecker); ok {
		t.Fatal("a status look-up without the lookup extension")
	}
	ref, res := sell(t, c, findProduct(t, c, "fvv-112"), "", "")
	if res.State != providers.Succeeded || r.sim.Charged(ref) != 1 {
		t.Fatalf("%+v", res)
	}
	for _, req := range r.requests() {
		if !isSeedRoute(req) && req != "POST /transactions/fixed_value_vouchers" {
			t.Errorf("sent %s", req)
		}
	}
}

func TestSimulationSetting(t *testing.T) {
	r := newRig(t, dtonesim.ExtTransactions)
	cfg := r.config(ExtTransactions)
	cfg.Simulation = false
	c := newClient(t, cfg)
	if c.Info().Note != "" || r.client(t).Info().Note != "simulation" {
		t.Fatal("Info().Note does not follow simulation")
	}
	if _, res := sell(t, c, findProduct(t, c, "fvv-2012"), "", ""); res.State != providers.Succeeded {
		t.Fatalf("result %+v", res)
	}
	if got := r.sim.Balance().String(); got != "4990.55" {
		t.Fatalf("balance = %s, want 5000 - 9.45", got)
	}
	_, _ = sell(t, r.client(t, ExtTransactions), findProduct(t, c, "fvv-2012"), "", "")
	if got := r.sim.Balance().String(); got != "4990.55" {
		t.Fatalf("a simulated sale charged: %s", got)
	}
}

// Refusals are DT One's documented "nothing charged" answers.
func TestPurchaseRefusals(t *testing.T) {
	r := newRig(t, dtonesim.ExtTransactions, dtonesim.ExtLookup)
	c := r.client(t, ExtTransactions, ExtLookup)
	cat := catalog(t, c)
	fixed := mustQuote(t, c, cat["fvr-301"], gtMobile, "")
	variable := mustQuote(t, c, cat["vvr-1558"], inMobile, "19")
	tv := mustQuote(t, c, cat["fvr-64"], tvInvalid, "") // no check for TV (1000304): DT One refuses at the purchase
	tests := []struct {
		name  string
		quote func() providers.Quote
		fault string
		cfg   func(*Config)
		code  string
	}{
		{"account number incorrect", func() providers.Quote { return tv }, "", nil, "1000204"},
		{"not a suggested value", func() providers.Quote { q := variable; q.Amount = money.FromInt(20); return q }, "", nil, "1000999"},
		{"product not found", func() providers.Quote {
			q := fixed
			q.Product.Extra = map[string]string{"type": FixedRecharges, "product_id": "4242"}
			return q
		}, "", nil, "1000302"},
		{"variable payment", func() providers.Quote {
			q := fixed
			q.Product.Extra = map[string]string{"type": VariablePayments, "product_id": "2702"}
			q.Amount = money.FromInt(10000)
			return q
		}, "", nil, "1000303"},
		{"out of stock", func() providers.Quote { return fixed }, sandboxkit.FaultOutOfStock, nil, "1000301"},
		{"no balance", func() providers.Quote { return fixed }, sandboxkit.FaultNoBalance, nil, "1000777"},
		{"unauthorized", func() providers.Quote { return fixed }, "", func(c *Config) { c.APISecret = secret.New("wrong-secret") }, "1000401"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer r.sim.Faults.Reset()
			if tt.fault != "" {
				if err := r.sim.Faults.Set(tt.fault, "on"); err != nil {
					t.Fatal(err)
				}
			}
			cl := c
			if tt.cfg != nil {
				cfg := r.config(ExtTransactions, ExtLookup)
				tt.cfg(&cfg)
				cl = newClient(t, cfg)
			}
			ref := newRef()
			_, err := cl.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Quote: tt.quote()})
			if !providers.IsRefused(err) || errCode(err) != tt.code || providers.IsDuplicate(err) || providers.IsConfig(err) {
				t.Fatalf("err = %v (code %s)", err, errCode(err))
			}
			if r.sim.Charged(ref) != 0 {
				t.Fatal("charged")
			}
			if strings.Contains(err.Error(), "wrong-secret") {
				t.Fatal("the secret is in the error")
			}
		})
	}
	if _, err := c.Purchase(ctx(t), providers.PurchaseRequest{Quote: fixed}); !providers.IsRefused(err) {
		t.Errorf("no reference: %v", err)
	}
}

// 1000990, "external_id already used": another sale holds the reference.
func TestDuplicateReference(t *testing.T) {
	r := newRig(t, dtonesim.ExtTransactions, dtonesim.ExtLookup)
	c := r.client(t, ExtTransactions, ExtLookup)
	q := mustQuote(t, c, findProduct(t, c, "fvr-301"), gtMobile, "")
	ref := newRef()
	if _, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Quote: q}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Quote: q})
	if !providers.IsDuplicate(err) || providers.IsRefused(err) || errCode(err) != "1000990" {
		t.Fatalf("duplicate: %v", err)
	}
	if r.sim.Charged(ref) != 1 {
		t.Fatalf("Charged = %d", r.sim.Charged(ref))
	}
}

func TestFaults(t *testing.T) {
	r := newRig(t, dtonesim.ExtTransactions, dtonesim.ExtLookup)
	c := r.client(t, ExtTransactions, ExtLookup)
	p := findProduct(t, c, "fvv-112")
	q := mustQuote(t, c, p, gtMobile, "")
	buy := func(timeout time.Duration) (string, providers.Result, error) {
		cx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		ref := newRef()
		res, err := c.Purchase(cx, providers.PurchaseRequest{Ref: ref, Quote: q})
		return ref, res, err
	}
	tests := []struct {
		fault, value string
		timeout      time.Duration
		doubt        bool
		charged      int
		after        providers.State // what the look-up says afterwards
	}{
		{sandboxkit.FaultLatency, "30ms", testWindow, false, 1, providers.Succeeded},
		{sandboxkit.FaultNoAnswer, "on", 300 * time.Millisecond, true, 0, providers.NotFound},
		{sandboxkit.FaultHangAfterCommit, "on", 300 * time.Millisecond, true, 1, providers.Succeeded},
		{sandboxkit.FaultCutAfterCommit, "on", testWindow, true, 1, providers.Succeeded},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			defer r.sim.Faults.Reset()
			if err := r.sim.Faults.Set(tt.fault, tt.value); err != nil {
				t.Fatal(err)
			}
			ref, res, err := buy(tt.timeout)
			if tt.doubt {
				if err == nil || providers.IsRefused(err) || providers.IsConfig(err) || providers.IsDuplicate(err) {
					t.Fatalf("want a doubt, got %+v, %v", res, err)
				}
			} else if err != nil || res.State != providers.Succeeded {
				t.Fatalf("%+v, %v", res, err)
			}
			r.sim.Faults.Reset()
			if got := r.sim.Charged(ref); got != tt.charged {
				t.Fatalf("charged %d, want %d", got, tt.charged)
			}
			st, err := status(t, c, ref, p)
			if err != nil || st.State != tt.after {
				t.Fatalf("look-up: %+v, %v", st, err)
			}
		})
	}
}

func TestPendingThenSuccess(t *testing.T) {
	r := newRig(t, dtonesim.ExtTransactions, dtonesim.ExtLookup)
	c := r.client(t, ExtTransactions, ExtLookup)
	if err := r.sim.Faults.Set(sandboxkit.FaultPending, "2"); err != nil {
		t.Fatal(err)
	}
	p := findProduct(t, c, "fvv-112")
	ref, res := sell(t, c, p, "", "")
	if res.State != providers.Pending || len(res.Vouchers) != 0 {
		t.Fatalf("purchase = %+v", res)
	}
	r.sim.Faults.Reset()
	for i, want := range []providers.State{providers.Pending, providers.Pending, providers.Succeeded} {
		st, err := status(t, c, ref, p)
		if err != nil || st.State != want {
			t.Fatalf("poll %d: %+v, %v", i, st, err)
		}
		if want == providers.Succeeded && (len(st.Vouchers) != 1 || st.Vouchers[0].PIN == "") {
			t.Fatalf("no PIN after success: %+v", st)
		}
	}
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/dtone"
}

// A request that never left: nothing sent, nothing charged, may be sold again.
func TestRequestThatNeverLeft(t *testing.T) {
	r := newRig(t, dtonesim.ExtTransactions, dtonesim.ExtLookup)
	good := r.client(t, ExtTransactions, ExtLookup)
	p := findProduct(t, good, "fvr-301")
	q := mustQuote(t, good, p, gtMobile, "")
	cfg := r.config(ExtTransactions, ExtLookup)
	cfg.BaseURL = closedPort(t)
	c := newClient(t, cfg)
	_, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: newRef(), Quote: q})
	if !providers.IsRefused(err) || errCode(err) != "not_sent" || !strings.Contains(providers.ClerkMessage(err), "nothing was charged") {
		t.Fatalf("purchase: %v", err)
	}
	if _, err := c.Catalog(ctx(t)); err == nil {
		t.Fatal("catalogue from a closed port")
	}
	if _, err := c.Quote(ctx(t), quoteReq(p, gtMobile, "")); err == nil {
		t.Fatal("quote from a closed port")
	}
	st, err := status(t, c, newRef(), p)
	if err == nil || st.State == providers.NotFound || providers.IsRefused(err) {
		t.Fatalf("status: %+v, %v", st, err)
	}
}

// A route that does not exist is a configuration error, never an outcome.
func TestRouteMissing(t *testing.T) {
	docOnly := newRig(t)
	full := newRig(t, dtonesim.ExtTransactions, dtonesim.ExtLookup, dtonesim.ExtCountries)
	fullClient := full.client(t, ExtTransactions, ExtLookup)
	p := findProduct(t, fullClient, "fvv-112")
	q := mustQuote(t, fullClient, p, "", "")
	wrongPath := func(r *rig, ext ...string) providers.Provider {
		cfg := r.config(ext...)
		cfg.BaseURL = r.base + "/v1.1" // the simulator has no v1.1 prefix
		return newClient(t, cfg)
	}
	otherMount := func(r *rig, ext ...string) providers.Provider {
		cfg := r.config(ext...)
		cfg.BaseURL = r.root + "/dt-one" // nothing is mounted there
		return newClient(t, cfg)
	}
	noIDs := docOnly.config(ExtCountries)
	noIDs.Countries = nil
	tests := []struct {
		name    string
		client  providers.Provider
		setting string
	}{
		{"wrong path", wrongPath(full, ExtTransactions, ExtLookup), "base_url"},
		{"nothing mounted", otherMount(full, ExtTransactions, ExtLookup), "base_url"},
		{"extensions the server lacks", newClient(t, func() Config { c := docOnly.config(ExtTransactions, ExtLookup); return c }()), `extensions = ["`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setting == "base_url" {
				_, err := tt.client.Catalog(ctx(t))
				if !providers.IsConfig(err) || !strings.Contains(err.Error(), "base_url") {
					t.Errorf("catalog: %v", err)
				}
				_, err = tt.client.Quote(ctx(t), quoteReq(p, "", ""))
				if !providers.IsConfig(err) || providers.IsRefused(err) {
					t.Errorf("quote: %v", err)
				}
			}
			ref := newRef()
			_, err := tt.client.Purchase(ctx(t), providers.PurchaseRequest{Ref: ref, Quote: q})
			if !providers.IsConfig(err) || providers.IsRefused(err) || providers.IsDuplicate(err) || !strings.Contains(err.Error(), tt.setting) {
				t.Errorf("purchase: %v", err)
			}
			st, err := status(t, tt.client, ref, p)
			if !providers.IsConfig(err) || st.State == providers.NotFound || !strings.Contains(err.Error(), tt.setting) {
				t.Errorf("status: %+v, %v", st, err)
			}
		})
	}
	t.Run("discovery extension the server lacks", func(t *testing.T) {
		_, err := newClient(t, noIDs).Catalog(ctx(t))
		if !providers.IsConfig(err) || !strings.Contains(err.Error(), `extensions = ["countries"]`) {
			t.Fatalf("catalog: %v", err)
		}
	})
}

// The simulator dates everything by its injected clock; so does the result.
func TestClock(t *testing.T) {
	r := newRig(t, dtonesim.ExtTransactions, dtonesim.ExtLookup)
	c := r.client(t, ExtTransactions, ExtLookup)
	p := findProduct(t, c, "fvv-112")
	for _, at := range []time.Time{clock.Start, clock.Start.AddDate(1, 2, 3)} {
		r.clock.Set(at)
		ref, res := sell(t, c, p, "", "")
		want := at.UTC().Truncate(time.Second)
		if !res.At.Equal(want) || res.Vouchers[0].Expiry != at.UTC().AddDate(1, 0, 0).Format(time.DateOnly) {
			t.Fatalf("at %v: result at %v, expiry %s", at, res.At, res.Vouchers[0].Expiry)
		}
		r.clock.Advance(48 * time.Hour)
		st, err := status(t, c, ref, p)
		if err != nil || !st.At.Equal(want) {
			t.Fatalf("look-up: %+v, %v", st, err)
		}
	}
}

func TestConcurrentPurchases(t *testing.T) {
	r := newRig(t, dtonesim.ExtTransactions)
	c := r.client(t, ExtTransactions)
	q := mustQuote(t, c, findProduct(t, c, "fvr-1601"), "8801712345678", "")
	refs := make([]string, 16)
	errs := make([]error, len(refs))
	done := make(chan struct{})
	for i := range refs {
		refs[i] = newRef()
		go func() {
			defer func() { done <- struct{}{} }()
			_, errs[i] = c.Purchase(ctx(t), providers.PurchaseRequest{Ref: refs[i], Quote: q})
		}()
	}
	for range refs {
		<-done
	}
	for i, ref := range refs {
		if errs[i] != nil || r.sim.Charged(ref) != 1 {
			t.Errorf("sale %s: charged %d, err %v", ref, r.sim.Charged(ref), errs[i])
		}
	}
}

func TestSecretsStayOut(t *testing.T) {
	r := newRig(t)
	cfg := r.config()
	cfg.APISecret = secret.New("wrong-secret")
	_, err := newClient(t, cfg).Catalog(ctx(t))
	if err == nil || !strings.Contains(err.Error(), "check api_key and api_secret") {
		t.Fatalf("catalog: %v", err)
	}
	var all []string
	for e := error(err); e != nil; e = errors.Unwrap(e) {
		all = append(all, e.Error())
	}
	if strings.Contains(strings.Join(all, " "), "wrong-secret") {
		t.Fatal("the secret is in an error")
	}
}
