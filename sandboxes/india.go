package sandboxes

import (
	"kiosk/providers/india"
	"kiosk/providers/india/indiasim"
	"kiosk/secret"
)

// IndiaConfig is the client configuration for the Indian recharge
// simulator at base: the recharge at the simulator's path, with the
// simulator's sample operator and circle tables (the seed's examples,
// operator 1 and circle 23, among them). With extensions (the
// no-configuration demo) it also signs in and uses the status and balance
// checks; not legacy-auth, which would switch the answers to the older
// API's style. No default circle: the clerk picks the customer's.
func IndiaConfig(base string, extensions bool) india.Config {
	c := india.Config{BaseURL: base, RechargePath: indiasim.DefaultRechargePath, Sandbox: true}
	for _, o := range indiasim.Operators() {
		c.Operators = append(c.Operators, india.Operator{Code: india.Code(o.Code), Name: o.Name})
	}
	for _, ci := range indiasim.Circles() {
		c.Circles = append(c.Circles, india.Circle{Code: india.Code(ci.Code), Name: ci.Name})
	}
	if extensions {
		c.Extensions = []string{india.ExtSignin, india.ExtStatus, india.ExtBalance}
		c.Username, c.Password = indiasim.Username, secret.New(indiasim.Password)
	}
	return c
}
