package dtone

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"kiosk/providers"
	"kiosk/secret"
)

// The section written for config.example.toml decodes into Config, key for key.
func TestConfigFromTOML(t *testing.T) {
	t.Setenv("DTONE_API_KEY", "key-from-env")
	t.Setenv("DTONE_API_SECRET", "secret-from-env")
	const section = `
base_url   = "https://gs-api.dtone.com/v1.1"
api_key    = "env:DTONE_API_KEY"
api_secret = "env:DTONE_API_SECRET"
simulation = true
operators  = [1959, 2184]
countries  = ["756", "GT"]
services   = [1, 7]
extensions = ["countries", "transactions", "lookup"]
`
	var cfg Config
	md, err := toml.Decode(section, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(md.Undecoded()) != 0 {
		t.Fatalf("undecoded keys %v", md.Undecoded())
	}
	if cfg.APIKey.Reveal() != "key-from-env" || cfg.APISecret.Reveal() != "secret-from-env" || !cfg.Simulation ||
		strings.Join(cfg.Countries, ",") != "756,GT" || len(cfg.Operators) != 2 || cfg.Operators[1] != 2184 ||
		len(cfg.Services) != 2 || strings.Join(cfg.Extensions, ",") != "countries,transactions,lookup" {
		t.Fatalf("cfg = %+v", cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigValidate(t *testing.T) {
	good := Config{BaseURL: "https://gs-api.dtone.com/v1.1", APIKey: secret.New("k"), APISecret: secret.New("s"), Operators: []int{1959}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		key    string
		change func(*Config)
		says   string
	}{
		{"no base_url", "base_url", func(c *Config) { c.BaseURL = "" }, ""},
		{"not http", "base_url", func(c *Config) { c.BaseURL = "ftp://x" }, ""},
		{"no host", "base_url", func(c *Config) { c.BaseURL = "https://" }, ""},
		{"no api_key", "api_key", func(c *Config) { c.APIKey = secret.Value{} }, ""},
		{"no api_secret", "api_secret", func(c *Config) { c.APISecret = secret.Value{} }, ""},
		{"a country name", "countries", func(c *Config) { c.Countries = []string{"Guatemala"} }, ""},
		{"an empty country", "countries", func(c *Config) { c.Countries = []string{""} }, ""},
		{"an ISO code without the countries extension", "countries", func(c *Config) { c.Countries = []string{"GT"} }, `"countries" to extensions`},
		{"operator 0", "operators", func(c *Config) { c.Operators = []int{0} }, ""},
		{"service 0", "services", func(c *Config) { c.Services = []int{-1} }, ""},
		{"an unknown extension", "extensions", func(c *Config) { c.Extensions = []string{"transactions", "refunds"} }, "known: countries, services, operators, transactions, lookup"},
		{"the simulator's ping is not the client's", "extensions", func(c *Config) { c.Extensions = []string{"ping"} }, `"ping"`},
		{"no catalogue source", "operators", func(c *Config) { c.Operators = nil }, "countries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.change(&c)
			err := c.Validate()
			if err == nil || !strings.HasPrefix(err.Error(), tt.key+":") || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("want an error naming %s, got %v", tt.key, err)
			}
			if _, err := New(c, nil); err == nil {
				t.Errorf("New accepted it")
			}
		})
	}
	ok := []func(*Config){
		func(c *Config) { c.Operators, c.Countries = nil, []string{"756"} },
		func(c *Config) { c.Operators, c.Services = nil, []int{1} },
		func(c *Config) { c.Operators, c.Extensions = nil, []string{"countries"} },
		func(c *Config) { c.Operators, c.Extensions = nil, []string{"services"} },
		func(c *Config) { c.Operators, c.Extensions = nil, []string{"operators"} },
		func(c *Config) { c.Countries, c.Extensions = []string{"gt"}, []string{"countries"} },
	}
	for i, change := range ok {
		c := good
		change(&c)
		if err := c.Validate(); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
}

// Capabilities follow the extensions: a look-up only with lookup.
func TestCapabilitiesFollowTheExtensions(t *testing.T) {
	base := Config{BaseURL: "https://gs-api.dtone.com/v1.1", APIKey: secret.New("k"), APISecret: secret.New("s"), Operators: []int{1959}}
	for _, ext := range [][]string{nil, {"transactions"}, {"countries", "services", "operators", "transactions"}, {"lookup"}, Extensions} {
		cfg := base
		cfg.Extensions = ext
		p, err := New(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, status := p.(providers.StatusChecker)
		if status != cfg.Has(ExtLookup) {
			t.Errorf("%v: StatusChecker %v", ext, status)
		}
		if _, ok := p.(providers.Suggester); !ok {
			t.Errorf("%v: no Suggester", ext)
		}
		if _, ok := p.(providers.BalanceChecker); ok {
			t.Errorf("%v: a balance DT One's document does not have", ext)
		}
	}
}
