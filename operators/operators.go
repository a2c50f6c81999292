// Package operators suggests a mobile network from the first digits of a
// customer's number, and flags a number that cannot belong to the network
// the clerk chose.
//
// It is only ever a suggestion: numbers are ported between networks and
// keep their old prefix, and operators open new ranges before any table is
// updated. Detect proposes a network; Fits is checked before a sale is sent
// and its error is shown as a warning the clerk can confirm past, never as a
// refusal.
//
// Yemen's table is built in. Other countries' tables (India's, for one)
// come from the configuration's [[operators]] sections; DefaultTables has a
// sample India table for the sandboxes and the tests only.
package operators

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Network is one operator and the leading digits of its local numbers.
type Network struct {
	Name string `toml:"name"`
	// Prefixes are leading digits of the local number (without the country
	// code or a trunk 0). The longest matching prefix of any network in the
	// table wins, so "9" for one network and "98" for another both work.
	Prefixes []string `toml:"prefixes"`
	// Aliases are other names the providers use for the network ("MTN",
	// "يو"); matching ignores case, spaces, hyphens and underscores anyway.
	Aliases []string `toml:"aliases,omitempty"`
}

// Table is one country's numbering plan for mobile numbers.
type Table struct {
	Country     string    `toml:"country"`
	CountryCode string    `toml:"country_code"` // digits only: "967", "91"
	Length      int       `toml:"length"`       // digits of a local number, without country code or trunk 0
	Networks    []Network `toml:"networks"`
}

// Suggestion is what Detect found.
type Suggestion struct {
	Network string // the network's name as the table spells it
	Number  string // the local number: digits only, no country code, no trunk 0
	Prefix  string // the prefix that matched
	Table   Table  // the table it came from
}

// International is the number with its country code: "+967771234567".
func (s Suggestion) International() string {
	return "+" + s.Table.CountryCode + s.Number
}

// Yemen is the built-in table: 9-digit mobile numbers starting 7.
func Yemen() Table {
	return Table{
		Country: "Yemen", CountryCode: "967", Length: 9,
		Networks: []Network{
			{Name: "Yemen Mobile", Prefixes: []string{"77", "78"}, Aliases: []string{"يمن موبايل"}},
			{Name: "Sabafon", Prefixes: []string{"71"}, Aliases: []string{"سبأفون"}},
			{Name: "YOU", Prefixes: []string{"73"}, Aliases: []string{"MTN", "MTN Yemen", "يو"}},
			{Name: "Y Telecom", Prefixes: []string{"70"}, Aliases: []string{"Y", "واي"}},
		},
	}
}

// IndiaSample is a sample India table: 10-digit numbers starting 6–9.
//
// The prefixes are NOT authoritative. Indian series are allotted by the
// thousand, across every network, and most numbers have been ported at
// least once; a real kiosk puts its provider's own table in the
// configuration ([[operators]]). This one exists so the sandboxes and the
// tests have something to suggest.
func IndiaSample() Table {
	return Table{
		Country: "India", CountryCode: "91", Length: 10,
		Networks: []Network{
			{Name: "Jio", Prefixes: []string{"6", "70", "79", "89"}, Aliases: []string{"Reliance Jio"}},
			{Name: "Airtel", Prefixes: []string{"78", "97", "98", "99"}, Aliases: []string{"Bharti Airtel"}},
			{Name: "Vi", Prefixes: []string{"77", "93", "95", "96"}, Aliases: []string{"Vodafone Idea", "Vodafone", "Idea"}},
			{Name: "BSNL", Prefixes: []string{"81", "82", "94"}},
		},
	}
}

// DefaultTables is Yemen's table and the sample India table.
func DefaultTables() []Table { return []Table{Yemen(), IndiaSample()} }

// Merge is the built-in tables with the configured ones: a configured table
// replaces a built-in table of the same country code, and the others are
// added after the built-in ones.
func Merge(builtin, configured []Table) []Table {
	out := make([]Table, 0, len(builtin)+len(configured))
	for _, b := range builtin {
		if !slices.ContainsFunc(configured, func(c Table) bool { return c.CountryCode == b.CountryCode }) {
			out = append(out, b)
		}
	}
	return append(out, configured...)
}

// Detect finds the network whose prefix starts number in the first table
// that fits it. number may have spaces, hyphens, dots or parentheses, a
// country code ("+967…", "00967…", or "967…" when the length says so), a
// trunk 0 ("0771234567" for a 9-digit plan), and Arabic-Indic digits; the
// Suggestion's Number is the bare local number. ok is false when no table
// fits the number or no network's prefix starts it.
func Detect(tables []Table, number string) (s Suggestion, ok bool) {
	for _, t := range tables {
		local, err := t.local(number)
		if err != nil {
			continue
		}
		if n, prefix := t.lookup(local); n != nil {
			return Suggestion{Network: n.Name, Number: local, Prefix: prefix, Table: t}, true
		}
	}
	return Suggestion{}, false
}

