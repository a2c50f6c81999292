package ui

import "charm.land/bubbles/v2/key"

// KeyMap is the keys every screen shares, in the clerk's language. The
// root handles the global ones (quit, help, back, lock); a screen starts
// its own bindings from the rest and changes a copy where it needs to
// (the catalogue also moves with ctrl+p/ctrl+n), so no screen changes
// another's keys.
type KeyMap struct {
	Quit, Help, Back, Lock key.Binding
	Up, Down               key.Binding
	PageUp, PageDown       key.Binding
	// Next and Prev move between the fields of a form.
	Next, Prev key.Binding
	// Repeat sells the last sale again (same product, same customer,
	// through Confirm); Reprint prints the last sale's receipt again.
	Repeat, Reprint key.Binding
}

// NewKeyMap builds the shared keys with their help in the language t
// translates to.
func NewKeyMap(t func(key string, args ...any) string) KeyMap {
	return KeyMap{
		Quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", t("key.quit"))),
		Help:     key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", t("key.help"))),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t("key.back"))),
		Lock:     key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", t("key.lock"))),
		Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", t("key.up"))),
		Down:     key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", t("key.down"))),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", t("key.page_up"))),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", t("key.page_down"))),
		Next:     key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", t("key.next_field"))),
		Prev:     key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", t("key.previous"))),
		Repeat:   key.NewBinding(key.WithKeys("ctrl+y"), key.WithHelp("ctrl+y", t("key.repeat_last"))),
		Reprint:  key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", t("key.reprint_last"))),
	}
}
