package india

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"kiosk/money"
	"kiosk/secret"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		key  string
	}{
		{"ok", func(*Config) {}, ""},
		{"legacy ok", func(c *Config) { *c = SandboxLegacyConfig(c.BaseURL) }, ""},
		{"no url", func(c *Config) { c.BaseURL = "" }, "base_url"},
		{"bad scheme", func(c *Config) { c.BaseURL = "file:///x" }, "base_url"},
		{"bad api", func(c *Config) { c.API = "soap" }, "api"},
		{"no user", func(c *Config) { c.Username = "" }, "username"},
		{"no password", func(c *Config) { c.Password = secret.Value{} }, "password"},
		{"legacy no partner", func(c *Config) { c.API = APILegacy }, "partner_id"},
		{"legacy no api password", func(c *Config) { c.API, c.PartnerID = APILegacy, "P1" }, "api_password"},
		{"fractional min", func(c *Config) { c.MinAmount = money.MustParse("10.5") }, "min_amount"},
		{"max below min", func(c *Config) { c.MinAmount, c.MaxAmount = money.FromInt(100), money.FromInt(50) }, "max_amount"},
		{"bad dest", func(c *Config) { c.Dest = "moon" }, "dest"},
		{"bad path", func(c *Config) { c.StatusPath = "status" }, "status_path"},
		{"bad operator code", func(c *Config) { c.Operators = []Operator{{Code: "AT", Name: "Airtel"}} }, "operators[0].code"},
		{"operator twice", func(c *Config) { c.Operators = []Operator{{Code: "1", Name: "A"}, {Code: "1", Name: "B"}} }, "operators[1].code"},
		{"bad prefix", func(c *Config) { c.Operators = []Operator{{Code: "1", Name: "A", Prefixes: []string{"12"}}} }, "operators[0].prefixes"},
		{"circle no name", func(c *Config) { c.Circles = []Circle{{Code: "1"}} }, "circles[0].name"},
		{"default circle unknown", func(c *Config) { c.DefaultCircle = "99" }, "default_circle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := SandboxConfig("https://v2bapi.example.in")
			tt.edit(&c)
			err := c.Validate()
			if tt.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.key+":") {
				t.Fatalf("err = %v, want it to name %s", err, tt.key)
			}
		})
	}
}

func TestConfigTOML(t *testing.T) {
	const doc = `
base_url = "https://v2bapi.rechargkit.biz"
username = "shop"
password = "pw"
max_amount = "2000"
default_circle = 5
[[operators]]
code = 1
name = "Airtel"
prefixes = ["98", "99"]
[[operators]]
code = "3"
name = "Jio"
min_amount = "19"
[[circles]]
code = 5
name = "Delhi NCR"
[[circles]]
code = 23
name = "West Bengal"
`
	var c Config
	if _, err := toml.Decode(doc, &c); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	lo, hi := c.bounds(c.Operators[1])
	if c.api() != APIBearer || c.Operators[1].Code != "3" || lo.String() != "19" || hi.String() != "2000" || c.defaultCircle() != "5" {
		t.Fatalf("%+v", c)
	}
	if p := c.paths(); p.recharge != "/recharge/prepaid" || p.signin != "/member/signin" {
		t.Fatalf("paths %+v", p)
	}
}

func TestDefaults(t *testing.T) {
	c := SandboxConfig("http://x")
	if c.defaultCircle() != seedCircle || len(c.operators()) != 4 || c.operators()[0].Code != seedOperator || c.rechargeType() != "1" {
		t.Fatal("defaults do not follow the seed")
	}
	lo, hi := c.bounds(Operator{})
	if lo.String() != "10" || hi.String() != "5000" {
		t.Fatalf("bounds %s..%s", lo, hi)
	}
}
