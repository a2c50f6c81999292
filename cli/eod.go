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
	"kiosk/sale"
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
	f, err := e.eodFlags(args)
	if err != nil {
		return err
	}
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	u, err := e.actor(k, supervisor, f.purpose())
	if err != nil {
		return err
	}
	by := e.name(u)
	lang := f.lang(k, u)
	if f.cutoff < 0 {
		f.cutoff = k.Config.Terminal.DayCutoff
	}
	books, err := eod.New(k.Engine, k.Journal, eod.Options{CutoffHour: f.cutoff, Location: k.Config.Terminal.Location,
		Timeout: k.Config.Sale.Timeout.Duration, Terminal: k.Config.Terminal.Number, AfterClose: k.AfterClose(),
		BlindCount: k.Config.EOD.BlindCount})
	if err != nil {
		return err
	}
	day, err := f.day(k, books)
	if err != nil {
		return err
	}
	ctx, cancel := signalContext()
	defer cancel()
	r, err := e.eodStep(ctx, f, books, day, by, lang)
	if err != nil {
		return err
	}
	if err := e.eodOut(ctx, f, k, r, by, lang); err != nil || !f.reveal {
		return err
	}
	return e.revealPINs(books, r)
}

// eodFlagSet is what kiosk eod was asked, checked.
type eodFlagSet struct {
	date, note, settle, reason, provider   string
	asCSV, print, closeDay, reveal, x, yes bool
	width, cutoff                          int
	cash                                   eod.CashCount
	langSet                                i18n.Lang
}

// eodFlags reads and checks kiosk eod's flags: one step at a time, each
// with what it needs.
func (e *env) eodFlags(args []string) (eodFlagSet, error) {
	var f eodFlagSet
	fs := flag.NewFlagSet("eod", flag.ContinueOnError)
	fs.SetOutput(e.err)
	fs.StringVar(&f.date, "date", "", "business day as 2026-11-24 (default: the current business day)")
	fs.BoolVar(&f.asCSV, "csv", false, "print CSV instead of text")
	fs.BoolVar(&f.print, "print", false, "also print the report on the receipt printer ([printer] target)")
	fs.IntVar(&f.width, "width", eod.ReceiptWidth, "text width in columns")
	fs.IntVar(&f.cutoff, "cutoff", -1, "hour (0-23) at which the business day turns (default: terminal.day_cutoff)")
	fs.BoolVar(&f.closeDay, "close", false, "close the day: write its Z-report (needs the counted cash)")
	float := fs.String("float", "", "opening float per currency, e.g. SAR=100,YER=5000")
	counted := fs.String("counted", "", "cash counted per currency, e.g. SAR=420.50")
	fs.StringVar(&f.note, "note", "", "add this note to a closed day")
	fs.StringVar(&f.settle, "settle", "", "settle the mismatch of this sale reference")
	fs.StringVar(&f.reason, "reason", "", "with --settle: why it is settled")
	fs.StringVar(&f.provider, "provider", "", "with --settle: the provider, when several disagree about one reference")
	fs.BoolVar(&f.reveal, "reveal", false, "also print in full the PINs providers issued for sales not handed over here")
	fs.BoolVar(&f.x, "x", false, "X-report: the running business day so far; changes nothing")
	fs.BoolVar(&f.yes, "yes", false, "with --close: close without asking to confirm")
	langFlag := fs.String("lang", "", `language of the report, "en" or "ar" (default: the supervisor's, else ui.language)`)
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	acts := 0
	for _, on := range []bool{f.closeDay, f.note != "", f.settle != "", f.x} {
		if on {
			acts++
		}
	}
	var err error
	if *langFlag != "" {
		if f.langSet, err = i18n.ParseLang(*langFlag); err != nil {
			return f, usageError{"--lang: " + err.Error()}
		}
	}
	switch {
	case acts > 1:
		return f, usageError{"--close, --note, --settle and --x are separate steps: give one at a time"}
	case f.settle != "" && strings.TrimSpace(f.reason) == "":
		return f, usageError{"--settle needs --reason"}
	case f.cutoff < -1 || f.cutoff > 23:
		return f, usageError{"--cutoff must be an hour from 0 to 23"}
	case f.x && f.date != "":
		return f, usageError{"--x is the running business day: leave out --date"}
	case f.yes && !f.closeDay:
		return f, usageError{"--yes only confirms --close"}
	}
	if f.cash.Float, err = eod.ParseAmounts(*float); err != nil {
		return f, usageError{"--float: " + err.Error()}
	}
	if f.cash.Counted, err = eod.ParseAmounts(*counted); err != nil {
		return f, usageError{"--counted: " + err.Error()}
	}
	return f, nil
}

