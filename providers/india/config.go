// Package india is the client for an Indian mobile recharge API with
// RechargeKit's fields: prepaid recharges by mobile number, operator code
// and circle code under our own partner_request_id.
//
// The seed document (/work/shared/seeds/india-mobile-recharge-api.txt, 67
// lines; "seed Lnn" below) describes one request, the recharge, and names
// no path and no credentials. By default that is all the client sends: the
// recharge at recharge_path with no sign-in. What RechargeKit's public API
// adds (a bearer sign-in, the older API's partner_id/api_password, a status
// check and a balance check) is an extension, sent only when the
// configuration names it in `extensions`. Answers are sloppy — the seed's
// own pending sample is not valid JSON — so they are read with a tolerant
// parser (loose.go).
package india

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/secret"
)

// ID names the provider in config, journal and CLI.
const ID = "india"

const currency = "INR"

// Extension names, as `extensions = [...]` takes them; the same names as
// the simulator's (indiasim.Ext*).
const (
	// ExtSignin: POST signin_path {username, password} answers a bearer
	// token, and every other call carries Authorization: Bearer <token>.
	// extension signin: PROVIDERS.md "Auth in its current API: POST
	// /member/signin {username, password} returns a bearer token".
	ExtSignin = "signin"
	// ExtLegacyAuth: every call carries the older API's partner_id and
	// api_password as query parameters; its answers use upper-case keys.
	// extension legacy-auth: PROVIDERS.md "An older API passes partner_id
	// and api_password as query parameters ... the older API answers with
	// upper-case keys".
	ExtLegacyAuth = "legacy-auth"
	// ExtStatus: a status check by partner_request_id at status_path, with
	// the recharge's status codes. extension status: PROVIDERS.md "Status
	// check by partner_request_id (or order_id): same status codes".
	// Without it the client has no status look-up (no StatusChecker).
	ExtStatus = "status"
	// ExtBalance: the wallet balance at balance_path (wallet_amount).
	// extension balance: RechargeKit's public API (balance check), paths
	// and answer as public client code and the simulator have them.
	// Without it the client reports no balance (no BalanceChecker).
	ExtBalance = "balance"
)

// ExtensionNames lists every extension the client knows.
var ExtensionNames = []string{ExtSignin, ExtLegacyAuth, ExtStatus, ExtBalance}

// Default paths of the extensions (the seed names no path at all). They
// are RechargeKit's as public client code has them, and the simulator's.
const (
	DefaultSigninPath        = "/member/signin"         // extension signin
	DefaultStatusPath        = "/recharge/statusCheck"  // extension status
	DefaultLegacyStatusPath  = "/get/status"            // extension status, with legacy-auth
	DefaultBalancePath       = "/recharge/balanceCheck" // extension balance
	DefaultLegacyBalancePath = "/get/balance"           // extension balance, with legacy-auth
)

// Config is the [providers.india] section.
type Config struct {
	// BaseURL and RechargePath locate the recharge: the seed names no
	// path, so recharge_path is required (the provider gives it; the
	// simulator serves "/recharge").
	BaseURL      string `toml:"base_url"`
	RechargePath string `toml:"recharge_path"`

	// Extensions turns on requests the seed does not describe (see the
	// Ext* constants). Empty: only the seed's recharge is ever sent.
	Extensions []string `toml:"extensions"`

	Username string       `toml:"username"` // extension signin only
	Password secret.Value `toml:"password"`

	PartnerID   string       `toml:"partner_id"` // extension legacy-auth only
	APIPassword secret.Value `toml:"api_password"`

	// Paths of the extensions; each only with its extension. Empty means
	// the Default*Path above.
	SigninPath  string `toml:"signin_path"`
	StatusPath  string `toml:"status_path"`
	BalancePath string `toml:"balance_path"`

	MinAmount     money.Decimal `toml:"min_amount"`     // whole rupees, default 10 (the kiosk's limit; the seed has none)
	MaxAmount     money.Decimal `toml:"max_amount"`     // whole rupees, default 5000
	RechargeType  string        `toml:"recharge_type"`  // seed L8: "1 By default"
	Dest          string        `toml:"dest"`           // seed L9: optional, "online" or "offline"
	DefaultCircle Code          `toml:"default_circle"` // optional: the circle preselected for the clerk

	// Operator and circle codes are the provider's and are not public
	// (the seed's only examples are operator_code 1 and circle 23,
	// L32/L35): both tables are required.
	Operators []Operator `toml:"operators"`
	Circles   []Circle   `toml:"circles"`

	// API was the old way to choose the sign-in; it is refused with a
	// message saying which extension replaces it.
	API string `toml:"api"`

	// Sandbox marks a configuration that talks to a sandbox, shown on screen.
	Sandbox bool `toml:"-"`
	// Now is the clock results are dated by; nil is time.Now.
	Now func() time.Time `toml:"-"`
}

