package app

import (
	"log/slog"

	"kiosk/backup"
	"kiosk/config"
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
