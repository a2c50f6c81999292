// Package sandboxes runs every provider's simulator on one loopback server,
// each under its own path (/bitaqaty, /dtone, /alqimah, /mor, /india), and
// holds the client configuration that talks to it. It backs the app when
// there is no configuration, `kiosk sandbox`, and the end-to-end and crash
// tests.
//
// Each simulator serves what its provider's seed document describes; the
// requests a document lacks (extensions) are served only when asked for,
// and a client sends them only when its configuration names them.
package sandboxes

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"kiosk/providers/alqimah/alqimahsim"
	"kiosk/providers/bitaqaty/bitaqatysim"
	"kiosk/providers/dtone/dtonesim"
	"kiosk/providers/india/indiasim"
	"kiosk/providers/mor/morsim"
	"kiosk/providers/sandboxkit"
)

// The provider ids, in the order the app shows them.
const (
	Bitaqaty = "bitaqaty"
	AlQimah  = "alqimah"
	DTOne    = "dtone"
	India    = "india"
	MOR      = "mor"
)

// IDs lists the providers in the order the app shows them.
var IDs = []string{Bitaqaty, AlQimah, DTOne, India, MOR}

// Options choose what the simulators serve.
type Options struct {
	// Now is the clock every simulator dates its answers by; nil is
	// time.Now. Tests fix it so that no answer depends on the day.
	Now func() time.Time
	// Extensions serves, and configures the clients for, every extension
	// each provider's simulator has (the no-configuration demo does, and
	// says so on screen). Without it only the documents are served.
	Extensions bool
	// DocumentOnly names providers served by their document alone even
	// with Extensions (a test of one provider as its document describes it).
	DocumentOnly []string
	// Products is how many generated products to add to the catalogues,
	// shared between Bitaqaty and DT One as Split says: 0 adds none, and
	// more than MaxProducts is refused.
	Products int
}

// BitaqatyMaxGenerated is the largest share of the generated products
// Bitaqaty gets. Its catalogue is one answer: detailed-products-list with
// an empty merchantId lists everything (seed L192) and the document has no
// pages. The client reads at most 16 MiB of it; a generated product takes
// about 770 bytes there, so 20,000 of them and the demo come to 15.3 MB.
const BitaqatyMaxGenerated = 20_000

// MaxProducts bounds Options.Products. Every generated product is kept in
// the sandbox's memory (about 1 KB each at DT One); a million is already
// twenty times what a large kiosk lists.
const MaxProducts = 1_000_000

// Split shares n generated products: Bitaqaty gets half, at most
// BitaqatyMaxGenerated, and DT One the rest. DT One's catalogue is read a
// country at a time (GET countries/{id}/products, seed L113), and its
// simulator puts dtonesim.GenPerCountry generated products in each
// country, so every answer stays about a megabyte whatever n is.
func Split(n int) (bitaqaty, dtone int) {
	if n <= 0 {
		return 0, 0
	}
	bitaqaty = min(n/2, BitaqatyMaxGenerated)
	return bitaqaty, n - bitaqaty
}

// Set is the five simulators behind one server.
type Set struct {
	URL      string // server root, "http://127.0.0.1:PORT"
	Bitaqaty *bitaqatysim.Server
	DTOne    *dtonesim.Server
	AlQimah  *alqimahsim.Server
	MOR      *morsim.Server
	India    *indiasim.Server
	opt      Options
	server   *sandboxkit.Server
}

