package logs

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"kiosk/clock"
	"kiosk/secret"
)

// voucher stands for a struct holding a PIN: printed with %+v it would
// show every field.
type voucher struct {
	Serial, PIN string
}

// TestNoSecretReachesTheLog logs secrets, PINs and customer numbers every
// way a caller might, and scans the output for them.
func TestNoSecretReachesTheLog(t *testing.T) {
	const (
		pin      = "EBC238AQZQZQKTLS"
		numPIN   = "83920174650193"
		dashPIN  = "8392-0174-6501"
		customer = "771234567"
		intl     = "00967771234567"
		pass     = "hunter2-Pa55"
		token    = "eyJhbGciOi.J9x7Qm3Zk1"
	)
	tests := []struct {
		name   string
		log    func(*slog.Logger)
		never  []string
		always []string
	}{
		{"typed customer is masked", func(l *slog.Logger) {
			l.Info("sale step", Step("purchase"), Ref("0014950500000001"), Customer(customer))
		}, []string{customer}, []string{"customer=******567", "ref=0014950500000001", "step=purchase"}},
		{"customer built by hand is masked too", func(l *slog.Logger) {
			l.Info("sale step", slog.String(KeyCustomer, intl))
		}, []string{intl, customer}, []string{"customer=***********567"}},
		{"secret keys are redacted whatever their value", func(l *slog.Logger) {
			l.Info("login", slog.String("password", pass), slog.String("pin", pin), slog.String("secret_key", pass),
				slog.String("api-key", token), slog.String("AccessToken", token), slog.Int("pin2", 1234), slog.String("Authorization", "Bearer "+token))
		}, []string{pass, pin, token, "1234"}, []string{"password=" + Redacted, "pin2=" + Redacted}},
		{"secret.Value stays redacted", func(l *slog.Logger) {
			l.Info("config", slog.Any("credential", secret.New(pass)), slog.Any("value", secret.New(pass)))
		}, []string{pass}, []string{"value=" + Redacted}},
		{"a struct is not printed", func(l *slog.Logger) {
			l.Info("sale", slog.Any("voucher", voucher{Serial: "101000000001", PIN: pin}), slog.Any("ptr", &voucher{PIN: pin}))
		}, []string{pin, "101000000001"}, []string{"not logged"}},
		{"a group's members are checked", func(l *slog.Logger) {
			l.Info("sale", slog.Group("voucher", slog.String("pin", pin), slog.String("serial", "101000000001")))
		}, []string{pin, "101000000001"}, []string{"voucher.pin=" + Redacted, "voucher.serial=*********001"}},
		{"With attributes are checked", func(l *slog.Logger) {
			l.With(slog.String("token", token)).WithGroup("g").Info("x", slog.String("note", "customer "+customer))
		}, []string{token, customer}, []string{"token=" + Redacted}},
		{"free text: PINs and numbers masked", func(l *slog.Logger) {
			l.Warn("purchase failed", Err(fmt.Errorf("sale for %s gave PIN %s and %s, card %s", customer, pin, numPIN, dashPIN)))
		}, []string{customer, pin, numPIN, dashPIN, "0174"}, []string{"******567", "*************TLS", "***********193", "*********501"}},
		{"free text: URL query, user and fragment", func(l *slog.Logger) {
			l.Warn("transport", Err(errors.New(`Post "https://user:`+pass+`@api.example.test/v1/buy?token=`+token+`&x=1#`+pin+`": EOF`)))
		}, []string{pass, token, pin, "user"}, []string{"https://api.example.test/v1/buy?" + Redacted}},
		{"free text: key=value and JSON secrets", func(l *slog.Logger) {
			l.Warn("answer", Note(`{"password":"`+pass+`","pin": "`+pin+`"} sign=abc123def secret_key: `+pass+` Bearer `+token))
		}, []string{pass, pin, token, "abc123def"}, []string{`\"password\":\"` + Redacted + `\"`, `\"pin\": \"` + Redacted, "Bearer " + Redacted}},
		{"free text: unquoted JSON value, Basic credentials, a key at the start", func(l *slog.Logger) {
			l.Warn("answer", Note(`token=abcdefghij {"pin":4821} Authorization: Basic dXNlcjpwYXNzd29yZA==`))
		}, []string{"abcdefghij", "4821", "dXNlcjpwYXNzd29yZA=="}, []string{"token=" + Redacted, `\"pin\":` + Redacted + "}", "Authorization: " + Redacted}},
		{"the message itself is scrubbed", func(l *slog.Logger) {
			l.Info("sold " + pin + " to " + customer)
		}, []string{pin, customer}, []string{"******567"}},
		{"control and escape sequences removed", func(l *slog.Logger) {
			l.Warn("provider said", Note("\x1b]0;owned\a\x1b[2Jbad\u202eevil"), Code("E\x1b[31m1"))
		}, []string{"\x1b", "\a", "\u202e", `\x1b`, `\u202e`}, []string{"code=E[31m1", "]0;owned[2Jbadevil"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			tt.log(slog.New(NewHandler(&buf, Options{})))
			out := buf.String()
			for _, s := range tt.never {
				if strings.Contains(out, s) {
					t.Errorf("log holds %q:\n%s", s, out)
				}
			}
			for _, s := range tt.always {
				if !strings.Contains(out, s) {
					t.Errorf("log lacks %q:\n%s", s, out)
				}
			}
		})
	}
}

