package alqimah

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"

	"kiosk/providers"
	"kiosk/termtext"
)

// hostile wraps provider text the way a compromised or careless platform
// could: a window title, a screen clear, colours and a bidi override.
func hostile(s string) string {
	return "\x1b]0;pwned\x07\x1b[2J\x1b[31m" + s + "\x1b[0m\u202e"
}

// textKeys are the answer fields that carry words for people.
var textKeys = map[string]bool{
	"message": true, "details": true, "ServiceName": true, "CategoryName": true, "FieldName": true,
	"mobileTypeName": true, "loanStatusString": true, "offerName": true, "Notes": true,
}

// poison rewrites a JSON answer of the simulator: every text field for
// people becomes hostile. The escapes travel as JSON's \u001b, as a real
// platform's JSON encoder would send them.
func poison(t *testing.T, body []byte) string {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return string(body) // not JSON: passed on as it is
	}
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if s, ok := val.(string); ok && textKeys[k] && s != "" {
					x[k] = hostile(s)
				} else {
					x[k] = walk(val)
				}
			}
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
		}
		return v
	}
	out, err := json.Marshal(walk(v))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// poisonAll answers every request through the simulator, then poisons the
// answer (the login too: its message is text, but it is never shown).
func poisonAll(t *testing.T, r *rig) {
	r.gate.set(func(rec record) (int, string, string, bool) {
		req := httptest.NewRequest(rec.Method, rec.Path, strings.NewReader(rec.Raw))
		req.Header = rec.Header.Clone()
		w := httptest.NewRecorder()
		r.sim.ServeHTTP(w, req)
		return w.Code, w.Header().Get("Content-Type"), poison(t, w.Body.Bytes()), true
	})
}

// assertClean fails when any string in v (walked through its JSON form)
// still holds a control character, a bidi control or the title text.
func assertClean(t *testing.T, what string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if strings.Contains(x, "pwned") {
				t.Errorf("%s: %q keeps the escape sequence's text", what, x)
			}
			for _, c := range x {
				if (unicode.IsControl(c) && c != '\n') || termtext.IsBidiControl(c) {
					t.Errorf("%s: %q holds %U", what, x, c)
					return
				}
			}
		case map[string]any:
			for k, val := range x {
				walk(k)
				walk(val)
			}
		case []any:
			for _, val := range x {
				walk(val)
			}
		}
	}
	walk(tree)
}

// TestProviderTextCannotDriveTheTerminal: the real client against the
// simulator on loopback, its answers poisoned with escape sequences. What
// comes out (catalogue, quote, result, vouchers, errors) is clean, and the
// words themselves, Arabic included, are kept.
func TestProviderTextCannotDriveTheTerminal(t *testing.T) {
	t.Run("an error with a title and a screen clear", func(t *testing.T) {
		r := newRig(t)
		msg := `{"status": false, "message": "\u001b]0;pwned\u0007\u001b[2J` + simNoBalance + `"}`
		r.gate.set(func(rec record) (int, string, string, bool) {
			return http.StatusOK, "application/json", msg, rec.Path == apiPath
		})
		q := providers.Quote{Product: r.c.topUp(YemenMobile), Fields: mobile("771234567"), Extra: map[string]string{xAmount: "500"}}
		_, err := r.buy("7001000010000001", q)
		wantErr(t, err, true, string(kindNoBalance)) // still read as "no balance": refused
		for _, line := range []string{err.Error(), providers.ClerkMessage(err)} {
			assertClean(t, "error", line)
			if !strings.Contains(line, simNoBalance) {
				t.Errorf("%q lost the provider's words %q", line, simNoBalance)
			}
		}
		if got, want := providers.ClerkMessage(err), "alqimah: "+clerkText[kindNoBalance]+" ("+simNoBalance+") (insufficient_balance)"; got != want {
			t.Errorf("ClerkMessage = %q, want %q", got, want)
		}
	})

	t.Run("catalogue, quote and a gift card's code", func(t *testing.T) {
		r := newRig(t)
		poisonAll(t, r)
		ps, err := r.c.Catalog(r.ctx())
		if err != nil {
			t.Fatal(err)
		}
		assertClean(t, "catalogue", ps)
		var itunes providers.Product
		for _, p := range ps {
			if p.ID == "game-itunes_us_10" {
				itunes = p
			}
		}
		if itunes.NameAr != "بطاقة ايتونز امريكي 10 دولار" {
			t.Errorf("Arabic name = %q", itunes.NameAr)
		}
		q, err := r.c.Quote(r.ctx(), providers.QuoteRequest{Product: itunes, Fields: map[string]string{"EmailAddress": "buyer@example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		assertClean(t, "quote", q)
		res, err := r.buy("7001000010000002", q)
		if err != nil || res.State != providers.Succeeded {
			t.Fatalf("%+v %v", res, err)
		}
		assertClean(t, "result", res)
		if pin := res.Vouchers[0].PIN; pin != "Code: X3086-GIFT-243086 - Serial: SN243086" {
			t.Errorf("PIN = %q, want the code exactly, without the escapes around it", pin)
		}
		st, err := r.status("7001000010000002", q.Product)
		if err != nil {
			t.Fatal(err)
		}
		assertClean(t, "status", st)
	})

	t.Run("a top-up's subscriber query and messages", func(t *testing.T) {
		r := newRig(t)
		poisonAll(t, r)
		q := r.quote("topup-yemen_mobile", mobile("771234567"), "500")
		assertClean(t, "quote", q)
		res, err := r.buy("7001000010000003", q)
		if err != nil || res.State != providers.Succeeded {
			t.Fatalf("%+v %v", res, err)
		}
		assertClean(t, "result", res)
		if res.Message == "" {
			t.Error("the message went altogether; only its escapes should")
		}
		feed, err := r.c.Feed(r.ctx())
		if err != nil {
			t.Fatal(err)
		}
		assertClean(t, "feed", feed)
	})
}
