package alqimah

// Contract tests: the client against the simulator written from the seed
// alone (alqimahsim), over real HTTP on loopback. The simulator serves the
// document only: Al-Qimah has no extensions (TestExtensions).

import (
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/alqimah/alqimahsim"
	"kiosk/providers/sandboxkit"
)

func TestExtensions(t *testing.T) {
	if len(ExtensionNames) != 0 || len(alqimahsim.ExtensionNames) != 0 {
		t.Fatalf("extensions: client %v, simulator %v", ExtensionNames, alqimahsim.ExtensionNames)
	}
	cfg := simConfig("http://127.0.0.1:1", nil)
	cfg.Extensions = []string{"transactions"}
	err := cfg.Validate()
	if err == nil || !strings.Contains(err.Error(), `extensions: unknown extension "transactions" (known: none`) {
		t.Fatalf("err = %v", err)
	}
}

func TestCatalog(t *testing.T) {
	r := newRig(t)
	ps, err := r.c.Catalog(r.ctx())
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
	if len(ps) != 7+3+8 {
		t.Errorf("%d products, want 7 top-ups, 3 offers and the simulator's 8 categories", len(ps))
	}
	ym := byID["topup-yemen_mobile"]
	if ym.PriceKind != providers.PriceRange || ym.Brand != "Yemen Mobile" || ym.Extra[xService] != "103" {
		t.Errorf("yemen mobile = %+v", ym)
	}
	// A ported number keeps its old prefix: the field takes any Yemeni
	// mobile number and the screen warns when the prefix is another network's.
	for n, ok := range map[string]bool{"781234567": true, "711234567": true, "611234567": false, "77123456": false} {
		if err := ym.ValidateFields(mobile(n)); (err == nil) != ok {
			t.Errorf("yemen mobile %s: %v", n, err)
		}
	}
	if sf := byID["topup-sabafon"]; sf.PriceKind != providers.PriceUnits || sf.Price.String() != "1.21 YER" {
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
	// The seed's first category (L276-295), as the simulator serves it.
	pubg := byID["game-pubg_60"]
	if pubg.Kind != providers.KindGame || pubg.Brand != "PUBG" || pubg.NameAr != "شدات بوبجي ( 60 شدة )" || pubg.Price.String() != "495.00 YER" ||
		len(pubg.Fields) != 1 || pubg.Fields[0].Name != "PlayerID" || pubg.Fields[0].LabelAr != "رقم ايدي - اللاعب" || pubg.Extra[xLinkCode] != "pubg_60" {
		t.Errorf("pubg = %+v", pubg)
	}
	if p := byID["game-pubg_120"]; p.Price.String() != "995.50 YER" {
		t.Errorf("pubg 120 = %s: the seed's 995.5 must pass through", p.Price)
	}
	if ml := byID["game-mlbb_86"]; len(ml.Fields) != 2 || ml.Fields[1].Name != "ZoneID" || ml.Brand != "Mobile Legends" {
		t.Errorf("mobile legends = %+v", ml)
	}
	if ff := byID["game-freefire_free"]; ff.PriceKind != providers.PriceUnits || ff.MinAmount.Amount.String() != "100" || ff.MaxAmount.Amount.String() != "10000" {
		t.Errorf("free quantity = %+v", ff)
	}
	if it := byID["game-itunes_us_10"]; it.Brand != "iTunes" || it.Kind != providers.KindVoucher || it.Fields[0].Kind != providers.FieldEmail || !deliversCode(it) {
		t.Errorf("itunes = %+v", it)
	}
}

func TestCustomerNumbers(t *testing.T) {
	r := newRig(t)
	tests := []struct {
		product, typed, sent string
	}{
		{"topup-yemen_mobile", "+967 771234567", "771234567"},
		{"topup-yemen_mobile", "00967771234567", "771234567"},
		{"topup-yemen_mobile", "0771234567", "771234567"},
		{"topup-sabafon", "967 711 234 567", "711234567"},
		{"topup-landline", "01 234 567", "01234567"}, // the landline's 0 stays
		{"topup-adsl", "10123456", "10123456"},
		{"topup-adsl", "01-234-567", "01234567"},
		{"topup-yemen_4g", "10 123 456", "10123456"},
	}
	for i, tt := range tests {
		t.Run(tt.product+" "+tt.typed, func(t *testing.T) {
			amount := "1000"
			if tt.product == "topup-sabafon" {
				amount = "100"
			}
			q := r.quote(tt.product, mobile(tt.typed), amount)
			if q.Fields[fieldMobile] != tt.sent {
				t.Fatalf("quote holds %q", q.Fields[fieldMobile])
			}
			ref := "11000000000000" + itoa(int64(10+i))
			if res, err := r.buy(ref, q); err != nil || res.State != providers.Succeeded {
				t.Fatalf("%+v %v", res, err)
			}
			sent := r.gate.sent()
			last := sent[len(sent)-1]
			if last.Body["MobileNumber"] != tt.sent || last.Body["TransactionID"] != ref {
				t.Fatalf("sent %s", last.Raw)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	r := newRig(t)
	tests := []struct {
		id, number, amount string
		fields             map[string]string
		cost, info         string
	}{
		{"topup-yemen_mobile", "771234567", "1000", nil, "1000.00 YER", "Balance: 154.15, prepaid, دفع مسبق\nLoan: none, الرقم غير متسلف"},
		{"topup-sabafon", "711234567", "100", nil, "121.00 YER", ""},
		{"topup-you", "731234567", "10", nil, "11.80 YER", ""},
		{"topup-adsl", "10123456", "300", nil, "300.00 YER", "44.18 جيجابايت"},
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
		q := r.quote(tt.id, fields, tt.amount)
		if q.Cost.String() != tt.cost || q.Retail.String() != tt.cost || !strings.Contains(q.Info, tt.info) {
			t.Errorf("%s: cost %s retail %s info %q", tt.id, q.Cost, q.Retail, q.Info)
		}
	}

	refusals := []struct {
		name, id, number, amount, code string
	}{
		{"below the line's minAmount 250 (seed L465)", "topup-adsl", "10123456", "100", string(kindBadAmount)},
		{"unknown subscriber", "topup-yemen_mobile", alqimahsim.UnknownSubscriber, "500", string(kindNotFound)},
		{"below min_amount", "topup-yemen_mobile", "771234567", "10", string(kindBadAmount)},
		{"half a unit", "topup-sabafon", "711234567", "1.5", string(kindBadAmount)},
		{"not a mobile number", "topup-yemen_mobile", "611234567", "500", string(kindBadInput)},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, api := r.gate.counts()
			_, err := r.c.Quote(r.ctx(), providers.QuoteRequest{
				Product: r.product(tt.id), Fields: mobile(tt.number), Amount: money.MustParse(tt.amount)})
			wantErr(t, err, true, tt.code)
			if _, after := r.gate.counts(); after-api > 3 {
				t.Errorf("%d requests", after-api)
			}
		})
	}
}

func TestQueryAndOffers(t *testing.T) {
	r := newRig(t)
	text, err := r.c.Query(r.ctx(), r.product("topup-landline"), "01234567")
	if err != nil || text != "Balance: 2869" {
		t.Fatalf("landline query = %q, %v", text, err)
	}
	offers, err := r.c.Offers(r.ctx(), "771234567")
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
	q, err := r.c.Quote(r.ctx(), providers.QuoteRequest{Product: got["A4990006"], Fields: mobile("771234567")})
	if err != nil || q.Cost.String() != "2500.00 YER" {
		t.Fatalf("quote offer: %v %v", q.Cost, err)
	}
	// Every query carried its own TransactionID (seed L375, L394).
	ids := map[any]bool{}
	for _, rec := range r.gate.sent() {
		if rec.Body["MobileNumber"] != nil {
			if ids[rec.Body["TransactionID"]] {
				t.Errorf("TransactionID %v sent twice", rec.Body["TransactionID"])
			}
			ids[rec.Body["TransactionID"]] = true
		}
	}
}

func TestPurchase(t *testing.T) {
	r := newRig(t)
	tests := []struct {
		ref, id, amount string
		fields          map[string]string
		charged, pin    string
	}{
		{"1001000010000001", "topup-yemen_mobile", "1000", mobile("771234567"), "1000.00 YER", ""},
		{"1001000010000002", "topup-sabafon", "100", mobile("711234567"), "121.00 YER", ""},
		{"1001000010000003", "topup-y_telecom", "20", mobile("701234567"), "23.00 YER", ""},
		{"1001000010000004", "offer-sabafon-PREWhatsApp", "", mobile("711234567"), "500.00 YER", ""},
		{"1001000010000005", "game-mlbb_86", "", map[string]string{"PlayerID": "12345678", "ZoneID": "2001"}, "880.00 YER", ""},
		{"1001000010000006", "game-freefire_free", "150", map[string]string{"PlayerID": "998877"}, "825.00 YER", ""},
		{"1001000010000007", "game-itunes_us_10", "", map[string]string{"EmailAddress": "buyer@example.com"}, "5720.00 YER", "Code: X3092-GIFT-243092 - Serial: SN243092"},
		{"1001000010000008", "topup-landline", "2869", mobile("01234567"), "2869.00 YER", ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			q := r.quote(tt.id, tt.fields, tt.amount)
			res, err := r.buy(tt.ref, q)
			if err != nil {
				t.Fatal(err)
			}
			if res.State != providers.Succeeded || res.ProviderRef == "" || res.Charged.String() != tt.charged || len(res.Vouchers) != 1 ||
				res.Vouchers[0].Reference != res.ProviderRef || !res.At.Equal(r.clk.Now()) {
				t.Errorf("%+v", res)
			}
			if res.Vouchers[0].PIN != tt.pin {
				t.Errorf("pin %q, want %q", res.Vouchers[0].PIN, tt.pin)
			}
			if tt.pin != "" && strings.Contains(res.Message, tt.pin) {
				t.Errorf("the card's code is in the message %q", res.Message)
			}
			if tt.pin == "" && res.Message != "Payment succcess" { // seed L523, its typo
				t.Errorf("message %q", res.Message)
			}
			if n := r.sim.Charged(tt.ref); n != 1 {
				t.Errorf("charged %d times", n)
			}
			st, err := r.status(tt.ref, q.Product)
			if err != nil || st.State != providers.Succeeded || st.ProviderRef != res.ProviderRef || !strings.HasPrefix(st.Message, "جاهزة") ||
				st.Vouchers[0].PIN != tt.pin || st.Charged.String() != tt.charged {
				t.Errorf("status %+v %v", st, err)
			}
		})
	}
	bal, err := r.c.Balance(r.ctx())
	if err != nil || len(bal) != 1 || bal[0].String() != "988062.00 YER" {
		t.Fatalf("balance = %v, %v", bal, err)
	}
	if res, err := r.buy("1001000010000009", r.quote("topup-yemen_mobile", mobile("771234567"), "500")); err != nil || res.Balance.String() != "987562.00 YER" {
		t.Fatalf("balance after a sale (seed L532): %+v %v", res, err)
	}
	if logins, _ := r.gate.counts(); logins != 1 {
		t.Errorf("%d logins for every sale, want 1", logins)
	}
}

// TestOutcomes drives every outcome the seed documents, and the refusals
// the simulator gives in the seed's generic error shape.
func TestOutcomes(t *testing.T) {
	type check func(t *testing.T, r *rig, ref string, q providers.Quote, res providers.Result, err error)
	refused := func(code, says string) check {
		return func(t *testing.T, r *rig, ref string, q providers.Quote, res providers.Result, err error) {
			pe := wantErr(t, err, true, code)
			if !strings.Contains(pe.Message, says) || r.sim.Charged(ref) != 0 {
				t.Errorf("message %q, charged %d", pe.Message, r.sim.Charged(ref))
			}
		}
	}
	tests := []struct {
		name    string
		opts    []func(*rigOptions)
		fault   string
		product string
		number  string
		amount  string
		check   check
	}{
		{"success (seed L518-526)", nil, "", "topup-yemen_mobile", "771234567", "700",
			func(t *testing.T, r *rig, ref string, q providers.Quote, res providers.Result, err error) {
				if err != nil || res.State != providers.Succeeded || res.ProviderRef != "243086" || res.Charged.String() != "700.00 YER" {
					t.Fatalf("%+v %v", res, err)
				}
			}},
		{"cancelled by the operator (operationStatus 0, seed L530)", nil, "", "topup-yemen_mobile", alqimahsim.FailingNumber, "700",
			func(t *testing.T, r *rig, ref string, q providers.Quote, res providers.Result, err error) {
				if err != nil || res.State != providers.Failed || res.Message != "ملغية" || !res.Charged.IsZero() || r.sim.Charged(ref) != 0 {
					t.Fatalf("%+v %v", res, err)
				}
				if st, err := r.status(ref, q.Product); err != nil || st.State != providers.Failed || !st.Charged.IsZero() {
					t.Fatalf("status %+v %v", st, err)
				}
			}},
		{"pending, then ready (seed L531, L160)", nil, "pending=2", "topup-yemen_mobile", "771234567", "700",
			func(t *testing.T, r *rig, ref string, q providers.Quote, res providers.Result, err error) {
				if err != nil || res.State != providers.Pending || res.Message != "في الانتظار" {
					t.Fatalf("%+v %v", res, err)
				}
				for i, want := range []providers.State{providers.Pending, providers.Pending, providers.Succeeded, providers.Succeeded} {
					st, err := r.status(ref, q.Product)
					if err != nil || st.State != want {
						t.Fatalf("poll %d: %+v %v, want %s", i, st, err, want)
					}
				}
				if r.sim.Charged(ref) != 1 {
					t.Error("pending sale not charged once")
				}
			}},
		{"insufficient balance", nil, "no-balance", "topup-yemen_mobile", "771234567", "700", refused(string(kindNoBalance), "رصيدك غير كافي")},
		{"out of stock", nil, "out-of-stock", "topup-yemen_mobile", "771234567", "700", refused(string(kindUnavailable), "الخدمة غير متوفرة")},
		{"amount the platform refuses", []func(*rigOptions){withConfig(func(c *Config) {
			c.Networks[YemenMobile] = Network{MinAmount: money.FromInt(1)}
		})}, "", "topup-yemen_mobile", "771234567", "10", refused(string(kindBadAmount), simBadAmount)},
		{"offer the platform does not know", []func(*rigOptions){withConfig(func(c *Config) {
			c.Offers = append(c.Offers, Offer{Network: Sabafon, Code: "NOPE", Name: "Gone", Price: money.FromInt(9)})
		})}, "", "offer-sabafon-NOPE", "711234567", "", refused(string(kindBadInput), simBadOffer)},
		{"network or service the platform does not know", []func(*rigOptions){withConfig(func(c *Config) {
			c.Networks[YemenMobile] = Network{Service: 199}
		})}, "", "topup-yemen_mobile", "771234567", "700", refused(string(kindBadInput), simService)},
		{"a number of the wrong form, refused before anything is sent", nil, "", "topup-landline", "0123456", "700", nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.opts...)
			if tt.check == nil {
				// The client refuses a number of the wrong form before
				// anything is sent.
				_, err := r.c.Quote(r.ctx(), providers.QuoteRequest{Product: r.product(tt.product), Fields: mobile(tt.number), Amount: money.MustParse(tt.amount)})
				wantErr(t, err, true, string(kindBadInput))
				return
			}
			var fields map[string]string
			if tt.number != "" {
				fields = mobile(tt.number)
			}
			q := r.quote(tt.product, fields, tt.amount)
			if tt.fault != "" {
				if err := r.sim.Faults.Parse(tt.fault); err != nil {
					t.Fatal(err)
				}
			}
			ref := "20010000100000" + itoa(int64(10+i))
			res, err := r.buy(ref, q)
			tt.check(t, r, ref, q, res, err)
		})
	}

	t.Run("duplicate reference (seed L513)", func(t *testing.T) {
		r := newRig(t)
		q := r.quote("topup-yemen_mobile", mobile("771234567"), "500")
		if _, err := r.buy("5001000010000001", q); err != nil {
			t.Fatal(err)
		}
		_, err := r.buy("5001000010000001", q)
		pe := wantErr(t, err, false, string(kindDuplicate))
		if !pe.Duplicate || !providers.IsDuplicate(err) || !strings.Contains(pe.Message, "رقم العملية مستخدم مسبقاً") || r.sim.Charged("5001000010000001") != 1 {
			t.Errorf("duplicate: %+v charged %d", pe, r.sim.Charged("5001000010000001"))
		}
	})

	t.Run("status of a TransactionID the platform does not know", func(t *testing.T) {
		// The seed documents no not-found answer (L209-213): a doubt.
		r := newRig(t)
		st, err := r.status("3001000010000999", r.product("topup-yemen_mobile"))
		if st.State == providers.NotFound || err == nil || providers.IsRefused(err) || !strings.Contains(providers.ClerkMessage(err), simNoOperation) {
			t.Fatalf("%+v %v", st, err)
		}
	})
}

