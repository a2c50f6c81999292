package cli

import (
	"context"
	"fmt"
	"kiosk/gcwindow"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/app"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/operators"
	"kiosk/printing"
	"kiosk/screens"
	"kiosk/shipping"
	"kiosk/storage"
	"kiosk/ui"
	"kiosk/webhook"
)

// runTUI opens the clerk's screens.
func (e *env) runTUI() error {
	// Collect less while the cached catalogue is decoded and indexed; the
	// catalogue screen closes the window once its index is built.
	gcwindow.Open()
	defer gcwindow.Close()
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
		opt := webhook.Options{}
		if k.Log != nil {
			opt.Logf = func(format string, args ...any) { k.Log.Logger.Warn(fmt.Sprintf(format, args...), "part", "webhook") }
		}
		h, err := webhook.NewWithOptions(k.Engine, k.WebhookKey, opt)
		if err != nil {
			return err
		}
		srv, err := webhook.Listen(k.Config.Webhook.Listen, h)
		if err != nil {
			return err
		}
		defer srv.Close()
	}
	wake := make(chan struct{}, 1)
	stopShipping, err := k.StartShipping(ctx, wake)
	if err != nil {
		return err
	}
	defer stopShipping()
	model, err := NewApp(ctx, k, os.Getenv("USER"), wake)
	if err != nil {
		return err
	}
	p := tea.NewProgram(model, tea.WithContext(ctx), tea.WithoutSignalHandler())
	stop := stopOnSignals(p)
	defer stop()
	_, err = p.Run()
	return err
}

// stopOnSignals hands SIGTERM (systemd stopping the kiosk), SIGINT and
// SIGHUP (the terminal gone) to the screens as a ui.StopMsg: the kiosk
// stops once no sale is being sent and no receipt printing, instead of
// being cut off mid-sale. SIGQUIT and SIGTSTP are ignored: ctrl+\ and
// ctrl+z at a locked counter lead nowhere.
func stopOnSignals(p *tea.Program) (stop func()) {
	signal.Ignore(syscall.SIGQUIT, syscall.SIGTSTP)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sig:
				p.Send(ui.StopMsg{Reason: s.String()})
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}

// NewApp builds the root model for a kiosk: the catalogue, with the open
// sales screen on top when the journal has unsettled sales.
//
// wake, when head office is configured, is the shipper's: the screens
// wake it after every sale.
func NewApp(ctx context.Context, k *app.Kiosk, clerk string, wake chan struct{}) (*ui.App, error) {
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
	if k.Config.HeadOffice.Enabled() && wake != nil {
		svc.HeadOffice = headOffice{j: k.Journal.Storage(), warnAfter: k.Config.HeadOffice.WarnAfter.Duration, wake: wake}
	}
	// With no printer set up, receipts are shown on the screen.
	svc.Print = printing.New(k.Engine, k.Printer, k.Receipt, time.Now)
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
	if set.SignIn {
		// Once clerks are set up, leaving the kiosk needs a supervisor.
		a.SetQuitGuard(func() ui.Screen { return screens.NewQuitGuard(c) })
	}
	warnings := append(append([]string{}, k.PriceWarnings...), k.BackupWarning, k.LogWarning, k.KeyWarning)
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

// headOffice is the screens' view of shipping: the backlog for the status
// bar, and a wake for the background shipper after each sale.
type headOffice struct {
	j         *storage.Journal
	warnAfter time.Duration
	wake      chan struct{}
}

func (h headOffice) Backlog() (int, error) { return shipping.Backlog(h.j, time.Now(), h.warnAfter) }

func (h headOffice) Wake() {
	select {
	case h.wake <- struct{}{}:
	default: // a wake is pending already
	}
}
