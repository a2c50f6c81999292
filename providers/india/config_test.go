package india

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"kiosk/money"
	"kiosk/secret"
)

// minimal is the document-only configuration: the recharge's URL and the
// two tables, nothing else.
func minimal() Config {
	return Config{
		BaseURL: "https://api.example.in", RechargePath: "/recharge",
		Operators: []Operator{{Code: seedOperator, Name: "Airtel"}},
		Circles:   []Circle{{Code: seedCircle, Name: "West Bengal"}},
	}
}

func TestConfigValidate(t *testing.T) {
	signin := func(c *Config) {
		c.Extensions = []string{ExtSignin}
		c.Username, c.Password = "shop", secret.New("pw")
	}
	legacy := func(c *Config) {
		c.Extensions = []string{ExtLegacyAuth}
		c.PartnerID, c.APIPassword = "P1", secret.New("pw")
	}
	tests := []struct {
		name string
		edit func(*Config)
		key  string // the key the first line names; "" for valid
		text string // more the message must say
	}{
		{"document only", func(*Config) {}, "", ""},
		{"every extension but legacy", func(c *Config) {
			signin(c)
			c.Extensions = append(c.Extensions, ExtStatus, ExtBalance)
			c.SigninPath, c.StatusPath, c.BalancePath = "/a", "/b", "/c"
		}, "", ""},
		{"legacy with status and balance", func(c *Config) { legacy(c); c.Extensions = append(c.Extensions, ExtStatus, ExtBalance) }, "", ""},
		{"no url", func(c *Config) { c.BaseURL = "" }, "base_url", ""},
		{"bad scheme", func(c *Config) { c.BaseURL = "file:///x" }, "base_url", ""},
		{"no recharge_path", func(c *Config) { c.RechargePath = "" }, "recharge_path", "required"},
		{"recharge_path without /", func(c *Config) { c.RechargePath = "recharge" }, "recharge_path", ""},
		{"recharge_path with a query", func(c *Config) { c.RechargePath = "/r?x=1" }, "recharge_path", ""},
		{"unknown extension", func(c *Config) { c.Extensions = []string{"status", "teleport"} }, "extensions", `"teleport" (known: signin, legacy-auth, status, balance)`},
		{"extension twice", func(c *Config) { c.Extensions = []string{"status", "status"} }, "extensions", "twice"},
		{"signin and legacy", func(c *Config) {
			signin(c)
			c.PartnerID, c.APIPassword = "P1", secret.New("pw")
			c.Extensions = []string{ExtSignin, ExtLegacyAuth}
		}, "extensions", "name one"},
		{"signin without username", func(c *Config) { signin(c); c.Username = "" }, "username", "required"},
		{"signin without password", func(c *Config) { signin(c); c.Password = secret.Value{} }, "password", "required"},
		{"username without signin", func(c *Config) { c.Username = "shop" }, "username", `extensions = ["signin"]`},
		{"password without signin", func(c *Config) { c.Password = secret.New("pw") }, "password", "only used"},
		{"legacy without partner_id", func(c *Config) { legacy(c); c.PartnerID = "" }, "partner_id", "required"},
		{"legacy without api_password", func(c *Config) { legacy(c); c.APIPassword = secret.Value{} }, "api_password", "required"},
		{"partner_id without legacy", func(c *Config) { c.PartnerID = "P1" }, "partner_id", `extensions = ["legacy-auth"]`},
		{"status_path without status", func(c *Config) { c.StatusPath = "/s" }, "status_path", "only used"},
		{"balance_path without balance", func(c *Config) { c.BalancePath = "/b" }, "balance_path", "only used"},
		{"signin_path without signin", func(c *Config) { c.SigninPath = "/s" }, "signin_path", "only used"},
		{"bad status_path", func(c *Config) { c.Extensions = []string{ExtStatus}; c.StatusPath = "status" }, "status_path", ""},
		{"old api key", func(c *Config) { c.API = "bearer" }, "api", `extensions = ["signin"]`},
		{"fractional min", func(c *Config) { c.MinAmount = money.MustParse("10.5") }, "min_amount", ""},
		{"max below min", func(c *Config) { c.MinAmount, c.MaxAmount = money.FromInt(100), money.FromInt(50) }, "max_amount", ""},
		{"bad dest", func(c *Config) { c.Dest = "moon" }, "dest", ""},
		{"bad recharge_type", func(c *Config) { c.RechargeType = "one" }, "recharge_type", ""},
		{"no operators", func(c *Config) { c.Operators = nil }, "operators", "ask the provider"},
		{"no circles", func(c *Config) { c.Circles = nil }, "circles", "ask the provider"},
		{"bad operator code", func(c *Config) { c.Operators = []Operator{{Code: "AT", Name: "Airtel"}} }, "operators[0].code", ""},
		{"operator twice", func(c *Config) { c.Operators = []Operator{{Code: "1", Name: "A"}, {Code: "1", Name: "B"}} }, "operators[1].code", ""},
		{"bad prefix", func(c *Config) { c.Operators = []Operator{{Code: "1", Name: "A", Prefixes: []string{"12"}}} }, "operators[0].prefixes", ""},
		{"circle no name", func(c *Config) { c.Circles = []Circle{{Code: "1"}} }, "circles[0].name", ""},
		{"default circle unknown", func(c *Config) { c.DefaultCircle = "99" }, "default_circle", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := minimal()
			tt.edit(&c)
			err := c.Validate()
			if tt.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				if _, err := New(c, nil); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.key+":") || !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("err = %v, want it to name %s and say %q", err, tt.key, tt.text)
			}
		})
	}
}

func TestConfigReportsEveryProblem(t *testing.T) {
	err := Config{Extensions: []string{"x"}}.Validate()
	for _, key := range []string{"base_url:", "recharge_path:", "extensions:", "operators:", "circles:"} {
		if err == nil || !strings.Contains(err.Error(), "\n"+key) && !strings.HasPrefix(err.Error(), key) {
			t.Errorf("%v does not name %s", err, key)
		}
	}
}

func TestConfigTOML(t *testing.T) {
	const doc = `
base_url = "https://v2bapi.example.in"
recharge_path = "/recharge/prepaid"
extensions = ["signin", "status"]
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
	if !c.has(ExtSignin) || !c.has(ExtStatus) || c.has(ExtBalance) || c.Operators[1].Code != "3" || lo.String() != "19" || hi.String() != "2000" || c.DefaultCircle != "5" {
		t.Fatalf("%+v", c)
	}
	if p := c.paths(); p.recharge != "/recharge/prepaid" || p.signin != DefaultSigninPath || p.status != DefaultStatusPath {
		t.Fatalf("paths %+v", p)
	}
	c.Extensions = []string{ExtLegacyAuth, ExtStatus, ExtBalance}
	if p := c.paths(); p.status != DefaultLegacyStatusPath || p.balance != DefaultLegacyBalancePath {
		t.Fatalf("legacy paths %+v", p)
	}
}

func TestDefaults(t *testing.T) {
	c := minimal()
	if c.rechargeType() != "1" { // seed L8
		t.Fatal("recharge_type does not default to the seed's 1")
	}
	lo, hi := c.bounds(Operator{})
	if lo.String() != "10" || hi.String() != "5000" {
		t.Fatalf("bounds %s..%s", lo, hi)
	}
}