func TestFaults(t *testing.T) {
	tests := []struct {
		fault   string
		timeout time.Duration
		check   func(t *testing.T, r *rig, ref string, res providers.Result, err error)
	}{
		{sandboxkit.FaultLatency + "=50ms", 10 * time.Second, func(t *testing.T, r *rig, ref string, res providers.Result, err error) {
			if err != nil || res.State != providers.Succeeded {
				t.Fatalf("%+v %v", res, err)
			}
		}},
		{sandboxkit.FaultNoAnswer, 300 * time.Millisecond, func(t *testing.T, r *rig, ref string, res providers.Result, err error) {
			pe := wantErr(t, err, false, "")
			if !strings.Contains(pe.Message, "timed out") || r.sim.Charged(ref) != 0 {
				t.Errorf("%v, charged %d", err, r.sim.Charged(ref))
			}
			r.sim.Faults.Reset()
			// Nothing was committed, and the platform's answer to the
			// look-up is its generic error: still in doubt, never not found.
			if st, err := r.status(ref, providers.Product{}); err == nil || st.State == providers.NotFound || providers.IsRefused(err) {
				t.Errorf("status after no answer: %+v %v", st, err)
			}
		}},
		{sandboxkit.FaultHangAfterCommit, 300 * time.Millisecond, func(t *testing.T, r *rig, ref string, res providers.Result, err error) {
			wantErr(t, err, false, "")
			r.sim.Faults.Reset()
			if st, err := r.status(ref, providers.Product{}); err != nil || st.State != providers.Succeeded || r.sim.Charged(ref) != 1 {
				t.Errorf("status after hang: %+v %v", st, err)
			}
		}},
		{sandboxkit.FaultCutAfterCommit, 10 * time.Second, func(t *testing.T, r *rig, ref string, res providers.Result, err error) {
			pe := wantErr(t, err, false, "")
			if !strings.Contains(pe.Message, "connection cut") {
				t.Errorf("message %q", pe.Message)
			}
			r.sim.Faults.Reset()
			if st, err := r.status(ref, providers.Product{}); err != nil || st.State != providers.Succeeded || r.sim.Charged(ref) != 1 {
				t.Errorf("status after cut: %+v %v", st, err)
			}
		}},
		{sandboxkit.FaultOutOfStock, 10 * time.Second, func(t *testing.T, r *rig, ref string, res providers.Result, err error) {
			wantErr(t, err, true, string(kindUnavailable))
		}},
		{sandboxkit.FaultNoBalance, 10 * time.Second, func(t *testing.T, r *rig, ref string, res providers.Result, err error) {
			pe := wantErr(t, err, true, string(kindNoBalance))
			if !strings.Contains(pe.Message, "balance is too low") || r.sim.Charged(ref) != 0 {
				t.Errorf("message %q", pe.Message)
			}
		}},
		{sandboxkit.FaultPending + "=1", 10 * time.Second, func(t *testing.T, r *rig, ref string, res providers.Result, err error) {
			if err != nil || res.State != providers.Pending {
				t.Fatalf("%+v %v", res, err)
			}
			if st, err := r.status(ref, providers.Product{}); err != nil || st.State != providers.Pending {
				t.Fatalf("%+v %v", st, err)
			}
			if st, err := r.status(ref, providers.Product{}); err != nil || st.State != providers.Succeeded {
				t.Fatalf("%+v %v", st, err)
			}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			r := newRig(t)
			q := r.quote("topup-yemen_mobile", mobile("771234567"), "700") // signs in
			if err := r.sim.Faults.Parse(tt.fault); err != nil {
				t.Fatal(err)
			}
			ref := "40010000100000" + itoa(int64(10+i))
			res, err := r.c.Purchase(testCtx(t, tt.timeout), providers.PurchaseRequest{Ref: ref, Quote: q})
			tt.check(t, r, ref, res, err)
		})
	}
}

