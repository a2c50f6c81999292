package alqimahsim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
)

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// seedLogin is the moment that gives the seed's token_expires
// "2024-08-05 19:31:45" (seed L104) with a one-hour TTL, in UTC.
var seedLogin = time.Date(2024, 8, 5, 18, 31, 45, 0, time.UTC)

type rig struct {
	t   *testing.T
	sim *Server
	srv *httptest.Server
	clk *clock
	tok string
}

func newRig(t *testing.T, opt Options) *rig {
	t.Helper()
	clk := &clock{t: seedLogin}
	if opt.Now == nil {
		opt.Now = clk.Now
	}
	sim, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &rig{t: t, sim: sim, srv: srv, clk: clk}
}

// answer is a decoded body; numbers stay json.Number so a test can tell a
// number from a string.
type answer map[string]any

func decode(t *testing.T, b []byte) answer {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var a answer
	if err := d.Decode(&a); err != nil {
		t.Fatalf("answer is not a JSON object: %v: %s", err, b)
	}
	return a
}

// canon decodes JSON text for comparison, numbers kept as json.Number.
func canon(t *testing.T, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("bad JSON in test: %v: %s", err, s)
	}
	return v
}

func (r *rig) do(ctx context.Context, method, path, token, contentType string, body any) (*http.Response, []byte, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.srv.URL+path, rd)
	if err != nil {
		return nil, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("api-token", token)
	}
	resp, err := r.srv.Client().Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// post sends a JSON request to path and wants HTTP 200.
func (r *rig) post(path, token string, body any) answer {
	r.t.Helper()
	resp, b, err := r.do(context.Background(), http.MethodPost, path, token, "application/json", body)
	if err != nil {
		r.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		r.t.Fatalf("POST %s: HTTP %d: %s", path, resp.StatusCode, b)
	}
	return decode(r.t, b)
}

func (r *rig) login() string {
	r.t.Helper()
	a := r.post("/rest-api/login", "", map[string]any{
		"AccountNumber": AccountNumber, "UserName": UserName,
		"Token": LoginToken(UserName, AccountNumber, Password, APIToken),
	})
	if a["status"] != true {
		r.t.Fatalf("login refused: %v", a)
	}
	r.tok = a["access_token"].(string)
	return r.tok
}

// api sends a request to /rest-api/ with the rig's token.
func (r *rig) api(body map[string]any) answer {
	r.t.Helper()
	if r.tok == "" {
		r.login()
	}
	return r.post("/rest-api/", r.tok, body)
}

func wantFail(t *testing.T, a answer, contains string) {
	t.Helper()
	if a["status"] != false || len(a) != 2 {
		t.Fatalf("want the seed's error shape {status:false, message}, got %v", a)
	}
	if msg, _ := a["message"].(string); !strings.Contains(msg, contains) {
		t.Fatalf("message %q does not contain %q", msg, contains)
	}
}

func TestLoginTokenRecipe(t *testing.T) {
	// Expected values computed outside Go, with md5sum, from the seed's
	// recipe (L23) and its C# example values (L39-42).
	tests := []struct{ user, account, password, apiToken, want string }{
		{"YourUserName", "YourAccountNumber", "YourPassword", "YourApiToken", "faff96f59f943d56a5ed279e82060442"},
		{UserName, AccountNumber, Password, APIToken, "395be7655906730aadec7d6b46011f79"},
	}
	for _, tt := range tests {
		if got := LoginToken(tt.user, tt.account, tt.password, tt.apiToken); got != tt.want {
			t.Errorf("LoginToken(%s) = %s, want %s", tt.user, got, tt.want)
		}
	}
	if got := md5hex("YourPassword"); got != "40b60d6b8ce8a0b51afa7d3d84438029" {
		t.Errorf("md5(YourPassword) = %s", got)
	}
}

func TestLogin(t *testing.T) {
	good := LoginToken(UserName, AccountNumber, Password, APIToken)
	tests := []struct {
		name        string
		contentType string
		body        any
		fail        string // "" for success
	}{
		{"seed fields", "application/json", map[string]any{"AccountNumber": AccountNumber, "UserName": UserName, "Token": good}, ""},
		{"account as a number", "application/json; charset=utf-8", map[string]any{"AccountNumber": 100200, "UserName": UserName, "Token": good}, ""},
		{"wrong password", "application/json", map[string]any{"AccountNumber": AccountNumber, "UserName": UserName, "Token": LoginToken(UserName, AccountNumber, "nope", APIToken)}, "Invalid login"},
		{"token in upper case", "application/json", map[string]any{"AccountNumber": AccountNumber, "UserName": UserName, "Token": strings.ToUpper(good)}, "Invalid login"},
		{"plain password sent", "application/json", map[string]any{"AccountNumber": AccountNumber, "UserName": UserName, "Token": Password}, "Invalid login"},
		{"no Token", "application/json", map[string]any{"AccountNumber": AccountNumber, "UserName": UserName}, "Token is required"},
		{"no AccountNumber", "application/json", map[string]any{"UserName": UserName, "Token": good}, "AccountNumber is required"},
		{"key casing", "application/json", map[string]any{"accountNumber": AccountNumber, "userName": UserName, "token": good}, "is required"},
		{"not JSON", "application/json", "AccountNumber=100200", "Invalid request body"},
		{"form content type", "application/x-www-form-urlencoded", map[string]any{"AccountNumber": AccountNumber, "UserName": UserName, "Token": good}, "Content-Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Options{})
			resp, b, err := r.do(context.Background(), http.MethodPost, "/rest-api/login", "", tt.contentType, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 200 {
				t.Fatalf("HTTP %d", resp.StatusCode)
			}
			a := decode(t, b)
			if tt.fail != "" {
				wantFail(t, a, tt.fail)
				if r.sim.Logins() != 0 {
					t.Fatal("a refused login was counted")
				}
				return
			}
			// seed L100-105
			if a["status"] != true || a["message"] != "Login Successful" || a["token_expires"] != "2024-08-05 19:31:45" {
				t.Fatalf("answer %v", a)
			}
			if tok, _ := a["access_token"].(string); len(tok) != 32 {
				t.Fatalf("access_token %q", tok)
			}
			if r.sim.Logins() != 1 {
				t.Fatalf("Logins = %d", r.sim.Logins())
			}
		})
	}
}

