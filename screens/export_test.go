package screens

import (
	tea "charm.land/bubbletea/v2"

	"kiosk/sale"
)

// CatalogCachedMsg is what the catalogue's Init command delivers once it
// has read the cached catalogues, for the start-up benchmark to hand the
// real root model without running the other start-up commands (balances,
// timers) that would call providers or wait.
func CatalogCachedMsg(cats sale.Catalogs, err error) tea.Msg { return catalogCachedMsg{cats, err} }
