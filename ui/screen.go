package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"kiosk/i18n"
	"kiosk/money"
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

// Waiter is implemented by screens that must not be quit now without
// saying why (a receipt being printed): Waiting is the reason, in the
// clerk's language, or "" when quitting is fine.
type Waiter interface{ Waiting() string }

// QuitGuard is a screen that asks for a supervisor before the kiosk quits
// (package screens builds it; the root only recognises it on top).
type QuitGuard interface{ GuardsQuit() bool }

// StopMsg asks the kiosk to stop from outside (SIGTERM from systemd, the
// terminal hanging up): it stops as soon as no sale is being sent and no
// receipt is printing, without a supervisor, since whoever can signal the
// process can stop it anyway.
type StopMsg struct{ Reason string }

// Common is what every screen shares, injected by the root as
// soft-serve's common.Common is: the services to call, the settings, the
// session, the theme and keys, the size, the context and the clock.
// Screens only read it; the root alone changes the session (in answer to
// a message) and the size, and it runs the only event loop, so Update and
// View never race with those changes. A command, which runs apart, takes
// what it needs from Common before it starts.
type Common struct {
	ctx      context.Context
	svc      Services
	settings Settings
	session  Session
	styles   *Styles
	keys     KeyMap
	now      func() time.Time
	after    func(time.Duration, tea.Msg) tea.Cmd
	// width and height are the body's size: the terminal less the title,
	// help and status lines.
	width, height int
}

// Parts are what a Common is made of.
type Parts struct {
	Ctx      context.Context
	Services Services
	Settings Settings
	// Session is who is at the counter when the app starts; its Lang
	// defaults to Settings.Language.
	Session Session
	Now     func() time.Time // nil: time.Now
	// After returns a command that delivers msg once d has passed; nil: a
	// real timer (tea.Tick). Tests pass one they fire themselves.
	After  func(d time.Duration, msg tea.Msg) tea.Cmd
	Styles *Styles // nil: DefaultStyles()
}

// NewCommon makes the shared part of the screens, sized 80×21 until the
// terminal says otherwise.
func NewCommon(p Parts) *Common {
	c := &Common{ctx: p.Ctx, svc: p.Services, settings: p.Settings, session: p.Session,
		styles: p.Styles, now: p.Now, after: p.After, width: 80, height: 21}
	if c.ctx == nil {
		c.ctx = context.Background()
	}
	if c.session.Lang == "" {
		c.session.Lang = c.settings.Language
	}
	if c.styles == nil {
		c.styles = DefaultStyles()
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.after == nil {
		c.after = func(d time.Duration, msg tea.Msg) tea.Cmd {
			return tea.Tick(d, func(time.Time) tea.Msg { return msg })
		}
	}
	c.keys = NewKeyMap(c.T)
	return c
}

// Context is the app's context; commands pass it to the services.
func (c *Common) Context() context.Context { return c.ctx }

// Sales is the sale core.
func (c *Common) Sales() Sales { return c.svc.Sales }

// Books is the end of day; nil when it is not set up.
func (c *Common) Books() Books { return c.svc.Books }

// Users checks sign-ins and supervisors.
func (c *Common) Users() Users { return c.svc.Users }

// Printer prints receipts and reports; nil when no printer is set up.
func (c *Common) Printer() Printer { return c.svc.Print }

// Settings are the kiosk's configuration (a copy: its maps and slices are
// shared and must not be written).
func (c *Common) Settings() Settings { return c.settings }

// Session is who is at the counter now (a copy).
func (c *Common) Session() Session {
	s := c.session
	if s.User != nil {
		u := *s.User
		s.User = &u
	}
	return s
}

// Styles is the theme.
func (c *Common) Styles() *Styles { return c.styles }

// KeyMap is the shared keys in the clerk's language; a screen starts its
// own bindings from a copy.
func (c *Common) KeyMap() KeyMap { return c.keys }

// Now reads the clock.
func (c *Common) Now() time.Time { return c.now() }

// After returns a command that delivers msg once d has passed.
func (c *Common) After(d time.Duration, msg tea.Msg) tea.Cmd { return c.after(d, msg) }

// Width and Height are the body's size, kept current by the root.
func (c *Common) Width() int  { return c.width }
func (c *Common) Height() int { return c.height }

// T translates a message key into the current language, in display order
// when the app does the right-to-left ordering (each translated string is
// placed as a unit, so reordering it alone keeps the screen's columns).
func (c *Common) T(key string, args ...any) string {
	return c.Show(i18n.T(c.lang(), key, args...))
}

// Show puts text that may hold Arabic (a product name, a provider's
// instructions) in display order, its letters joined, when the app does
// the ordering (a terminal that reorders nothing joins nothing either).
func (c *Common) Show(s string) string {
	if c.settings.Bidi != i18n.AppReorders {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = i18n.VisualDir(i18n.Shape(l), i18n.Auto)
	}
	return strings.Join(lines, "\n")
}

func (c *Common) lang() i18n.Lang {
	if c.session.Lang == "" {
		return i18n.EN
	}
	return c.session.Lang
}

// Lang is the interface language now.
func (c *Common) Lang() i18n.Lang { return c.lang() }

// Plural translates a message with a count.
func (c *Common) Plural(key string, n int, args ...any) string {
	return c.Show(i18n.Plural(c.lang(), key, n, args...))
}

// Arabic reports whether the interface is in Arabic.
func (c *Common) Arabic() bool { return c.lang() == i18n.AR }

// signedIn starts the session of u, in u's own language if they have one:
// the root's answer to SignedInMsg.
func (c *Common) signedIn(u sale.User) {
	c.session = Session{User: &u, Clerk: u.Name, Lang: c.settings.Language}
	if l, err := i18n.ParseLang(u.Lang); err == nil && u.Lang != "" {
		c.session.Lang = l
	}
	c.keys = NewKeyMap(c.T)
}

func (c *Common) setSize(w, h int) { c.width, c.height = w, h }

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
	// BalancesMsg carries fresh balances, per provider id.
	BalancesMsg struct {
		Balances map[string][]money.Money
		Err      error
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
