package config

import (
	"strings"
	"testing"
	"time"
)

func TestHeadOfficeSection(t *testing.T) {
	const pw = "hq-Secret-77"
	t.Setenv("KIOSK_TEST_HQ_URL", "postgres://kiosk:"+pw+"@hq.example.com:5432/chain")
	tests := []struct {
		name    string
		text    string
		wantErr string // "" for a good section
		enabled bool
		batch   int
	}{
		{"absent: nothing shipped", "[shop]\nname = \"x\"\n", "", false, 0},
		{"from the environment, defaults", "[head_office]\nurl = \"env:KIOSK_TEST_HQ_URL\"\n", "", true, 1000},
		{"written out, with settings", "[head_office]\nurl = \"postgresql://kiosk:" + pw + "@10.0.0.5/chain\"\nbatch_size = 250\ninterval = \"1m\"\n", "", true, 250},
		{"no url", "[head_office]\nbatch_size = 10\n", "k.toml:1: head_office.url: missing value", false, 0},
		{"unset variable", "[head_office]\nurl = \"env:KIOSK_TEST_HQ_UNSET\"\n", "k.toml:2: head_office.url: environment variable KIOSK_TEST_HQ_UNSET is not set", false, 0},
		{"not PostgreSQL", "[head_office]\nurl = \"mysql://kiosk:" + pw + "@h/chain\"\n", "k.toml:2: head_office.url: is not a PostgreSQL URL", false, 0},
		{"no database", "[head_office]\nurl = \"postgres://kiosk:" + pw + "@h:5432\"\n", "head_office.url: is not a PostgreSQL URL", false, 0},
		{"bad batch", "[head_office]\nurl = \"env:KIOSK_TEST_HQ_URL\"\nbatch_size = -1\n", "k.toml:3: head_office.batch_size: must be 1 to 10000", false, 0},
		{"zero interval", "[head_office]\nurl = \"env:KIOSK_TEST_HQ_URL\"\ninterval = \"0s\"\n", "k.toml:3: head_office.interval: must be more than 0s", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("k.toml", tt.text)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), pw) {
					t.Errorf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Finish(); err != nil {
				t.Fatal(err)
			}
			h := c.HeadOffice
			if h.Enabled() != tt.enabled || h.BatchSize != tt.batch {
				t.Errorf("enabled %v, batch %d; want %v, %d", h.Enabled(), h.BatchSize, tt.enabled, tt.batch)
			}
			if tt.enabled && (h.Timeout.Duration != 10*time.Second || h.WarnAfter.Duration != 5*time.Minute || h.Interval.Duration == 0) {
				t.Errorf("defaults: %+v", h)
			}
			if strings.Contains(strings.Join([]string{h.URL.String(), c.HeadOffice.URL.GoString()}, " "), pw) {
				t.Error("the URL prints its password")
			}
		})
	}
}

func TestHeadOfficeUnknownKey(t *testing.T) {
	t.Setenv("KIOSK_TEST_HQ_URL", "postgres://k:p@h/db")
	c, err := Parse("k.toml", "[head_office]\nurl = \"env:KIOSK_TEST_HQ_URL\"\nbatchsize = 5\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Finish(); err == nil || !strings.Contains(err.Error(), "k.toml:3: head_office.batchsize: unknown key") {
		t.Fatalf("Finish = %v", err)
	}
}
