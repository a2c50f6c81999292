package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// TestYemenNumberInTmux types a Yemeni number as customers say it,
// "+967 771234567", into the built binary at 80×24: the field shows the
// national number the provider takes, whole, Confirm sells to it, and esc
// back to the catalogue starts from the whole list again.
func TestYemenNumberInTmux(t *testing.T) {
	k := startKiosk(t)
	k.waitCatalogue(t)
	k.typeText(t, "yemen mobile top-up")
	k.waitFor(t, "Yemen Mobile top-up", wait)
	k.press(t, "Enter")
	k.waitFor(t, "Amount", wait)

	k.typeText(t, "+967 771234567")
	screen := k.waitFor(t, "✓ Yemen Mobile number", wait)
	checkFits(t, screen)
	if !regexp.MustCompile(`(?m)^Mobile number +771234567 *$`).MatchString(screen) {
		t.Errorf("the number field does not read 771234567:\n%s", screen)
	}
	if strings.Contains(screen, "+967") || strings.Contains(screen, "967771") {
		t.Errorf("the number is still shown as typed:\n%s", screen)
	}

	k.press(t, "Tab")
	k.typeText(t, "500")
	k.press(t, "Enter")
	screen = k.waitFor(t, "Customer pays", wait)
	if !regexp.MustCompile(`(?m)^Mobile number +771234567 *$`).MatchString(screen) {
		t.Errorf("Confirm does not sell to 771234567:\n%s", screen)
	}

	k.press(t, "Escape") // back to the fields
	k.waitFor(t, "Amount", wait)
	k.press(t, "Escape") // back to the catalogue: the search is cleared
	screen = k.waitFor(t, "Search: type a product", wait)
	checkFits(t, screen)
	k.quit(t)

	if rows := k.journalRows(t); len(rows) != 0 {
		t.Fatalf("nothing was confirmed, but the journal lists:\n%s", strings.Join(rows, "\n"))
	}
}
