package e2e

import (
	"strings"
	"testing"
)

// TestCounterInTmux is a shift at the counter, driven as a clerk would: sign
// in, sell the best seller by its hot key, type a number whose network is
// detected (and flagged on another network's product), and open the help.
func TestCounterInTmux(t *testing.T) {
	k := startKiosk(t, func(k *kiosk) {
		k.runIn(t, "9999\n9999\n", "users", "add", "boss", "--role", "supervisor") // the first user
		k.runIn(t, "9999\n2468\n2468\n", "--as", "boss", "users", "add", "amal", "--role", "clerk")
		k.runIn(t, "9999\n", "--as", "boss", "sell", "--provider", "bitaqaty", "--product", "2862", "--yes")
	})

	k.waitFor(t, "Sign in to sell", wait)
	k.typeText(t, "amal")
	k.press(t, "Tab")
	k.typeText(t, "1111")
	k.press(t, "Enter")
	k.waitFor(t, "wrong name or PIN", wait)
	k.typeText(t, "2468")
	k.press(t, "Enter")
	screen := k.waitFor(t, "Best sellers: alt+1 iTunes Gift Card 50", wait)
	checkFits(t, screen)
	if !strings.Contains(screen, "amal") {
		t.Errorf("the status bar does not name the clerk:\n%s", screen)
	}

	k.press(t, "M-1")
	k.waitFor(t, "Customer pays", wait)
	k.press(t, "Enter")
	k.waitFor(t, "SOLD", wait)
	k.press(t, "Enter")
	k.waitFor(t, "Search: ", wait)

	k.typeText(t, "yemen mobile top-up")
	k.waitFor(t, "Yemen Mobile top-up", wait)
	k.press(t, "Enter")
	k.waitFor(t, "Amount", wait)
	// Typed as the customer says it, in international form: the field
	// shows the national number the provider takes, nothing cut.
	k.typeText(t, "+967 771234567")
	screen = k.waitFor(t, "✓ Yemen Mobile number", wait)
	if line := lineWith(screen, "771234567"); line == "" || strings.Contains(line, "+967") || strings.Contains(line, "967771") {
		t.Errorf("+967 771234567 is not shown as 771234567:\n%s", screen)
	}
	k.press(t, "BSpace")
	k.press(t, "BSpace")
	k.press(t, "BSpace")
	k.press(t, "BSpace")
	k.press(t, "BSpace")
	k.press(t, "BSpace")
	k.press(t, "BSpace")
	k.press(t, "BSpace")
	k.press(t, "BSpace")
	k.typeText(t, "711234567")
	k.waitFor(t, "looks like a Sabafon number", wait)
	k.press(t, "Tab")
	k.typeText(t, "500")
	k.press(t, "Enter")
	checkFits(t, k.waitFor(t, "Ported number? Press enter again", wait))

	k.typeText(t, "?")
	checkFits(t, k.waitFor(t, "Keys on this screen", wait))
	k.typeText(t, "x")
	k.waitGone(t, "Keys on this screen", wait)
	k.press(t, "Escape")
	k.waitFor(t, "Search: ", wait)
	k.quitAs(t, "boss", "9999")

	rows := k.journalRows(t)
	if len(rows) != 2 {
		t.Fatalf("journal has %d sales, want 2 (setup and the hot-key sale):\n%s", len(rows), strings.Join(rows, "\n"))
	}
	if !strings.Contains(rows[0], "amal") || !strings.Contains(rows[0], "succeeded") {
		t.Errorf("the hot-key sale is not recorded as amal's: %q", rows[0])
	}
}
