// Package money holds exact decimal amounts with their currency. Amounts are
// never float64: provider numbers are parsed straight from their JSON text into
// a fixed-point integer, and totals only add amounts of the same currency.
package money

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Scale is the number of decimal places a Decimal keeps. Six places hold every
// price and VAT amount the providers send; a value with more places is
// rejected rather than silently rounded.
const Scale = 6

const unit = 1_000_000 // 10^Scale

// Decimal is an exact decimal number with Scale fractional digits, stored as
// an integer count of millionths.
type Decimal struct{ micros int64 }

// Zero is the zero Decimal.
var Zero Decimal

// ErrPrecision means a number had more fractional digits than Scale.
var ErrPrecision = errors.New("more than 6 decimal places")

// FromInt returns the Decimal for a whole number.
func FromInt(n int64) Decimal { return Decimal{n * unit} }

// FromMinor returns the Decimal for n units of 10^-places (FromMinor(1050, 2) is 10.50).
func FromMinor(n int64, places int) Decimal {
	m := n
	for i := places; i < Scale; i++ {
		m *= 10
	}
	return Decimal{m}
}

// Parse reads a decimal number written in plain notation ("12", "-3.45",
// "0.5"). Exponents, thousands separators and more than Scale decimal places
// are errors: a price is never guessed at.
func Parse(s string) (Decimal, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Zero, fmt.Errorf("parse decimal %q: empty", s)
	}
	neg := false
	switch t[0] {
	case '-':
		neg, t = true, t[1:]
	case '+':
		t = t[1:]
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" && frac == "" || hasDot && frac == "" && whole == "" {
		return Zero, fmt.Errorf("parse decimal %q: no digits", s)
	}
	if !allDigits(whole) || !allDigits(frac) {
		return Zero, fmt.Errorf("parse decimal %q: not a plain decimal number", s)
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > Scale {
		return Zero, fmt.Errorf("parse decimal %q: %w", s, ErrPrecision)
	}
	var w int64
	if whole != "" {
		var err error
		w, err = strconv.ParseInt(whole, 10, 64)
		if err != nil || w > (1<<63-1)/unit {
			return Zero, fmt.Errorf("parse decimal %q: out of range", s)
		}
	}
	var f int64
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", Scale-len(frac)), 10, 64)
	}
	v := w*unit + f
	if neg {
		v = -v
	}
	return Decimal{v}, nil
}

// MustParse is Parse for constants in code and tests; it panics on error.
func MustParse(s string) Decimal {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Add returns d+e.
func (d Decimal) Add(e Decimal) Decimal { return Decimal{d.micros + e.micros} }

// Sub returns d-e.
func (d Decimal) Sub(e Decimal) Decimal { return Decimal{d.micros - e.micros} }

// MulInt returns d×n, for units × unit price and quantities.
func (d Decimal) MulInt(n int64) Decimal { return Decimal{d.micros * n} }

// Cmp compares d and e: -1, 0 or +1.
func (d Decimal) Cmp(e Decimal) int {
	switch {
	case d.micros < e.micros:
		return -1
	case d.micros > e.micros:
		return 1
	}
	return 0
}

// IsZero reports whether d is zero.
func (d Decimal) IsZero() bool { return d.micros == 0 }

// Sign is -1, 0 or +1.
func (d Decimal) Sign() int { return d.Cmp(Zero) }

// Round returns d rounded half away from zero to the given decimal places.
// It is the only rounding in the program, and callers name the places.
func (d Decimal) Round(places int) Decimal {
	if places >= Scale {
		return d
	}
	step := int64(1)
	for i := places; i < Scale; i++ {
		step *= 10
	}
	q, r := d.micros/step, d.micros%step
	if r < 0 {
		r = -r
	}
	if 2*r >= step {
		if d.micros < 0 {
			q--
		} else {
			q++
		}
	}
	return Decimal{q * step}
}

// IntPart returns the whole-number part, truncated toward zero, and whether d
// had no fractional part.
func (d Decimal) IntPart() (int64, bool) { return d.micros / unit, d.micros%unit == 0 }

// String writes d with as many decimal places as it needs (at least none).
func (d Decimal) String() string {
	s := d.StringFixed(Scale)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// StringFixed writes d rounded to exactly places decimal places.
func (d Decimal) StringFixed(places int) string {
	r := d.Round(places).micros
	neg := r < 0
	if neg {
		r = -r
	}
	whole, frac := r/unit, r%unit
	s := strconv.FormatInt(whole, 10)
	if places > 0 {
		fs := fmt.Sprintf("%06d", frac)[:places]
		s += "." + fs
	}
	if neg && r != 0 {
		s = "-" + s
	}
	return s
}

// MarshalJSON writes d as a JSON string so no reader turns it into a float.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// UnmarshalJSON accepts a JSON number or a string holding one, because
// providers send both; null and "" leave d at zero.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*d = Zero
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		u, err := strconv.Unquote(s)
		if err != nil {
			return fmt.Errorf("decimal: %w", err)
		}
		s = strings.TrimSpace(u)
		if s == "" {
			*d = Zero
			return nil
		}
	}
	v, err := parseJSONNumber(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// parseJSONNumber also accepts exponent notation (1.5E2), which Java and PHP
// servers produce for doubles; the result must still fit Scale exactly.
func parseJSONNumber(s string) (Decimal, error) {
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	if !hasExp {
		return Parse(s)
	}
	e, err := strconv.Atoi(exp)
	if err != nil || e > 18 || e < -18 {
		return Zero, fmt.Errorf("parse decimal %q: bad exponent", s)
	}
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimLeft(mant, "+-")
	whole, frac, _ := strings.Cut(mant, ".")
	digits := whole + frac
	point := len(whole) + e
	switch {
	case point <= 0:
		digits = "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		digits += strings.Repeat("0", point-len(digits))
	default:
		digits = digits[:point] + "." + digits[point:]
	}
	if neg {
		digits = "-" + digits
	}
	return Parse(digits)
}

// MarshalText and UnmarshalText let Decimal sit in TOML and map keys.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses plain decimal text.
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Micros is d as a whole number of millionths, for compact binary records.
func (d Decimal) Micros() int64 { return d.micros }

// FromMicros is the Decimal of n millionths (what Micros returned).
func FromMicros(n int64) Decimal { return Decimal{n} }

// MarshalBinary writes the exact value for gob (the catalogue cache).
func (d Decimal) MarshalBinary() ([]byte, error) {
	return []byte(strconv.FormatInt(d.micros, 36)), nil
}

// UnmarshalBinary reads what MarshalBinary wrote.
func (d *Decimal) UnmarshalBinary(b []byte) error {
	v, err := strconv.ParseInt(string(b), 36, 64)
	if err != nil {
		return fmt.Errorf("decimal: %w", err)
	}
	d.micros = v
	return nil
}
