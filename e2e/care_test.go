package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kiosk/providers/alqimah/alqimahsim"
	"kiosk/providers/bitaqaty/bitaqatysim"
	"kiosk/sandboxes"
	"kiosk/storage"
)

// careKiosk is the real binary on a configuration of its own: terminal 3,
// Bitaqaty and Al-Qimah on sandboxes (their documents only) on loopback,
// and backups after every close.
type careKiosk struct {
	bin, dir, cfg string
	set           *sandboxes.Set
	env           []string
}

func newCareKiosk(t *testing.T) *careKiosk {
	t.Helper()
	set, err := sandboxes.Start("127.0.0.1:0", sandboxes.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	dir := t.TempDir()
	k := &careKiosk{bin: buildKiosk(t), dir: dir, cfg: filepath.Join(dir, "kiosk.toml"), set: set,
		env: []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + dir, "XDG_DATA_HOME=" + dir, "USER=owner"}}
	if err := os.Mkdir(k.backups(), 0o700); err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprintf(`[terminal]
number = 3
[journal]
path = %q
key_file = %q
[backup]
dir = %q
keep = 3

[providers.bitaqaty]
base_url = %q
username = %q
secret_key = %q

[providers.alqimah]
base_url = %q
account_number = %q
username = %q
password = %q
api_token = %q
[providers.alqimah.networks.sabafon]
unit_price = "1.21"
[providers.alqimah.networks.you]
unit_price = "1.18"
[providers.alqimah.networks.y_telecom]
unit_price = "1.15"
`, k.journal(), filepath.Join(dir, "journal.key"), k.backups(),
		set.BaseURL("bitaqaty"), bitaqatysim.Username, bitaqatysim.SecretKey,
		set.BaseURL("alqimah"), alqimahsim.AccountNumber, alqimahsim.UserName, alqimahsim.Password, alqimahsim.APIToken)
	if err := os.WriteFile(k.cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return k
}

func (k *careKiosk) journal() string { return filepath.Join(k.dir, "journal.db") }
func (k *careKiosk) backups() string { return filepath.Join(k.dir, "backups") }

// run runs the binary with stdin and returns its output (standard output,
// then standard error) and exit code.
func (k *careKiosk) run(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	stdout, stderr, code := k.run2(t, stdin, args...)
	return stdout + stderr, code
}

func (k *careKiosk) run2(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(k.bin, append([]string{"--config", k.cfg}, args...)...)
	cmd.Env = append(os.Environ(), k.env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return stdout.String(), stderr.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("kiosk %s: %v", strings.Join(args, " "), err)
	}
	return stdout.String(), stderr.String(), 0
}

// sell sells once and returns the reference.
func (k *careKiosk) sell(t *testing.T, provider string, args ...string) string {
	t.Helper()
	out, errs, code := k.run2(t, "", append([]string{"sell", "--provider", provider, "--yes"}, args...)...)
	var s struct {
		Ref   string `json:"ref"`
		State string `json:"state"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || code != 0 || s.State != "succeeded" {
		t.Fatalf("kiosk sell %s: exit %d (%v):\n%s%s", provider, code, err, out, errs)
	}
	return s.Ref
}

func (k *careKiosk) sellITunes(t *testing.T) string {
	return k.sell(t, "bitaqaty", "--product", "2862")
}
func (k *careKiosk) sellAlQimah(t *testing.T) string {
	return k.sell(t, "alqimah", "--product", "game-itunes_us_10", "--field", "EmailAddress=buyer@example.com")
}

// TestRestoreOlderCopyThenSell: the copy the close of the day wrote is
// restored after more sales were made; the later sales are listed (from
// the replaced journal when it can be read, else from the support log, in
// doubt, and then asked of the provider by their reference); the next sale
// gets a new reference, and every sale was charged once.
func TestRestoreOlderCopyThenSell(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage bool // the replaced journal is damaged: only the log knows the later sales
	}{{"replaced journal readable", false}, {"replaced journal damaged", true}} {
		t.Run(tc.name, func(t *testing.T) {
			k := newCareKiosk(t)
			a := k.sellITunes(t)
			// Al-Qimah's catalogue is cached in the copy, but none of its
			// products was sold before the backup.
			if out, code := k.run(t, "", "catalog", "--provider", "alqimah", "--refresh"); code != 0 {
				t.Fatalf("catalog: exit %d:\n%s", code, out)
			}
			out, code := k.run(t, "", "--as", "owner", "eod", "--close", "--width", "300", "--counted", "SAR=51", "--yes")
			if code != 0 || !strings.Contains(out, "Backed up to "+k.backups()) {
				t.Fatalf("close: exit %d:\n%s", code, out)
			}
			copies, err := storage.ListBackups(k.backups(), 3)
			if err != nil || len(copies) != 1 || !strings.Contains(copies[0], "-Z0001-"+a+".db") {
				t.Fatalf("backups after the close: %v %v", copies, err)
			}
			b, c := k.sellITunes(t), k.sellAlQimah(t)
			if tc.damage {
				flipMeta(t, k.journal())
			}
			out, code = k.run(t, "", "journal", "restore", filepath.Join(k.backups(), copies[0]))
			if code != 0 {
				t.Fatalf("restore: exit %d:\n%s", code, out)
			}
			from := map[bool]string{false: "replaced journal", true: "support log"}[tc.damage]
			state := map[bool]string{false: "succeeded", true: "in_doubt"}[tc.damage]
			for _, ref := range []string{b, c} {
				if !regexp.MustCompile(ref + `\s+\S+ \S+\s+` + state + `\s+.*` + from).MatchString(out) {
					t.Errorf("restore does not list %s as %s from the %s:\n%s", ref, state, from, out)
				}
			}
			if regexp.MustCompile(`(?m)^` + a).MatchString(out) {
				t.Errorf("the copy's own sale %s is listed as made after the backup:\n%s", a, out)
			}
			if tc.damage {
				open, _ := k.run(t, "", "journal", "list", "--open")
				if !strings.Contains(open, b) || !strings.Contains(open, c) {
					t.Errorf("the sales from the log are not open:\n%s", open)
				}
				for _, ref := range []string{b, c} { // asked by their own reference, never bought again
					out, code := k.run(t, "", "status", ref)
					if code != 0 || !strings.Contains(out, `"state": "succeeded"`) {
						t.Errorf("status %s after the restore: exit %d:\n%s", ref, code, out)
					}
				}
				// The recovered card codes are PINs (sealed, masked), never
				// in a message: the look-up read them as the products sold.
				for _, ref := range []string{b, c} {
					show, _ := k.run(t, "", "journal", "show", "--reveal", ref)
					var s struct {
						Message  string `json:"message"`
						Product  string `json:"product_name"`
						Vouchers []struct {
							PIN string `json:"pin"`
						} `json:"vouchers"`
					}
					if err := json.Unmarshal([]byte(show), &s); err != nil || len(s.Vouchers) != 1 || s.Vouchers[0].PIN == "" ||
						strings.Contains(s.Message, s.Vouchers[0].PIN) || strings.Contains(s.Product, "after restore") {
						t.Errorf("sale %s recovered after the restore (%v):\n%s", ref, err, show)
					}
				}
			}
			d := k.sellITunes(t)
			for _, ref := range []string{a, b, c} {
				if d == ref {
					t.Fatalf("the restored journal sent reference %s again", ref)
				}
			}
			for ref, p := range map[string]string{a: "bitaqaty", b: "bitaqaty", c: "alqimah", d: "bitaqaty"} {
				if n := k.set.Charged(p, ref); n != 1 {
					t.Errorf("%s charged %d times at %s", ref, n, p)
				}
			}
			show, _ := k.run(t, "", "journal", "show", b)
			if !strings.Contains(show, `"state": "succeeded"`) {
				t.Errorf("sale %s after the restore:\n%s", b, show)
			}
		})
	}
}

// flipMeta spoils both meta pages' checksums, as a failing disk would.
func flipMeta(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, off := range []int64{32, int64(os.Getpagesize()) + 32} {
		b := make([]byte, 1)
		if _, err := f.ReadAt(b, off); err != nil {
			t.Fatal(err)
		}
		b[0] ^= 0xff
		if _, err := f.WriteAt(b, off); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRestoreRefusesAnotherTerminalsCopy: a copy from another terminal is
// refused by the binary too, and the journal stays as it was.
func TestRestoreRefusesAnotherTerminalsCopy(t *testing.T) {
	k := newCareKiosk(t)
	k.sellITunes(t)
	other := newCareKiosk(t)
	text, err := os.ReadFile(other.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other.cfg, []byte(strings.Replace(string(text), "number = 3", "number = 4", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	other.sellITunes(t)
	before, _ := os.ReadFile(k.journal())
	out, code := k.run(t, "", "journal", "restore", other.journal())
	if code == 0 || !strings.Contains(out, "another terminal's copy") || !strings.Contains(out, "nothing was replaced") {
		t.Fatalf("restore of terminal 4's journal on terminal 3: exit %d:\n%s", code, out)
	}
	if after, _ := os.ReadFile(k.journal()); string(after) != string(before) {
		t.Error("the journal changed")
	}
}

// TestKeyShow: the key is printed in groups a person can copy, which read
// back as the key file's; a supervisor's once the kiosk has users, and
// audited.
func TestKeyShow(t *testing.T) {
	k := newCareKiosk(t)
	k.sellITunes(t) // the key file is made with the journal
	keyFile, err := os.ReadFile(filepath.Join(k.dir, "journal.key"))
	if err != nil {
		t.Fatal(err)
	}
	out, code := k.run(t, "", "key", "show")
	groups := regexp.MustCompile(`(?m)^([0-9a-f]{4}( [0-9a-f]{4}){7})$`).FindAllString(out, -1)
	if code != 0 || len(groups) != 2 {
		t.Fatalf("key show: exit %d:\n%s", code, out)
	}
	key, err := storage.ParseKey(strings.Join(groups, "\n"))
	if err != nil || fmt.Sprintf("%x", key) != strings.TrimSpace(string(keyFile)) {
		t.Fatalf("the groups shown read back as %x (%v), the key file holds %s", key, err, keyFile)
	}
	if !strings.Contains(out, "away from this PC and from the backups") {
		t.Errorf("key show does not say where to keep it:\n%s", out)
	}
	if _, code := k.run(t, "1234\n1234\n", "users", "add", "boss", "--role", "supervisor"); code != 0 {
		t.Fatal("users add boss")
	}
	if _, code := k.run(t, "1234\n5678\n5678\n", "--as", "boss", "users", "add", "ali", "--role", "clerk"); code != 0 {
		t.Fatal("users add ali")
	}
	for _, tc := range []struct {
		name, stdin string
		args        []string
		ok          bool
	}{
		{"nobody named", "", []string{"key", "show"}, false},
		{"a clerk", "5678\n", []string{"--as", "ali", "key", "show"}, false},
		{"a wrong PIN", "9999\n", []string{"--as", "boss", "key", "show"}, false},
		{"the supervisor", "1234\n", []string{"--as", "boss", "key", "show"}, true},
	} {
		out, code := k.run(t, tc.stdin, tc.args...)
		if shown := strings.Contains(out, groups[0]); (code == 0) != tc.ok || shown != tc.ok {
			t.Errorf("%s: exit %d, key shown %v:\n%s", tc.name, code, shown, out)
		}
	}
	j, err := storage.Open(k.journal(), storage.Options{ReadOnly: true, Terminal: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	log, _ := j.AuditLog()
	var shows []string
	for _, e := range log {
		if e.Action == "showed journal key" {
			shows = append(shows, e.Who)
		}
	}
	if strings.Join(shows, ",") != "owner,boss" {
		t.Errorf("audited key shows by %v, want owner, boss", shows)
	}
}

// TestDoctor: the binary's doctor on a healthy kiosk exits 0; each broken
// part makes it exit 1 naming that part first.
func TestDoctor(t *testing.T) {
	k := newCareKiosk(t)
	k.sellITunes(t)
	out, code := k.run(t, "", "doctor")
	if code != 0 || !strings.Contains(out, "All well.") {
		t.Fatalf("doctor on a healthy kiosk: exit %d:\n%s", code, out)
	}
	for _, want := range []string{"ok       config", "ok       journal", "ok       disk", "ok       key", "ok       provider bitaqaty", "ok       provider alqimah", "ok       printer", "ok       head office"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor does not say %q:\n%s", want, out)
		}
	}
	keyFile := filepath.Join(k.dir, "journal.key")
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	out, code = k.run(t, "", "doctor")
	if code != 1 || !strings.Contains(out, "kiosk: doctor: fix first: key: key file "+keyFile+" has mode 0644: run chmod 600") {
		t.Errorf("doctor with the key readable by all: exit %d:\n%s", code, out)
	}
	if err := os.Chmod(keyFile, 0o600); err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(k.cfg)
	if err := os.WriteFile(k.cfg, []byte(strings.Replace(string(text), "secret_key = \""+bitaqatysim.SecretKey+"\"", `secret_key = "wrong"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code = k.run(t, "", "doctor")
	if code != 1 || !strings.Contains(out, "fix first: provider bitaqaty: Bitaqaty Business refused the balance request") {
		t.Errorf("doctor with a wrong Bitaqaty secret: exit %d:\n%s", code, out)
	}
}
