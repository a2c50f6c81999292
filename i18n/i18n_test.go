package i18n

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"unicode"
)

func TestT(t *testing.T) {
	tests := []struct {
		lang Lang
		key  string
		args []any
		want string
	}{
		{EN, "catalog.title", nil, "Catalogue"},
		{AR, "catalog.title", nil, "قائمة المنتجات"},
		{EN, "result.sold", nil, "SOLD ✓"},
		{AR, "result.sold", nil, "تم البيع ✓"},
		{EN, "result.title", []any{"0011234500000001"}, "Sale 0011234500000001"},
		{AR, "result.title", []any{"0011234500000001"}, "عملية البيع 0011234500000001"},
		{EN, "confirm.price_changed", []any{"50.00 SAR", "51.00 SAR"}, "PRICE CHANGED since the catalogue was loaded: was 50.00 SAR, now 51.00 SAR."},
		{AR, "catalog.shown", []any{3, 120}, "3 من أصل 120 منتج"},
		// Unknown language: English.
		{"fr", "label.pin", nil, "PIN"},
		// Unknown key: the key itself.
		{AR, "no.such.key", nil, "no.such.key"},
		{EN, "no.such.key", []any{1}, "no.such.key"},
		// A message without verbs ignores arguments.
		{EN, "label.pin", []any{"x"}, "PIN"},
	}
	for _, tt := range tests {
		if got := T(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%s, %s, %v) = %q, want %q", tt.lang, tt.key, tt.args, got, tt.want)
		}
	}
	if AR.T("label.reference") != "المرجع" {
		t.Error("Lang.T")
	}
}

func TestFallbackToEnglish(t *testing.T) {
	saved := messages[AR]["label.value"]
	delete(messages[AR], "label.value")
	defer func() { messages[AR]["label.value"] = saved }()
	if got := T(AR, "label.value"); got != "Value" {
		t.Fatalf("T(ar) of a key only English has = %q", got)
	}
	if Has(AR, "label.value") || !Has(EN, "label.value") {
		t.Fatal("Has")
	}
}

// TestEnglishMatchesTheScreens pins the English texts to what the screens
// print today, so moving a screen to T changes nothing in English.
func TestEnglishMatchesTheScreens(t *testing.T) {
	want := map[string]string{
		"catalog.title":              "Catalogue",
		"confirm.title":              "Confirm",
		"recovery.title":             "Open sales",
		"catalog.search_prompt":      "Search: ",
		"catalog.search_placeholder": "type a product, brand, network or provider",
		"label.customer_pays":        "Customer pays",
		"label.cost":                 "Cost",
		"label.vat":                  "VAT",
		"label.reference":            "Reference",
		"label.pin":                  "PIN",
		"label.serial":               "Serial",
		"label.expires":              "Expires",
		"label.how_to_use":           "How to use",
		"result.sold":                "SOLD ✓",
		"result.not_sold":            "NOT SOLD — nothing was charged. Give the customer's money back.",
		"result.needs_review":        "NEEDS REVIEW — the provider cannot be asked. Do not sell again; call a supervisor.",
		"app.help_title":             "Keys on this screen",
		"app.help_close":             "Press any key to close.",
		"confirm.take_money":         "Take the money, then press enter to sell.",
		"key.confirm_sell":           "confirm and sell",
		"key.open_sales":             "open sales",
	}
	for k, v := range want {
		if got := T(EN, k); got != v {
			t.Errorf("T(en, %s) = %q, want %q", k, got, v)
		}
	}
}

func TestEveryKeyIsTranslated(t *testing.T) {
	en, ar := bases(EN), bases(AR)
	for k := range en {
		if !ar[k] {
			t.Errorf("%s has no Arabic", k)
		}
	}
	for k := range ar {
		if !en[k] {
			t.Errorf("%s is only in Arabic", k)
		}
	}
	// Every plural key has the forms its language needs.
	for k := range en {
		if !isPlural(EN, k) {
			continue
		}
		for _, f := range []string{"one", "other"} {
			if !Has(EN, k+"."+f) {
				t.Errorf("%s.%s missing in English", k, f)
			}
		}
		for _, f := range []string{"one", "two", "few", "many", "other"} {
			if !Has(AR, k+"."+f) {
				t.Errorf("%s.%s missing in Arabic", k, f)
			}
		}
	}
}

