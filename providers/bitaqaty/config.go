// Package bitaqaty is the client for the Bitaqaty Business reseller API
// (Reseller Integration V2, seeds/bitaqaty-business-reseller-api.txt):
// vouchers, bills and top-ups sold from a prepaid balance. Its simulator,
// written from the same document, is bitaqatysim.
//
// Every request the client sends is one the document describes; comments
// "seed L<n>" name the line. The document covers every request the kiosk
// needs, so there are no extensions.
package bitaqaty

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"kiosk/providers"
	"kiosk/secret"
)

// ID names the provider in config, journal and CLI.
const ID = "bitaqaty"

// defaultCurrency is the reseller's currency when an answer leaves it out
// and the product does not say either: the seed's amounts are all in "the
// reseller's currency" (seed L114, L225), Saudi riyals for a Saudi account.
const defaultCurrency = "SAR"

// ExtensionNames lists the extensions the client knows: none. Every
// request it sends is in the seed (PROVIDERS.md marks no Bitaqaty request
// as an extension), and bitaqatysim serves none either.
var ExtensionNames = []string{}

// Config is the [providers.bitaqaty] section.
type Config struct {
	BaseURL    string       `toml:"base_url"` // https://apis.bitaqatybusiness.com (staging https://bbapi.ocstaging.net)
	Username   string       `toml:"username"` // reseller username
	SecretKey  secret.Value `toml:"secret_key"`
	TerminalID string       `toml:"terminal_id"` // optional, sent with purchases and bill payments (seed L990, L693)

	// Extensions names requests outside the seed to send. Bitaqaty has
	// none, so the list must be empty; the key exists so that every
	// provider section reads the same way.
	Extensions []string `toml:"extensions"`

	// Secured switches to the secured-integration variant (seed L1436-L2244),
	// where requests are RSA-encrypted for Bitaqaty and answers for the
	// reseller. That variant has no bill methods: a secured kiosk sells
	// vouchers only.
	Secured                bool   `toml:"secured"`
	Padding                string `toml:"padding"` // pkcs1v15 (default), oaep-sha1, oaep-sha256, oaep-sha256-mgf1sha1
	BitaqatyPublicKeyFile  string `toml:"bitaqaty_public_key_file"`
	ResellerPrivateKeyFile string `toml:"reseller_private_key_file"`

	// Sandbox marks a configuration that talks to a sandbox, shown on screen.
	Sandbox bool `toml:"sandbox"`
}

// Validate checks the configuration and names the bad key.
func (c Config) Validate() error {
	if err := providers.CheckBaseURL(c.BaseURL); err != nil {
		return err
	}
	if strings.TrimSpace(c.Username) == "" {
		return errors.New("username: is required")
	}
	if c.SecretKey.IsZero() {
		return errors.New("secret_key: is required")
	}
	if len(c.TerminalID) > 255 { // seed L990, L693: length 255
		return errors.New("terminal_id: must be at most 255 characters")
	}
	for _, name := range c.Extensions {
		if !knownExtension(name) {
			return fmt.Errorf("extensions: unknown extension %q (known: none; Bitaqaty's document describes every request the kiosk sends)", name)
		}
	}
	if c.Padding != "" && !validPadding(c.Padding) {
		return fmt.Errorf("padding: %q is not one of %s", c.Padding, strings.Join(paddings, ", "))
	}
	if c.Secured {
		if c.BitaqatyPublicKeyFile == "" {
			return errors.New("bitaqaty_public_key_file: is required when secured = true")
		}
		if c.ResellerPrivateKeyFile == "" {
			return errors.New("reseller_private_key_file: is required when secured = true")
		}
	}
	return nil
}

func knownExtension(name string) bool {
	for _, n := range ExtensionNames {
		if n == name {
			return true
		}
	}
	return false
}

// Client talks to Bitaqaty Business. It implements providers.Provider,
// StatusChecker, BalanceChecker and Reconciler.
type Client struct {
	cfg  Config
	hc   *http.Client
	base string
	sec  *securedKeys // nil on the plain API
}

type securedKeys struct {
	bitaqaty *rsa.PublicKey
	reseller *rsa.PrivateKey
	padding  string
}

// New checks cfg and builds a client; hc nil means providers.NewHTTPClient
// (30 s). In secured mode it loads both key files.
func New(cfg Config, hc *http.Client) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("bitaqaty config: %w", err)
	}
	if hc == nil {
		hc = providers.NewHTTPClient()
	}
	c := &Client{cfg: cfg, hc: hc, base: strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")}
	if cfg.Secured {
		pub, err := loadPublicKey(cfg.BitaqatyPublicKeyFile)
		if err != nil {
			return nil, fmt.Errorf("bitaqaty config: bitaqaty_public_key_file: %w", err)
		}
		priv, err := loadPrivateKey(cfg.ResellerPrivateKeyFile)
		if err != nil {
			return nil, fmt.Errorf("bitaqaty config: reseller_private_key_file: %w", err)
		}
		p := cfg.Padding
		if p == "" {
			p = PaddingPKCS1v15
		}
		c.sec = &securedKeys{bitaqaty: pub, reseller: priv, padding: p}
	}
	return c, nil
}
