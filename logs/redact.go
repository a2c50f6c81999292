package logs

import (
	"encoding"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Redacted replaces a value that must never be logged.
const Redacted = "[redacted]"

// verbatim are the keys of the typed attributes whose values are codes and
// identifiers, logged as they are (control characters aside): a sale's
// reference, a provider's error code. Every other string is free text and
// is scrubbed.
var verbatim = map[string]bool{
	KeyStep: true, KeyRef: true, KeyProvider: true, KeyProduct: true, KeyState: true,
	KeyOp: true, KeyCode: true, KeyOutcome: true, KeyClerk: true, KeyBy: true,
}

// secretKey matches attribute keys (and "key=value" words in free text)
// that name a secret: pin, pin2, password, secret_key, api-key, token,
// signature, auth… Whatever their value, it is replaced.
var secretKey = regexp.MustCompile(`(?i)^(?:[a-z0-9]+[_.-])*(?:pins?|pin2|password|passwd|pwd|passphrase|secret|token|apikey|key|signature|sig|sign|auth|authorization|cookie|otp|hash|credentials?)(?:[_.-][a-z0-9]+)*$`)

// secretKeys caches secretKey's verdict per attribute key: a program logs
// few distinct keys, and the regexp costs more than the rest of a line.
var secretKeys sync.Map // key → bool

func isSecretKey(k string) bool {
	if v, ok := secretKeys.Load(k); ok {
		return v.(bool)
	}
	v := secretKey.MatchString(k)
	secretKeys.Store(k, v)
	return v
}

// replaceAttr is the handler's ReplaceAttr: it puts the injected clock on
// the record, redacts secrets by their key, masks customer numbers,
// scrubs free text and refuses to print values of unknown types (a struct
// printed with %+v would show every field, a voucher's PIN among them).
func replaceAttr(now func() time.Time) func([]string, slog.Attr) slog.Attr {
	return func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 {
			switch a.Key {
			case slog.TimeKey:
				if now != nil {
					a.Value = slog.TimeValue(now())
				}
				return a
			case slog.LevelKey:
				return a
			case slog.MessageKey:
				a.Value = slog.StringValue(Scrub(a.Value.String()))
				return a
			}
		}
		if isSecretKey(a.Key) {
			return slog.String(a.Key, Redacted)
		}
		switch a.Value.Kind() {
		case slog.KindString:
			a.Value = slog.StringValue(scrubValue(a.Key, a.Value.String()))
		case slog.KindAny:
			a.Value = slog.StringValue(scrubValue(a.Key, anyText(a.Value.Any())))
		}
		return a
	}
}

// scrubValue cleans one string attribute according to its key.
func scrubValue(key, s string) string {
	switch {
	case key == KeyCustomer:
		return mask(stripControls(s))
	case verbatim[key]:
		return stripControls(s)
	}
	return Scrub(s)
}

// anyText turns a value of no basic kind into text, or refuses it.
func anyText(v any) string {
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case error:
		return x.Error()
	case encoding.TextMarshaler: // secret.Value writes "[redacted]"
		b, err := x.MarshalText()
		if err != nil {
			return fmt.Sprintf("[%T: %v]", v, err)
		}
		return string(b)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprintf("[%T not logged: log its fields with the typed attributes]", v)
}

var (
	urlRE = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s"'<>]+`)
	// digitsRE: seven digits or more, maybe grouped by single spaces
	// (a customer's number, a numeric PIN), or three or more groups of at
	// least three digits joined by dashes (a card PIN) — not a date.
	digitsRE = regexp.MustCompile(`\d(?: ?\d){6,}|\d{3,}(?:-\d{3,}){2,}`)
	// tokenRE: eight or more letters and digits with at least two digits
	// and one letter: a voucher PIN, a serial, a hex digest, an API token.
	tokenRE = regexp.MustCompile(`\b[A-Za-z0-9]{8,}\b`)
)

// Scrub makes free text safe for the log: control and bidi characters
// removed, URLs without their user, query and fragment, the values of
// secret-looking keys and bearer tokens redacted, and long digit runs and
// PIN-like tokens masked to their last three characters. It is the net
// under the typed attributes, not a licence to log anything as text.
func Scrub(s string) string {
	s = stripControls(s)
	// Each pattern runs only where its mark is in the text: most lines
	// have no URL, no "key=value" and no digits at all.
	if strings.Contains(s, "://") {
		s = urlRE.ReplaceAllStringFunc(s, scrubURL)
	}
	if strings.ContainsAny(s, "bB") {
		s = scrubBearer(s)
	}
	if strings.ContainsAny(s, ":=") {
		s = scrubKeyValues(s)
	}
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	s = digitsRE.ReplaceAllStringFunc(s, maskDigits)
	return tokenRE.ReplaceAllStringFunc(s, func(t string) string {
		if !pinLike(t) {
			return t
		}
		return mask(t)
	})
}

