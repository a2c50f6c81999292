package alqimah

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/providers"
)

// scripted answers every API call with one fixed answer after a real login,
// and records what the client sent.
type scripted struct {
	code int
	body string

	mu      sync.Mutex
	calls   int
	logins  int
	methods []string
	bodies  []string
	idem    bool
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.methods = append(s.methods, r.Method)
	s.idem = s.idem || r.Header.Get("Idempotency-Key") != ""
	if strings.HasSuffix(r.URL.Path, "/login") {
		s.logins++
		s.mu.Unlock()
		exp := time.Now().Add(time.Hour).In(serverZone).Format(expiryLayout)
		_, _ = io.WriteString(w, `{"status":true,"message":"Login Successful","access_token":"t`+itoa(int64(s.logins))+`","token_expires":"`+exp+`"}`)
		return
	}
	s.calls++
	s.bodies = append(s.bodies, string(b))
	s.mu.Unlock()
	w.WriteHeader(s.code)
	_, _ = io.WriteString(w, s.body)
}

func scriptedClient(t *testing.T, code int, body string) (*scripted, *Client) {
	t.Helper()
	s := &scripted{code: code, body: body}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := New(SandboxConfig(srv.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// topUpQuote is a quote built without a server, for scripted purchases.
func topUpQuote(t *testing.T, c *Client) providers.Quote {
	t.Helper()
	q := providers.Quote{Product: c.topUp(YemenMobile), Fields: mobile("771234567"), Extra: map[string]string{xAmount: "500"}}
	return q
}

func TestPurchaseBadAnswers(t *testing.T) {
	tests := []struct {
		name    string
		code    int
		body    string
		refused bool
		errCode string
		says    string
	}{
		{"html", 200, "<html><body>Service Unavailable</body></html>", false, "bad_answer", "HTML page"},
		{"truncated", 200, `{"status": true, "operationStatus": 1, "price": 50`, false, "bad_answer", "malformed or truncated"},
		{"empty", 200, "", false, "bad_answer", "empty"},
		{"garbage", 200, "OK", false, "bad_answer", "malformed"},
		{"no operationStatus", 200, `{"status": true, "price": 500}`, false, "bad_answer", "malformed"},
		{"server error", 502, `{"status": false, "message": "Bad gateway"}`, false, "http_502", "server error"},
		{"other transaction", 200, `{"status": true, "operationStatus": 1, "price": 500, "transactionID": "99", "referenceID": 1}`, false, "bad_answer", `"99"`},
		{"unrecognised refusal", 200, seedError, false, string(kindUnknown), "Error Message"},
		{"in progress", 200, `{"status": false, "message": "العملية قيد المعالجة"}`, false, string(kindInProgress), "قيد المعالجة"},
		{"bad number", 200, `{"status": false, "message": "` + msgBadNumber + `"}`, true, string(kindBadNumber), msgBadNumber},
		{"token refused", 200, `{"status": false, "message": "Invalid api token"}`, true, string(kindAuth), "nothing was sold"},
		{"401", 401, ``, true, string(kindAuth), "nothing was sold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := scriptedClient(t, tt.code, tt.body)
			_, err := c.Purchase(testCtx(t, 5*time.Second), providers.PurchaseRequest{Ref: "8001000010000001", Quote: topUpQuote(t, c)})
			pe := wantCode(t, err, tt.refused, tt.errCode)
			if !strings.Contains(pe.Message, tt.says) {
				t.Errorf("message %q does not say %q", pe.Message, tt.says)
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.calls != 1 {
				t.Errorf("purchase sent %d times", s.calls)
			}
			for _, m := range s.methods {
				if m != http.MethodPost {
					t.Errorf("sent a %s", m)
				}
			}
			if s.idem {
				t.Error("sent an Idempotency-Key")
			}
		})
	}
}

func TestPurchaseWireBody(t *testing.T) {
	s, c := scriptedClient(t, 200, seedPayment)
	_, err := c.Purchase(testCtx(t, 5*time.Second), providers.PurchaseRequest{Ref: "8001000010000002", Quote: topUpQuote(t, c)})
	// The seed's answer echoes TransactionID "1", not ours: in doubt.
	wantCode(t, err, false, "bad_answer")
	s.mu.Lock()
	defer s.mu.Unlock()
	want := `{"Amount":500,"MobileNumber":"771234567","NetworkNumber":1,"ServiceNumber":103,"TransactionID":"8001000010000002"}`
	if s.bodies[0] != want {
		t.Errorf("body\n got %s\nwant %s", s.bodies[0], want)
	}
}

func TestQueryBadAnswers(t *testing.T) {
	tests := []struct {
		name, body, says string
		code             int
		calls            int
	}{
		{"html", "<!DOCTYPE html><p>error</p>", "HTML page", 200, 1},
		{"truncated", `{"status": true, "agentBal`, "malformed or truncated", 200, 1},
		{"refusal", seedError, "Error Message", 200, 1},
		{"token refused twice", `{"status": false, "message": "Token expired"}`, "check account_number", 200, 2},
		{"503", "busy", "server error", 503, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := scriptedClient(t, tt.code, tt.body)
			_, err := c.Balance(testCtx(t, 5*time.Second))
			if err == nil || !strings.Contains(providers.ClerkMessage(err), tt.says) {
				t.Fatalf("err = %v, want it to say %q", err, tt.says)
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.calls != tt.calls || s.logins != tt.calls {
				t.Errorf("calls %d logins %d, want %d", s.calls, s.logins, tt.calls)
			}
		})
	}
	_, c := scriptedClient(t, 200, seedError)
	if _, err := c.Status(testCtx(t, 5*time.Second), providers.SaleRef{Ref: "1"}); err == nil {
		t.Error("an unrecognised status refusal was taken as an answer")
	}
}
