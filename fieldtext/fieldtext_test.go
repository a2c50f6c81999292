package fieldtext_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"kiosk/fieldtext"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/operators"
	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/dtone"
	"kiosk/providers/india"
	"kiosk/providers/mor"
	"kiosk/sandboxes"
)

var yemenMobile = providers.Field{Name: "MobileNumber", Label: "Mobile number", LabelAr: "رقم الجوال", Kind: providers.FieldPhone,
	Required: true, MinLen: 9, MaxLen: 9, Pattern: "7[0-9]{8}", PatternHint: "a Yemeni mobile number has 9 digits and starts with 7",
	HintKey: "yemen_mobile", CallingCode: "967", NationalLen: 9}

func TestRule(t *testing.T) {
	tests := []struct {
		lang i18n.Lang
		f    providers.Field
		want string
	}{
		{i18n.EN, yemenMobile, "9 digits · a Yemeni mobile number has 9 digits and starts with 7"},
		{i18n.AR, yemenMobile, "9 أرقام · رقم الجوال اليمني من 9 أرقام ويبدأ بـ 7"},
		// A hint in the provider's own words passes through as written.
		{i18n.AR, providers.Field{Kind: providers.FieldText, MaxLen: 20, PatternHint: "as on the card"}, "عدد الأحرف من 1 إلى 20 · as on the card · اختياري"},
		{i18n.EN, providers.Field{Kind: providers.FieldQuantity, Required: true, MinLen: 1, MaxLen: 1, HintKey: "mor_cards", HintArgs: []string{"5"},
			PatternHint: "enter a number of cards from 1 to 5"}, "1 digit · enter a number of cards from 1 to 5"},
		{i18n.AR, providers.Field{Kind: providers.FieldQuantity, Required: true, MinLen: 1, MaxLen: 1, HintKey: "mor_cards", HintArgs: []string{"5"}},
			"رقم واحد · أدخل عدد البطاقات من 1 إلى 5"},
		// A choice has no length to tell.
		{i18n.EN, providers.Field{Kind: providers.FieldChoice, Required: true, MaxLen: 2}, ""},
	}
	for _, tt := range tests {
		if got := fieldtext.Rule(tt.lang, tt.f); got != tt.want {
			t.Errorf("Rule(%s, %+v) = %q, want %q", tt.lang, tt.f, got, tt.want)
		}
	}
}

func TestLabel(t *testing.T) {
	tests := []struct {
		lang i18n.Lang
		f    providers.Field
		want string
	}{
		{i18n.EN, yemenMobile, "Mobile number"},
		{i18n.AR, yemenMobile, "رقم الجوال"},
		{i18n.AR, providers.Field{Name: "playerid", Label: "Player ID"}, "Player ID"}, // no Arabic label: the provider's
		{i18n.EN, providers.Field{Name: "zone"}, "zone"},
		{i18n.AR, providers.Field{Name: providers.AmountName, Label: "amount"}, "المبلغ"},
		{i18n.EN, providers.Field{Name: providers.UnitsName}, "number of units"},
	}
	for _, tt := range tests {
		if got := fieldtext.Label(tt.lang, tt.f); got != tt.want {
			t.Errorf("Label(%s, %s) = %q, want %q", tt.lang, tt.f.Name, got, tt.want)
		}
	}
}