// Start serves all five on addr ("127.0.0.1:0" for any free port).
func Start(addr string, opt Options) (*Set, error) {
	if opt.Products < 0 || opt.Products > MaxProducts {
		return nil, fmt.Errorf("sandboxes: %d generated products: want 0 to %d", opt.Products, MaxProducts)
	}
	s := &Set{opt: opt}
	var err error
	if s.Bitaqaty, err = bitaqatysim.New(bitaqatysim.Options{Now: opt.Now, Extensions: s.extensions(Bitaqaty)}); err != nil {
		return nil, err
	}
	if s.DTOne, err = dtonesim.New(dtonesim.Options{Now: opt.Now, Extensions: s.extensions(DTOne)}); err != nil {
		return nil, err
	}
	if s.AlQimah, err = alqimahsim.New(alqimahsim.Options{Now: opt.Now, Extensions: s.extensions(AlQimah)}); err != nil {
		return nil, err
	}
	if s.MOR, err = morsim.New(morsim.Options{Now: opt.Now, Extensions: s.extensions(MOR)}); err != nil {
		return nil, err
	}
	if s.India, err = indiasim.New(indiasim.Options{Now: opt.Now, Extensions: s.extensions(India)}); err != nil {
		return nil, err
	}
	nb, nd := Split(opt.Products)
	s.Bitaqaty.Generate(nb)
	s.DTOne.Generate(nd)
	srv, err := sandboxkit.Start(addr, sandboxkit.Mount(map[string]http.Handler{
		Bitaqaty: s.Bitaqaty, DTOne: s.DTOne, AlQimah: s.AlQimah, MOR: s.MOR, India: s.India,
	}))
	if err != nil {
		return nil, err
	}
	s.server, s.URL = srv, srv.URL
	return s, nil
}

// extensions is what the simulator of id serves: all it has, or none.
func (s *Set) extensions(id string) []string {
	if !s.opt.Extensions || slices.Contains(s.opt.DocumentOnly, id) {
		return nil
	}
	return map[string][]string{
		Bitaqaty: bitaqatysim.ExtensionNames, DTOne: dtonesim.ExtensionNames, AlQimah: alqimahsim.ExtensionNames,
		MOR: morsim.ExtensionNames, India: indiasim.ExtensionNames,
	}[id]
}

// Generated is how many generated products each simulator added
// (Options.Products, shared by Split).
func (s *Set) Generated() (bitaqaty, dtone int) { return Split(s.opt.Products) }

// DTOneCountries are the DT One country ids whose catalogues hold the
// demo and the generated products: a document-only configuration lists
// them in countries (with the countries extension every country is read).
func (s *Set) DTOneCountries() []string {
	return append(slices.Clone(dtoneDemoCountries), s.DTOne.GeneratedCountryIDs()...)
}

// Extensions reports whether the simulators serve their extensions.
func (s *Set) Extensions() bool { return s.opt.Extensions }

// Close stops the server.
func (s *Set) Close() error { return s.server.Close() }

// BaseURL is where a provider's simulator answers.
func (s *Set) BaseURL(id string) string { return s.URL + "/" + id }

// Faults returns a provider's fault switches.
func (s *Set) Faults(id string) (*sandboxkit.Faults, error) {
	switch id {
	case Bitaqaty:
		return s.Bitaqaty.Faults, nil
	case DTOne:
		return s.DTOne.Faults, nil
	case AlQimah:
		return s.AlQimah.Faults, nil
	case MOR:
		return s.MOR.Faults, nil
	case India:
		return s.India.Faults, nil
	}
	return nil, fmt.Errorf("no sandbox named %q (known: %s)", id, strings.Join(IDs, ", "))
}

// Charged is how many times the provider's simulator committed a purchase
// under ref: the crash tests' "never charged twice" check.
func (s *Set) Charged(id, ref string) int {
	switch id {
	case Bitaqaty:
		return s.Bitaqaty.Charged(ref)
	case DTOne:
		return s.DTOne.Charged(ref)
	case AlQimah:
		return s.AlQimah.Charged(ref)
	case MOR:
		return s.MOR.Charged(ref)
	case India:
		return s.India.Charged(ref)
	}
	return 0
}

// Credentials describes each simulator's URL and credentials for people.
func (s *Set) Credentials() string {
	var b strings.Builder
	lines := map[string]string{
		Bitaqaty: s.Bitaqaty.Credentials(), DTOne: s.DTOne.Credentials(), AlQimah: s.AlQimah.Credentials(),
		MOR: s.MOR.Credentials(), India: s.India.Credentials(),
	}
	for _, id := range IDs {
		fmt.Fprintf(&b, "%-9s %s\n          %s\n", id, s.BaseURL(id), lines[id])
	}
	return b.String()
}
