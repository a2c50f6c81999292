package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestLockHoldsInTmux: on the sign-in screen of the built binary, ctrl+c,
// ctrl+z and ctrl+\ leave the app running (ctrl+c asks for a supervisor,
// and a clerk's PIN is refused); only a supervisor's PIN quits. A SIGTERM
// (systemd stopping the kiosk) stops an idle kiosk without a PIN.
func TestLockHoldsInTmux(t *testing.T) {
	k := startKiosk(t, func(k *kiosk) {
		k.runIn(t, "9999\n9999\n", "users", "add", "boss", "--role", "supervisor")
		k.runIn(t, "9999\n2468\n2468\n", "--as", "boss", "users", "add", "amal", "--role", "clerk")
	})
	k.waitFor(t, "Sign in to sell", wait)
	for _, key := range []string{"C-z", `C-\`, "C-c"} {
		k.press(t, key)
	}
	screen := k.waitFor(t, "A supervisor must authorise: quit the kiosk", wait)
	checkFits(t, screen)
	k.press(t, "C-c") // a second ctrl+c does not get past the prompt either
	k.typeText(t, "amal")
	k.press(t, "Tab")
	k.typeText(t, "2468")
	k.press(t, "Enter")
	k.waitFor(t, "amal is not a supervisor", wait)
	k.press(t, "Escape")
	screen = k.waitFor(t, "Sign in to sell", wait)
	if strings.Contains(k.scrollback(t), "kiosk exited") {
		t.Fatalf("the app left the sign-in screen:\n%s", screen)
	}
	k.quitAs(t, "boss", "9999")

	// Started again: a SIGTERM stops the idle kiosk on its own.
	k.tmux(t, "respawn-pane", "-k", "-t", session)
	k.waitFor(t, "Sign in to sell", wait)
	pid := strings.TrimSpace(k.tmux(t, "display-message", "-p", "-t", session, "#{pane_pid}"))
	k.signalApp(t, pid, syscall.SIGTERM)
	k.waitExit(t)
}

// signalApp sends sig to the kiosk running under the pane's shell (pid).
func (k *kiosk) signalApp(t *testing.T, shell string, sig syscall.Signal) {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: comm may hold spaces, so split after ')'.
		rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
		if f := strings.Fields(rest); len(f) > 1 && f[1] == shell {
			pid, _ := strconv.Atoi(e.Name())
			if err := syscall.Kill(pid, sig); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no process under the pane's shell %s", shell)
}
