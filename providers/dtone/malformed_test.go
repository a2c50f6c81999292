package dtone

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/dtone/dtonesim"
	"kiosk/secret"
)

// fakeDTOne answers every call with one canned status and body, counts the
// requests and checks how purchases are sent.
func fakeDTOne(t *testing.T, status int, contentType, body string) (providers.Provider, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if strings.HasPrefix(r.URL.Path, "/transactions/") && r.Method == http.MethodPost {
			if r.Header.Get("Idempotency-Key") != "" || r.Header.Get("X-Idempotency-Key") != "" {
				t.Error("purchase carries an idempotency header")
			}
		}
		if !validSignature(r) {
			t.Error("request not signed")
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	cfg := Config{BaseURL: srv.URL, APIKey: secret.New(dtonesim.APIKey), APISecret: secret.New(dtonesim.APISecret),
		Operators: []int{2061}, Extensions: []string{ExtTransactions, ExtLookup}}
	return newClient(t, cfg), &calls
}

func voucherProduct() providers.Product {
	return providers.Product{Provider: ID, ID: "fvv-112", Available: true,
		Extra: map[string]string{"type": FixedVouchers, "product_id": "112", "operator_id": "2061"}}
}

func voucherQuote() providers.Quote {
	return providers.Quote{
		Product: voucherProduct(),
		Fields:  map[string]string{"account_number": gtMobile},
		Cost:    money.New(money.MustParse("14.79"), "USD"),
	}
}

// badAnswers are answers no documented outcome supports.
var badAnswers = []struct {
	name   string
	status int
	ctype  string
	body   string
	route  bool // a route that does not exist: a configuration error
}{
	{"html 200", 200, "text/html", "<html><body>Welcome</body></html>", true},
	{"html 201 without a content type", 201, "", "<!DOCTYPE html><html><body>Welcome</body></html>", true},
	{"truncated", 201, "application/json", `{"transaction_id":"1","status":"0","exte`, false},
	{"empty", 201, "application/json", "", false},
	{"not JSON", 201, "text/plain", "OK", false},
	{"html 404", 404, "text/html", "<html><body>404 Not Found</body></html>", true},
	{"404 JSON without DT One's body", 404, "application/json", `{"msg":"Not Found"}`, true},
	{"405", 405, "text/html", "<html>405 Not Allowed</html>", true},
	{"gateway html", 502, "text/html", "<html>Bad Gateway</html>", false},
	{"redirect", 302, "text/html", "", false},
	{"4xx not JSON", 400, "text/plain", "bad request", false},
}

func TestPurchaseBadAnswersAreDoubt(t *testing.T) {
	for _, tt := range badAnswers {
		t.Run(tt.name, func(t *testing.T) {
			c, calls := fakeDTOne(t, tt.status, tt.ctype, tt.body)
			_, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "1001000000000001", Quote: voucherQuote()})
			if err == nil || providers.IsRefused(err) || providers.IsDuplicate(err) {
				t.Fatalf("err = %v, want a doubt", err)
			}
			if tt.route && !providers.IsConfig(err) {
				t.Errorf("a missing route is not a configuration error: %v", err)
			}
			if providers.ClerkMessage(err) == "" {
				t.Error("no message")
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("%d requests sent, want 1", n)
			}
		})
	}
}

func TestPurchaseUnclearDocumentedAnswersAreDoubt(t *testing.T) {
	okTxn := `{"transaction_id":"1","status":"0","external_id":"%REF%","wholesale_price":1,"account_currency":"USD"}`
	tests := []struct {
		name   string
		status int
		body   string
		code   string
		dup    bool
	}{
		{"no status", 201, `{"transaction_id":"1"}`, "", false},
		{"bad price", 201, `{"transaction_id":"1","status":"0","wholesale_price":"1,50"}`, "", false},
		{"other reference", 201, strings.Replace(okTxn, "%REF%", "777", 1), "", false},
		{"server error", 500, `{"errors":[{"code":1000500,"message":"Internal server error"}]}`, "1000500", false},
		{"server error with a refusal code", 503, `{"errors":[{"code":1000777,"message":"x"}]}`, "1000777", false},
		{"timeout code", 400, `{"errors":[{"code":1000218,"message":"Timeout"}]}`, "1000218", false},
		{"duplicate", 400, `{"errors":[{"code":1000990,"message":"External ID already used"}]}`, "1000990", true},
		{"undocumented code", 400, `{"errors":[{"code":1234567,"message":"Something"}]}`, "1234567", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := fakeDTOne(t, tt.status, "application/json", tt.body)
			_, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "1001000000000001", Quote: voucherQuote()})
			if err == nil || providers.IsRefused(err) || providers.IsConfig(err) || errCode(err) != tt.code || providers.IsDuplicate(err) != tt.dup {
				t.Fatalf("err = %v (code %q)", err, errCode(err))
			}
		})
	}
}

func TestPurchaseDocumentedRefusals(t *testing.T) {
	for _, code := range []string{"1000401", "1000404", "1000777", "1000888", "1000999", "1000204", "1000207", "1000301", "1000302", "1000303", "1000304"} {
		c, _ := fakeDTOne(t, 400, "application/json", `{"errors":[{"code":`+code+`,"message":"x"}]}`)
		_, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "1001000000000001", Quote: voucherQuote()})
		if !providers.IsRefused(err) || errCode(err) != code || !strings.Contains(providers.ClerkMessage(err), codes[code].msg) {
			t.Errorf("%s: %v", code, err)
		}
	}
}