// Fits reports whether number can belong to network. The error says why
// not, for the clerk: "771234567 is a Yemen Mobile number (prefix 77), not
// Sabafon (71)". It is a warning, not a refusal: numbers ported to another
// network keep their old prefix, so the screen shows the error and lets the
// clerk confirm and send anyway.
//
// Fits returns nil when the number fits, when no table knows the network
// (nothing to check against), and for an empty number (whether one is
// required is the field's rule). The error is a *MismatchError.
func Fits(tables []Table, network, number string) error {
	if strings.TrimSpace(number) == "" {
		return nil
	}
	var first error
	for _, t := range tables {
		chosen := t.network(network)
		if chosen == nil {
			continue
		}
		err := t.fits(chosen, number)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	return first
}

// Problem says what kind of mismatch a MismatchError is.
type Problem int

// The kinds of mismatch.
const (
	OtherNetwork  Problem = iota + 1 // the prefix is another network's
	UnknownPrefix                    // no network of the table has the prefix
	WrongLength                      // the number has too few or too many digits
	OtherCountry                     // the number has another country's code
	NotDigits                        // the number has characters other than digits
)

// MismatchError is why a number cannot belong to the chosen network. Its
// fields let a screen say it in the clerk's language.
type MismatchError struct {
	Problem Problem
	Number  string   // the local number when it could be read, else what was typed
	Chosen  string   // the chosen network, as the table spells it
	Wanted  []string // the chosen network's prefixes
	Country string
	Length  int    // digits the table's numbers have
	Digits  int    // digits the number has (WrongLength)
	Actual  string // the network the prefix belongs to (OtherNetwork)
	Prefix  string // the prefix found (OtherNetwork)
}

func (e *MismatchError) Error() string {
	want := strings.Join(e.Wanted, "/")
	switch e.Problem {
	case OtherNetwork:
		return fmt.Sprintf("%s is %s %s number (prefix %s), not %s (%s)", e.Number, article(e.Actual), e.Actual, e.Prefix, e.Chosen, want)
	case UnknownPrefix:
		return fmt.Sprintf("%s does not start with a %s prefix (%s)", e.Number, e.Chosen, want)
	case WrongLength:
		return fmt.Sprintf("%s has %d digits; %s numbers have %d", e.Number, e.Digits, e.Chosen, e.Length)
	case OtherCountry:
		return fmt.Sprintf("%s is not a %s number; %s is a %s network", e.Number, e.Country, e.Chosen, e.Country)
	}
	return fmt.Sprintf("%s is not a phone number (digits only)", e.Number)
}

// article is "a" or "an" before a network name: "an Airtel number".
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOaeio", rune(name[0])) {
		return "an"
	}
	return "a"
}

// Validate checks a configured table; the config package reports its errors
// against the [[operators]] section.
func (t Table) Validate() error {
	var errs []error
	if strings.TrimSpace(t.Country) == "" {
		errs = append(errs, errors.New("country: missing"))
	}
	if t.CountryCode == "" || !allDigits(t.CountryCode) || len(t.CountryCode) > 3 {
		errs = append(errs, fmt.Errorf("country_code: want 1–3 digits, got %q", t.CountryCode))
	}
	if t.Length < 4 || t.Length > 15 {
		errs = append(errs, fmt.Errorf("length: want 4–15 digits, got %d", t.Length))
	}
	if len(t.Networks) == 0 {
		errs = append(errs, errors.New("networks: none"))
	}
	owner := map[string]string{}
	names := map[string]string{}
	for i, n := range t.Networks {
		if strings.TrimSpace(n.Name) == "" {
			errs = append(errs, fmt.Errorf("networks[%d].name: missing", i))
		}
		for _, name := range append([]string{n.Name}, n.Aliases...) {
			k := normName(name)
			if k == "" {
				continue
			}
			if other, dup := names[k]; dup && other != n.Name {
				errs = append(errs, fmt.Errorf("networks[%d]: the name %q is also %s's", i, name, other))
			}
			names[k] = n.Name
		}
		if len(n.Prefixes) == 0 {
			errs = append(errs, fmt.Errorf("networks[%d].prefixes: none for %s", i, n.Name))
		}
		for _, p := range n.Prefixes {
			switch {
			case p == "" || !allDigits(p):
				errs = append(errs, fmt.Errorf("networks[%d].prefixes: %q is not digits", i, p))
			case t.Length > 0 && len(p) >= t.Length:
				errs = append(errs, fmt.Errorf("networks[%d].prefixes: %q is as long as a whole number", i, p))
			case owner[p] != "" && owner[p] != n.Name:
				errs = append(errs, fmt.Errorf("networks[%d].prefixes: %q is also %s's", i, p, owner[p]))
			default:
				owner[p] = n.Name
			}
		}
	}
	return errors.Join(errs...)
}