// TestNotSent: a request that never left (nothing listens) is not sold.
func TestNotSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	c, err := New(simConfig("http://"+addr, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	q := providers.Quote{Product: c.topUp(YemenMobile), Fields: mobile("771234567"), Extra: map[string]string{xAmount: "500"}}
	_, err = c.Purchase(testCtx(t, 10*time.Second), providers.PurchaseRequest{Ref: "9001000010000001", Quote: q})
	pe := wantErr(t, err, true, "not_sent")
	if !strings.Contains(pe.Message, "nothing was sent") || providers.IsConfig(err) {
		t.Errorf("%v", err)
	}
	st, err := c.Status(testCtx(t, 10*time.Second), providers.SaleRef{Ref: "9001000010000001"})
	if err == nil || st.State == providers.NotFound || providers.IsRefused(err) {
		t.Errorf("status: %+v %v", st, err)
	}

	// Signed in, then the platform goes away: the payment never leaves.
	r := newRig(t)
	q = r.quote("topup-yemen_mobile", mobile("771234567"), "500")
	r.c.base = "http://" + addr
	_, err = r.buy("9001000010000002", q)
	wantErr(t, err, true, "not_sent")
}

// TestRouteMissing: an answer from a path the server does not have is a
// configuration error, never an outcome.
func TestRouteMissing(t *testing.T) {
	html := func(status int) func(record) (int, string, string, bool) {
		return func(rec record) (int, string, string, bool) {
			if rec.Path == apiPath {
				return status, "text/html", "<html><body><h1>Not Found</h1></body></html>", true
			}
			return 0, "", "", false
		}
	}
	tests := []struct {
		name   string
		base   string // added to the server's URL
		answer func(record) (int, string, string, bool)
	}{
		{"wrong base path (the simulator's own 404 page)", "/wrong", nil},
		{"API route answers 404", "", html(http.StatusNotFound)},
		{"API route answers 405", "", html(http.StatusMethodNotAllowed)},
		{"API route answers 501", "", html(http.StatusNotImplemented)},
		{"API route answers an HTML page with 200", "", html(http.StatusOK)},
		{"API route answers 404 with JSON that is not the seed's", "", func(rec record) (int, string, string, bool) {
			return 404, "application/json", `{"message":"Not Found"}`, rec.Path == apiPath
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.c.base += tt.base
			r.gate.set(tt.answer)
			q := providers.Quote{Product: r.c.topUp(YemenMobile), Fields: mobile("771234567"), Extra: map[string]string{xAmount: "500"}}
			res, err := r.buy("9101000010000001", q)
			if !providers.IsConfig(err) || res.State != "" || !strings.Contains(providers.ClerkMessage(err), "base_url") {
				t.Fatalf("purchase: %+v %v", res, err)
			}
			// The sign-in failed, so the payment never left: not sold.
			// The payment itself answered so: in doubt.
			if want := tt.base != ""; providers.IsRefused(err) != want {
				t.Errorf("refused = %v, want %v: %v", providers.IsRefused(err), want, err)
			}
			st, err := r.status("9101000010000001", q.Product)
			if !providers.IsConfig(err) || st.State != "" || providers.IsRefused(err) {
				t.Errorf("status: %+v %v", st, err)
			}
			if _, err := r.c.Balance(r.ctx()); !providers.IsConfig(err) {
				t.Errorf("balance: %v", err)
			}
			// The quote's subscriber queries meet it first: nothing is journaled.
			_, err = r.c.Quote(r.ctx(), providers.QuoteRequest{Product: q.Product, Fields: mobile("771234567"), Amount: money.FromInt(500)})
			if !providers.IsConfig(err) {
				t.Errorf("quote: %v", err)
			}
			if _, err := r.c.Catalog(r.ctx()); !providers.IsConfig(err) {
				t.Errorf("catalog: %v", err)
			}
			if r.sim.Charged("9101000010000001") != 0 {
				t.Error("charged")
			}
		})
	}
}

// TestBadAnswers: what is not one of the seed's answers never settles a
// sale: a purchase stays in doubt, a look-up is an error, never not found.
func TestBadAnswers(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		refused     bool
		code        string
		says        string
	}{
		{"html", 200, "", "<html><body>Service Unavailable</body></html>", false, "HTTP 200", "check base_url"},
		{"truncated", 200, "application/json", `{"status": true, "operationStatus": 1, "price": 50`, false, "bad_answer", "malformed or truncated"},
		{"empty", 200, "application/json", "", false, "bad_answer", "empty"},
		{"not JSON", 200, "text/plain", "OK", false, "bad_answer", "malformed"},
		{"a JSON array", 200, "application/json", "[1,2]", false, "bad_answer", "malformed"},
		{"no operationStatus", 200, "application/json", `{"status": true, "price": 500}`, false, "bad_answer", "malformed"},
		{"operationStatus 7", 200, "application/json", `{"status": true, "operationStatus": 7}`, false, "bad_answer", "malformed"},
		{"502 from a proxy", 502, "text/plain", "Bad gateway", false, "HTTP 502", "HTTP 502"},
		{"500 with the seed's error body", 500, "application/json", `{"status": false, "message": "Internal error"}`, false, "HTTP 500", "Internal error"},
		{"404 with a not-found error body", 404, "application/json", `{"status": false, "message": "Not found"}`, false, "HTTP 404", "Not found"},
		{"200 success body for another transaction", 200, "application/json", `{"status": true, "operationStatus": 1, "price": 500, "transactionID": "99", "referenceID": 1}`, false, "bad_answer", `"99"`},
		{"the seed's own error answer (L537-541)", 200, "application/json", `{"status": false, "message": "Error Message"}`, false, string(kindUnknown), "Error Message"},
		{"in progress", 200, "application/json", `{"status": false, "message": "العملية قيد المعالجة"}`, false, string(kindInProgress), "قيد المعالجة"},
		{"timed out, try again", 200, "application/json", `{"status": false, "message": "Operator timeout, try again"}`, false, string(kindInProgress), "timeout"},
		{"duplicate", 200, "application/json", `{"status": false, "message": "` + simDuplicate + `"}`, false, string(kindDuplicate), "already"},
		{"bad number", 200, "application/json", `{"status": false, "message": "` + simBadNumber + `"}`, true, string(kindBadNumber), simBadNumber},
		{"token refused", 200, "application/json", `{"status": false, "message": "` + simBadToken + `"}`, true, string(kindAuth), "nothing was sold"},
		{"401", 401, "application/json", `{"status": false, "message": "Unauthorized"}`, false, "HTTP 401", "Unauthorized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.gate.set(func(rec record) (int, string, string, bool) {
				return tt.status, tt.contentType, tt.body, rec.Path == apiPath
			})
			q := providers.Quote{Product: r.c.topUp(YemenMobile), Fields: mobile("771234567"), Extra: map[string]string{xAmount: "500"}}
			res, err := r.buy("8001000010000001", q)
			pe := wantErr(t, err, tt.refused, tt.code)
			if res.State != "" || !strings.Contains(pe.Message, tt.says) {
				t.Errorf("%+v: message %q does not say %q", res, pe.Message, tt.says)
			}
			if pe.Duplicate != (tt.code == string(kindDuplicate)) {
				t.Errorf("Duplicate = %v", pe.Duplicate)
			}
			sent := r.gate.sent()
			if len(sent) != 2 || sent[1].Body["ServiceNumber"] == nil {
				t.Fatalf("%d requests, want the login and one payment", len(sent))
			}
			for _, rec := range sent {
				if rec.Method != http.MethodPost || rec.Header.Get("Idempotency-Key") != "" || rec.Header.Get("Content-Type") != "application/json" {
					t.Errorf("%s %s %v", rec.Method, rec.Path, rec.Header)
				}
			}
			st, err := r.status("8001000010000001", q.Product)
			if err == nil || st.State != "" || providers.IsRefused(err) {
				t.Errorf("status: %+v %v", st, err)
			}
			if _, err := r.c.Balance(r.ctx()); err == nil {
				t.Error("balance took it")
			}
		})
	}
}

