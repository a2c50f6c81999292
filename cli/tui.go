package cli

import (
	"context"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/app"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/operators"
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
	c := &ui.Common{
		Engine: k.Engine, Styles: ui.DefaultStyles(), Width: 80, Height: 21, Clerk: clerk,
		Sandbox: k.Sandbox, SandboxExtensions: k.Sandboxes != nil && k.Sandboxes.Extensions(), Ctx: ctx, Now: time.Now, CatalogMaxAge: k.Config.Sale.CatalogMaxAge.Duration,
		Printer: k.Printer, Receipt: k.Receipt, Presets: k.Config.Presets,
		DayCutoff: k.Config.Terminal.DayCutoff, Location: k.Config.Terminal.Location,
		Operators: operators.Merge(operators.DefaultTables(), k.Config.Operators),
		Lang:      i18n.Lang(k.Config.UI.Language), DefaultLang: i18n.Lang(k.Config.UI.Language),
		LowBalance: map[string]money.Decimal{},
	}
	if k.Config.UI.Bidi == "app" {
		c.Bidi = i18n.AppReorders
	}
	if favs := k.Config.Favourites; len(favs) > 0 {
		c.Favourites = make([]string, 9)
		for _, f := range favs {
			c.Favourites[f.Key-1] = f.Provider + "/" + f.Product
		}
	}
	for id, a := range k.Config.LowBalance {
		c.LowBalance[id] = money.MustParse(a) // checked when the configuration was read
	}
	// Once clerks are set up, everyone signs in; a new kiosk (or the
	// sandbox) opens straight to the catalogue until the first user is added.
	users, err := k.Engine.Users()
	if err != nil {
		return nil, err
	}
	if len(users) > 0 {
		c.Clerk = ""
		c.SignIn = func() ui.Screen { return screens.NewSignIn(c) }
		c.IdleLock = k.Config.UI.IdleLock.Duration
	}
	var more []ui.Screen
	open, err := k.Engine.OpenSales()
	if err != nil {
		return nil, err
	}
	if len(open) > 0 {
		more = append(more, screens.NewRecovery(c))
	}
	a := ui.NewApp(c, screens.NewCatalog(c), more...)
	for _, w := range []string{k.LogWarning, k.KeyWarning} { // the key's matters most: shown last
		if w != "" {
			a.SetStatus(w, true)
		}
	}
	return a, nil
}
