package mor

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
)

// Sandbox is a MOR server for card_from_group_sell: it checks u and the
// hash, keeps a stock of cards per group and answers MOR's XML and errors.
//
// MOR has no sale reference, so the sandbox cannot refuse a repeated sale;
// it counts sales per X-Kiosk-Ref header (sent by the client, ignored by
// real MOR) so tests can see how often a reference was charged.
//
// Faults: latency, no-answer, hang- and cut-after-commit, out-of-stock
// ("Free cards was not found"). MOR documents no balance error and no
// pending state, so no-balance and pending have no effect.
type Sandbox struct {
	Faults *sandboxkit.Faults

	mu     sync.Mutex
	user   string
	secret string
	groups map[string]*sbGroup
	sales  []sbSale
}

type sbGroup struct {
	face     money.Decimal
	currency string
	cards    []sbCard
}

type sbCard struct {
	number, pin string
	sold        bool
}

// sbSale is one committed sale as the sandbox saw it.
type sbSale struct {
	ref    string // X-Kiosk-Ref, "" when absent
	group  string
	cards  []string // numbers
	number string   // the number parameter, when one card was asked for
}

// NewSandbox builds a sandbox with the demo card groups and their stock.
func NewSandbox() *Sandbox {
	s := &Sandbox{Faults: &sandboxkit.Faults{}, user: sandboxUser, secret: sandboxSecret, groups: map[string]*sbGroup{}}
	for gi, d := range demoGroups() {
		g := &sbGroup{face: d.face, currency: d.group.Currency}
		for i := 1; i <= d.stock; i++ {
			// Numbers and PINs are deterministic so tests can name them.
			g.cards = append(g.cards, sbCard{
				number: fmt.Sprintf("%s%06d", d.group.ID, i),
				pin:    fmt.Sprintf("%04d%04d%04d", 7100+gi, i, (i*7919+gi*104729)%10000),
			})
		}
		s.groups[string(d.group.ID)] = g
	}
	return s
}

// Credentials is the line `kiosk sandbox` prints.
func (s *Sandbox) Credentials() string {
	return fmt.Sprintf("mor: u=%s secret_key=%s card groups 6, 7, 8 (group 8 has 2 cards)", s.user, s.secret)
}

// Charged is how many sales were committed under ref (as sent in X-Kiosk-Ref).
func (s *Sandbox) Charged(ref string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, sl := range s.sales {
		if sl.ref == ref {
			n++
		}
	}
	return n
}

// Sold is how many sales (requests that sold cards) were committed.
func (s *Sandbox) Sold() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sales)
}

// ServeHTTP answers /billing/api/card_from_group_sell and its old name.
// Like MOR it takes the parameters from the query or a form body, GET or POST.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Faults.Delay(r.Context())
	switch strings.TrimRight(r.URL.Path, "/") {
	case sellPath, "/billing/api/buy_card_from_callingroup":
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.sell(w, r)
}

func (s *Sandbox) sell(w http.ResponseWriter, r *http.Request) {
	f := r.Form
	email, id, qtyText, number := f.Get("email"), f.Get("id"), f.Get("quantity"), f.Get("number")
	if f.Get("u") != s.user {
		writeError(w, errBadLogin)
		return
	}
	if f.Get("hash") != Hash(s.secret, email, id, qtyText) {
		writeError(w, errIncorrectHash)
		return
	}
	qty := 1
	if qtyText != "" {
		n, err := strconv.Atoi(qtyText)
		if err != nil || n < 1 {
			writeError(w, errNoFreeCards)
			return
		}
		qty = n
	}
	if number != "" {
		qty = 1 // as documented: number wins over quantity
	}
	ref := r.Header.Get(RefHeader)

	// Check first, then commit after the BeforeCommit hook (which may hold
	// the request): the lock is never held while a fault blocks.
	if _, code := s.take(id, qty, number, ref, false); code != "" {
		writeError(w, code)
		return
	}
	if s.Faults.BeforeCommit(r, ref) {
		return
	}
	out, code := s.take(id, qty, number, ref, true)
	if code != "" {
		writeError(w, code)
		return
	}
	if s.Faults.AfterCommit(w, r, ref) {
		return
	}
	writeXML(w, out)
}

// take picks the cards and, when commit is set, marks them sold and
// records the sale. code is MOR's error text when it cannot.
func (s *Sandbox) take(id string, qty int, number, ref string, commit bool) (page, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[id]
	if !ok {
		return page{}, errNoGroup
	}
	picked, code := g.pick(qty, number)
	if code == "" && s.Faults.OutOfStock() {
		code = errNoFreeCards
	}
	if code != "" || !commit {
		return page{}, code
	}
	sale := sbSale{ref: ref, group: id, number: number}
	var out page
	for _, i := range picked {
		c := &g.cards[i]
		c.sold = true
		sale.cards = append(sale.cards, c.number)
		out.Cards = append(out.Cards, xmlCard{PIN: c.pin, Number: c.number, Balance: g.face.StringFixed(2), Currency: g.currency})
	}
	s.sales = append(s.sales, sale)
	return out, ""
}

// pick chooses qty free cards, or the card with number; code is MOR's
// error text when it cannot.
func (g *sbGroup) pick(qty int, number string) (idx []int, code string) {
	if number != "" {
		for i, c := range g.cards {
			if c.number == number {
				if c.sold {
					return nil, errAlreadySold
				}
				return []int{i}, ""
			}
		}
		return nil, errNoFreeCards
	}
	for i, c := range g.cards {
		if len(idx) == qty {
			break
		}
		if !c.sold {
			idx = append(idx, i)
		}
	}
	if len(idx) < qty {
		return nil, errNoFreeCards
	}
	return idx, ""
}

type page struct {
	XMLName xml.Name  `xml:"page"`
	Cards   []xmlCard `xml:"cards>card"`
}

type xmlCard struct {
	PIN      string `xml:"pin"`
	Number   string `xml:"number"`
	Balance  string `xml:"balance_without_vat"`
	Currency string `xml:"currency"`
}

func writeXML(w http.ResponseWriter, v any) {
	b, err := xml.MarshalIndent(v, "", " ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(b)
	_, _ = w.Write([]byte("\n"))
}

// writeError answers MOR's error page: <page><error>text</error></page>.
func writeError(w http.ResponseWriter, text string) {
	writeXML(w, struct {
		XMLName xml.Name `xml:"page"`
		Error   string   `xml:"error"`
	}{Error: text})
}
