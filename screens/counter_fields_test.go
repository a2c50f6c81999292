package screens_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/screens"
)

// indiaCircles is a range-priced recharge with a choice of circle, as
// India's client builds it from the configured circles.
func indiaRecharge(defaultCircle string) providers.Product {
	return providers.Product{Provider: "india", ID: "prepaid-1", Name: "Airtel prepaid recharge", Brand: "Airtel",
		Kind: providers.KindTopUp, Available: true, PriceKind: providers.PriceRange, Price: money.New(money.Zero, "INR"),
		MinAmount: money.New(money.FromInt(10), "INR"), MaxAmount: money.New(money.FromInt(5000), "INR"),
		Fields: []providers.Field{
			{Name: "mobile_no", Label: "Mobile number", LabelAr: "رقم الجوال", Kind: providers.FieldPhone, Required: true,
				MinLen: 10, MaxLen: 10, CallingCode: "91", NationalLen: 10},
			{Name: "circle", Label: "Circle", LabelAr: "المنطقة", Kind: providers.FieldChoice, Required: true, Default: defaultCircle,
				Choices: []providers.Choice{{Value: "1", Label: "Andhra Pradesh"}, {Value: "4", Label: "Delhi NCR"},
					{Value: "5", Label: "Gujarat"}, {Value: "13", Label: "Madhya Pradesh"}, {Value: "14", Label: "Maharashtra"},
					{Value: "23", Label: "West Bengal"}}},
		}}
}

// TestFieldsChoiceFilters: a long choice list starts on no choice (unless
// the configuration names one), narrows as the clerk types, moves among
// what is left with ←/→, and sells the code of the choice shown.
func TestFieldsChoiceFilters(t *testing.T) {
	tests := []struct {
		name       string
		def        string
		keys       []string // on the circle field; "text:..." types
		wantView   []string
		wantQuoted string // the circle quoted, "" when the form must not go on
	}{
		{"starts on no choice", "", nil, []string{"◀ — choose — ▶", "type to filter · ←/→ choose"}, ""},
		{"the configured default", "23", nil, []string{"◀ West Bengal ▶"}, "23"},
		{"a default that is no choice is none", "99", nil, []string{"◀ — choose — ▶"}, ""},
		{"typing narrows", "", []string{"text:ma"}, []string{"◀ Madhya Pradesh ▶", "2 of 6: Madhya Pradesh · Maharashtra"}, "13"},
		{"right moves among the matches", "", []string{"text:ma", "right"}, []string{"◀ Maharashtra ▶"}, "14"},
		{"and round again", "", []string{"text:ma", "right", "right"}, []string{"◀ Madhya Pradesh ▶"}, "13"},
		{"left from no choice takes the last", "", []string{"left"}, []string{"◀ West Bengal ▶"}, "23"},
		{"right from no choice takes the first", "", []string{"right"}, []string{"◀ Andhra Pradesh ▶"}, "1"},
		{"by code", "", []string{"text:23"}, []string{"◀ West Bengal ▶"}, "23"},
		{"nothing matches", "", []string{"text:zz"}, []string{"◀ — choose — ▶", `nothing matches "zz"`}, ""},
		{"the filter typed away", "", []string{"text:del", "backspace", "backspace", "backspace"}, []string{"◀ Delhi NCR ▶", "type to filter"}, "4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := openFields(t, indiaRecharge(tt.def))
			h.typeText("9876543210")
			h.press("tab")
			for _, k := range tt.keys {
				if text, ok := strings.CutPrefix(k, "text:"); ok {
					h.typeText(text)
				} else {
					h.press(k)
				}
			}
			h.wantView(tt.wantView...)
			h.press("tab")
			h.typeText("100")
			h.press("enter")
			if tt.wantQuoted == "" {
				if len(h.sales.quotes) != 0 {
					t.Fatalf("quoted %v without a circle chosen", h.lastQuote().fields)
				}
				h.wantView("Circle is required")
				return
			}
			if got := h.lastQuote().fields["circle"]; got != tt.wantQuoted {
				t.Errorf("quoted circle %q, want %q", got, tt.wantQuoted)
			}
		})
	}
}

// TestConfirmShowsTheChoicesName: Confirm names the circle, never its code.
func TestConfirmShowsTheChoicesName(t *testing.T) {
	h := openFields(t, indiaRecharge("14"))
	h.typeText("9876543210")
	h.press("tab", "tab")
	h.typeText("100")
	h.press("enter")
	if h.top().Title() != "Confirm" {
		t.Fatalf("not on Confirm:\n%s", h.view())
	}
	h.wantView("Circle", "Maharashtra", "9876543210")
	if line := lineOf(h.view(), "Circle"); strings.Contains(line, "14") {
		t.Errorf("Confirm shows the circle's code: %q", line)
	}
}

func lineOf(view, text string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	return ""
}

