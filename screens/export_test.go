package screens

import (
	tea "charm.land/bubbletea/v2"

	"kiosk/providers"
	"kiosk/sale"
)

// CatalogCachedMsg is what the catalogue's Init command delivers once it
// has read the cached catalogues, for the start-up benchmark to hand the
// real root model without running the other start-up commands (balances,
// timers) that would call providers or wait. Like the command, it builds
// the catalogue's view (its index) from cats.
func CatalogCachedMsg(e interface{ ProviderInfos() []providers.Info }, cats sale.Catalogs, err error) tea.Msg {
	return cachedMsg(e.ProviderInfos(), cats, err)
}
