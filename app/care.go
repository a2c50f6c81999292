package app

import (
	"log/slog"
	"net/http"

	"kiosk/backup"
	"kiosk/config"
	"kiosk/providers"
	"kiosk/receipt"
	"kiosk/storage"
)

// Sealer is the journal's PIN key as the configuration finds it (the key
// file or environment variable), for commands that handle the journal
// file itself (restore). warn says why there is none.
func Sealer(cfg *config.Config) (s *storage.Sealer, warn string, err error) { return loadSealer(cfg) }

// logger is the support log's logger, or nil.
func (k *Kiosk) logger() *slog.Logger {
	if k.Log == nil {
		return nil
	}
	return k.Log.Logger
}

// serveBackups answers `kiosk journal backup` while this process holds
// the journal: no other process can open it then. A socket that cannot be
// served is a warning, not a reason not to sell.
func (k *Kiosk) serveBackups() {
	srv, err := backup.Serve(k.Journal.Storage(), k.logger())
	if err != nil {
		k.BackupWarning = "backups by command: " + err.Error()
		if lg := k.logger(); lg != nil {
			lg.Warn("backups by command are not served", slog.String("err", err.Error()))
		}
		return
	}
	k.backups = srv
}

// AfterClose is what closing the day does next: a backup into
// [backup] dir with the Z number in its name, keeping [backup] keep
// copies. nil when no backup directory is configured.
func (k *Kiosk) AfterClose() func(z uint64) (string, error) {
	b := k.Config.Backup
	if b.Dir == "" {
		return nil
	}
	return backup.AfterClose(k.Journal.Storage(), b.Dir, b.Keep, k.logger())
}

// Parts are what kiosk doctor checks, built from the configuration as
// Open builds them, without the journal: the provider clients (over hc)
// and the printer. Close stops the sandboxes it started.
type Parts struct {
	Providers []providers.Provider
	Printer   receipt.Printer // nil: no printer configured
	Sandbox   bool
	k         *Kiosk
}

// Close stops the sandboxes the parts run on.
func (p *Parts) Close() {
	if p != nil && p.k != nil && p.k.Sandboxes != nil {
		_ = p.k.Sandboxes.Close()
	}
}

// BuildParts checks the whole configuration (every provider section,
// the printer, the webhook key) and builds the parts over hc.
func BuildParts(cfg *config.Config, hc *http.Client) (*Parts, error) {
	k := &Kiosk{Config: cfg, hc: hc}
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
	return &Parts{Providers: provs, Printer: k.Printer, Sandbox: k.Sandbox, k: k}, nil
}
