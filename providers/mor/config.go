// Package mor is the client for Kolmisoft MOR's calling-card
// API: card_from_group_sell sells free cards from a calling card group and
// answers their PINs. MOR has no catalogue call, no sale reference and no
// status look-up, so the card groups come from configuration and a sale
// whose answer is lost can only be settled by a person.
package mor

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/secret"
)

// ID names the provider in config, journal and CLI.
const ID = "mor"

// maxQuantityLimit bounds max_quantity: one sale never buys a stack of cards
// by a slip of the finger.
const maxQuantityLimit = 100

// Config is the [providers.mor] section.
type Config struct {
	BaseURL   string       `toml:"base_url"`   // http://mor.example.com (the API is under /billing/api/)
	Username  string       `toml:"username"`   // sent as u
	SecretKey secret.Value `toml:"secret_key"` // MOR's API_Secret_Key, used only in the hash
	Email     string       `toml:"email"`      // optional: MOR mails the sold cards here (hashed first)

	// CardGroups is the catalogue: MOR cannot list groups or prices.
	CardGroups []CardGroup `toml:"card_groups"`

	// Extensions names what the client may send beyond the seed document.
	// Whatever is configured, it sends only card_from_group_sell (seed
	// L14); the simulator's calling_cards_get (MOR wiki "MOR API Calling
	// Cards get") is not used. The one extension, ExtRefHeader, adds a
	// header to that request.
	Extensions []string `toml:"extensions"`

	// Sandbox marks a configuration that talks to a sandbox, shown on screen.
	Sandbox bool `toml:"-"`

	// Now is the clock a sale's time is read from; nil means time.Now.
	// Tests pass a clock.Fake's Now.
	Now func() time.Time `toml:"-"`
}

// ExtRefHeader sends the kiosk's sale reference in an X-Kiosk-Ref header
// (RefHeader) with each card sale. The seed has no sale reference (L20-35)
// and real MOR ignores the header; it lets a proxy log, or the simulator's
// charge count per sale, tell sales apart.
const ExtRefHeader = "ref-header"

// knownExtensions lists the extension names the client can use.
var knownExtensions = []string{ExtRefHeader}

// has reports whether the extension named is configured.
func (c Config) has(ext string) bool { return slices.Contains(c.Extensions, ext) }

// CardGroup is one calling card group as the shop sells it.
type CardGroup struct {
	ID          GroupID       `toml:"id"` // MOR's card group id: 6 or "6"
	Name        string        `toml:"name"`
	NameAr      string        `toml:"name_ar"`
	Brand       string        `toml:"brand"`    // default "Calling cards"
	Price       money.Decimal `toml:"price"`    // per card, to the customer: "5.00"
	Cost        money.Decimal `toml:"cost"`     // per card, to the shop; default price
	Currency    string        `toml:"currency"` // ISO 4217: "USD"
	MaxQuantity int           `toml:"max_quantity"`
	HowToUse    string        `toml:"how_to_use"`
	// AccessNumber is the number the customer dials to use a card of the
	// group ("+1 800 555 0100"); it is printed on the receipt and shown
	// with the PIN. MOR's answer does not carry it (seed L36-45).
	AccessNumber string `toml:"access_number"`
}

// GroupID is a card group id; TOML may write it as a number or a string.
type GroupID string

// UnmarshalTOML takes 6 or "6" (BurntSushi/toml finds this method by name).
func (g *GroupID) UnmarshalTOML(v any) error {
	s, err := providers.NumberOrText(v, "card group id")
	*g = GroupID(s)
	return err
}

// Validate checks the configuration and names the bad key.
func (c Config) Validate() error {
	if err := providers.CheckBaseURL(c.BaseURL); err != nil {
		return err
	}
	if strings.TrimSpace(c.Username) == "" {
		return errors.New("username: is required")
	}
	if c.SecretKey.IsZero() {
		return errors.New("secret_key: is required")
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			return fmt.Errorf("email: %q is not a plain e-mail address", c.Email)
		}
	}
	for _, e := range c.Extensions {
		if !slices.Contains(knownExtensions, e) {
			return fmt.Errorf("extensions: unknown extension %q (known: %s; MOR sends only card_from_group_sell)", e, strings.Join(knownExtensions, ", "))
		}
	}
	if len(c.CardGroups) == 0 {
		return errors.New("card_groups: at least one card group is required (MOR cannot list them)")
	}
	seen := map[GroupID]bool{}
	for i, g := range c.CardGroups {
		key := fmt.Sprintf("card_groups[%d]", i)
		if err := g.validate(); err != nil {
			return fmt.Errorf("%s.%w", key, err)
		}
		if seen[g.ID] {
			return fmt.Errorf("%s.id: card group %s is listed twice", key, g.ID)
		}
		seen[g.ID] = true
	}
	return nil
}

func (g CardGroup) validate() error {
	switch {
	case g.ID == "" || !digits(string(g.ID)):
		return fmt.Errorf("id: %q must be MOR's numeric card group id", g.ID)
	case strings.TrimSpace(g.Name) == "":
		return errors.New("name: is required")
	case g.Price.Sign() <= 0:
		return errors.New("price: must be more than zero, as a decimal string like \"5.00\"")
	case g.Cost.Sign() < 0:
		return errors.New("cost: must not be negative")
	case len(strings.TrimSpace(g.Currency)) != 3:
		return fmt.Errorf("currency: %q must be an ISO 4217 code like \"USD\"", g.Currency)
	case g.MaxQuantity < 0 || g.MaxQuantity > maxQuantityLimit:
		return fmt.Errorf("max_quantity: %d must be between 1 and %d", g.MaxQuantity, maxQuantityLimit)
	case !dialable(g.AccessNumber):
		return fmt.Errorf("access_number: %q must be a number to dial: digits, with spaces, dashes or brackets and a + in front if you like", g.AccessNumber)
	}
	return nil
}

// dialable reports whether s is empty or a phone number as people write
// one: "+1 (800) 555-0100", "8001234".
func dialable(s string) bool {
	s = strings.TrimSpace(s)
	n := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n++
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')':
		default:
			return false
		}
	}
	return s == "" || n >= 3
}

// maxQty is max_quantity with its default: one card per sale.
func (g CardGroup) maxQty() int {
	if g.MaxQuantity <= 0 {
		return 1
	}
	return g.MaxQuantity
}

// unitCost is what the shop pays per card; price when cost is not set.
func (g CardGroup) unitCost() money.Decimal {
	if g.Cost.IsZero() {
		return g.Price
	}
	return g.Cost
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
