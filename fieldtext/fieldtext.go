// Package fieldtext says a product's fields in the clerk's language: their
// labels, the rules their values follow, the values as a person reads them
// (a choice's name, not its code) and why a value was refused. The
// providers stay free of any language: they give a field an Arabic label
// of their own where they have one, a hint key where the kiosk wrote the
// hint, and refusals as a rule and its arguments (providers.FieldError);
// this package turns those into words. The screens, the receipt and the
// command line share it, so a rule reads the same everywhere.
package fieldtext

import (
	"errors"
	"strings"

	"kiosk/i18n"
	"kiosk/operators"
	"kiosk/providers"
	"kiosk/termtext"
)

// Label is the field's label in lang: the provider's Arabic label in
// Arabic when it has one, else its label, else its name. The amount and
// unit count the screens add take the catalogue's words.
func Label(lang i18n.Lang, f providers.Field) string {
	if lang == i18n.AR && strings.TrimSpace(f.LabelAr) != "" {
		return termtext.Line(f.LabelAr)
	}
	if lang != i18n.EN || f.Label == "" {
		switch f.Name {
		case providers.AmountName:
			return i18n.T(lang, "label.amount")
		case providers.UnitsName:
			return i18n.T(lang, "label.number_units")
		}
	}
	if f.Label != "" {
		return termtext.Line(f.Label)
	}
	return termtext.Line(f.Name)
}

// Hint is the field's pattern hint in lang: the kiosk's own hint
// translated (HintKey), or the provider's as the provider wrote it.
func Hint(lang i18n.Lang, f providers.Field) string {
	if f.HintKey != "" && i18n.Has(i18n.EN, "hint."+f.HintKey) {
		args := make([]any, len(f.HintArgs))
		for i, a := range f.HintArgs {
			args[i] = a
		}
		return i18n.T(lang, "hint."+f.HintKey, args...)
	}
	return termtext.Line(f.PatternHint)
}

// Rule says what a field takes, before anything is typed: its length, its
// hint and whether it may stay empty ("9 digits · a Yemeni mobile number
// has 9 digits and starts with 7").
func Rule(lang i18n.Lang, f providers.Field) string {
	var parts []string
	exact, span := "fields.chars_exact", "fields.chars_range"
	switch f.Kind {
	case providers.FieldDigits, providers.FieldPhone, providers.FieldQuantity:
		exact, span = "fields.digits_exact", "fields.digits_range"
	case providers.FieldChoice:
		exact, span = "", ""
	}
	switch {
	case exact == "":
	case f.MinLen > 0 && f.MinLen == f.MaxLen:
		parts = append(parts, i18n.Plural(lang, exact, f.MinLen))
	case f.MaxLen > 0:
		parts = append(parts, i18n.T(lang, span, max(f.MinLen, 1), f.MaxLen))
	}
	if h := Hint(lang, f); h != "" {
		parts = append(parts, h)
	}
	if !f.Required {
		parts = append(parts, i18n.T(lang, "fields.optional"))
	}
	return strings.Join(parts, " · ")
}

// Value is a field's value as a person reads it: a choice's name, else
// the value, on one clean line.
func Value(f providers.Field, v string) string { return termtext.Line(f.Shown(v)) }

// Error is why a value was refused, in lang: a field's refusal
// (providers.FieldError) or a number from another network's series
// (operators.MismatchError) in the clerk's words, any other error as it
// is. English is the error's own text, which the command line prints too.
func Error(lang i18n.Lang, err error) string {
	if err == nil {
		return ""
	}
	if lang == i18n.EN {
		return err.Error()
	}
	var fe *providers.FieldError
	if errors.As(err, &fe) {
		return fieldError(lang, fe)
	}
	var me *operators.MismatchError
	if errors.As(err, &me) {
		return mismatch(lang, me)
	}
	return err.Error()
}

func fieldError(lang i18n.Lang, fe *providers.FieldError) string {
	label := Label(lang, fe.Field)
	if fe.Rule == providers.RuleHint {
		return i18n.T(lang, "field.rule.hint", label, Hint(lang, fe.Field))
	}
	key := "field.rule." + string(fe.Rule)
	if !i18n.Has(lang, key) {
		return fe.Error()
	}
	return i18n.T(lang, key, append([]any{label}, fe.Args...)...)
}

func mismatch(lang i18n.Lang, e *operators.MismatchError) string {
	want := strings.Join(e.Wanted, "/")
	switch e.Problem {
	case operators.OtherNetwork:
		return i18n.T(lang, "operators.other_network", e.Number, e.Actual, e.Prefix, e.Chosen, want)
	case operators.UnknownPrefix:
		return i18n.T(lang, "operators.unknown", e.Number, e.Chosen, want)
	case operators.WrongLength:
		return i18n.T(lang, "operators.length", e.Number, e.Digits, e.Chosen, e.Length)
	case operators.OtherCountry:
		return i18n.T(lang, "operators.country", e.Number, e.Country)
	}
	return i18n.T(lang, "field.rule.digits", e.Number)
}

// Entry is one value the clerk entered for a sale.
type Entry struct {
	Field providers.Field
	Value string
}

// Entered are the values the clerk typed or chose for p, in the product's
// field order: every visible field with a value (a game's player id and
// zone, India's circle), not the hidden ones the provider fills in.
func Entered(p providers.Product, values map[string]string) []Entry {
	var out []Entry
	for _, f := range p.Fields {
		if v := strings.TrimSpace(values[f.Name]); v != "" && !f.Hidden {
			out = append(out, Entry{Field: f, Value: v})
		}
	}
	return out
}

// Besides are the entries of a sale to show besides the customer's number,
// which has a line of its own: not the phone or digits field that holds
// that number, nor a count of items (a quantity line says it; a MOR card
// count journaled as digits is a count too). customer is "" when no
// number line is shown.
func Besides(p providers.Product, values map[string]string, customer string) []Entry {
	var out []Entry
	skipped := customer == ""
	for _, e := range Entered(p, values) {
		switch {
		case e.Field.Kind == providers.FieldQuantity:
		case p.Kind == providers.KindCallingCard && e.Field.Name == "quantity":
		case !skipped && e.Value == customer && (e.Field.Kind == providers.FieldPhone || e.Field.Kind == providers.FieldDigits):
			skipped = true
		default:
			out = append(out, e)
		}
	}
	return out
}
