package screens_test

import (
	"strings"
	"testing"

	"kiosk/money"
	"kiosk/operators"
	"kiosk/providers"
	"kiosk/screens"
)

// openFields opens the fields screen for p, as the catalogue does.
func openFields(t *testing.T, p providers.Product, opts ...func(*setup)) *harness {
	h := newHarness(t, opts...)
	h.open(screens.NewFields(h.c, p))
	return h
}

// lastQuote is the quote the confirm screen asked for after the fields.
func (h *harness) lastQuote() quoteCall {
	h.t.Helper()
	if len(h.sales.quotes) == 0 {
		h.t.Fatalf("nothing was quoted; screen:\n%s", h.view())
	}
	return h.sales.quotes[len(h.sales.quotes)-1]
}

// TestFieldsNormaliseNumbers: a number typed as people write it becomes
// the provider's form as soon as it is whole, on screen and in the sale.
func TestFieldsNormaliseNumbers(t *testing.T) {
	tests := []struct{ typed, want string }{
		{"771234567", "771234567"},
		{"+967 771234567", "771234567"},
		{"+967 77-123-4567", "771234567"},
		{"00967771234567", "771234567"},
		{"0771234567", "771234567"},
		{"967771234567", "771234567"},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			h := openFields(t, yemenMobile)
			h.typeText(tt.typed)
			if v := h.view(); strings.Contains(v, "+967") || strings.Contains(v, "00967") {
				t.Errorf("the number is still in the form typed:\n%s", v)
			}
			h.press("tab")
			h.typeText("500")
			h.press("enter")
			if h.top().Title() != "Confirm" {
				t.Fatalf("enter did not go on to confirm:\n%s", h.view())
			}
			q := h.lastQuote()
			if q.fields["mobile"] != tt.want || q.amount.Cmp(money.MustParse("500")) != 0 {
				t.Errorf("quoted %v %s, want mobile %s amount 500", q.fields, q.amount, tt.want)
			}
		})
	}
}

// TestFieldsRefuseAndExplain: a key the field cannot take never reaches
// it, and the screen says what the field takes; a wrong whole value is
// explained on enter and nothing goes on.
func TestFieldsRefuseAndExplain(t *testing.T) {
	tests := []struct {
		name    string
		p       providers.Product
		typed   []string // per field, tab between
		want    string
		wantVal string // the first field's value on screen
	}{
		{"a letter in a number", yemenMobile, []string{"77x"}, "Mobile number takes digits only", "77"},
		{"a letter in an amount", yemenMobile, []string{"771234567", "5x"}, "Amount takes a number like 25 or 12.50", "771234567"},
		{"a number too short", yemenMobile, []string{"7712", "500"}, "Mobile number must be at least 9 characters", "7712"},
		{"an amount out of range", yemenMobile, []string{"771234567", "99999"}, "amount must be at most 5000", "771234567"},
		{"a required field left empty", pubg, []string{""}, "Player ID is required", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := openFields(t, tt.p)
			for i, s := range tt.typed {
				if i > 0 {
					h.press("tab")
				}
				h.typeText(s)
			}
			if !strings.Contains(h.view(), tt.want) {
				h.press("enter")
			}
			h.wantView(tt.want)
			if len(h.stack) != 1 || len(h.sales.quotes) != 0 {
				t.Fatalf("the form went on with a wrong value")
			}
			if tt.wantVal != "" {
				h.wantView(tt.wantVal)
			}
			if strings.Contains(h.view(), "77x") || strings.Contains(h.view(), "5x") {
				t.Errorf("a refused key reached the field:\n%s", h.view())
			}
		})
	}
}