// TestEnglishRulesAreTheProvidersText: each rule's English translation is
// the refusal's own text, so the screens and the command line agree.
func TestEnglishRulesAreTheProvidersText(t *testing.T) {
	one := money.FromInt(1)
	f := providers.Field{Name: "n", Label: "Cards", Min: &one, Max: &one}
	rng := providers.Product{PriceKind: providers.PriceRange, MinAmount: money.New(money.FromInt(10), "INR")}
	cases := []struct {
		rule providers.Rule
		err  error
	}{
		{providers.RuleRequired, providers.Field{Label: "Cards", Required: true}.Validate("")},
		{providers.RuleMinLen, providers.Field{Label: "Cards", MinLen: 3}.Validate("1")},
		{providers.RuleMaxLen, providers.Field{Label: "Cards", MaxLen: 1}.Validate("12")},
		{providers.RuleDigits, providers.Field{Label: "Cards", Kind: providers.FieldDigits}.Validate("1a")},
		{providers.RuleWhole, providers.Field{Label: "Cards", Kind: providers.FieldQuantity}.Validate("1.5")},
		{providers.RulePositive, rng.ValidateAmount(money.Zero)},
		{providers.RuleEmail, providers.Field{Label: "Cards", Kind: providers.FieldEmail}.Validate("x")},
		{providers.RuleNumber, providers.Field{Label: "Cards", Kind: providers.FieldAmount}.Validate("x")},
		{providers.RuleMin, func() error { f.Kind = providers.FieldQuantity; return f.Validate("0") }()},
		{providers.RuleMax, func() error { f.Kind = providers.FieldQuantity; return f.Validate("2") }()},
		{providers.RuleChoice, providers.Field{Label: "Cards", Kind: providers.FieldChoice}.Validate("x")},
		{providers.RuleHint, providers.Field{Label: "Cards", Pattern: "[0-9]", PatternHint: "one digit"}.Validate("x")},
		{providers.RuleFormat, providers.Field{Label: "Cards", Pattern: "[0-9]"}.Validate("x")},
		{providers.RuleBadPattern, providers.Field{Label: "Cards", Pattern: "("}.Validate("x")},
	}
	for _, c := range cases {
		var fe *providers.FieldError
		if !errors.As(c.err, &fe) || fe.Rule != c.rule {
			t.Errorf("%s: %v", c.rule, c.err)
			continue
		}
		args := append([]any{fe.Field.Label}, fe.Args...)
		if c.rule == providers.RuleHint {
			args = []any{fe.Field.Label, fe.Field.PatternHint}
		}
		if got := i18n.T(i18n.EN, "field.rule."+string(c.rule), args...); got != c.err.Error() {
			t.Errorf("%s: i18n says %q, the provider %q", c.rule, got, c.err)
		}
		if !i18n.Has(i18n.AR, "field.rule."+string(c.rule)) {
			t.Errorf("%s has no Arabic", c.rule)
		}
	}
}

func TestErrorInArabic(t *testing.T) {
	yemen := operators.DefaultTables()
	tests := []struct {
		err  error
		want string
	}{
		{yemenMobile.Validate("71123"), "يجب ألا يقل رقم الجوال عن 9 حرفًا (أُدخل 5)"},
		{yemenMobile.Validate("611234567"), "حقل رقم الجوال: رقم الجوال اليمني من 9 أرقام ويبدأ بـ 7"},
		{yemenMobile.Validate(""), "حقل رقم الجوال مطلوب"},
		{providers.Product{PriceKind: providers.PriceRange, MaxAmount: money.New(money.FromInt(5000), "YER")}.ValidateAmount(money.FromInt(6000)),
			"يجب ألا يزيد المبلغ عن 5000"},
		{operators.Fits(yemen, "Yemen Mobile", "711234567"), "الرقم 711234567 تابع لشبكة Sabafon (البادئة 71) وليس لشبكة Yemen Mobile (77/78)."},
		{errors.New("provider said no"), "provider said no"}, // not the kiosk's words: as it is
	}
	for _, tt := range tests {
		if got := fieldtext.Error(i18n.AR, tt.err); got != tt.want {
			t.Errorf("Error(ar, %v) = %q, want %q", tt.err, got, tt.want)
		}
		if got := fieldtext.Error(i18n.EN, tt.err); got != tt.err.Error() {
			t.Errorf("Error(en, %v) = %q", tt.err, got)
		}
	}
	if fieldtext.Error(i18n.AR, nil) != "" {
		t.Error("no error has text")
	}
}

func TestEnteredAndValue(t *testing.T) {
	p := providers.Product{Fields: []providers.Field{
		{Name: "playerid", Label: "Player ID"},
		{Name: "zoneid", Label: "Zone ID"},
		{Name: "type", Hidden: true, Default: "1"},
		{Name: "circle", Kind: providers.FieldChoice, Choices: []providers.Choice{{Value: "5", Label: "Delhi NCR"}}},
		{Name: "note"},
	}}
	got := fieldtext.Entered(p, map[string]string{"playerid": "5123456789", "zoneid": "2101", "type": "1", "circle": "5", "note": " "})
	var names []string
	for _, e := range got {
		names = append(names, e.Field.Name+"="+fieldtext.Value(e.Field, e.Value))
	}
	if want := "playerid=5123456789 zoneid=2101 circle=Delhi NCR"; strings.Join(names, " ") != want {
		t.Fatalf("Entered = %q, want %q", names, want)
	}
}

