package cli

import (
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"kiosk/app"
	"kiosk/backup"
	"kiosk/config"
	"kiosk/logs"
	"kiosk/logs/salelog"
	"kiosk/sale"
	"kiosk/storage"
)

// journalBackup writes a hot copy of the journal into DIR: through the
// running kiosk when one holds the journal, else read-only from here.
func (e *env) journalBackup(args []string) error {
	if len(args) != 1 {
		return usageError{"usage: kiosk journal backup DIR"}
	}
	cfg, err := app.LoadConfig(e.configPath)
	if err != nil {
		return err
	}
	ctx, cancel := signalContext()
	defer cancel()
	m, byKiosk, err := backup.Take(ctx, cfg.Journal.Path, cfg.Terminal.Number, args[0])
	if err != nil {
		return err
	}
	dir, _ := filepath.Abs(args[0])
	how := "the journal was not in use"
	if byKiosk {
		how = "written by the running kiosk"
	}
	fmt.Fprintf(e.out, "backup %s (%s)\n  %d sales, sequence %d, last reference %s\n  sha256 %s\n  manifest %s\n",
		filepath.Join(dir, m.File), how, m.Sales, m.Sequence, orNone(m.LastRef), m.SHA256, filepath.Join(dir, storage.ManifestName(m.File)))
	fmt.Fprintln(e.out, "The journal key is not in the backup: keep it apart (kiosk key show).")
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// journalRestore installs a backup copy in place of the journal, keeping
// the replaced one beside it, and lists the sales made after the backup.
func (e *env) journalRestore(args []string) error {
	if len(args) != 1 {
		return usageError{"usage: kiosk journal restore FILE"}
	}
	cfg, err := app.LoadConfig(e.configPath)
	if err != nil {
		return err
	}
	sealer, warn, err := app.Sealer(cfg)
	if err != nil {
		return err
	}
	if sealer == nil {
		return fmt.Errorf("restore refused: %s; put the key back first (the one written down with kiosk key show)", warn)
	}
	logPath := logs.PathFor(cfg.Journal.Path)
	res, err := storage.Restore(storage.RestoreOptions{
		Copy: args[0], Journal: cfg.Journal.Path, Terminal: cfg.Terminal.Number, TerminalID: cfg.Terminal.ID,
		Sealer: sealer, By: e.name(nil), Outbox: cfg.HeadOffice.Enabled(),
		Lost: func(since time.Time) ([]storage.LostSale, error) { return lostFromLog(logPath, since) },
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "restored %s into %s\n  the copy was taken %s and holds %d sales\n",
		args[0], cfg.Journal.Path, res.BackupTime.Local().Format(time.DateTime), res.CopySales)
	if res.Replaced != "" {
		fmt.Fprintf(e.out, "  the replaced journal is kept as %s\n", res.Replaced)
	}
	if res.ReplacedErr != "" {
		fmt.Fprintf(e.out, "  the replaced journal could not be read (%s): the sales after the backup come from the support log\n", res.ReplacedErr)
	}
	fmt.Fprintf(e.out, "  sale sequence now %d; every opening of the journal takes a new random run, so no reference is sent twice\n", res.Sequence)
	if err := fillFromCatalog(cfg, res.FromLog); err != nil {
		return fmt.Errorf("restored, but the products of the sales from the log were not filled in: %w", err)
	}
	return e.listAfterRestore(cfg.Journal.Path, res)
}

// fillFromCatalog gives a sale known only from the log, whose product the
// copy never sold (storage fills in the ones it did), the product as the
// copy's cached catalogue has it: a status look-up reads the provider's
// answer as for that product (DT One's path needs its type; an Al-Qimah
// game code is a PIN only for a game voucher).
func fillFromCatalog(cfg *config.Config, refs []string) error {
	if len(refs) == 0 {
		return nil
	}
	j, err := app.OpenJournal(cfg, false)
	if err != nil {
		return err
	}
	defer j.Close()
	eng := sale.New(j, nil, sale.Options{Terminal: cfg.Terminal.ID})
	for _, ref := range refs {
		s, err := j.Sale(ref)
		if err != nil {
			return err
		}
		if s.Product.Kind != "" || len(s.Product.Extra) > 0 || len(s.Product.Fields) > 0 {
			continue // a whole copy already
		}
		ps, _, err := eng.CachedCatalog(s.Provider)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if p.ID != s.Product.ID {
				continue
			}
			if _, err := j.Update(ref, func(x *sale.Sale) error { x.Product = p; return nil }); err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// lostFromLog reads the support log's sales since a time.
func lostFromLog(path string, since time.Time) ([]storage.LostSale, error) {
	got, err := salelog.ReadSales(path, logs.DefaultKeep, since)
	if err != nil {
		return nil, err
	}
	out := make([]storage.LostSale, len(got))
	for i, l := range got {
		out[i] = storage.LostSale{Ref: l.Ref, Provider: l.Provider, Product: l.Product, State: l.State, First: l.First}
	}
	return out, nil
}

// listAfterRestore prints the sales made after the backup, as the
// restored journal now holds them.
func (e *env) listAfterRestore(path string, res storage.RestoreResult) error {
	n := len(res.FromReplaced) + len(res.FromLog)
	if n == 0 {
		fmt.Fprintln(e.out, "No sale was made after the backup (none in the replaced journal or the support log).")
		return nil
	}
	j, err := e.openJournal()
	if err != nil {
		return err
	}
	defer j.Close()
	fmt.Fprintf(e.out, "%d sales made after the backup:\n", n)
	tw := tabwriter.NewWriter(e.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tTIME\tSTATE\tPROVIDER\tPRODUCT\tFROM")
	for _, group := range []struct {
		refs []string
		from string
	}{{res.FromReplaced, "replaced journal"}, {res.FromLog, "support log"}} {
		for _, ref := range group.refs {
			s, err := j.Sale(ref)
			if err != nil {
				return err
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.Ref, s.Created.Local().Format(time.DateTime), s.State,
				s.Provider, s.Product.ID, group.from)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(res.FromLog) > 0 {
		fmt.Fprintf(e.out, "The sales from the support log are open, %q: the kiosk asks each provider by its own reference when it starts (open sales, ctrl+o), or run kiosk status REF.\n", storage.AfterRestoreMessage)
	}
	return nil
}
