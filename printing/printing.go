// Package printing prints on the kiosk's receipt printer for the screens:
// a sale's receipt, laid out in the clerk's language and counted by the
// sale core (a reprint after the first), and a day's report, audited.
package printing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/receipt"
	"kiosk/sale"
)

// Core is what printing needs of the sale core (*sale.Engine): it reads
// the sale from the journal, counts the print and audits it.
type Core interface {
	Print(ctx context.Context, ref, by string, print sale.PrintFunc) (*sale.Sale, error)
	Audit(who, action, ref, detail string) error
}

// Printer prints receipts and day reports on one printer, or, with none
// set up, lays receipts out for the screen.
type Printer struct {
	core Core
	out  receipt.Printer
	info receipt.Info
	now  func() time.Time
}

// New makes a printer over the core and the receipt printer out (nil: no
// printer, receipts are shown on screen); info is the shop, terminal and
// paper every receipt carries.
func New(core Core, out receipt.Printer, info receipt.Info, now func() time.Time) *Printer {
	if now == nil {
		now = time.Now
	}
	return &Printer{core: core, out: out, info: info, now: now}
}

// PrintSale prints the receipt of sale ref in lang, as printed by by. With
// no printer it returns the receipt's text to show, counted as a print.
func (p *Printer) PrintSale(ctx context.Context, ref, by string, lang i18n.Lang) (*sale.Sale, string, error) {
	info := p.info
	info.Lang = lang
	var shown string
	s, err := p.core.Print(ctx, ref, by, func(ctx context.Context, s *sale.Sale, reprint int) error {
		info := info
		info.Reprint, info.Now = reprint, p.now()
		r, err := receipt.Build(s, info)
		if err != nil {
			return fmt.Errorf("receipt for %s: %w", s.Ref, err)
		}
		if p.out == nil {
			shown = r.Text()
			return nil
		}
		return p.out.Print(ctx, r)
	})
	return s, shown, err
}

// PrintReport prints a day's report at the paper's width (80 mm when the
// paper is not set), then audits the print. printed is false when the
// printer failed; an error with printed true is the audit's.
func (p *Printer) PrintReport(ctx context.Context, r *eod.Report, by string, lang i18n.Lang) (printed bool, err error) {
	if p.out == nil {
		return false, errors.New("no printer is set up ([printer] target): the report is on the screen")
	}
	paper := p.info.Paper
	if paper == 0 {
		paper = receipt.Paper80
	}
	text := r.TextWith(eod.TextOptions{Width: paper.Columns(), Lang: lang})
	rc := receipt.FromText(text, paper)
	rc.Encoding = p.info.Encoding
	if err := p.out.Print(ctx, rc); err != nil {
		return false, fmt.Errorf("day report %s: %w", r.Day, err)
	}
	action := "print day report"
	if r.X {
		action = "print X-report"
	}
	if err := p.core.Audit(by, action, "", r.Day); err != nil {
		return true, err
	}
	return true, nil
}
