package providers

import (
	"fmt"
	"strconv"
	"strings"
)

// NumberOrText reads a configuration value that TOML may write as a
// number or a string (a provider's code: 23 or "23"), for the
// UnmarshalTOML methods of such types; what names it in the error.
func NumberOrText(v any, what string) (string, error) {
	switch t := v.(type) {
	case int64:
		return strconv.FormatInt(t, 10), nil
	case string:
		return strings.TrimSpace(t), nil
	}
	return "", fmt.Errorf("%s must be a number, got %T", what, v)
}
