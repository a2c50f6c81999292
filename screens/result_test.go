package screens_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kiosk/i18n"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/screens"
	"kiosk/ui"
)

const ref = "0010000010000007"

func pendingSale() *sale.Sale {
	return &sale.Sale{Ref: ref, Provider: "bitaqaty", Product: itunes50, State: sale.Pending,
		Quote: providers.Quote{Product: itunes50, Retail: sar("51.00")}}
}

func soldSale(prints int) *sale.Sale {
	s := pendingSale()
	s.State, s.Prints = sale.Succeeded, prints
	s.Vouchers = []providers.Voucher{{PIN: "9999-8888-7777", Serial: "S-1"}}
	return s
}

// TestResultPollsWithBackoff: a sale not settled yet is asked about after
// 2 s, then 4, 8, 16 and every 30 s, until it settles; then the balances
// are read again and the PIN is shown.
func TestResultPollsWithBackoff(t *testing.T) {
	h := newHarness(t)
	answers := 0
	h.sales.settle = func(string) (*sale.Sale, error) {
		answers++
		if answers < 7 {
			return pendingSale(), nil
		}
		return soldSale(0), nil
	}
	h.open(screens.NewResult(h.c, pendingSale(), nil))
	h.wantView("Waiting for the provider (pending).", "Do not sell again")
	var waits []time.Duration
	for len(h.timers) > 0 {
		waits = append(waits, h.fire())
	}
	s := time.Second
	if want := []time.Duration{2 * s, 4 * s, 8 * s, 16 * s, 30 * s, 30 * s, 30 * s}; !slices.Equal(waits, want) {
		t.Errorf("waited %v, want %v", waits, want)
	}
	if len(h.sales.settles) != 7 || h.sales.settles[0] != ref {
		t.Errorf("asked %v", h.sales.settles)
	}
	if h.count(ui.RefreshBalanceMsg{}) != 1 {
		t.Errorf("balances read %d times after the sale settled", h.count(ui.RefreshBalanceMsg{}))
	}
	h.wantView("SOLD ✓", "9999-8888-7777", "S-1")
}

// TestResultAskNow: r asks at once, and a poll that comes while the
// question is out does not ask again.
func TestResultAskNow(t *testing.T) {
	h := newHarness(t)
	h.sales.settle = func(string) (*sale.Sale, error) { return soldSale(0), nil }
	r := screens.NewResult(h.c, pendingSale(), nil)
	h.open(r)
	ask := r.Update(keyPress("r"))
	h.fire() // the 2 s poll, while r's question is out
	if len(h.sales.settles) != 0 {
		t.Fatalf("asked %d times before r's answer", len(h.sales.settles))
	}
	h.run(ask)
	if len(h.sales.settles) != 1 {
		t.Fatalf("asked %d times, want 1", len(h.sales.settles))
	}
	h.wantView("SOLD ✓")
	h.press("r")
	if len(h.sales.settles) != 1 {
		t.Error("r asked about a settled sale")
	}
}

// TestResultPrint: the first print is the clerk's; a reprint needs a
// supervisor when clerks are set up.
func TestResultPrint(t *testing.T) {
	clerk := signedIn("amal", sale.RoleClerk)
	tests := []struct {
		name      string
		opts      []func(*setup)
		prints    int    // before
		pin       string // the supervisor's PIN typed when asked; "" when not asked
		wantBy    string // who printed; "" when nothing printed
		wantLang  i18n.Lang
		wantAsked string // the audited purpose
	}{
		{"first print by the clerk", []func(*setup){clerk}, 0, "", "amal", i18n.EN, ""},
		{"first print in the clerk's language", []func(*setup){clerk, arabic}, 0, "", "amal", i18n.AR, ""},
		{"reprint without clerks set up", nil, 1, "", "amal", i18n.EN, ""},
		{"reprint by a supervisor signed in", []func(*setup){signedIn("sara", sale.RoleSupervisor)}, 2, "", "sara", i18n.EN, ""},
		{"reprint by a clerk: a supervisor authorises", []func(*setup){clerk}, 1, "1234", "sara", i18n.EN, "reprint #1 of sale " + ref},
		{"reprint by a clerk: a wrong PIN prints nothing", []func(*setup){clerk}, 1, "9999", "", "", "reprint #1 of sale " + ref},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.opts...)
			h.users.users = []sale.User{{Name: "sara", Role: sale.RoleSupervisor}}
			h.users.pins = map[string]string{"sara": "1234"}
			h.printer.sale = soldSale(tt.prints)
			h.open(screens.NewResult(h.c, soldSale(tt.prints), nil))
			h.press("p")
			if tt.pin != "" {
				if h.top().Title() != "Supervisor" {
					t.Fatalf("no supervisor asked for; %q on top", h.top().Title())
				}
				h.wantView("A supervisor must authorise: reprint #1 of sale " + ref)
				h.typeText("sara")
				h.press("enter")
				h.typeText(tt.pin)
				h.press("enter")
			}
			if got := h.users.authorised; tt.wantAsked != "" && (len(got) != 1 || got[0] != tt.wantAsked) {
				t.Errorf("authorised %v, want %q", got, tt.wantAsked)
			}
			if tt.wantBy == "" {
				if len(h.printer.sales) != 0 {
					t.Fatalf("printed %v", h.printer.sales)
				}
				h.wantView("wrong name or PIN")
				return
			}
			want := []printCall{{ref, tt.wantBy, tt.wantLang}}
			if !slices.Equal(h.printer.sales, want) {
				t.Fatalf("printed %v, want %v", h.printer.sales, want)
			}
			h.wantStatus(i18n.T(tt.wantLang, "result.printed"), false)
		})
	}
}