// A look-up with a bad answer is an error (a doubt), never "not found";
// the catalogue and the quote fail, naming base_url where the route is missing.
func TestOtherCallsOnBadAnswers(t *testing.T) {
	sale := providers.SaleRef{Ref: "1001000000000001", Product: voucherProduct()}
	extra := []struct {
		name   string
		status int
		ctype  string
		body   string
		route  bool
	}{
		{"unauthorized", 401, "application/json", `{"errors":[{"code":1000401,"message":"Unauthorized"}]}`, false},
		{"1000404 with HTTP 400", 400, "application/json", `{"errors":[{"code":1000404,"message":"Not found"}]}`, false},
	}
	cases := extra
	for _, b := range badAnswers {
		cases = append(cases, struct {
			name   string
			status int
			ctype  string
			body   string
			route  bool
		}{b.name, b.status, b.ctype, b.body, b.route})
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := fakeDTOne(t, tt.status, tt.ctype, tt.body)
			_, err := c.Catalog(ctx(t))
			if err == nil || tt.route && !(providers.IsConfig(err) && strings.Contains(err.Error(), "base_url")) {
				t.Errorf("catalog: %v", err)
			}
			if _, err := c.Quote(ctx(t), providers.QuoteRequest{Product: voucherProduct()}); err == nil || tt.route && !providers.IsConfig(err) {
				t.Errorf("quote: %v", err)
			}
			r, err := c.(providers.StatusChecker).Status(ctx(t), sale)
			if err == nil || r.State == providers.NotFound || providers.IsRefused(err) {
				t.Errorf("status: %+v, %v", r, err)
			}
			if tt.route && !providers.IsConfig(err) {
				t.Errorf("status on a missing route: %v", err)
			}
		})
	}
}

// The documented answers of the document's own calls, on a fake server.
func TestDocumentedAnswersOfTheOtherCalls(t *testing.T) {
	t.Run("1000404 on the look-up is not found", func(t *testing.T) {
		c, _ := fakeDTOne(t, 404, "application/json", `{"errors":[{"code":1000404,"message":"Transaction not found"}]}`)
		r, err := c.(providers.StatusChecker).Status(ctx(t), providers.SaleRef{Ref: "1001000000000001", Product: voucherProduct()})
		if err != nil || r.State != providers.NotFound {
			t.Fatalf("%+v, %v", r, err)
		}
	})
	t.Run("an unknown status stays pending", func(t *testing.T) {
		c, _ := fakeDTOne(t, 200, "application/json", `{"transaction_id":"9","status":"FAILED","external_id":"1001000000000001"}`)
		r, err := c.(providers.StatusChecker).Status(ctx(t), providers.SaleRef{Ref: "1001000000000001", Product: voucherProduct()})
		if err != nil || r.State != providers.Pending {
			t.Fatalf("%+v, %v", r, err)
		}
	})
}

// The suggested values of a variable-value recharge are read at catalogue
// time: DT One's own error lists the product as not sellable; an answer
// that is not DT One's stops the catalogue.
func TestCatalogueSuggestedValuesAnswers(t *testing.T) {
	products := `{"fixed_value_vouchers":[],"fixed_value_recharges":[],"fixed_value_payments":[],"variable_value_vouchers":[],
		"variable_value_recharges":[{"product_id":1558,"product_name":"Airtel data","operator_id":2184,"operator":"Airtel Andhra Pradesh India","country_id":766,"country":"India","service_id":7,"service":"bundles","product_currency":"INR","local_currency":"INR","account_currency":"USD"}],
		"variable_value_payments":[]}`
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		listed bool // listed, not sellable
		config bool
	}{
		{"the seed's answer", 200, "application/json", seedSuggestedValues, false, false},
		{"none suggested", 200, "application/json", `{"suggested_values":[]}`, true, false},
		{"DT One's not found", 404, "application/json", `{"errors":[{"code":1000404,"message":"Product not found"}]}`, true, false},
		{"route missing", 404, "text/html", "<html>404</html>", false, true},
		{"truncated", 200, "application/json", seedSuggestedValues[:60], false, false},
		{"not JSON", 200, "text/plain", "nothing", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/suggested_values") {
					if r.URL.Path != "/product/variable_value_recharges/1558/suggested_values" {
						t.Errorf("path %s", r.URL.Path)
					}
					w.Header().Set("Content-Type", tt.ctype)
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.body))
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(products))
			}))
			t.Cleanup(srv.Close)
			c := newClient(t, Config{BaseURL: srv.URL, APIKey: secret.New(dtonesim.APIKey), APISecret: secret.New(dtonesim.APISecret), Operators: []int{2184}})
			list, err := c.Catalog(ctx(t))
			switch {
			case tt.name == "the seed's answer":
				if err != nil || len(list) != 1 || !list[0].Available || list[0].Extra["suggested"] != "9,19" {
					t.Fatalf("%+v, %v", list, err)
				}
			case tt.listed:
				if err != nil || len(list) != 1 || list[0].Available || list[0].Extra["unavailable"] == "" {
					t.Fatalf("%+v, %v", list, err)
				}
			default:
				if err == nil || providers.IsConfig(err) != tt.config {
					t.Fatalf("%+v, %v", list, err)
				}
			}
		})
	}
}
