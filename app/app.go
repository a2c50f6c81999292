// Package app builds a running kiosk from its configuration: the journal
// (with its PIN key), the provider clients, the embedded sandboxes when no
// real provider is configured, and the sale engine. The terminal UI and the
// scriptable commands both start here, so they share one core.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	"kiosk/backup"
	"kiosk/config"
	"kiosk/eod"
	"kiosk/journal"
	"kiosk/logs"
	"kiosk/logs/salelog"
	"kiosk/pricing"
	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/dtone"
	"kiosk/providers/india"
	"kiosk/providers/mor"
	"kiosk/receipt"
	"kiosk/sale"
	"kiosk/sandboxes"
	"kiosk/shipping"
	"kiosk/storage"
	"kiosk/webhook"
)

// Kiosk is a built kiosk. Close it when done.
type Kiosk struct {
	Config *config.Config
	// Journal is the journal as the core sees it; Journal.Storage() the
	// file underneath.
	Journal *journal.Journal
	Engine  *sale.Engine
	// Books are the end of day's, over the same journal and engine.
	Books *eod.Books
	// Sandbox is true when any provider runs on a built-in sandbox.
	Sandbox   bool
	Sandboxes *sandboxes.Set
	// KeyWarning is set when PINs cannot be read or written (no key).
	KeyWarning string
	// WebhookKey signs Al-Qimah's per-sale webhook codes; nil when off.
	WebhookKey []byte
	// Log is the support log beside the journal (nil when it could not be
	// opened: LogWarning says why; the journal, not the log, is the record).
	Log        *logs.Log
	LogWarning string
	// PriceWarnings are what the price list's check found that does not
	// stop the kiosk: products sold at cost, rules that price nothing,
	// names not checked because a catalogue is not loaded yet.
	PriceWarnings []string
	// Printer and Receipt say where and how receipts print.
	Printer receipt.Printer
	Receipt receipt.Info
	// backups answers `kiosk journal backup` while this process holds the
	// journal (care.go); BackupWarning says why it does not.
	backups       *backup.Server
	BackupWarning string
	hc            *http.Client // the providers' HTTP client; nil: the default
}

// LoadConfig reads the configuration: the --config path if given (it must
// exist), else the default path if it exists, else the built-in defaults
// (every provider on its sandbox).
func LoadConfig(path string) (*config.Config, error) {
	if path != "" {
		return config.Load(path)
	}
	def := config.DefaultPath()
	if _, err := os.Stat(def); err == nil {
		return config.Load(def)
	}
	return config.Defaults(), nil
}

// Open builds the kiosk. It refuses a half-valid configuration: every
// provider section is checked before anything starts.
func Open(cfg *config.Config) (*Kiosk, error) {
	k := &Kiosk{Config: cfg}
	if err := k.loadWebhookKey(); err != nil {
		return nil, err
	}
	provs, err := k.buildProviders()
	if err != nil {
		k.Close()
		return nil, err
	}
	if err := k.buildPrinter(); err != nil {
		k.Close()
		return nil, err
	}
	rules, err := readPrices(cfg, provs)
	if err != nil {
		k.Close()
		return nil, err
	}
	sealer, warn, err := loadSealer(cfg)
	if err != nil {
		k.Close()
		return nil, err
	}
	k.KeyWarning = warn
	sj, err := storage.Open(cfg.Journal.Path, storage.Options{Sealer: sealer, Terminal: cfg.Terminal.Number,
		Outbox: cfg.HeadOffice.Enabled()})
	if err != nil {
		k.Close()
		return nil, err
	}
	k.Journal = journal.New(sj)
	opt := sale.Options{
		Terminal:        cfg.Terminal.ID,
		Timeout:         cfg.Sale.Timeout.Duration,
		InFlightWindow:  cfg.Sale.InFlightWindow.Duration,
		CatalogVersions: catalogVersions(cfg, providerIDs(provs)),
	}
	if lg, err := logs.Open(logs.PathFor(cfg.Journal.Path), logs.Options{}); err != nil {
		k.LogWarning = "support log: " + err.Error()
	} else {
		k.Log, opt.Log = lg, salelog.New(lg.Logger)
	}
	k.serveBackups()
	k.Engine = sale.New(k.Journal, provs, opt)
	if err := k.loadPrices(rules); err != nil {
		k.Close()
		return nil, err
	}
	if k.Books, err = eod.New(k.Engine, k.Journal, eod.Options{CutoffHour: cfg.Terminal.DayCutoff, Location: cfg.Terminal.Location, Terminal: cfg.Terminal.Number,
		Timeout: cfg.Sale.Timeout.Duration, AfterClose: k.AfterClose(), BlindCount: cfg.EOD.BlindCount}); err != nil {
		k.Close()
		return nil, err
	}
	return k, nil
}

