package providers

import "fmt"

// Rule names the rule a value broke, so that a screen can say it in the
// clerk's language while the providers stay free of any language: the
// translations are keyed "field.rule."+Rule (package i18n), and take the
// field's label, then the error's Args.
type Rule string

// The rules Field.Validate checks.
const (
	RuleRequired   Rule = "required"    // no value
	RuleMinLen     Rule = "min_len"     // Args: the minimum, the length typed
	RuleMaxLen     Rule = "max_len"     // Args: the maximum, the length typed
	RuleDigits     Rule = "digits"      // a digit field with something else in it
	RuleWhole      Rule = "whole"       // a count that is not a whole number
	RulePositive   Rule = "positive"    // an amount of zero or less
	RuleEmail      Rule = "email"       // not an e-mail address
	RuleNumber     Rule = "number"      // an amount that is not a number
	RuleMin        Rule = "min"         // Args: the minimum
	RuleMax        Rule = "max"         // Args: the maximum
	RuleChoice     Rule = "choice"      // not one of the choices
	RuleHint       Rule = "hint"        // the pattern failed: the field's hint says what it takes
	RuleFormat     Rule = "format"      // the pattern failed and the field has no hint
	RuleBadPattern Rule = "bad_pattern" // Args: why the product's pattern does not compile
)

// FieldError is a value a field refuses. Error is the English text (the
// command line's and the log's); a screen translates Rule instead.
type FieldError struct {
	Field Field
	Rule  Rule
	Args  []any
}

func (f Field) fail(r Rule, args ...any) *FieldError {
	return &FieldError{Field: f, Rule: r, Args: args}
}

// english are the rules' texts, the field's label first.
var english = map[Rule]string{
	RuleRequired:   "%s is required",
	RuleMinLen:     "%s must be at least %d characters (got %d)",
	RuleMaxLen:     "%s must be at most %d characters (got %d)",
	RuleDigits:     "%s must contain digits only",
	RuleWhole:      "%s must be a whole number",
	RulePositive:   "%s must be more than zero",
	RuleEmail:      "%s is not a valid e-mail address",
	RuleNumber:     "%s must be a number like 25 or 12.50",
	RuleMin:        "%s must be at least %s",
	RuleMax:        "%s must be at most %s",
	RuleChoice:     "%s must be one of the listed choices",
	RuleHint:       "%s: %s",
	RuleFormat:     "%s has the wrong format",
	RuleBadPattern: "%s: bad pattern in product definition: %v",
}

func (e *FieldError) Error() string {
	label := e.Field.Label
	if label == "" {
		label = e.Field.Name
	}
	if e.Rule == RuleHint {
		return fmt.Sprintf(english[RuleHint], label, e.Field.PatternHint)
	}
	return fmt.Sprintf(english[e.Rule], append([]any{label}, e.Args...)...)
}
