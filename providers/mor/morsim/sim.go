// Package morsim is a Kolmisoft MOR simulator written from the seed document
// alone (/work/shared/seeds/mor-card-from-group-sell.txt, "MOR API card from
// group sell", revision of 18 September 2017). Comments "seed Lnn" name the
// line of that document a route, check or answer comes from; "extension:"
// names the public source of a route the seed does not describe.
//
// MOR has no sale reference and no status call (the seed documents neither).
// The kiosk's client sends its own reference in an X-Kiosk-Ref header, which
// real MOR ignores; the simulator ignores it too for the protocol and only
// counts committed sales by it (Charged), so tests can see how often a
// reference was charged. A second sale under the same X-Kiosk-Ref therefore
// sells again, as real MOR would.
//
// Faults: latency, no-answer, hang- and cut-after-commit, and out-of-stock
// (answered "Free cards was not found", seed L79). The seed documents no
// balance error and no pending state (seed L74-80), so the no-balance and
// pending switches have no effect.
package morsim

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
)

// Paths relative to the server root (the kiosk mounts the simulator under
// /mor with http.StripPrefix; the client's base_url ends in /mor).
const (
	SellPath    = "/billing/api/card_from_group_sell"      // seed L14, with the /billing prefix of the example URL L45
	OldSellPath = "/billing/api/buy_card_from_callingroup" // seed L15, L45
	// CardsGetPath is served only with the calling_cards_get extension.
	CardsGetPath = "/billing/api/calling_cards_get" // extension: MOR wiki "MOR API Calling Cards get"
)

// RefHeader carries the kiosk's own reference. It is not part of MOR's API
// (real MOR ignores it); the simulator counts committed sales by it.
const RefHeader = "X-Kiosk-Ref"

// MOR's error texts, exactly as the seed lists them.
const (
	ErrBadLogin      = "Bad login"                // seed L76
	ErrIncorrectHash = "Incorrect hash"           // seed L77
	ErrNoGroup       = "Cardgroup was not found"  // seed L78
	ErrNoFreeCards   = "Free cards was not found" // seed L79
	ErrAlreadySold   = "Card is already sold"     // seed L80
)

// ExtCallingCardsGet is the name of the calling_cards_get extension.
const ExtCallingCardsGet = "calling_cards_get"

// ExtensionNames lists every extension this simulator can serve.
var ExtensionNames = []string{
	// calling_cards_get: POST|GET /billing/api/calling_cards_get, the card
	// list with filters number, pin, batch_number and sold; hash = SHA1 of
	// the API secret alone. Source: PROVIDERS.md "Kolmisoft MOR" and the
	// public MOR wiki page "MOR API Calling Cards get" (MOR X7), whose
	// example hash for secret "secret" is e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4.
	ExtCallingCardsGet,
}

// Options configure a Server.
type Options struct {
	// Now is the clock. nil means time.Now. The Date header of every answer
	// and the time of each recorded sale come from it.
	Now func() time.Time
	// Extensions lists the extension routes to serve (names from
	// ExtensionNames). nil or empty: serve only what the seed describes.
	Extensions []string
}

// Server is a MOR server for card_from_group_sell. It is safe for
// concurrent use.
type Server struct {
	// Faults are switched at run time by tests and `kiosk sandbox --fault`.
	Faults *sandboxkit.Faults

	now func() time.Time
	ext map[string]bool

	mu     sync.Mutex
	groups map[string]*group
	order  []string // group ids in demo order
	sales  []Sale
}

type group struct {
	id, name string
	face     money.Decimal
	currency string
	cards    []card
}

type card struct {
	id          int // card_id in calling_cards_get, unique across groups
	number, pin string
	sold        bool
}

// Sale is one committed sale (one request that sold cards).
type Sale struct {
	Ref     string    // X-Kiosk-Ref header, "" when absent
	Group   string    // id parameter
	Number  string    // number parameter, when one card was asked for by number
	Email   string    // email parameter
	Curr    string    // curr parameter
	Numbers []string  // numbers of the cards sold
	Time    time.Time // Options.Now at commit
}

