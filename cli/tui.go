package cli

import (
	"context"
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/app"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/operators"
	"kiosk/printing"
	"kiosk/screens"
	"kiosk/ui"
	"kiosk/webhook"
)

// runTUI opens the clerk's screens.
func (e *env) runTUI() error {
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The webhook listener lives with the screens: only the process that
	// holds the journal can settle sales.
	if k.WebhookKey != nil {
		h, err := webhook.New(k.Engine, k.WebhookKey)
		if err != nil {
			return err
		}
		srv, err := webhook.Listen(k.Config.Webhook.Listen, h)
		if err != nil {
			return err
		}
		defer srv.Close()
	}
	stopShipping, err := k.StartShipping(ctx, nil)
	if err != nil {
		return err
	}
	defer stopShipping()
	model, err := NewApp(ctx, k, os.Getenv("USER"))
	if err != nil {
		return err
	}
	_, err = tea.NewProgram(model, tea.WithContext(ctx)).Run()
	return err
}

// NewApp builds the root model for a kiosk: the catalogue, with the open
// sales screen on top when the journal has unsettled sales.
func NewApp(ctx context.Context, k *app.Kiosk, clerk string) (*ui.App, error) {
	// Once clerks are set up, everyone signs in; a new kiosk (or the
	// sandbox) opens straight to the catalogue until the first user is added.
	users, err := k.Engine.Users()
	if err != nil {
		return nil, err
	}
	set := settings(k, len(users) > 0)
	session := ui.Session{Clerk: clerk}
	if set.SignIn {
		session.Clerk = ""
	}
	svc := ui.Services{Sales: k.Engine, Users: k.Engine}
	if k.Books != nil {
		svc.Books = k.Books
	}
	if k.Printer != nil {
		svc.Print = printing.New(k.Engine, k.Printer, k.Receipt, time.Now)
	}
	c := ui.NewCommon(ui.Parts{Ctx: ctx, Services: svc, Settings: set, Session: session, Now: time.Now})
	var signIn func() ui.Screen
	if set.SignIn {
		signIn = func() ui.Screen { return screens.NewSignIn(c) }
	}
	var more []ui.Screen
	open, err := k.Engine.OpenSales()
	if err != nil {
		return nil, err
	}
	if len(open) > 0 {
		more = append(more, screens.NewRecovery(c))
	}
	a := ui.NewApp(c, screens.NewCatalog(c), signIn, more...)
	warnings := append(append([]string{}, k.PriceWarnings...), k.LogWarning, k.KeyWarning)
	for _, w := range warnings { // the key's matters most: shown last
		if w != "" {
			a.SetStatus(w, true)
		}
	}
	return a, nil
}

// settings are what the screens take from the configuration; signIn says
// whether clerks are set up.
func settings(k *app.Kiosk, signIn bool) ui.Settings {
	cfg := k.Config
	set := ui.Settings{
		Terminal: k.Engine.TerminalID(), Language: i18n.Lang(cfg.UI.Language),
		Sandbox: k.Sandbox, SandboxExtensions: k.Sandboxes != nil && k.Sandboxes.Extensions(),
		Presets: cfg.Presets, Operators: operators.Merge(operators.DefaultTables(), cfg.Operators),
		LowBalance: map[string]money.Decimal{}, CatalogMaxAge: cfg.Sale.CatalogMaxAge.Duration,
		StateDir: filepath.Dir(cfg.Journal.Path), SignIn: signIn,
	}
	if signIn {
		set.IdleLock = cfg.UI.IdleLock.Duration
	}
	if cfg.UI.Bidi == "app" {
		set.Bidi = i18n.AppReorders
	}
	if favs := cfg.Favourites; len(favs) > 0 {
		set.Favourites = make([]string, 9)
		for _, f := range favs {
			set.Favourites[f.Key-1] = f.Provider + "/" + f.Product
		}
	}
	for id, a := range cfg.LowBalance {
		set.LowBalance[id] = money.MustParse(a) // checked when the configuration was read
	}
	return set
}