func TestTokens(t *testing.T) {
	aden := time.FixedZone("AST", 3*3600)
	r := newRig(t, Options{Zone: aden})
	r.clk.t = seedLogin.Add(-3 * time.Hour) // 15:31:45 UTC is 18:31:45 in Aden
	r.sim.TokenTTL = 30 * time.Minute
	a := r.post("/rest-api/login", "", map[string]any{"AccountNumber": AccountNumber, "UserName": UserName, "Token": LoginToken(UserName, AccountNumber, Password, APIToken)})
	if a["token_expires"] != "2024-08-05 19:01:45" {
		t.Fatalf("token_expires %v, want the server's local time", a["token_expires"])
	}
	tok := a["access_token"].(string)
	balance := map[string]any{"NetworkNumber": 0, "ServiceNumber": 1}

	if a := r.post("/rest-api/", tok, balance); a["status"] != true {
		t.Fatalf("fresh token refused: %v", a)
	}
	r.clk.Add(30*time.Minute - time.Second)
	if a := r.post("/rest-api/", tok, balance); a["status"] != true {
		t.Fatalf("token refused before it expired: %v", a)
	}
	r.clk.Add(time.Second)
	wantFail(t, r.post("/rest-api/", tok, balance), "api-token")

	tok2 := r.login()
	if tok2 == tok {
		t.Fatal("a new login gave the same token")
	}
	r.sim.RevokeTokens()
	wantFail(t, r.post("/rest-api/", tok2, balance), "api-token")
	wantFail(t, r.post("/rest-api/", "", balance), "api-token")
	wantFail(t, r.post("/rest-api/", "0123456789abcdef0123456789abcdef", balance), "api-token")
	if r.sim.Logins() != 2 {
		t.Fatalf("Logins = %d", r.sim.Logins())
	}
}

