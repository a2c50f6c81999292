package eod_test

import (
	"image/png"
	"os"
	"strings"
	"testing"

	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/receipt"
)

// TestArabicReportPrints: the Arabic report goes to the printer as an
// image (its letters are outside the printer's own font), on both papers,
// with a row of dots for every line of text.
func TestArabicReportPrints(t *testing.T) {
	rep := everyPart()
	for _, paper := range []receipt.Paper{receipt.Paper58, receipt.Paper80} {
		text := rep.TextWith(eod.TextOptions{Width: paper.Columns(), Lang: i18n.AR})
		r := receipt.FromText(text, paper)
		if !r.NeedsRaster() {
			t.Fatalf("%d mm: the Arabic report would print as text", paper)
		}
		img, err := r.Raster()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Count(text, "\n")
		if b := img.Bounds(); b.Dx() != paper.Dots() || b.Dy() < lines*20 {
			t.Errorf("%d mm: image %v for %d lines", paper, b, lines)
		}
		if out := os.Getenv("EOD_PNG"); out != "" && paper == receipt.Paper80 {
			f, _ := os.Create(out)
			png.Encode(f, img)
			f.Close()
		}
	}
}
