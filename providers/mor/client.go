package mor

import (
	"context"
	"fmt"
	"io"
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

// sellPath is card_from_group_sell under the MOR server (the old name
// buy_card_from_callingroup still works on MOR but is not used).
const sellPath = "/billing/api/card_from_group_sell"

// RefHeader carries the kiosk's sale reference with a sale request. MOR
// ignores it (it has no reference of its own and cannot deduplicate); it is
// there so the sandbox, and any proxy log, can tell sales apart.
const RefHeader = "X-Kiosk-Ref"

// Client talks to MOR. It implements providers.Provider only: MOR has no
// status look-up, balance or report for card sales.
type Client struct {
	cfg    Config
	hc     *http.Client
	base   string
	groups map[GroupID]CardGroup
}

// New checks cfg and builds a client; hc nil means a client with a 30 s timeout.
func New(cfg Config, hc *http.Client) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("mor config: %w", err)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	c := &Client{cfg: cfg, hc: hc, base: strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"), groups: map[GroupID]CardGroup{}}
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

// Catalog lists the configured card groups; MOR has no call for them.
func (c *Client) Catalog(ctx context.Context) ([]providers.Product, error) {
	out := make([]providers.Product, 0, len(c.cfg.CardGroups))
	for _, g := range c.cfg.CardGroups {
		out = append(out, product(g))
	}
	return out, nil
}

const defaultHowToUse = "Dial the access number on the receipt, then enter the PIN when asked."

func product(g CardGroup) providers.Product {
	cur := strings.ToUpper(strings.TrimSpace(g.Currency))
	brand := g.Brand
	if brand == "" {
		brand = "Calling cards"
	}
	how := g.HowToUse
	if how == "" {
		how = defaultHowToUse
	}
	one, most := money.FromInt(1), money.FromInt(int64(g.maxQty()))
	return providers.Product{
		Provider:  ID,
		ID:        string(g.ID),
		Name:      g.Name,
		NameAr:    g.NameAr,
		Brand:     brand,
		Category:  "Calling cards",
		Kind:      providers.KindCallingCard,
		Available: true,
		PriceKind: providers.PriceFixed,
		Price:     money.New(g.Price, cur),
		Cost:      money.New(g.unitCost(), cur),
		HowToUse:  how,
		Fields: []providers.Field{{
			Name:        "quantity",
			Label:       "Number of cards",
			LabelAr:     "عدد البطاقات",
			Kind:        providers.FieldDigits,
			Required:    true,
			MinLen:      1,
			MaxLen:      len(strconv.Itoa(g.maxQty())),
			Pattern:     "[1-9][0-9]*",
			PatternHint: fmt.Sprintf("enter a number of cards from 1 to %d", g.maxQty()),
			Min:         &one,
			Max:         &most,
			Default:     "1",
		}},
		Extra: map[string]string{"group_id": string(g.ID), "max_quantity": strconv.Itoa(g.maxQty())},
	}
}

// Quote prices quantity × the configured card price. MOR has no price
// call, so nothing is sent.
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
	return providers.Quote{
		Product:  p,
		Fields:   req.Fields,
		Quantity: qty,
		Cost:     cost,
		Retail:   retail,
		Info:     fmt.Sprintf("%d × %s at %s", qty, g.Name, p.Price),
	}, nil
}

// quantity reads the clerk's card count; empty means one.
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
// cannot deduplicate: a repeated request sells more cards, so there are no
// retries here, and any answer that is not a documented error or a complete
// card list leaves the sale in doubt.
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
	form := c.sellForm(string(g.ID), qty)
	body, status, err := c.post(ctx, req.Ref, form)
	if err != nil {
		return providers.Result{}, fmt.Errorf("mor purchase %s: %w", req.Ref, err)
	}
	ans, perr := parseAnswer(body)
	switch {
	case status >= 500:
		return providers.Result{}, fmt.Errorf("mor purchase %s: %w", req.Ref, providers.Doubt(ID, "purchase",
			fmt.Sprintf("HTTP %d", status), fmt.Sprintf("MOR answered HTTP %d; the sale must be checked in MOR", status), nil))
	case perr == nil && ans.Error != "":
		return providers.Result{}, fmt.Errorf("mor purchase %s: %w", req.Ref, apiError("purchase", ans.Error))
	case status >= 300:
		return providers.Result{}, fmt.Errorf("mor purchase %s: %w", req.Ref, providers.Doubt(ID, "purchase",
			fmt.Sprintf("HTTP %d", status), fmt.Sprintf("MOR answered HTTP %d", status), nil))
	case perr != nil:
		return providers.Result{}, fmt.Errorf("mor purchase %s: %w", req.Ref, providers.Doubt(ID, "purchase", "",
			"the answer from MOR could not be read; the sale must be checked in MOR", perr))
	}
	return c.result(g, qty, ans), nil
}

// sellForm builds the parameters and their hash (email, id, quantity, key).
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
		At:      time.Now().UTC(),
	}
	if len(ans.Cards) != qty {
		// MOR never does this as documented; say so rather than hide it.
		r.Message = fmt.Sprintf("asked for %d cards, MOR sold %d", qty, len(ans.Cards))
	}
	for _, cd := range ans.Cards {
		r.Vouchers = append(r.Vouchers, voucher(cd, cur))
	}
	r.ProviderRef = ans.Cards[0].Number
	return r
}

// voucher keeps every card MOR delivered. The balance is shown, not
// charged, so one that does not parse is kept as text instead of losing
// the PIN over it.
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

// post sends the form once and returns the body and HTTP status. A
// transport failure or an unreadable body is a doubt: the request may have
// reached MOR.
func (c *Client) post(ctx context.Context, ref string, form url.Values) ([]byte, int, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+sellPath, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, 0, fmt.Errorf("build request: %w", err)
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hr.Header.Set("Accept", "application/xml, text/xml")
	if ref != "" {
		hr.Header.Set(RefHeader, ref)
	}
	resp, err := c.hc.Do(hr)
	if err != nil {
		return nil, 0, providers.Doubt(ID, "purchase", "", "no answer from MOR ("+providers.TransportReason(err)+")", providers.StripURL(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, 0, providers.Doubt(ID, "purchase", "", "the answer from MOR was cut off", providers.StripURL(err))
	}
	if len(body) > maxBody {
		return nil, 0, providers.Doubt(ID, "purchase", "", "the answer from MOR is too large", nil)
	}
	return body, resp.StatusCode, nil
}
