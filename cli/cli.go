// Package cli holds kiosk's commands. They run on the same core as the
// screens (app.Open → sale.Engine), so a sale sold from a script is
// journaled, recovered and reconciled like any other.
package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"kiosk/app"
	"kiosk/termtext"
)

// env is what every command gets.
type env struct {
	in         io.Reader
	out, err   io.Writer
	configPath string
	as         string        // --as: who runs the command (see identity.go)
	lines      *bufio.Reader // standard input, once read
}

const usage = `Usage: kiosk [--config PATH] [--as NAME] [command]

Commands:
  (none)          open the clerk's screens
  sell            sell a product from a script (JSON out)
  status REF      ask the provider about a sale by its reference and record the answer
                  (PINs in full when this look-up settles it; --reveal, a supervisor's, otherwise)
  decide REF      a supervisor's decision on a sale in review: --sold or --not-sold, --reason
  journal list | show REF | print REF | check | backup DIR | restore FILE
                  the journal (kiosk journal --help)
  key show        the journal key, for writing down (a supervisor's; audited)
  doctor          check the setup: config, journal, key, providers, printer; exit 0 when all is well
  catalog         list products and their ids
  feed            Al-Qimah's feed entries (credits added to the account)
  users           who signs in: list, add, pin, disable, enable, unlock (kiosk users --help)
  eod             the day's report, Z-report, settlements and notes (kiosk eod --help)
  ship            send head office everything waiting in the outbox, then exit
  hq report | reconcile   what head office holds for every terminal (kiosk hq --help)
  sandbox         run the provider sandboxes alone, for a real configuration to point at
  logs [-n N]     the last lines of the support log (beside the journal)
  version         the version and source revision of this binary

Once the kiosk has users, every command that acts as someone needs
--as NAME and that person's PIN: typed without echo at the terminal or,
when standard input is not a terminal, its first line. A PIN is never
read from the command line or the environment. Supervisor work (users,
end of day, decisions, reprints, revealing PINs) needs a supervisor.

With no configuration file the kiosk runs on the built-in sandboxes.
Run "kiosk COMMAND --help" for a command's flags.
`

// Main runs the command line and returns the exit code.
func Main(args []string, in io.Reader, out, errw io.Writer) int {
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.SetOutput(errw)
	fs.Usage = func() { fmt.Fprint(errw, usage) }
	e := &env{in: in, out: out, err: errw}
	fs.StringVar(&e.configPath, "config", "", "configuration file (default: "+defaultConfigHint()+")")
	fs.StringVar(&e.as, "as", "", "who runs the command (their PIN is asked next)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	rest := fs.Args()
	cmd := ""
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	stopProfiles := startProfiles(errw)
	defer stopProfiles()
	var err error
	switch cmd {
	case "":
		err = e.runTUI()
	case "sell":
		err = e.sell(rest)
	case "status":
		err = e.status(rest)
	case "journal":
		err = e.journal(rest)
	case "catalog":
		err = e.catalog(rest)
	case "sandbox":
		err = e.sandbox(rest)
	case "feed":
		err = e.feed(rest)
	case "users":
		err = e.users(rest)
	case "eod":
		err = e.eod(rest)
	case "decide":
		err = e.decide(rest)
	case "logs":
		err = e.showLogs(rest)
	case "key":
		err = e.key(rest)
	case "doctor":
		err = e.doctor(rest)
	case "version":
		err = e.version(rest)
	case "ship":
		err = e.ship(rest)
	case "hq":
		err = e.hq(rest)
	case "help":
		fmt.Fprint(out, usage)
	default:
		fmt.Fprintf(errw, "kiosk: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(errw, "kiosk %s: %s\n", cmd, ue.msg)
			return 2
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(errw, "kiosk: %s\n", termtext.Text(err.Error())) // an error may quote a provider
		var ee exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return 1
	}
	return 0
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// exitError carries a specific exit code (a sale that is not settled).
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func defaultConfigHint() string {
	return strings.Replace(app.DefaultConfigPath(), os.Getenv("HOME"), "~", 1)
}

// open loads the configuration and builds the kiosk.
func (e *env) open() (*app.Kiosk, error) {
	cfg, err := app.LoadConfig(e.configPath)
	if err != nil {
		return nil, err
	}
	return app.Open(cfg)
}

// signalContext is cancelled by Ctrl-C or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
