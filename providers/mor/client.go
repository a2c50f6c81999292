package mor

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"kiosk/money"
	"kiosk/providers"
)

// maxBody bounds an answer: a few cards of XML.
const maxBody = 1 << 20

// name is how messages name the provider.
const name = "MOR"

// sellPath is card_from_group_sell under the MOR server: "/api/card_from_group_sell"
// (seed L14) under the "/billing" the seed's example URL has (seed L45). The
// old name buy_card_from_callingroup (seed L15) still works on MOR but is
// not used.
const sellPath = "/billing/api/card_from_group_sell"

// RefHeader carries the kiosk's sale reference with a sale request, only
// with the ref-header extension (ExtRefHeader). It is not part of MOR's API
// (the seed has no sale reference, L20-35): real MOR ignores the header and
// cannot deduplicate by it.
const RefHeader = "X-Kiosk-Ref"

// Client talks to MOR. It implements providers.Provider only: the seed
// documents one request, the card sale (seed L10-16), and no status
// look-up, balance or report, so the engine finds no StatusChecker and
// sends a sale whose answer was lost to review ("check on the provider's
// portal; do not refund yet").
type Client struct {
	cfg    Config
	hc     *http.Client
	base   string
	now    func() time.Time
	groups map[GroupID]CardGroup
}

var _ providers.Provider = (*Client)(nil)

// New checks cfg and builds a client; hc nil means providers.NewHTTPClient().
func New(cfg Config, hc *http.Client) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("mor config: %w", err)
	}
	if hc == nil {
		hc = providers.NewHTTPClient()
	}
	// A sale is sent once: a redirect is answered to the kiosk, never
	// followed (Go would re-send a POST as a GET without its form, or
	// re-post it to wherever the redirect points).
	h := *hc
	h.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	c := &Client{cfg: cfg, hc: &h, base: strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"), now: now, groups: map[GroupID]CardGroup{}}
	for _, g := range cfg.CardGroups {
		c.groups[g.ID] = g
	}
	return c, nil
}

// Info names the provider and says how it is connected.
func (c *Client) Info() providers.Info {
	// No status look-up: the engine sees it by the missing StatusChecker.
	return providers.Info{ID: ID, Name: "MOR calling cards", Sandbox: c.cfg.Sandbox}
}

// Catalog lists the configured card groups; MOR has no call for them (the
// seed's only request is the sale), so nothing is sent.
func (c *Client) Catalog(ctx context.Context) ([]providers.Product, error) {
	out := make([]providers.Product, 0, len(c.cfg.CardGroups))
	for _, g := range c.cfg.CardGroups {
		out = append(out, product(g))
	}
	return providers.CleanProducts(out), nil
}

const defaultHowToUse = "Dial the access number on the receipt, then enter the PIN when asked."

// defaultHowToUseAr is defaultHowToUse in Arabic: the kiosk wrote it, so
// an Arabic receipt and screen say it in Arabic. A card group's own
// how_to_use is the shop's text and has no Arabic of the kiosk's.
const defaultHowToUseAr = "اطلب رقم الوصول المطبوع على الإيصال، ثم أدخل الرقم السري عند الطلب."

func product(g CardGroup) providers.Product {
	cur := strings.ToUpper(strings.TrimSpace(g.Currency))
	brand := g.Brand
	if brand == "" {
		brand = "Calling cards"
	}
	how, howAr := g.HowToUse, ""
	if how == "" {
		how, howAr = defaultHowToUse, defaultHowToUseAr
	}
	one, most := money.FromInt(1), money.FromInt(int64(g.maxQty()))
	return providers.Product{
		Provider:   ID,
		ID:         string(g.ID),
		Name:       g.Name,
		NameAr:     g.NameAr,
		Brand:      brand,
		Category:   "Calling cards",
		Kind:       providers.KindCallingCard,
		Available:  true,
		PriceKind:  providers.PriceFixed,
		Price:      money.New(g.Price, cur),
		Cost:       money.New(g.unitCost(), cur),
		HowToUse:   how,
		HowToUseAr: howAr,
		// quantity (seed L26) is a count of cards, never a customer
		// number: a calling card is sold to nobody's number.
		Fields: []providers.Field{{
			Name:        "quantity",
			Label:       "Number of cards",
			LabelAr:     "عدد البطاقات",
			Kind:        providers.FieldQuantity,
			Required:    true,
			MinLen:      1,
			MaxLen:      len(strconv.Itoa(g.maxQty())),
			Pattern:     "[1-9][0-9]*",
			PatternHint: fmt.Sprintf("enter a number of cards from 1 to %d", g.maxQty()),
			HintKey:     "mor_cards",
			HintArgs:    []string{strconv.Itoa(g.maxQty())},
			Min:         &one,
			Max:         &most,
			Default:     "1",
		}},
		Extra: groupExtra(g),
	}
}

