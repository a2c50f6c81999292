// Package e2e drives the real kiosk binary inside tmux, the way a clerk
// would, and then checks the journal with the CLI.
package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const (
	width  = 80
	height = 24
	// wait bounds a single screen change; the sandbox answers in
	// milliseconds, so this is generous.
	wait = 5 * time.Second
)

// TestClerkSaleInTmux sells an iTunes card end to end and checks that the
// journal holds the sale with the PIN the clerk saw.
func TestClerkSaleInTmux(t *testing.T) {
	k := startKiosk(t)

	k.waitCatalogue(t)
	k.typeText(t, "itunes 50")
	k.waitFor(t, "iTunes Gift Card 50 SAR", wait)
	k.waitFor(t, "Search: itunes 50", wait)

	k.press(t, "Enter")
	k.waitFor(t, "Customer pays", wait)
	k.waitFor(t, "51.00 SAR", wait)

	k.press(t, "Enter")
	screen := k.waitFor(t, "SOLD", wait)
	ref := field(t, screen, "Reference", `\d{16}`)
	pin := field(t, screen, "PIN", `\S+`)
	checkFits(t, screen)

	k.typeText(t, "?")
	checkFits(t, k.waitFor(t, "Keys on this screen", wait))
	k.typeText(t, "x") // any key closes the overlay
	k.waitGone(t, "Keys on this screen", wait)
	k.waitFor(t, "SOLD ✓", wait) // still on the Result screen

	k.press(t, "Enter")
	k.waitFor(t, "Search: type a product", wait) // next sale starts clean
	k.quit(t)

	row := k.journalRow(t, ref)
	if !slices.Contains(strings.Fields(row), "succeeded") {
		t.Errorf("journal list row for %s is not succeeded: %q", ref, row)
	}

	revealed := k.journalShow(t, ref, "--reveal")
	if got := revealed.pins(); !slices.Equal(got, []string{pin}) {
		t.Errorf("journal show --reveal %s: pins %q, screen showed %q", ref, got, pin)
	}
	if revealed.State != "succeeded" {
		t.Errorf("journal show %s: state %q, want succeeded", ref, revealed.State)
	}

	plain := k.run(t, "journal", "show", ref)
	if strings.Contains(plain, pin) {
		t.Errorf("journal show %s without --reveal prints the full PIN %q:\n%s", ref, pin, plain)
	}
}

// TestEscGoesBackAndUnavailableIsRefused checks that an unavailable product
// cannot be sold and that Esc on the Confirm screen sells nothing.
func TestEscGoesBackAndUnavailableIsRefused(t *testing.T) {
	k := startKiosk(t)

	k.waitCatalogue(t)
	k.typeText(t, "google play 300")
	screen := k.waitFor(t, "Google Play 300 SAR", wait)
	if !strings.Contains(lineWith(screen, "Google Play 300 SAR"), "unavailable") {
		t.Fatalf("Google Play 300 SAR is not marked unavailable:\n%s", screen)
	}

	k.press(t, "Enter")
	screen = k.waitFor(t, "not available", wait)
	if !strings.Contains(screen, "› Catalogue") || strings.Contains(screen, "Customer pays") {
		t.Fatalf("Enter on an unavailable product left the catalogue:\n%s", screen)
	}

	k.press(t, "Escape") // clears the search
	k.waitFor(t, "Search: type a product", wait)
	k.typeText(t, "itunes 50")
	k.waitFor(t, "iTunes Gift Card 50 SAR", wait)
	k.press(t, "Enter")
	k.waitFor(t, "Customer pays", wait)
	k.press(t, "Escape")
	screen = k.waitFor(t, "Search:", wait)
	if !strings.Contains(screen, "› Catalogue") {
		t.Fatalf("Esc on Confirm did not go back to the catalogue:\n%s", screen)
	}
	k.quit(t)

	if rows := k.journalRows(t); len(rows) != 0 {
		t.Fatalf("no sale was confirmed, but the journal lists:\n%s", strings.Join(rows, "\n"))
	}
}

// kiosk is one running binary inside its own tmux server.
type kiosk struct {
	bin    string
	env    []string // XDG dirs, for the app and the CLI
	socket string
}

const session = "kiosk"

