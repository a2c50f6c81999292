package screens

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"kiosk/fieldtext"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/pricing"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/termtext"
	"kiosk/ui"
)

type confirmKeys struct {
	Confirm, Retry key.Binding
}

func (k confirmKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Confirm, k.Retry} }
func (k confirmKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Confirm, k.Retry}} }

// Confirm reads the price again right before buying, shows it with VAT and
// the customer's input for the clerk to check, and sends the sale.
type Confirm struct {
	c       *ui.Common
	keys    confirmKeys
	product providers.Product // as the clerk picked it from the catalogue
	fields  map[string]string
	amount  money.Decimal
	spin    spinner.Model

	quoting bool
	quote   *sale.Quote
	err     string
	changed bool // the price differs from the catalogue's
	acked   bool // the clerk has seen the change (or the below-cost warning)
	sending bool
}

type (
	quoteMsg struct {
		to  *Confirm
		q   sale.Quote
		err error
	}
	saleDoneMsg struct {
		to   *Confirm
		sale *sale.Sale
		err  error
	}
)

// NewConfirm builds the confirm screen for p with the clerk's input.
func NewConfirm(c *ui.Common, p providers.Product, fields map[string]string, amount money.Decimal) *Confirm {
	sp := spinner.New()
	sp.Spinner = spinner.Line
	return &Confirm{c: c, product: p, fields: fields, amount: amount, spin: sp, keys: confirmKeys{
		Confirm: key.NewBinding(key.WithKeys("enter", "y"), key.WithHelp("enter", c.T("key.confirm_sell"))),
		Retry:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("key.read_price"))),
	}}
}

// Title names the screen.
func (m *Confirm) Title() string { return m.c.T("confirm.title") }

// Keys lists the bindings.
func (m *Confirm) Keys() help.KeyMap { return m.keys }

// Busy is true while the sale is being sent.
func (m *Confirm) Busy() bool { return m.sending }

// Init asks for the price.
func (m *Confirm) Init() tea.Cmd { return tea.Batch(m.spin.Tick, m.fetchQuote()) }

func (m *Confirm) fetchQuote() tea.Cmd {
	m.quoting, m.err, m.quote = true, "", nil
	e, ctx, p, f, a := m.c.Sales(), m.c.Context(), m.product, m.fields, m.amount
	return func() tea.Msg {
		q, err := e.Quote(ctx, p, f, a)
		return quoteMsg{m, q, err}
	}
}

// Update handles the quote, the clerk's confirmation and the sale result.
func (m *Confirm) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if !m.quoting && !m.sending {
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case quoteMsg:
		if msg.to != m {
			return nil
		}
		m.quoting = false
		if msg.err != nil {
			m.err = quoteError(m.c, msg.err)
			return nil
		}
		m.quote = &msg.q
		m.changed = sale.PriceChanged(m.product, msg.q.Quote)
		m.acked = false
		return nil
	case saleDoneMsg:
		if msg.to != m {
			return nil
		}
		m.sending = false
		return tea.Batch(ui.Home(NewResult(m.c, msg.sale, msg.err)), ui.RefreshBalance())
	case tea.KeyPressMsg:
		switch {
		case m.sending || m.quoting:
			return nil
		case key.Matches(msg, m.keys.Retry):
			return tea.Batch(m.spin.Tick, m.fetchQuote())
		case key.Matches(msg, m.keys.Confirm) && m.quote != nil:
			if m.changed && !m.acked {
				m.acked = true
				return ui.Status(m.c.T("confirm.press_again"), true)
			}
			if m.quote.NeedsSecondLook() && !m.acked {
				m.acked = true
				return ui.Status(m.c.T("confirm.check_price"), true)
			}
			return m.send()
		}
	}
	return nil
}

func (m *Confirm) send() tea.Cmd {
	m.sending = true
	e, ctx, q, clerk := m.c.Sales(), m.c.Context(), *m.quote, m.c.Session().Clerk
	return tea.Batch(m.spin.Tick, func() tea.Msg {
		s, err := e.Sell(ctx, q, clerk)
		return saleDoneMsg{m, s, err}
	})
}

// View shows the product, the customer's input and the price breakdown.
func (m *Confirm) View() string {
	s := m.c.Styles()
	var b strings.Builder
	b.WriteString(s.Title.Render(displayName(m.c, &m.product)) + s.Subtle.Render("  "+termtext.Line(m.product.Brand)+" · "+providerName(m.c, m.product.Provider)) + "\n\n")
	// What the clerk entered, as the customer reads it: a choice by its
	// name (India's circle), not its code.
	for _, e := range fieldtext.Entered(m.product, m.fields) {
		b.WriteString(kv(s, labelOf(m.c, e.Field), s.Value.Render(m.c.Show(fieldtext.Value(e.Field, e.Value)))))
	}
	switch {
	case m.quoting:
		b.WriteString("\n" + m.spin.View() + " " + m.c.T("confirm.reading_price", providerName(m.c, m.product.Provider)) + "\n")
		return b.String()
	case m.err != "":
		b.WriteString("\n")
		for _, l := range wrapLines(m.c, m.err, max(m.c.Width(), 20)) {
			b.WriteString(s.Error.Render(l) + "\n")
		}
		b.WriteString("\n" + s.Subtle.Render(m.c.T("confirm.not_sold_retry")) + "\n")
		return b.String()
	case m.quote == nil:
		return b.String()
	}
	m.quoteLines(&b, m.quote)
	return b.String()
}