func TestGlobalOperations(t *testing.T) {
	r := newRig(t, Options{})
	tests := []struct {
		name string
		body map[string]any
		want string
	}{
		{"0/1 balance (seed L139-144)", map[string]any{"NetworkNumber": 0, "ServiceNumber": 1},
			`{"status": true, "agentBalance": 1000000, "message": "Agent Balance Query Success", "transactionID": 0}`},
		{"0/1 with numbers as strings", map[string]any{"NetworkNumber": "0", "ServiceNumber": "1"},
			`{"status": true, "agentBalance": 1000000, "message": "Agent Balance Query Success", "transactionID": 0}`},
		{"0/3 feed (seed L234-251)", map[string]any{"NetworkNumber": 0, "ServiceNumber": 3},
			`{"status": true, "data": [
			  {"Date": "2024-08-03", "Amount": "70000.00000", "Currency": "ريال يمني", "Notes": "تغذية حساب - Notes"},
			  {"Date": "2024-08-01", "Amount": "100000.00000", "Currency": "ريال يمني", "Notes": "Notes"}],
			  "message": "Query Success"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.api(tt.body)
			if want := canon(t, tt.want); !reflect.DeepEqual(map[string]any(got), want) {
				t.Fatalf("got  %v\nwant %v", got, want)
			}
		})
	}

	t.Run("0/4 categories (seed L273-359)", func(t *testing.T) {
		a := r.api(map[string]any{"NetworkNumber": 0, "ServiceNumber": 4})
		if a["status"] != true || a["message"] != "Success" || a["transactionID"] != "1" {
			t.Fatalf("answer %v", a)
		}
		data := a["data"].([]any)
		if len(data) != 8 {
			t.Fatalf("%d categories", len(data))
		}
		seed := canon(t, `[{"TheNumber": 968, "ServiceName": "شدات بوبجي - Pubg UC", "CategoryName": "شدات بوبجي ( 60 شدة )",
		  "GameUnitsCount": 60, "LinkCode": "pubg_60", "Price": 0.9, "CurrencyName": "دولار", "LocalPrice": 495,
		  "LocalCurrencyName": "ريال يمني", "AllowFreeQuantity": false, "MinQuantity": 1, "MaxQuantity": 1,
		  "RequiredFields": [{"FieldCode": "PlayerID", "FieldName": "رقم ايدي - اللاعب"}]},
		 {"TheNumber": 969, "ServiceName": "شدات بوبجي - Pubg UC", "CategoryName": "شدات بوبجي ( 120 شدة )",
		  "GameUnitsCount": 120, "LinkCode": "pubg_120", "Price": 1.81, "CurrencyName": "دولار", "LocalPrice": 995.5,
		  "LocalCurrencyName": "ريال يمني", "AllowFreeQuantity": false, "MinQuantity": 1, "MaxQuantity": 1,
		  "RequiredFields": [{"FieldCode": "PlayerID", "FieldName": "رقم ايدي - اللاعب"}]},
		 {"TheNumber": 970, "ServiceName": "شدات بوبجي - Pubg UC", "CategoryName": "شدات بوبجي ( 325 شدة )",
		  "GameUnitsCount": 325, "LinkCode": "pubg_325", "Price": 4.38, "CurrencyName": "دولار", "LocalPrice": 2409,
		  "LocalCurrencyName": "ريال يمني", "AllowFreeQuantity": false, "MinQuantity": 1, "MaxQuantity": 1,
		  "RequiredFields": [{"FieldCode": "PlayerID", "FieldName": "رقم ايدي - اللاعب"}]},
		 {"TheNumber": 971, "ServiceName": "شدات بوبجي - Pubg UC", "CategoryName": "شدات بوبجي ( 385 شدة )",
		  "GameUnitsCount": 385, "LinkCode": "pubg_385", "Price": 5.2, "CurrencyName": "دولار", "LocalPrice": 2860,
		  "LocalCurrencyName": "ريال يمني", "AllowFreeQuantity": false, "MinQuantity": 1, "MaxQuantity": 1,
		  "RequiredFields": [{"FieldCode": "PlayerID", "FieldName": "رقم ايدي - اللاعب"}]}]`)
		if !reflect.DeepEqual(data[:4], seed) {
			t.Fatalf("the seed's four categories differ:\n%v\n%v", data[:4], seed)
		}
	})

	t.Run("errors", func(t *testing.T) {
		wantFail(t, r.api(map[string]any{"NetworkNumber": 0, "ServiceNumber": 9}), "Invalid network or service")
		wantFail(t, r.api(map[string]any{"ServiceNumber": 1}), "NetworkNumber is required")
		wantFail(t, r.api(map[string]any{"networkNumber": 0, "serviceNumber": 1}), "NetworkNumber is required")
		wantFail(t, r.api(map[string]any{"NetworkNumber": "zero", "ServiceNumber": 1}), "NetworkNumber is invalid")
		wantFail(t, r.api(map[string]any{"NetworkNumber": 0}), "ServiceNumber is required")
		wantFail(t, r.api(map[string]any{"NetworkNumber": 9, "ServiceNumber": 999, "TransactionID": "1"}), "Invalid network or service")
	})
}

func TestQueries(t *testing.T) {
	tests := []struct {
		name    string
		network int
		service int
		want    string // the seed's answer, for TransactionID "1"
	}{
		{"1/101 Yemen Mobile balance (seed L397-405)", 1, 101,
			`{"status": true, "mobileBalance": 154.15, "availableCredit": "", "mobileType": 1, "mobileTypeName": "دفع مسبق", "message": "Balance Query Success", "transactionID": 0}`},
		{"1/102 loan (seed L410-415)", 1, 102,
			`{"status": true, "loanStatus": false, "loanStatusString": "الرقم غير متسلف", "message": "Balance Query Success"}`},
		{"1/107 offers (seed L417-458, the old sandbox's four)", 1, 107,
			`{"status": true, "data": [
			 {"offerID": "A115887147", "offerName": "شريحه 4G", "offerStartDate": "2020-01-01 03:00:00", "offerEndDate": "2037-01-01 00:00:00"},
			 {"offerID": "A4990006", "offerName": "باقة مزايا فورجي فولتي الشهريه دفع مسبق", "offerStartDate": "2024-07-21 17:14:06", "offerEndDate": "2024-08-19 23:59:59"},
			 {"offerID": "A3825", "offerName": "دفع مسبق باقة نت توفير فورجي 5 جيجا الشهرية", "offerStartDate": "2024-07-26 18:01:40", "offerEndDate": "2024-08-24 23:59:59"},
			 {"offerID": "A101045", "offerName": "خدمة فولتي - VoLTE", "offerStartDate": "2024-07-09 11:01:20", "offerEndDate": "2037-01-01 00:00:00"}],
			 "message": "Balance Query Success"}`},
		{"5/501 ADSL (seed L460-468)", 5, 501,
			`{"status": true, "mobileBalance": "44.18 جيجابايت", "expiredDate": "21/10/2024", "offerAmount": "12600", "minAmount": "250", "message": "Balance Query Success", "transactionID": "1"}`},
		{"6/601 landline (seed L470-475)", 6, 601,
			`{"status": true, "mobileBalance": "2869", "message": "Balance Query Success", "transactionID": "1"}`},
		{"7/701 Yemen 4G (seed L477-486)", 7, 701,
			`{"status": true, "mobileBalance": "26.90جيجابايت", "expiredDate": "2024-11-06", "offerAmount": "2400", "offerSize": "2400", "callBalance": "", "message": "Balance Query Success", "transactionID": "1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Options{})
			got := r.api(map[string]any{"NetworkNumber": tt.network, "ServiceNumber": tt.service, "MobileNumber": "777777777", "TransactionID": "1"})
			if want := canon(t, tt.want); !reflect.DeepEqual(map[string]any(got), want) {
				t.Fatalf("got  %v\nwant %v", got, want)
			}
			// seed L375: the TransactionID is unique for every request.
			wantFail(t, r.api(map[string]any{"NetworkNumber": tt.network, "ServiceNumber": tt.service, "MobileNumber": "777777777", "TransactionID": "1"}), "TransactionID already exists")
		})
	}

	r := newRig(t, Options{})
	errs := []struct {
		name string
		body map[string]any
		want string
	}{
		{"no MobileNumber", map[string]any{"NetworkNumber": 1, "ServiceNumber": 101, "TransactionID": "q1"}, "MobileNumber is required"},
		{"letters in the number", map[string]any{"NetworkNumber": 1, "ServiceNumber": 101, "MobileNumber": "77777777a", "TransactionID": "q2"}, "Invalid subscriber number"},
		{"too short", map[string]any{"NetworkNumber": 6, "ServiceNumber": 601, "MobileNumber": "12345", "TransactionID": "q3"}, "Invalid subscriber number"},
		{"no TransactionID", map[string]any{"NetworkNumber": 1, "ServiceNumber": 101, "MobileNumber": "777777777"}, "TransactionID is required"},
		{"unknown subscriber", map[string]any{"NetworkNumber": 1, "ServiceNumber": 101, "MobileNumber": UnknownSubscriber, "TransactionID": "q4"}, "Subscriber not found"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) { wantFail(t, r.api(tt.body), tt.want) })
	}
}