// scrubKeyValues redacts the value after "KEY=", "KEY: " or `"KEY":`
// when KEY names a secret (secretKey): "password=x", "pin: 1234",
// `"secret_key":"x"`. A quoted value keeps its quotes. It scans by hand:
// a regexp tried at every position cost more than the rest of the line.
func scrubKeyValues(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); i++ {
		if s[i] != ':' && s[i] != '=' {
			continue
		}
		end := i
		for end > done && s[end-1] == ' ' {
			end--
		}
		if end > done && s[end-1] == '"' {
			end--
		}
		k := end
		for k > done && isKeyByte(s[k-1]) {
			k--
		}
		if k == end || !secretKey.MatchString(s[k:end]) {
			continue
		}
		v := i + 1
		for v < len(s) && s[v] == ' ' {
			v++
		}
		vend, repl := v, Redacted
		if v < len(s) && (s[v] == '"' || s[v] == '\'') {
			q := s[v]
			vend = len(s)
			if j := strings.IndexByte(s[v+1:], q); j >= 0 {
				vend = v + 1 + j + 1
			}
			repl = string(q) + Redacted + string(q)
		} else {
			for vend < len(s) && !strings.ContainsRune(" \t,;&\"'}])", rune(s[vend])) {
				vend++
			}
		}
		if vend == v || strings.Contains(s[v:vend], Redacted) {
			continue
		}
		b.WriteString(s[done:v])
		b.WriteString(repl)
		done, i = vend, vend-1
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// scrubBearer redacts the credential after "Bearer " or "Basic " (an
// Authorization header quoted in an error).
func scrubBearer(s string) string {
	for _, word := range []string{"bearer ", "basic "} {
		for from := 0; ; {
			j := indexFold(s[from:], word)
			if j < 0 {
				break
			}
			at := from + j
			start := at + len(word)
			from = start
			if at > 0 && isKeyByte(s[at-1]) {
				continue // "xbearer " is not the word
			}
			for start < len(s) && s[start] == ' ' {
				start++
			}
			end := start
			for end < len(s) && isTokenByte(s[end]) {
				end++
			}
			if end > start {
				s = s[:start] + Redacted + s[end:]
				from = start + len(Redacted)
			}
		}
	}
	return s
}

// indexFold is strings.Index, ignoring the case of ASCII letters in s;
// word is lower case.
func indexFold(s, word string) int {
	for i := 0; i+len(word) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(word)], word) {
			return i
		}
	}
	return -1
}

func isKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

func isTokenByte(c byte) bool {
	return isKeyByte(c) || c == '~' || c == '+' || c == '/' || c == '='
}

// scrubURL keeps a URL's scheme, host and path: a query string or user
// part may carry a token or a password.
func scrubURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "[url]"
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	q := ""
	if u.RawQuery != "" || u.ForceQuery {
		q = "?" + Redacted
	}
	u.RawQuery, u.ForceQuery = "", false
	return u.String() + q
}

func pinLike(t string) bool {
	var letters, digits int
	for _, r := range t {
		if r >= '0' && r <= '9' {
			digits++
		} else {
			letters++
		}
	}
	return digits >= 2 && letters >= 1
}

// maskDigits masks a run of digits (and its separators) to its last three
// digits.
func maskDigits(run string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, run)
	return mask(d)
}

// mask hides all but the last three characters, as lists do: "*******123".
func mask(s string) string {
	r := []rune(s)
	if len(r) <= 3 {
		return s
	}
	for i := range len(r) - 3 {
		r[i] = '*'
	}
	return string(r)
}

// stripControls removes control characters (escape sequences start with
// one) and bidi controls, which could drive or garble the terminal of
// whoever reads the log; a newline or tab becomes a space.
func stripControls(s string) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) || isBidi(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r) || isBidi(r):
			return -1
		}
		return r
	}, s)
}

func isBidi(r rune) bool {
	return r == 0x061C || r == 0x200E || r == 0x200F || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}