// Operator is one mobile operator and its provider code.
type Operator struct {
	Code      Code          `toml:"code"`
	Name      string        `toml:"name"`
	Prefixes  []string      `toml:"prefixes"`   // optional number series, only used for a hint
	MinAmount money.Decimal `toml:"min_amount"` // optional, overrides the section's
	MaxAmount money.Decimal `toml:"max_amount"`
}

// Circle is one telecom circle and its provider code.
type Circle struct {
	Code Code   `toml:"code"`
	Name string `toml:"name"`
}

// Code is a numeric provider code; TOML may write it as 23 or "23".
type Code string

// UnmarshalTOML takes 23 or "23" (BurntSushi/toml finds this method by name).
func (c *Code) UnmarshalTOML(v any) error {
	s, err := providers.NumberOrText(v, "code")
	*c = Code(s)
	return err
}

var (
	defaultMin = money.FromInt(10)
	defaultMax = money.FromInt(5000)
)

// Validate checks the configuration and names the bad key. Every problem
// is reported, one a line.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if err := providers.CheckBaseURL(c.BaseURL); err != nil {
		errs = append(errs, err)
	}
	switch p := strings.TrimSpace(c.RechargePath); {
	case p == "":
		bad("recharge_path: is required: the provider's document names no path; take it from the provider (for example \"/recharge/prepaid\")")
	case !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "?#"):
		bad("recharge_path: %q must be a path starting with / and without a query", c.RechargePath)
	}
	if c.API != "" {
		bad("api: is no longer a setting: write extensions = [%q] for the sign-in (bearer) API or [%q] for the older partner_id/api_password API", ExtSignin, ExtLegacyAuth)
	}
	seen := map[string]bool{}
	for _, e := range c.Extensions {
		switch {
		case !slices.Contains(ExtensionNames, e):
			bad("extensions: unknown extension %q (known: %s)", e, strings.Join(ExtensionNames, ", "))
		case seen[e]:
			bad("extensions: %q is listed twice", e)
		}
		seen[e] = true
	}
	if c.has(ExtSignin) && c.has(ExtLegacyAuth) {
		bad("extensions: %q and %q are two ways to sign in to the provider; name one", ExtSignin, ExtLegacyAuth)
	}
	needs := func(ext, key string, set bool) {
		switch on := c.has(ext); {
		case on && !set:
			bad("%s: is required with extensions = [%q]", key, ext)
		case !on && set:
			bad("%s: is only used with extensions = [%q]; add it there or remove this key", key, ext)
		}
	}
	needs(ExtSignin, "username", strings.TrimSpace(c.Username) != "")
	needs(ExtSignin, "password", !c.Password.IsZero())
	needs(ExtLegacyAuth, "partner_id", strings.TrimSpace(c.PartnerID) != "")
	needs(ExtLegacyAuth, "api_password", !c.APIPassword.IsZero())
	for _, p := range []struct{ ext, key, v string }{
		{ExtSignin, "signin_path", c.SigninPath}, {ExtStatus, "status_path", c.StatusPath}, {ExtBalance, "balance_path", c.BalancePath},
	} {
		if p.v == "" {
			continue
		}
		if !c.has(p.ext) {
			bad("%s: is only used with extensions = [%q]; add it there or remove this key", p.key, p.ext)
		} else if !strings.HasPrefix(p.v, "/") || strings.ContainsAny(p.v, "?#") {
			bad("%s: %q must be a path starting with / and without a query", p.key, p.v)
		}
	}
	if err := validateRange("", c.MinAmount, c.MaxAmount); err != nil {
		errs = append(errs, err)
	}
	if c.Dest != "" && c.Dest != "online" && c.Dest != "offline" {
		bad("dest: %q must be \"online\" or \"offline\" (seed L9)", c.Dest)
	}
	if c.RechargeType != "" && !digits(c.RechargeType) {
		bad("recharge_type: %q must be a number (seed L8)", c.RechargeType)
	}
	if len(c.Operators) == 0 {
		bad("operators: at least one [[providers.india.operators]] with code and name is required: the provider's operator codes are not public, ask the provider for them")
	} else if err := validateOperators(c.Operators); err != nil {
		errs = append(errs, err)
	}
	if len(c.Circles) == 0 {
		bad("circles: at least one [[providers.india.circles]] with code and name is required: the provider's circle codes are not public, ask the provider for them")
	} else if err := validateCircles(c.Circles); err != nil {
		errs = append(errs, err)
	}
	if c.DefaultCircle != "" && !c.hasCircle(c.DefaultCircle) {
		bad("default_circle: %q is not in circles", c.DefaultCircle)
	}
	return errors.Join(errs...)
}