// TestTypedAttributesAreKept: the identifiers support needs come through
// untouched.
func TestTypedAttributesAreKept(t *testing.T) {
	var buf bytes.Buffer
	f := clock.NewFake(clock.Start)
	l := slog.New(NewHandler(&buf, Options{Now: f.Now}))
	l.Warn("provider error", Step("status"), Ref("0014950500000001"), Provider("bitaqaty"), Product("2862"),
		State("in_doubt"), Op("status"), Code("1000404"), Outcome("unknown"), Took(1234567891), Clerk("amal"), By("boss"))
	want := `time=2026-11-24T10:00:00.000+03:00 level=WARN msg="provider error" step=status ref=0014950500000001 provider=bitaqaty product=2862 state=in_doubt op=status code=1000404 outcome=unknown took_ms=1234.567 clerk=amal by=boss` + "\n"
	if buf.String() != want {
		t.Errorf("line\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestScrubLeavesPlainText(t *testing.T) {
	tests := []string{
		"dial tcp 127.0.0.1:8700: connect: connection refused",
		"bitaqaty purchase [OUT_OF_STOCK]: product is out of stock",
		"the business day 2026-11-24 is closed",
		"key file /var/lib/kiosk/journal.key is missing",
		"https://api.example.test/v1/products",
		"took 250ms after 3 attempts",
	}
	for _, s := range tests {
		if got := Scrub(s); got != s {
			t.Errorf("Scrub(%q) = %q, want it unchanged", s, got)
		}
	}
}

// pinLikeRE finds what the scrubber exists to hide, for FuzzScrub.
var pinLikeRE = regexp.MustCompile(`\d{7,}`)

// FuzzScrub: whatever the text, the scrubbed text holds no control
// character and no run of seven digits.
func FuzzScrub(f *testing.F) {
	for _, s := range []string{"sold 771234567", "\x1b[2J\x1b]0;x\a", "pin=1234 https://u:p@h/x?t=1", "1 2 3 4 5 6 7 8", "٧٧١٢٣٤٥٦٧"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Scrub(s)
		if out != stripControls(out) {
			t.Fatalf("Scrub(%q) = %q keeps a control character", s, out)
		}
		if m := pinLikeRE.FindString(out); m != "" {
			t.Fatalf("Scrub(%q) = %q keeps the digits %s", s, out, m)
		}
	})
}
