package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"kiosk/app"
	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/receipt"
)

// eod prints a business day's report, and closes, annotates or settles it.
//
//	kiosk eod [--date D] [--csv] [--cutoff H] [--reveal] [--lang ar]
//	kiosk eod --x                             (X-report: the day so far; changes nothing)
//	kiosk --as NAME eod --close [--float SAR=100,YER=5000] [--counted SAR=420.50] [--yes]
//	kiosk --as NAME eod --note TEXT           (a closed day)
//	kiosk --as NAME eod --settle REF --reason TEXT [--provider P]
//
// The end of day is a supervisor's: once the kiosk has users, --as names
// the supervisor, whose PIN is asked, and who is recorded. The report is
// in the supervisor's language (users add --lang), else ui.language, or
// --lang. A close asks for the count of each currency the drawer should
// hold when --counted is not given, shows what is over or short, and asks
// to confirm unless --yes.
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
	xReport := fs.Bool("x", false, "X-report: the running business day so far; changes nothing")
	yes := fs.Bool("yes", false, "with --close: close without asking to confirm")
	langFlag := fs.String("lang", "", `language of the report, "en" or "ar" (default: the supervisor's, else ui.language)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	acts := 0
	for _, on := range []bool{*closeDay, *note != "", *settle != "", *xReport} {
		if on {
			acts++
		}
	}
	var lang i18n.Lang
	var err error
	if *langFlag != "" {
		if lang, err = i18n.ParseLang(*langFlag); err != nil {
			return usageError{"--lang: " + err.Error()}
		}
	}
	switch {
	case acts > 1:
		return usageError{"--close, --note, --settle and --x are separate steps: give one at a time"}
	case *settle != "" && strings.TrimSpace(*reason) == "":
		return usageError{"--settle needs --reason"}
	case *cutoff < -1 || *cutoff > 23:
		return usageError{"--cutoff must be an hour from 0 to 23"}
	case *xReport && *date != "":
		return usageError{"--x is the running business day: leave out --date"}
	case *yes && !*closeDay:
		return usageError{"--yes only confirms --close"}
	}
	var cash eod.CashCount
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
	case *xReport:
		purpose = "X-report"
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
	if lang == "" {
		lang = i18n.Lang(k.Config.UI.Language)
		if u != nil && u.Lang != "" {
			if l, err := i18n.ParseLang(u.Lang); err == nil {
				lang = l
			}
		}
	}
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
		Timeout: k.Config.Sale.Timeout.Duration, Terminal: k.Config.Terminal.Number, AfterClose: k.AfterClose(),
		BlindCount: k.Config.EOD.BlindCount})
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
	case *xReport:
		r, err = books.XReport(ctx, cash)
	case *closeDay:
		r, err = e.closeDay(ctx, books, day, cash, *by, lang, *yes)
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
		err = r.WriteCSVIn(e.out, lang)
	} else {
		_, err = fmt.Fprint(e.out, e.display(k, lang, r.TextWith(eod.TextOptions{Width: *width, Lang: lang})))
	}
	if err == nil && *print {
		if k.Printer == nil {
			return errors.New("day report not printed: no printer is set up ([printer] target)")
		}
		paper := k.Receipt.Paper
		text := r.TextWith(eod.TextOptions{Width: paper.Columns(), Lang: lang})
		if perr := k.Printer.Print(ctx, receipt.FromText(text, paper)); perr != nil {
			return fmt.Errorf("day report not printed: %w", perr)
		}
		what := "print day report"
		if r.X {
			what = "print X-report"
		}
		if aerr := k.Engine.Audit(*by, what, "", r.Day); aerr != nil {
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

// closeDay asks for the count of every currency the drawer should hold
// when none was given, prepares the close, shows what is over or short
// and closes the day once the supervisor says yes (at once with --yes).
// Prompts go to standard error, the Z-report to standard output.
func (e *env) closeDay(ctx context.Context, books *eod.Books, day time.Time, cash eod.CashCount, by string, lang i18n.Lang, yes bool) (*eod.Report, error) {
	if len(cash.Counted) == 0 {
		curs, err := books.DrawerCurrencies(day, cash)
		if err != nil {
			return nil, err
		}
		for _, cur := range curs {
			fmt.Fprint(e.err, i18n.T(lang, "eod.ask_counted", cur))
			line, rerr := e.stdin().ReadString('\n')
			text := strings.TrimSpace(line)
			if text == "" {
				if rerr != nil {
					return nil, fmt.Errorf("day not closed: no count for %s: standard input is closed (give --counted %s=AMOUNT)", cur, cur)
				}
				return nil, fmt.Errorf("day not closed: no count for %s: type the cash in the drawer (0 if none)", cur)
			}
			counted, err := eod.ParseAmounts(cur + "=" + text)
			if err != nil {
				return nil, fmt.Errorf("day not closed: the count for %s: %w", cur, err)
			}
			cash.Counted = append(cash.Counted, counted...)
		}
	}
	prepared, err := books.PrepareClose(ctx, day, cash)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(e.err, i18n.T(lang, "eod.confirm_title", prepared.Day))
	for _, l := range prepared.CashSummary(lang) {
		fmt.Fprintln(e.err, "  "+l)
	}
	if !yes && !e.confirm(i18n.T(lang, "eod.confirm_question")) {
		return nil, exitError{5, "day not closed: not confirmed"}
	}
	return books.CloseConfirmed(prepared, by)
}

// display writes report text for the terminal. With ui.bidi = "app" and
// the output a terminal, each line is put in display order, as the screens
// do: right to left in a right-to-left language (labels on the right,
// amounts on the left), else by the line's own first letter. Into a file or
// a pipe, and for a terminal that reorders itself, the text stays in
// logical order.
func (e *env) display(k *app.Kiosk, lang i18n.Lang, text string) string {
	f, ok := e.out.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) || !i18n.HasRTL(text) || k.Config.UI.Bidi != i18n.AppReorders.String() {
		return text
	}
	dir := i18n.Auto
	if lang.RTL() {
		dir = i18n.RTL
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = i18n.VisualDir(l, dir)
	}
	return strings.Join(lines, "\n")
}

func ptr(s string) *string { return &s }