// purpose is the step as the audit records the supervisor's authorisation.
func (f eodFlagSet) purpose() string {
	purpose := "end of day report"
	switch {
	case f.x:
		purpose = "X-report"
	case f.closeDay:
		purpose = "close the day"
	case f.note != "":
		purpose = "note on a closed day"
	case f.settle != "":
		purpose = "settle mismatch " + f.settle
	}
	if f.reveal {
		purpose += ", revealing PINs"
	}
	return purpose
}

// lang is the report's language: --lang, else the supervisor's, else the
// kiosk's.
func (f eodFlagSet) lang(k *app.Kiosk, u *sale.User) i18n.Lang {
	if f.langSet != "" {
		return f.langSet
	}
	if u != nil && u.Lang != "" {
		if l, err := i18n.ParseLang(u.Lang); err == nil {
			return l
		}
	}
	return i18n.Lang(k.Config.UI.Language)
}

// day is the business day --date names, else the one running.
func (f eodFlagSet) day(k *app.Kiosk, books *eod.Books) (time.Time, error) {
	if f.date == "" {
		return books.Today()
	}
	day, err := eod.ParseDate(f.date, k.Config.Terminal.Location)
	if err != nil {
		return day, usageError{"--date: " + err.Error()}
	}
	return day, nil
}

// eodStep does the one step asked and returns the report to show.
func (e *env) eodStep(ctx context.Context, f eodFlagSet, books *eod.Books, day time.Time, by string, lang i18n.Lang) (*eod.Report, error) {
	switch {
	case f.x:
		return books.XReport(ctx, f.cash)
	case f.closeDay:
		return e.closeDay(ctx, books, day, f.cash, by, lang, f.yes)
	case f.note != "":
		if _, err := books.Annotate(day, by, f.note); err != nil {
			return nil, err
		}
	case f.settle != "":
		r, err := books.Report(ctx, day, f.cash)
		if err != nil {
			return nil, err
		}
		if _, err := books.Settle(r, f.settle, f.provider, f.reason, by); err != nil {
			return nil, err
		}
	}
	return books.Report(ctx, day, f.cash)
}

// eodOut writes the report (text or CSV) and prints it when asked, with
// the print audited.
func (e *env) eodOut(ctx context.Context, f eodFlagSet, k *app.Kiosk, r *eod.Report, by string, lang i18n.Lang) error {
	var err error
	if f.asCSV {
		err = r.WriteCSVIn(e.out, lang)
	} else {
		_, err = fmt.Fprint(e.out, e.display(k, lang, r.TextWith(eod.TextOptions{Width: f.width, Lang: lang})))
	}
	if err != nil || !f.print {
		return err
	}
	if k.Printer == nil {
		return errors.New("day report not printed: no printer is set up ([printer] target)")
	}
	paper := k.Receipt.Paper
	text := r.TextWith(eod.TextOptions{Width: paper.Columns(), Lang: lang})
	rc := receipt.FromText(text, paper)
	rc.Encoding = k.Receipt.Encoding
	if perr := k.Printer.Print(ctx, rc); perr != nil {
		return fmt.Errorf("day report not printed: %w", perr)
	}
	what := "print day report"
	if r.X {
		what = "print X-report"
	}
	if aerr := k.Engine.Audit(by, what, "", r.Day); aerr != nil {
		return fmt.Errorf("day report printed, but %w", aerr)
	}
	return nil
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
