package indiasim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
)

// The seed's own texts (india-mobile-recharge-api.txt), copied verbatim.
const (
	seedRequest1 = `{
"mobile_no":9679833706,
"operator_code":1,
"amount":10,
"partner_request_id":1,
"circle":23,
"recharge_type":"1",
"user_var1":"",
"user_var2":"",
"user_var3":""
}` // seed L30-L40
	seedRequest2 = `{
"mobile_no":9679833706,
"operator_code":1,
"amount":10,
"partner_request_id":1,
"circle":23,
"recharge_type":"1",
"dest":"online",
"user_var1":"",
"user_var2":"",
"user_var3":""
}` // seed L41-L52
	seedPending = `{
"error":0,
"msg":order in queue,
"status":2,
"orderid":"da9842e1-f561-4728-827b-ac4dd2934d68",
"optransid":"",
"partnerreqid":"5165483",
"commission":0,
"user_var1":"",
"user_var2":"",
"user_var3":""
}` // seed L53-L64
	seedDuplicate = `{
"error":1,
"msg":"Duplicate order, Order ID must be unique",
}` // seed L65-L68
)

var fixedNow = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

func start(t *testing.T, ext ...string) (*Server, string) {
	t.Helper()
	s, err := New(Options{Now: func() time.Time { return fixedNow }, Extensions: ext})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts.URL
}

type answer struct {
	code int
	hdr  http.Header
	body string
}

func send(t *testing.T, ctx context.Context, method, u, body string, hdr ...string) (answer, error) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	return answer{resp.StatusCode, resp.Header, string(b)}, nil
}

func do(t *testing.T, method, u, body string, hdr ...string) answer {
	t.Helper()
	a, err := send(t, context.Background(), method, u, body, hdr...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// sloppy reads an answer written one member a line as the seed shows it,
// with unquoted msg values and trailing commas.
func sloppy(t *testing.T, body string) map[string]string {
	t.Helper()
	s := strings.TrimSpace(body)
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		t.Fatalf("not an object: %q", body)
	}
	out := map[string]string{}
	for _, line := range strings.Split(s[1:len(s)-1], "\n") {
		line = strings.TrimSuffix(strings.TrimSpace(line), ",")
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		key, err := strconv.Unquote(k)
		if !ok || err != nil {
			t.Fatalf("bad member %q in %q", line, body)
		}
		if u, err := strconv.Unquote(v); err == nil {
			v = u
		}
		out[key] = v
	}
	return out
}

func legacyJSON(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("legacy answer is not JSON: %v: %q", err, body)
	}
	return m
}

func wantFields(t *testing.T, got map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (answer %v)", k, got[k], v, got)
		}
	}
}

func recharge(ref string) string {
	return `{"mobile_no":9679833706,"operator_code":1,"amount":10,"partner_request_id":"` + ref + `","circle":23,"recharge_type":"1","user_var1":"u1"}`
}

func TestSeedExamples(t *testing.T) {
	s, base := start(t)
	a := do(t, http.MethodPost, base+"/recharge", seedRequest1)
	if a.code != 200 {
		t.Fatalf("status %d: %s", a.code, a.body)
	}
	wantFields(t, sloppy(t, a.body), map[string]string{
		"error": "0", "msg": "success", "status": "1", "orderid": "da9842e1-f561-4728-827b-000000000001",
		"optransid": "OPR000000001", "partnerreqid": "1", "commission": "0.2",
		"user_var1": "", "user_var2": "", "user_var3": "",
	})
	if !strings.Contains(a.body, "\"msg\":success,\n") || !strings.Contains(a.body, "\"partnerreqid\":\"1\",\n") {
		t.Errorf("answer not in the seed's layout: %q", a.body)
	}
	if s.Charged("1") != 1 || s.Orders() != 1 {
		t.Fatalf("charged %d orders %d", s.Charged("1"), s.Orders())
	}
	if want := money.MustParse("9990.2"); s.Balance().Cmp(want) != 0 {
		t.Fatalf("balance %s, want %s", s.Balance(), want)
	}
	// The seed's second example reuses partner_request_id 1: the duplicate.
	a = do(t, http.MethodPost, base+"/recharge", seedRequest2)
	if a.code != 200 || a.body != seedDuplicate {
		t.Fatalf("duplicate: %d %q, want %q", a.code, a.body, seedDuplicate)
	}
	if s.Charged("1") != 1 || s.Orders() != 1 {
		t.Fatalf("duplicate charged again: %d %d", s.Charged("1"), s.Orders())
	}
	// The same example with a fresh reference and dest=online sells.
	a = do(t, http.MethodPost, base+"/recharge", strings.Replace(seedRequest2, `"partner_request_id":1`, `"partner_request_id":2`, 1))
	wantFields(t, sloppy(t, a.body), map[string]string{"error": "0", "status": "1", "partnerreqid": "2"})
}