// providerIDs are the ids of the providers built.
func providerIDs(provs []providers.Provider) []string {
	ids := make([]string, len(provs))
	for i, p := range provs {
		ids[i] = p.Info().ID
	}
	return ids
}

// readPrices reads the [[prices]] and [[fees]] of the configuration and
// checks what needs no catalogue (numbers, ties, providers), before the
// journal is opened: a refused configuration leaves nothing behind.
func readPrices(cfg *config.Config, provs []providers.Provider) (*pricing.Rules, error) {
	rules, err := pricing.Parse(cfg.Path, cfg.Text())
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, p := range provs {
		ids = append(ids, p.Info().ID)
	}
	if _, err := rules.Check(pricing.Catalogue{Providers: ids, Unloaded: ids}); err != nil {
		return nil, err
	}
	return rules, nil
}

// loadPrices checks the price list against the cached catalogues: a rule naming what no
// catalogue has, a tie, a price below cost or a fee in another currency
// stops the kiosk, naming file:line: key, so it never sells half-priced.
// The catalogues decoded here are the ones the catalogue screen shows.
func (k *Kiosk) loadPrices(rules *pricing.Rules) error {
	cats, err := k.Engine.CachedCatalogs(k.Config.Sale.CatalogMaxAge.Duration)
	if err != nil {
		return fmt.Errorf("price list: read the cached catalogues: %w", err)
	}
	cat := pricing.Catalogue{Products: cats.Products, Merged: true}
	for _, p := range k.Engine.Providers() {
		id := p.Info().ID
		cat.Providers = append(cat.Providers, id)
		if cats.Fetched[id].IsZero() {
			cat.Unloaded = append(cat.Unloaded, id)
		}
	}
	list, err := rules.Check(cat)
	if err != nil {
		return err
	}
	k.Engine.SetPrices(list)
	k.PriceWarnings = list.Warnings()
	if k.Log != nil {
		for _, w := range k.PriceWarnings {
			k.Log.Logger.Warn(w, "part", "prices")
		}
	}
	return nil
}

// OpenJournal opens only the journal (with its PIN key, when there is one),
// for commands that read it: no provider is built and no sandbox started.
// readOnly opens it for reading alone, so not a byte of it changes.
func OpenJournal(cfg *config.Config, readOnly bool) (*journal.Journal, error) {
	sealer, _, err := loadSealer(cfg)
	if err != nil {
		return nil, err
	}
	j, err := storage.Open(cfg.Journal.Path, storage.Options{Sealer: sealer, Terminal: cfg.Terminal.Number, ReadOnly: readOnly,
		Outbox: cfg.HeadOffice.Enabled()})
	if err != nil {
		return nil, err
	}
	return journal.New(j), nil
}

// Close releases the journal and stops the sandboxes.
func (k *Kiosk) Close() {
	_ = k.backups.Close() // before the journal: a backup under way finishes first
	if k.Journal != nil {
		_ = k.Journal.Close()
	}
	if k.Log != nil {
		_ = k.Log.Close()
	}
	if k.Sandboxes != nil {
		_ = k.Sandboxes.Close()
	}
}

// loadWebhookKey reads the webhook key when the listener is configured.
func (k *Kiosk) loadWebhookKey() error {
	w := k.Config.Webhook
	if w.Listen == "" {
		return nil
	}
	if w.KeyEnv == "" {
		return k.Config.Errorf("webhook.key_env", "missing value: the webhook needs a key (64 hex digits) in an environment variable")
	}
	key, err := webhook.ParseKey(os.Getenv(w.KeyEnv))
	if err != nil {
		return k.Config.Errorf("webhook.key_env", "environment variable %s: %v", w.KeyEnv, err)
	}
	k.WebhookKey = key
	return nil
}

