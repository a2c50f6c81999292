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
// extensions changes nothing: the MOR client knows no extension (it sends
// only card_from_group_sell, seed L14), so even the no-configuration demo,
// whose simulator also serves calling_cards_get, sells by the document.
func MORConfig(base string, extensions bool) mor.Config {
	_ = extensions
	return mor.Config{
		BaseURL: base, Username: morsim.User, SecretKey: secret.New(morsim.Secret), Sandbox: true,
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
