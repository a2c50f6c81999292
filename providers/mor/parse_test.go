package mor

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"kiosk/providers"
)

// seedSuccess is the seed's success answer with the dots filled in.
const seedSuccess = `<?xml version="1.0" encoding="UTF-8"?>
<page>
 <cards>
  <card>
    <pin>123456789012</pin>
    <number>6000001</number>
    <balance_without_vat>5.00</balance_without_vat>
    <currency>USD</currency>
  </card>
  <card>
    <pin>210987654321</pin>
    <number>6000002</number>
    <balance_without_vat>5.00</balance_without_vat>
    <currency>USD</currency>
  </card>
 </cards>
</page>
`

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		cards   int
		errText string
		bad     bool
	}{
		{name: "seed success", body: seedSuccess, cards: 2},
		{name: "one card no declaration", body: `<page><cards><card><pin>1</pin><number>2</number><balance_without_vat>3</balance_without_vat><currency>EUR</currency></card></cards></page>`, cards: 1},
		{name: "bad login", body: `<error>Bad login</error>`, errText: "Bad login"},
		{name: "error in page", body: `<?xml version="1.0" encoding="UTF-8"?><page><error>Free cards was not found</error></page>`, errText: "Free cards was not found"},
		{name: "incorrect hash", body: "<page>\n <error>Incorrect hash</error>\n</page>", errText: "Incorrect hash"},
		{name: "html", body: `<html><body><h1>502 Bad Gateway</h1></body></html>`, bad: true},
		{name: "html doctype", body: "<!DOCTYPE html>\n<html><head><title>x</title></head><body>x</body></html>", bad: true},
		{name: "truncated", body: seedSuccess[:len(seedSuccess)/2], bad: true},
		{name: "truncated after card", body: `<page><cards><card><pin>1</pin></card>`, bad: true},
		{name: "empty", body: "", bad: true},
		{name: "json", body: `{"error":"Bad login"}`, bad: true},
		{name: "empty page", body: `<page></page>`, bad: true},
		{name: "empty cards", body: `<page><cards></cards></page>`, bad: true},
		{name: "card without pin", body: `<page><cards><card><number>1</number></card></cards></page>`, bad: true},
		{name: "empty error", body: `<page><error></error></page>`, bad: true},
		{name: "cards and error", body: `<page><error>x</error><cards><card><pin>1</pin></card></cards></page>`, bad: true},
		{name: "two roots", body: `<page><error>Bad login</error></page><page/>`, bad: true},
		{name: "latin1", body: `<?xml version="1.0" encoding="ISO-8859-1"?><page><error>Bad login</error></page>`, bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := parseAnswer([]byte(tt.body))
			if tt.bad {
				if err == nil {
					t.Fatalf("accepted: %+v", a)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Cards) != tt.cards || a.Error != tt.errText {
				t.Fatalf("got %+v", a)
			}
		})
	}
	a, _ := parseAnswer([]byte(seedSuccess))
	if c := a.Cards[1]; c.PIN != "210987654321" || c.Number != "6000002" || c.Balance != "5.00" || c.Currency != "USD" {
		t.Fatalf("card 2 = %+v", c)
	}
}

func TestAPIErrorMapping(t *testing.T) {
	for _, code := range []string{errBadLogin, errIncorrectHash, errNoGroup, errNoFreeCards, errAlreadySold} {
		e := apiError("purchase", code)
		if e.Outcome != 1 || e.Code != code || e.Message == "" || strings.Contains(e.Message, "456789") {
			t.Errorf("%s: %+v", code, e)
		}
	}
	if e := apiError("purchase", "Something new"); e.Outcome != 0 {
		t.Errorf("undocumented error is a refusal: %+v", e)
	}
}

func FuzzParseAnswer(f *testing.F) {
	f.Add(seedSuccess)
	f.Add(`<error>Bad login</error>`)
	f.Add(`<error>Incorrect hash</error>`)
	f.Add(`<error>Cardgroup was not found</error>`)
	f.Add(`<error>Free cards was not found</error>`)
	f.Add(`<error>Card is already sold</error>`)
	f.Add(`<html><body>oops</body></html>`)
	f.Add(seedSuccess[:100])
	f.Fuzz(func(t *testing.T, body string) {
		a, err := parseAnswer([]byte(body))
		if err != nil {
			return
		}
		// An accepted answer is either an error text or cards with PINs.
		if (a.Error == "") == (len(a.Cards) == 0) {
			t.Fatalf("accepted answer with error=%q and %d cards", a.Error, len(a.Cards))
		}
		for _, c := range a.Cards {
			if c.PIN == "" {
				t.Fatal("accepted a card without PIN")
			}
		}
	})
}

// FuzzClassify: whatever the status and body, an answer is a sale only
// when it is a 2xx whole card list, and a refusal only when it carries one
// of the seed's error texts (seed L76-80); everything else is a doubt.
func FuzzClassify(f *testing.F) {
	f.Add(200, "text/xml", seedSuccess)
	f.Add(200, "text/html", seedSuccess)
	f.Add(404, "text/html", "<html>Not found</html>")
	f.Add(403, "text/xml", "<error>Bad login</error>")
	f.Add(500, "text/xml", "<error>Incorrect hash</error>")
	f.Add(302, "", "")
	f.Add(200, "", seedSuccess[:90])
	f.Fuzz(func(t *testing.T, status int, ctype, body string) {
		if status < 100 || status > 599 {
			return
		}
		a := providers.Answer{Status: status, Header: http.Header{"Content-Type": {ctype}}, Body: []byte(body)}
		ans, err := classify(a)
		if err == nil {
			if status < 200 || status > 299 || len(ans.Cards) == 0 || ans.Error != "" {
				t.Fatalf("sale from HTTP %d: %+v", status, ans)
			}
			return
		}
		var pe *providers.Error
		if !errors.As(err, &pe) {
			t.Fatalf("not a provider error: %v", err)
		}
		if pe.Outcome == providers.Refused {
			if _, documented := clerkText[pe.Code]; !documented || (status >= 500 && status != 501) {
				t.Fatalf("refusal %q from HTTP %d %q", pe.Code, status, body)
			}
		}
	})
}