var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

// bases is the set of keys of lang with plural forms folded into one.
func bases(lang Lang) map[string]bool {
	out := map[string]bool{}
	for k := range messages[lang] {
		out[baseKey(k)] = true
	}
	return out
}

func baseKey(k string) string {
	for _, f := range pluralForms {
		if b, ok := strings.CutSuffix(k, "."+f); ok {
			return b
		}
	}
	return k
}

func isPlural(lang Lang, base string) bool { return Has(lang, base+".other") }

// TestVerbsAgree: a translation formats the same arguments with the same
// verbs as English (a plural form may name the count in words instead).
func TestVerbsAgree(t *testing.T) {
	for _, k := range Keys(AR) {
		ar := messages[AR][k]
		enKey := k
		if !Has(EN, enKey) {
			enKey = baseKey(k) + ".other"
		}
		en, ok := messages[EN][enKey]
		if !ok {
			continue // reported by TestEveryKeyIsTranslated
		}
		ev, err1 := verbs(en)
		av, err2 := verbs(ar)
		if err1 != nil || err2 != nil {
			t.Errorf("%s: %v %v", k, err1, err2)
			continue
		}
		plural := baseKey(k) != k
		for i, v := range av {
			if ev[i] != v {
				t.Errorf("%s: Arabic formats argument %d with %%%c, English with %%%c", k, i+1, v, ev[i])
			}
		}
		if !plural && !maps.Equal(ev, av) {
			t.Errorf("%s: Arabic verbs %v, English %v", k, av, ev)
		}
	}
}

// verbs maps each argument index (0-based) a format uses to its verb.
func verbs(format string) (map[int]rune, error) {
	out := map[int]rune{}
	arg := 0
	rs := []rune(format)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '%' {
			continue
		}
		i++
		for i < len(rs) && strings.ContainsRune("+-# 0123456789.", rs[i]) {
			i++
		}
		if i < len(rs) && rs[i] == '[' {
			j := i + 1
			n := 0
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				n = n*10 + int(rs[j]-'0')
				j++
			}
			if j >= len(rs) || rs[j] != ']' || n == 0 {
				return nil, fmt.Errorf("bad index in %q", format)
			}
			arg, i = n-1, j+1
		}
		if i >= len(rs) {
			return nil, fmt.Errorf("%q ends in %%", format)
		}
		if rs[i] == '%' {
			continue
		}
		out[arg] = rs[i]
		arg++
	}
	return out, nil
}

// TestWesternDigits: translations keep numbers in 0–9.
func TestWesternDigits(t *testing.T) {
	for _, lang := range Langs() {
		for k, v := range messages[lang] {
			for _, r := range v {
				if unicode.IsDigit(r) && (r < '0' || r > '9') {
					t.Errorf("%s %s: %q has the digit %q", lang, k, v, r)
				}
			}
		}
	}
	if got := Plural(AR, "catalog.refreshed", 15); !strings.Contains(got, "15") {
		t.Errorf("Plural(ar, 15) = %q", got)
	}
}

// TestArabicIsArabic: every Arabic message that is not a brand has Arabic
// letters and reads right to left.
func TestArabicIsArabic(t *testing.T) {
	brands := map[string]bool{"app.name": true}
	for k, v := range messages[AR] {
		if brands[k] {
			continue
		}
		if !HasRTL(v) {
			t.Errorf("%s: %q has no Arabic", k, v)
		}
	}
}