type buy map[string]any

func TestPayments(t *testing.T) {
	tests := []struct {
		name  string
		body  buy
		price string // "" when refused
		fail  string
	}{
		{"Yemen Mobile by amount (seed L507-513)", buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "Amount": 100, "TransactionID": "1"}, "100", ""},
		{"amount as a string", buy{"NetworkNumber": "1", "ServiceNumber": "103", "MobileNumber": "777777777", "Amount": "250.50", "TransactionID": 1}, "250.5", ""},
		{"Sabafon units × 1.21 (seed L511)", buy{"NetworkNumber": 2, "ServiceNumber": 201, "MobileNumber": "712345678", "Amount": 10, "TransactionID": "1"}, "12.1", ""},
		{"YOU units × 1.18", buy{"NetworkNumber": 3, "ServiceNumber": 301, "MobileNumber": "733333333", "Amount": 100, "TransactionID": "1"}, "118", ""},
		{"ADSL by amount", buy{"NetworkNumber": 5, "ServiceNumber": 502, "MobileNumber": "10123456", "Amount": 12600, "TransactionID": "1"}, "12600", ""},
		{"offer PREWhatsApp on 2/202 (seed L556-559)", buy{"NetworkNumber": 2, "ServiceNumber": 202, "MobileNumber": "712345678", "OfferCode": "PREWhatsApp", "TransactionID": "1"}, "500", ""},
		{"Yemen Mobile offer", buy{"NetworkNumber": 1, "ServiceNumber": 104, "MobileNumber": "777777777", "OfferCode": "A4990006", "TransactionID": "1"}, "2500", ""},
		{"game pubg_60, Fields as an object (seed L598-606)", buy{"NetworkNumber": 8, "ServiceNumber": 801, "LinkCode": "pubg_60", "Fields": map[string]string{"PlayerID": "5123456789"}, "Quantity": 1, "TransactionID": "1"}, "495", ""},
		{"game, Fields as JSON text", buy{"NetworkNumber": 8, "ServiceNumber": 801, "MobileNumber": "777777777", "LinkCode": "mlbb_86", "Fields": `{"ZoneID":"2001","PlayerID":"123"}`, "TransactionID": "1"}, "880", ""},
		{"free quantity", buy{"NetworkNumber": 8, "ServiceNumber": 801, "LinkCode": "freefire_free", "Fields": map[string]string{"PlayerID": "9"}, "Quantity": 200, "TransactionID": "1"}, "1100", ""},
		{"gift card", buy{"NetworkNumber": 8, "ServiceNumber": 801, "LinkCode": "itunes_us_10", "Fields": map[string]string{"EmailAddress": "a@b.c"}, "Quantity": "1", "TransactionID": "1"}, "5720", ""},

		{"below Yemen Mobile's minimum", buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "Amount": 10, "TransactionID": "1"}, "", "Invalid amount"},
		{"zero amount", buy{"NetworkNumber": 4, "ServiceNumber": 401, "MobileNumber": "700000000", "Amount": 0, "TransactionID": "1"}, "", "Invalid amount"},
		{"fractional units", buy{"NetworkNumber": 2, "ServiceNumber": 201, "MobileNumber": "712345678", "Amount": 10.5, "TransactionID": "1"}, "", "Invalid amount"},
		{"no Amount", buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "TransactionID": "1"}, "", "Amount is required"},
		{"lower-case amount key", buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "amount": 100, "TransactionID": "1"}, "", "Amount is required"},
		{"no MobileNumber", buy{"NetworkNumber": 1, "ServiceNumber": 103, "Amount": 100, "TransactionID": "1"}, "", "MobileNumber is required"},
		{"no TransactionID", buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "Amount": 100}, "", "TransactionID is required"},
		{"unknown offer", buy{"NetworkNumber": 2, "ServiceNumber": 202, "MobileNumber": "712345678", "OfferCode": "A4990006", "TransactionID": "1"}, "", "Invalid OfferCode"},
		{"no OfferCode", buy{"NetworkNumber": 2, "ServiceNumber": 202, "MobileNumber": "712345678", "Amount": 500, "TransactionID": "1"}, "", "OfferCode is required"},
		{"unknown LinkCode", buy{"NetworkNumber": 8, "ServiceNumber": 801, "LinkCode": "pubg_61", "Fields": map[string]string{"PlayerID": "1"}, "TransactionID": "1"}, "", "LinkCode not found"},
		{"missing ZoneID", buy{"NetworkNumber": 8, "ServiceNumber": 801, "LinkCode": "mlbb_86", "Fields": map[string]string{"PlayerID": "1"}, "TransactionID": "1"}, "", "ZoneID is required"},
		{"Fields not JSON", buy{"NetworkNumber": 8, "ServiceNumber": 801, "LinkCode": "pubg_60", "Fields": "PlayerID=1", "TransactionID": "1"}, "", "Invalid Fields"},
		{"quantity on a fixed category", buy{"NetworkNumber": 8, "ServiceNumber": 801, "LinkCode": "pubg_60", "Fields": map[string]string{"PlayerID": "1"}, "Quantity": 2, "TransactionID": "1"}, "", "Invalid quantity"},
		{"free quantity below its minimum", buy{"NetworkNumber": 8, "ServiceNumber": 801, "LinkCode": "freefire_free", "Fields": map[string]string{"PlayerID": "1"}, "Quantity": 99, "TransactionID": "1"}, "", "Invalid quantity"},
		{"unknown service", buy{"NetworkNumber": 1, "ServiceNumber": 199, "MobileNumber": "777777777", "Amount": 100, "TransactionID": "1"}, "", "Invalid network or service"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Options{})
			a := r.api(tt.body)
			if tt.fail != "" {
				wantFail(t, a, tt.fail)
				if r.sim.Charged("1") != 0 || r.sim.Balance().Cmp(startBalance) != 0 {
					t.Fatal("a refused payment was charged")
				}
				return
			}
			price := money.MustParse(tt.price)
			after := startBalance.Sub(price)
			// seed L518-526: numbers for agentBalance, price and
			// referenceID, a string for transactionID.
			want := canon(t, fmt.Sprintf(`{"status": true, "operationStatus": 1, "agentBalance": %s, "price": %s,
				"message": "Payment succcess", "transactionID": "1", "referenceID": 243086}`, after, price))
			if !reflect.DeepEqual(map[string]any(a), want) {
				t.Fatalf("got  %v\nwant %v", a, want)
			}
			if r.sim.Charged("1") != 1 || r.sim.Balance().Cmp(after) != 0 {
				t.Fatalf("Charged %d, balance %s", r.sim.Charged("1"), r.sim.Balance())
			}
		})
	}
}

