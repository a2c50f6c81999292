package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/operators"
	"kiosk/receipt"
	"kiosk/sale"
)

// Screen is one step of the clerk's work. Its Update changes the screen in
// place and returns only a command; navigation happens through the
// messages below, so the root never needs to know a screen's insides.
type Screen interface {
	Init() tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	// View renders the body; the root adds the title, help and status bar.
	View() string
	Title() string
	// Keys lists the screen's key bindings for the help line and overlay.
	Keys() help.KeyMap
}

// Busy is implemented by screens that must not be left right now (a sale
// is being sent): Esc and quitting wait until it is done.
type Busy interface{ Busy() bool }

// Locker is implemented by screens that Esc must not leave (sign-in).
type Locker interface{ Locks() bool }

// Common is what every screen shares, injected by the root.
type Common struct {
	Engine *sale.Engine
	Styles *Styles
	// Width and Height are the body's size (the terminal less the title,
	// help and status lines); the root keeps them current.
	Width, Height int
	Clerk         string
	// Lang is the interface language: the clerk's own, else the kiosk's.
	Lang i18n.Lang
	// DefaultLang is the kiosk's language (ui.language), restored at sign-out.
	DefaultLang i18n.Lang
	// Bidi says who puts right-to-left text in display order: the terminal,
	// or the app (for terminals that show Arabic letters left to right).
	Bidi i18n.Mode
	// User is who signed in; nil when no clerks are set up.
	User    *sale.User
	Sandbox bool
	// SandboxExtensions: the sandboxes also serve, and the kiosk sends, the
	// requests outside the providers' documents (the demo); the badge says so.
	SandboxExtensions bool
	// SignIn builds the sign-in screen; with it set the root locks the
	// kiosk after IdleLock without a key press, and on ctrl+l.
	SignIn   func() Screen
	IdleLock time.Duration
	// Favourites are product keys ("provider/id") for alt+1 … alt+9, index
	// 0 for alt+1; empty entries are unused. Nil: offer the best sellers.
	Favourites []string
	// Presets are amounts offered for range-priced products, by brand or
	// product key.
	Presets map[string][]string
	// Operators are the numbering plans for network detection.
	Operators []operators.Table
	// LowBalance is the warning threshold per provider id.
	LowBalance map[string]money.Decimal
	// DayCutoff and Location define the business day for the end of day.
	DayCutoff int
	Location  *time.Location
	// Books are the end of day's (nil: none set up).
	Books *eod.Books
	// StateDir is where the kiosk keeps its files (CSV exports go there).
	StateDir string
	// Printer and Receipt print receipts; Printer nil means none set up.
	Printer receipt.Printer
	Receipt receipt.Info
	Ctx     context.Context
	Now     func() time.Time
	// CatalogMaxAge is when a cached catalogue counts as stale.
	CatalogMaxAge time.Duration
}

// T translates a message key into the current language, in display order
// when the app does the right-to-left ordering (each translated string is
// placed as a unit, so reordering it alone keeps the screen's columns).
func (c *Common) T(key string, args ...any) string {
	return c.Show(i18n.T(c.lang(), key, args...))
}

// Show puts text that may hold Arabic (a product name, a provider's
// instructions) in display order when the app does the ordering.
func (c *Common) Show(s string) string {
	if c.Bidi != i18n.AppReorders {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = i18n.VisualDir(l, i18n.LTR)
	}
	return strings.Join(lines, "\n")
}

func (c *Common) lang() i18n.Lang {
	if c.Lang == "" {
		return i18n.EN
	}
	return c.Lang
}

// Plural translates a message with a count.
func (c *Common) Plural(key string, n int, args ...any) string {
	return c.Show(i18n.Plural(c.lang(), key, n, args...))
}

// Arabic reports whether the interface is in Arabic.
func (c *Common) Arabic() bool { return c.lang() == i18n.AR }

// Navigation and status messages.
type (
	// PushMsg opens a screen on top of the current one.
	PushMsg struct{ Screen Screen }
	// PopMsg goes back one screen.
	PopMsg struct{}
	// HomeMsg goes back to the first screen, then opens Then if set.
	HomeMsg struct{ Then Screen }
	// StatusMsg shows a line in the status bar.
	StatusMsg struct {
		Text  string
		Error bool
		at    time.Time
	}
	// SignedInMsg says who signed in; the root closes the sign-in screen.
	SignedInMsg struct{ User *sale.User }
	// RefreshBalanceMsg asks the root to read the balances again.
	RefreshBalanceMsg struct{}
	// BalancesMsg carries fresh balances.
	BalancesMsg struct {
		Text string
		Err  error
	}
)

// Push returns a command that opens s.
func Push(s Screen) tea.Cmd { return func() tea.Msg { return PushMsg{s} } }

// Pop returns a command that goes back one screen.
func Pop() tea.Cmd { return func() tea.Msg { return PopMsg{} } }

// Home returns a command that goes back to the first screen and opens then.
func Home(then Screen) tea.Cmd { return func() tea.Msg { return HomeMsg{then} } }

// Status returns a command that shows text in the status bar.
func Status(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: text, Error: isErr} }
}

// RefreshBalance returns a command that asks for fresh balances.
func RefreshBalance() tea.Cmd { return func() tea.Msg { return RefreshBalanceMsg{} } }
