// Package sandboxes runs every provider's sandbox on one loopback server,
// each under its own path (/bitaqaty, /dtone, /alqimah, /mor, /india). It
// backs the app when there is no configuration, `kiosk sandbox`, and the
// end-to-end and crash tests.
package sandboxes

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"kiosk/providers/alqimah"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/dtone"
	"kiosk/providers/india"
	"kiosk/providers/mor"
	"kiosk/providers/sandboxkit"
)

// IDs lists the providers in the order the app shows them.
var IDs = []string{bitaqaty.ID, alqimah.ID, dtone.ID, india.ID, mor.ID}

// Set is the five sandboxes behind one server.
type Set struct {
	URL      string // server root, "http://127.0.0.1:PORT"
	Bitaqaty *bitaqaty.Sandbox
	DTOne    *dtone.Sandbox
	AlQimah  *alqimah.Sandbox
	MOR      *mor.Sandbox
	India    *india.Sandbox
	server   *sandboxkit.Server
}

// Start serves all five on addr ("127.0.0.1:0" for any free port).
func Start(addr string) (*Set, error) {
	s := &Set{
		Bitaqaty: bitaqaty.NewSandbox(),
		DTOne:    dtone.NewSandbox(),
		AlQimah:  alqimah.NewSandbox(),
		MOR:      mor.NewSandbox(),
		India:    india.NewSandbox(),
	}
	srv, err := sandboxkit.Start(addr, sandboxkit.Mount(map[string]http.Handler{
		bitaqaty.ID: s.Bitaqaty, dtone.ID: s.DTOne, alqimah.ID: s.AlQimah, mor.ID: s.MOR, india.ID: s.India,
	}))
	if err != nil {
		return nil, err
	}
	s.server, s.URL = srv, srv.URL
	return s, nil
}

// SetClock sets the clock every sandbox dates its answers by; tests fix it
// so that no answer (a voucher's expiry, a sale's time) depends on the day.
func (s *Set) SetClock(now func() time.Time) {
	s.Bitaqaty.SetClock(now)
	s.DTOne.SetClock(now)
	s.AlQimah.SetClock(now)
}

// Close stops the server.
func (s *Set) Close() error { return s.server.Close() }

// BaseURL is where a provider's sandbox answers.
func (s *Set) BaseURL(id string) string { return s.URL + "/" + id }

// Faults returns a provider's fault switches.
func (s *Set) Faults(id string) (*sandboxkit.Faults, error) {
	switch id {
	case bitaqaty.ID:
		return s.Bitaqaty.Faults, nil
	case dtone.ID:
		return s.DTOne.Faults, nil
	case alqimah.ID:
		return s.AlQimah.Faults, nil
	case mor.ID:
		return s.MOR.Faults, nil
	case india.ID:
		return s.India.Faults, nil
	}
	return nil, fmt.Errorf("no sandbox named %q (known: %s)", id, strings.Join(IDs, ", "))
}

// Charged is how many times the provider's sandbox committed a purchase
// under ref: the crash tests' "never charged twice" check.
func (s *Set) Charged(id, ref string) int {
	switch id {
	case bitaqaty.ID:
		return s.Bitaqaty.Charged(ref)
	case dtone.ID:
		return s.DTOne.Charged(ref)
	case alqimah.ID:
		return s.AlQimah.Charged(ref)
	case mor.ID:
		return s.MOR.Charged(ref)
	case india.ID:
		return s.India.Charged(ref)
	}
	return 0
}

// Credentials describes each sandbox's URL and credentials for people.
func (s *Set) Credentials() string {
	var b strings.Builder
	lines := map[string]string{
		bitaqaty.ID: s.Bitaqaty.Credentials(), dtone.ID: s.DTOne.Credentials(), alqimah.ID: s.AlQimah.Credentials(),
		mor.ID: s.MOR.Credentials(), india.ID: s.India.Credentials(),
	}
	for _, id := range IDs {
		fmt.Fprintf(&b, "%-9s %s\n          %s\n", id, s.BaseURL(id), lines[id])
	}
	return b.String()
}