func TestDuplicateAndStatus(t *testing.T) {
	r := newRig(t, Options{})
	ym := func(id any) buy {
		return buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "Amount": 100, "TransactionID": id}
	}
	if a := r.api(ym("1234")); a["operationStatus"] != json.Number("1") {
		t.Fatalf("payment %v", a)
	}
	// seed L513: the same ID cannot be used for multiple transactions.
	wantFail(t, r.api(ym("1234")), "TransactionID already exists")
	wantFail(t, r.api(ym(1234)), "TransactionID already exists")
	if r.sim.Charged("1234") != 1 {
		t.Fatalf("Charged = %d", r.sim.Charged("1234"))
	}
	// A query's TransactionID is taken too (seed L375).
	r.api(buy{"NetworkNumber": 1, "ServiceNumber": 101, "MobileNumber": "777777777", "TransactionID": "q-1"})
	wantFail(t, r.api(ym("q-1")), "TransactionID already exists")

	// seed L177-186, with the seed's own TransactionID 1234: a number.
	got := r.api(buy{"NetworkNumber": 0, "ServiceNumber": 2, "TransactionID": "1234"})
	want := canon(t, `{"status": true, "operationStatus": 1, "mobileNumber": "777777777", "price": 100,
		"message": "جاهزة", "details": "Operation Notes", "transactionID": 1234, "referenceID": 243086}`)
	if !reflect.DeepEqual(map[string]any(got), want) {
		t.Fatalf("status got %v\nwant %v", got, want)
	}

	// The webhook example's TXN789 (seed L672) is a string in the answer.
	r.api(ym("TXN789"))
	got = r.api(buy{"NetworkNumber": 0, "ServiceNumber": 2, "TransactionID": "TXN789"})
	if got["transactionID"] != "TXN789" || got["referenceID"] != json.Number("243087") {
		t.Fatalf("status %v", got)
	}

	// The operator cancels a sale to FailingNumber: seed L188-197.
	a := r.api(buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": FailingNumber, "Amount": 100, "TransactionID": "c1"})
	if a["status"] != true || a["operationStatus"] != json.Number("0") || a["message"] != "ملغية" {
		t.Fatalf("cancelled payment %v", a)
	}
	if r.sim.Charged("c1") != 0 {
		t.Fatal("a cancelled sale was charged")
	}
	got = r.api(buy{"NetworkNumber": 0, "ServiceNumber": 2, "TransactionID": "c1"})
	if got["operationStatus"] != json.Number("0") || got["message"] != "ملغية" {
		t.Fatalf("status of a cancelled sale %v", got)
	}

	// A gift card's code is in details (seed L164).
	r.api(buy{"NetworkNumber": 8, "ServiceNumber": 801, "LinkCode": "itunes_us_10", "Fields": map[string]string{"EmailAddress": "a@b.c"}, "TransactionID": "g1"})
	got = r.api(buy{"NetworkNumber": 0, "ServiceNumber": 2, "TransactionID": "g1"})
	if got["details"] != "Code: X3089-GIFT-243089 - Serial: SN243089" {
		t.Fatalf("gift card status %v", got)
	}

	// Unknown TransactionID: the seed's generic error (L209-213).
	wantFail(t, r.api(buy{"NetworkNumber": 0, "ServiceNumber": 2, "TransactionID": "nope"}), "Transaction not found")
	wantFail(t, r.api(buy{"NetworkNumber": 0, "ServiceNumber": 2}), "TransactionID is required")

	// The real balance check.
	big := []Network{{Key: "open", Network: 1, Service: 103}}
	r2 := newRig(t, Options{Networks: big, Offers: []Offer{}})
	wantFail(t, r2.api(buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "Amount": 1000001, "TransactionID": "x"}), "Insufficient balance")
	if a := r2.api(buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "Amount": 1000000, "TransactionID": "x"}); a["agentBalance"] != json.Number("0") {
		t.Fatalf("whole balance %v", a)
	}
}