// New builds a simulator with the demo card groups 6, 7 and 8. It fails on an
// unknown extension name.
func New(opt Options) (*Server, error) {
	s := &Server{
		Faults: &sandboxkit.Faults{},
		now:    opt.Now,
		ext:    map[string]bool{},
		groups: map[string]*group{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	for _, name := range opt.Extensions {
		known := false
		for _, k := range ExtensionNames {
			known = known || k == name
		}
		if !known {
			return nil, fmt.Errorf("morsim: unknown extension %q (known: %s)", name, strings.Join(ExtensionNames, ", "))
		}
		s.ext[name] = true
	}
	nextID := 1
	for gi, d := range demoGroups() {
		g := &group{id: d.id, name: d.name, face: d.face, currency: d.currency}
		for i := 1; i <= d.stock; i++ {
			g.cards = append(g.cards, card{id: nextID, number: demoNumber(d.id, i), pin: demoPIN(gi, i)})
			nextID++
		}
		s.groups[d.id] = g
		s.order = append(s.order, d.id)
	}
	return s, nil
}

// Credentials is the line `kiosk sandbox` prints.
func (s *Server) Credentials() string {
	return fmt.Sprintf("mor: u=%s secret_key=%s card groups 6, 7, 8 (group 8 has 2 cards)", User, Secret)
}

// Charged is how many sales were committed under ref (as sent in X-Kiosk-Ref).
func (s *Server) Charged(ref string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, sl := range s.sales {
		if sl.Ref == ref {
			n++
		}
	}
	return n
}

// Sold is how many sales (requests that sold cards) were committed.
func (s *Server) Sold() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sales)
}

// Sales returns a copy of every committed sale, oldest first.
func (s *Server) Sales() []Sale {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Sale, len(s.sales))
	for i, sl := range s.sales {
		sl.Numbers = append([]string(nil), sl.Numbers...)
		out[i] = sl
	}
	return out
}

// Free is how many unsold cards group id still holds (0 for an unknown group).
func (s *Server) Free(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[id]
	if !ok {
		return 0
	}
	n := 0
	for _, c := range g.cards {
		if !c.sold {
			n++
		}
	}
	return n
}

// Hash is MOR's request hash: lowercase hex SHA1 of the hashed parameter
// values in order, then the API secret key (seed L22-28, L32). Absent
// parameters are passed as "" and contribute nothing.
func Hash(secret string, values ...string) string {
	h := sha1.New()
	for _, v := range values {
		h.Write([]byte(v))
	}
	h.Write([]byte(secret))
	return hex.EncodeToString(h.Sum(nil))
}

// ServeHTTP answers the seed's two sell paths and, when enabled, the
// extension routes. Anything else is a plain 404 page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	s.Faults.Delay(r.Context())
	var handle func(http.ResponseWriter, *http.Request)
	switch r.URL.Path {
	case SellPath, OldSellPath: // seed L14, L15
		handle = s.sell
	case CardsGetPath:
		if s.ext[ExtCallingCardsGet] { // extension: MOR wiki "MOR API Calling Cards get"
			handle = s.cardsGet
		}
	}
	if handle == nil {
		notFound(w)
		return
	}
	// seed L16: POST, and GET (if allowed, not recommended).
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "405 Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	// Parameters in the query (seed L45) or in a form body.
	if err := parseForm(r); err != nil {
		http.Error(w, "400 Bad Request", http.StatusBadRequest)
		return
	}
	handle(w, r)
}

func parseForm(r *http.Request) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		return r.ParseMultipartForm(1 << 20)
	}
	return r.ParseForm()
}

// notFound is what a web server answers for a path it does not have; never
// MOR's <error> body.
func notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = fmt.Fprint(w, "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n")
}

