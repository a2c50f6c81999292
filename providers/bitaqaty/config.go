// Package bitaqaty is the client and sandbox for the Bitaqaty Business
// reseller API (Reseller Integration V2): vouchers, bills and top-ups sold
// from a prepaid SAR balance.
package bitaqaty

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"kiosk/secret"
)

// ID names the provider in config, journal and CLI.
const ID = "bitaqaty"

const defaultCurrency = "SAR"

// Config is the [providers.bitaqaty] section.
type Config struct {
	BaseURL    string       `toml:"base_url"` // https://apis.bitaqatybusiness.com (staging https://bbapi.ocstaging.net)
	Username   string       `toml:"username"` // reseller username
	SecretKey  secret.Value `toml:"secret_key"`
	TerminalID string       `toml:"terminal_id"` // optional, sent with purchases and bill payments

	// Secured switches to the secured-integration variant, where requests are
	// RSA-encrypted for Bitaqaty and answers for the reseller.
	Secured                bool   `toml:"secured"`
	Padding                string `toml:"padding"` // pkcs1v15 (default), oaep-sha1, oaep-sha256, oaep-sha256-mgf1sha1
	BitaqatyPublicKeyFile  string `toml:"bitaqaty_public_key_file"`
	ResellerPrivateKeyFile string `toml:"reseller_private_key_file"`

	// Sandbox marks a configuration that talks to a sandbox, shown on screen.
	Sandbox bool `toml:"sandbox"`
}

// Validate checks the configuration and names the bad key.
func (c Config) Validate() error {
	u, err := url.Parse(strings.TrimSpace(c.BaseURL))
	switch {
	case c.BaseURL == "":
		return errors.New("base_url: is required")
	case err != nil:
		return fmt.Errorf("base_url: %v", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("base_url: %q must start with https:// or http://", c.BaseURL)
	case u.Host == "":
		return fmt.Errorf("base_url: %q has no host", c.BaseURL)
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("base_url: %q must not have a query or fragment", c.BaseURL)
	}
	if strings.TrimSpace(c.Username) == "" {
		return errors.New("username: is required")
	}
	if c.SecretKey.IsZero() {
		return errors.New("secret_key: is required")
	}
	if len(c.TerminalID) > 255 {
		return errors.New("terminal_id: must be at most 255 characters")
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

// New checks cfg and builds a client; hc nil means a client with a 30 s
// timeout. In secured mode it loads both key files.
func New(cfg Config, hc *http.Client) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("bitaqaty config: %w", err)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
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
