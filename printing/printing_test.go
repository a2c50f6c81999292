package printing_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/clock"
	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/journal"
	"kiosk/money"
	"kiosk/printing"
	"kiosk/providers"
	"kiosk/providers/bitaqaty"
	"kiosk/receipt"
	"kiosk/sale"
	"kiosk/sandboxes"
	"kiosk/storage"
	"kiosk/ui"
)

var _ ui.Printer = (*printing.Printer)(nil)

// rig is a real engine over a real journal, selling from the Bitaqaty
// sandbox on loopback.
type rig struct {
	e     *sale.Engine
	books *eod.Books
	clk   *clock.Fake
}

func newRig(t *testing.T) *rig {
	t.Helper()
	clk := clock.NewFake(clock.Start)
	set, err := sandboxes.Start("127.0.0.1:0", sandboxes.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	sealer, _ := storage.NewSealer(make([]byte, storage.KeySize))
	sj, err := storage.Open(filepath.Join(t.TempDir(), "j.db"), storage.Options{Sealer: sealer, Terminal: 1, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	j := journal.New(sj)
	t.Cleanup(func() { j.Close() })
	b, err := bitaqaty.New(sandboxes.BitaqatyConfig(set.BaseURL(bitaqaty.ID), false), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := sale.New(j, []providers.Provider{b}, sale.Options{Terminal: "T001", Now: clk.Now})
	books, err := eod.New(e, j, eod.Options{Location: clock.Start.Location(), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{e: e, books: books, clk: clk}
}

// sell sells the iTunes 50 SAR card and returns the sale.
func (r *rig) sell(t *testing.T) *sale.Sale {
	t.Helper()
	ps, err := r.e.RefreshCatalog(context.Background(), bitaqaty.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.ID != "2862" {
			continue
		}
		q, err := r.e.Quote(context.Background(), p, nil, money.Zero)
		if err != nil {
			t.Fatal(err)
		}
		s, err := r.e.Sell(context.Background(), q, "amal")
		if err != nil || s.State != sale.Succeeded {
			t.Fatalf("sell: %v %v", s, err)
		}
		return s
	}
	t.Fatal("no product 2862 in the sandbox")
	return nil
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPrintSale(t *testing.T) {
	tests := []struct {
		name    string
		lang    i18n.Lang
		prints  int // prints before this one
		want    []string
		wantNot []string
	}{
		{"first print in English", i18n.EN, 0, []string{"TOTAL", "T001"}, []string{"REPRINT"}},
		{"first print in Arabic", i18n.AR, 0, []string{i18n.T(i18n.AR, "receipt.total")}, []string{"TOTAL"}},
		{"a reprint says so", i18n.EN, 1, []string{"*** REPRINT #1 ***"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			s := r.sell(t)
			path := filepath.Join(t.TempDir(), "receipts.txt")
			// A file that keeps PINs, as the paper the customer takes away does.
			p := printing.New(r.e, receipt.RevealingFilePrinter(path), receipt.Info{Shop: "Kiosk", Terminal: "T001", Paper: receipt.Paper80}, r.clk.Now)
			for range tt.prints {
				if _, _, err := p.PrintSale(context.Background(), s.Ref, "amal", tt.lang); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Remove(path); err != nil && tt.prints > 0 {
				t.Fatal(err)
			}
			got, _, err := p.PrintSale(context.Background(), s.Ref, "amal", tt.lang)
			if err != nil {
				t.Fatal(err)
			}
			if got.Prints != tt.prints+1 {
				t.Errorf("the journal counts %d prints, want %d", got.Prints, tt.prints+1)
			}
			out := read(t, path)
			for _, w := range append(tt.want, s.Vouchers[0].PIN) {
				if !strings.Contains(out, w) {
					t.Errorf("receipt lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(out, w) {
					t.Errorf("receipt has %q:\n%s", w, out)
				}
			}
		})
	}
}

// brokenPrinter is a printer whose paper ran out.
type brokenPrinter struct{}

func (brokenPrinter) Print(context.Context, *receipt.Receipt) error { return receipt.ErrOutOfPaper }

func TestPrintReport(t *testing.T) {
	tests := []struct {
		name        string
		out         func(path string) receipt.Printer
		wantPrinted bool
		wantAudit   bool
	}{
		{"printed and audited", func(path string) receipt.Printer { return receipt.FilePrinter(path) }, true, true},
		{"out of paper: not printed, not audited", func(string) receipt.Printer { return brokenPrinter{} }, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.sell(t)
			day, err := r.books.Today()
			if err != nil {
				t.Fatal(err)
			}
			report, err := r.books.Report(context.Background(), day, eod.CashCount{})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "receipts.txt")
			p := printing.New(r.e, tt.out(path), receipt.Info{Paper: receipt.Paper58}, r.clk.Now)
			printed, err := p.PrintReport(context.Background(), report, "sara", i18n.EN)
			if printed != tt.wantPrinted {
				t.Fatalf("printed = %v (%v), want %v", printed, err, tt.wantPrinted)
			}
			if !printed && !errors.Is(err, receipt.ErrOutOfPaper) {
				t.Errorf("error %v does not say the paper ran out", err)
			}
			if printed {
				if err != nil {
					t.Fatal(err)
				}
				if out := read(t, path); !strings.Contains(out, report.Day) || !strings.Contains(out, "51.00 SAR") {
					t.Errorf("the printed report lacks its day or its sale:\n%s", out)
				}
			}
			log, err := r.e.AuditLog()
			if err != nil {
				t.Fatal(err)
			}
			audited := false
			for _, a := range log {
				if a.Action == "print day report" && a.Who == "sara" && a.Detail == report.Day {
					audited = true
				}
			}
			if audited != tt.wantAudit {
				t.Errorf("audited = %v, want %v: %+v", audited, tt.wantAudit, log)
			}
		})
	}
}
