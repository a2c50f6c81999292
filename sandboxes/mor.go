package sandboxes

import (
	"kiosk/money"
	"kiosk/providers/mor"
	"kiosk/providers/mor/morsim"
	"kiosk/secret"
)

// MORConfig is the client configuration for the MOR simulator at base: the
// demo shop's card groups (6, as in the seed's example; 8 holds two cards,
// so "Free cards was not found" is easy to reach).
//
// The client sends only card_from_group_sell (seed L14) either way; with
// extensions it adds the ref-header extension's X-Kiosk-Ref, so the
// simulator can count charges per sale.
func MORConfig(base string, extensions bool) mor.Config {
	var ext []string
	if extensions {
		ext = []string{mor.ExtRefHeader}
	}
	return mor.Config{
		Extensions: ext,
		BaseURL:    base, Username: morsim.User, SecretKey: secret.New(morsim.Secret), Sandbox: true,
		CardGroups: []mor.CardGroup{
			{ID: "6", Name: "International calling card 5 USD", NameAr: "بطاقة اتصال دولية 5 دولار",
				Price: money.MustParse("5.00"), Cost: money.MustParse("4.50"), Currency: "USD", MaxQuantity: 5,
				AccessNumber: "+1 800 555 0100"},
			{ID: "7", Name: "International calling card 10 USD", NameAr: "بطاقة اتصال دولية 10 دولار",
				Price: money.MustParse("10.00"), Cost: money.MustParse("9.00"), Currency: "USD", MaxQuantity: 5,
				AccessNumber: "+1 800 555 0100"},
			{ID: "8", Name: "Hajj calling card 20 SAR", NameAr: "بطاقة اتصال الحج 20 ريال", Brand: "Calling cards",
				Price: money.MustParse("20.00"), Currency: "SAR", MaxQuantity: 3,
				AccessNumber: "8001240000"},
		},
	}
}
