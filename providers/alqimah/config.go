package alqimah

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/secret"
)

// ExtensionNames lists the extensions the client knows, as
// `extensions = [...]` takes them: none. Every request the client sends is
// one the seed document describes (see the table in client.go), and
// PROVIDERS.md marks no Al-Qimah request as an extension; the simulator
// (alqimahsim.ExtensionNames) has none either.
var ExtensionNames = []string{}

// Network keys, as written in [providers.alqimah.networks.KEY].
const (
	YemenMobile = "yemen_mobile"
	Sabafon     = "sabafon"
	YOU         = "you"
	YTelecom    = "y_telecom"
	ADSL        = "adsl"
	Landline    = "landline"
	Yemen4G     = "yemen_4g"
	Games       = "games" // games and gift cards (LinkCode payments)
)

// networkOrder is the order products appear in the catalogue.
var networkOrder = []string{YemenMobile, Sabafon, YOU, YTelecom, ADSL, Landline, Yemen4G, Games}

// Network holds the numbers Al-Qimah uses for one network's payments. The
// seed's network and service tables are empty (L70-76), so these come from
// configuration; DefaultNetworks has the seed's examples (1/103, L507-508;
// 2/202, L556-557; 8/801, L598-599) and numbers inferred from the query
// services (network 5 ADSL, 6 landline, 7 Yemen 4G, L381-392). Confirm them
// with Al-Qimah before going live.
type Network struct {
	Network int `toml:"network"` // NetworkNumber
	Service int `toml:"service"` // ServiceNumber of an amount or unit payment
	// OfferService is the ServiceNumber of an offer (bundle) payment; 0 when
	// the network sells no offers.
	OfferService int `toml:"offer_service"`
	// UnitPrice is what one unit costs on Sabafon, YOU and Y Telecom, where
	// Amount is a number of units; required there, unused elsewhere.
	UnitPrice money.Decimal `toml:"unit_price"`
	// MinAmount and MaxAmount bound the amount (or unit count) the clerk may enter.
	MinAmount money.Decimal `toml:"min_amount"`
	MaxAmount money.Decimal `toml:"max_amount"`
	Disabled  bool          `toml:"disabled"`
}

// Offer is one bundle the shop sells. Al-Qimah has no offer price list, so
// the code and price come from configuration.
type Offer struct {
	Network string        `toml:"network"` // network key: "sabafon"
	Code    string        `toml:"code"`    // OfferCode: "PREWhatsApp"
	Name    string        `toml:"name"`
	NameAr  string        `toml:"name_ar"`
	Price   money.Decimal `toml:"price"`
}

// Config is [providers.alqimah].
type Config struct {
	BaseURL string `toml:"base_url"` // https://softibs.com (seed L82, L126)
	// Extensions turns on requests the seed does not describe; the client
	// knows none (ExtensionNames), so the list must stay empty.
	Extensions    []string     `toml:"extensions"`
	AccountNumber string       `toml:"account_number"`
	Username      string       `toml:"username"`
	Password      secret.Value `toml:"password"`
	APIToken      secret.Value `toml:"api_token"`
	// Currency of the account and of every price; YER when empty.
	Currency string `toml:"currency"`
	// Networks overrides DefaultNetworks key by key and field by field.
	Networks map[string]Network `toml:"networks"`
	Offers   []Offer            `toml:"offers"`
	// GameFieldsAsText sends a game's Fields as a JSON text inside the JSON
	// body instead of a nested object; the seed says only "field in JSON
	// format" (L602-604).
	GameFieldsAsText bool `toml:"game_fields_as_text"`
	// WebhookURL is where Al-Qimah calls back with a sale's outcome (the
	// public address of the kiosk's webhook listener). Each purchase sends
	// it with a per-sale WebHookCode made from WebhookKey: the payments'
	// optional WebHookURL and WebHookCode (seed L495-497, L514-515).
	WebhookURL string `toml:"webhook_url"`
	// WebhookKey signs the per-sale codes; the app sets it from [webhook].
	WebhookKey []byte `toml:"-"`

	// Sandbox marks a configuration pointing at the built-in sandbox.
	Sandbox bool `toml:"-"`
	// Now is the kiosk's clock (results are dated by it, and a token's age
	// is measured on it); nil is time.Now.
	Now func() time.Time `toml:"-"`
}

// DefaultNetworks returns the network and service numbers used when the
// configuration does not set them.
func DefaultNetworks() map[string]Network {
	amount := func(n, s, offers int, lo, hi int64) Network {
		return Network{Network: n, Service: s, OfferService: offers, MinAmount: money.FromInt(lo), MaxAmount: money.FromInt(hi)}
	}
	return map[string]Network{
		YemenMobile: amount(1, 103, 104, 50, 100000),
		Sabafon:     amount(2, 201, 202, 10, 20000),
		YOU:         amount(3, 301, 302, 10, 20000),
		YTelecom:    amount(4, 401, 402, 10, 20000),
		ADSL:        amount(5, 502, 0, 100, 500000),
		Landline:    amount(6, 602, 0, 100, 500000),
		Yemen4G:     amount(7, 702, 0, 100, 500000),
		Games:       {Network: 8, Service: 801},
	}
}

