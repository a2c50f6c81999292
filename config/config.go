// Package config reads the kiosk's TOML configuration. Every problem is
// reported with file, line and key, and a configuration with any problem is
// refused whole: the kiosk never starts half-configured.
package config

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"kiosk/money"
	"kiosk/operators"
)

// Config is the whole configuration.
type Config struct {
	Shop     Shop     `toml:"shop"`
	Terminal Terminal `toml:"terminal"`
	Journal  Journal  `toml:"journal"`
	Sale     Sale     `toml:"sale"`
	UI       UI       `toml:"ui"`
	Printer  Printer  `toml:"printer"`
	Webhook  Webhook  `toml:"webhook"`
	EOD      EOD      `toml:"eod"`
	// HeadOffice is optional: without it nothing is shipped.
	HeadOffice HeadOffice `toml:"head_office"`
	Backup     Backup     `toml:"backup"`

	// Favourites are the hot keys (alt+1 … alt+9) of the catalogue. With
	// none configured, the best sellers of the last 30 days are offered.
	Favourites []Favourite `toml:"favourites"`
	// Presets are amounts offered (ctrl+s) for range-priced products, by
	// brand ("Yemen Mobile") or product key ("alqimah/topup-yemen_mobile").
	Presets map[string][]string `toml:"presets"`
	// LowBalance warns in the status bar when a provider's balance falls
	// below this amount (in the balance's own currency), by provider id.
	LowBalance map[string]string `toml:"low_balance"`
	// Operators are numbering plans for network detection; a table for a
	// country code replaces the built-in one (Yemen; a sample for India).
	Operators []operators.Table `toml:"operators"`

	// Providers holds each [providers.NAME] section undecoded; the provider's
	// own package decodes it with DecodeProvider.
	Providers map[string]toml.Primitive `toml:"providers"`

	// Path is the file read, or "" for the built-in defaults.
	Path string `toml:"-"`

	md    toml.MetaData
	lines map[string]int
	text  string // the file as read, for the price list (package pricing)
}

// Text is the configuration file as it was read ("" for the defaults).
// The [[prices]] and [[fees]] tables are read from it by package pricing,
// which reports their problems with their lines.
func (c *Config) Text() string { return c.text }

// Webhook is the optional listener for Al-Qimah's status callbacks. It is
// off unless Listen is set.
type Webhook struct {
	Listen string `toml:"listen"`  // "127.0.0.1:8710", behind a TLS reverse proxy
	KeyEnv string `toml:"key_env"` // environment variable holding 64 hex digits
}

// Backup is where closing the day backs the journal up (backup.go).
type Backup struct {
	Dir  string `toml:"dir"`  // absolute path; empty: no automatic backup
	Keep int    `toml:"keep"` // copies kept in Dir; older ones are removed
}

// Favourite is one hot key of the catalogue.
type Favourite struct {
	Key      int    `toml:"key"` // 1–9: alt+1 … alt+9
	Provider string `toml:"provider"`
	Product  string `toml:"product"`
}

// Shop is printed on receipts.
type Shop struct {
	Name string `toml:"name"`
}

// Terminal identifies this kiosk to the providers.
type Terminal struct {
	Number int    `toml:"number"` // 1–999; the first digits of every sale reference
	ID     string `toml:"id"`     // sent as terminal id where a provider takes one
	// TimeZone is the terminal's IANA zone ("Asia/Aden"); default the
	// machine's. Business days and receipts use it.
	TimeZone string `toml:"time_zone"`
	// DayCutoff is the hour (0–23) at which the business day turns.
	DayCutoff int `toml:"day_cutoff"`
	// Location is TimeZone loaded.
	Location *time.Location `toml:"-"`
}

// Journal says where the journal and its PIN key live.
type Journal struct {
	Path    string `toml:"path"`
	KeyFile string `toml:"key_file"`
	KeyEnv  string `toml:"key_env"`
}

// Sale holds the timing rules of a sale.
type Sale struct {
	Timeout        Duration `toml:"timeout"`          // one purchase request
	InFlightWindow Duration `toml:"in_flight_window"` // after this, "not found" means never sold
	CatalogMaxAge  Duration `toml:"catalog_max_age"`  // refresh a cached catalogue older than this
}

