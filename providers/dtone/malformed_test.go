package dtone

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"kiosk/money"
	"kiosk/providers"
)

// fakeDTOne answers every call with one canned status and body, and counts
// the requests and checks how purchases are sent.
func fakeDTOne(t *testing.T, status int, contentType, body string) (*Client, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if strings.HasPrefix(r.URL.Path, "/transactions/") && r.Method == http.MethodPost {
			if r.Header.Get("Idempotency-Key") != "" || r.Header.Get("X-Idempotency-Key") != "" {
				t.Error("purchase carries an idempotency header")
			}
		}
		if !validSignature(r, sandboxKey, sandboxSecret) {
			t.Error("request not signed")
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return newClient(t, SandboxConfig(srv.URL)), &calls
}

func voucherQuote() providers.Quote {
	return providers.Quote{
		Product: providers.Product{Provider: ID, ID: "fvv-112", Extra: map[string]string{"type": FixedVouchers, "product_id": "112", "operator_id": "2061"}},
		Fields:  map[string]string{"account_number": gtMobile},
		Cost:    money.New(money.MustParse("14.79"), "USD"),
	}
}

func TestPurchaseUnclearAnswersAreDoubt(t *testing.T) {
	okTxn := `{"transaction_id":"1","status":"0","external_id":"%REF%","wholesale_price":1,"account_currency":"USD"}`
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		code   string
	}{
		{"html 200", 201, "text/html", "<html><body>Welcome</body></html>", ""},
		{"truncated", 201, "application/json", okTxn[:40], ""},
		{"empty", 201, "application/json", "", ""},
		{"no status", 201, "application/json", `{"transaction_id":"1"}`, ""},
		{"bad price", 201, "application/json", `{"transaction_id":"1","status":"0","wholesale_price":"1,50"}`, ""},
		{"other reference", 201, "application/json", strings.Replace(okTxn, "%REF%", "777", 1), ""},
		{"server error", 500, "application/json", `{"errors":[{"code":1000500,"message":"Internal server error"}]}`, "1000500"},
		{"gateway html", 502, "text/html", "<html>Bad Gateway</html>", ""},
		{"4xx not json", 400, "text/plain", "bad request", ""},
		{"timeout code", 400, "application/json", `{"errors":[{"code":1000218,"message":"Timeout"}]}`, "1000218"},
		{"duplicate", 400, "application/json", `{"errors":[{"code":1000990,"message":"External ID already used"}]}`, "1000990"},
		{"undocumented code", 400, "application/json", `{"errors":[{"code":1234567,"message":"Something"}]}`, "1234567"},
		{"redirect", 302, "text/html", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, calls := fakeDTOne(t, tt.status, tt.ctype, tt.body)
			_, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "12345", Quote: voucherQuote()})
			if err == nil || providers.IsRefused(err) {
				t.Fatalf("err = %v, want a doubt", err)
			}
			if errCode(err) != tt.code || providers.ClerkMessage(err) == "" {
				t.Errorf("code %q, message %q", errCode(err), providers.ClerkMessage(err))
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("%d requests sent, want 1", n)
			}
		})
	}
}

func TestPurchaseDocumentedRefusals(t *testing.T) {
	for _, code := range []string{"1000401", "1000404", "1000777", "1000888", "1000999", "1000204", "1000207", "1000301", "1000302", "1000303"} {
		c, _ := fakeDTOne(t, 400, "application/json", `{"errors":[{"code":`+code+`,"message":"x"}]}`)
		_, err := c.Purchase(ctx(t), providers.PurchaseRequest{Ref: "12345", Quote: voucherQuote()})
		if !providers.IsRefused(err) || errCode(err) != code || codes[code].msg == "" || !strings.Contains(providers.ClerkMessage(err), codes[code].msg) {
			t.Errorf("%s: %v", code, err)
		}
	}
}

func TestOtherCallsOnBadAnswers(t *testing.T) {
	sale := providers.SaleRef{Ref: "12345", Product: voucherQuote().Product}
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		want   string
	}{
		{"html", 200, "text/html", "<html>login</html>", "HTML"},
		{"truncated", 200, "application/json", `{"countries":[{"country_id":7`, "cut short"},
		{"bare 404", 404, "text/html", "<html>Not Found</html>", "HTTP 404"},
		{"unauthorized", 401, "application/json", `{"errors":[{"code":1000401,"message":"Unauthorized"}]}`, "api_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := fakeDTOne(t, tt.status, tt.ctype, tt.body)
			if _, err := c.Catalog(ctx(t)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("catalog: %v", err)
			}
			r, err := c.Status(ctx(t), sale)
			if err == nil || r.State == providers.NotFound || providers.IsRefused(err) {
				t.Errorf("status: %+v, %v", r, err)
			}
		})
	}
}