// startKiosk builds the binary and runs it in an 80x24 tmux session with a
// fresh journal and no config file.
// startKiosk builds the app and starts it in tmux; setup runs first, with
// the kiosk's environment, to prepare the journal (clerks, earlier sales).
func startKiosk(t *testing.T, setup ...func(*kiosk)) *kiosk {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not on PATH, but CI must have it")
		}
		t.Skip("tmux is not on PATH; install it to run the end-to-end tests")
	}
	k := &kiosk{
		bin: buildKiosk(t),
		env: []string{
			"XDG_DATA_HOME=" + t.TempDir(),
			"XDG_CONFIG_HOME=" + t.TempDir(),
		},
		socket: fmt.Sprintf("kiosk-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()),
	}
	for _, s := range setup {
		s(k)
	}

	// The pane runs sh, which runs the app and then prints its exit
	// status; remain-on-exit keeps that line on screen for quit to read.
	// sh gets the command as "$0" "$@", so no path needs quoting.
	app := []string{"sh", "-c", `"$0" "$@"; echo "kiosk exited with status $?"`,
		"env", "-u", "NO_COLOR", "-u", "TMUX", "TERM=xterm-256color"}
	app = append(append(app, k.env...), k.bin)
	args := []string{"-f", "/dev/null", "start-server", ";",
		"set-option", "-g", "remain-on-exit", "on", ";",
		"new-session", "-d", "-s", session, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}
	k.tmux(t, append(args, app...)...)
	// tmux leaves its socket file behind, so remove it with the server.
	sock := strings.TrimSpace(k.tmux(t, "display-message", "-p", "#{socket_path}"))
	t.Cleanup(func() {
		_ = exec.Command("tmux", "-L", k.socket, "kill-server").Run()
		_ = os.Remove(sock)
	})
	if size := k.tmux(t, "display-message", "-p", "-t", session, "#{window_width}x#{window_height}"); strings.TrimSpace(size) != fmt.Sprintf("%dx%d", width, height) {
		t.Fatalf("tmux window is %s, want %dx%d", size, width, height)
	}
	return k
}

