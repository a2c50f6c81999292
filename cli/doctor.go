package cli

import (
	"context"
	"fmt"
	"time"

	"kiosk/app"
	"kiosk/doctor"
	"kiosk/providers"
)

const doctorUsage = `Usage: kiosk doctor

Checks the setup and prints one line for each part: the configuration, the
journal (read-only: bbolt's check, schema, free space on its disk), the key
file, each provider (reachable, credentials accepted through a harmless read,
clock against its Date header), the printer (status, paper) and head office.
It never sells and never prints. Exit 0 when all is well; otherwise 1, naming
the first thing to fix.
`

func (e *env) doctor(args []string) error {
	if len(args) > 0 {
		if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			fmt.Fprint(e.out, doctorUsage)
			return nil
		}
		return usageError{"usage: kiosk doctor"}
	}
	ctx, cancel := signalContext()
	defer cancel()
	lines := e.doctorLines(ctx)
	for _, l := range lines {
		fmt.Fprintln(e.out, l)
	}
	if first, bad := doctor.FirstProblem(lines); bad {
		return exitError{code: 1, msg: fmt.Sprintf("doctor: fix first: %s: %s", first.Check, first.Text)}
	}
	fmt.Fprintln(e.out, "All well.")
	return nil
}

// doctorLines runs every check, in the order a person would mend them.
func (e *env) doctorLines(ctx context.Context) []doctor.Line {
	cfg, err := app.LoadConfig(e.configPath)
	if err != nil {
		return []doctor.Line{doctor.Config(e.configPath, err)}
	}
	dates := &doctor.Dates{}
	hc := providers.NewHTTPClient(cfg.Sale.Timeout.Duration + 5*time.Second)
	hc.Transport = dates
	parts, err := app.BuildParts(cfg, hc)
	lines := []doctor.Line{
		doctor.Config(cfg.Path, err),
		doctor.Journal(cfg.Journal.Path, cfg.Terminal.Number),
		doctor.Disk(cfg.Journal.Path, nil),
		doctor.Key(cfg.Journal.KeyFile, cfg.Journal.KeyEnv),
	}
	if parts != nil {
		defer parts.Close()
		for _, p := range parts.Providers {
			pctx, cancel := context.WithTimeout(ctx, cfg.Sale.Timeout.Duration)
			lines = append(lines, doctor.Provider(pctx, p, dates, time.Now))
			cancel()
		}
		lines = append(lines, doctor.Printer(ctx, parts.Printer))
	}
	return append(lines, doctor.HeadOffice(ctx, cfg.HeadOffice))
}
