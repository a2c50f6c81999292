package alqimah

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/sandboxkit"
)

var hookKey = []byte("0123456789abcdef")

func TestWebhookCode(t *testing.T) {
	// HMAC-SHA256("0123456789abcdef", "0019317400000001"), first 16 bytes:
	// printf 0019317400000001 | openssl dgst -sha256 -hmac 0123456789abcdef
	if got := WebhookCode(hookKey, "0019317400000001"); got != "a157934bb958d7da44eb114be4ac35ec" {
		t.Fatalf("code %s", got)
	}
	if WebhookCode(hookKey, "0019317400000002") == WebhookCode(hookKey, "0019317400000001") {
		t.Fatal("two sales share a code")
	}
	if WebhookCode([]byte("short"), "1") != "" || WebhookCode(nil, "1") != "" {
		t.Fatal("a short key gave a code")
	}
}

// theSeedExample is the seed's example callback, with our code.
func theSeedExample(ref string) url.Values {
	return url.Values{"OperationStatus": {"1"}, "WebHookCode": {WebhookCode(hookKey, ref)}, "TransactionID": {ref},
		"ReferenceID": {"220065"}, "price": {"507.87"}, "message": {"Order received and under process"}}
}

func TestParseWebhookSeedExample(t *testing.T) {
	// The seed's curl example (L669-675), as the query it sends.
	raw := "OperationStatus=1&WebHookCode=xxxxxxxxx&TransactionID=TXN789&ReferenceID=220065&price=507.87&message=Order+received+and+under+process"
	q, _ := url.ParseQuery(raw)
	w, err := ParseWebhook(q)
	if err != nil {
		t.Fatal(err)
	}
	if w.OperationStatus != 1 || w.Code != "xxxxxxxxx" || w.TransactionID != "TXN789" || w.ReferenceID != "220065" ||
		w.Price == nil || w.Price.String() != "507.87" || w.Message != "Order received and under process" {
		t.Fatalf("%+v", w)
	}
	if _, ok := w.Ref(hookKey); ok {
		t.Fatal("a code we never made was accepted")
	}
	r := w.Result("YER")
	if r.State != providers.Succeeded || r.ProviderRef != "220065" || !r.Charged.Equal(money.New(money.MustParse("507.87"), "YER")) ||
		len(r.Vouchers) != 1 || r.Vouchers[0].Reference != "220065" || r.Vouchers[0].PIN != "" {
		t.Fatalf("%+v", r)
	}
}

func TestParseWebhookStates(t *testing.T) {
	for status, want := range map[string]providers.State{"1": providers.Succeeded, "0": providers.Failed, "-1": providers.Pending, " 1 ": providers.Succeeded} {
		q := theSeedExample("0019317400000001")
		q.Set("OperationStatus", status)
		w, err := ParseWebhook(q)
		if err != nil {
			t.Fatalf("%q: %v", status, err)
		}
		r := w.Result("YER")
		if r.State != want {
			t.Fatalf("%q: %s", status, r.State)
		}
		if want != providers.Succeeded && (!r.Charged.IsZero() || len(r.Vouchers) != 0) {
			t.Fatalf("%q: %+v charges or delivers", status, r)
		}
	}
}

func TestParseWebhookLenient(t *testing.T) {
	// Lower-case names, no price, no message, extra parameters, a control
	// character in the message.
	q := url.Values{"operationstatus": {"0"}, "webhookcode": {"abc"}, "transactionid": {"1"}, "extra": {"x", "y"}, "message": {"a\x00b"}}
	w, err := ParseWebhook(q)
	if err != nil {
		t.Fatal(err)
	}
	if w.Price != nil || w.Message != "a b" || w.OperationStatus != 0 {
		t.Fatalf("%+v", w)
	}
	long := theSeedExample("1")
	long.Set("message", strings.Repeat("ب", 400))
	if w, err := ParseWebhook(long); err != nil || len(w.Message) > maxWebhookMessage {
		t.Fatalf("long message: %d bytes, %v", len(w.Message), err)
	}
}

func TestParseWebhookRefuses(t *testing.T) {
	for name, edit := range map[string]func(url.Values){
		"no status":    func(q url.Values) { q.Del("OperationStatus") },
		"status 2":     func(q url.Values) { q.Set("OperationStatus", "2") },
		"empty status": func(q url.Values) { q.Set("OperationStatus", "") },
		"no code":      func(q url.Values) { q.Del("WebHookCode") },
		"long code":    func(q url.Values) { q.Set("WebHookCode", strings.Repeat("a", 200)) },
		"no ref":       func(q url.Values) { q.Del("TransactionID") },
		"ref spaces":   func(q url.Values) { q.Set("TransactionID", "TXN 789") },
		"ref long":     func(q url.Values) { q.Set("TransactionID", strings.Repeat("9", 65)) },
		"twice":        func(q url.Values) { q.Add("TransactionID", "2") },
		"twice cased":  func(q url.Values) { q.Set("transactionid", "2") },
		"price":        func(q url.Values) { q.Set("price", "1e9") },
		"long ref id":  func(q url.Values) { q.Set("ReferenceID", strings.Repeat("1", 65)) },
		"bad utf8":     func(q url.Values) { q.Set("message", "\xff") },
	} {
		q := theSeedExample("0019317400000001")
		edit(q)
		if w, err := ParseWebhook(q); err == nil {
			t.Errorf("%s: accepted %+v", name, w)
		}
	}
}