// groupExtra is what a card group's product carries: its id and largest
// quantity for the sale, and the access number for the receipt.
func groupExtra(g CardGroup) map[string]string {
	x := map[string]string{"group_id": string(g.ID), "max_quantity": strconv.Itoa(g.maxQty())}
	if n := strings.TrimSpace(g.AccessNumber); n != "" {
		x[providers.ExtraAccessNumber] = n
	}
	return x
}

// Quote prices quantity × the configured card price. MOR has no price
// call (the seed documents none), so nothing is sent.
func (c *Client) Quote(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	g, ok := c.group(req.Product)
	if !ok {
		return providers.Quote{}, providers.Refusal(ID, "quote", errNoGroup,
			fmt.Sprintf("card group %s is no longer in the MOR settings", req.Product.ID))
	}
	qty, err := quantity(req.Fields["quantity"], g.maxQty())
	if err != nil {
		return providers.Quote{}, providers.Refusal(ID, "quote", "quantity", err.Error())
	}
	p := product(g)
	cost := money.New(g.unitCost().MulInt(int64(qty)), p.Cost.Currency)
	retail := money.New(g.Price.MulInt(int64(qty)), p.Price.Currency)
	return providers.CleanQuote(providers.Quote{
		Product:  p,
		Fields:   req.Fields,
		Quantity: qty,
		Cost:     cost,
		Retail:   retail,
		Info:     fmt.Sprintf("%d × %s at %s", qty, g.Name, p.Price),
	}), nil
}

// quantity reads the clerk's card count; empty means one (seed L26:
// "default 1").
func quantity(v string, most int) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || !digits(v) {
		return 0, fmt.Errorf("number of cards %q is not a whole number", v)
	}
	if n < 1 || n > most {
		return 0, fmt.Errorf("number of cards must be from 1 to %d", most)
	}
	return n, nil
}

func (c *Client) group(p providers.Product) (CardGroup, bool) {
	id := p.Extra["group_id"]
	if id == "" {
		id = p.ID
	}
	g, ok := c.groups[GroupID(id)]
	return g, ok
}

// Purchase sells Quote.Quantity cards from the group in one POST. MOR
// cannot deduplicate (it has no sale reference): a repeated request sells
// more cards, so it is sent once, and any answer that is not a documented
// error or a complete card list leaves the sale in doubt.
func (c *Client) Purchase(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	g, ok := c.group(req.Quote.Product)
	if !ok {
		return providers.Result{}, providers.Refusal(ID, "purchase", errNoGroup,
			fmt.Sprintf("card group %s is no longer in the MOR settings", req.Quote.Product.ID))
	}
	qty := req.Quote.Quantity
	if qty == 0 {
		qty = 1
	}
	if qty < 1 || qty > g.maxQty() {
		return providers.Result{}, providers.Refusal(ID, "purchase", "quantity",
			fmt.Sprintf("number of cards must be from 1 to %d", g.maxQty()))
	}
	hr, err := c.sellRequest(ctx, req.Ref, string(g.ID), qty)
	if err != nil {
		// Nothing was sent.
		return providers.Result{}, fmt.Errorf("mor purchase %s: %w", req.Ref,
			providers.Refusal(ID, "purchase", "request", "the MOR request could not be built: "+err.Error()))
	}
	a, err := providers.Send(c.hc, hr, maxBody)
	if err != nil {
		return providers.Result{}, fmt.Errorf("mor purchase %s: %w", req.Ref, providers.SendFailure(ID, name, "purchase", err))
	}
	ans, err := classify(a)
	if err != nil {
		return providers.Result{}, fmt.Errorf("mor purchase %s: %w", req.Ref, err)
	}
	return providers.CleanResult(c.result(g, qty, ans)), nil
}

