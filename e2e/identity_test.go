package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/storage"
)

// cliKiosk is the built binary with its own journal and a receipt file,
// run as a script runs it: no terminal, the PIN on the first line of
// standard input.
type cliKiosk struct {
	bin, config, data string
}

func newCLIKiosk(t *testing.T) *cliKiosk {
	t.Helper()
	k := &cliKiosk{bin: buildKiosk(t), data: t.TempDir()}
	k.config = filepath.Join(t.TempDir(), "kiosk.toml")
	text := "[journal]\npath = \"" + filepath.Join(k.data, "journal.db") + "\"\nkey_file = \"" + filepath.Join(k.data, "journal.key") +
		"\"\n[printer]\ntarget = \"file:" + filepath.Join(k.data, "receipts.txt") + "\"\n"
	if err := os.WriteFile(k.config, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return k
}

// run runs the binary; it returns what it printed and its exit code.
func (k *cliKiosk) run(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(k.bin, append([]string{"--config", k.config}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+k.data, "XDG_CONFIG_HOME="+k.data)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &ee):
		return string(out), ee.ExitCode()
	}
	t.Fatalf("kiosk %s: %v", strings.Join(args, " "), err)
	return "", 0
}

func (k *cliKiosk) must(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, code := k.run(t, stdin, args...)
	if code != 0 {
		t.Fatalf("kiosk %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// audit reads the journal's audit record (the kiosk is not running).
func (k *cliKiosk) audit(t *testing.T) string {
	t.Helper()
	sj, err := storage.Open(filepath.Join(k.data, "journal.db"), storage.Options{Terminal: 1, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sj.Close()
	log, err := sj.AuditLog()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range log {
		b.WriteString(e.Who + "|" + e.Action + "|" + e.Detail + "\n")
	}
	return b.String()
}

// TestSupervisorCommandsNeedASupervisor runs every supervisor command on
// the real binary as a clerk, with a wrong PIN, with no PIN and with no
// name: each is refused with one clear line and the refusal is audited;
// the right supervisor is accepted.
func TestSupervisorCommandsNeedASupervisor(t *testing.T) {
	k := newCLIKiosk(t)
	k.must(t, "9999\n9999\n", "users", "add", "boss", "--role", "supervisor")
	k.must(t, "9999\n7777\n7777\n", "--as", "boss", "users", "add", "huda", "--role", "supervisor")
	k.must(t, "9999\n2468\n2468\n", "--as", "boss", "users", "add", "amal", "--role", "clerk")
	sold := k.must(t, "2468\n", "--as", "amal", "sell", "--provider", "bitaqaty", "--product", "2862", "--yes")
	ref := between(sold, `"ref": "`, `"`)
	if ref == "" {
		t.Fatalf("no reference in:\n%s", sold)
	}
	k.must(t, "2468\n", "--as", "amal", "journal", "print", ref) // the first print is anyone's

	commands := []struct {
		name  string
		stdin string // after the PIN of --as
		args  []string
	}{
		{"add a user", "1357\n1357\n", []string{"users", "add", "mallory", "--role", "supervisor"}},
		{"unlock a user", "", []string{"users", "unlock", "amal"}},
		{"day report", "", []string{"eod"}},
		{"close the day", "", []string{"eod", "--close", "--counted", "SAR=51", "--yes"}},
		{"note", "", []string{"eod", "--note", "drawer recounted"}},
		{"settle", "", []string{"eod", "--settle", ref, "--reason", "checked"}},
		{"reveal a PIN", "", []string{"journal", "show", "--reveal", ref}},
		{"reveal a PIN by a look-up", "", []string{"status", "--reveal", ref}},
		{"reveal the day's PINs", "", []string{"eod", "--reveal"}},
		{"reprint", "", []string{"journal", "print", ref}},
		{"decide", "", []string{"decide", ref, "--not-sold", "--reason", "portal"}},
		{"disable a user", "", []string{"users", "disable", "huda"}},
		{"enable a user", "", []string{"users", "enable", "huda"}},
	}
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			tries := []struct {
				who, as, stdin, says string
			}{
				{"clerk", "amal", "2468\n" + c.stdin, "needs a supervisor"},
				{"wrong PIN", "huda", "0000\n" + c.stdin, "refused"},
				{"no PIN", "boss", "", "no PIN"},
				{"no name", "", c.stdin, "--as NAME"},
			}
			for _, try := range tries {
				args := c.args
				if try.as != "" {
					args = append([]string{"--as", try.as}, c.args...)
				}
				out, code := k.run(t, try.stdin, args...)
				if code == 0 || !strings.Contains(out, try.says) || strings.Count(strings.TrimSpace(out), "\n") > 2 {
					t.Errorf("%s: exit %d, want a refusal saying %q:\n%s", try.who, code, try.says, out)
				}
			}
			out, _ := k.run(t, "9999\n"+c.stdin, append([]string{"--as", "boss"}, c.args...)...)
			if strings.Contains(out, "refused") || strings.Contains(out, "needs a supervisor") {
				t.Errorf("the supervisor was refused:\n%s", out)
			}
		})
	}
	a := k.audit(t)
	for _, want := range []string{"amal|refused: add user", "amal|refused: disable huda", "amal|refused: reveal sale " + ref,
		"huda|sign-in failed|", "boss|supervisor authorised|close the day", "boss|revealed PIN|", "boss|reprint #1"} {
		if !strings.Contains(a, want) {
			t.Errorf("audit lacks %q", want)
		}
	}
	if strings.Contains(k.must(t, "", "users", "list"), "mallory") == false {
		t.Error("the supervisor's users add did not take")
	}
}

// TestNoUsersStaysOpen: a kiosk without users asks no one, as it always
// did; the first user added must be a supervisor.
func TestNoUsersStaysOpen(t *testing.T) {
	k := newCLIKiosk(t)
	k.must(t, "", "sell", "--provider", "bitaqaty", "--product", "2862", "--yes")
	if out, code := k.run(t, "2468\n2468\n", "users", "add", "amal"); code == 0 || !strings.Contains(out, "first user must be a supervisor") {
		t.Fatalf("a clerk as the first user: exit %d\n%s", code, out)
	}
	k.must(t, "9999\n9999\n", "users", "add", "boss", "--role", "supervisor")
	if out, code := k.run(t, "", "sell", "--provider", "bitaqaty", "--product", "2862", "--yes"); code == 0 || !strings.Contains(out, "--as NAME") {
		t.Fatalf("a sale with users but no name: exit %d\n%s", code, out)
	}
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return v
}