// buildKiosk compiles the repository root into a temporary directory.
func buildKiosk(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kiosk")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tmux runs a tmux command on the test's own server and returns its output.
func (k *kiosk) tmux(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", k.socket}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (k *kiosk) typeText(t *testing.T, text string) {
	t.Helper()
	k.tmux(t, "send-keys", "-t", session, "-l", text)
}

func (k *kiosk) press(t *testing.T, key string) {
	t.Helper()
	k.tmux(t, "send-keys", "-t", session, key)
}

// screen returns the visible pane, one line per terminal row.
func (k *kiosk) screen(t *testing.T) string {
	t.Helper()
	return k.tmux(t, "capture-pane", "-p", "-t", session)
}

// scrollback returns the pane with its history, which keeps lines that
// scrolled off the top.
func (k *kiosk) scrollback(t *testing.T) string {
	t.Helper()
	return k.tmux(t, "capture-pane", "-p", "-S", "-", "-t", session)
}

// waitCatalogue waits for the sandbox catalogue with a selected product
// row and no provider still refreshing, so no late "Catalogue refreshed"
// status can hide the message a test waits for.
func (k *kiosk) waitCatalogue(t *testing.T) {
	t.Helper()
	k.waitFor(t, "SANDBOX", wait)
	k.waitFor(t, "› ", wait)
	k.waitGone(t, "refreshing", wait)
}

// waitFor polls the screen until it contains text and returns that screen.
func (k *kiosk) waitFor(t *testing.T, text string, timeout time.Duration) string {
	t.Helper()
	return k.waitUntil(t, fmt.Sprintf("%q on screen", text), timeout, k.screen,
		func(s string) bool { return strings.Contains(s, text) })
}

// waitGone polls the screen until it no longer contains text.
func (k *kiosk) waitGone(t *testing.T, text string, timeout time.Duration) string {
	t.Helper()
	return k.waitUntil(t, fmt.Sprintf("%q gone from screen", text), timeout, k.screen,
		func(s string) bool { return !strings.Contains(s, text) })
}

// waitUntil polls capture every 50ms until ok accepts its output.
func (k *kiosk) waitUntil(t *testing.T, what string, timeout time.Duration,
	capture func(*testing.T) string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := capture(t)
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; last screen:\n%s", timeout, what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// quit presses Ctrl+C and waits for the app to exit with status 0.
func (k *kiosk) quit(t *testing.T) {
	t.Helper()
	k.press(t, "C-c")
	k.waitExit(t)
}

// quitAs quits a kiosk that has clerks: Ctrl+C asks for a supervisor,
// who gives name and PIN.
func (k *kiosk) quitAs(t *testing.T, supervisor, pin string) {
	t.Helper()
	k.press(t, "C-c")
	k.waitFor(t, "A supervisor must authorise: quit the kiosk", wait)
	k.typeText(t, supervisor)
	k.press(t, "Tab")
	k.typeText(t, pin)
	k.press(t, "Enter")
	k.waitExit(t)
}

// waitExit waits for the app to exit with status 0.
func (k *kiosk) waitExit(t *testing.T) {
	t.Helper()
	// tmux's "Pane is dead" note can scroll the status line off the
	// screen, so look in the scrollback too.
	const exited = "kiosk exited with status "
	out := k.waitUntil(t, "the app to exit", wait, k.scrollback,
		func(s string) bool { return strings.Contains(s, exited) })
	if !strings.Contains(out, exited+"0\n") {
		t.Fatalf("kiosk did not exit cleanly:\n%s", out)
	}
}

// run runs the binary as a CLI with the session's XDG dirs.
func (k *kiosk) run(t *testing.T, args ...string) string {
	t.Helper()
	return k.runIn(t, "", args...)
}

// runIn runs a kiosk command with stdin (a PIN typed twice, say).
func (k *kiosk) runIn(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(k.bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), k.env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kiosk %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// journalRows returns the data rows of `journal list` (the header dropped).
func (k *kiosk) journalRows(t *testing.T) []string {
	t.Helper()
	out := strings.TrimSpace(k.run(t, "journal", "list"))
	lines := strings.Split(out, "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "REF") {
		t.Fatalf("journal list has no header:\n%s", out)
	}
	return lines[1:]
}

// journalRow returns the `journal list` row of ref.
func (k *kiosk) journalRow(t *testing.T, ref string) string {
	t.Helper()
	rows := k.journalRows(t)
	for _, row := range rows {
		if f := strings.Fields(row); len(f) > 0 && f[0] == ref {
			return row
		}
	}
	t.Fatalf("sale %s is not in journal list:\n%s", ref, strings.Join(rows, "\n"))
	return ""
}

// journalSale is the part of `journal show` this test reads.
type journalSale struct {
	Ref      string `json:"ref"`
	State    string `json:"state"`
	Vouchers []struct {
		Pin string `json:"pin"`
	} `json:"vouchers"`
}

func (s journalSale) pins() []string {
	var pins []string
	for _, v := range s.Vouchers {
		pins = append(pins, v.Pin)
	}
	return pins
}

func (k *kiosk) journalShow(t *testing.T, ref string, flags ...string) journalSale {
	t.Helper()
	args := append(append([]string{"journal", "show"}, flags...), ref)
	out := k.run(t, args...)
	var s journalSale
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("journal show %s is not JSON: %v\n%s", ref, err, out)
	}
	if s.Ref != ref {
		t.Fatalf("journal show %s returned sale %q", ref, s.Ref)
	}
	return s
}

// field reads "Label   value" from a screen line; value must match pattern.
func field(t *testing.T, screen, label, pattern string) string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(label) + `\s+(` + pattern + `)\s*$`)
	m := re.FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no %q line on screen:\n%s", label, screen)
	}
	return m[1]
}

// lineWith returns the first screen line containing text.
func lineWith(screen, text string) string {
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, text) {
			return line
		}
	}
	return ""
}

// checkFits fails if the screen is wider or taller than the terminal, or if
// it overflowed so far that the title line scrolled away.
func checkFits(t *testing.T, screen string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(screen, "\n"), "\n")
	if len(lines) > height {
		t.Errorf("screen has %d lines, more than %d:\n%s", len(lines), height, screen)
	}
	for i, line := range lines {
		if n := utf8.RuneCountInString(line); n > width {
			t.Errorf("screen line %d is %d runes wide, more than %d: %q", i+1, n, width, line)
		}
	}
	if !strings.HasPrefix(lines[0], "Kiosk POS") {
		t.Errorf("title line scrolled away; top line is %q", lines[0])
	}
}
