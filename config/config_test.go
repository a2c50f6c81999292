package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/secret"
)

type fakeProvider struct {
	BaseURL string       `toml:"base_url"`
	Secret  secret.Value `toml:"secret_key"`
}

func TestParseGood(t *testing.T) {
	t.Setenv("KIOSK_TEST_KEY", "shh")
	c, err := Parse("k.toml", `
[shop]
name = "Al-Noor"
[terminal]
number = 12
[sale]
timeout = "20s"
[providers.bitaqaty]
base_url = "http://127.0.0.1:9000"
secret_key = "env:KIOSK_TEST_KEY"
`)
	if err != nil {
		t.Fatal(err)
	}
	var p fakeProvider
	if err := c.DecodeProvider("bitaqaty", &p); err != nil {
		t.Fatal(err)
	}
	if err := c.Finish(); err != nil {
		t.Fatal(err)
	}
	if c.Shop.Name != "Al-Noor" || c.Terminal.Number != 12 || c.Terminal.ID != "T012" ||
		c.Sale.Timeout.Duration != 20*time.Second || c.Sale.InFlightWindow.Duration != 80*time.Second {
		t.Errorf("config = %+v", c)
	}
	if p.Secret.Reveal() != "shh" || p.BaseURL != "http://127.0.0.1:9000" {
		t.Errorf("provider = %+v", p)
	}
	if ids := c.ProviderIDs(); len(ids) != 1 || ids[0] != "bitaqaty" {
		t.Errorf("ids = %v", ids)
	}
}

// TestBlindCount: [eod] blind_count is off unless the file says so.
func TestBlindCount(t *testing.T) {
	for text, want := range map[string]bool{"": false, "[eod]\nblind_count = false\n": false, "[eod]\nblind_count = true\n": true} {
		c, err := Parse("k.toml", text)
		if err == nil {
			err = c.Finish()
		}
		if err != nil || c.EOD.BlindCount != want {
			t.Errorf("%q: blind count %v, %v; want %v", text, c != nil && c.EOD.BlindCount, err, want)
		}
	}
	if Defaults().EOD.BlindCount {
		t.Error("the defaults count blind")
	}
}