func TestWebhookRef(t *testing.T) {
	ref := "0019317400000001"
	w, err := ParseWebhook(theSeedExample(ref))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := w.Ref(hookKey); !ok || got != ref {
		t.Fatalf("ref %q %v", got, ok)
	}
	// The platform echoes the TransactionID as a number.
	w.TransactionID = strings.TrimLeft(ref, "0")
	if got, ok := w.Ref(hookKey); !ok || got != ref {
		t.Fatalf("without zeros: ref %q %v", got, ok)
	}
	// Upper-case hex is the same code.
	w.Code = strings.ToUpper(w.Code)
	if _, ok := w.Ref(hookKey); !ok {
		t.Fatal("upper-case code refused")
	}
	if _, ok := w.Ref([]byte("another key, 16 bytes")); ok {
		t.Fatal("accepted with another key")
	}
	if _, ok := w.Ref(nil); ok {
		t.Fatal("accepted with no key")
	}
	w.TransactionID = "0019317400000002"
	if _, ok := w.Ref(hookKey); ok {
		t.Fatal("one sale's code accepted for another")
	}
}

func TestWebhookNeedsLookup(t *testing.T) {
	r := newRig(t)
	for id, want := range map[string]bool{
		"game-itunes_us_10": true, "game-pubg_60": true, "topup-yemen_mobile": false, "topup-sabafon": false,
		"offer-sabafon-PREWhatsApp": false, "topup-adsl": false,
	} {
		if got := WebhookNeedsLookup(r.product(id)); got != want {
			t.Errorf("%s: %v", id, got)
		}
	}
}

// TestWebhookFromTheSimulator: the purchase carries WebHookURL and the
// sale's WebHookCode (seed L514-515); the platform calls back with GET and
// the code it was given (L638-675), and the code checks.
func TestWebhookFromTheSimulator(t *testing.T) {
	var mu sync.Mutex
	var got []url.Values
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			t.Errorf("webhook method %s", r.Method)
		}
		mu.Lock()
		got = append(got, r.URL.Query())
		mu.Unlock()
		_, _ = io.WriteString(w, "ok")
	}))
	defer hook.Close()
	r := newRig(t, withConfig(func(c *Config) { c.WebhookURL, c.WebhookKey = hook.URL+"/cb?site=1", hookKey }))

	q := r.quote("game-itunes_us_10", map[string]string{"EmailAddress": "a@b.test"}, "")
	_ = r.sim.Faults.Set(sandboxkit.FaultPending, "9")
	ok := purchase(t, r.c, "0019317400000101", q)
	bad := purchase(t, r.c, "0019317400000102", q)
	r.sim.Faults.Reset()
	if ok.State != providers.Pending || bad.State != providers.Pending {
		t.Fatalf("states %s %s", ok.State, bad.State)
	}
	if code, err := r.sim.Resolve("0019317400000101", true); err != nil || code != http.StatusOK {
		t.Fatalf("resolve: %d %v", code, err)
	}
	if code, err := r.sim.Resolve("0019317400000102", false); err != nil || code != http.StatusOK {
		t.Fatalf("resolve: %d %v", code, err)
	}
	if r.sim.Charged("0019317400000101") != 1 || r.sim.Charged("0019317400000102") != 0 {
		t.Fatalf("charged %d and %d", r.sim.Charged("0019317400000101"), r.sim.Charged("0019317400000102"))
	}
	mu.Lock()
	calls := append([]url.Values(nil), got...)
	mu.Unlock()
	if len(calls) != 2 {
		t.Fatalf("%d calls", len(calls))
	}
	for i, want := range []string{"1", "0"} {
		q := calls[i]
		w, err := ParseWebhook(q)
		if err != nil || q.Get("site") != "1" || q.Get("OperationStatus") != want {
			t.Fatalf("call %d: %v %v", i, q, err)
		}
		if ref, ok := w.Ref(hookKey); !ok || ref != []string{"0019317400000101", "0019317400000102"}[i] {
			t.Fatalf("call %d: code does not check (%q)", i, ref)
		}
	}
	// The callback carries no code: the status look-up does.
	st, err := r.status("0019317400000101", q.Product)
	if err != nil || st.State != providers.Succeeded || st.Vouchers[0].PIN == "" {
		t.Fatalf("status after resolve: %+v %v", st, err)
	}
	if st, err := r.status("0019317400000102", q.Product); err != nil || st.State != providers.Failed {
		t.Fatalf("status after a cancel: %+v %v", st, err)
	}
}

func purchase(t *testing.T, c *Client, ref string, q providers.Quote) providers.Result {
	t.Helper()
	r, err := c.Purchase(testCtx(t, 5*time.Second), providers.PurchaseRequest{Ref: ref, Quote: q})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func FuzzParseWebhook(f *testing.F) {
	f.Add("OperationStatus=1&WebHookCode=xxxxxxxxx&TransactionID=TXN789&ReferenceID=220065&price=507.87&message=Order+received+and+under+process")
	f.Add(theSeedExample("0019317400000001").Encode())
	f.Add("OperationStatus=-1&WebHookCode=a&TransactionID=1&price=-0")
	f.Add("operationstatus=0&webhookcode=%00&transactionid=00000000000000000000")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		w, err := ParseWebhook(q)
		if err != nil {
			return
		}
		if w.OperationStatus < -1 || w.OperationStatus > 1 || w.Code == "" || w.TransactionID == "" ||
			!validRef(w.TransactionID) || len(w.Message) > maxWebhookMessage {
			t.Fatalf("accepted %+v", w)
		}
		if ref, ok := w.Ref(hookKey); ok && WebhookCode(hookKey, ref) != strings.ToLower(w.Code) {
			t.Fatalf("ref %s accepted with code %s", ref, w.Code)
		}
		_ = w.Result("YER")
	})
}