// buildPrinter checks the printer settings before anything starts.
func (k *Kiosk) buildPrinter() error {
	cfg := k.Config
	var p receipt.Printer
	var err error
	switch {
	case cfg.Printer.Target == "":
		// No printer: print shows the receipt on screen; no PIN is ever
		// written in the clear beside the encrypted journal by default.
	case cfg.Printer.RevealPINs:
		p, err = receipt.ParseTargetRevealing(expandHome(cfg.Printer.Target))
	default:
		p, err = receipt.ParseTarget(expandHome(cfg.Printer.Target))
	}
	if err != nil {
		return cfg.Errorf("printer.target", "%v", err)
	}
	paper, err := receipt.ParsePaper(cfg.Printer.Paper)
	if err != nil {
		return cfg.Errorf("printer.paper", "%v", err)
	}
	enc, err := receipt.ParseEncoding(cfg.Printer.Encoding)
	if err != nil {
		return cfg.Errorf("printer.encoding", "%v", err)
	}
	k.Printer = p
	k.Receipt = receipt.Info{Shop: cfg.Shop.Name, Terminal: cfg.Terminal.ID, Paper: paper, Encoding: enc}
	return nil
}

// expandHome turns "file:~/x" into "file:/home/me/x".
func expandHome(target string) string {
	kind, path, ok := strings.Cut(target, ":")
	if home, err := os.UserHomeDir(); ok && err == nil && strings.HasPrefix(path, "~/") {
		return kind + ":" + home + path[1:]
	}
	return target
}

// loadSealer finds the PIN key. A key file is created only for a brand-new
// journal; for an existing journal a missing key is reported and the kiosk
// runs without PINs rather than making a new key that cannot open them.
func loadSealer(cfg *config.Config) (*storage.Sealer, string, error) {
	var key []byte
	var err error
	switch {
	case cfg.Journal.KeyEnv != "":
		v, ok := os.LookupEnv(cfg.Journal.KeyEnv)
		if !ok || v == "" {
			return nil, fmt.Sprintf("PINs locked: environment variable %s (journal.key_env) is not set", cfg.Journal.KeyEnv), nil
		}
		if key, err = storage.ParseKey(v); err != nil {
			return nil, "", fmt.Errorf("journal.key_env %s: %w", cfg.Journal.KeyEnv, err)
		}
	default:
		_, statErr := os.Stat(cfg.Journal.Path)
		fresh := errors.Is(statErr, fs.ErrNotExist)
		key, err = storage.LoadKeyFile(cfg.Journal.KeyFile, fresh)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Sprintf("PINs locked: key file %s (journal.key_file) is missing", cfg.Journal.KeyFile), nil
		}
		if err != nil {
			return nil, "", err
		}
	}
	s, err := storage.NewSealer(key)
	return s, "", err
}

// buildProviders makes a client for every configured provider; with no
// provider configured at all, every provider runs on the built-in sandbox.
func (k *Kiosk) buildProviders() ([]providers.Provider, error) {
	cfg := k.Config
	ids := cfg.ProviderIDs()
	allSandbox := len(ids) == 0
	if allSandbox {
		ids = sandboxes.IDs
	}
	var errs []error
	var out []providers.Provider
	hc := k.hc // the doctor's, which reads each answer's Date (care.go)
	if hc == nil {
		hc = providers.NewHTTPClient(cfg.Sale.Timeout.Duration + 5*time.Second)
	}
	for _, id := range ids {
		var common config.ProviderCommon
		if err := cfg.DecodeProvider(id, &common); err != nil {
			errs = append(errs, err)
			continue
		}
		if common.Enabled != nil && !*common.Enabled {
			continue
		}
		useSandbox := allSandbox || common.Sandbox
		if useSandbox && k.Sandboxes == nil {
			// The no-configuration demo serves, and uses, every extension
			// (the screen says so); a provider put on the sandbox by its
			// section gets what its document describes.
			set, err := sandboxes.Start("127.0.0.1:0", sandboxes.Options{Extensions: allSandbox})
			if err != nil {
				return nil, err
			}
			k.Sandboxes = set
		}
		base := ""
		if useSandbox {
			base = k.Sandboxes.BaseURL(id)
			k.Sandbox = true
		}
		p, err := k.build(cfg, id, base, hc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, p)
	}
	if err := cfg.Finish(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no provider is enabled", cfg.Path)
	}
	return out, nil
}