func TestFaults(t *testing.T) {
	pay := func(id string) buy {
		return buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "Amount": 100, "TransactionID": id}
	}
	t.Run("out-of-stock and no-balance", func(t *testing.T) {
		for _, f := range []string{sandboxkit.FaultOutOfStock, sandboxkit.FaultNoBalance} {
			r := newRig(t, Options{})
			_ = r.sim.Faults.Set(f, "on")
			wantFail(t, r.api(pay("1")), map[string]string{sandboxkit.FaultOutOfStock: "Service not available", sandboxkit.FaultNoBalance: "Insufficient balance"}[f])
			if r.sim.Charged("1") != 0 {
				t.Fatalf("%s: charged", f)
			}
			r.sim.Faults.Reset()
			if a := r.api(pay("1")); a["status"] != true {
				t.Fatalf("%s: the ID was taken by a refused sale: %v", f, a)
			}
		}
	})
	t.Run("latency", func(t *testing.T) {
		r := newRig(t, Options{})
		r.login()
		_ = r.sim.Faults.Set(sandboxkit.FaultLatency, "30ms")
		start := time.Now()
		r.api(buy{"NetworkNumber": 0, "ServiceNumber": 1})
		if d := time.Since(start); d < 30*time.Millisecond {
			t.Fatalf("answered after %v", d)
		}
	})
	for _, tt := range []struct {
		fault   string
		stage   string // the stage at which the client gives up; "" for none
		charged int
	}{
		{sandboxkit.FaultNoAnswer, sandboxkit.StageReceived, 0},
		{sandboxkit.FaultHangAfterCommit, sandboxkit.StageCommitted, 1},
		{sandboxkit.FaultCutAfterCommit, "", 1},
	} {
		t.Run(tt.fault, func(t *testing.T) {
			r := newRig(t, Options{})
			tok := r.login()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r.sim.Faults.OnStage(func(stage, ref string) {
				if stage == tt.stage {
					cancel()
				}
			})
			_ = r.sim.Faults.Set(tt.fault, "on")
			_, b, err := r.do(ctx, http.MethodPost, "/rest-api/", tok, "application/json", pay("7"))
			if err == nil {
				t.Fatalf("answered: %s", b)
			}
			if got := r.sim.Charged("7"); got != tt.charged {
				t.Fatalf("Charged = %d, want %d", got, tt.charged)
			}
			r.sim.Faults.Reset()
			r.sim.Faults.OnStage(nil)
			if tt.charged == 1 {
				wantFail(t, r.api(pay("7")), "TransactionID already exists")
				if a := r.api(buy{"NetworkNumber": 0, "ServiceNumber": 2, "TransactionID": "7"}); a["operationStatus"] != json.Number("1") {
					t.Fatalf("status after the fault %v", a)
				}
			}
		})
	}
	t.Run("pending", func(t *testing.T) {
		hooks := make(chan url.Values, 4)
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, q *http.Request) {
			if q.Method != http.MethodGet {
				t.Errorf("webhook method %s", q.Method)
			}
			hooks <- q.URL.Query()
		}))
		defer hook.Close()
		r := newRig(t, Options{})
		_ = r.sim.Faults.Set(sandboxkit.FaultPending, "2")
		body := pay("p1")
		body["WebHookURL"], body["WebHookCode"] = hook.URL+"/webhook", "xxxxxxxxx"
		a := r.api(body)
		if a["status"] != true || a["operationStatus"] != json.Number("-1") || a["message"] != "في الانتظار" {
			t.Fatalf("pending payment %v", a)
		}
		if r.sim.Charged("p1") != 1 {
			t.Fatal("a pending sale is not charged")
		}
		status := buy{"NetworkNumber": 0, "ServiceNumber": 2, "TransactionID": "p1"}
		for i, want := range []string{"-1", "-1", "1", "1"} {
			a := r.api(status)
			if a["operationStatus"] != json.Number(want) {
				t.Fatalf("poll %d: %v, want %s", i, a, want)
			}
		}
		select {
		case q := <-hooks: // the change to final calls back (seed L638)
			if q.Get("OperationStatus") != "1" || q.Get("WebHookCode") != "xxxxxxxxx" || q.Get("TransactionID") != "p1" {
				t.Fatalf("webhook %v", q)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no webhook after the sale became final")
		}
	})
}

