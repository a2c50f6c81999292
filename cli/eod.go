package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"kiosk/eod"
	"kiosk/receipt"
)

// eod prints a business day's report, and closes, annotates or settles it.
//
//	kiosk eod [--date D] [--csv] [--cutoff H] [--reveal]
//	kiosk --as NAME eod --close [--float SAR=100,YER=5000] --counted SAR=420.50
//	kiosk --as NAME eod --note TEXT           (a closed day)
//	kiosk --as NAME eod --settle REF --reason TEXT [--provider P]
//
// The end of day is a supervisor's: once the kiosk has users, --as names
// the supervisor, whose PIN is asked, and who is recorded.
func (e *env) eod(args []string) error {
	fs := flag.NewFlagSet("eod", flag.ContinueOnError)
	fs.SetOutput(e.err)
	date := fs.String("date", "", "business day as 2026-11-24 (default: the current business day)")
	asCSV := fs.Bool("csv", false, "print CSV instead of text")
	print := fs.Bool("print", false, "also print the report on the receipt printer ([printer] target)")
	width := fs.Int("width", eod.ReceiptWidth, "text width in columns")
	cutoff := fs.Int("cutoff", -1, "hour (0-23) at which the business day turns (default: terminal.day_cutoff)")
	closeDay := fs.Bool("close", false, "close the day: write its Z-report (needs the counted cash)")
	float := fs.String("float", "", "opening float per currency, e.g. SAR=100,YER=5000")
	counted := fs.String("counted", "", "cash counted per currency, e.g. SAR=420.50")
	note := fs.String("note", "", "add this note to a closed day")
	settle := fs.String("settle", "", "settle the mismatch of this sale reference")
	reason := fs.String("reason", "", "with --settle: why it is settled")
	provider := fs.String("provider", "", "with --settle: the provider, when several disagree about one reference")
	reveal := fs.Bool("reveal", false, "also print in full the PINs providers issued for sales not handed over here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	acts := 0
	for _, on := range []bool{*closeDay, *note != "", *settle != ""} {
		if on {
			acts++
		}
	}
	switch {
	case acts > 1:
		return usageError{"--close, --note and --settle are separate steps: give one at a time"}
	case *settle != "" && strings.TrimSpace(*reason) == "":
		return usageError{"--settle needs --reason"}
	case *cutoff < -1 || *cutoff > 23:
		return usageError{"--cutoff must be an hour from 0 to 23"}
	}
	var cash eod.CashCount
	var err error
	if cash.Float, err = eod.ParseAmounts(*float); err != nil {
		return usageError{"--float: " + err.Error()}
	}
	if cash.Counted, err = eod.ParseAmounts(*counted); err != nil {
		return usageError{"--counted: " + err.Error()}
	}
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	purpose := "end of day report"
	switch {
	case *closeDay:
		purpose = "close the day"
	case *note != "":
		purpose = "note on a closed day"
	case *settle != "":
		purpose = "settle mismatch " + *settle
	}
	if *reveal {
		purpose += ", revealing PINs"
	}
	u, err := e.actor(k, supervisor, purpose)
	if err != nil {
		return err
	}
	by := ptr(e.name(u))
	var day time.Time
	if *date != "" {
		if day, err = eod.ParseDate(*date, k.Config.Terminal.Location); err != nil {
			return usageError{"--date: " + err.Error()}
		}
	}
	if *cutoff < 0 {
		*cutoff = k.Config.Terminal.DayCutoff
	}
	books, err := eod.New(k.Engine, k.Journal, eod.Options{CutoffHour: *cutoff, Location: k.Config.Terminal.Location,
		Timeout: k.Config.Sale.Timeout.Duration, Terminal: k.Config.Terminal.Number, AfterClose: k.AfterClose()})
	if err != nil {
		return err
	}
	if day.IsZero() {
		if day, err = books.Today(); err != nil {
			return err
		}
	}
	ctx, cancel := signalContext()
	defer cancel()

	var r *eod.Report
	switch {
	case *closeDay:
		r, err = books.Close(ctx, day, cash, *by)
	case *note != "":
		if _, err = books.Annotate(day, *by, *note); err == nil {
			r, err = books.Report(ctx, day, cash)
		}
	case *settle != "":
		if r, err = books.Report(ctx, day, cash); err == nil {
			if _, err = books.Settle(r, *settle, *provider, *reason, *by); err == nil {
				r, err = books.Report(ctx, day, cash)
			}
		}
	default:
		r, err = books.Report(ctx, day, cash)
	}
	if err != nil {
		return err
	}
	if *asCSV {
		err = r.WriteCSV(e.out)
	} else {
		_, err = fmt.Fprint(e.out, r.Text(*width))
	}
	if err == nil && *print {
		if k.Printer == nil {
			return errors.New("day report not printed: no printer is set up ([printer] target)")
		}
		paper := k.Receipt.Paper
		if perr := k.Printer.Print(ctx, receipt.FromText(r.Text(paper.Columns()), paper)); perr != nil {
			return fmt.Errorf("day report not printed: %w", perr)
		}
		if aerr := k.Engine.Audit(*by, "print day report", "", r.Day); aerr != nil {
			return fmt.Errorf("day report printed, but %w", aerr)
		}
	}
	if err != nil || !*reveal {
		return err
	}
	return e.revealPINs(books, r)
}

// revealPINs prints the PINs the report only shows masked: a customer who
// paid for a PIN the provider issued is owed it.
func (e *env) revealPINs(books *eod.Books, r *eod.Report) error {
	for _, m := range append(append([]eod.Mismatch(nil), r.Mismatches...), r.Carried...) {
		vs, err := books.Vouchers(m)
		if err != nil {
			fmt.Fprintf(e.out, "PIN %s (%s): %v\n", m.Ref, m.Provider, err)
			continue
		}
		for _, v := range vs {
			fmt.Fprintf(e.out, "PIN %s (%s): serial %s PIN %s\n", m.Ref, m.Provider, v.Serial, v.PIN)
		}
	}
	return nil
}

func ptr(s string) *string { return &s }
