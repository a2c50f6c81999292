package alqimah

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/sandboxkit"
)

// setup runs a sandbox on loopback and a client pointed at it.
func setup(t *testing.T) (*Sandbox, *Client) {
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

func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func product(t *testing.T, c *Client, id string) providers.Product {
	t.Helper()
	ps, err := c.Catalog(testCtx(t, 5*time.Second))
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

func quote(t *testing.T, c *Client, id string, fields map[string]string, amount string) providers.Quote {
	t.Helper()
	req := providers.QuoteRequest{Product: product(t, c, id), Fields: fields}
	if amount != "" {
		req.Amount = money.MustParse(amount)
	}
	q, err := c.Quote(testCtx(t, 5*time.Second), req)
	if err != nil {
		t.Fatalf("quote %s: %v", id, err)
	}
	return q
}

func mobile(n string) map[string]string { return map[string]string{fieldMobile: n} }

func wantCode(t *testing.T, err error, refused bool, code string) *providers.Error {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a *providers.Error", err)
	}
	if providers.IsRefused(err) != refused || (code != "" && pe.Code != code) {
		t.Fatalf("err = %v (refused %v, code %s), want refused %v code %s", err, providers.IsRefused(err), pe.Code, refused, code)
	}
	return pe
}

func TestCatalog(t *testing.T) {
	_, c := setup(t)
	ps, err := c.Catalog(testCtx(t, 5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]providers.Product{}
	for _, p := range ps {
		if p.Provider != ID || p.Brand == "" || p.Kind == "" {
			t.Errorf("incomplete product %+v", p)
		}
		byID[p.ID] = p
	}
	ym := byID["topup-yemen_mobile"]
	if ym.PriceKind != providers.PriceRange || ym.Brand != "Yemen Mobile" || ym.Extra[xService] != "103" {
		t.Errorf("yemen mobile = %+v", ym)
	}
	if err := ym.ValidateFields(mobile("781234567")); err != nil {
		t.Errorf("78 number refused: %v", err)
	}
	// A ported number keeps its old prefix: the field takes any Yemeni
	// mobile number and the screen warns when the prefix is another network's.
	if err := ym.ValidateFields(mobile("711234567")); err != nil {
		t.Errorf("Sabafon-prefixed number on Yemen Mobile refused outright: %v", err)
	}
	if err := ym.ValidateFields(mobile("611234567")); err == nil || !strings.Contains(err.Error(), "starts with 7") {
		t.Errorf("non-mobile number on Yemen Mobile: %v", err)
	}
	sf := byID["topup-sabafon"]
	if sf.PriceKind != providers.PriceUnits || sf.Price.String() != "1.21 YER" || sf.Fields[0].Pattern != `7[0-9]{8}` {
		t.Errorf("sabafon = %+v", sf)
	}
	for _, id := range []string{"topup-you", "topup-y_telecom", "topup-adsl", "topup-landline", "topup-yemen_4g"} {
		if _, ok := byID[id]; !ok {
			t.Errorf("missing %s", id)
		}
	}
	if o := byID["offer-sabafon-PREWhatsApp"]; o.Kind != providers.KindOffer || o.Extra[xOfferCode] != "PREWhatsApp" || o.Price.String() != "500.00 YER" {
		t.Errorf("offer = %+v", o)
	}
	pubg := byID["game-pubg_60"]
	if pubg.Kind != providers.KindGame || pubg.Brand != "PUBG" || pubg.NameAr != "شدات بوبجي ( 60 شدة )" || pubg.Price.String() != "495.00 YER" ||
		len(pubg.Fields) != 1 || pubg.Fields[0].Name != "PlayerID" || pubg.Extra[xLinkCode] != "pubg_60" {
		t.Errorf("pubg = %+v", pubg)
	}
	if ml := byID["game-mlbb_86"]; len(ml.Fields) != 2 || ml.Fields[1].Name != "ZoneID" || ml.Brand != "Mobile Legends" {
		t.Errorf("mobile legends = %+v", ml)
	}
	if ff := byID["game-freefire_free"]; ff.PriceKind != providers.PriceUnits || ff.MinAmount.Amount.String() != "100" || ff.MaxAmount.Amount.String() != "10000" {
		t.Errorf("free quantity = %+v", ff)
	}
	if it := byID["game-itunes_us_10"]; it.Brand != "iTunes" || it.Fields[0].Kind != providers.FieldEmail {
		t.Errorf("itunes = %+v", it)
	}
}

func TestQuote(t *testing.T) {
	_, c := setup(t)
	tests := []struct {
		id, number, amount string
		fields             map[string]string
		cost, info         string
	}{
		{"topup-yemen_mobile", "771234567", "1000", nil, "1000.00 YER", "Balance: 154.15, prepaid, دفع مسبق\nLoan: none, الرقم غير متسلف"},
		{"topup-sabafon", "711234567", "100", nil, "121.00 YER", ""},
		{"topup-you", "731234567", "10", nil, "11.80 YER", ""},
		{"topup-adsl", "01234567", "300", nil, "300.00 YER", "44.18 جيجابايت"},
		{"topup-landline", "01234567", "2869", nil, "2869.00 YER", "Balance: 2869"},
		{"topup-yemen_4g", "10123456", "2400", nil, "2400.00 YER", "26.90جيجابايت"},
		{"offer-yemen_mobile-A3825", "771234567", "", nil, "1600.00 YER", "Active offers: شريحه 4G"},
		{"game-pubg_120", "", "", map[string]string{"PlayerID": "5123456789"}, "995.50 YER", ""},
		{"game-freefire_free", "", "200", map[string]string{"PlayerID": "998877"}, "1100.00 YER", ""},
	}
	for _, tt := range tests {
		fields := tt.fields
		if tt.number != "" {
			fields = mobile(tt.number)
		}
		q := quote(t, c, tt.id, fields, tt.amount)
		if q.Cost.String() != tt.cost || q.Retail.String() != tt.cost || !strings.Contains(q.Info, tt.info) {
			t.Errorf("%s: cost %s retail %s info %q", tt.id, q.Cost, q.Retail, q.Info)
		}
	}

	refusals := []struct {
		id, number, amount, code string
	}{
		{"topup-adsl", "01234567", "100", string(kindBadAmount)},         // below the line's minAmount 250
		{"topup-yemen_mobile", "770000000", "500", string(kindNotFound)}, // unknown subscriber
		{"topup-yemen_mobile", "771234567", "10", string(kindBadAmount)}, // below min_amount
		{"topup-sabafon", "711234567", "1.5", string(kindBadAmount)},     // half a unit
	}
	for _, tt := range refusals {
		_, err := c.Quote(testCtx(t, 5*time.Second), providers.QuoteRequest{
			Product: product(t, c, tt.id), Fields: mobile(tt.number), Amount: money.MustParse(tt.amount)})
		wantCode(t, err, true, tt.code)
	}
}

func TestQueryAndOffers(t *testing.T) {
	_, c := setup(t)
	ctx := testCtx(t, 5*time.Second)
	text, err := c.Query(ctx, product(t, c, "topup-landline"), "01234567")
	if err != nil || text != "Balance: 2869" {
		t.Fatalf("landline query = %q, %v", text, err)
	}
	offers, err := c.Offers(ctx, "771234567")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]providers.Product{}
	for _, o := range offers {
		got[o.Extra[xOfferCode]] = o
	}
	if o := got["A4990006"]; !o.Available || o.Price.String() != "2500.00 YER" || o.NameAr != "باقة مزايا فورجي فولتي الشهريه دفع مسبق" || o.Kind != providers.KindOffer {
		t.Errorf("priced offer = %+v", o)
	}
	if o := got["A115887147"]; o.Available || o.NameAr != "شريحه 4G" {
		t.Errorf("unpriced offer = %+v", o)
	}
	// An offer from Offers can be quoted and bought like a catalogue one.
	q, err := c.Quote(ctx, providers.QuoteRequest{Product: got["A4990006"], Fields: mobile("771234567")})
	if err != nil || q.Cost.String() != "2500.00 YER" {
		t.Fatalf("quote offer: %v %v", q.Cost, err)
	}
}

func TestPurchase(t *testing.T) {
	sb, c := setup(t)
	tests := []struct {
		ref, id, amount string
		fields          map[string]string
		charged         string
		pin             bool
	}{
		{"1001000010000001", "topup-yemen_mobile", "1000", mobile("771234567"), "1000.00 YER", false},
		{"1001000010000002", "topup-sabafon", "100", mobile("711234567"), "121.00 YER", false},
		{"1001000010000003", "topup-y_telecom", "20", mobile("701234567"), "23.00 YER", false},
		{"1001000010000004", "offer-sabafon-PREWhatsApp", "", mobile("711234567"), "500.00 YER", false},
		{"1001000010000005", "game-mlbb_86", "", map[string]string{"PlayerID": "12345678", "ZoneID": "2001"}, "880.00 YER", false},
		{"1001000010000006", "game-freefire_free", "150", map[string]string{"PlayerID": "998877"}, "825.00 YER", false},
		{"1001000010000007", "game-itunes_us_10", "", map[string]string{"EmailAddress": "buyer@example.com"}, "5720.00 YER", true},
		{"1001000010000008", "topup-landline", "2869", mobile("01234567"), "2869.00 YER", false},
	}
	for _, tt := range tests {
		q := quote(t, c, tt.id, tt.fields, tt.amount)
		res, err := c.Purchase(testCtx(t, 5*time.Second), providers.PurchaseRequest{Ref: tt.ref, Quote: q})
		if err != nil {
			t.Fatalf("%s: %v", tt.id, err)
		}
		if res.State != providers.Succeeded || res.ProviderRef == "" || res.Charged.String() != tt.charged || len(res.Vouchers) != 1 ||
			res.Vouchers[0].Reference != res.ProviderRef || res.Message != "تمت العملية بنجاح - Payment success" {
			t.Errorf("%s: %+v", tt.id, res)
		}
		if tt.pin != (res.Vouchers[0].PIN != "") {
			t.Errorf("%s: pin %q", tt.id, res.Vouchers[0].PIN)
		}
		if n := sb.Charged(tt.ref); n != 1 {
			t.Errorf("%s: charged %d times", tt.id, n)
		}
		st, err := c.Status(testCtx(t, 5*time.Second), providers.SaleRef{Ref: tt.ref})
		if err != nil || st.State != providers.Succeeded || st.ProviderRef != res.ProviderRef || !strings.HasPrefix(st.Message, "جاهزة") {
			t.Errorf("%s: status %+v %v", tt.id, st, err)
		}
		if tt.pin && st.Vouchers[0].PIN != res.Vouchers[0].PIN {
			t.Errorf("%s: status lost the pin", tt.id)
		}
	}
	bal, err := c.Balance(testCtx(t, 5*time.Second))
	if err != nil || len(bal) != 1 || bal[0].String() != "988062.00 YER" {
		t.Fatalf("balance = %v, %v", bal, err)
	}
}

func TestGameFieldsAsText(t *testing.T) {
	sb := NewSandbox()
	srv, err := sandboxkit.Start("127.0.0.1:0", sb)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg := SandboxConfig(srv.URL)
	cfg.GameFieldsAsText = true
	c, _ := New(cfg, nil)
	q := quote(t, c, "game-pubg_60", map[string]string{"PlayerID": "5123456789"}, "")
	res, err := c.Purchase(testCtx(t, 5*time.Second), providers.PurchaseRequest{Ref: "2001000010000001", Quote: q})
	if err != nil || res.State != providers.Succeeded {
		t.Fatalf("%+v %v", res, err)
	}
	body, err := c.purchaseBody(providers.PurchaseRequest{Ref: "1", Quote: q})
	if err != nil || body["Fields"] != `{"PlayerID":"5123456789"}` || body["LinkCode"] != "pubg_60" || body["Quantity"] != 1 {
		t.Fatalf("body = %v %v", body, err)
	}
}

func TestFailedAndNotFound(t *testing.T) {
	sb, c := setup(t)
	q := quote(t, c, "topup-yemen_mobile", mobile(demoFailingNumber), "500")
	res, err := c.Purchase(testCtx(t, 5*time.Second), providers.PurchaseRequest{Ref: "3001000010000001", Quote: q})
	if err != nil || res.State != providers.Failed || res.Message != "ملغية" {
		t.Fatalf("failed sale: %+v %v", res, err)
	}
	if sb.Charged("3001000010000001") != 0 {
		t.Error("cancelled sale charged")
	}
	st, err := c.Status(testCtx(t, 5*time.Second), providers.SaleRef{Ref: "3001000010000999"})
	if err != nil || st.State != providers.NotFound {
		t.Fatalf("unknown ref: %+v %v", st, err)
	}
}

func TestFeed(t *testing.T) {
	_, c := setup(t)
	f, err := c.Feed(testCtx(t, 5*time.Second))
	if err != nil || len(f) != 2 || f[0].Amount.String() != "70000" || f[0].Currency != "YER" || f[0].Notes != "تغذية حساب - Notes" {
		t.Fatalf("feed = %+v %v", f, err)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		fault, value string
		timeout      time.Duration
		check        func(t *testing.T, sb *Sandbox, c *Client, ref string, res providers.Result, err error)
	}{
		{sandboxkit.FaultLatency, "60ms", 5 * time.Second, func(t *testing.T, sb *Sandbox, c *Client, ref string, res providers.Result, err error) {
			if err != nil || res.State != providers.Succeeded {
				t.Fatalf("%+v %v", res, err)
			}
		}},
		{sandboxkit.FaultNoAnswer, "", 300 * time.Millisecond, func(t *testing.T, sb *Sandbox, c *Client, ref string, res providers.Result, err error) {
			wantCode(t, err, false, "network")
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want a deadline", err)
			}
			sb.Faults.Reset()
			if st, err := c.Status(testCtx(t, 5*time.Second), providers.SaleRef{Ref: ref}); err != nil || st.State != providers.NotFound || sb.Charged(ref) != 0 {
				t.Errorf("status after no answer: %+v %v", st, err)
			}
		}},
		{sandboxkit.FaultHangAfterCommit, "", 300 * time.Millisecond, func(t *testing.T, sb *Sandbox, c *Client, ref string, res providers.Result, err error) {
			wantCode(t, err, false, "")
			sb.Faults.Reset()
			if st, err := c.Status(testCtx(t, 5*time.Second), providers.SaleRef{Ref: ref}); err != nil || st.State != providers.Succeeded {
				t.Errorf("status after hang: %+v %v", st, err)
			}
		}},
		{sandboxkit.FaultCutAfterCommit, "", 5 * time.Second, func(t *testing.T, sb *Sandbox, c *Client, ref string, res providers.Result, err error) {
			wantCode(t, err, false, "network")
			sb.Faults.Reset()
			if st, err := c.Status(testCtx(t, 5*time.Second), providers.SaleRef{Ref: ref}); err != nil || st.State != providers.Succeeded || sb.Charged(ref) != 1 {
				t.Errorf("status after cut: %+v %v", st, err)
			}
		}},
		{sandboxkit.FaultOutOfStock, "", 5 * time.Second, func(t *testing.T, sb *Sandbox, c *Client, ref string, res providers.Result, err error) {
			pe := wantCode(t, err, true, string(kindUnavailable))
			if !strings.Contains(pe.Message, "الخدمة غير متوفرة حالياً") || sb.Charged(ref) != 0 {
				t.Errorf("message %q", pe.Message)
			}
		}},
		{sandboxkit.FaultNoBalance, "", 5 * time.Second, func(t *testing.T, sb *Sandbox, c *Client, ref string, res providers.Result, err error) {
			pe := wantCode(t, err, true, string(kindNoBalance))
			if !strings.Contains(pe.Message, "balance is too low") || sb.Charged(ref) != 0 {
				t.Errorf("message %q", pe.Message)
			}
		}},
		{sandboxkit.FaultPending, "2", 5 * time.Second, func(t *testing.T, sb *Sandbox, c *Client, ref string, res providers.Result, err error) {
			if err != nil || res.State != providers.Pending || res.Message != "في الانتظار" {
				t.Fatalf("%+v %v", res, err)
			}
			for i, want := range []providers.State{providers.Pending, providers.Pending, providers.Succeeded, providers.Succeeded} {
				st, err := c.Status(testCtx(t, 5*time.Second), providers.SaleRef{Ref: ref})
				if err != nil || st.State != want {
					t.Fatalf("poll %d: %+v %v, want %s", i, st, err, want)
				}
			}
			if sb.Charged(ref) != 1 {
				t.Error("pending sale not charged once")
			}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			sb, c := setup(t)
			q := quote(t, c, "topup-yemen_mobile", mobile("771234567"), "700")
			if err := sb.Faults.Set(tt.fault, tt.value); err != nil {
				t.Fatal(err)
			}
			ref := "40010000100000" + itoa(int64(10+i))
			start := time.Now()
			res, err := c.Purchase(testCtx(t, tt.timeout), providers.PurchaseRequest{Ref: ref, Quote: q})
			if tt.fault == sandboxkit.FaultLatency && time.Since(start) < 60*time.Millisecond {
				t.Error("latency not applied")
			}
			tt.check(t, sb, c, ref, res, err)
		})
	}
}

