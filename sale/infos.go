package sale

import "kiosk/providers"

// ProviderInfos names the configured providers, in configuration order:
// what a front end shows of them, without handing it the clients.
func (e *Engine) ProviderInfos() []providers.Info {
	out := make([]providers.Info, 0, len(e.order))
	for _, id := range e.order {
		out = append(out, e.providers[id].Info())
	}
	return out
}
