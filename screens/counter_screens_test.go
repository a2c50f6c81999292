package screens_test

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"kiosk/i18n"
	"kiosk/providers/bitaqaty"
	"kiosk/ui"
)

// Full-app goldens of the clerk's fields, results and keys, at 80×24 and,
// where the layout matters, 120×40, in English and Arabic, on the fixed
// clock, over the sandboxes.

func arabicApp(bidi i18n.Mode) option {
	return func(set *ui.Settings, s *ui.Session) { s.Lang, set.Bidi = i18n.AR, bidi }
}

// TestCircleFilters: India's circles narrow as the clerk types; nothing is
// chosen until then.
func TestCircleFilters(t *testing.T) {
	k := newKiosk(t, 2*time.Second, true)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Type("airtel")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "— choose —")
	tm.Type("9876543210")
	tm.Send(key(tea.KeyTab))
	tm.Type("pra")
	waitFor(t, tm, "5 of 23")
	golden.RequireEqual(t, final(t, tm))
}

// TestConfirmNamesTheCircle: Confirm shows the circle the clerk chose by
// its name, in English and in Arabic.
func TestConfirmNamesTheCircle(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []option
		pays string
	}{{"en", nil, "Customer pays"}, {"ar", []option{arabicApp(i18n.TerminalReorders)}, "يدفع العميل"}} {
		t.Run(tt.name, func(t *testing.T) {
			k := newKiosk(t, 2*time.Second, true)
			tm := run(t, k.app(t, tt.opts...))
			waitFor(t, tm, "Airtel")
			tm.Type("airtel")
			tm.Send(key(tea.KeyEnter))
			waitFor(t, tm, "9876543210")
			tm.Type("9876543210")
			tm.Send(key(tea.KeyTab))
			tm.Type("delhi")
			tm.Send(key(tea.KeyTab))
			tm.Type("100")
			tm.Send(key(tea.KeyEnter))
			waitFor(t, tm, tt.pays)
			out := final(t, tm)
			if !strings.Contains(out, "Delhi NCR") {
				t.Errorf("Confirm does not name the circle:\n%s", out)
			}
			golden.RequireEqual(t, out)
		})
	}
}

// TestArabicFields: labels, rules and refusals in Arabic, at 80×24 on a
// terminal that reorders, and at 120×40 with the app reordering and
// joining the letters.
func TestArabicFields(t *testing.T) {
	for _, tt := range []struct {
		name string
		bidi i18n.Mode
		size []int
	}{{"terminal-80x24", i18n.TerminalReorders, nil}, {"app-120x40", i18n.AppReorders, []int{120, 40}}} {
		t.Run(tt.name, func(t *testing.T) {
			k := newKiosk(t, 2*time.Second)
			tm := run(t, k.app(t, arabicApp(tt.bidi)), tt.size...)
			waitFor(t, tm, "Bitaqaty")
			tm.Type("yemen mobile top-up")
			tm.Send(key(tea.KeyEnter))
			show := func(s string) string { return i18n.Display(tt.bidi, s) }
			waitFor(t, tm, show("رقم الجوال"))
			tm.Type("611234567")
			tm.Send(key(tea.KeyTab))
			tm.Type("50")
			tm.Send(key(tea.KeyEnter))
			waitFor(t, tm, show("ويبدأ بـ 7"))
			out := final(t, tm)
			for _, english := range []string{"Mobile number", "digits", "Amount", "starts with"} {
				if strings.Contains(out, english) {
					t.Errorf("the Arabic screen says %q:\n%s", english, out)
				}
			}
			golden.RequireEqual(t, out)
		})
	}
}

// TestGameTopUpShowsPlayerAndZone: the result of a game top-up shows the
// player id and zone the clerk entered.
func TestGameTopUpShowsPlayerAndZone(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Type("mobile legends 86")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Zone")
	tm.Type("5123456789")
	tm.Send(key(tea.KeyTab))
	tm.Type("2101")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Customer pays")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "SOLD")
	waitFor(t, tm, "Al-Qimah 999120.00 YER") // the balance read again after the sale
	out := final(t, tm)
	for _, want := range []string{"5123456789", "2101"} {
		if !strings.Contains(out, want) {
			t.Errorf("the result lacks %q:\n%s", want, out)
		}
	}
	golden.RequireEqual(t, out)
}