func TestErrorsNameFileLineAndKey(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"unknown key", "[shop]\nname = \"x\"\nnmae = \"y\"\n", "k.toml:3: shop.nmae: unknown key"},
		{"unknown provider key", "[providers.bitaqaty]\nbase_url = \"http://h\"\nsecrte_key = \"x\"\n", "k.toml:3: providers.bitaqaty.secrte_key: unknown key"},
		{"bad duration", "[sale]\n\ntimeout = \"soon\"\n", "k.toml:3: sale.timeout"},
		{"bad terminal", "[terminal]\nnumber = 1000\n", "k.toml:2: terminal.number: must be between 1 and 999"},
		{"wrong type", "[terminal]\nnumber = \"one\"\n", "k.toml:2"},
		{"syntax", "[shop\nname = 1\n", "end table name"},
		{"missing env secret", "[providers.bitaqaty]\nsecret_key = \"env:KIOSK_NOPE_NOT_SET\"\n", "KIOSK_NOPE_NOT_SET is not set"},
		{"empty value", "[journal]\npath = \"\"\n", "k.toml:2: journal.path: is empty"},
		{"bad language", "[ui]\nlanguage = \"fr\"\n", "k.toml:2: ui.language"},
		{"blind count not a boolean", "[eod]\n\nblind_count = \"yes\"\n", "k.toml:3: eod.blind_count: incompatible types"},
		{"end of day typo", "[eod]\nblind = true\n", "k.toml:2: eod.blind: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("k.toml", tt.text)
			if err == nil {
				var p fakeProvider
				err = c.DecodeProvider("bitaqaty", &p)
			}
			if err == nil {
				err = c.Finish()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestCheckURL(t *testing.T) {
	c, _ := Parse("k.toml", "[providers.x]\nbase_url = \"ftp://h\"\n")
	for _, tt := range []struct {
		url string
		ok  bool
	}{{"https://apis.example.com", true}, {"http://127.0.0.1:8080/x", true}, {"", false}, {"ftp://h", false}, {"https://", false}, {"nota url", false}} {
		err := c.CheckURL("providers.x.base_url", tt.url)
		if (err == nil) != tt.ok {
			t.Errorf("CheckURL(%q) = %v", tt.url, err)
		}
		if err != nil && !strings.Contains(err.Error(), "k.toml:2: providers.x.base_url") {
			t.Errorf("CheckURL(%q) error lacks location: %v", tt.url, err)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none.toml"))
	if err == nil || !os.IsNotExist(errorsUnwrapAll(err)) {
		t.Fatalf("err = %v", err)
	}
}

func errorsUnwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

func FuzzParse(f *testing.F) {
	f.Add("[shop]\nname = \"x\"\n[providers.bitaqaty]\nbase_url = \"http://h\"\n")
	f.Add("[terminal]\nnumber = 3\n[sale]\ntimeout = \"1s\"\n")
	f.Add("[[x]]\na=1\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse("f.toml", text)
		if err != nil {
			return
		}
		_ = c.Finish()
		if c.Terminal.Number < 1 || c.Terminal.Number > 999 {
			t.Fatalf("accepted terminal %d", c.Terminal.Number)
		}
	})
}

// TestLoadRefusesHugeFiles reads real files: one at the limit loads, one a
// byte over it and /dev/zero (endless) are refused without being read whole.
func TestLoadRefusesHugeFiles(t *testing.T) {
	dir := t.TempDir()
	sized := func(name string, size int) string {
		t.Helper()
		head := "[shop]\nname = \"Al-Noor\"\n"
		pad := strings.Repeat("#", size-len(head)-1) + "\n"
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(head+pad), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name, path, wantErr string
	}{
		{"at the limit", sized("limit.toml", MaxFileSize), ""},
		{"one byte over", sized("over.toml", MaxFileSize+1), "over.toml: is larger than 1 MiB"},
		{"endless device", "/dev/zero", "config /dev/zero: is larger than 1 MiB"},
		{"a directory", dir, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := os.Stat(tt.path); err != nil {
				t.Fatalf("test file: %v", err)
			}
			c, err := Load(tt.path)
			if tt.wantErr == "" {
				if err != nil || c.Shop.Name != "Al-Noor" {
					t.Fatalf("Load = %+v, %v", c, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

// TestSecretMustBeAString decodes real files: a secret written as a number
// (or any other non-string) is an error at its key and line, and the error
// does not repeat the value.
func TestSecretMustBeAString(t *testing.T) {
	tests := []struct {
		name, value, wantErr string
	}{
		{"quoted", `"k3y"`, ""},
		{"integer", `987654`, "k.toml:3: providers.bitaqaty.secret_key: a secret must be a quoted string"},
		{"leading zeros lost", `0o7654`, "providers.bitaqaty.secret_key: a secret must be a quoted string"},
		{"float", `98.7654`, "not a number"},
		{"boolean", `true`, "not a boolean"},
		{"date", `2026-11-24`, "not a date or time"},
		{"array", `["987654"]`, "not an array"},
		{"table", `{ v = "987654" }`, "not a table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k.toml")
			text := "[providers.bitaqaty]\nbase_url = \"http://127.0.0.1:9000\"\nsecret_key = " + tt.value + "\n"
			if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			var p fakeProvider
			err = c.DecodeProvider("bitaqaty", &p)
			if err == nil {
				err = c.Finish()
			}
			if tt.wantErr == "" {
				if err != nil || p.Secret.Reveal() != "k3y" {
					t.Fatalf("secret %q, err %v", p.Secret.Reveal(), err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
			// The temporary path may hold any digits: only the message counts.
			if msg := strings.ReplaceAll(err.Error(), path, ""); strings.Contains(msg, "987") || strings.Contains(msg, "7654") {
				t.Fatalf("err = %v: repeats the secret's value", err)
			}
		})
	}
}

// TestBackupSection: [backup] dir and keep, checked with errors that name
// the key; keep defaults when only dir is set.
func TestBackupSection(t *testing.T) {
	for _, tc := range []struct {
		text     string
		dir      string
		keep     int
		wantErrs []string
	}{
		{``, "", 0, nil},
		{"[backup]\ndir = \"/var/backups/kiosk\"", "/var/backups/kiosk", DefaultBackupKeep, nil},
		{"[backup]\ndir = \"/var/backups/kiosk/\"\nkeep = 3", "/var/backups/kiosk", 3, nil},
		{"[backup]\ndir = \"backups\"", "", 0, []string{"k.toml:2: backup.dir: \"backups\" must be an absolute path"}},
		{"[backup]\ndir = \"\"", "", 0, []string{"k.toml:2: backup.dir: is empty"}},
		{"[backup]\ndir = \"/b\"\nkeep = 0", "", 0, []string{"k.toml:3: backup.keep: must be at least 1"}},
		{"[backup]\nkeep = 4", "", 0, []string{"k.toml:2: backup.keep: needs backup.dir"}},
		{"[backup]\ndir = \"b\"\nkeep = -1", "", 0, []string{"backup.dir: \"b\" must be", "backup.keep: must be at least 1"}},
	} {
		c, err := Parse("k.toml", tc.text)
		if len(tc.wantErrs) == 0 {
			if err != nil {
				t.Errorf("%q: %v", tc.text, err)
				continue
			}
			if c.Backup.Dir != tc.dir || c.Backup.Keep != tc.keep {
				t.Errorf("%q: backup %+v, want dir %q keep %d", tc.text, c.Backup, tc.dir, tc.keep)
			}
			continue
		}
		if err == nil {
			t.Errorf("%q: accepted", tc.text)
			continue
		}
		for _, w := range tc.wantErrs {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %q does not say %q", tc.text, err, w)
			}
		}
	}
}
