package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/config"
)

// TestExampleConfigIsValid builds every provider from config.example.toml,
// so a key that is documented there but unknown to the code (or the other
// way round) fails here.
func TestExampleConfigIsValid(t *testing.T) {
	cfg, err := config.Load(filepath.Join("..", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Journal.Path = filepath.Join(t.TempDir(), "j.db")
	cfg.Journal.KeyFile = filepath.Join(t.TempDir(), "j.key")
	k, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if k.Sandbox {
		t.Error("a configuration with real base URLs was marked as sandbox")
	}
	if got := len(k.Engine.Providers()); got != 5 {
		t.Errorf("%d providers built, want 5", got)
	}
}

func TestBadConfigRefusedWhole(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, text, want string }{
		{"bad url", "[providers.bitaqaty]\nbase_url = \"ftp//x\"\nusername = \"u\"\nsecret_key = \"s\"\n", "providers.bitaqaty.base_url"},
		{"missing secret", "[providers.bitaqaty]\nbase_url = \"https://x.test\"\nusername = \"u\"\n", "providers.bitaqaty"},
		{"unknown provider", "[providers.acme]\nbase_url = \"https://x.test\"\n", "providers.acme"},
		{"price not a number", "[[prices]]\nprovider = \"bitaqaty\"\nmarkup_percent = \"ten\"\n", "k.toml:3: prices.markup_percent"},
		{"price for an unknown provider", "[[prices]]\nprovider = \"acme\"\nmarkup_percent = \"10\"\n", "k.toml:2: prices.provider"},
		{"bad printer encoding", "[printer]\nencoding = \"utf8\"\n", "k.toml:2: printer.encoding"},
		{"two rules tie", "[[prices]]\nbrand = \"PUBG\"\nmarkup_percent = \"10\"\n[[prices]]\nbrand = \"PUBG\"\nmarkup = \"5\"\n", "k.toml:1"},
		{"typo in key", "[providers.bitaqaty]\nbase_url = \"https://x.test\"\nusername = \"u\"\nsecret_key = \"s\"\nsecretkey = \"s\"\n", "k.toml:5: providers.bitaqaty.secretkey: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "k.toml")
			os.WriteFile(path, []byte(tt.text+"[journal]\npath = \""+filepath.Join(dir, tt.name+".db")+"\"\n"), 0o600)
			cfg, err := config.Load(path)
			if err == nil {
				var k *Kiosk
				k, err = Open(cfg)
				if k != nil {
					k.Close()
				}
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if _, statErr := os.Stat(filepath.Join(dir, tt.name+".db")); statErr == nil {
				t.Error("a journal was created for a configuration that was refused")
			}
		})
	}
}

func TestWebhookSettings(t *testing.T) {
	dir := t.TempDir()
	base := "[journal]\npath = \"" + filepath.Join(dir, "j.db") + "\"\nkey_file = \"" + filepath.Join(dir, "j.key") + "\"\n" +
		"[providers.alqimah]\nbase_url = \"https://x.test\"\naccount_number = \"1\"\nusername = \"u\"\npassword = \"p\"\napi_token = \"t\"\n" +
		"webhook_url = \"https://kiosk.test/hook\"\n[providers.alqimah.networks.sabafon]\nunit_price = \"1\"\n" +
		"[providers.alqimah.networks.you]\nunit_price = \"1\"\n[providers.alqimah.networks.y_telecom]\nunit_price = \"1\"\n"
	tests := []struct {
		name, extra, env, want string
	}{
		{"url without webhook section", "", "", "webhook_url"},
		{"key variable unset", "[webhook]\nlisten = \"127.0.0.1:0\"\nkey_env = \"KIOSK_TEST_HOOK_KEY\"\n", "", "webhook.key_env"},
		{"good", "[webhook]\nlisten = \"127.0.0.1:0\"\nkey_env = \"KIOSK_TEST_HOOK_KEY\"\n", strings.Repeat("ab", 32), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("KIOSK_TEST_HOOK_KEY", tt.env)
			cfg, err := config.Parse(filepath.Join(dir, "k.toml"), base+tt.extra)
			if err != nil {
				t.Fatal(err)
			}
			k, err := Open(cfg)
			if k != nil {
				defer k.Close()
			}
			if tt.want == "" {
				if err != nil || len(k.WebhookKey) != 32 {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %s", err, tt.want)
			}
		})
	}
}
