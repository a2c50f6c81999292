package mor

import (
	"kiosk/money"
	"kiosk/secret"
)

// Sandbox credentials. The secret is the seed's example key, so the seed's
// example hash is what the sandbox expects for id=6, quantity=2.
const (
	sandboxUser   = "kiosk"
	sandboxSecret = "456789"
)

// demoGroup is a sandbox card group and the stock it starts with.
type demoGroup struct {
	group CardGroup
	stock int
	face  money.Decimal // balance of each card, as MOR answers it
}

// demoGroups follows the seed's example (group 6, two cards at a time).
// Group 8 holds only two cards, so "Free cards was not found" is easy to reach.
func demoGroups() []demoGroup {
	return []demoGroup{
		{group: CardGroup{ID: "6", Name: "International calling card 5 USD", NameAr: "بطاقة اتصال دولية 5 دولار",
			Price: money.MustParse("5.00"), Cost: money.MustParse("4.50"), Currency: "USD", MaxQuantity: 5},
			stock: 40, face: money.MustParse("5.00")},
		{group: CardGroup{ID: "7", Name: "International calling card 10 USD", NameAr: "بطاقة اتصال دولية 10 دولار",
			Price: money.MustParse("10.00"), Cost: money.MustParse("9.00"), Currency: "USD", MaxQuantity: 5},
			stock: 40, face: money.MustParse("10.00")},
		{group: CardGroup{ID: "8", Name: "Hajj calling card 20 SAR", NameAr: "بطاقة اتصال الحج 20 ريال", Brand: "Calling cards",
			Price: money.MustParse("20.00"), Currency: "SAR", MaxQuantity: 3},
			stock: 2, face: money.MustParse("20.00")},
	}
}

// SandboxConfig is a client configuration for a sandbox at baseURL.
func SandboxConfig(baseURL string) Config {
	cfg := Config{BaseURL: baseURL, Username: sandboxUser, SecretKey: secret.New(sandboxSecret), Sandbox: true}
	for _, d := range demoGroups() {
		cfg.CardGroups = append(cfg.CardGroups, d.group)
	}
	return cfg
}
