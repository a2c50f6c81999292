// Package india is the client and sandbox for an Indian mobile recharge API
// in RechargeKit's style: prepaid recharges by mobile number, operator code
// and circle code, looked up afterwards by our own partner_request_id.
//
// Two ways in are supported: the current API (POST /member/signin for a
// bearer token, JSON bodies) and the older one (partner_id and api_password
// as query parameters, upper-case answer keys). Answers are sloppy — the
// documentation's own sample is not valid JSON — so they are read with a
// tolerant parser (loose.go).
package india

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/secret"
)

// ID names the provider in config, journal and CLI.
const ID = "india"

const currency = "INR"

// API styles.
const (
	APIBearer = "bearer" // POST /member/signin, then Authorization: Bearer
	APILegacy = "legacy" // partner_id and api_password in the query
)

// Config is the [providers.india] section.
type Config struct {
	BaseURL string `toml:"base_url"` // https://v2bapi.rechargkit.biz (legacy: https://rechargkit.biz)
	API     string `toml:"api"`      // "bearer" (default) or "legacy"

	Username string       `toml:"username"` // bearer sign-in
	Password secret.Value `toml:"password"`

	PartnerID   string       `toml:"partner_id"` // legacy query parameters
	APIPassword secret.Value `toml:"api_password"`

	MinAmount     money.Decimal `toml:"min_amount"`     // rupees, default 10
	MaxAmount     money.Decimal `toml:"max_amount"`     // rupees, default 5000
	RechargeType  string        `toml:"recharge_type"`  // default "1"
	Dest          string        `toml:"dest"`           // optional: "online" or "offline"
	DefaultCircle Code          `toml:"default_circle"` // preselected circle, default 23 (the seed's example)

	// Operator and circle codes are not public; they come from the
	// provider. Empty tables mean the built-in sample (catalog_demo.go).
	Operators []Operator `toml:"operators"`
	Circles   []Circle   `toml:"circles"`

	// Paths override the API paths, which are inferred from public client
	// code rather than documented (see paths()).
	SigninPath   string `toml:"signin_path"`
	RechargePath string `toml:"recharge_path"`
	StatusPath   string `toml:"status_path"`
	BalancePath  string `toml:"balance_path"`

	// Sandbox marks a configuration that talks to a sandbox, shown on screen.
	Sandbox bool `toml:"-"`
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
	switch t := v.(type) {
	case int64:
		*c = Code(strconv.FormatInt(t, 10))
	case string:
		*c = Code(strings.TrimSpace(t))
	default:
		return fmt.Errorf("code must be a number, got %T", v)
	}
	return nil
}

var (
	defaultMin = money.FromInt(10)
	defaultMax = money.FromInt(5000)
)

// Validate checks the configuration and names the bad key.
func (c Config) Validate() error {
	if err := providers.CheckBaseURL(c.BaseURL); err != nil {
		return err
	}
	switch c.api() {
	case APIBearer:
		if strings.TrimSpace(c.Username) == "" {
			return errors.New("username: is required when api = \"bearer\"")
		}
		if c.Password.IsZero() {
			return errors.New("password: is required when api = \"bearer\"")
		}
	case APILegacy:
		if strings.TrimSpace(c.PartnerID) == "" {
			return errors.New("partner_id: is required when api = \"legacy\"")
		}
		if c.APIPassword.IsZero() {
			return errors.New("api_password: is required when api = \"legacy\"")
		}
	default:
		return fmt.Errorf("api: %q must be \"bearer\" or \"legacy\"", c.API)
	}
	if err := validateRange("", c.MinAmount, c.MaxAmount); err != nil {
		return err
	}
	if c.Dest != "" && c.Dest != "online" && c.Dest != "offline" {
		return fmt.Errorf("dest: %q must be \"online\" or \"offline\"", c.Dest)
	}
	if c.RechargeType != "" && !digits(c.RechargeType) {
		return fmt.Errorf("recharge_type: %q must be a number", c.RechargeType)
	}
	for _, p := range []struct{ key, v string }{{"signin_path", c.SigninPath}, {"recharge_path", c.RechargePath}, {"status_path", c.StatusPath}, {"balance_path", c.BalancePath}} {
		if p.v != "" && !strings.HasPrefix(p.v, "/") {
			return fmt.Errorf("%s: %q must start with /", p.key, p.v)
		}
	}
	if err := validateOperators(c.Operators); err != nil {
		return err
	}
	if err := validateCircles(c.Circles); err != nil {
		return err
	}
	if c.DefaultCircle != "" && !c.hasCircle(c.DefaultCircle) {
		return fmt.Errorf("default_circle: %q is not in circles", c.DefaultCircle)
	}
	return nil
}

func validateOperators(ops []Operator) error {
	seen := map[Code]bool{}
	for i, o := range ops {
		key := fmt.Sprintf("operators[%d]", i)
		switch {
		case !digits(string(o.Code)):
			return fmt.Errorf("%s.code: %q must be the provider's numeric operator code", key, o.Code)
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
			return fmt.Errorf("%s.code: %q must be the provider's numeric circle code", key, c.Code)
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

func (c Config) api() string {
	if c.API == "" {
		return APIBearer
	}
	return c.API
}

func (c Config) operators() []Operator {
	if len(c.Operators) == 0 {
		return defaultOperators()
	}
	return c.Operators
}

func (c Config) circles() []Circle {
	if len(c.Circles) == 0 {
		return defaultCircles()
	}
	return c.Circles
}

func (c Config) hasCircle(code Code) bool {
	for _, ci := range c.circles() {
		if ci.Code == code {
			return true
		}
	}
	return false
}

func (c Config) defaultCircle() Code {
	if c.DefaultCircle != "" {
		return c.DefaultCircle
	}
	if c.hasCircle(seedCircle) {
		return seedCircle
	}
	return ""
}

func (c Config) rechargeType() string {
	if c.RechargeType == "" {
		return "1"
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

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
