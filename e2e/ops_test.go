package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kiosk/clock"
	"kiosk/logs"
)

// runKiosk runs the binary with env and returns its output and exit code.
func runKiosk(t *testing.T, bin string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(out), ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("kiosk %s: %v", strings.Join(args, " "), err)
	}
	return string(out), 0
}

// TestVersionIsTheBuildInfo: `kiosk version` prints what the toolchain
// stamped into the binary (as `go version -m` reads it back), and in a git
// checkout that is the commit checked out.
func TestVersionIsTheBuildInfo(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "kiosk")
	// -buildvcs=true: this machine's go env turns VCS stamping off.
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	meta, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	modVersion := regexp.MustCompile(`(?m)^\tmod\tkiosk\t(\S+)`).FindSubmatch(meta)
	if modVersion == nil {
		t.Fatalf("go version -m shows no module line:\n%s", meta)
	}
	out, code := runKiosk(t, bin, nil, "version")
	if code != 0 {
		t.Fatalf("kiosk version exited %d:\n%s", code, out)
	}
	if first := strings.SplitN(out, "\n", 2)[0]; first != "kiosk "+string(modVersion[1]) {
		t.Errorf("first line %q, want the module version %s", first, modVersion[1])
	}
	rev := regexp.MustCompile(`(?m)^\tbuild\tvcs\.revision=(\S+)`).FindSubmatch(meta)
	if rev == nil {
		// A git worktree (.git is a file) is not stamped by the toolchain.
		if !strings.Contains(out, "revision unknown") {
			t.Errorf("no revision was stamped, but kiosk version says:\n%s", out)
		}
		t.Skipf("the toolchain stamped no VCS revision here (not a plain git checkout); version printed:\n%s", out)
	}
	if !strings.Contains(out, "revision "+string(rev[1])) {
		t.Errorf("kiosk version does not show revision %s:\n%s", rev[1], out)
	}
	head, err := exec.Command("git", "-C", "..", "rev-parse", "HEAD").Output()
	if err == nil && strings.TrimSpace(string(head)) != string(rev[1]) {
		t.Errorf("stamped revision %s, but HEAD is %s", rev[1], head)
	}
}

// TestLogsShowsTheLastLines: `kiosk logs` reads the log beside the
// journal, across rotated files, newest last.
func TestLogsShowsTheLastLines(t *testing.T) {
	bin := buildKiosk(t)
	data := t.TempDir()
	env := []string{"XDG_DATA_HOME=" + data, "XDG_CONFIG_HOME=" + t.TempDir()}

	out, code := runKiosk(t, bin, env, "logs")
	if code != 1 || !strings.Contains(out, "no log yet at "+filepath.Join(data, "kiosk", logs.FileName)) {
		t.Fatalf("without a log: exit %d\n%s", code, out)
	}

	// The log the kiosk writes: small files so that it rotates.
	l, err := logs.Open(logs.PathFor(filepath.Join(data, "kiosk", "journal.db")), logs.Options{MaxBytes: 400, Now: clock.NewFake(clock.Start).Now})
	if err != nil {
		t.Fatal(err)
	}
	const lines = 20
	for i := range lines {
		l.Info("sale step", logs.Ref(fmt.Sprintf("00100000100000%02d", i)), logs.Note("\x1b[2J"))
	}
	l.Close()
	if _, err := os.Stat(logs.Rotated(logs.PathFor(filepath.Join(data, "kiosk", "journal.db")), 2)); err != nil {
		t.Fatalf("the log did not rotate twice: %v", err)
	}

	tests := []struct {
		args     []string
		code     int
		wantRefs []int // the refs shown, in order
		wantOut  string
	}{
		{[]string{"logs", "-n", "3"}, 0, []int{17, 18, 19}, ""},
		{[]string{"logs"}, 0, seq(0, lines), ""}, // 50 by default: every line kept
		{[]string{"logs", "-n", "0"}, 2, nil, "give a number of lines above 0"},
		{[]string{"logs", "-n", "x"}, 1, nil, "invalid value"}, // a bad flag exits 1, as in every command
		{[]string{"logs", "extra"}, 2, nil, "usage: kiosk logs [-n N]"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, code := runKiosk(t, bin, env, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tt.code, out)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("output lacks %q:\n%s", tt.wantOut, out)
			}
			if tt.code != 0 {
				return
			}
			var got []int
			for _, ln := range strings.Split(strings.TrimSpace(out), "\n") {
				var n int
				if _, err := fmt.Sscanf(ln[strings.Index(ln, "ref=")+4:], "00100000100000%02d", &n); err != nil {
					t.Fatalf("line %q: %v", ln, err)
				}
				got = append(got, n)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.wantRefs) {
				t.Errorf("refs %v, want %v", got, tt.wantRefs)
			}
			if strings.Contains(out, "\x1b") {
				t.Errorf("an escape sequence reached the terminal: %q", out)
			}
		})
	}
}

func seq(from, to int) []int {
	var s []int
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}