// quoteLines are the provider's text and the price breakdown: cost, fee,
// VAT and what the customer pays, with a changed price, or a price below
// cost, highlighted.
func (m *Confirm) quoteLines(b *strings.Builder, q *sale.Quote) {
	s := m.c.Styles()
	if q.Info != "" {
		// The provider's text (a subscriber's offers, a bill) is wrapped,
		// not cut: the clerk reads it to the customer.
		b.WriteString("\n" + s.Subtle.Width(max(m.c.Width(), 20)).Render(m.c.Show(termtext.Text(q.Info))) + "\n")
	}
	b.WriteString("\n")
	if q.Quantity > 1 {
		b.WriteString(kv(s, m.c.T("label.quantity"), fmt.Sprint(q.Quantity)))
	}
	m.creditLine(b, q)
	if !q.CostBeforeVAT.IsZero() {
		b.WriteString(kv(s, m.c.T("label.cost"), m.c.T("confirm.cost_with_vat", q.CostBeforeVAT, q.CostVAT.Amount.StringFixed(money.Places(q.CostVAT.Currency)), q.Cost)))
	} else {
		b.WriteString(kv(s, m.c.T("label.cost"), q.Cost.String()))
	}
	if !q.Fee.IsZero() {
		b.WriteString(kv(s, m.c.T("label.fee"), q.Fee.String()))
	}
	vat := q.Product.VATType
	if vat != "" {
		vat = fmt.Sprintf("%s %s%%", vatLabel(m.c, vat), q.Product.VATPercent)
		b.WriteString(kv(s, m.c.T("label.vat"), vat+"  "+q.RetailVAT.String()))
	}
	pays := q.Retail
	if !q.Price.Fee.IsZero() {
		// The shop's service fee is a line of its own, with its VAT.
		b.WriteString(kv(s, m.c.T("label.price"), q.Retail.String()))
		fee := q.Price.Fee.String()
		if !q.Price.FeeVAT.IsZero() {
			fee += "  (" + m.c.T("label.vat") + " " + q.Price.FeeVAT.String() + ")"
		}
		b.WriteString(kv(s, m.c.T("label.service_fee"), fee))
		pays = q.Price.Total
	}
	warn := m.changed || q.NeedsSecondLook()
	price := s.Value.Render(pays.String())
	if warn {
		price = s.Changed.Render(" " + pays.String() + " ")
	}
	b.WriteString(kv(s, m.c.T("label.customer_pays"), price))
	m.warnings(b, q)
	if m.sending {
		b.WriteString("\n" + m.spin.View() + " " + m.c.T("confirm.selling") + "\n")
	} else {
		b.WriteString("\n" + s.Subtle.Render(m.c.T("confirm.take_money")) + "\n")
	}
}

// creditLine says, for a product priced by the amount, how much credit is
// sent and what the amount entered meant under the price list.
func (m *Confirm) creditLine(b *strings.Builder, q *sale.Quote) {
	s := m.c.Styles()
	credit := money.New(q.Price.Credit, q.Cost.Currency).String()
	if q.Product.PriceKind == providers.PriceUnits {
		credit = q.Price.Credit.String() + " " + m.c.T("label.units")
	}
	switch q.Price.Mode {
	case pricing.LessCredit:
		b.WriteString(kv(s, m.c.T("label.credit"), m.c.T("confirm.less_credit", credit)))
	case pricing.PayMore:
		if q.Price.Source == pricing.FromRule {
			b.WriteString(kv(s, m.c.T("label.credit"), m.c.T("confirm.pay_more", credit)))
		}
	}
}

// warnings are the lines that ask for enter twice: a price changed since
// the catalogue, a price below cost, a credit short of the list's price.
func (m *Confirm) warnings(b *strings.Builder, q *sale.Quote) {
	s := m.c.Styles()
	if m.changed {
		b.WriteString("\n" + s.Warn.Render(m.c.T("confirm.price_changed", m.product.Price, q.Product.Price)) + "\n")
		if !m.acked {
			b.WriteString(s.Warn.Render(m.c.T("confirm.tell_customer")) + "\n")
		}
	}
	if q.BelowCost {
		b.WriteString("\n" + s.Warn.Render(m.c.T("confirm.below_cost", q.Retail, q.Cost)) + "\n")
	}
	if q.ShortOfRule {
		b.WriteString("\n" + s.Warn.Render(m.c.T("confirm.short_of_rule", q.Retail, money.New(q.Price.Credit, q.Cost.Currency))) + "\n")
	}
	if (q.BelowCost || q.ShortOfRule) && !m.acked {
		b.WriteString(s.Warn.Render(m.c.T("confirm.check_price")) + "\n")
	}
}

// vatLabel names a VAT type in the clerk's language.
func vatLabel(c *ui.Common, t string) string {
	switch t {
	case "SG":
		return c.T("vat.standard_gross")
	case "SM":
		return c.T("vat.standard_margin")
	case "OS":
		return c.T("vat.out_of_scope")
	}
	return t
}

// quoteError is why no price could be read, in logical order: a value a
// field refuses in the clerk's words, else the provider's.
func quoteError(c *ui.Common, err error) string {
	var fe *providers.FieldError
	if errors.As(err, &fe) {
		return fieldtext.Error(c.Lang(), fe)
	}
	var own *i18n.Error // the kiosk's own refusal: said in the clerk's language
	if errors.As(err, &own) {
		return i18n.In(c.Lang(), own)
	}
	return providers.ClerkMessage(err)
}

// kvLabel is the label column of confirm and result: 15 cells, a longer
// label cut to 14 and an ellipsis, so it never runs into its value
// ("Customer mobile…  50212345678").
const kvLabel = 15

func kv(s *ui.Styles, k, v string) string {
	return s.Label.Render(padCell(k, kvLabel-1)+" ") + v + "\n"
}

// providerName is the name of the provider with id, as configured.
func providerName(c *ui.Common, id string) string {
	for _, info := range c.Sales().ProviderInfos() {
		if info.ID == id {
			return termtext.Line(info.Name)
		}
	}
	return id
}