// TestCallingCardShowsAccessNumber: a calling card's result shows the
// access number of its card group, and no customer.
func TestCallingCardShowsAccessNumber(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []option
		size []int
		want string
	}{
		{"en-80x24", nil, nil, "Access number"},
		{"ar-80x24", []option{arabicApp(i18n.TerminalReorders)}, nil, "رقم الوصول"},
		{"ar-app-120x40", []option{arabicApp(i18n.AppReorders)}, []int{120, 40}, i18n.Display(i18n.AppReorders, "رقم الوصول")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k := newKiosk(t, 2*time.Second)
			tm := run(t, k.app(t, tt.opts...), tt.size...)
			waitFor(t, tm, "Bitaqaty")
			tm.Type("calling card 5")
			tm.Send(key(tea.KeyEnter))
			waitFor(t, tm, "1")
			tm.Send(key(tea.KeyEnter))
			waitFor(t, tm, "5.00 USD")
			tm.Send(key(tea.KeyEnter))
			waitFor(t, tm, tt.want)
			out := final(t, tm)
			if !strings.Contains(out, "+1 800 555 0100") || strings.Contains(out, "Customer") || strings.Contains(out, "العميل  ") {
				t.Errorf("no access number, or a customer line:\n%s", out)
			}
			golden.RequireEqual(t, out)
		})
	}
}

// TestNotSoldShowsNoPaid: NOT SOLD says to give the money back, the
// provider's reason wrapped, and no "Paid".
func TestNotSoldShowsNoPaid(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []option
		want string
	}{{"en", nil, "NOT SOLD"}, {"ar", []option{arabicApp(i18n.TerminalReorders)}, "لم يتم البيع"}} {
		t.Run(tt.name, func(t *testing.T) {
			k := newKiosk(t, 2*time.Second)
			f, _ := k.set.Faults(bitaqaty.ID)
			f.Set("out-of-stock", "on")
			tm := run(t, k.app(t, tt.opts...))
			waitFor(t, tm, "Bitaqaty")
			tm.Type("itunes 50")
			tm.Send(key(tea.KeyEnter))
			waitFor(t, tm, "51.00 SAR")
			tm.Send(key(tea.KeyEnter))
			waitFor(t, tm, tt.want)
			out := final(t, tm)
			if strings.Contains(out, "Paid") || strings.Contains(out, "المدفوع") {
				t.Errorf("NOT SOLD shows what was paid:\n%s", out)
			}
			golden.RequireEqual(t, out)
		})
	}
}

// TestHistoryByLastDigits: the last four digits of the customer's number
// find the sale.
func TestHistoryByLastDigits(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Type("yemen mobile top-up")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Amount")
	tm.Type("771234567")
	tm.Send(key(tea.KeyTab))
	tm.Type("500")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Customer pays")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "SOLD")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Search:")
	tm.Send(tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl})
	waitFor(t, tm, "Find:")
	tm.Type("4567")
	waitFor(t, tm, "History of")
	out := final(t, tm)
	if !strings.Contains(out, "Yemen Mobile top-up") || !strings.Contains(out, "1 sale(s)") {
		t.Fatalf("the sale is not found by its last digits:\n%s", out)
	}
}

// TestRepeatAndReprintLastSale: after a sale, ctrl+y opens Confirm for the
// same product and customer; the help overlay lists both keys.
func TestRepeatAndReprintLastSale(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Type("yemen mobile top-up")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Amount")
	tm.Type("771234567")
	tm.Send(key(tea.KeyTab))
	tm.Type("500")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Customer pays")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "SOLD")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Search:")
	tm.Type("?")
	waitFor(t, tm, "ctrl+y repeat last sale")
	waitFor(t, tm, "ctrl+t  reprint last receipt")
	tm.Type("x")
	tm.Send(tea.KeyPressMsg{Code: 'y', Mod: tea.ModCtrl})
	waitFor(t, tm, "Customer pays")
	out := final(t, tm)
	for _, want := range []string{"Confirm", "Yemen Mobile top-up", "771234567", "500.00 YER"} {
		if !strings.Contains(out, want) {
			t.Errorf("the repeated sale's Confirm lacks %q:\n%s", want, out)
		}
	}
	if n, _ := k.e.CountSales(); n != 1 {
		t.Fatalf("%d sales: the repeat sold before the clerk confirmed", n)
	}
}