// UI holds screen settings.
type UI struct {
	Language string   `toml:"language"`  // "en" or "ar"
	IdleLock Duration `toml:"idle_lock"` // lock after this long without a key (once clerks are set up); "0s" never
	// Bidi is who puts Arabic in display order: "terminal" (default; most
	// modern terminals) or "app" (for terminals that show it left to right).
	Bidi string `toml:"bidi"`
}

// EOD holds the end of day's settings.
type EOD struct {
	// BlindCount hides what the drawer should hold until the cash count
	// is entered: the day's sums are not shown before it.
	BlindCount bool `toml:"blind_count"`
}

// Printer says where receipts go.
type Printer struct {
	// Target is "file:/path", "device:/dev/usb/lp0" or "tcp:HOST:9100";
	// empty: no printer (print shows the receipt on screen).
	Target string `toml:"target"`
	Paper  string `toml:"paper"` // "58" or "80" (mm)
	// RevealPINs keeps PINs in full in a file target; they are masked
	// otherwise, since the journal keeps them encrypted.
	RevealPINs bool `toml:"reveal_pins"`
	// Encoding is how an ESC/POS printer gets a receipt: "auto" (text when
	// every character is Latin-1, else an image: most printers neither take
	// UTF-8 nor join Arabic), "raster" (always an image) or "text" (always
	// UTF-8, for a printer that shapes Arabic itself).
	Encoding string `toml:"encoding"`
}

// ProviderCommon are the keys every [providers.NAME] section may have
// besides the provider's own.
type ProviderCommon struct {
	Enabled *bool `toml:"enabled"`
	Sandbox bool  `toml:"sandbox"` // run the built-in sandbox for this provider
}

// Duration is a time.Duration written as "30s" or "2m".
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like 30s or 2m", b)
	}
	if v < 0 {
		return fmt.Errorf("duration %q is negative", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Defaults returns the configuration used when there is no file: every
// provider on its built-in sandbox.
func Defaults() *Config {
	c := &Config{lines: map[string]int{}}
	c.applyDefaults()
	return c
}

func (c *Config) applyDefaults() {
	if c.Shop.Name == "" {
		c.Shop.Name = "Kiosk"
	}
	if c.Terminal.Number == 0 {
		c.Terminal.Number = 1
	}
	if c.Terminal.Location == nil {
		c.Terminal.Location = time.Local
	}
	if c.Terminal.ID == "" {
		c.Terminal.ID = fmt.Sprintf("T%03d", c.Terminal.Number)
	}
	if c.Journal.Path == "" {
		c.Journal.Path = filepath.Join(DataDir(), "journal.db")
	}
	if c.Journal.KeyFile == "" && c.Journal.KeyEnv == "" {
		c.Journal.KeyFile = filepath.Join(DataDir(), "journal.key")
	}
	if c.Sale.Timeout.Duration == 0 {
		c.Sale.Timeout.Duration = 30 * time.Second
	}
	if c.Sale.InFlightWindow.Duration == 0 {
		c.Sale.InFlightWindow.Duration = c.Sale.Timeout.Duration + time.Minute
	}
	if c.Sale.CatalogMaxAge.Duration == 0 {
		c.Sale.CatalogMaxAge.Duration = 24 * time.Hour
	}
	if c.UI.Language == "" {
		c.UI.Language = "en"
	}
	if c.UI.IdleLock.Duration == 0 && !c.md.IsDefined("ui", "idle_lock") {
		c.UI.IdleLock.Duration = 5 * time.Minute
	}
	if c.Printer.Paper == "" {
		c.Printer.Paper = "80"
	}
	c.HeadOffice.applyDefaults()
}

// DataDir is where the journal lives by default: $XDG_DATA_HOME/kiosk or
// ~/.local/share/kiosk.
func DataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "kiosk")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "kiosk")
	}
	return "kiosk-data"
}