func TestPendingAnswerIsTheSeedSample(t *testing.T) {
	s, base := start(t)
	if err := s.Faults.Set(sandboxkit.FaultPending, "1"); err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(seedRequest1, `"partner_request_id":1`, `"partner_request_id":"5165483"`, 1)
	a := do(t, http.MethodPost, base+"/recharge", body)
	want := strings.Replace(seedPending, "ac4dd2934d68", "000000000001", 1)
	if a.body != want {
		t.Fatalf("pending answer\n%s\nwant (seed L53-L64)\n%s", a.body, want)
	}
	if json.Valid([]byte(a.body)) {
		t.Fatal("the seed's pending sample is not valid JSON; neither should this be")
	}
	if s.Charged("5165483") != 1 || s.Balance().Cmp(money.FromInt(9990)) != 0 {
		t.Fatalf("pending: charged %d balance %s", s.Charged("5165483"), s.Balance())
	}
}

func TestParameterStyles(t *testing.T) {
	q := url.Values{"mobile_no": {"9679833706"}, "operator_code": {"1"}, "amount": {"10"}, "circle": {"23"}, "recharge_type": {"1"}}
	tests := []struct {
		name, method, query, body string
		ok                        bool
	}{
		{"POST query only", http.MethodPost, "q1", "", true},
		{"GET query", http.MethodGet, "q2", "", true},
		{"POST JSON strings", http.MethodPost, "", `{"mobile_no":"9679833706","operator_code":"1","amount":"10.50","partner_request_id":"A7","circle":"23","recharge_type":"1"}`, true},
		{"POST JSON numbers", http.MethodPost, "", `{"mobile_no":9679833706,"operator_code":1,"amount":10,"partner_request_id":8,"circle":23}`, true},
		{"POST query plus body", http.MethodPost, "q3", `{"amount":20}`, true},
		{"form body", http.MethodPost, "", "mobile_no=9679833706&operator_code=1", false},
		{"JSON array", http.MethodPost, "", `[1,2]`, false},
		{"JSON bool member", http.MethodPost, "", `{"mobile_no":true}`, false},
		{"trailing data", http.MethodPost, "", `{"mobile_no":"1"} {}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, base := start(t)
			u := base + "/recharge"
			if tc.query != "" {
				v := url.Values{}
				for k, x := range q {
					v[k] = x
				}
				v.Set("partner_request_id", tc.query)
				u += "?" + v.Encode()
			}
			req, _ := http.NewRequest(tc.method, u, strings.NewReader(tc.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			f := sloppy(t, string(b))
			if tc.ok && (f["error"] != "0" || f["status"] != "1") {
				t.Fatalf("refused: %s", b)
			}
			if !tc.ok && f["error"] != "9" {
				t.Fatalf("accepted or wrong error: %s", b)
			}
		})
	}
}

func TestValidation(t *testing.T) {
	good := map[string]any{"mobile_no": 9679833706, "operator_code": 1, "amount": 10, "partner_request_id": "R1", "circle": 23, "recharge_type": "1"}
	tests := []struct {
		name  string
		key   string
		value any // nil deletes the member
		msg   string
	}{
		{"mobile missing", "mobile_no", nil, "mobile_no is required"},
		{"mobile 9 digits", "mobile_no", 967983370, "Invalid mobile number"},
		{"mobile with +91", "mobile_no", "+919679833706", "Invalid mobile number"},
		{"operator missing", "operator_code", nil, "operator_code is required"},
		{"operator unknown", "operator_code", 99, "Invalid operator code"},
		{"amount missing", "amount", nil, "amount is required"},
		{"amount text", "amount", "ten", "Invalid amount"},
		{"amount zero", "amount", 0, "Invalid amount"},
		{"amount negative", "amount", -5, "Invalid amount"},
		{"amount sub-paisa", "amount", "10.005", "Invalid amount"},
		{"reference missing", "partner_request_id", nil, "partner_request_id is required"},
		{"reference not alphanumeric", "partner_request_id", "K-0001", "Invalid partner_request_id, must be alphanumeric"},
		{"circle missing", "circle", nil, "circle is required"},
		{"circle unknown", "circle", 24, "Invalid circle code"},
		{"recharge type 2", "recharge_type", "2", "Invalid recharge type"},
		{"dest other", "dest", "sideways", "Invalid dest, must be online or offline"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, base := start(t)
			m := map[string]any{}
			for k, v := range good {
				m[k] = v
			}
			if tc.value == nil {
				delete(m, tc.key)
			} else {
				m[tc.key] = tc.value
			}
			b, _ := json.Marshal(m)
			a := do(t, http.MethodPost, base+"/recharge", string(b))
			want := "{\n\"error\":2,\n\"msg\":" + strconv.Quote(tc.msg) + ",\n}"
			if a.code != 200 || a.body != want {
				t.Fatalf("%d %q, want %q", a.code, a.body, want)
			}
			if s.Orders() != 0 || s.Balance().Cmp(money.FromInt(StartBalance)) != 0 {
				t.Fatal("a refused request was stored or charged")
			}
		})
	}
	t.Run("defaults and echo", func(t *testing.T) {
		_, base := start(t)
		a := do(t, http.MethodPost, base+"/recharge", `{"mobile_no":"9679833706","operator_code":"4","amount":"100","partner_request_id":"X9","circle":"5","dest":"offline","user_var1":"a b","user_var2":"2","user_var3":"three"}`)
		wantFields(t, sloppy(t, a.body), map[string]string{"error": "0", "status": "1", "commission": "2", "user_var1": "a b", "user_var2": "2", "user_var3": "three"})
	})
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	_, base := start(t)
	for _, p := range []string{"/", "/recharge/", "/recharge/prepaid", "/get/prepaid/mobile", SigninPath, StatusPath, LegacyStatusPath, BalancePath, LegacyBalancePath, "/RECHARGE"} {
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			a := do(t, m, base+p, "")
			if a.code != 404 || a.body != `{"msg":"Not Found"}` {
				t.Errorf("%s %s: %d %q", m, p, a.code, a.body)
			}
		}
	}
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
		a := do(t, m, base+"/recharge", "")
		if a.code != 405 || a.hdr.Get("Allow") != "GET, POST" || strings.Contains(a.body, "error") {
			t.Errorf("%s /recharge: %d %q", m, a.code, a.body)
		}
	}
}

func TestRechargePathOption(t *testing.T) {
	s, err := New(Options{RechargePath: "get/prepaid/mobile", Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	if s.RechargePath() != "/get/prepaid/mobile" {
		t.Fatalf("path %s", s.RechargePath())
	}
	if a := do(t, http.MethodPost, ts.URL+"/get/prepaid/mobile", recharge("P1")); sloppy(t, a.body)["status"] != "1" {
		t.Fatalf("custom path: %s", a.body)
	}
	if a := do(t, http.MethodPost, ts.URL+"/recharge", recharge("P2")); a.code != 404 {
		t.Fatalf("default path still served: %d", a.code)
	}
	if _, err := New(Options{RechargePath: StatusPath, Extensions: []string{ExtStatus}}); err == nil {
		t.Fatal("clash with the status path accepted")
	}
}

func TestNew(t *testing.T) {
	if _, err := New(Options{Extensions: []string{"signin", "teleport"}}); err == nil || !strings.Contains(err.Error(), "teleport") {
		t.Fatalf("unknown extension: %v", err)
	}
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Credentials(); !strings.Contains(c, "no credentials") || strings.Contains(c, Password) {
		t.Fatalf("credentials %q", c)
	}
	s, _ = New(Options{Extensions: ExtensionNames})
	if c := s.Credentials(); !strings.Contains(c, Password) || !strings.Contains(c, APIPassword) || !strings.Contains(c, PartnerID) {
		t.Fatalf("credentials %q", c)
	}
}

func TestClock(t *testing.T) {
	for _, now := range []time.Time{fixedNow, time.Date(2031, 12, 31, 23, 59, 59, 0, time.FixedZone("IST", 19800))} {
		s, err := New(Options{Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(s)
		want := now.UTC().Format(http.TimeFormat)
		for _, p := range []string{"/recharge", "/nowhere"} {
			if a := do(t, http.MethodPost, ts.URL+p, recharge("C1")); a.hdr.Get("Date") != want {
				t.Errorf("%s: Date %q, want %q", p, a.hdr.Get("Date"), want)
			}
		}
		ts.Close()
	}
}

func TestConcurrentDuplicates(t *testing.T) {
	s, base := start(t)
	const n = 16
	var wg sync.WaitGroup
	bodies := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := send(t, context.Background(), http.MethodPost, base+"/recharge", recharge("SAME"))
			if err == nil {
				bodies[i] = a.body
			}
		}()
	}
	wg.Wait()
	sold, dup := 0, 0
	for _, b := range bodies {
		switch {
		case b == seedDuplicate:
			dup++
		case strings.Contains(b, "\"status\":1,"):
			sold++
		}
	}
	if sold != 1 || dup != n-1 || s.Charged("SAME") != 1 || s.Orders() != 1 {
		t.Fatalf("sold %d dup %d charged %d orders %d", sold, dup, s.Charged("SAME"), s.Orders())
	}
}

func TestFaults(t *testing.T) {
	t.Run("latency", func(t *testing.T) {
		s, base := start(t)
		_ = s.Faults.Set(sandboxkit.FaultLatency, "1h")
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		// A GET without a body, so the server sees the client hang up and
		// ends the delay.
		q := "?mobile_no=9679833706&operator_code=1&amount=10&circle=23&partner_request_id=L1"
		if _, err := send(t, ctx, http.MethodGet, base+"/recharge"+q, ""); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("answered within the latency: %v", err)
		}
		s.Faults.Reset()
		if a := do(t, http.MethodPost, base+"/recharge", recharge("L1")); sloppy(t, a.body)["status"] != "1" {
			t.Fatalf("abandoned request was processed: %s", a.body)
		}
	})
	t.Run("no-answer", func(t *testing.T) {
		s, base := start(t)
		_ = s.Faults.Set(sandboxkit.FaultNoAnswer, "on")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s.Faults.OnStage(func(stage, ref string) {
			if stage == sandboxkit.StageReceived && ref == "N1" {
				cancel()
			}
		})
		if _, err := send(t, ctx, http.MethodPost, base+"/recharge", recharge("N1")); err == nil {
			t.Fatal("no-answer answered")
		}
		if s.Charged("N1") != 0 || s.Orders() != 0 {
			t.Fatal("no-answer committed")
		}
		s.Faults.Reset()
		if a := do(t, http.MethodPost, base+"/recharge", recharge("N1")); sloppy(t, a.body)["status"] != "1" {
			t.Fatalf("retry after no-answer: %s", a.body)
		}
	})
	t.Run("hang-after-commit", func(t *testing.T) {
		s, base := start(t)
		_ = s.Faults.Set(sandboxkit.FaultHangAfterCommit, "on")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s.Faults.OnStage(func(stage, ref string) {
			if stage == sandboxkit.StageCommitted {
				cancel()
			}
		})
		if _, err := send(t, ctx, http.MethodPost, base+"/recharge", recharge("H1")); err == nil {
			t.Fatal("hang-after-commit answered")
		}
		if s.Charged("H1") != 1 {
			t.Fatal("not committed")
		}
		s.Faults.Reset()
		if a := do(t, http.MethodPost, base+"/recharge", recharge("H1")); a.body != seedDuplicate {
			t.Fatalf("retry: %q", a.body)
		}
	})
	t.Run("cut-after-commit", func(t *testing.T) {
		s, base := start(t)
		_ = s.Faults.Set(sandboxkit.FaultCutAfterCommit, "on")
		if _, err := send(t, context.Background(), http.MethodPost, base+"/recharge", recharge("X1")); err == nil {
			t.Fatal("cut-after-commit answered")
		}
		if s.Charged("X1") != 1 {
			t.Fatal("not committed")
		}
	})
	t.Run("out-of-stock", func(t *testing.T) {
		s, base := start(t, ExtStatus)
		_ = s.Faults.Set(sandboxkit.FaultOutOfStock, "on")
		a := do(t, http.MethodPost, base+"/recharge", recharge("O1"))
		wantFields(t, sloppy(t, a.body), map[string]string{"error": "0", "status": "3", "msg": "Operator down", "optransid": "", "commission": "0", "partnerreqid": "O1"})
		if s.Charged("O1") != 0 || s.Orders() != 1 || s.Balance().Cmp(money.FromInt(StartBalance)) != 0 {
			t.Fatalf("charged %d orders %d balance %s", s.Charged("O1"), s.Orders(), s.Balance())
		}
		s.Faults.Reset()
		if a := do(t, http.MethodPost, base+"/recharge", recharge("O1")); a.body != seedDuplicate {
			t.Fatalf("processed reference reused: %q", a.body)
		}
		a = do(t, http.MethodPost, base+StatusPath, `{"partner_request_id":"O1"}`)
		wantFields(t, sloppy(t, a.body), map[string]string{"status": "3", "msg": "Operator down"})
	})
	t.Run("no-balance", func(t *testing.T) {
		s, base := start(t)
		_ = s.Faults.Set(sandboxkit.FaultNoBalance, "on")
		a := do(t, http.MethodPost, base+"/recharge", recharge("B1"))
		if want := "{\n\"error\":3,\n\"msg\":\"Insufficient balance in wallet\",\n}"; a.body != want {
			t.Fatalf("%q, want %q", a.body, want)
		}
		if s.Orders() != 0 || s.Charged("B1") != 0 {
			t.Fatal("stored")
		}
		s.Faults.Reset()
		if a := do(t, http.MethodPost, base+"/recharge", recharge("B1")); sloppy(t, a.body)["status"] != "1" {
			t.Fatalf("not processed means process again: %s", a.body)
		}
	})
	t.Run("real shortfall", func(t *testing.T) {
		s, base := start(t)
		b := strings.Replace(recharge("B2"), `"amount":10`, `"amount":10000.01`, 1)
		if f := sloppy(t, do(t, http.MethodPost, base+"/recharge", b).body); f["error"] != "3" {
			t.Fatalf("%v", f)
		}
		if s.Orders() != 0 {
			t.Fatal("stored")
		}
	})
	t.Run("pending", func(t *testing.T) {
		s, base := start(t, ExtStatus)
		_ = s.Faults.Set(sandboxkit.FaultPending, "2")
		a := do(t, http.MethodPost, base+"/recharge", recharge("P1"))
		wantFields(t, sloppy(t, a.body), map[string]string{"status": "2", "msg": "order in queue", "optransid": "", "commission": "0"})
		s.Faults.Reset()
		for i, want := range []string{"2", "2", "1", "1"} {
			f := sloppy(t, do(t, http.MethodGet, base+StatusPath+"?partner_request_id=P1", "").body)
			if f["status"] != want {
				t.Fatalf("look-up %d: status %s, want %s", i+1, f["status"], want)
			}
			if want == "1" {
				wantFields(t, f, map[string]string{"msg": "success", "optransid": "OPR000000001", "commission": "0.2"})
			}
		}
		if s.Balance().Cmp(money.MustParse("9990.2")) != 0 || s.Charged("P1") != 1 {
			t.Fatalf("balance %s", s.Balance())
		}
	})
}

func TestStatusExtension(t *testing.T) {
	s, base := start(t, ExtStatus)
	do(t, http.MethodPost, base+"/recharge", recharge("S1"))
	tests := []struct {
		name, method, path, body string
		want                     map[string]string
	}{
		{"by reference, POST JSON", http.MethodPost, StatusPath, `{"partner_request_id":"S1"}`, map[string]string{"error": "0", "status": "1", "partnerreqid": "S1", "user_var1": "u1"}},
		{"by reference, GET", http.MethodGet, LegacyStatusPath + "?partner_request_id=S1", "", map[string]string{"status": "1"}},
		{"by order id", http.MethodPost, StatusPath, `{"order_id":"da9842e1-f561-4728-827b-000000000001"}`, map[string]string{"status": "1", "partnerreqid": "S1"}},
		{"unknown", http.MethodPost, StatusPath, `{"partner_request_id":"NOPE"}`, map[string]string{"error": "1", "msg": "Transaction not found"}},
		{"no reference", http.MethodPost, StatusPath, `{}`, map[string]string{"error": "2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := do(t, tc.method, base+tc.path, tc.body)
			if a.code != 200 {
				t.Fatalf("%d %s", a.code, a.body)
			}
			wantFields(t, sloppy(t, a.body), tc.want)
		})
	}
	t.Run("SetStatus", func(t *testing.T) {
		look := func() map[string]string {
			return sloppy(t, do(t, http.MethodPost, base+StatusPath, `{"partner_request_id":"S1"}`).body)
		}
		s.SetStatus("S1", StatusFailure)
		if s.Charged("S1") != 0 || s.Balance().Cmp(money.FromInt(StartBalance)) != 0 {
			t.Fatalf("failure not refunded: %s", s.Balance())
		}
		wantFields(t, look(), map[string]string{"status": "3", "msg": "failure", "commission": "0"})
		s.SetStatus("S1", StatusPending)
		for range 3 {
			wantFields(t, look(), map[string]string{"status": "2", "msg": "order in queue"})
		}
		if s.Charged("S1") != 1 || s.Balance().Cmp(money.FromInt(9990)) != 0 {
			t.Fatalf("pending: balance %s", s.Balance())
		}
		s.SetStatus("S1", StatusSuccess)
		wantFields(t, look(), map[string]string{"status": "1"})
		if s.Balance().Cmp(money.MustParse("9990.2")) != 0 {
			t.Fatalf("success: balance %s", s.Balance())
		}
		s.SetStatus("NOPE", 1) // ignored
		s.SetStatus("S1", 7)   // ignored
		wantFields(t, look(), map[string]string{"status": "1"})
	})
}

func TestBalanceExtension(t *testing.T) {
	_, base := start(t, ExtBalance)
	for _, p := range []string{BalancePath, LegacyBalancePath} {
		a := do(t, http.MethodGet, base+p, "")
		var m map[string]any
		if err := json.Unmarshal([]byte(a.body), &m); err != nil || m["wallet_amount"] != "10000.00" || m["error"] != float64(0) {
			t.Fatalf("%s: %q %v", p, a.body, err)
		}
	}
	do(t, http.MethodPost, base+"/recharge", recharge("W1"))
	a := do(t, http.MethodPost, base+BalancePath, "")
	if !strings.Contains(a.body, `"wallet_amount":"9990.20"`) {
		t.Fatalf("after a sale: %s", a.body)
	}
}

func TestSigninExtension(t *testing.T) {
	s, base := start(t, ExtSignin, ExtStatus)
	signin := func(body string) (string, string) {
		a := do(t, http.MethodPost, base+SigninPath, body)
		var m struct {
			Error int
			Msg   string
			Token string
		}
		if err := json.Unmarshal([]byte(a.body), &m); err != nil {
			t.Fatalf("signin answer %q: %v", a.body, err)
		}
		return m.Token, m.Msg
	}
	if tok, msg := signin(`{"username":"kiosk-demo","password":"wrong"}`); tok != "" || msg != "Invalid username or password" {
		t.Fatalf("bad password: %q %q", tok, msg)
	}
	if a := do(t, http.MethodPost, base+SigninPath+"?username="+Username+"&password="+Password, ""); strings.Contains(a.body, "token") {
		t.Fatal("credentials in the query accepted")
	}
	if tok, _ := signin(`{"Username":"kiosk-demo","Password":"demo-pass-2024"}`); tok != "" {
		t.Fatal("keys are lower-case")
	}
	tok, _ := signin(`{"username":"` + Username + `","password":"` + Password + `"}`)
	if tok == "" {
		t.Fatal("no token")
	}
	if a := do(t, http.MethodGet, base+SigninPath, ""); a.code != 405 {
		t.Fatalf("GET signin: %d", a.code)
	}
	tests := []struct {
		name string
		hdr  []string
		code int
	}{
		{"no token", nil, 401},
		{"wrong token", []string{"Authorization", "Bearer nope"}, 401},
		{"not bearer", []string{"Authorization", tok}, 401},
		{"token", []string{"Authorization", "Bearer " + tok}, 200},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := do(t, http.MethodPost, base+"/recharge", recharge("T"+strconv.Itoa(i)), tc.hdr...)
			if a.code != tc.code {
				t.Fatalf("%d %s", a.code, a.body)
			}
			if tc.code == 200 && sloppy(t, a.body)["status"] != "1" {
				t.Fatal(a.body)
			}
			st := do(t, http.MethodPost, base+StatusPath, `{"partner_request_id":"T3"}`, tc.hdr...)
			if st.code != tc.code {
				t.Fatalf("status call: %d", st.code)
			}
		})
	}
	s.ExpireTokens()
	if a := do(t, http.MethodPost, base+"/recharge", recharge("T9"), "Authorization", "Bearer "+tok); a.code != 401 {
		t.Fatalf("expired token accepted: %d", a.code)
	}
	tok2, _ := signin(`{"username":"` + Username + `","password":"` + Password + `"}`)
	if tok2 == tok || tok2 == "" {
		t.Fatal("no fresh token")
	}
	if a := do(t, http.MethodPost, base+"/nowhere", "", "Authorization", "Bearer "+tok2); a.code != 404 {
		t.Fatalf("unknown path: %d", a.code)
	}
}

func TestLegacyAuthExtension(t *testing.T) {
	creds := "partner_id=" + PartnerID + "&api_password=" + APIPassword
	q := "mobile_no=9679833706&operator_code=1&amount=10&circle=23&recharge_type=1&partner_request_id="
	for _, ext := range [][]string{{ExtLegacyAuth, ExtStatus, ExtBalance}, {ExtLegacyAuth, ExtSignin, ExtStatus, ExtBalance}} {
		t.Run(strings.Join(ext, "+"), func(t *testing.T) {
			s, base := start(t, ext...)
			tests := []struct {
				name, method, path string
				want               map[string]any
			}{
				{"bad password", http.MethodGet, "/recharge?partner_id=" + PartnerID + "&api_password=x&" + q + "L0",
					map[string]any{"ERROR": float64(2), "STATUS": float64(3), "MESSAGE": "Invalid partner id or api password"}},
				{"recharge GET", http.MethodGet, "/recharge?" + creds + "&" + q + "L1",
					map[string]any{"ERROR": float64(0), "STATUS": float64(1), "PARTNERREQID": "L1", "ORDERID": "da9842e1-f561-4728-827b-000000000001",
						"OPTRANSID": "OPR000000001", "MESSAGE": "success", "USERVAR1": "", "COMMISSION": "0.2000"}},
				{"duplicate", http.MethodPost, "/recharge?" + creds + "&" + q + "L1",
					map[string]any{"ERROR": float64(1), "STATUS": float64(3), "MESSAGE": "Duplicate order, Order ID must be unique"}},
				{"invalid", http.MethodPost, "/recharge?" + creds + "&" + strings.Replace(q, "circle=23", "circle=99", 1) + "L2",
					map[string]any{"ERROR": float64(2), "MESSAGE": "Invalid circle code"}},
				{"status", http.MethodGet, LegacyStatusPath + "?" + creds + "&partner_request_id=L1",
					map[string]any{"ERROR": float64(0), "STATUS": float64(1), "PARTNERREQID": "L1"}},
				{"balance", http.MethodGet, LegacyBalancePath + "?" + creds,
					map[string]any{"ERROR": float64(0), "WALLET_AMOUNT": "9990.20"}},
			}
			for _, tc := range tests {
				a := do(t, tc.method, base+tc.path, "")
				m := legacyJSON(t, a.body)
				for k, v := range tc.want {
					if m[k] != v {
						t.Errorf("%s: %s = %v, want %v (%s)", tc.name, k, m[k], v, a.body)
					}
				}
			}
			if s.Charged("L1") != 1 || s.Orders() != 1 {
				t.Fatalf("charged %d orders %d", s.Charged("L1"), s.Orders())
			}
			// Without the older API's parameters: refused (legacy only) or
			// needs the bearer (signin also on).
			a := do(t, http.MethodPost, base+"/recharge", recharge("L3"))
			if len(ext) == 3 {
				if m := legacyJSON(t, a.body); m["ERROR"] != float64(2) {
					t.Fatalf("no credentials: %s", a.body)
				}
			} else if a.code != 401 {
				t.Fatalf("no credentials with signin on: %d %s", a.code, a.body)
			}
		})
	}
}
