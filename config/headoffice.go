package config

import (
	"net/url"
	"time"

	"kiosk/secret"
)

// HeadOffice is the optional [head_office] section: the PostgreSQL a chain
// of kiosks reports to (package hq). Without the section nothing is
// shipped and nothing is attempted.
type HeadOffice struct {
	// URL is postgres://user:password@host:5432/database, or "env:NAME" to
	// read it from the environment. It is a secret: never shown.
	URL       secret.Value `toml:"url"`
	BatchSize int          `toml:"batch_size"` // entries per shipment
	Interval  Duration     `toml:"interval"`   // between background shipping rounds
	Timeout   Duration     `toml:"timeout"`    // one connection attempt
	// WarnAfter is how old the backlog may grow before the status bar
	// shows "head office: N to send".
	WarnAfter Duration `toml:"warn_after"`
}

// Enabled reports whether a head office is configured.
func (h *HeadOffice) Enabled() bool { return !h.URL.IsZero() }

func (h *HeadOffice) applyDefaults() {
	if !h.Enabled() {
		return
	}
	if h.BatchSize == 0 {
		h.BatchSize = 1000
	}
	if h.Interval.Duration == 0 {
		h.Interval.Duration = 30 * time.Second
	}
	if h.Timeout.Duration == 0 {
		h.Timeout.Duration = 10 * time.Second
	}
	if h.WarnAfter.Duration == 0 {
		h.WarnAfter.Duration = 5 * time.Minute
	}
}

// checkHeadOffice checks the section without ever quoting the URL: it
// holds the password.
func (c *Config) checkHeadOffice() []error {
	if !c.md.IsDefined("head_office") {
		return nil
	}
	h := &c.HeadOffice
	var errs []error
	if !h.Enabled() {
		errs = append(errs, c.Errorf("head_office.url", "missing value: the head office's PostgreSQL URL "+
			"(postgres://user:password@host:5432/database, or \"env:NAME\")"))
	} else if u, err := url.Parse(h.URL.Reveal()); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") ||
		u.Host == "" || u.Path == "" || u.Path == "/" {
		errs = append(errs, c.Errorf("head_office.url", "is not a PostgreSQL URL like postgres://user:password@host:5432/database "+
			"(the value is not shown: it holds the password)"))
	}
	if n := h.BatchSize; n < 0 || n > 10000 {
		errs = append(errs, c.Errorf("head_office.batch_size", "must be 1 to 10000, got %d", n))
	}
	for key, d := range map[string]Duration{"head_office.interval": h.Interval, "head_office.timeout": h.Timeout} {
		if c.md.IsDefined("head_office", key[len("head_office."):]) && d.Duration == 0 {
			errs = append(errs, c.Errorf(key, "must be more than 0s"))
		}
	}
	return errs
}