// TestEveryHintOfTheProvidersIsTranslated: every field the providers
// build (their sandboxes' catalogues, over loopback) has a hint key the
// catalogue knows, in English word for word the hint it gives, and in
// Arabic; a label in Arabic wherever the kiosk wrote the label.
func TestEveryHintOfTheProvidersIsTranslated(t *testing.T) {
	set, err := sandboxes.Start("127.0.0.1:0", sandboxes.Options{Extensions: true})
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	var ps []providers.Provider
	add := func(p providers.Provider, err error) {
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	add(bitaqaty.New(sandboxes.BitaqatyConfig(set.BaseURL(bitaqaty.ID), true), nil))
	add(alqimah.New(sandboxes.AlQimahConfig(set.BaseURL(alqimah.ID), true), nil))
	add(mor.New(sandboxes.MORConfig(set.BaseURL(mor.ID), true), nil))
	add(india.New(sandboxes.IndiaConfig(set.BaseURL(india.ID), true), nil))
	add(dtone.New(sandboxes.DTOneConfig(set.BaseURL(dtone.ID), true), nil))
	keys := map[string]bool{}
	for _, p := range ps {
		cat, err := p.Catalog(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", p.Info().ID, err)
		}
		for _, pr := range cat {
			for _, f := range pr.Fields {
				if f.PatternHint == "" || f.HintKey == "" {
					continue
				}
				keys[f.HintKey] = true
				if got := fieldtext.Hint(i18n.EN, f); got != f.PatternHint {
					t.Errorf("%s %s: hint %s says %q, the provider %q", pr.Key(), f.Name, f.HintKey, got, f.PatternHint)
				}
				if !i18n.Has(i18n.AR, "hint."+f.HintKey) {
					t.Errorf("%s %s: hint %s has no Arabic", pr.Key(), f.Name, f.HintKey)
				}
			}
		}
	}
	for _, k := range []string{"yemen_mobile", "letters_digits", "india_mobile", "mor_cards"} {
		if !keys[k] {
			t.Errorf("no sandbox product has the hint %s: the test did not see it", k)
		}
	}
}

func TestBesides(t *testing.T) {
	mobile := providers.Field{Name: "mobile", Kind: providers.FieldPhone}
	game := providers.Product{Kind: providers.KindGame, Fields: []providers.Field{{Name: "playerid"}, {Name: "zoneid"}}}
	topUp := providers.Product{Fields: []providers.Field{mobile, {Name: "circle", Kind: providers.FieldChoice}}}
	card := providers.Product{Kind: providers.KindCallingCard, Fields: []providers.Field{{Name: "quantity", Kind: providers.FieldDigits}}}
	qty := providers.Product{Fields: []providers.Field{{Name: "n", Kind: providers.FieldQuantity}, {Name: "email", Kind: providers.FieldEmail}}}
	tests := []struct {
		name     string
		p        providers.Product
		values   map[string]string
		customer string
		want     string
	}{
		{"a game: all it took", game, map[string]string{"playerid": "5123", "zoneid": "21"}, "", "playerid zoneid"},
		{"the number has its own line", topUp, map[string]string{"mobile": "771234567", "circle": "5"}, "771234567", "circle"},
		{"no number line: the number is an entry", topUp, map[string]string{"mobile": "771234567"}, "", "mobile"},
		{"a calling card's count is no entry", card, map[string]string{"quantity": "2"}, "", ""},
		{"a quantity is no entry", qty, map[string]string{"n": "2", "email": "a@b.test"}, "", "email"},
	}
	for _, tt := range tests {
		var names []string
		for _, e := range fieldtext.Besides(tt.p, tt.values, tt.customer) {
			names = append(names, e.Field.Name)
		}
		if got := strings.Join(names, " "); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