// TestLongLabelsNeverRunIntoTheirValues: a label longer than its column is
// cut, and a space always stands between it and the value, on the fields
// screen and on Confirm; nothing is wider than the screen.
func TestLongLabelsNeverRunIntoTheirValues(t *testing.T) {
	p := providers.Product{Provider: "dtone", ID: "7", Name: "Tigo Guatemala 50", Brand: "Tigo", Available: true,
		PriceKind: providers.PriceFixed, Price: sar("20.00"), Cost: sar("18.00"),
		Fields: []providers.Field{{Name: "account_number", Label: "Customer mobile (PIN also sent by SMS, optional)",
			Kind: providers.FieldPhone, MaxLen: 15}}}
	h := openFields(t, p)
	h.typeText("50212345678")
	v := h.view()
	line := lineOf(v, "50212345678")
	if !strings.Contains(line, "… 50212345678") {
		t.Errorf("fields: the label is not cut before the value: %q", line)
	}
	for _, l := range strings.Split(v, "\n") {
		if w := ansi.StringWidth(l); w > h.c.Width() {
			t.Errorf("fields: %d cells: %q", w, l)
		}
	}
	h.press("enter")
	line = lineOf(h.view(), "50212345678")
	if !strings.Contains(line, "Customer mobi… 50212345678") {
		t.Errorf("confirm: the label runs into the value: %q", line)
	}
}

// TestRulesWrap: a rule or a refusal longer than the line is wrapped
// under its field, never cut.
func TestRulesWrap(t *testing.T) {
	p := pubg
	hint := "the player id is the number under your name in the game's profile page, with no spaces or letters in it at all"
	p.Fields = []providers.Field{{Name: "player_id", Label: "Player ID", Kind: providers.FieldText, Required: true,
		Pattern: "[0-9]+", PatternHint: hint}}
	h := openFields(t, p)
	h.typeText("abc")
	h.press("enter")
	v := h.view()
	if strings.Contains(v, "…") {
		t.Errorf("a line was cut:\n%s", v)
	}
	var text []string
	for _, l := range strings.Split(v, "\n") {
		if ansi.StringWidth(l) > h.c.Width() {
			t.Errorf("%d cells: %q", ansi.StringWidth(l), l)
		}
		if strings.HasPrefix(l, "           ") {
			text = append(text, strings.TrimSpace(l))
		}
	}
	joined := strings.Join(text, " ")
	if !strings.Contains(joined, hint) || !strings.Contains(joined, "Player ID: "+hint) {
		t.Errorf("the rule and the refusal are not whole under the field:\n%s", v)
	}
}

// TestFieldsWholeInArabic: labels, rules and refusals in Arabic, the
// provider's words as it wrote them.
func TestFieldsWholeInArabic(t *testing.T) {
	p := yemenMobile
	p.Fields = []providers.Field{{Name: "mobile", Label: "Mobile number", LabelAr: "رقم الجوال", Kind: providers.FieldPhone, Required: true,
		MinLen: 9, MaxLen: 9, Pattern: "7[0-9]{8}", PatternHint: "a Yemeni mobile number has 9 digits and starts with 7", HintKey: "yemen_mobile",
		CallingCode: "967", NationalLen: 9}}
	h := openFields(t, p, arabic)
	h.wantView("رقم الجوال", "9 أرقام · رقم الجوال اليمني من 9 أرقام ويبدأ بـ 7", "المبلغ", "من 100 إلى 5000 YER")
	h.typeText("611234567")
	h.press("tab")
	h.typeText("50")
	h.press("enter")
	h.wantView("حقل رقم الجوال: رقم الجوال اليمني من 9 أرقام ويبدأ بـ 7")
	for _, english := range []string{"Mobile number", "digits", "Amount", "starts with"} {
		if strings.Contains(h.view(), english) {
			t.Errorf("the Arabic screen says %q:\n%s", english, h.view())
		}
	}
	for range 9 { // the refused field has the focus again
		h.press("backspace")
	}
	h.typeText("771234567")
	h.press("tab")
	h.press("backspace", "backspace")
	h.typeText("50")
	h.press("enter")
	h.wantView("يجب ألا يقل المبلغ عن 100")
}

// TestFilledFields: values given (the last sale's, repeated) are in the
// form, a choice by its code, and go on as typed.
func TestFilledFields(t *testing.T) {
	h := newHarness(t)
	h.open(screens.NewFilledFields(h.c, indiaRecharge(""), map[string]string{"mobile_no": "9876543210", "circle": "5"}, money.FromInt(150)))
	h.wantView("9876543210", "◀ Gujarat ▶", "150")
	h.press("enter", "enter", "enter")
	q := h.lastQuote()
	if q.fields["mobile_no"] != "9876543210" || q.fields["circle"] != "5" || q.amount.Cmp(money.FromInt(150)) != 0 {
		t.Errorf("quoted %v %s", q.fields, q.amount)
	}
}

// TestConfirmSaysARefusedValueInArabic: a value the engine refuses at the
// quote is said in the clerk's language, wrapped.
func TestConfirmSaysARefusedValueInArabic(t *testing.T) {
	h := newHarness(t, arabic)
	f := providers.Field{Name: "mobile", Label: "Mobile number", LabelAr: "رقم الجوال", Kind: providers.FieldPhone, Required: true}
	h.sales.quote = func(providers.Product, map[string]string, money.Decimal) (sale.Quote, error) {
		return sale.Quote{}, f.Validate("")
	}
	h.open(screens.NewConfirm(h.c, itunes50, nil, money.Zero))
	h.wantView("حقل رقم الجوال مطلوب")
	if strings.Contains(h.view(), "is required") {
		t.Errorf("the refusal is in English:\n%s", h.view())
	}
}