// classify reads the answer to a sale. In order:
//   - MOR's documented <error> texts (seed L74-80) are refusals, whatever
//     the HTTP status short of a server error (the seed gives none); an
//     undocumented <error> is a doubt;
//   - a server error (5xx) is a doubt: MOR may have sold the cards;
//   - a whole card list (seed L53-69) with a 2xx status is the sale, even
//     if a server labels it text/html: those PINs are paid for;
//   - what a web server answers for a path it does not have (404, 405,
//     501, an HTML page) is a configuration doubt naming base_url, never an
//     outcome;
//   - any other status, and anything that is not a whole card list —
//     truncated, empty, not XML — is a doubt.
func classify(a providers.Answer) (answer, error) {
	ans, perr := parseAnswer(a.Body)
	serverError := a.Status >= 500 && a.Status != http.StatusNotImplemented
	switch {
	case perr == nil && ans.Error != "" && !serverError:
		return answer{}, apiError("purchase", ans.Error)
	case serverError:
		return answer{}, providers.Doubt(ID, "purchase", fmt.Sprintf("HTTP %d", a.Status),
			fmt.Sprintf("MOR answered HTTP %d; the sale must be checked in MOR", a.Status), nil)
	case perr == nil && a.Status >= 200 && a.Status < 300:
		return ans, nil
	case providers.RouteMissing(a):
		return answer{}, providers.RouteError(ID, name, "purchase", "card_from_group_sell at "+sellPath, "base_url", a)
	case a.Status >= 300 && a.Status < 400:
		e := providers.Doubt(ID, "purchase", fmt.Sprintf("HTTP %d", a.Status),
			fmt.Sprintf("MOR answered HTTP %d, a redirect, which the kiosk does not follow: check base_url in the configuration (http or https, host, path); the sale must be checked in MOR", a.Status), nil)
		e.Config = true
		return answer{}, e
	case a.Status < 200 || a.Status >= 300:
		return answer{}, providers.Doubt(ID, "purchase", fmt.Sprintf("HTTP %d", a.Status),
			fmt.Sprintf("MOR answered HTTP %d; the sale must be checked in MOR", a.Status), nil)
	}
	return answer{}, providers.Doubt(ID, "purchase", "",
		"the answer from MOR could not be read; the sale must be checked in MOR", perr)
}

// sellRequest builds card_from_group_sell: POST (seed L16; GET is "not
// recommended") to sellPath (seed L14, L45) with u (seed L33), email
// (seed L24, only when configured), id (seed L25), quantity (seed L26) and
// hash (seed L32, built as seed L28). number and curr (seed L34-35) are
// never sent. The parameters go in a form body rather than the query of
// the seed's example (L45): the hash of a given group and quantity never
// changes, so a URL in a proxy log would let anyone buy the same cards
// again.
//
// seed L14-16, L22-35, L45
func (c *Client) sellRequest(ctx context.Context, ref, id string, qty int) (*http.Request, error) {
	form := c.sellForm(id, qty)
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+sellPath, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hr.Header.Set("Accept", "application/xml, text/xml")
	if ref != "" && c.cfg.has(ExtRefHeader) {
		hr.Header.Set(RefHeader, ref) // not MOR's: see RefHeader
	}
	return hr, nil
}

// sellForm builds the parameters and their hash (email, id, quantity, key:
// seed L22-28).
func (c *Client) sellForm(id string, qty int) url.Values {
	q := strconv.Itoa(qty)
	form := url.Values{"u": {c.cfg.Username}, "id": {id}, "quantity": {q}}
	if c.cfg.Email != "" {
		form.Set("email", c.cfg.Email)
	}
	form.Set("hash", Hash(c.cfg.SecretKey.Reveal(), c.cfg.Email, id, q))
	return form
}

func (c *Client) result(g CardGroup, qty int, ans answer) providers.Result {
	cur := strings.ToUpper(strings.TrimSpace(g.Currency))
	r := providers.Result{
		State:   providers.Succeeded,
		Charged: money.New(g.unitCost().MulInt(int64(len(ans.Cards))), cur),
		At:      c.now().UTC(),
	}
	if len(ans.Cards) != qty {
		// The seed never shows this (it answers the cards asked for);
		// keep every PIN delivered and say so rather than hide it.
		r.Message = fmt.Sprintf("asked for %d cards, MOR sold %d", qty, len(ans.Cards))
	}
	for _, cd := range ans.Cards {
		r.Vouchers = append(r.Vouchers, voucher(cd, cur))
	}
	r.ProviderRef = ans.Cards[0].Number
	return r
}

// voucher keeps every card MOR delivered (seed L56-61). The balance is
// shown, not charged, so one that does not parse is kept as text instead of
// losing the PIN over it.
func voucher(cd card, groupCur string) providers.Voucher {
	v := providers.Voucher{PIN: cd.PIN, Serial: cd.Number}
	cur := strings.ToUpper(strings.TrimSpace(cd.Currency))
	if cur == "" {
		cur = groupCur
	}
	if cd.Balance != "" {
		if d, err := money.Parse(cd.Balance); err == nil {
			v.Value = money.New(d, cur)
		} else {
			v.Extra = map[string]string{"balance": cd.Balance + " " + cur}
		}
	}
	return v
}