func TestPlural(t *testing.T) {
	tests := []struct {
		lang Lang
		n    int
		want string
	}{
		{EN, 1, "1 sale not settled yet. Never sell it again."},
		{EN, 0, "0 sales not settled yet. Never sell them again."},
		{EN, 7, "7 sales not settled yet. Never sell them again."},
		{AR, 1, "عملية بيع واحدة لم تُسوَّ بعد. لا تبعها مرة أخرى أبدًا."},
		{AR, 2, "عمليتا بيع لم تُسوَّيا بعد. لا تبعهما مرة أخرى أبدًا."},
		{AR, 3, "3 عمليات بيع لم تُسوَّ بعد. لا تبعها مرة أخرى أبدًا."},
		{AR, 10, "10 عمليات بيع لم تُسوَّ بعد. لا تبعها مرة أخرى أبدًا."},
		{AR, 11, "11 عملية بيع لم تُسوَّ بعد. لا تبعها مرة أخرى أبدًا."},
		{AR, 100, "100 عملية بيع لم تُسوَّ بعد. لا تبعها مرة أخرى أبدًا."},
		{AR, 103, "103 عمليات بيع لم تُسوَّ بعد. لا تبعها مرة أخرى أبدًا."},
		{AR, 0, "0 عملية بيع لم تُسوَّ بعد. لا تبعها مرة أخرى أبدًا."}, // no zero form: other
	}
	for _, tt := range tests {
		if got := Plural(tt.lang, "recovery.open", tt.n); got != tt.want {
			t.Errorf("Plural(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	if got := Plural(AR, "catalog.refreshed", 0); got != "تم تحديث قائمة المنتجات: لا توجد منتجات" {
		t.Errorf("zero form: %q", got)
	}
	if got := Plural(AR, "fields.digits_exact", 9); got != "9 أرقام" {
		t.Errorf("Plural(ar, digits, 9) = %q", got)
	}
	if got := Plural(AR, "fields.digits_exact", 16); got != "16 رقمًا" {
		t.Errorf("Plural(ar, digits, 16) = %q", got)
	}
	// A key with no plural forms falls back to T with the count first.
	if got := Plural(EN, "catalog.shown", 3, 10); got != "3 of 10 products" {
		t.Errorf("Plural of a plain key = %q", got)
	}
	if got := Plural(AR, "no.such", 3); got != "no.such" {
		t.Errorf("Plural of a missing key = %q", got)
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"": EN, "en": EN, "EN": EN, "English": EN, "en_US.UTF-8": EN,
		"ar": AR, "ar-YE": AR, "ar_SA.UTF-8": AR, "Arabic": AR, "العربية": AR} {
		got, err := ParseLang(in)
		if err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseLang("fr"); err == nil {
		t.Error("ParseLang(fr) = nil error")
	}
	if !AR.RTL() || EN.RTL() {
		t.Error("RTL")
	}
}

// TestArabicScreenLine shows the whole path for one line of an Arabic
// screen on a terminal that does not reorder: translate, reorder, align.
func TestArabicScreenLine(t *testing.T) {
	label := T(AR, "label.customer_pays")
	line := Display(AppReorders, label+"  51.00 SAR")
	want := "SAR 51.00  " + rev(Shape("العميل")) + " " + rev(Shape("يدفع"))
	if line != want {
		t.Fatalf("line = %q, want %q", line, want)
	}
	if got := AlignRight(line, 30); len([]rune(got)) != 30 || !strings.HasSuffix(got, want) {
		t.Fatalf("AlignRight = %q", got)
	}
}

// The kiosk's own errors read in English for logs and the command line,
// in the clerk's language on a screen, and keep what they wrap.
func TestErrorsInTheClerksLanguage(t *testing.T) {
	inner := Errorf("sale.err_no_key")
	err := fmt.Errorf("prepare: %w", Errorf("sale.no_key", "iTunes 50", inner))
	if !errors.Is(err, inner) {
		t.Fatal("the wrapped error is lost")
	}
	en := err.Error()
	if !strings.Contains(en, "cannot sell iTunes 50: the journal key is not available") {
		t.Errorf("English: %q", en)
	}
	ar := In(AR, err)
	if !strings.Contains(ar, "لا يمكن بيع iTunes 50: مفتاح السجل غير متاح") || strings.Contains(ar, "journal key is") {
		t.Errorf("Arabic: %q", ar)
	}
	if got := In(AR, errors.New("a provider's own words")); got != "a provider's own words" {
		t.Errorf("another error in Arabic: %q", got)
	}
}
