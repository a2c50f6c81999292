package providers

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"kiosk/money"
)

// FieldKind says what sort of value a field holds, which decides the
// keyboard help, the validation and how the value is masked in lists.
type FieldKind string

// Field kinds.
const (
	FieldText   FieldKind = "text"
	FieldDigits FieldKind = "digits" // account, player or card numbers
	FieldPhone  FieldKind = "phone"  // a customer's mobile number (masked in lists)
	FieldEmail  FieldKind = "email"
	FieldAmount FieldKind = "amount" // a decimal number
	FieldChoice FieldKind = "choice" // one of Choices
	// FieldQuantity is a count of items (MOR's cards per sale): digits,
	// and never the customer's number.
	FieldQuantity FieldKind = "quantity"
)

// Choice is one allowed value of a FieldChoice field.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Field is one value the clerk enters for a product. Name is the provider's
// wire name; Label is shown to the clerk.
type Field struct {
	Name     string    `json:"name"`
	Label    string    `json:"label"`
	LabelAr  string    `json:"label_ar,omitempty"`
	Kind     FieldKind `json:"kind"`
	Required bool      `json:"required,omitempty"`
	MinLen   int       `json:"min_len,omitempty"`
	MaxLen   int       `json:"max_len,omitempty"`
	// Pattern is a regular expression the whole value must match (anchored).
	Pattern     string `json:"pattern,omitempty"`
	PatternHint string `json:"pattern_hint,omitempty"` // said to the clerk when Pattern fails
	// HintKey names the translation of PatternHint (package i18n's
	// "hint."+HintKey, formatted with HintArgs) when the kiosk wrote the
	// hint; empty for a hint in the provider's own words, which is shown
	// as the provider wrote it.
	HintKey     string         `json:"hint_key,omitempty"`
	HintArgs    []string       `json:"hint_args,omitempty"`
	Min         *money.Decimal `json:"min,omitempty"`
	Max         *money.Decimal `json:"max,omitempty"`
	Choices     []Choice       `json:"choices,omitempty"`
	Default     string         `json:"default,omitempty"`
	Placeholder string         `json:"placeholder,omitempty"`
	// Confirm asks the clerk to type the value twice (Bitaqaty's confirmRequired).
	Confirm bool `json:"confirm,omitempty"`
	Hidden  bool `json:"hidden,omitempty"`

	// CallingCode is the country calling code of a phone field ("967"), so
	// that a number typed in international form (+967 771234567,
	// 00967771234567) or with the trunk 0 (0771234567) becomes the form the
	// provider takes. NationalLen is the length of the national number.
	// International says the provider takes the number with its calling
	// code and without + or 00 (DT One's account_number).
	CallingCode   string `json:"calling_code,omitempty"`
	NationalLen   int    `json:"national_len,omitempty"`
	International bool   `json:"international,omitempty"`
}

// Normalize turns what a clerk or a script typed into the form the
// provider takes: surrounding space always goes; in a phone field the
// spaces, dashes, dots and brackets people write numbers with go too, and,
// where the field names its country, so do an international prefix and a
// trunk 0. It never cuts a number: one that is too long stays too long,
// and Validate says so.
func (f Field) Normalize(v string) string {
	v = strings.TrimSpace(v)
	if f.Kind != FieldPhone {
		return v
	}
	var b strings.Builder
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9', r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ', r == '-', r == '.', r == '(', r == ')', r == '\u00a0':
		default:
			return v // something that is not a number: Validate names it
		}
	}
	n := b.String()
	cc := f.CallingCode
	if cc == "" {
		return strings.TrimPrefix(n, "+")
	}
	national, ok := "", false
	switch {
	case strings.HasPrefix(n, "+"+cc):
		national, ok = n[1+len(cc):], true
	case strings.HasPrefix(n, "00"+cc):
		national, ok = n[2+len(cc):], true
	case strings.HasPrefix(n, "+"), strings.HasPrefix(n, "00"):
		return strings.TrimPrefix(n, "+") // another country's number: Validate refuses it
	case f.NationalLen > 0 && len(n) == len(cc)+f.NationalLen && strings.HasPrefix(n, cc):
		national, ok = n[len(cc):], true
	case f.International && strings.HasPrefix(n, cc) && !strings.HasPrefix(n, "0"):
		national, ok = n[len(cc):], true
	}
	if !ok {
		national = n
	}
	if strings.HasPrefix(national, "0") && (f.NationalLen == 0 || len(national) == f.NationalLen+1) {
		national = national[1:]
	}
	if f.International {
		if !ok && f.NationalLen > 0 && len(national) != f.NationalLen {
			return n // not this country's number as typed: Validate says what the form is
		}
		return cc + national
	}
	return national
}