func TestResolveAndWebhook(t *testing.T) {
	type call struct {
		path string
		q    url.Values
	}
	calls := make(chan call, 8)
	code := http.StatusOK
	var mu sync.Mutex
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, q *http.Request) {
		calls <- call{q.URL.Path, q.URL.Query()}
		mu.Lock()
		defer mu.Unlock()
		w.WriteHeader(code)
	}))
	defer hook.Close()

	r := newRig(t, Options{})
	_ = r.sim.Faults.Set(sandboxkit.FaultPending, "5")
	buyWith := func(id, hookURL string) {
		b := buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "Amount": "507.87", "TransactionID": id}
		if hookURL != "" {
			b["WebHookURL"], b["WebHookCode"] = hookURL, "code-"+id
		}
		if a := r.api(b); a["operationStatus"] != json.Number("-1") {
			t.Fatalf("not pending: %v", a)
		}
	}
	buyWith("TXN789", hook.URL+"/webhook")
	buyWith("TXN790", hook.URL+"/webhook?shop=1")
	buyWith("TXN791", "")

	if _, err := r.sim.SendWebhook("TXN789"); !errors.Is(err, ErrNotFinal) {
		t.Fatalf("SendWebhook of a pending sale: %v", err)
	}
	st, err := r.sim.Resolve("TXN789", true)
	if err != nil || st != 200 {
		t.Fatalf("Resolve = %d, %v", st, err)
	}
	c := <-calls
	// seed L643-650, L669-675
	want := url.Values{"OperationStatus": {"1"}, "WebHookCode": {"code-TXN789"}, "TransactionID": {"TXN789"},
		"ReferenceID": {"243086"}, "price": {"507.87"}, "message": {"Order Sucsses"}}
	if c.path != "/webhook" || !reflect.DeepEqual(c.q, want) {
		t.Fatalf("webhook %s %v", c.path, c.q)
	}
	if a := r.api(buy{"NetworkNumber": 0, "ServiceNumber": 2, "TransactionID": "TXN789"}); a["operationStatus"] != json.Number("1") {
		t.Fatalf("status after Resolve %v", a)
	}
	if _, err := r.sim.Resolve("TXN789", false); !errors.Is(err, ErrNotPending) {
		t.Fatalf("second Resolve: %v", err)
	}
	mu.Lock()
	code = http.StatusInternalServerError
	mu.Unlock()
	if st, err := r.sim.SendWebhook("TXN789"); err != nil || st != 500 {
		t.Fatalf("SendWebhook = %d, %v", st, err)
	}
	if c := <-calls; c.q.Get("OperationStatus") != "1" || c.q.Get("WebHookCode") != "code-TXN789" {
		t.Fatalf("replayed webhook %v", c.q)
	}

	before := r.sim.Balance()
	if st, err := r.sim.Resolve("TXN790", false); err != nil || st != 500 {
		t.Fatalf("Resolve(false) = %d, %v", st, err)
	}
	c = <-calls
	if c.q.Get("shop") != "1" || c.q.Get("OperationStatus") != "0" || c.q.Get("message") != "ملغية" {
		t.Fatalf("cancel webhook %v", c.q)
	}
	if r.sim.Charged("TXN790") != 0 || r.sim.Balance().Cmp(before.Add(money.MustParse("507.87"))) != 0 {
		t.Fatal("a cancelled sale kept its charge")
	}
	if st, err := r.sim.Resolve("TXN791", true); err != nil || st != 0 {
		t.Fatalf("Resolve without a webhook = %d, %v", st, err)
	}
	if _, err := r.sim.Resolve("none", true); err == nil || errors.Is(err, ErrNotPending) {
		t.Fatalf("Resolve of an unknown sale: %v", err)
	}
	if _, err := r.sim.SendWebhook("none"); err == nil {
		t.Fatal("SendWebhook of an unknown sale")
	}
}

func TestNotFound(t *testing.T) {
	r := newRig(t, Options{})
	tok := r.login()
	for _, tt := range []struct{ method, path string }{
		{http.MethodGet, "/rest-api/"},
		{http.MethodGet, "/rest-api/login"},
		{http.MethodPut, "/rest-api/"},
		{http.MethodPost, "/rest-api"},
		{http.MethodPost, "/rest-api/login/"},
		{http.MethodPost, "/rest-api/balance"},
		{http.MethodPost, "/"},
	} {
		resp, b, err := r.do(context.Background(), tt.method, tt.path, tok, "application/json", `{"NetworkNumber":0,"ServiceNumber":1}`)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 404 || strings.Contains(string(b), "status") {
			t.Errorf("%s %s: HTTP %d %s", tt.method, tt.path, resp.StatusCode, b)
		}
	}
}

func TestOptions(t *testing.T) {
	if len(ExtensionNames) != 0 {
		t.Fatalf("ExtensionNames = %v", ExtensionNames)
	}
	if _, err := New(Options{Extensions: []string{"anything"}}); err == nil {
		t.Fatal("an unknown extension was accepted")
	}
	for _, nets := range [][]Network{
		{{Key: "a", Network: 1, Service: 101}}, // a query's numbers
		{{Key: "a", Network: 0, Service: 5}},   // network 0 is global
		{{Key: "a", Network: 2, Service: 201}, {Key: "b", Network: 2, Service: 201}},
		{{Key: "a", Network: 2, Service: 201, Units: true}}, // no unit price
		{{Key: "a", Network: 2, Service: 201}, {Key: "a", Network: 3, Service: 301}},
	} {
		if _, err := New(Options{Networks: nets}); err == nil {
			t.Errorf("networks %v accepted", nets)
		}
	}
	if _, err := New(Options{Offers: []Offer{{Network: "nowhere", Code: "X"}}}); err == nil {
		t.Error("an offer on an unknown network was accepted")
	}
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Credentials(); got != "alqimah: account_number=100200 username=kiosk_demo password=demo-pass api_token=demo-api-token-123" {
		t.Fatalf("Credentials = %q", got)
	}

	// A configuration can move a payment's numbers.
	r := newRig(t, Options{Networks: []Network{{Key: "yemen_mobile", Network: 1, Service: 110, OfferService: 111}},
		Offers: []Offer{{Network: "yemen_mobile", Code: "O1", Price: money.FromInt(10)}}})
	wantFail(t, r.api(buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "Amount": 100, "TransactionID": "a"}), "Invalid network or service")
	if a := r.api(buy{"NetworkNumber": 1, "ServiceNumber": 110, "MobileNumber": "777777777", "Amount": 100, "TransactionID": "a"}); a["status"] != true {
		t.Fatalf("moved service %v", a)
	}
	if a := r.api(buy{"NetworkNumber": 1, "ServiceNumber": 111, "MobileNumber": "777777777", "OfferCode": "O1", "TransactionID": "b"}); a["price"] != json.Number("10") {
		t.Fatalf("moved offer service %v", a)
	}
}

