package sandboxes

import (
	"kiosk/providers/dtone"
	"kiosk/providers/dtone/dtonesim"
	"kiosk/secret"
)

// dtoneDemoCountries are the simulator's demo countries, by DT One's own
// ids: the document lists a country's products by id (seed L113).
var dtoneDemoCountries = []string{"678", "730", "756", "766", "767", "826", "840"}

// DTOneConfig is the client configuration for the DT One simulator at
// base. Without extensions it sends only what DT One's document describes:
// the catalogue of the demo countries by id, suggested values and account
// checks, so DT One products are listed but not sold. With extensions
// (the no-configuration demo) it uses every extension the client knows:
// the country list instead of configured ids, purchases and look-ups.
func DTOneConfig(base string, extensions bool) dtone.Config {
	cfg := dtone.Config{BaseURL: base, APIKey: secret.New(dtonesim.APIKey), APISecret: secret.New(dtonesim.APISecret), Simulation: true, Sandbox: true}
	if extensions {
		cfg.Extensions = append([]string(nil), dtone.Extensions...)
	} else {
		cfg.Countries = append([]string(nil), dtoneDemoCountries...)
	}
	return cfg
}
