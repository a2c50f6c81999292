package alqimah

import (
	"errors"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/money"
	"kiosk/providers"
)

func TestParseLogin(t *testing.T) {
	a, err := parseLogin([]byte(seedLogin))
	if err != nil {
		t.Fatal(err)
	}
	// The server's wall clock, zone unknown (seed L104), held in UTC.
	want := time.Date(2024, 8, 5, 19, 31, 45, 0, time.UTC)
	if a.AccessToken != "*********************" || !a.ExpiresWall.Equal(want) {
		t.Fatalf("got %q %v", a.AccessToken, a.ExpiresWall)
	}
	var ae *apiError
	if _, err := parseLogin([]byte(seedError)); !errors.As(err, &ae) || ae.Message != "Error Message" {
		t.Fatalf("error answer: %v", err)
	}
	if _, err := parseLogin([]byte(`{"status":true,"access_token":"x","token_expires":"05/08/2024"}`)); !errors.Is(err, errMalformed) {
		t.Fatalf("bad expiry accepted: %v", err)
	}
}

func TestParseBalance(t *testing.T) {
	d, err := parseBalance([]byte(seedBalance))
	if err != nil || d.Cmp(money.FromInt(100)) != 0 {
		t.Fatalf("balance = %v, %v", d, err)
	}
	for _, bad := range []string{`{"status":true}`, `{"status":true,"agentBalance":"abc"}`, `{"status":true,"agentBalance":1.1234567}`} {
		if _, err := parseBalance([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

func TestParseOperation(t *testing.T) {
	tests := []struct {
		body    string
		state   int
		message string
		price   string
		ref     string
	}{
		{seedStatusSuccess, 1, "جاهزة", "100", "4321"},
		{seedStatusFailed, 0, "ملغية", "100", "4321"},
		{seedStatusPending, -1, "في الانتظار", "100", "4321"},
		{seedPayment, 1, "Payment succcess", "5227", "243085"},
		{`{"status":"1","operationStatus":"-1","price":"12.50","referenceID":"9"}`, -1, "", "12.5", "9"},
	}
	for _, tt := range tests {
		op, err := parseOperation([]byte(tt.body))
		if err != nil {
			t.Errorf("%.40s: %v", tt.body, err)
			continue
		}
		if int(*op.OperationStatus) != tt.state || op.Message != tt.message || op.Price.String() != tt.price || string(op.ReferenceID) != tt.ref {
			t.Errorf("%.40s: got %d %q %s %s", tt.body, *op.OperationStatus, op.Message, op.Price, op.ReferenceID)
		}
	}
	op, _ := parseOperation([]byte(seedPayment))
	if op.AgentBalance.String() != "2445990.29131" || op.TransactionID != "1" {
		t.Errorf("payment: balance %s transaction %q", op.AgentBalance, op.TransactionID)
	}
}

func TestParseBadAnswers(t *testing.T) {
	tests := []struct {
		name, body string
		want       error
	}{
		{"html", "<!DOCTYPE html><html>502</html>", errHTML},
		{"empty", "  ", errEmpty},
		{"truncated", `{"status": true, "operationStatus": 1, "price": 52`, errMalformed},
		{"no status", `{"operationStatus": 1}`, errMalformed},
		{"no operationStatus", `{"status": true, "price": 5}`, errMalformed},
		{"odd operationStatus", `{"status": true, "operationStatus": 7}`, errMalformed},
		{"bad price", `{"status": true, "operationStatus": 1, "price": "five"}`, errMalformed},
		{"array", `[1,2]`, errMalformed},
	}
	for _, tt := range tests {
		if _, err := parseOperation([]byte(tt.body)); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestParseFeed(t *testing.T) {
	f, err := parseFeed([]byte(seedFeed))
	if err != nil {
		t.Fatal(err)
	}
	if len(f) != 2 || f[0].Amount.String() != "70000" || f[0].Currency != "YER" || f[0].CurrencyName != "ريال يمني" || f[1].Date != "2024-08-01" {
		t.Fatalf("feed = %+v", f)
	}
}

func TestParseCategories(t *testing.T) {
	cats, err := parseCategories([]byte(seedCategories))
	if err != nil {
		t.Fatal(err)
	}
	if len(cats) != 2 || cats[1].LocalPrice.String() != "995.5" || cats[0].LinkCode != "pubg_60" ||
		cats[0].RequiredFields[0].FieldName != "رقم ايدي - اللاعب" || cats[0].MaxQuantity != 1 {
		t.Fatalf("categories = %+v", cats)
	}
	if _, err := parseCategories([]byte(`{"status":true,"data":[{"LinkCode":"x","LocalPrice":"1,5"}]}`)); err == nil {
		t.Fatal("unparseable price accepted")
	}
}

func TestParseQueries(t *testing.T) {
	c := &Client{cfg: Config{Currency: "YER"}}
	tests := []struct {
		q    queryService
		body string
		want string
	}{
		{qYMBalance, seedYMBalance, "Balance: 154.15, prepaid, دفع مسبق"},
		{qYMLoan, seedYMLoan, "Loan: none, الرقم غير متسلف"},
		{qYMOffers, seedYMOffers, "Active offers: شريحه 4G [A115887147] until 2037-01-01 00:00:00; VoLTE international toll offer [A101051] until 2037-01-01 00:00:00"},
		{qADSL, seedADSL, "Balance: 44.18 جيجابايت, expires 21/10/2024, package 12600, minimum payment 250"},
		{qLandline, seedLandline, "Balance: 2869"},
		{qYemen4G, seedYemen4G, "Balance: 26.90جيجابايت, expires 2024-11-06, package 2400, package size 2400"},
	}
	for _, tt := range tests {
		a, err := parseQuery([]byte(tt.body))
		if err != nil {
			t.Errorf("%v: %v", tt.q, err)
			continue
		}
		if got := c.queryText(tt.q, a); got != tt.want {
			t.Errorf("%v:\n got %s\nwant %s", tt.q, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	// The simulator's texts (the seed gives none), and a few more.
	tests := map[string]errKind{
		simDuplicate:                      kindDuplicate,
		simBadToken:                       kindAuth,
		simBadNumber:                      kindBadNumber,
		simNoSub:                          kindNotFound,
		simNoBalance:                      kindNoBalance,
		simUnavailable:                    kindUnavailable,
		simBadAmount:                      kindBadAmount,
		simService:                        kindBadInput,
		simBadOffer:                       kindBadInput,
		simBadLinkCode:                    kindNotFound,
		simNoOperation:                    kindNotFound,
		"Invalid login data":              kindAuth,
		"Transaction not found":           kindNotFound,
		"Subscriber does not exists":      kindNotFound,
		"Request timeout, try again":      kindInProgress,
		"Token expired, try again":        kindInProgress,
		"Error Message":                   kindUnknown, // the seed's own (L109)
		"Content-Type must be JSON - نوع": kindUnknown,
	}
	for msg, want := range tests {
		if got := classify(msg); got != want {
			t.Errorf("classify(%q) = %s, want %s", msg, got, want)
		}
	}
	for msg, want := range map[string]bool{simBadToken: true, "Token expired, try again": true, "Session expired": true, simDuplicate: false, "Error Message": false, simBadNumber: false} {
		if isAuth(msg) != want {
			t.Errorf("isAuth(%q) = %v", msg, !want)
		}
	}
}

// Fuzz targets: no parser may panic, and whatever they accept is sane.

func fuzzSeeds(f *testing.F) {
	for _, s := range seedAnswers {
		f.Add([]byte(s))
	}
}

func FuzzParseLogin(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := parseLogin(b); err == nil && (a.AccessToken == "" || a.ExpiresWall.IsZero()) {
			t.Fatalf("accepted login without token or expiry: %q", b)
		}
	})
}

func FuzzParseBalance(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) { _, _ = parseBalance(b) })
}

func FuzzParseOperation(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		op, err := parseOperation(b)
		if err != nil {
			return
		}
		if s := *op.OperationStatus; s != 1 && s != 0 && s != -1 {
			t.Fatalf("accepted operationStatus %d", s)
		}
		c := &Client{cfg: Config{Currency: "YER"}, now: clock.NewFake(clock.Start).Now}
		for _, p := range []providers.Product{{}, {Kind: providers.KindVoucher, Extra: map[string]string{xType: typeGame}}} {
			r := c.result(op, p)
			if r.State == providers.Failed && !r.Charged.IsZero() {
				t.Fatalf("a failed operation charged %s", r.Charged)
			}
		}
	})
}

func FuzzParseFeed(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) { _, _ = parseFeed(b) })
}

func FuzzParseCategories(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		cats, err := parseCategories(b)
		if err != nil {
			return
		}
		c := &Client{cfg: Config{Currency: "YER"}, nets: DefaultNetworks()}
		for _, cat := range cats {
			if p := c.gameProduct(cat); p.ID == "" || p.Extra[xLinkCode] == "" {
				t.Fatalf("product without id: %+v", p)
			}
		}
	})
}

func FuzzParseQuery(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := parseQuery(b)
		if err != nil {
			return
		}
		c := &Client{cfg: Config{Currency: "YER"}}
		for _, q := range []queryService{qYMBalance, qYMLoan, qYMOffers, qADSL, qLandline, qYemen4G} {
			_ = c.queryText(q, a)
		}
	})
}
