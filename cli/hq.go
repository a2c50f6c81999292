package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"kiosk/app"
	"kiosk/config"
	"kiosk/eod"
	"kiosk/hq"
	"kiosk/providers"
	"kiosk/shipping"
)

// ship sends everything the outbox holds to head office and exits: 0 with
// a one-line summary when nothing is left, non-zero with the reason when
// head office cannot be reached (the outbox keeps everything).
//
//	kiosk ship
func (e *env) ship(args []string) error {
	fs := flag.NewFlagSet("ship", flag.ContinueOnError)
	fs.SetOutput(e.err)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	cfg, err := app.LoadConfig(e.configPath)
	if err != nil {
		return err
	}
	if !cfg.HeadOffice.Enabled() {
		return usageError{"head office is not configured: add a [head_office] section with its url (see config.example.toml)"}
	}
	j, err := app.OpenJournal(cfg, false)
	if err != nil {
		return err
	}
	defer j.Close()
	sh, link, err := shipping.New(cfg, j.Storage(), time.Now, nil)
	if err != nil {
		return err
	}
	defer link.Close()
	ctx, cancel := signalContext()
	defer cancel()
	res, err := sh.Drain(ctx)
	left, _, berr := j.Storage().OutboxBacklog()
	if err != nil {
		return fmt.Errorf("%w (shipped %d; %d %s wait in the outbox, kept for the next try)", err, res.Shipped, left, plural(left, "entry", "entries"))
	}
	if berr != nil {
		return berr
	}
	fmt.Fprintf(e.out, "head office: shipped %d %s; nothing left to send\n", res.Shipped, plural(res.Shipped, "entry", "entries"))
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// hq reads head office: the fleet's report, and the reconciliation of a
// provider account that several terminals share.
//
//	kiosk hq report [--date D] [--csv]
//	kiosk --as NAME hq reconcile --provider P [--date D] [--csv]
func (e *env) hq(args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprint(e.out, hqUsage)
		if len(args) == 0 {
			return usageError{"say report or reconcile"}
		}
		return nil
	}
	switch args[0] {
	case "report":
		return e.hqReport(args[1:])
	case "reconcile":
		return e.hqReconcile(args[1:])
	}
	return usageError{fmt.Sprintf("unknown hq command %q: report or reconcile", args[0])}
}

const hqUsage = `Usage:
  kiosk hq report [--date D] [--csv]
      every terminal's sales of the business day as head office holds them:
      per terminal, provider and currency; last contact; closed Z-reports;
      terminals that have not reported for a day are flagged
  kiosk [--as NAME] hq reconcile --provider P [--date D] [--csv]
      the provider's records for the whole account against every terminal's
      shipped sales, in the end of day's mismatch classes, per terminal

Both read head office only (the [head_office] url); reconcile also asks the
provider, with this kiosk's credentials for it.
`

// hqFlags are the flags both hq commands take.
type hqFlags struct {
	fs    *flag.FlagSet
	date  *string
	csv   *bool
	quiet *time.Duration
}

func (e *env) hqFlagSet(name string) hqFlags {
	fs := flag.NewFlagSet("hq "+name, flag.ContinueOnError)
	fs.SetOutput(e.err)
	return hqFlags{fs: fs,
		date:  fs.String("date", "", "business day as 2026-11-24 (default: the current business day)"),
		csv:   fs.Bool("csv", false, "print CSV instead of text"),
		quiet: fs.Duration("quiet", 24*time.Hour, "flag terminals not heard from for this long"),
	}
}

// period is the business day --date names (today by default), by this
// kiosk's cut-off and zone.
func (f hqFlags) period(cfg *config.Config) (from, to time.Time, err error) {
	loc := cfg.Terminal.Location
	day := eod.DayOf(time.Now(), cfg.Terminal.DayCutoff, loc)
	if *f.date != "" {
		if day, err = eod.ParseDate(*f.date, loc); err != nil {
			return from, to, usageError{"--date: " + err.Error()}
		}
	}
	from, to = eod.Day(day, cfg.Terminal.DayCutoff, loc)
	return from, to, nil
}

func (e *env) openHQ(cfg *config.Config) (*hq.DB, context.Context, context.CancelFunc, error) {
	if !cfg.HeadOffice.Enabled() {
		return nil, nil, nil, usageError{"head office is not configured: add a [head_office] section with its url (see config.example.toml)"}
	}
	ctx, cancel := signalContext()
	db, err := hq.Open(ctx, hq.Options{URL: cfg.HeadOffice.URL, ConnectTimeout: cfg.HeadOffice.Timeout.Duration})
	if err != nil {
		cancel()
		return nil, nil, nil, err
	}
	return db, ctx, cancel, nil
}

func (e *env) hqReport(args []string) error {
	f := e.hqFlagSet("report")
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	cfg, err := app.LoadConfig(e.configPath)
	if err != nil {
		return err
	}
	from, to, err := f.period(cfg)
	if err != nil {
		return err
	}
	db, ctx, cancel, err := e.openHQ(cfg)
	if err != nil {
		return err
	}
	defer cancel()
	defer db.Close()
	r, err := db.Report(ctx, hq.ReportQuery{From: from, To: to, Now: time.Now(), Quiet: *f.quiet})
	if err != nil {
		return err
	}
	if *f.csv {
		return r.WriteCSV(e.out)
	}
	return r.WriteText(e.out)
}

func (e *env) hqReconcile(args []string) error {
	f := e.hqFlagSet("reconcile")
	provider := f.fs.String("provider", "", "the provider whose account to reconcile (required)")
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	if *provider == "" {
		return usageError{"--provider is required, e.g. --provider bitaqaty"}
	}
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	if _, err := e.actor(k, supervisor, "fleet reconciliation"); err != nil {
		return err
	}
	p, err := k.Engine.Provider(*provider)
	if err != nil {
		return usageError{err.Error()}
	}
	rec, ok := p.(providers.Reconciler)
	if !ok {
		return fmt.Errorf("%s does not list what it charged, so its account cannot be reconciled", p.Info().Name)
	}
	from, to, err := f.period(k.Config)
	if err != nil {
		return err
	}
	db, ctx, cancel, err := e.openHQ(k.Config)
	if err != nil {
		return err
	}
	defer cancel()
	defer db.Close()
	// The provider's records are asked with the end of day's slack on both
	// sides, so a sale sent just before the cut-off and recorded just after
	// it still matches.
	const slack = 10 * time.Minute
	pctx, pcancel := context.WithTimeout(ctx, k.Config.Sale.Timeout.Duration)
	recs, err := rec.Records(pctx, from.Add(-slack), to.Add(slack))
	pcancel()
	if err != nil {
		return fmt.Errorf("%s records of %s: %w", p.Info().Name, from.Format(eod.DateLayout), err)
	}
	fleet, err := db.Reconcile(ctx, *provider, from, to, recs)
	if err != nil {
		return err
	}
	if *f.csv {
		return fleet.WriteCSV(e.out)
	}
	return fleet.WriteText(e.out)
}