// DefaultPath is where the configuration is looked for when --config is not
// given: $XDG_CONFIG_HOME/kiosk/config.toml or ~/.config/kiosk/config.toml.
func DefaultPath() string {
	d, err := os.UserConfigDir()
	if err != nil {
		return "config.toml"
	}
	return filepath.Join(d, "kiosk", "config.toml")
}

// MaxFileSize bounds the configuration file. Ours are a few kilobytes; a
// path given by mistake (a log, a journal, /dev/zero) is refused instead of
// being read whole into memory.
const MaxFileSize = 1 << 20

// Load reads and checks a configuration file. Unknown keys are found only
// after the providers have decoded their sections: call Finish then.
func Load(path string) (*Config, error) {
	text, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, string(text))
}

// readFile reads path, and refuses a file longer than MaxFileSize having
// read no more than one byte beyond it.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	defer f.Close()
	text, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if len(text) > MaxFileSize {
		return nil, fmt.Errorf("config %s: is larger than %d MiB; a configuration file is a few kilobytes: is this the right file?", path, MaxFileSize>>20)
	}
	return text, nil
}

// Parse reads configuration text; path is only for messages.
func Parse(path, text string) (*Config, error) {
	c := &Config{Path: path, lines: keyLines(text), text: text}
	md, err := toml.Decode(text, c)
	if err != nil {
		return nil, c.decodeError(err)
	}
	c.md = md
	if err := c.check(); err != nil {
		return nil, err
	}
	c.applyDefaults()
	return c, nil
}

func (c *Config) check() error {
	var errs []error
	if n := c.Terminal.Number; c.md.IsDefined("terminal", "number") && (n < 1 || n > 999) {
		errs = append(errs, c.Errorf("terminal.number", "must be between 1 and 999, got %d", n))
	}
	if h := c.Terminal.DayCutoff; h < 0 || h > 23 {
		errs = append(errs, c.Errorf("terminal.day_cutoff", "must be an hour from 0 to 23, got %d", h))
	}
	c.Terminal.Location = time.Local
	if tz := c.Terminal.TimeZone; tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			errs = append(errs, c.Errorf("terminal.time_zone", "%q is not a known time zone (like Asia/Aden)", tz))
		} else {
			c.Terminal.Location = loc
		}
	}
	if b := c.UI.Bidi; b != "" && b != "terminal" && b != "app" {
		errs = append(errs, c.Errorf("ui.bidi", "must be \"terminal\" or \"app\", got %q", b))
	}
	if l := c.UI.Language; l != "" && l != "en" && l != "ar" {
		errs = append(errs, c.Errorf("ui.language", "must be \"en\" or \"ar\", got %q", l))
	}
	seenKey := map[int]bool{}
	for i, f := range c.Favourites {
		key := fmt.Sprintf("favourites[%d]", i)
		switch {
		case f.Key < 1 || f.Key > 9:
			errs = append(errs, c.Errorf("favourites", "%s: key must be 1 to 9 (alt+1 … alt+9), got %d", key, f.Key))
		case seenKey[f.Key]:
			errs = append(errs, c.Errorf("favourites", "%s: key %d is used twice", key, f.Key))
		case f.Provider == "" || f.Product == "":
			errs = append(errs, c.Errorf("favourites", "%s: provider and product are required", key))
		}
		seenKey[f.Key] = true
	}
	for brand, list := range c.Presets {
		for _, a := range list {
			if _, err := money.Parse(a); err != nil {
				errs = append(errs, c.Errorf("presets."+brand, "%q is not an amount", a))
			}
		}
	}
	for i, t := range c.Operators {
		if err := t.Validate(); err != nil {
			errs = append(errs, c.Errorf("operators", "table %d (%s): %v", i+1, t.Country, err))
		}
	}
	for id, a := range c.LowBalance {
		if _, err := money.Parse(a); err != nil {
			errs = append(errs, c.Errorf("low_balance."+id, "%q is not an amount", a))
		}
	}
	errs = append(errs, c.checkHeadOffice()...)
	errs = append(errs, c.checkBackup()...)
	for _, k := range []string{"shop.name", "terminal.id", "journal.path", "journal.key_file", "journal.key_env"} {
		parts := strings.Split(k, ".")
		if c.md.IsDefined(parts...) && c.md.Type(parts...) == "String" && c.stringAt(k) == "" {
			errs = append(errs, c.Errorf(k, "is empty; remove the line to use the default"))
		}
	}
	return errors.Join(errs...)
}

