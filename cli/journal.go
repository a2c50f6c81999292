package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"kiosk/sale"
	"strings"
	"text/tabwriter"
	"time"

	"kiosk/app"
	"kiosk/i18n"
	"kiosk/journal"
	"kiosk/receipt"
	"kiosk/storage"
)

const journalUsage = `Usage: kiosk journal COMMAND

Commands:
  list [--limit N] [--open]   recent sales, newest first (PINs and numbers masked)
  show [--reveal] REF         one sale with its history (--reveal: PINs in full; a supervisor, audited)
  print REF                   print the sale's receipt, as the screen does: the first print by
                              anyone, a reprint (REPRINT #n) by a supervisor; no network
  check                       bbolt's consistency check of every page (read-only)
  backup DIR                  a consistent copy of the journal (and a manifest) into DIR, while
                              the kiosk runs (the running kiosk writes it) or not; never the key
  restore FILE                put a backup in place of the journal (the kiosk must be stopped);
                              the replaced journal is kept beside it, and the sales made after
                              the backup are carried over or, known only from the support log,
                              asked of their provider

list, show, check and backup open the journal read-only: not a byte of it changes.
`

func (e *env) journal(args []string) error {
	if len(args) == 0 {
		return usageError{strings.TrimSpace(journalUsage)}
	}
	switch args[0] {
	case "list":
		return e.journalList(args[1:])
	case "show":
		return e.journalShow(args[1:])
	case "check":
		return e.journalCheck(args[1:])
	case "print":
		return e.journalPrint(args[1:])
	case "backup":
		return e.journalBackup(args[1:])
	case "restore":
		return e.journalRestore(args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.out, journalUsage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown journal command %q (list, show, print, check, backup, restore; kiosk journal --help)", args[0])}
}

// openJournal opens the configured journal read-only.
func (e *env) openJournal() (*journal.Journal, error) {
	cfg, err := app.LoadConfig(e.configPath)
	if err != nil {
		return nil, err
	}
	return app.OpenJournal(cfg, true)
}

func (e *env) journalCheck(args []string) error {
	if len(args) > 0 {
		return usageError{"usage: kiosk journal check"}
	}
	j, err := e.openJournal()
	if err != nil {
		return err
	}
	defer j.Close()
	problems, err := j.Storage().Check()
	if err != nil {
		return err
	}
	if err := storage.CheckError(j.Storage().Path(), problems); err != nil {
		return err
	}
	n, _ := j.CountSales()
	fmt.Fprintf(e.out, "journal %s is sound: every page checked, %d sales\n", j.Storage().Path(), n)
	return nil
}

func (e *env) journalList(args []string) error {
	fs := flag.NewFlagSet("journal list", flag.ContinueOnError)
	fs.SetOutput(e.err)
	limit := fs.Int("limit", 50, "how many sales, newest first")
	open := fs.Bool("open", false, "only sales not settled yet")
	if err := fs.Parse(args); err != nil {
		return err
	}
	j, err := e.openJournal()
	if err != nil {
		return err
	}
	defer j.Close()
	var sales []*sale.Sale
	if *open {
		sales, err = j.OpenSales()
	} else {
		sales, err = j.Recent(*limit, time.Time{})
	}
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tTIME\tSTATE\tPROVIDER\tPRODUCT\tCUSTOMER\tPRICE\tCLERK")
	for _, s := range sales {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Ref, s.Created.Local().Format("2006-01-02 15:04:05"),
			s.State, s.Provider, s.Product.Name, sale.Mask(s.Customer()), s.Quote.Retail, s.Clerk)
	}
	return tw.Flush()
}

func (e *env) journalShow(args []string) error {
	fs := flag.NewFlagSet("journal show", flag.ContinueOnError)
	fs.SetOutput(e.err)
	reveal := fs.Bool("reveal", false, "print PINs and the customer number in full")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"usage: kiosk journal show [--reveal] REF"}
	}
	var s *sale.Sale
	if *reveal {
		// Showing PINs is a supervisor's, and audited: the whole kiosk.
		k, err := e.open()
		if err != nil {
			return err
		}
		defer k.Close()
		by, err := e.actor(k, supervisor, "reveal sale "+fs.Arg(0))
		if err != nil {
			return err
		}
		if s, err = k.Engine.Sale(fs.Arg(0)); err != nil {
			return err
		}
		if err := k.Engine.Audit(e.name(by), "revealed PIN", s.Ref, "kiosk journal show --reveal"); err != nil {
			return err
		}
	} else {
		j, err := e.openJournal()
		if err != nil {
			return err
		}
		defer j.Close()
		if s, err = j.Sale(fs.Arg(0)); err != nil {
			return err
		}
	}
	type step struct {
		At    time.Time  `json:"at"`
		State sale.State `json:"state"`
		Note  string     `json:"note,omitempty"`
		By    string     `json:"by,omitempty"`
	}
	type shown struct {
		saleJSON
		Clerk   string    `json:"clerk,omitempty"`
		Created time.Time `json:"created"`
		History []step    `json:"history"`
	}
	out := shown{saleJSON: toJSON(s, *reveal), Clerk: s.Clerk, Created: s.Created}
	for _, t := range s.History {
		out.History = append(out.History, step{t.At, t.State, t.Note, t.By})
	}
	return writeJSON(e.out, out)
}

// journalPrint prints a sale's receipt from the journal alone, with the
// screen's rules: a reprint needs a supervisor once the kiosk has users.
func (e *env) journalPrint(args []string) error {
	if len(args) != 1 {
		return usageError{"usage: kiosk [--as NAME] journal print REF"}
	}
	ref := args[0]
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	if k.Printer == nil {
		return errors.New("no printer is set up ([printer] target in the configuration)")
	}
	s, err := k.Engine.Sale(ref)
	if err != nil {
		return err
	}
	n := anyone
	if s.Prints > 0 {
		n = supervisor
	}
	by, err := e.actor(k, n, fmt.Sprintf("print sale %s (printed %d times)", ref, s.Prints))
	if err != nil {
		return err
	}
	ctx, cancel := signalContext()
	defer cancel()
	info := k.Receipt
	if by != nil && by.Lang != "" {
		info.Lang = i18n.Lang(by.Lang)
	}
	out, err := k.Engine.Print(ctx, ref, e.name(by), func(ctx context.Context, s *sale.Sale, reprint int) error {
		info := info
		info.Reprint, info.Now = reprint, k.Engine.Now()
		r, err := receipt.Build(s, info)
		if err != nil {
			return err
		}
		return k.Printer.Print(ctx, r)
	})
	if err != nil {
		return err
	}
	what := "receipt"
	if out.Prints > 1 {
		what = fmt.Sprintf("reprint #%d", out.Prints-1)
	}
	fmt.Fprintf(e.out, "sale %s: %s printed\n", ref, what)
	return nil
}
