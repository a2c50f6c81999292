package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/journal"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/providers/alqimah/alqimahsim"
	"kiosk/providers/sandboxkit"
	"kiosk/sale"
	"kiosk/sandboxes"
	"kiosk/storage"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// rig is an Al-Qimah simulator, a client, a journal, an engine and the
// webhook listener, all on loopback: every purchase carries the listener's
// URL and the sale's code, and the simulator calls back with them. mute
// loses the callbacks on the way (a test then sends its own).
type rig struct {
	sb     *alqimahsim.Server
	client providers.Provider
	eng    *sale.Engine
	j      *journal.Journal
	url    string // webhook URL
	mute   atomic.Bool
}

func newRig(t *testing.T) *rig {
	t.Helper()
	clk := clock.NewTicking(clock.Start, time.Millisecond)
	sb, err := alqimahsim.New(alqimahsim.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sandboxkit.Start("127.0.0.1:0", sb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	r := &rig{sb: sb}
	var h *Handler
	ws, err := Listen("127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/from-simulator" && r.mute.Load() {
			return // the simulator's callback, lost on the way
		}
		h.ServeHTTP(w, req)
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.Close() })
	r.url = ws.URL + "/alqimah/webhook"
	cfg := sandboxes.AlQimahConfig(srv.URL, false)
	cfg.WebhookURL, cfg.WebhookKey, cfg.Now = ws.URL+"/from-simulator", testKey, clk.Now
	c, err := alqimah.New(cfg, &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := storage.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	sj, err := storage.Open(filepath.Join(t.TempDir(), "journal.db"), storage.Options{Sealer: sealer, Terminal: 7, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	j := journal.New(sj)
	t.Cleanup(func() { _ = j.Close() })
	eng := sale.New(j, []providers.Provider{c}, sale.Options{Terminal: "T007", Timeout: 3 * time.Second, InFlightWindow: time.Minute, Now: clk.Now})
	if h, err = NewWithOptions(eng, testKey, Options{LookupTimeout: 2 * time.Second, Logf: t.Logf}); err != nil {
		t.Fatal(err)
	}
	r.client, r.eng, r.j = c, eng, j
	return r
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// sellPending sells product id with the pending fault on: the sale is
// committed and charged by the sandbox and pending in the journal.
func (r *rig) sellPending(t *testing.T, id string, fields map[string]string, amount string) *sale.Sale {
	t.Helper()
	var p providers.Product
	ps, err := r.client.Catalog(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ps {
		if x.ID == id {
			p = x
		}
	}
	if p.ID == "" {
		t.Fatalf("no product %s", id)
	}
	var amt money.Decimal
	if amount != "" {
		amt = money.MustParse(amount)
	}
	q, err := r.eng.Quote(ctx(t), p, fields, amt)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.sb.Faults.Set(sandboxkit.FaultPending, "50"); err != nil {
		t.Fatal(err)
	}
	defer r.sb.Faults.Reset()
	s, err := r.eng.Sell(ctx(t), q, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	if s.State != sale.Pending || r.sb.Charged(s.Ref) != 1 {
		t.Fatalf("sale is %s, charged %d; want pending, charged once", s.State, r.sb.Charged(s.Ref))
	}
	return s
}

func giftCard(t *testing.T, r *rig) *sale.Sale {
	return r.sellPending(t, "game-itunes_us_10", map[string]string{"EmailAddress": "buyer@example.com"}, "")
}

func topUp(t *testing.T, r *rig) *sale.Sale {
	return r.sellPending(t, "topup-yemen_mobile", map[string]string{"MobileNumber": "771234567"}, "100")
}

func (r *rig) get(t *testing.T, ref string) *sale.Sale {
	t.Helper()
	s, err := r.j.Sale(ref)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// call sends a callback as Al-Qimah would, with the given parameters.
func (r *rig) call(t *testing.T, v url.Values) (int, answer) {
	t.Helper()
	return r.raw(t, http.MethodGet, r.url+"?"+v.Encode())
}

func (r *rig) raw(t *testing.T, method, target string) (int, answer) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), method, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("answer %d is not JSON: %q", resp.StatusCode, body)
	}
	return resp.StatusCode, a
}

func params(status, ref, code string) url.Values {
	return url.Values{"OperationStatus": {status}, "WebHookCode": {code}, "TransactionID": {ref},
		"ReferenceID": {"220065"}, "price": {"507.87"}, "message": {"Order Sucsses"}}
}

// sameSale reports whether nothing changed in a sale.
func sameSale(t *testing.T, before, after *sale.Sale) {
	t.Helper()
	if before.State != after.State || len(before.History) != len(after.History) || !before.Updated.Equal(after.Updated) ||
		before.ProviderRef != after.ProviderRef || len(before.Vouchers) != len(after.Vouchers) {
		t.Fatalf("sale changed: %s (%d transitions) → %s (%d transitions)", before.State, len(before.History), after.State, len(after.History))
	}
}

func TestGiftCardSettledByWebhookWithPIN(t *testing.T) {
	r := newRig(t)
	s := giftCard(t, r)
	code, err := r.sb.Resolve(s.Ref, true)
	if err != nil || code != http.StatusOK {
		t.Fatalf("webhook answered %d, %v", code, err)
	}
	got := r.get(t, s.Ref)
	if got.State != sale.Succeeded || len(got.Vouchers) != 1 {
		t.Fatalf("sale is %s with %d vouchers", got.State, len(got.Vouchers))
	}
	st, err := r.client.(providers.StatusChecker).Status(ctx(t), providers.SaleRef{Ref: s.Ref, Product: s.Product})
	if err != nil {
		t.Fatal(err)
	}
	v := got.Vouchers[0]
	if v.PIN == "" || v.PIN != st.Vouchers[0].PIN || v.Serial != st.Vouchers[0].Serial || got.ProviderRef != st.ProviderRef || v.Reference != st.ProviderRef {
		t.Fatalf("journal voucher %+v (ref %s), provider's %+v (ref %s)", v, got.ProviderRef, st.Vouchers[0], st.ProviderRef)
	}
	if r.sb.Charged(s.Ref) != 1 {
		t.Fatalf("charged %d times", r.sb.Charged(s.Ref))
	}
	if last := got.History[len(got.History)-1]; last.State != sale.Succeeded {
		t.Fatalf("last transition %+v", last)
	}
}

func TestTopUpSettledByWebhookAlone(t *testing.T) {
	r := newRig(t)
	s := topUp(t, r)
	code, err := r.sb.Resolve(s.Ref, true)
	if err != nil || code != http.StatusOK {
		t.Fatalf("webhook answered %d, %v", code, err)
	}
	got := r.get(t, s.Ref)
	if got.State != sale.Succeeded || got.ProviderRef == "" || len(got.Vouchers) != 1 || got.Vouchers[0].Reference != got.ProviderRef {
		t.Fatalf("sale %s, provider ref %q, vouchers %+v", got.State, got.ProviderRef, got.Vouchers)
	}
	if !got.Charged.Equal(money.New(money.FromInt(100), "YER")) {
		t.Fatalf("charged %s, want 100 YER", got.Charged)
	}
	st, err := r.client.(providers.StatusChecker).Status(ctx(t), providers.SaleRef{Ref: s.Ref, Product: s.Product})
	if err != nil || st.ProviderRef != got.ProviderRef {
		t.Fatalf("provider says %s (%v), journal %s", st.ProviderRef, err, got.ProviderRef)
	}
}

func TestFailedByWebhook(t *testing.T) {
	r := newRig(t)
	s := topUp(t, r)
	code, err := r.sb.Resolve(s.Ref, false)
	if err != nil || code != http.StatusOK {
		t.Fatalf("webhook answered %d, %v", code, err)
	}
	if got := r.get(t, s.Ref); got.State != sale.Failed || r.sb.Charged(s.Ref) != 0 {
		t.Fatalf("sale %s, charged %d; want failed, nothing charged", got.State, r.sb.Charged(s.Ref))
	}
}

func TestWrongCodeRefusedAndNothingChanges(t *testing.T) {
	r := newRig(t)
	s := giftCard(t, r)
	before := r.get(t, s.Ref)
	for _, bad := range []string{
		"0000000000000000000000000000000",                              // wrong
		alqimah.WebhookCode([]byte("another key of 16+ bytes"), s.Ref), // another key
		alqimah.WebhookCode(testKey, s.Ref[:15]+"9"),                   // another sale's code
		strings.Repeat("a", 32),
	} {
		code, a := r.call(t, params("1", s.Ref, bad))
		if code != http.StatusForbidden || a.OK {
			t.Fatalf("code %q: answered %d %+v, want 403", bad, code, a)
		}
	}
	// Unknown sale with a wrong code is 403 too: no hint that it exists.
	if code, _ := r.call(t, params("1", "0079999900000001", "nope")); code != http.StatusForbidden {
		t.Fatalf("unknown sale, wrong code: %d", code)
	}
	sameSale(t, before, r.get(t, s.Ref))
}

func TestReplayHarmless(t *testing.T) {
	r := newRig(t)
	s := giftCard(t, r)
	if code, err := r.sb.Resolve(s.Ref, true); err != nil || code != http.StatusOK {
		t.Fatalf("webhook answered %d, %v", code, err)
	}
	settled := r.get(t, s.Ref)
	var wg sync.WaitGroup
	codes := make(chan int, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, err := r.sb.SendWebhook(s.Ref)
			if err != nil {
				t.Error(err)
			}
			codes <- code
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Fatalf("replay answered %d", c)
		}
	}
	sameSale(t, settled, r.get(t, s.Ref))
	if r.sb.Charged(s.Ref) != 1 {
		t.Fatalf("charged %d", r.sb.Charged(s.Ref))
	}
}

func TestConcurrentFirstCallbacksOneTransition(t *testing.T) {
	r := newRig(t)
	s := topUp(t, r)
	r.mute.Store(true)
	if _, err := r.sb.Resolve(s.Ref, true); err != nil {
		t.Fatal(err)
	}
	v := params("1", s.Ref, alqimah.WebhookCode(testKey, s.Ref))
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code, a := r.call(t, v); code != http.StatusOK {
				t.Errorf("answered %d %+v", code, a)
			}
		}()
	}
	wg.Wait()
	got := r.get(t, s.Ref)
	if got.State != sale.Succeeded || len(got.History) != len(s.History)+1 {
		t.Fatalf("sale %s with %d transitions (was %d)", got.State, len(got.History), len(s.History))
	}
}

func TestWebhookForSaleSettledByPollHarmless(t *testing.T) {
	r := newRig(t)
	s := giftCard(t, r)
	r.mute.Store(true)
	if _, err := r.sb.Resolve(s.Ref, true); err != nil {
		t.Fatal(err)
	}
	polled, err := r.eng.Settle(ctx(t), s.Ref)
	if err != nil || polled.State != sale.Succeeded {
		t.Fatalf("poll: %v, %v", polled, err)
	}
	code, a := r.call(t, params("1", s.Ref, alqimah.WebhookCode(testKey, s.Ref)))
	if code != http.StatusOK || a.State != sale.Succeeded {
		t.Fatalf("answered %d %+v", code, a)
	}
	sameSale(t, polled, r.get(t, s.Ref))

	// A contradicting callback for the settled sale changes nothing either;
	// it is answered 409 and left in the audit record for a supervisor.
	code, a = r.call(t, params("0", s.Ref, alqimah.WebhookCode(testKey, s.Ref)))
	if code != http.StatusConflict || a.State != sale.Succeeded {
		t.Fatalf("contradiction answered %d %+v", code, a)
	}
	sameSale(t, polled, r.get(t, s.Ref))
	log, err := r.j.AuditLog()
	if err != nil || len(log) != 1 || log[0].Ref != s.Ref || log[0].Who != By {
		t.Fatalf("audit %+v, %v", log, err)
	}
}

func TestPendingCallbackKeepsSaleOpen(t *testing.T) {
	r := newRig(t)
	s := giftCard(t, r)
	before := r.get(t, s.Ref)
	code, a := r.call(t, params("-1", s.Ref, alqimah.WebhookCode(testKey, s.Ref)))
	if code != http.StatusOK || a.State != sale.Pending {
		t.Fatalf("answered %d %+v", code, a)
	}
	// The callback made a status look-up (counted), and changed no outcome.
	if after := r.get(t, s.Ref); after.State != before.State || len(after.History) != len(before.History) || len(after.Vouchers) != 0 {
		t.Fatalf("sale changed: %s (%d transitions) → %s (%d transitions)", before.State, len(before.History), after.State, len(after.History))
	}
}

func TestSuccessBeforeStatusSaysSoStaysOpen(t *testing.T) {
	// The platform calls back before its status answer says ready: a gift
	// card's PIN cannot be read yet, so the sale stays pending (202) and is
	// polled, never closed without its PIN.
	r := newRig(t)
	s := giftCard(t, r)
	code, a := r.call(t, params("1", s.Ref, alqimah.WebhookCode(testKey, s.Ref)))
	if code != http.StatusAccepted || a.State != sale.Pending {
		t.Fatalf("answered %d %+v", code, a)
	}
	if got := r.get(t, s.Ref); got.State != sale.Pending || len(got.Vouchers) != 0 {
		t.Fatalf("sale %s with %d vouchers", got.State, len(got.Vouchers))
	}
}

func TestLeadingZerosDropped(t *testing.T) {
	r := newRig(t)
	s := topUp(t, r)
	if !strings.HasPrefix(s.Ref, "00") {
		t.Fatalf("ref %s: terminal 7 should give leading zeros", s.Ref)
	}
	short := strings.TrimLeft(s.Ref, "0")
	code, a := r.call(t, params("1", short, alqimah.WebhookCode(testKey, s.Ref)))
	// The sale is found under its full reference; Al-Qimah's status still
	// says pending, so the callback is accepted and the sale stays open.
	if code != http.StatusAccepted || a.Ref != s.Ref || a.State != sale.Pending {
		t.Fatalf("answered %d %+v", code, a)
	}
}

func TestUnknownSale(t *testing.T) {
	r := newRig(t)
	for _, ref := range []string{"0079999900000001", "12345"} {
		code, a := r.call(t, params("1", ref, alqimah.WebhookCode(testKey, ref)))
		if code != http.StatusNotFound || a.OK {
			t.Fatalf("%s: answered %d %+v", ref, code, a)
		}
	}
}

func TestMalformed(t *testing.T) {
	r := newRig(t)
	s := topUp(t, r)
	before := r.get(t, s.Ref)
	good := alqimah.WebhookCode(testKey, s.Ref)
	cases := []struct {
		name  string
		query string
		code  int
		says  string
	}{
		{"no status", url.Values{"WebHookCode": {good}, "TransactionID": {s.Ref}}.Encode(), 400, "OperationStatus is missing"},
		{"status 2", params("2", s.Ref, good).Encode(), 400, "not 1, 0 or -1"},
		{"status word", params("ok", s.Ref, good).Encode(), 400, "not 1, 0 or -1"},
		{"no code", url.Values{"OperationStatus": {"1"}, "TransactionID": {s.Ref}}.Encode(), 400, "WebHookCode is missing"},
		{"no ref", url.Values{"OperationStatus": {"1"}, "WebHookCode": {good}}.Encode(), 400, "TransactionID is missing"},
		// The seed's own example TransactionID is TXN789: text is a
		// reference like any other, and this code is not its code.
		{"ref letters", params("1", "TXN789", good).Encode(), 403, "wrong WebHookCode"},
		{"ref with space", params("1", "TXN 789", good).Encode(), 400, "TransactionID"},
		{"twice", params("1", s.Ref, good).Encode() + "&OperationStatus=0", 400, "more than once"},
		{"twice case", params("1", s.Ref, good).Encode() + "&operationstatus=1", 400, "more than once"},
		{"bad price", strings.Replace(params("1", s.Ref, good).Encode(), "price=507.87", "price=abc", 1), 400, "price"},
		{"negative price", strings.Replace(params("1", s.Ref, good).Encode(), "price=507.87", "price=-1", 1), 400, "price"},
		{"bad escape", "OperationStatus=%zz", 400, "malformed"},
		{"control in code", params("1", s.Ref, "ab\x01cd").Encode(), 400, "WebHookCode"},
		{"too long", params("1", s.Ref, good).Encode() + "&pad=" + strings.Repeat("x", MaxQuery), 414, "longer"},
	}
	for _, c := range cases {
		code, a := r.raw(t, http.MethodGet, r.url+"?"+c.query)
		if code != c.code || a.OK || !strings.Contains(a.Message, c.says) {
			t.Errorf("%s: answered %d %+v, want %d saying %q", c.name, code, a, c.code, c.says)
		}
	}
	if code, _ := r.raw(t, http.MethodPost, r.url+"?"+params("1", s.Ref, good).Encode()); code != http.StatusMethodNotAllowed {
		t.Errorf("POST answered %d", code)
	}
	// A body is refused.
	req, _ := http.NewRequest(http.MethodGet, r.url+"?"+params("1", s.Ref, good).Encode(), strings.NewReader("x=1"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("GET with a body answered %d", resp.StatusCode)
	}
	sameSale(t, before, r.get(t, s.Ref))
}

func TestHeadersTooLarge(t *testing.T) {
	r := newRig(t)
	req, _ := http.NewRequest(http.MethodGet, r.url+"?OperationStatus=1", nil)
	req.Header.Set("X-Pad", strings.Repeat("x", 64<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("answered %d", resp.StatusCode)
	}
}

func TestOtherProvidersSaleIsNotFound(t *testing.T) {
	r := newRig(t)
	s := topUp(t, r)
	// Relabel the sale as another provider's, as a journal shared by all
	// providers holds them.
	if _, err := r.j.Update(s.Ref, func(x *sale.Sale) error { x.Provider = "bitaqaty"; return nil }); err != nil {
		t.Fatal(err)
	}
	code, _ := r.call(t, params("1", s.Ref, alqimah.WebhookCode(testKey, s.Ref)))
	if code != http.StatusNotFound {
		t.Fatalf("answered %d", code)
	}
}

func TestNewAndParseKey(t *testing.T) {
	if _, err := New(nil, testKey); err == nil {
		t.Error("nil engine accepted")
	}
	r := newRig(t)
	if _, err := New(r.eng, []byte("short")); err == nil {
		t.Error("short key accepted")
	}
	if _, err := ParseKey("abcd"); err == nil {
		t.Error("short hex key accepted")
	}
	if _, err := ParseKey(strings.Repeat("zz", 32)); err == nil {
		t.Error("non-hex key accepted")
	}
	k, err := ParseKey(" " + strings.Repeat("ab", 32) + "\n")
	if err != nil || len(k) != 32 {
		t.Errorf("ParseKey: %d bytes, %v", len(k), err)
	}
}

func TestBusyAnswersAtOnce(t *testing.T) {
	r := newRig(t)
	h, err := NewWithOptions(r.eng, testKey, Options{MaxConcurrent: 1})
	if err != nil {
		t.Fatal(err)
	}
	h.sem <- struct{}{} // one callback in progress
	ws, err := Listen("127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	start := time.Now()
	resp, err := http.Get(ws.URL + "/?" + params("1", "1", "x").Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || time.Since(start) > time.Second {
		t.Fatalf("answered %d after %v", resp.StatusCode, time.Since(start))
	}
}

func ExampleNew() {
	// In the app (the long-running TUI process, which holds the journal):
	//
	//	key, err := webhook.ParseKey(os.Getenv(cfg.Webhook.KeyEnv))
	//	h, err := webhook.New(k.Engine, key)
	//	srv, err := webhook.Listen(cfg.Webhook.Listen, h) // "127.0.0.1:8710"
	//	defer srv.Close()
	fmt.Println(alqimah.WebhookCode([]byte("0123456789abcdef"), "0019317400000001"))
	// Output: a157934bb958d7da44eb114be4ac35ec
}

// TestForgedFailureIsNotRecorded: a failure callback with a code seen in a
// proxy log, for a sale Al-Qimah still has as pending, must not make the
// sale look failed (the clerk would refund what may be charged): the
// status look-up is what counts, and it says pending.
func TestForgedFailureIsNotRecorded(t *testing.T) {
	r := newRig(t)
	s := topUp(t, r)
	code, a := r.call(t, params("0", s.Ref, alqimah.WebhookCode(testKey, s.Ref)))
	if code != http.StatusAccepted || a.State != sale.Pending {
		t.Fatalf("forged failure answered %d %+v", code, a)
	}
	if got := r.get(t, s.Ref); got.State != sale.Pending {
		t.Fatalf("forged failure recorded %s", got.State)
	}
}

// Forged callbacks with wrong codes are refused and logged at most once a
// minute, with the count of the rest; the audit never hears of them.
func TestWrongCodesAreLoggedRateLimited(t *testing.T) {
	clk := clock.NewFake(clock.Start)
	var lines []string
	h, err := NewWithOptions(newRig(t).eng, testKey, Options{Now: clk.Now,
		Logf: func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }})
	if err != nil {
		t.Fatal(err)
	}
	forge := func(n int) {
		for i := range n {
			req := httptest.NewRequest(http.MethodGet, "/alqimah/webhook?"+params("0", fmt.Sprintf("00700000000%05d", i), "deadbeef").Encode(), nil)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusForbidden {
				t.Fatalf("a wrong code answered %d", w.Code)
			}
		}
	}
	forge(500)
	clk.Advance(30 * time.Second)
	forge(100)
	if len(lines) != 1 {
		t.Fatalf("%d log lines for 600 wrong codes within a minute, want 1:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	clk.Advance(31 * time.Second)
	forge(1)
	if len(lines) != 2 || !strings.Contains(lines[1], "and 599 more wrong codes") {
		t.Fatalf("the next line after a minute: %q", lines)
	}
	audit, err := h.engine.AuditLog()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range audit {
		if strings.Contains(e.Action+e.Detail, "WebHookCode") || strings.Contains(e.Action, "webhook") {
			t.Fatalf("a wrong code reached the audit: %+v", e)
		}
	}
}
