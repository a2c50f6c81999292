package providers

import (
	"fmt"
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
	Pattern     string         `json:"pattern,omitempty"`
	PatternHint string         `json:"pattern_hint,omitempty"` // said to the clerk when Pattern fails
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
// that names the field and says what is wrong.
func (f Field) Validate(v string) error {
	v = strings.TrimSpace(v)
	label := f.Label
	if label == "" {
		label = f.Name
	}
	if v == "" {
		if f.Required {
			return fmt.Errorf("%s is required", label)
		}
		return nil
	}
	n := utf8.RuneCountInString(v)
	if f.MinLen > 0 && n < f.MinLen {
		return fmt.Errorf("%s must be at least %d characters (got %d)", label, f.MinLen, n)
	}
	if f.MaxLen > 0 && n > f.MaxLen {
		return fmt.Errorf("%s must be at most %d characters (got %d)", label, f.MaxLen, n)
	}
	switch f.Kind {
	case FieldDigits, FieldPhone:
		if !digitsOnly(v) {
			return fmt.Errorf("%s must contain digits only", label)
		}
	case FieldQuantity:
		d, err := money.Parse(v)
		if !digitsOnly(v) || err != nil {
			return fmt.Errorf("%s must be a whole number", label)
		}
		if f.Min != nil && d.Cmp(*f.Min) < 0 {
			return fmt.Errorf("%s must be at least %s", label, f.Min)
		}
		if f.Max != nil && d.Cmp(*f.Max) > 0 {
			return fmt.Errorf("%s must be at most %s", label, f.Max)
		}
	case FieldEmail:
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			return fmt.Errorf("%s is not a valid e-mail address", label)
		}
	case FieldAmount:
		d, err := money.Parse(v)
		if err != nil {
			return fmt.Errorf("%s must be a number like 25 or 12.50", label)
		}
		if f.Min != nil && d.Cmp(*f.Min) < 0 {
			return fmt.Errorf("%s must be at least %s", label, f.Min)
		}
		if f.Max != nil && d.Cmp(*f.Max) > 0 {
			return fmt.Errorf("%s must be at most %s", label, f.Max)
		}
	case FieldChoice:
		ok := false
		for _, c := range f.Choices {
			ok = ok || c.Value == v
		}
		if !ok {
			return fmt.Errorf("%s must be one of the listed choices", label)
		}
	}
	if f.Pattern != "" {
		re, err := regexp.Compile("^(?:" + f.Pattern + ")$")
		if err != nil {
			return fmt.Errorf("%s: bad pattern in product definition: %v", label, err)
		}
		if !re.MatchString(v) {
			if f.PatternHint != "" {
				return fmt.Errorf("%s: %s", label, f.PatternHint)
			}
			return fmt.Errorf("%s has the wrong format", label)
		}
	}
	return nil
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

// ValidateAmount checks an amount or unit count against the product's range.
func (p Product) ValidateAmount(a money.Decimal) error {
	switch p.PriceKind {
	case PriceRange, PriceUnits:
		what := "amount"
		if p.PriceKind == PriceUnits {
			what = "number of units"
			if _, whole := a.IntPart(); !whole {
				return fmt.Errorf("%s must be a whole number", what)
			}
		}
		if a.Sign() <= 0 {
			return fmt.Errorf("%s must be more than zero", what)
		}
		if !p.MinAmount.IsZero() && a.Cmp(p.MinAmount.Amount) < 0 {
			return fmt.Errorf("%s must be at least %s", what, p.MinAmount.Amount)
		}
		if !p.MaxAmount.IsZero() && a.Cmp(p.MaxAmount.Amount) > 0 {
			return fmt.Errorf("%s must be at most %s", what, p.MaxAmount.Amount)
		}
	}
	return nil
}
