package alqimah

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"kiosk/money"
	"kiosk/providers/alqimah/alqimahsim"
	"kiosk/secret"
)

// exampleTOML is the section documented for config.example.toml.
const exampleTOML = `
base_url = "https://softibs.com"
account_number = "123456"
username = "myshop"
password = "env:ALQIMAH_TEST_PASSWORD"
api_token = "env:ALQIMAH_TEST_API_TOKEN"
currency = "YER"
extensions = []

[networks.sabafon]
unit_price = "1.21"
[networks.you]
unit_price = 1.18
[networks.y_telecom]
unit_price = "1.15"
[networks.yemen_mobile]
network = 1
service = 103
max_amount = "50000"
[networks.landline]
disabled = true

[[offers]]
network = "sabafon"
code = "PREWhatsApp"
name = "WhatsApp monthly bundle"
name_ar = "باقة واتساب الشهرية"
price = "500"
`

func TestConfigTOML(t *testing.T) {
	t.Setenv("ALQIMAH_TEST_PASSWORD", "pw")
	t.Setenv("ALQIMAH_TEST_API_TOKEN", "tok")
	var c Config
	md, err := toml.Decode(exampleTOML, &c)
	if err != nil {
		t.Fatal(err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		t.Fatalf("undecoded keys: %v", u)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	nets := c.networks()
	if n := nets[YOU]; n.UnitPrice.String() != "1.18" || n.Network != 3 || n.Service != 301 {
		t.Errorf("you = %+v", n)
	}
	if n := nets[YemenMobile]; n.MaxAmount.Cmp(money.FromInt(50000)) != 0 || n.MinAmount.Cmp(money.FromInt(50)) != 0 || n.OfferService != 104 {
		t.Errorf("yemen_mobile = %+v", n)
	}
	if !nets[Landline].Disabled || nets[Games].Service != 801 {
		t.Errorf("landline/games = %+v %+v", nets[Landline], nets[Games])
	}
	if c.Password.Reveal() != "pw" || strings.Contains(c.Password.String(), "pw") {
		t.Error("password not read from env or not redacted")
	}
}

func TestConfigValidate(t *testing.T) {
	good := simConfig("http://127.0.0.1:1", nil)
	if err := good.Validate(); err != nil {
		t.Fatalf("sandbox config: %v", err)
	}
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no url", func(c *Config) { c.BaseURL = "" }, "base_url: is required"},
		{"url with a query", func(c *Config) { c.BaseURL = "https://softibs.com/?key=1" }, "base_url:"},
		{"extension", func(c *Config) { c.Extensions = []string{"status"} }, `extensions: unknown extension "status" (known: none`},
		{"ftp url", func(c *Config) { c.BaseURL = "ftp://x" }, "base_url:"},
		{"no host", func(c *Config) { c.BaseURL = "https://" }, "base_url:"},
		{"no account", func(c *Config) { c.AccountNumber = "" }, "account_number:"},
		{"no user", func(c *Config) { c.Username = " " }, "username:"},
		{"no password", func(c *Config) { c.Password = secretZero }, "password:"},
		{"no token", func(c *Config) { c.APIToken = secretZero }, "api_token:"},
		{"no unit price", func(c *Config) { c.Networks = nil }, "networks.sabafon.unit_price:"},
		{"unknown network", func(c *Config) { c.Networks["mtn"] = Network{} }, "networks.mtn: unknown network"},
		{"min over max", func(c *Config) { c.Networks[ADSL] = Network{MinAmount: money.FromInt(9), MaxAmount: money.FromInt(5)} }, "networks.adsl.max_amount:"},
		{"offer network", func(c *Config) { c.Offers[0].Network = "adsl" }, "offers[0].network:"},
		{"offer price", func(c *Config) { c.Offers[1].Price = money.Zero }, "offers[1].price:"},
		{"offer twice", func(c *Config) { c.Offers[1] = c.Offers[0] }, "offers[1].code:"},
		{"webhook", func(c *Config) { c.WebhookURL = "nope" }, "webhook_url:"},
	}
	for _, tt := range tests {
		c := simConfig("http://127.0.0.1:1", nil)
		c.Networks = map[string]Network{Sabafon: {UnitPrice: money.FromInt(1)}, YOU: {UnitPrice: money.FromInt(1)}, YTelecom: {UnitPrice: money.FromInt(1)}}
		tt.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), alqimahsim.Password) {
			t.Errorf("%s: error shows the password", tt.name)
		}
	}
	if _, err := New(Config{}, nil); err == nil {
		t.Error("New accepted an empty config")
	}
}

var secretZero secret.Value

func secretNew(s string) secret.Value { return secret.New(s) }