// unitPriced lists the networks whose Amount is a unit count.
func unitPriced(key string) bool { return key == Sabafon || key == YOU || key == YTelecom }

// currency returns the account currency.
func (c Config) currency() string {
	if c.Currency == "" {
		return "YER"
	}
	return strings.ToUpper(c.Currency)
}

// networks merges the configured networks over the defaults: a zero field
// keeps its default.
func (c Config) networks() map[string]Network {
	out := DefaultNetworks()
	for key, n := range c.Networks {
		d, ok := out[key]
		if !ok {
			continue // Validate reports it
		}
		if n.Network != 0 {
			d.Network = n.Network
		}
		if n.Service != 0 {
			d.Service = n.Service
		}
		if n.OfferService != 0 {
			d.OfferService = n.OfferService
		}
		if !n.UnitPrice.IsZero() {
			d.UnitPrice = n.UnitPrice
		}
		if !n.MinAmount.IsZero() {
			d.MinAmount = n.MinAmount
		}
		if !n.MaxAmount.IsZero() {
			d.MaxAmount = n.MaxAmount
		}
		d.Disabled = n.Disabled
		out[key] = d
	}
	return out
}

// Validate checks the section and names the bad key.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf(key+": "+format, args...))
	}
	if err := providers.CheckBaseURL(c.BaseURL); err != nil {
		errs = append(errs, fmt.Errorf("%w (Al-Qimah's address, e.g. https://softibs.com)", err))
	}
	if strings.TrimSpace(c.AccountNumber) == "" {
		bad("account_number", "missing value")
	}
	if strings.TrimSpace(c.Username) == "" {
		bad("username", "missing value")
	}
	if c.Password.IsZero() {
		bad("password", "missing value")
	}
	if c.APIToken.IsZero() {
		bad("api_token", "missing value")
	}
	for _, e := range c.Extensions {
		if slices.Contains(ExtensionNames, e) {
			continue
		}
		known := "none: every request this client sends is in Al-Qimah's document"
		if len(ExtensionNames) > 0 {
			known = strings.Join(ExtensionNames, ", ")
		}
		bad("extensions", "unknown extension %q (known: %s)", e, known)
	}
	if c.Currency != "" && len(c.Currency) != 3 {
		bad("currency", "%q is not a 3-letter currency code", c.Currency)
	}
	if c.WebhookURL != "" && len(c.WebhookKey) == 0 {
		bad("webhook_url", "is set but the [webhook] section has no key (key_env)")
	}
	if c.WebhookURL != "" {
		if u, err := url.Parse(c.WebhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("webhook_url", "%q is not an http(s) URL with a host", c.WebhookURL)
		}
	}
	errs = append(errs, c.validateNetworks()...)
	errs = append(errs, c.validateOffers()...)
	return errors.Join(errs...)
}

func (c Config) validateNetworks() []error {
	var errs []error
	keys := make([]string, 0, len(c.Networks))
	for k := range c.Networks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := DefaultNetworks()[k]; !ok {
			errs = append(errs, fmt.Errorf("networks.%s: unknown network (known: %s)", k, strings.Join(networkOrder, ", ")))
		}
	}
	nets := c.networks()
	for _, k := range networkOrder {
		n := nets[k]
		if n.Disabled {
			continue
		}
		key := "networks." + k
		if n.Network < 0 || n.Service <= 0 || n.OfferService < 0 {
			errs = append(errs, fmt.Errorf("%s: network and service numbers must be positive", key))
		}
		if unitPriced(k) && n.UnitPrice.Sign() <= 0 {
			errs = append(errs, fmt.Errorf("%s.unit_price: missing value: set the price of one unit (or disabled = true)", key))
		}
		if n.MinAmount.Sign() < 0 || n.MaxAmount.Sign() < 0 || n.MaxAmount.Cmp(n.MinAmount) < 0 {
			errs = append(errs, fmt.Errorf("%s.max_amount: must be at least min_amount (%s)", key, n.MinAmount))
		}
	}
	return errs
}

func (c Config) validateOffers() []error {
	var errs []error
	nets := c.networks()
	seen := map[string]bool{}
	for i, o := range c.Offers {
		key := fmt.Sprintf("offers[%d]", i)
		n, ok := nets[o.Network]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%s.network: unknown network %q", key, o.Network))
		case n.OfferService == 0:
			errs = append(errs, fmt.Errorf("%s.network: %s has no offer_service", key, o.Network))
		}
		if strings.TrimSpace(o.Code) == "" {
			errs = append(errs, fmt.Errorf("%s.code: missing value", key))
		}
		if o.Name == "" && o.NameAr == "" {
			errs = append(errs, fmt.Errorf("%s.name: missing value", key))
		}
		if o.Price.Sign() <= 0 {
			errs = append(errs, fmt.Errorf("%s.price: must be more than zero", key))
		}
		if id := o.Network + "/" + o.Code; seen[id] {
			errs = append(errs, fmt.Errorf("%s.code: %q is listed twice for %s", key, o.Code, o.Network))
		} else {
			seen[id] = true
		}
	}
	return errs
}