// sell is card_from_group_sell (seed L10-80).
func (s *Server) sell(w http.ResponseWriter, r *http.Request) {
	f := r.Form
	email := f.Get("email")                    // seed L24, hashed, optional
	id := f.Get("id")                          // seed L25, hashed, required
	qtyText := f.Get("quantity")               // seed L26, hashed, default 1
	number := f.Get("number")                  // seed L34, not hashed
	curr := f.Get("curr")                      // seed L35, not hashed; see the note at take
	if u := f.Get("u"); u == "" || u != User { // seed L33, L76
		writeError(w, ErrBadLogin)
		return
	}
	// seed L28, L32, L77: email, id, quantity in that order, then the secret;
	// u, number and curr are not hashed (seed L30-35, L47). The seed's
	// example is lowercase hex (L45); other casings are refused.
	if f.Get("hash") != Hash(Secret, email, id, qtyText) {
		writeError(w, ErrIncorrectHash)
		return
	}
	qty := 1 // seed L26: default 1
	if qtyText != "" {
		n, err := strconv.Atoi(qtyText)
		if err != nil || n < 1 {
			// The seed documents no error for a bad quantity: no free cards
			// can be found for it (seed L79).
			writeError(w, ErrNoFreeCards)
			return
		}
		qty = n
	}
	if number != "" {
		qty = 1 // seed L34: number given, quantity ignored
	}
	ref := r.Header.Get(RefHeader)

	// Check first, then commit after BeforeCommit (which may hold the
	// request): the lock is never held while a fault blocks.
	if _, code := s.take(id, qty, number, false, Sale{}); code != "" {
		writeError(w, code)
		return
	}
	if s.Faults.BeforeCommit(r, ref) {
		return
	}
	out, code := s.take(id, qty, number, true, Sale{Ref: ref, Group: id, Number: number, Email: email, Curr: curr})
	if code != "" { // the stock changed while the request was held
		writeError(w, code)
		return
	}
	if s.Faults.AfterCommit(w, r, ref) {
		return
	}
	writeCards(w, out)
}

// soldCard is one <card> of the sell answer (seed L56-61).
type soldCard struct{ pin, number, balance, currency string }

// take picks the cards and, when commit is set, marks them sold and records
// sale. code is MOR's error text when it cannot.
//
// curr (seed L35) changes the currency of the cards' payment; the seed gives
// no rates and no error for it, so the cards are answered in their group's
// currency and curr is only recorded.
func (s *Server) take(id string, qty int, number string, commit bool, sale Sale) ([]soldCard, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[id]
	if !ok {
		return nil, ErrNoGroup // seed L78
	}
	if s.Faults.OutOfStock() {
		return nil, ErrNoFreeCards // seed L79
	}
	picked, code := g.pick(qty, number)
	if code != "" || !commit {
		return nil, code
	}
	var out []soldCard
	for _, i := range picked {
		c := &g.cards[i]
		c.sold = true
		sale.Numbers = append(sale.Numbers, c.number)
		out = append(out, soldCard{pin: c.pin, number: c.number, balance: g.face.StringFixed(2), currency: g.currency})
	}
	sale.Time = s.now()
	s.sales = append(s.sales, sale)
	return out, ""
}

// pick chooses qty free cards, or the card with number.
func (g *group) pick(qty int, number string) ([]int, string) {
	if number != "" {
		for i, c := range g.cards {
			if c.number == number {
				if c.sold {
					return nil, ErrAlreadySold // seed L80
				}
				return []int{i}, ""
			}
		}
		// No such card in this group: the seed has no text for it; there is
		// no free card with that number (seed L79).
		return nil, ErrNoFreeCards
	}
	var idx []int
	for i, c := range g.cards {
		if len(idx) == qty {
			break
		}
		if !c.sold {
			idx = append(idx, i)
		}
	}
	if len(idx) < qty {
		return nil, ErrNoFreeCards // seed L79
	}
	return idx, ""
}