// TestFieldsLastCustomers: ctrl+p puts the last customers' numbers in the
// number field, one after another — also when pressed before they are read.
func TestFieldsLastCustomers(t *testing.T) {
	tests := []struct {
		name    string
		recent  []string
		early   bool // ctrl+p before the numbers arrive
		presses int
		want    string
	}{
		{"the last customer", []string{"771111111", "772222222"}, false, 1, "771111111"},
		{"the one before", []string{"771111111", "772222222"}, false, 2, "772222222"},
		{"round again", []string{"771111111", "772222222"}, false, 3, "771111111"},
		{"pressed before the journal answered", []string{"771111111", "772222222"}, true, 1, "771111111"},
		{"no customer yet: nothing", nil, false, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.sales.recent["Yemen Mobile"] = tt.recent
			init := h.openLater(screens.NewFields(h.c, yemenMobile))
			if !tt.early {
				h.run(init)
			}
			for range tt.presses {
				h.press("ctrl+p")
			}
			if tt.early {
				h.run(init) // the numbers arrive after the key
			}
			h.press("tab")
			h.typeText("500")
			h.press("enter")
			if tt.want == "" {
				h.wantView("Mobile number is required")
				return
			}
			if got := h.lastQuote().fields["mobile"]; got != tt.want {
				t.Errorf("sold to %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFieldsSuggestedAmounts: ctrl+s offers the configured presets in the
// product's range, then the provider's suggestions, in turn.
func TestFieldsSuggestedAmounts(t *testing.T) {
	presets := func(s *setup) {
		s.settings.Presets = map[string][]string{"Yemen Mobile": {"1000", "99999"}, "alqimah/topup-yemen_mobile": {"2000"}}
	}
	tests := []struct {
		presses int
		want    string
	}{{1, "2000"}, {2, "1000"}, {3, "750"}, {4, "2000"}}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			h := newHarness(t, presets)
			h.sales.suggest = []money.Decimal{money.MustParse("750")}
			h.open(screens.NewFields(h.c, yemenMobile))
			h.wantView("suggested 2000, 1000, 750 (ctrl+s)")
			h.typeText("771234567")
			for range tt.presses {
				h.press("ctrl+s")
			}
			h.press("enter")
			if got := h.lastQuote().amount; got.Cmp(money.MustParse(tt.want)) != 0 {
				t.Errorf("amount %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFieldsTypedTwice(t *testing.T) {
	p := pubg
	p.Fields = []providers.Field{{Name: "player_id", Label: "Player ID", Kind: providers.FieldDigits, Required: true, Confirm: true}}
	tests := []struct {
		again string
		want  string // error, or "" when it goes on
	}{{"512345", "the two entries of Player ID differ"}, {"5123456", ""}}
	for _, tt := range tests {
		t.Run(tt.again, func(t *testing.T) {
			h := openFields(t, p)
			h.wantView("Repeat Player ID")
			h.typeText("5123456")
			h.press("tab")
			h.typeText(tt.again)
			h.press("enter")
			if tt.want != "" {
				h.wantView(tt.want)
				if len(h.sales.quotes) > 0 {
					t.Fatal("quoted with two different entries")
				}
				return
			}
			if got := h.lastQuote().fields; len(got) != 1 || got["player_id"] != "5123456" {
				t.Errorf("quoted fields %v", got)
			}
		})
	}
}

// TestFieldsOtherNetwork: a number of another network's series is flagged
// before anything is sent; enter again goes on (a ported number).
func TestFieldsOtherNetwork(t *testing.T) {
	h := openFields(t, yemenMobile, func(s *setup) { s.settings.Operators = operators.DefaultTables() })
	h.typeText("771234567")
	h.wantView("✓ Yemen Mobile number")
	for range 9 {
		h.press("backspace")
	}
	h.typeText("711234567")
	h.wantView("looks like a Sabafon number (71…)")
	h.press("tab")
	h.typeText("500")
	h.press("enter")
	h.wantView("Ported number? Press enter again to sell anyway.")
	if len(h.sales.quotes) != 0 {
		t.Fatal("quoted before the clerk saw the network warning")
	}
	h.press("enter")
	if got := h.lastQuote().fields["mobile"]; got != "711234567" {
		t.Errorf("quoted %q", got)
	}
}

func TestFieldsInArabic(t *testing.T) {
	h := openFields(t, yemenMobile, arabic)
	h.typeText("77x")
	h.wantView("يقبل", "أرقامًا فقط", "المبلغ")
}