// TestWireBodies: every request as the seed spells it (field names are
// case-sensitive), with the seed's header.
func TestWireBodies(t *testing.T) {
	key := []byte("0123456789abcdef")
	r := newRig(t, withConfig(func(c *Config) {
		c.WebhookURL, c.WebhookKey = "https://kiosk.example/alqimah/webhook", key
	}))
	ctx := r.ctx()
	if _, err := r.c.Balance(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.c.Feed(ctx); err != nil {
		t.Fatal(err)
	}
	ym := r.quote("topup-yemen_mobile", mobile("771234567"), "500")
	sf := r.quote("topup-sabafon", mobile("711234567"), "10")
	offer := r.quote("offer-sabafon-PREWhatsApp", mobile("711234567"), "")
	game := r.quote("game-mlbb_86", map[string]string{"PlayerID": "123", "ZoneID": "2001"}, "")
	for ref, q := range map[string]providers.Quote{"1": ym, "2": sf, "3": offer, "4": game} {
		if _, err := r.buy("700100001000000"+ref, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.status("7001000010000001", ym.Product); err != nil {
		t.Fatal(err)
	}
	code := func(ref string) string { return WebhookCode(key, ref) }
	hook := `,"WebHookURL":"https://kiosk.example/alqimah/webhook","WebHookCode":"`
	want := map[string]string{
		"0/1": `{"NetworkNumber":0,"ServiceNumber":1}`,
		"0/3": `{"NetworkNumber":0,"ServiceNumber":3}`,
		"0/2": `{"NetworkNumber":0,"ServiceNumber":2,"TransactionID":"7001000010000001"}`,
		"1/103": `{"Amount":500,"MobileNumber":"771234567","NetworkNumber":1,"ServiceNumber":103,"TransactionID":"7001000010000001"` +
			hook + code("7001000010000001") + `"}`,
		"2/201": `{"Amount":10,"MobileNumber":"711234567","NetworkNumber":2,"ServiceNumber":201,"TransactionID":"7001000010000002"` +
			hook + code("7001000010000002") + `"}`,
		"2/202": `{"MobileNumber":"711234567","NetworkNumber":2,"OfferCode":"PREWhatsApp","ServiceNumber":202,"TransactionID":"7001000010000003"` +
			hook + code("7001000010000003") + `"}`,
		"8/801": `{"Fields":{"PlayerID":"123","ZoneID":"2001"},"LinkCode":"mlbb_86","NetworkNumber":8,"Quantity":1,"ServiceNumber":801,"TransactionID":"7001000010000004"` +
			hook + code("7001000010000004") + `"}`,
	}
	seen := map[string]bool{}
	for _, rec := range r.gate.sent() {
		if rec.Method != http.MethodPost || rec.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s Content-Type %q", rec.Method, rec.Path, rec.Header.Get("Content-Type"))
		}
		if rec.Path == loginPath {
			if rec.Header.Get("api-token") != "" || rec.Raw != `{"AccountNumber":"100200","Token":"395be7655906730aadec7d6b46011f79","UserName":"kiosk_demo"}` {
				t.Errorf("login %s", rec.Raw)
			}
			continue
		}
		if rec.Path != apiPath || rec.Header.Get("api-token") == "" {
			t.Errorf("%s without api-token", rec.Path)
		}
		w, ok := want[rec.service()]
		if !ok {
			continue // queries and categories: checked in TestQueryAndOffers
		}
		seen[rec.service()] = true
		if !jsonEqual(t, rec.Raw, w) {
			t.Errorf("%s\n got %s\nwant %s", rec.service(), rec.Raw, w)
		}
	}
	for s := range want {
		if !seen[s] {
			t.Errorf("no %s request", s)
		}
	}
}

func TestGameFieldsAsText(t *testing.T) {
	r := newRig(t, withConfig(func(c *Config) { c.GameFieldsAsText = true }))
	q := r.quote("game-pubg_60", map[string]string{"PlayerID": "5123456789"}, "")
	res, err := r.buy("2001000010000001", q)
	if err != nil || res.State != providers.Succeeded {
		t.Fatalf("%+v %v", res, err)
	}
	sent := r.gate.sent()
	if got := sent[len(sent)-1].Body["Fields"]; got != `{"PlayerID":"5123456789"}` {
		t.Fatalf("Fields = %#v", got)
	}
}

// TestGiftCardCode: the seed's payment answer has no code; the status
// answer's details (L164) carries it, and the client reads it right after
// the payment.
func TestGiftCardCode(t *testing.T) {
	itunes := map[string]string{"EmailAddress": "buyer@example.com"}
	t.Run("read at once", func(t *testing.T) {
		r := newRig(t)
		q := r.quote("game-itunes_us_10", itunes, "")
		res, err := r.buy("6001000010000001", q)
		if err != nil || res.State != providers.Succeeded || res.Vouchers[0].PIN != "Code: X3086-GIFT-243086 - Serial: SN243086" ||
			res.Balance.String() != "994280.00 YER" || res.Charged.String() != "5720.00 YER" || res.ProviderRef != "243086" {
			t.Fatalf("%+v %v", res, err)
		}
		services := []string{}
		for _, rec := range r.gate.sent()[1:] {
			services = append(services, rec.service())
		}
		if !slices.Equal(services, []string{"0/4", "0/4", "8/801", "0/2"}) {
			t.Errorf("requests %v", services)
		}
	})
	t.Run("pending: read by the look-up that settles it", func(t *testing.T) {
		r := newRig(t)
		q := r.quote("game-itunes_us_10", itunes, "")
		_ = r.sim.Faults.Set(sandboxkit.FaultPending, "1")
		res, err := r.buy("6001000010000002", q)
		if err != nil || res.State != providers.Pending || len(res.Vouchers) != 0 {
			t.Fatalf("%+v %v", res, err)
		}
		if st, _ := r.status("6001000010000002", q.Product); st.State != providers.Pending {
			t.Fatalf("%+v", st)
		}
		st, err := r.status("6001000010000002", q.Product)
		if err != nil || st.State != providers.Succeeded || st.Vouchers[0].PIN != "Code: X3086-GIFT-243086 - Serial: SN243086" || strings.Contains(st.Message, "GIFT") {
			t.Fatalf("%+v %v", st, err)
		}
	})
	t.Run("the look-up fails: pending, never settled without the code", func(t *testing.T) {
		r := newRig(t)
		q := r.quote("game-itunes_us_10", itunes, "")
		r.gate.set(func(rec record) (int, string, string, bool) {
			return 502, "text/plain", "Bad gateway", rec.service() == "0/2"
		})
		res, err := r.buy("6001000010000003", q)
		if err != nil || res.State != providers.Pending || len(res.Vouchers) != 0 || !res.Charged.IsZero() || r.sim.Charged("6001000010000003") != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		r.gate.set(nil)
		st, err := r.status("6001000010000003", q.Product)
		if err != nil || st.State != providers.Succeeded || st.Vouchers[0].PIN == "" {
			t.Fatalf("%+v %v", st, err)
		}
	})
	t.Run("a top-up has no code", func(t *testing.T) {
		r := newRig(t)
		q := r.quote("game-pubg_60", map[string]string{"PlayerID": "1234"}, "")
		res, err := r.buy("6001000010000004", q)
		if err != nil || res.State != providers.Succeeded || res.Vouchers[0].PIN != "" {
			t.Fatalf("%+v %v", res, err)
		}
		st, err := r.status("6001000010000004", q.Product)
		if err != nil || st.Vouchers[0].PIN != "" || st.Vouchers[0].Extra["details"] != "Operation Notes" {
			t.Fatalf("%+v %v", st, err)
		}
	})
}

func TestFeed(t *testing.T) {
	r := newRig(t)
	f, err := r.c.Feed(r.ctx())
	// The simulator moves the seed's dates (L238, L245) with its clock.
	if err != nil || len(f) != 2 || f[0].Amount.String() != "70000" || f[0].Currency != "YER" || f[0].Notes != "تغذية حساب - Notes" ||
		f[0].Date != clock0Day(r, -2) {
		t.Fatalf("feed = %+v %v", f, err)
	}
}

// clock0Day is the rig's day plus days, as the simulator writes dates.
func clock0Day(r *rig, days int) string {
	return r.clk.Now().UTC().AddDate(0, 0, days).Format("2006-01-02")
}

func TestConcurrentLogin(t *testing.T) {
	r := newRig(t)
	ctx := r.ctx()
	errs := make(chan error, 20)
	done := make(chan struct{})
	for range 20 {
		go func() {
			defer func() { done <- struct{}{} }()
			if _, err := r.c.Balance(ctx); err != nil {
				errs <- err
			}
		}()
	}
	for range 20 {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := r.sim.Logins(); n != 1 {
		t.Errorf("logins = %d, want 1", n)
	}
}

func TestBadCredentials(t *testing.T) {
	r := newRig(t, withConfig(func(c *Config) { c.Password = secretNew("wrong-password") }))
	q := providers.Quote{Product: r.c.topUp(YemenMobile), Fields: mobile("771234567"), Extra: map[string]string{xAmount: "500"}}
	_, err := r.buy("6001000010000001", q)
	pe := wantErr(t, err, true, string(kindLogin))
	if !strings.Contains(pe.Message, "check account_number, username, password and api_token") || !strings.Contains(pe.Message, simBadLogin) ||
		!strings.Contains(pe.Message, "nothing was sent") || strings.Contains(err.Error(), "wrong-password") {
		t.Errorf("message %q", pe.Message)
	}
	if _, err := r.c.Balance(r.ctx()); err == nil || !strings.Contains(providers.ClerkMessage(err), simBadLogin) {
		t.Errorf("balance with bad login: %v", err)
	}
	if _, api := r.gate.counts(); api != 0 || r.sim.Charged("6001000010000001") != 0 {
		t.Errorf("sent %d requests after a refused login", api)
	}
}

func TestBadReference(t *testing.T) {
	r := newRig(t)
	q := r.quote("topup-yemen_mobile", mobile("771234567"), "500")
	for _, ref := range []string{"", "12 3", strings.Repeat("1", 65)} {
		_, err := r.buy(ref, q)
		wantErr(t, err, true, string(kindBadInput))
	}
	// Any text is a TransactionID (the seed's example is "TXN789", L672).
	if res, err := r.buy("TXN789", q); err != nil || res.State != providers.Succeeded {
		t.Fatalf("%+v %v", res, err)
	}
	if st, err := r.status("TXN789", q.Product); err != nil || st.State != providers.Succeeded {
		t.Fatalf("%+v %v", st, err)
	}
}

func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	return canonJSON(t, a) == canonJSON(t, b)
}
