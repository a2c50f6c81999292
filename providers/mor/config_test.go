package mor

import (
	"fmt"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"kiosk/money"
	"kiosk/secret"
)

func TestConfigValidate(t *testing.T) {
	good := func() Config { return simConfig("https://mor.example.com") }
	tests := []struct {
		name string
		edit func(*Config)
		key  string
	}{
		{"ok", func(*Config) {}, ""},
		{"no url", func(c *Config) { c.BaseURL = "" }, "base_url"},
		{"ftp url", func(c *Config) { c.BaseURL = "ftp://x" }, "base_url"},
		{"no host", func(c *Config) { c.BaseURL = "http://" }, "base_url"},
		{"no user", func(c *Config) { c.Username = " " }, "username"},
		{"no secret", func(c *Config) { c.SecretKey = secret.Value{} }, "secret_key"},
		{"bad email", func(c *Config) { c.Email = "nobody" }, "email"},
		{"no groups", func(c *Config) { c.CardGroups = nil }, "card_groups"},
		{"bad id", func(c *Config) { c.CardGroups[0].ID = "six" }, "card_groups[0].id"},
		{"twice", func(c *Config) { c.CardGroups[1].ID = "6" }, "card_groups[1].id"},
		{"no price", func(c *Config) { c.CardGroups[2].Price = money.Zero }, "card_groups[2].price"},
		{"no currency", func(c *Config) { c.CardGroups[0].Currency = "" }, "card_groups[0].currency"},
		{"huge quantity", func(c *Config) { c.CardGroups[0].MaxQuantity = 1000 }, "card_groups[0].max_quantity"},
		{"access number written as people do", func(c *Config) { c.CardGroups[0].AccessNumber = "+1 (800) 555-0100" }, ""},
		{"no access number", func(c *Config) { c.CardGroups[0].AccessNumber = "" }, ""},
		{"access number with letters", func(c *Config) { c.CardGroups[1].AccessNumber = "1-800-CALLNOW" }, "card_groups[1].access_number"},
		{"access number too short", func(c *Config) { c.CardGroups[1].AccessNumber = "+1" }, "card_groups[1].access_number"},
		{"no extensions", func(c *Config) { c.Extensions = []string{} }, ""},
		{"ref-header", func(c *Config) { c.Extensions = []string{ExtRefHeader} }, ""},
		// The simulator's calling_cards_get is not one the client uses.
		{"calling_cards_get", func(c *Config) { c.Extensions = []string{"calling_cards_get"} }, "extensions"},
		{"unknown extension", func(c *Config) { c.Extensions = []string{"transactions"} }, "extensions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
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
			if tt.key == "extensions" && (!strings.Contains(err.Error(), fmt.Sprintf("%q", c.Extensions[0])) || !strings.Contains(err.Error(), "known:")) {
				t.Fatalf("err = %v, want the name and the known ones", err)
			}
			if strings.Contains(err.Error(), "456789") {
				t.Fatal("secret in error")
			}
		})
	}
}

func TestConfigTOML(t *testing.T) {
	const doc = `
base_url = "http://mor.example.com"
username = "shop"
secret_key = "456789"
extensions = []
[[card_groups]]
id = 6
name = "Calling card 5 USD"
price = "5.00"
currency = "USD"
max_quantity = 5
[[card_groups]]
id = "7"
name = "Calling card 10 USD"
price = "10"
cost = "9.25"
currency = "usd"
`
	var c Config
	if _, err := toml.Decode(doc, &c); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	g := c.CardGroups
	if g[0].ID != "6" || g[1].ID != "7" || g[1].unitCost().String() != "9.25" || g[0].unitCost().String() != "5" || g[1].maxQty() != 1 {
		t.Fatalf("groups = %+v", g)
	}
	if c.SecretKey.Reveal() != "456789" {
		t.Fatal("secret not read")
	}
}
