// Package secret holds credentials so they cannot leak by accident: a Value
// prints as "[redacted]" in logs, errors, JSON and %v, and is read only with
// Reveal at the one place it is used (a signature or a request body).
package secret

import (
	"fmt"
	"os"
	"strings"
)

// Value is a secret string.
type Value struct{ s string }

// New wraps s.
func New(s string) Value { return Value{s} }

// Reveal returns the secret itself. Call it only to sign or send.
func (v Value) Reveal() string { return v.s }

// IsZero reports whether no secret is set.
func (v Value) IsZero() bool { return v.s == "" }

const redacted = "[redacted]"

func (v Value) String() string   { return redacted }
func (v Value) GoString() string { return redacted }

// Format keeps %q, %x and friends from printing the secret too.
func (v Value) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalText never writes the secret.
func (v Value) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// EnvPrefix marks a config value read from the environment: "env:BITAQATY_SECRET".
const EnvPrefix = "env:"

// UnmarshalTOML reads a secret from a TOML value, which must be a string.
// The TOML decoder would otherwise turn secret_key = 5 into the text "5"
// through UnmarshalText: an unquoted key has lost its leading zeros or is
// not the key at all, so a number, boolean, date, array or table is an
// error. The error names the type, never the value.
func (v *Value) UnmarshalTOML(data any) error {
	s, ok := data.(string)
	if !ok {
		return fmt.Errorf("a secret must be a quoted string (\"...\" or \"env:NAME\"), not %s", tomlKind(data))
	}
	return v.UnmarshalText([]byte(s))
}

// tomlKind names the kind of a decoded TOML value for an error message.
func tomlKind(data any) string {
	switch data.(type) {
	case int64, float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}

// UnmarshalText reads a secret from config text. "env:NAME" takes the value
// of the environment variable NAME; a missing or empty variable is an error
// that names the variable (not its value).
func (v *Value) UnmarshalText(b []byte) error {
	s := string(b)
	if name, ok := strings.CutPrefix(s, EnvPrefix); ok {
		val, set := os.LookupEnv(name)
		if !set || val == "" {
			return fmt.Errorf("environment variable %s is not set", name)
		}
		s = val
	}
	v.s = s
	return nil
}