func TestResultPrintFails(t *testing.T) {
	tests := []struct {
		name   string
		opts   []func(*setup)
		err    error
		status string
	}{
		{"no printer set up", []func(*setup){func(s *setup) { s.noPrint = true }}, nil, "No printer is set up ([printer] target in the configuration)."},
		{"the printer fails", nil, errFake, "Not printed: provider unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.opts...)
			h.printer.err = tt.err
			h.open(screens.NewResult(h.c, soldSale(0), nil))
			h.press("p")
			h.wantStatus(tt.status, true)
			h.wantView("SOLD ✓", "9999-8888-7777") // the sale is still shown
		})
	}
}

// TestResultSanitisesProviderText: a provider's escape sequences never
// reach the terminal; the text around them does.
func TestResultSanitisesProviderText(t *testing.T) {
	h := newHarness(t)
	s := soldSale(0)
	s.Vouchers[0].PIN = "1234\x1b]0;owned\x07-5678"
	s.Product.HowToUse = "Open the app\x1b[2J and redeem."
	h.open(screens.NewResult(h.c, s, nil))
	v := h.top().View()
	for _, bad := range []string{"\x1b]0;", "\x1b[2J", "\x07"} {
		if strings.Contains(v, bad) {
			t.Errorf("the screen carries %q", bad)
		}
	}
	h.wantView("1234-5678", "Open the app and redeem.")
}

// TestPastResultHidesPINsFromAClerk: a past sale opened from the history
// shows a clerk its PINs masked; v asks a supervisor, whose PIN shows them
// (the purpose audited). A supervisor, or a kiosk without clerks, sees
// them at once.
func TestPastResultHidesPINsFromAClerk(t *testing.T) {
	const pin, masked = "9999-8888-7777", "***********777"
	clerk := signedIn("amal", sale.RoleClerk)
	tests := []struct {
		name      string
		opts      []func(*setup)
		supPIN    string // typed when a supervisor is asked; "" when v is not pressed
		wantShown bool   // the PIN in full at the end
	}{
		{"no clerks set up", nil, "", true},
		{"a supervisor signed in", []func(*setup){signedIn("sara", sale.RoleSupervisor)}, "", true},
		{"a clerk", []func(*setup){clerk}, "", false},
		{"a clerk, a supervisor shows them", []func(*setup){clerk}, "1234", true},
		{"a clerk, a wrong supervisor PIN", []func(*setup){clerk}, "9999", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.opts...)
			h.users.users = []sale.User{{Name: "sara", Role: sale.RoleSupervisor}}
			h.users.pins = map[string]string{"sara": "1234"}
			r := h.open(screens.NewPastResult(h.c, soldSale(1)))
			if tt.supPIN != "" {
				h.wantView(masked, "PINs hidden")
				h.press("v")
				h.wantView("A supervisor must authorise: show the PINs of sale " + ref)
				h.typeText("sara")
				h.press("enter")
				h.typeText(tt.supPIN)
				h.press("enter")
				if got := h.users.authorised; len(got) != 1 || got[0] != "show the PINs of sale "+ref {
					t.Errorf("authorised %v", got)
				}
			}
			view := ansi.Strip(r.View())
			if shown := strings.Contains(view, pin); shown != tt.wantShown || shown == strings.Contains(view, masked) {
				t.Errorf("PIN shown %v, want %v:\n%s", shown, tt.wantShown, view)
			}
		})
	}
}
