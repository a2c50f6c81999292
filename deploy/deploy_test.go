// Package deploy holds the systemd unit that runs the kiosk on tty1; its
// tests check the unit with systemd's own verifier and for the promises
// the install guide makes.
package deploy

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/config"
)

const (
	unitFile = "kiosk.service"
	binary   = "/usr/local/bin/kiosk" // where the install guide puts the kiosk
)

func readUnit(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// verify runs systemd-analyze verify on a unit's text and returns every
// line it says about the unit, and its error. The verifier also checks
// that ExecStart's program exists, so the binary's path is pointed at a
// stand-in executable (never run); nothing else in the text changes.
func verify(t *testing.T, analyze, text string) ([]string, error) {
	t.Helper()
	dir := t.TempDir()
	stand := filepath.Join(dir, "kiosk")
	if err := os.WriteFile(stand, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(text, binary); n != 1 {
		t.Fatalf("the unit names %s %d times, want once (in ExecStart)", binary, n)
	}
	path := filepath.Join(dir, unitFile)
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(text, binary, stand)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", "--man=no", path).CombinedOutput()
	var about []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, unitFile) {
			about = append(about, l)
		}
	}
	return about, err
}

// TestUnitPassesSystemdAnalyze: the shipped unit draws no complaint from
// systemd-analyze verify, and the check itself catches a misspelt key and
// a bad value (which it reports only as warnings, exit status 0).
func TestUnitPassesSystemdAnalyze(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed here (Debian package systemd): the unit is not verified")
	}
	unit := readUnit(t)
	tests := []struct {
		name  string
		text  string
		clean bool
	}{
		{"as shipped", unit, true},
		{"misspelt key", strings.Replace(unit, "\nRestart=always", "\nRestrat=always", 1), false},
		{"bad value", strings.Replace(unit, "\nRestart=always", "\nRestart=sometimes", 1), false},
		{"unknown section", unit + "\n[Servce]\nUser=root\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.clean && tt.text == unit {
				t.Fatal("the broken copy is the same as the unit")
			}
			about, err := verify(t, analyze, tt.text)
			clean := err == nil && len(about) == 0
			if clean != tt.clean {
				var ee *exec.ExitError
				if err != nil && !errors.As(err, &ee) {
					t.Fatalf("systemd-analyze: %v", err)
				}
				t.Errorf("clean = %v, want %v; systemd-analyze: %v\n%s", clean, tt.clean, err, strings.Join(about, "\n"))
			}
		})
	}
}

// unit is a parsed unit file: section → key → values, in order.
type unit map[string]map[string][]string

func parse(t *testing.T, text string) unit {
	t.Helper()
	u := unit{}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "["):
			section = strings.Trim(l, "[]")
			u[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok || section == "" {
				t.Fatalf("unit line %q is not key=value in a section", l)
			}
			u[section][k] = append(u[section][k], v)
		}
	}
	return u
}

func (u unit) last(section, key string) string {
	vs := u[section][key]
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// TestUnitKeepsItsPromises: what the install guide promises of the unit.
func TestUnitKeepsItsPromises(t *testing.T) {
	u := parse(t, readUnit(t))
	sale := config.Defaults().Sale
	stop, err := time.ParseDuration(u.last("Service", "TimeoutStopSec"))
	if err != nil {
		t.Fatalf("TimeoutStopSec: %v", err)
	}
	tests := []struct {
		promise string
		ok      bool
		got     string
	}{
		{"runs as the unprivileged user kiosk", u.last("Service", "User") == "kiosk", u.last("Service", "User")},
		{"on tty1", u.last("Service", "TTYPath") == "/dev/tty1", u.last("Service", "TTYPath")},
		{"reads the keyboard of tty1", u.last("Service", "StandardInput") == "tty", u.last("Service", "StandardInput")},
		{"as a login session", u.last("Service", "PAMName") != "", u.last("Service", "PAMName")},
		{"restarted whenever it stops", u.last("Service", "Restart") == "always", u.last("Service", "Restart")},
		{"never given up on", u.last("Unit", "StartLimitIntervalSec") == "0", u.last("Unit", "StartLimitIntervalSec")},
		{"tty1's getty makes way", strings.Contains(strings.Join(u["Unit"]["Conflicts"], " "), "getty@tty1.service"), strings.Join(u["Unit"]["Conflicts"], " ")},
		{"runs the installed binary with the system configuration", u.last("Service", "ExecStart") == binary+" --config /etc/kiosk/config.toml", u.last("Service", "ExecStart")},
		{"keeps its state in /var/lib/kiosk", u.last("Service", "StateDirectory") == "kiosk", u.last("Service", "StateDirectory")},
		{"gains no privilege", u.last("Service", "NoNewPrivileges") == "yes" && u.last("Service", "CapabilityBoundingSet") == "", u.last("Service", "NoNewPrivileges")},
		{"a stop waits out a purchase and its look-up", stop >= 2*sale.Timeout.Duration+30*time.Second, stop.String()},
		{"the screen is wiped when it stops", u.last("Service", "TTYVTDisallocate") == "yes", u.last("Service", "TTYVTDisallocate")},
		{"started at boot", u.last("Install", "WantedBy") == "multi-user.target", u.last("Install", "WantedBy")},
	}
	for _, tt := range tests {
		if !tt.ok {
			t.Errorf("the unit does not keep its promise %q (it says %q)", tt.promise, tt.got)
		}
	}
}

const dropIn = "getty@tty1.service.d/autologin.conf"

// TestAutologinDropInPassesSystemdAnalyze: the getty alternative, read by
// systemd-analyze as a drop-in of the system's own getty@.service, draws
// no complaint, and the check catches a misspelt key in it.
func TestAutologinDropInPassesSystemdAnalyze(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed here (Debian package systemd): the drop-in is not verified")
	}
	getty, err := os.ReadFile("/lib/systemd/system/getty@.service")
	if err != nil {
		t.Skip("this system has no getty@.service to verify the drop-in against")
	}
	b, err := os.ReadFile(dropIn)
	if err != nil {
		t.Fatal(err)
	}
	conf := string(b)
	if !strings.Contains(conf, "--autologin kiosk ") {
		t.Fatalf("the drop-in does not log user kiosk in:\n%s", conf)
	}
	for _, tt := range []struct {
		name  string
		text  string
		clean bool
	}{
		{"as shipped", conf, true},
		{"misspelt key", conf + "Restrat=always\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "getty@.service"), getty, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(dropIn)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, dropIn), []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(analyze, "verify", "--man=no", filepath.Join(dir, "getty@tty1.service"))
			cmd.Env = append(os.Environ(), "SYSTEMD_UNIT_PATH="+dir+":") // the trailing colon keeps the system's units
			out, err := cmd.CombinedOutput()
			var about []string
			for _, l := range strings.Split(string(out), "\n") {
				if strings.Contains(l, "autologin.conf") {
					about = append(about, l)
				}
			}
			if clean := err == nil && len(about) == 0; clean != tt.clean {
				t.Errorf("clean = %v, want %v; systemd-analyze: %v\n%s", clean, tt.clean, err, out)
			}
		})
	}
}
