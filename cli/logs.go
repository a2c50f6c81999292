package cli

import (
	"flag"
	"fmt"

	"kiosk/app"
	"kiosk/logs"
)

// showLogs prints the last lines of the support log (beside the journal).
// It reads only the log files, so it works while the kiosk runs.
func (e *env) showLogs(args []string) error {
	fs := flag.NewFlagSet("logs", flag.ContinueOnError)
	fs.SetOutput(e.err)
	n := fs.Int("n", 50, "how many lines, the newest last")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"usage: kiosk logs [-n N]"}
	}
	if *n <= 0 {
		return usageError{fmt.Sprintf("-n %d: give a number of lines above 0", *n)}
	}
	cfg, err := app.LoadConfig(e.configPath)
	if err != nil {
		return err
	}
	lines, err := logs.Tail(logs.PathFor(cfg.Journal.Path), *n, logs.DefaultKeep)
	if err != nil {
		return err
	}
	for _, l := range lines {
		fmt.Fprintln(e.out, l)
	}
	return nil
}
