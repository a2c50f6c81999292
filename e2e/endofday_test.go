package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEndOfDayInTmux opens the end of day from the catalogue (ctrl+e) in
// the built binary, as wired by the command line, and exports the day as
// CSV beside the journal.
func TestEndOfDayInTmux(t *testing.T) {
	k := startKiosk(t)
	k.waitCatalogue(t)
	k.press(t, "C-e")
	checkFits(t, k.waitFor(t, "DAY REPORT - NOT CLOSED", wait))
	k.typeText(t, "e")
	k.waitFor(t, "CSV written to", wait)
	k.quit(t)

	var data string
	for _, e := range k.env {
		if v, ok := strings.CutPrefix(e, "XDG_DATA_HOME="); ok {
			data = v
		}
	}
	files, err := filepath.Glob(filepath.Join(data, "kiosk", "eod-*.csv"))
	if err != nil || len(files) != 1 {
		t.Fatalf("CSV files beside the journal: %v %v", files, err)
	}
	if b, err := os.ReadFile(files[0]); err != nil || len(b) == 0 {
		t.Fatalf("%s: %v, %d bytes", files[0], err, len(b))
	}
}
