package ui

import (
	"time"

	"kiosk/i18n"
	"kiosk/money"
	"kiosk/operators"
	"kiosk/sale"
)

// Settings are the kiosk's configuration as the screens see it, fixed
// when the app starts: nothing changes them afterwards, so a screen may
// read them from a command as well as from Update.
type Settings struct {
	// Terminal is the terminal's name, shown in the status bar.
	Terminal string
	// Language is the kiosk's language (ui.language), which every clerk
	// without a language of their own works in.
	Language i18n.Lang
	// Bidi says who puts right-to-left text in display order: the terminal,
	// or the app (for terminals that show Arabic letters left to right).
	Bidi i18n.Mode
	// Sandbox: a provider runs on a built-in sandbox; the title says so.
	Sandbox bool
	// SandboxExtensions: the sandboxes also serve, and the kiosk sends, the
	// requests outside the providers' documents (the demo); the badge says so.
	SandboxExtensions bool
	// SignIn: clerks are set up, so everyone signs in, the kiosk locks
	// after IdleLock without a key press and on ctrl+l, and a reprint or a
	// decision needs a supervisor.
	SignIn   bool
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
	// CatalogMaxAge is when a cached catalogue counts as stale.
	CatalogMaxAge time.Duration
	// StateDir is where the kiosk keeps its files (CSV exports go there).
	StateDir string
}

// Session is who is at the counter. Only the root changes it, in answer
// to a message (SignedInMsg); screens read a copy.
type Session struct {
	// User is who signed in; nil when nobody has (or no clerks are set up).
	User *sale.User
	// Clerk is the name sales are recorded under: the signed-in user's, or
	// the system user's on a kiosk without clerks.
	Clerk string
	// Lang is the interface language: the clerk's own, else the kiosk's.
	Lang i18n.Lang
}

// Supervisor reports whether a supervisor is signed in.
func (s Session) Supervisor() bool { return s.User != nil && s.User.Supervisor() }