// build makes the client for one provider id.
func (k *Kiosk) build(cfg *config.Config, id, sandboxBase string, hc *http.Client) (providers.Provider, error) {
	ext := k.Sandboxes != nil && k.Sandboxes.Extensions()
	switch id {
	case bitaqaty.ID:
		return buildOne(cfg, id, sandboxBase, hc, func(b string) bitaqaty.Config { return sandboxes.BitaqatyConfig(b, ext) }, bitaqaty.New, nil)
	case dtone.ID:
		return buildOne(cfg, id, sandboxBase, hc, func(b string) dtone.Config { return sandboxes.DTOneConfig(b, ext) }, dtone.New, nil)
	case alqimah.ID:
		return buildOne(cfg, id, sandboxBase, hc, func(b string) alqimah.Config { return sandboxes.AlQimahConfig(b, ext) }, alqimah.New, func(c *alqimah.Config) {
			c.WebhookKey = k.WebhookKey
		})
	case mor.ID:
		return buildOne(cfg, id, sandboxBase, hc, func(b string) mor.Config { return sandboxes.MORConfig(b, ext) }, mor.New, nil)
	case india.ID:
		return buildOne(cfg, id, sandboxBase, hc, func(b string) india.Config { return sandboxes.IndiaConfig(b, ext) }, india.New, nil)
	}
	return nil, cfg.Errorf("providers."+id, "unknown provider (known: bitaqaty, dtone, alqimah, mor, india)")
}

// buildOne decodes a provider's section into its own Config (or takes the
// sandbox's config when sandboxBase is set), lets prepare add settings from
// elsewhere in the configuration, validates it and makes the client. Errors
// point at the provider's section of the file.
func buildOne[C interface{ Validate() error }, P providers.Provider](
	cfg *config.Config, id, sandboxBase string, hc *http.Client,
	sandboxConfig func(string) C, newClient func(C, *http.Client) (P, error), prepare func(*C),
) (providers.Provider, error) {
	var c C
	if sandboxBase != "" {
		c = sandboxConfig(sandboxBase)
	} else {
		if err := cfg.DecodeProvider(id, &c); err != nil {
			return nil, err
		}
		if prepare != nil {
			prepare(&c) // settings that come from elsewhere than the section
		}
		if err := c.Validate(); err != nil {
			return nil, keyError(cfg, id, err)
		}
	}
	p, err := newClient(c, hc)
	if err != nil {
		return nil, keyError(cfg, id, err)
	}
	return p, nil
}

// keyError points a provider's validation error at its key in the file:
// "base_url: ..." from the provider becomes "config.toml:12: providers.x.base_url: ...".
func keyError(cfg *config.Config, id string, err error) error {
	var errs []error
	for _, line := range strings.Split(err.Error(), "\n") {
		k, msg, ok := strings.Cut(line, ": ")
		if !ok || strings.ContainsAny(k, " ") {
			k, msg = "", line
		}
		full := "providers." + id
		if k != "" {
			full += "." + strings.TrimPrefix(k, "providers."+id+".")
		}
		errs = append(errs, cfg.Errorf(full, "%s", msg))
	}
	return errors.Join(errs...)
}

// DefaultConfigPath is where the configuration is looked for.
func DefaultConfigPath() string { return config.DefaultPath() }

// StartShipping ships the outbox to head office in the background, every
// [head_office] interval and whenever wake receives, until ctx is done or
// stop is called; it does nothing without a head office. The kiosk sells
// on whatever head office does: a failure is logged once, and the outbox
// keeps everything for the next round.
func (k *Kiosk) StartShipping(ctx context.Context, wake <-chan struct{}) (stop func(), err error) {
	if !k.Config.HeadOffice.Enabled() {
		return func() {}, nil
	}
	logf := func(format string, args ...any) {
		if k.Log != nil {
			k.Log.Logger.Warn(fmt.Sprintf(format, args...), "part", "head office")
		}
	}
	sh, link, err := shipping.New(k.Config, k.Journal.Storage(), time.Now, logf)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sh.Run(ctx, k.Config.HeadOffice.Interval.Duration, wake)
	}()
	return func() {
		cancel()
		<-done
		link.Close()
	}, nil
}