const xmlDecl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" // seed L53

func esc(v string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(v))
	return b.String()
}

func writeXML(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write([]byte(xmlDecl + body))
}

// writeCards answers the sell success page, laid out as seed L53-69.
func writeCards(w http.ResponseWriter, cards []soldCard) {
	var b strings.Builder
	b.WriteString("<page>\n <cards>\n") // seed L54-55
	for _, c := range cards {
		b.WriteString("  <card>\n")                                                              // seed L56
		b.WriteString("    <pin>" + esc(c.pin) + "</pin>\n")                                     // seed L57
		b.WriteString("    <number>" + esc(c.number) + "</number>\n")                            // seed L58
		b.WriteString("    <balance_without_vat>" + esc(c.balance) + "</balance_without_vat>\n") // seed L59
		b.WriteString("    <currency>" + esc(c.currency) + "</currency>\n")                      // seed L60
		b.WriteString("  </card>\n")                                                             // seed L61
	}
	b.WriteString(" </cards>\n</page>\n") // seed L68-69
	writeXML(w, b.String())
}

// writeError answers <error>text</error> as the seed shows it (seed L76-80):
// a bare element after the XML declaration, HTTP 200.
func writeError(w http.ResponseWriter, text string) {
	writeXML(w, "<error>"+esc(text)+"</error>\n")
}

// cardsGet is the calling_cards_get extension (extension: MOR wiki "MOR API
// Calling Cards get"; PROVIDERS.md). Kept small: filters number, pin,
// batch_number and sold (yes/no/all, or 1/0); the other documented filters
// are ignored. The batch number of a demo card is its group id.
func (s *Server) cardsGet(w http.ResponseWriter, r *http.Request) {
	f := r.Form
	if u := f.Get("u"); u == "" || u != User { // extension: wiki "u - Required"; error text as seed L76
		writeError(w, ErrBadLogin)
		return
	}
	if f.Get("hash") != Hash(Secret) { // extension: wiki "The hash will contain only an API_Secret_Key"; text as seed L77
		writeError(w, ErrIncorrectHash)
		return
	}
	number, pin, batch := f.Get("number"), f.Get("pin"), f.Get("batch_number")
	var soldWant *bool
	switch strings.ToLower(f.Get("sold")) {
	case "yes", "1":
		t := true
		soldWant = &t
	case "no", "0":
		t := false
		soldWant = &t
	}
	s.mu.Lock()
	var b strings.Builder
	b.WriteString("<page>\n  <cards>\n") // extension: wiki answer <page><cards><card>
	for _, gid := range s.order {
		g := s.groups[gid]
		for _, c := range g.cards {
			if number != "" && c.number != number || pin != "" && c.pin != pin || batch != "" && g.id != batch ||
				soldWant != nil && c.sold != *soldWant {
				continue
			}
			sold := "0"
			if c.sold {
				sold = "1"
			}
			b.WriteString("    <card>\n")
			b.WriteString("      <card_id>" + strconv.Itoa(c.id) + "</card_id>\n")
			b.WriteString("      <card_number>" + esc(c.number) + "</card_number>\n")
			b.WriteString("      <card_name>" + esc(g.name) + "</card_name>\n")
			b.WriteString("      <card_pin>" + esc(c.pin) + "</card_pin>\n")
			b.WriteString("      <card_batch_number>" + esc(g.id) + "</card_batch_number>\n")
			b.WriteString("      <card_balance>" + g.face.StringFixed(2) + "</card_balance>\n")
			b.WriteString("      <card_sold>" + sold + "</card_sold>\n")
			b.WriteString("      <card_currency>" + esc(g.currency) + "</card_currency>\n")
			b.WriteString("    </card>\n")
		}
	}
	s.mu.Unlock()
	b.WriteString("  </cards>\n</page>\n")
	writeXML(w, b.String())
}