// fits checks number against one network of t.
func (t Table) fits(chosen *Network, number string) error {
	e := &MismatchError{Number: strings.TrimSpace(number), Chosen: chosen.Name, Wanted: chosen.Prefixes, Country: t.Country, Length: t.Length}
	local, err := t.local(number)
	switch {
	case errors.Is(err, errNotDigits):
		e.Problem = NotDigits
		return e
	case errors.Is(err, errOtherCountry):
		e.Problem = OtherCountry
		return e
	case err != nil:
		e.Problem, e.Number, e.Digits = WrongLength, local, len(local)
		return e
	}
	e.Number = local
	n, prefix := t.lookup(local)
	switch {
	case n == chosen:
		return nil
	case n == nil:
		e.Problem = UnknownPrefix
	default:
		e.Problem, e.Actual, e.Prefix = OtherNetwork, n.Name, prefix
	}
	return e
}

// lookup is the network with the longest prefix that starts local.
func (t *Table) lookup(local string) (*Network, string) {
	var best *Network
	var bestPrefix string
	for i := range t.Networks {
		n := &t.Networks[i]
		for _, p := range n.Prefixes {
			if p != "" && len(p) > len(bestPrefix) && strings.HasPrefix(local, p) {
				best, bestPrefix = n, p
			}
		}
	}
	return best, bestPrefix
}

// network finds a network of t by name or alias.
func (t *Table) network(name string) *Network {
	k := normName(name)
	if k == "" {
		return nil
	}
	for i := range t.Networks {
		n := &t.Networks[i]
		if normName(n.Name) == k || slices.ContainsFunc(n.Aliases, func(a string) bool { return normName(a) == k }) {
			return n
		}
	}
	return nil
}

// SameNetwork reports whether two network names are the same network's
// ("YOU" and "You", "Y Telecom" and "y-telecom").
func SameNetwork(a, b string) bool {
	ka := normName(a)
	return ka != "" && ka == normName(b)
}

// normName folds case, drops spaces, hyphens, underscores and dots, and
// folds the alef forms, so "Y-Telecom", "y telecom" and "Y_TELECOM" match,
// as do "سبأفون" and "سبافون".
func normName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == 'أ' || r == 'إ' || r == 'آ':
			b.WriteRune('ا')
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

var (
	errNotDigits    = errors.New("not a phone number")
	errOtherCountry = errors.New("another country's number")
	errLength       = errors.New("wrong length")
)

// local reduces number to t's local form. On errLength it returns the
// digits it read, for the message.
func (t *Table) local(number string) (string, error) {
	digits, intl, ok := clean(number)
	if !ok || digits == "" {
		return "", errNotDigits
	}
	cc := t.CountryCode
	if intl {
		// "+…" or "00…": the country code is certain.
		if cc == "" || !strings.HasPrefix(digits, cc) {
			return digits, errOtherCountry
		}
		digits = digits[len(cc):]
	} else if cc != "" && len(digits) == len(cc)+t.Length && strings.HasPrefix(digits, cc) {
		// "967771234567": a country code without "+", told apart from a
		// local number by its length.
		digits = digits[len(cc):]
	}
	if len(digits) == t.Length+1 && digits[0] == '0' {
		digits = digits[1:] // the trunk 0 of a national call
	}
	if len(digits) != t.Length {
		return digits, errLength
	}
	return digits, nil
}

// clean keeps the digits of number (Arabic-Indic digits become 0–9) and
// drops the usual separators. intl is true for a leading "+" or "00"; ok is
// false for any other character.
func clean(number string) (digits string, intl bool, ok bool) {
	s := strings.TrimSpace(number)
	if strings.HasPrefix(s, "+") {
		intl, s = true, s[1:]
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '٠' && r <= '٩': // Arabic-Indic
			b.WriteRune('0' + (r - '٠'))
		case r >= '۰' && r <= '۹': // Extended Arabic-Indic (Persian, Urdu)
			b.WriteRune('0' + (r - '۰'))
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '\u00a0' || r == '/':
		default:
			return "", false, false
		}
	}
	digits = b.String()
	if !intl && strings.HasPrefix(digits, "00") {
		intl, digits = true, digits[2:]
	}
	return digits, intl, true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