func TestDuplicateRef(t *testing.T) {
	sb, c := setup(t)
	q := quote(t, c, "topup-yemen_mobile", mobile("771234567"), "500")
	req := providers.PurchaseRequest{Ref: "5001000010000001", Quote: q}
	if _, err := c.Purchase(testCtx(t, 5*time.Second), req); err != nil {
		t.Fatal(err)
	}
	_, err := c.Purchase(testCtx(t, 5*time.Second), req)
	pe := wantCode(t, err, false, string(kindDuplicate))
	if !strings.Contains(pe.Message, "رقم العملية مستخدم مسبقاً") || sb.Charged(req.Ref) != 1 {
		t.Errorf("duplicate: %q charged %d", pe.Message, sb.Charged(req.Ref))
	}
}

func TestBadCredentials(t *testing.T) {
	sb := NewSandbox()
	srv, err := sandboxkit.Start("127.0.0.1:0", sb)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	good, _ := New(SandboxConfig(srv.URL), nil)
	q := quote(t, good, "topup-yemen_mobile", mobile("771234567"), "500")

	cfg := SandboxConfig(srv.URL)
	cfg.Password = secretNew("wrong-password")
	c, _ := New(cfg, nil)
	_, err = c.Purchase(testCtx(t, 5*time.Second), providers.PurchaseRequest{Ref: "6001000010000001", Quote: q})
	pe := wantCode(t, err, true, string(kindAuth))
	if !strings.Contains(pe.Message, "check account_number, username, password and api_token") || strings.Contains(err.Error(), "wrong-password") {
		t.Errorf("message %q", pe.Message)
	}
	if _, err := c.Balance(testCtx(t, 5*time.Second)); err == nil || !strings.Contains(providers.ClerkMessage(err), "Invalid login data") {
		t.Errorf("balance with bad login: %v", err)
	}
	if sb.Charged("6001000010000001") != 0 {
		t.Error("charged with bad credentials")
	}
}