func TestClock(t *testing.T) {
	r := newRig(t, Options{Zone: time.FixedZone("AST", 3*3600)})
	r.clk.t = time.Date(2026, 1, 9, 22, 0, 0, 0, time.UTC) // 2026-01-10 01:00 in Aden
	resp, b, err := r.do(context.Background(), http.MethodPost, "/rest-api/login", "", "application/json",
		map[string]any{"AccountNumber": AccountNumber, "UserName": UserName, "Token": LoginToken(UserName, AccountNumber, Password, APIToken)})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("Date"); got != "Fri, 09 Jan 2026 22:00:00 GMT" {
		t.Fatalf("Date header %q", got)
	}
	a := decode(t, b)
	if a["token_expires"] != "2026-01-10 02:00:00" {
		t.Fatalf("token_expires %v", a["token_expires"])
	}
	r.tok = a["access_token"].(string)
	// The seed's dates move with the clock: 2024-08-05 → 2026-01-10 is
	// 523 days.
	feed := r.api(buy{"NetworkNumber": 0, "ServiceNumber": 3})["data"].([]any)
	if d0, d1 := feed[0].(map[string]any)["Date"], feed[1].(map[string]any)["Date"]; d0 != "2026-01-08" || d1 != "2026-01-06" {
		t.Fatalf("feed dates %v %v", d0, d1)
	}
	adsl := r.api(buy{"NetworkNumber": 5, "ServiceNumber": 501, "MobileNumber": "10123456", "TransactionID": "1"})
	if adsl["expiredDate"] != "28/03/2026" {
		t.Fatalf("ADSL expiredDate %v", adsl["expiredDate"])
	}
	offers := r.api(buy{"NetworkNumber": 1, "ServiceNumber": 107, "MobileNumber": "777777777", "TransactionID": "2"})["data"].([]any)
	if o := offers[1].(map[string]any); o["offerEndDate"] != "2026-01-24 23:59:59" {
		t.Fatalf("offer %v", o)
	}
	if o := offers[0].(map[string]any); o["offerEndDate"] != "2037-01-01 00:00:00" {
		t.Fatalf("offer %v", o)
	}
	// Every answer, a 404 too, carries the clock's Date.
	resp, _, err = r.do(context.Background(), http.MethodGet, "/nothing", "", "", nil)
	if err != nil || resp.Header.Get("Date") != "Fri, 09 Jan 2026 22:00:00 GMT" {
		t.Fatalf("404 Date %q %v", resp.Header.Get("Date"), err)
	}
}

func TestGenerate(t *testing.T) {
	// 500,000 categories, payable by their LinkCode (the speed is
	// BenchmarkGenerate's).
	big := newRig(t, Options{})
	big.sim.Generate(500_000)
	p := big.api(buy{"NetworkNumber": 8, "ServiceNumber": 801, "LinkCode": "gen_500000", "Fields": map[string]string{"PlayerID": "1"}, "TransactionID": "g"})
	if p["price"] != json.Number("5500") {
		t.Fatalf("generated category sale %v", p)
	}

	// The 0/4 answer, on a smaller set: deterministic and continued by a
	// second call.
	r := newRig(t, Options{})
	r.sim.Generate(1000)
	r.sim.Generate(2)
	data := r.api(buy{"NetworkNumber": 0, "ServiceNumber": 4})["data"].([]any)
	if len(data) != 8+1002 {
		t.Fatalf("%d categories", len(data))
	}
	got, _ := json.Marshal(data[len(data)-1])
	want := `{"AllowFreeQuantity":false,"CategoryName":"فئة مولدة 1002","CurrencyName":"دولار","GameUnitsCount":2,` +
		`"LinkCode":"gen_1002","LocalCurrencyName":"ريال يمني","LocalPrice":11,"MaxQuantity":1,"MinQuantity":1,` +
		`"Price":0.02,"RequiredFields":[{"FieldCode":"PlayerID","FieldName":"رقم ايدي - اللاعب"}],` +
		`"ServiceName":"بطاقات مولدة - Generated","TheNumber":101002}`
	if string(got) != want {
		t.Fatalf("last generated\n%s\nwant\n%s", got, want)
	}
}

func TestConcurrentSales(t *testing.T) {
	r := newRig(t, Options{})
	r.login()
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, b, err := r.do(context.Background(), http.MethodPost, "/rest-api/", r.tok, "application/json",
				buy{"NetworkNumber": 1, "ServiceNumber": 103, "MobileNumber": "777777777", "Amount": 100, "TransactionID": fmt.Sprint(i % (n / 2))})
			if err != nil {
				t.Error(err)
			}
			_ = b
		}()
	}
	wg.Wait()
	for i := range n / 2 {
		if c := r.sim.Charged(fmt.Sprint(i)); c != 1 {
			t.Errorf("Charged(%d) = %d", i, c)
		}
	}
	if want := startBalance.Sub(money.FromInt(100 * n / 2)); r.sim.Balance().Cmp(want) != 0 {
		t.Fatalf("balance %s, want %s", r.sim.Balance(), want)
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		s, err := New(Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Generate(500_000)
	}
}