// Validate checks one value against the field's rules and returns an error
// that names the field and says what is wrong: a *FieldError, whose Error
// is the English text and whose Rule and Args let a screen say it in the
// clerk's language.
func (f Field) Validate(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		if f.Required {
			return f.fail(RuleRequired)
		}
		return nil
	}
	n := utf8.RuneCountInString(v)
	if f.MinLen > 0 && n < f.MinLen {
		return f.fail(RuleMinLen, f.MinLen, n)
	}
	if f.MaxLen > 0 && n > f.MaxLen {
		return f.fail(RuleMaxLen, f.MaxLen, n)
	}
	if err := f.validateKind(v); err != nil {
		return err
	}
	if f.Pattern != "" {
		re, err := regexp.Compile("^(?:" + f.Pattern + ")$")
		if err != nil {
			return f.fail(RuleBadPattern, err.Error())
		}
		if !re.MatchString(v) {
			if f.PatternHint != "" {
				return f.fail(RuleHint)
			}
			return f.fail(RuleFormat)
		}
	}
	return nil
}

// validateKind checks what the field's kind takes.
func (f Field) validateKind(v string) error {
	switch f.Kind {
	case FieldDigits, FieldPhone:
		if !digitsOnly(v) {
			return f.fail(RuleDigits)
		}
	case FieldQuantity:
		d, err := money.Parse(v)
		if !digitsOnly(v) || err != nil {
			return f.fail(RuleWhole)
		}
		return f.bounds(d)
	case FieldEmail:
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			return f.fail(RuleEmail)
		}
	case FieldAmount:
		d, err := money.Parse(v)
		if err != nil {
			return f.fail(RuleNumber)
		}
		return f.bounds(d)
	case FieldChoice:
		if _, ok := f.Choice(v); !ok {
			return f.fail(RuleChoice)
		}
	}
	return nil
}

// bounds checks a number against Min and Max.
func (f Field) bounds(d money.Decimal) error {
	if f.Min != nil && d.Cmp(*f.Min) < 0 {
		return f.fail(RuleMin, f.Min.String())
	}
	if f.Max != nil && d.Cmp(*f.Max) > 0 {
		return f.fail(RuleMax, f.Max.String())
	}
	return nil
}

// Choice is the choice whose value is v.
func (f Field) Choice(v string) (Choice, bool) {
	for _, c := range f.Choices {
		if c.Value == v {
			return c, true
		}
	}
	return Choice{}, false
}

// Shown is how a value of the field reads to a person: a choice's label
// (India's "Delhi NCR", not its code "5"), else the value itself.
func (f Field) Shown(v string) string {
	if c, ok := f.Choice(v); ok && c.Label != "" {
		return c.Label
	}
	return v
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// NormalizeFields returns the values in the form the provider takes (see
// Field.Normalize); values of names the product does not have are kept.
func (p Product) NormalizeFields(values map[string]string) map[string]string {
	out := make(map[string]string, len(values))
	for k, v := range values {
		out[k] = v
	}
	for _, f := range p.Fields {
		if v, ok := out[f.Name]; ok {
			out[f.Name] = f.Normalize(v)
		}
	}
	return out
}

// ValidateFields checks every field of a product, including required fields
// that are missing from values, and returns the first problem found in the
// product's field order.
func (p Product) ValidateFields(values map[string]string) error {
	for _, f := range p.Fields {
		if err := f.Validate(values[f.Name]); err != nil {
			return err
		}
	}
	return nil
}

// The names of the amount a clerk enters for a range-priced product and
// of the unit count of a unit-priced one, as ValidateAmount's errors name
// them (a screen gives them its own label).
const (
	AmountName = "amount"
	UnitsName  = "units"
)

// ValidateAmount checks an amount or unit count against the product's
// range; its error is a *FieldError of a field named AmountName or
// UnitsName.
func (p Product) ValidateAmount(a money.Decimal) error {
	switch p.PriceKind {
	case PriceRange, PriceUnits:
		f := Field{Name: AmountName, Label: "amount", Kind: FieldAmount}
		if p.PriceKind == PriceUnits {
			f = Field{Name: UnitsName, Label: "number of units", Kind: FieldQuantity}
			if _, whole := a.IntPart(); !whole {
				return f.fail(RuleWhole)
			}
		}
		if a.Sign() <= 0 {
			return f.fail(RulePositive)
		}
		if !p.MinAmount.IsZero() && a.Cmp(p.MinAmount.Amount) < 0 {
			return f.fail(RuleMin, p.MinAmount.Amount.String())
		}
		if !p.MaxAmount.IsZero() && a.Cmp(p.MaxAmount.Amount) > 0 {
			return f.fail(RuleMax, p.MaxAmount.Amount.String())
		}
	}
	return nil
}