func TestTokenReuseAndRenewal(t *testing.T) {
	sb, c := setup(t)
	ctx := testCtx(t, 5*time.Second)
	for range 3 {
		if _, err := c.Balance(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := sb.Logins(); n != 1 {
		t.Fatalf("logins = %d, want the token reused", n)
	}
	// The client sees the token expire and renews it before sending.
	c.mu.Lock()
	c.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	c.mu.Unlock()
	if _, err := c.Balance(ctx); err != nil || sb.Logins() != 2 {
		t.Fatalf("after client-side expiry: logins %d, %v", sb.Logins(), err)
	}
	c.mu.Lock()
	c.now = time.Now
	c.mu.Unlock()

	// The platform expires the token early: the query is sent again once
	// after a fresh login.
	sb2, c2 := setup(t)
	sb2.TokenTTL = time.Minute
	if _, err := c2.Balance(ctx); err != nil {
		t.Fatal(err)
	}
	sb2.mu.Lock()
	sb2.now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	sb2.mu.Unlock()
	if _, err := c2.Balance(ctx); err != nil || sb2.Logins() != 2 {
		t.Fatalf("after server-side expiry: logins %d, %v", sb2.Logins(), err)
	}
}

func TestPurchaseAfterRevokedToken(t *testing.T) {
	sb, c := setup(t)
	q := quote(t, c, "topup-yemen_mobile", mobile("771234567"), "500")
	sb.RevokeTokens()
	_, err := c.Purchase(testCtx(t, 5*time.Second), providers.PurchaseRequest{Ref: "7001000010000001", Quote: q})
	pe := wantCode(t, err, true, string(kindAuth))
	if !strings.Contains(pe.Message, "nothing was sold") || sb.Charged("7001000010000001") != 0 {
		t.Errorf("message %q", pe.Message)
	}
	if sb.Logins() != 2 {
		t.Errorf("logins = %d, want a fresh login after the refusal", sb.Logins())
	}
	res, err := c.Purchase(testCtx(t, 5*time.Second), providers.PurchaseRequest{Ref: "7001000010000002", Quote: q})
	if err != nil || res.State != providers.Succeeded || sb.Logins() != 2 {
		t.Fatalf("next sale: %+v %v logins %d", res, err, sb.Logins())
	}
}

func TestConcurrentLogin(t *testing.T) {
	sb, c := setup(t)
	ctx := testCtx(t, 5*time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			if _, err := c.Balance(ctx); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := sb.Logins(); n != 1 {
		t.Errorf("logins = %d, want 1", n)
	}
}

func TestBadReference(t *testing.T) {
	sb, c := setup(t)
	q := quote(t, c, "topup-yemen_mobile", mobile("771234567"), "500")
	_, err := c.Purchase(testCtx(t, 5*time.Second), providers.PurchaseRequest{Ref: "12a", Quote: q})
	wantCode(t, err, true, string(kindBadInput))
	if sb.Charged("12a") != 0 {
		t.Error("charged")
	}
}