func (c *Config) stringAt(key string) string {
	switch key {
	case "shop.name":
		return c.Shop.Name
	case "terminal.id":
		return c.Terminal.ID
	case "journal.path":
		return c.Journal.Path
	case "journal.key_file":
		return c.Journal.KeyFile
	case "journal.key_env":
		return c.Journal.KeyEnv
	}
	return ""
}

// ProviderIDs lists the configured provider sections, sorted.
func (c *Config) ProviderIDs() []string {
	ids := make([]string, 0, len(c.Providers))
	for id := range c.Providers {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// DecodeProvider decodes [providers.id] into v (the provider's Config, or
// ProviderCommon). A type or value error names the file, line and key.
func (c *Config) DecodeProvider(id string, v any) error {
	prim, ok := c.Providers[id]
	if !ok {
		return nil
	}
	if err := c.md.PrimitiveDecode(prim, v); err != nil {
		return c.decodeError(err)
	}
	return nil
}

// Finish reports every key no one decoded: a typo in a key name is an error,
// never silently ignored.
func (c *Config) Finish() error {
	var errs []error
	for _, k := range c.md.Undecoded() {
		key := k.String()
		// A provider section itself is decoded in parts; only leaf keys count.
		if strings.Count(key, ".") == 1 && strings.HasPrefix(key, "providers.") {
			continue
		}
		// The price list is read, and checked key by key, by package pricing.
		if top, _, _ := strings.Cut(key, "."); top == "prices" || top == "fees" {
			continue
		}
		errs = append(errs, c.Errorf(key, "unknown key"))
	}
	return errors.Join(errs...)
}

// Errorf builds an error that points at a key: "config.toml:12: providers.x.base_url: ...".
func (c *Config) Errorf(key, format string, args ...any) error {
	return &KeyError{File: c.Path, Line: c.Line(key), Key: key, Msg: fmt.Sprintf(format, args...)}
}

// Line returns the line a key is on, or the line of its nearest section.
func (c *Config) Line(key string) int {
	for k := key; k != ""; {
		if n, ok := c.lines[k]; ok {
			return n
		}
		i := strings.LastIndex(k, ".")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

// KeyError is a configuration problem at one key.
type KeyError struct {
	File string
	Line int
	Key  string
	Msg  string
}

func (e *KeyError) Error() string {
	loc := e.File
	if loc == "" {
		loc = "config"
	}
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", loc, e.Line)
	}
	return fmt.Sprintf("%s: %s: %s", loc, e.Key, e.Msg)
}

func (c *Config) decodeError(err error) error {
	var pe toml.ParseError
	if pp := (*toml.ParseError)(nil); errors.As(err, &pp) {
		pe = *pp
	}
	if errors.As(err, &pe) || pe.Message != "" {
		key := pe.LastKey
		msg := pe.Message
		if u := errors.Unwrap(pe); u != nil {
			msg = u.Error()
		}
		line := pe.Position.Line
		if line == 0 {
			line = c.Line(key)
		}
		return &KeyError{File: c.Path, Line: line, Key: key, Msg: msg}
	}
	// Type mismatches come as plain text: "toml: line 2 (last key \"a.b\"): ...".
	if m := lastKeyRE.FindStringSubmatch(err.Error()); m != nil {
		return &KeyError{File: c.Path, Line: c.Line(m[1]), Key: m[1], Msg: m[2]}
	}
	return fmt.Errorf("%s: %w", c.Path, err)
}

var lastKeyRE = regexp.MustCompile(`\(last key "([^"]*)"\): (.*)$`)

// CheckURL checks a base URL key: http or https with a host.
func (c *Config) CheckURL(key, raw string) error {
	if raw == "" {
		return c.Errorf(key, "missing value: set the provider's base URL")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c.Errorf(key, "%q is not an http(s) URL with a host", raw)
	}
	return nil
}
