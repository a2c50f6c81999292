package sandboxes

import (
	"kiosk/providers/bitaqaty"
	"kiosk/providers/bitaqaty/bitaqatysim"
	"kiosk/secret"
)

// BitaqatyConfig is the client configuration for the Bitaqaty simulator
// at base. Bitaqaty's document describes every request the client sends,
// so there are no extensions to turn on (bitaqaty.ExtensionNames and
// bitaqatysim.ExtensionNames are both empty): the demo with extensions and
// the document-only sandbox use the same configuration.
func BitaqatyConfig(base string, extensions bool) bitaqaty.Config {
	cfg := bitaqaty.Config{BaseURL: base, Username: bitaqatysim.Username, SecretKey: secret.New(bitaqatysim.SecretKey), Sandbox: true}
	if extensions {
		cfg.Extensions = append([]string(nil), bitaqaty.ExtensionNames...)
	}
	return cfg
}