func validateOperators(ops []Operator) error {
	seen := map[Code]bool{}
	for i, o := range ops {
		key := fmt.Sprintf("operators[%d]", i)
		switch {
		case !digits(string(o.Code)):
			return fmt.Errorf("%s.code: %q must be the provider's numeric operator code (seed L4)", key, o.Code)
		case seen[o.Code]:
			return fmt.Errorf("%s.code: operator %s is listed twice", key, o.Code)
		case strings.TrimSpace(o.Name) == "":
			return fmt.Errorf("%s.name: is required", key)
		}
		seen[o.Code] = true
		for _, p := range o.Prefixes {
			if !digits(p) || len(p) > 9 || p[0] < '6' {
				return fmt.Errorf("%s.prefixes: %q is not the start of a 10-digit mobile number", key, p)
			}
		}
		if err := validateRange(key+".", o.MinAmount, o.MaxAmount); err != nil {
			return err
		}
	}
	return nil
}

func validateCircles(cs []Circle) error {
	seen := map[Code]bool{}
	for i, c := range cs {
		key := fmt.Sprintf("circles[%d]", i)
		switch {
		case !digits(string(c.Code)):
			return fmt.Errorf("%s.code: %q must be the provider's numeric circle code (seed L7)", key, c.Code)
		case seen[c.Code]:
			return fmt.Errorf("%s.code: circle %s is listed twice", key, c.Code)
		case strings.TrimSpace(c.Name) == "":
			return fmt.Errorf("%s.name: is required", key)
		}
		seen[c.Code] = true
	}
	return nil
}

// validateRange checks optional whole-rupee bounds (zero means "default").
func validateRange(prefix string, lo, hi money.Decimal) error {
	for _, b := range []struct {
		key string
		v   money.Decimal
	}{{"min_amount", lo}, {"max_amount", hi}} {
		if _, whole := b.v.IntPart(); b.v.Sign() < 0 || !whole {
			return fmt.Errorf("%s%s: %s must be a whole number of rupees", prefix, b.key, b.v)
		}
	}
	if !lo.IsZero() && !hi.IsZero() && hi.Cmp(lo) < 0 {
		return fmt.Errorf("%smax_amount: %s is below min_amount %s", prefix, hi, lo)
	}
	return nil
}

// has reports whether an extension is configured.
func (c Config) has(ext string) bool { return slices.Contains(c.Extensions, ext) }

func (c Config) hasCircle(code Code) bool {
	for _, ci := range c.Circles {
		if ci.Code == code {
			return true
		}
	}
	return false
}

func (c Config) rechargeType() string {
	if c.RechargeType == "" {
		return "1" // seed L8: "1 By default"
	}
	return c.RechargeType
}

// bounds is the amount range of an operator: its own, else the section's, else 10..5000.
func (c Config) bounds(o Operator) (lo, hi money.Decimal) {
	lo, hi = defaultMin, defaultMax
	if !c.MinAmount.IsZero() {
		lo = c.MinAmount
	}
	if !c.MaxAmount.IsZero() {
		hi = c.MaxAmount
	}
	if !o.MinAmount.IsZero() {
		lo = o.MinAmount
	}
	if !o.MaxAmount.IsZero() {
		hi = o.MaxAmount
	}
	return lo, hi
}

// paths are the request paths: the recharge's from the configuration (the
// seed names none) and the extensions' from it or their defaults.
type paths struct{ recharge, signin, status, balance string }

func (c Config) paths() paths {
	p := paths{strings.TrimSpace(c.RechargePath), DefaultSigninPath, DefaultStatusPath, DefaultBalancePath}
	if c.has(ExtLegacyAuth) {
		p.status, p.balance = DefaultLegacyStatusPath, DefaultLegacyBalancePath
	}
	for _, o := range []struct {
		dst *string
		v   string
	}{{&p.signin, c.SigninPath}, {&p.status, c.StatusPath}, {&p.balance, c.BalancePath}} {
		if o.v != "" {
			*o.dst = o.v
		}
	}
	return p
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
