package sandboxes

import (
	"kiosk/money"
	"kiosk/providers/alqimah"
	"kiosk/providers/alqimah/alqimahsim"
	"kiosk/secret"
)

// AlQimahConfig is the client configuration for the Al-Qimah simulator
// at base: the demo shop's unit prices and the offers it sells (the
// simulator's DefaultNetworks and DefaultOffers). Al-Qimah has no
// extensions (alqimah.ExtensionNames and alqimahsim.ExtensionNames are
// empty: the seed covers every request), so the configuration is the same
// with extensions on or off.
func AlQimahConfig(base string, _ bool) alqimah.Config {
	return alqimah.Config{
		BaseURL: base, AccountNumber: alqimahsim.AccountNumber, Username: alqimahsim.UserName,
		Password: secret.New(alqimahsim.Password), APIToken: secret.New(alqimahsim.APIToken),
		Currency: "YER",
		Networks: map[string]alqimah.Network{
			alqimah.Sabafon:  {UnitPrice: money.MustParse("1.21")}, // the seed's example unit price
			alqimah.YOU:      {UnitPrice: money.MustParse("1.18")},
			alqimah.YTelecom: {UnitPrice: money.MustParse("1.15")},
		},
		// The Yemen Mobile offers of the seed's 1/107 answer, and the seed's
		// offer payment example.
		Offers: []alqimah.Offer{
			{Network: alqimah.YemenMobile, Code: "A4990006", Name: "Mazaya 4G VoLTE monthly (prepaid)", NameAr: "باقة مزايا فورجي فولتي الشهريه دفع مسبق", Price: money.MustParse("2500")},
			{Network: alqimah.YemenMobile, Code: "A3825", Name: "Tawfeer 4G 5 GB monthly (prepaid)", NameAr: "دفع مسبق باقة نت توفير فورجي 5 جيجا الشهرية", Price: money.MustParse("1600")},
			{Network: alqimah.Sabafon, Code: "PREWhatsApp", Name: "WhatsApp monthly bundle", NameAr: "باقة واتساب الشهرية", Price: money.MustParse("500")},
		},
		Sandbox: true,
	}
}
