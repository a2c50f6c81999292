package screens

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/fieldtext"
	"kiosk/providers"
	"kiosk/qrtext"
	"kiosk/sale"
	"kiosk/termtext"
	"kiosk/ui"
)

type resultKeys struct {
	Next, Check, Print, EndOfDay, Reveal key.Binding
}

func (k resultKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Print, k.Check, k.Reveal}
}
func (k resultKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Print, k.Check, k.Reveal}, {k.EndOfDay}}
}

// Result shows what the customer gets: the PIN, serial and how to use it,
// or why nothing was sold, or that the sale is still being settled.
type Result struct {
	c        *ui.Common
	keys     resultKeys
	sale     *sale.Sale
	err      string
	spin     spinner.Model
	poll     time.Duration
	check    bool // a status look-up is running
	printing bool // a receipt is being printed
	// hidden masks the PINs of a past sale opened from the history by a
	// clerk: the customer had them when it was sold, and reading them again
	// is a supervisor's, as a reprint is (v asks for one).
	hidden bool
}

type (
	settleMsg struct {
		to   *Result
		sale *sale.Sale
		err  error
	}
	pollMsg    struct{ ref string }
	revealMsg  struct{ to *Result }
	printedMsg struct {
		to    *Result
		sale  *sale.Sale
		shown string // the receipt's text, with no printer to print it on
		err   error
	}
)

// NewResult builds the result screen for a sale returned by the engine;
// err is a journal problem to show on top (the sale is still shown).
func NewResult(c *ui.Common, s *sale.Sale, err error) *Result {
	r := &Result{c: c, sale: s, spin: spinner.New(), poll: 2 * time.Second, keys: resultKeys{
		Next:  key.NewBinding(key.WithKeys("n", "enter"), key.WithHelp("enter", c.T("key.next_sale"))),
		Check: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("key.ask_provider"))),
		Print: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", c.T("key.print"))),
		// The end of day from the last sale's screen, as from the catalogue.
		EndOfDay: key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", c.T("key.end_of_day"))),
		Reveal:   key.NewBinding(key.WithKeys("v"), key.WithHelp("v", c.T("key.show_pin")), key.WithDisabled()),
	}}
	if err != nil {
		r.err = err.Error()
	}
	return r
}

// NewPastResult is the result screen for a sale opened from the history.
// With clerks set up, a clerk sees its PINs masked until a supervisor
// shows them (audited); a supervisor sees them at once.
func NewPastResult(c *ui.Common, s *sale.Sale) *Result {
	r := NewResult(c, s, nil)
	if c.Settings().SignIn && !c.Session().Supervisor() && hasSecrets(s) {
		r.hidden = true
		r.keys.Reveal.SetEnabled(true)
	}
	return r
}

// hasSecrets reports whether a sale holds anything a reprint would hand
// over again: a PIN, a second PIN or a login.
func hasSecrets(s *sale.Sale) bool {
	for _, v := range s.Vouchers {
		if v.PIN != "" || v.PIN2 != "" || v.Username != "" {
			return true
		}
	}
	return false
}

// reveal asks a supervisor to show a past sale's PINs.
func (m *Result) reveal() tea.Cmd {
	why := AuthPurpose{
		Shown: m.c.T("result.reveal_purpose", m.sale.Ref),
		Audit: fmt.Sprintf("show the PINs of sale %s", m.sale.Ref),
	}
	return ui.Push(NewSupervisorAuth(m.c, why, func(sale.User) tea.Cmd {
		return func() tea.Msg { return revealMsg{m} }
	}))
}

// Title names the screen.
func (m *Result) Title() string { return m.c.T("result.title", m.ref()) }

func (m *Result) ref() string {
	if m.sale == nil {
		return ""
	}
	return m.sale.Ref
}

// Keys lists the bindings.
// r asks the provider only while the sale is not settled, so it is in
// the help only then.
func (m *Result) Keys() help.KeyMap {
	k := m.keys
	k.Check.SetEnabled(m.sale != nil && m.waiting())
	return k
}

// Init starts polling when the sale is not settled yet.
func (m *Result) Init() tea.Cmd {
	if m.waiting() {
		return tea.Batch(m.spin.Tick, m.schedule())
	}
	return nil
}

func (m *Result) waiting() bool {
	return m.sale != nil && (m.sale.State == sale.Pending || m.sale.State == sale.InDoubt || m.sale.State == sale.Prepared)
}

// schedule polls with backoff: 2s, 4s, 8s … up to 30s between look-ups.
func (m *Result) schedule() tea.Cmd {
	d, ref := m.poll, m.sale.Ref
	m.poll = min(2*m.poll, 30*time.Second)
	return m.c.After(d, pollMsg{ref})
}

func (m *Result) settle() tea.Cmd {
	m.check = true
	e, ctx, ref := m.c.Sales(), m.c.Context(), m.sale.Ref
	return func() tea.Msg {
		s, err := e.Settle(ctx, ref)
		return settleMsg{m, s, err}
	}
}

// Update handles keys and status look-ups.
func (m *Result) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if !m.waiting() {
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case pollMsg:
		if m.sale == nil || msg.ref != m.sale.Ref || !m.waiting() || m.check {
			return nil
		}
		return m.settle()
	case revealMsg:
		if msg.to == m {
			m.hidden = false
			m.keys.Reveal.SetEnabled(false)
		}
		return nil
	case printedMsg:
		if msg.to != m {
			return nil
		}
		m.printing = false
		if msg.sale != nil {
			m.sale = msg.sale
		}
		return printedOutcome(m.c, msg.sale, msg.shown, msg.err)
	case settleMsg:
		if msg.to != m {
			return nil
		}
		m.check = false
		if msg.sale != nil {
			m.sale = msg.sale
		}
		if !m.waiting() {
			return ui.RefreshBalance()
		}
		return m.schedule()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Next):
			return ui.Home(nil)
		case key.Matches(msg, m.keys.Check) && m.waiting() && !m.check:
			return m.settle()
		case key.Matches(msg, m.keys.Print) && m.sale != nil:
			return m.print()
		case key.Matches(msg, m.keys.EndOfDay):
			return OpenEndOfDay(m.c)
		case key.Matches(msg, m.keys.Reveal) && m.hidden:
			return m.reveal()
		}
	}
	return nil
}

// print prints the receipt; a reprint (any print after the first) needs a
// supervisor when clerks are set up.
func (m *Result) print() tea.Cmd {
	if m.printing {
		return nil
	}
	return printSale(m.c, m.sale, func() { m.printing = true }, func(s *sale.Sale, shown string, err error) tea.Msg {
		return printedMsg{m, s, shown, err}
	})
}

// Waiting says a receipt is being printed: the kiosk does not quit under it.
func (m *Result) Waiting() string {
	if m.printing {
		return m.c.T("result.printing_wait")
	}
	return ""
}

// View draws the banner for the sale's state and what the customer gets.
func (m *Result) View() string {
	s := m.c.Styles()
	var b strings.Builder
	if m.err != "" {
		b.WriteString(s.Error.Render(m.c.T("result.journal_problem", m.err)) + "\n")
	}
	if m.sale == nil {
		return b.String()
	}
	sl := m.sale
	b.WriteString(m.banner() + "\n")
	b.WriteString(s.Title.Render(displayName(m.c, &sl.Product)) + s.Subtle.Render("  "+termtext.Line(sl.Product.Brand)+" · "+providerName(m.c, sl.Provider)) + "\n")
	b.WriteString(kv(s, m.c.T("label.reference"), sl.Ref))
	if sl.ProviderRef != "" {
		b.WriteString(kv(s, m.c.T("label.provider_ref"), termtext.Line(sl.ProviderRef)))
	}
	m.entered(&b)
	if sl.State != sale.Failed {
		// A sale NOT SOLD was paid nothing: the banner says to give the
		// money back, and a "Paid" line would say the opposite.
		b.WriteString(kv(s, m.c.T("label.paid"), sl.Paid().String()))
	}
	var qr string
	for _, v := range sl.Vouchers {
		if v.IsQR && sl.State == sale.Succeeded && !m.hidden {
			qr, _ = qrtext.Render(qrContent(v))
			break
		}
	}
	m.outcome(&b, qrWidth(qr))
	text := b.String()
	if qr == "" {
		return text
	}
	// The QR sits beside the text; the text is clipped to what is left so
	// both fit an 80×24 screen.
	col := max(m.c.Width()-qrWidth(qr), 20)
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = clip(l, col)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(col).Render(strings.Join(lines, "\n")), "  ", qr)
}

// outcome is what the customer gets (every card, how to use it) or the
// provider's word on why not yet or not at all; qrW is the room the QR
// code beside it takes.
func (m *Result) outcome(b *strings.Builder, qrW int) {
	s, sl := m.c.Styles(), m.sale
	if sl.State == sale.Succeeded {
		if sl.VoucherErr != "" {
			b.WriteString(s.Error.Render(termtext.Line(sl.VoucherErr)) + "\n")
		}
		for i, v := range sl.Vouchers {
			if len(sl.Vouchers) > 1 {
				b.WriteString(s.Subtle.Render(m.c.T("result.card_of", i+1, len(sl.Vouchers))) + "\n")
			}
			b.WriteString(voucherLines(m.c, m.shown(v)))
		}
		if m.hidden {
			b.WriteString(s.Subtle.Render(m.c.T("result.pins_hidden")) + "\n")
		}
		if h := howToUse(m.c, &sl.Product); h != "" {
			b.WriteString(s.Label.Render(m.c.T("label.how_to_use")) + "\n" + lipgloss.NewStyle().Width(max(m.c.Width()-2-qrW, 20)).Render(h) + "\n")
		}
		return
	}
	if sl.Message != "" {
		style := s.Subtle
		if sl.Alarm != "" {
			style = s.Error
		}
		b.WriteString("\n")
		for _, l := range wrapLines(m.c, termtext.Line(sl.Message), max(m.c.Width()-2, 20)) {
			b.WriteString(style.Render(l) + "\n")
		}
	}
}

// entered are the customer's lines: the number the sale went to, what
// else the clerk entered (a game's player id and zone, a circle by its
// name) and a calling card's access number. A calling card is sold to
// nobody's number, so it has no customer line (a sale journaled before
// MOR's card count had its own kind would show the count as one).
func (m *Result) entered(b *strings.Builder) {
	s, sl := m.c.Styles(), m.sale
	card := saleProduct(sl).Kind == providers.KindCallingCard
	customer := ""
	if !card {
		customer = sl.Customer()
	}
	if customer != "" {
		b.WriteString(kv(s, m.c.T("label.customer"), customer))
	}
	for _, e := range fieldtext.Besides(sl.Product, sl.Quote.Fields, customer) {
		b.WriteString(kv(s, labelOf(m.c, e.Field), m.c.Show(fieldtext.Value(e.Field, e.Value))))
	}
	if q := sl.Quote.Quantity; q > 1 {
		b.WriteString(kv(s, m.c.T("label.quantity"), fmt.Sprint(q)))
	}
	if n := accessNumber(sl); card && n != "" {
		b.WriteString(kv(s, m.c.T("label.access_number"), n))
	}
}

// saleProduct is the product as quoted, else the sale's catalogue copy.
func saleProduct(sl *sale.Sale) providers.Product {
	if sl.Quote.Product.Name != "" {
		return sl.Quote.Product
	}
	return sl.Product
}

// accessNumber is the number a calling card's customer dials, as its card
// group is configured (MOR's access_number).
func accessNumber(sl *sale.Sale) string {
	if n := saleProduct(sl).Extra[providers.ExtraAccessNumber]; n != "" {
		return termtext.Line(n)
	}
	return termtext.Line(sl.Product.Extra[providers.ExtraAccessNumber])
}

// shown is the voucher as this screen may show it: masked while hidden.
func (m *Result) shown(v providers.Voucher) providers.Voucher {
	if m.hidden {
		v.PIN, v.PIN2, v.Username = sale.Mask(v.PIN), sale.Mask(v.PIN2), sale.Mask(v.Username)
	}
	return v
}

// qrContent is what the drawn QR encodes: an eSIM's LPA activation code
// when the provider gives one (what a phone scans to install it), else the
// PIN, which for QR products is a link to the QR image.
func qrContent(v providers.Voucher) string {
	for _, k := range []string{"qrcode", "lpa"} {
		if c := termtext.Line(v.Extra[k]); strings.HasPrefix(c, "LPA:") {
			return c
		}
	}
	return termtext.Line(v.PIN)
}

func qrWidth(qr string) int {
	if qr == "" {
		return 0
	}
	return lipgloss.Width(qr) + 2
}

func (m *Result) banner() string {
	s := m.c.Styles()
	switch m.sale.State {
	case sale.Succeeded:
		return s.OK.Render(m.c.T("result.sold"))
	case sale.Failed:
		return s.Error.Render(m.c.T("result.not_sold"))
	case sale.NeedsReview:
		if m.sale.Alarm != "" {
			return s.Error.Render(m.c.T("result.alarm"))
		}
		return s.Warn.Render(m.c.T("result.needs_review"))
	}
	what := m.c.T("result.waiting", stateLabel(m.c, m.sale.State))
	if m.check {
		what = m.c.T("result.asking", stateLabel(m.c, m.sale.State))
	}
	return s.Warn.Render(m.spin.View()+" "+what+" ") + s.Subtle.Render(m.c.T("result.do_not_resell"))
}

// howToUse is the product's instructions in the clerk's language.
func howToUse(c *ui.Common, p *providers.Product) string {
	if c.Arabic() && p.HowToUseAr != "" {
		return c.Show(termtext.Text(p.HowToUseAr))
	}
	return c.Show(termtext.Text(p.HowToUse))
}

// voucherLines are what the customer gets, every value as one clean line.
func voucherLines(c *ui.Common, v providers.Voucher) string {
	s := c.Styles()
	var b strings.Builder
	line := termtext.Line
	if v.Serial != "" {
		b.WriteString(kv(s, c.T("label.serial"), line(v.Serial)))
	}
	if v.Username != "" {
		b.WriteString(kv(s, c.T("label.username"), s.PIN.Render(line(v.Username))))
	}
	if v.PIN != "" {
		label := c.T("label.pin")
		if v.IsQR {
			label = c.T("label.qr_link")
		}
		b.WriteString(kv(s, label, s.PIN.Render(line(v.PIN))))
	}
	if v.PIN2 != "" {
		b.WriteString(kv(s, c.T("label.pin2"), s.PIN.Render(line(v.PIN2))))
	}
	if v.Reference != "" {
		b.WriteString(kv(s, c.T("label.operator_ref"), line(v.Reference)))
	}
	if !v.Value.IsZero() {
		b.WriteString(kv(s, c.T("label.value"), v.Value.String()))
	}
	if v.Expiry != "" {
		b.WriteString(kv(s, c.T("label.expires"), line(v.Expiry)))
	}
	// Only what is listed as the customer's (providers.CustomerExtras):
	// a partner's commission or an internal code never shows here.
	for _, l := range v.CustomerExtras() {
		b.WriteString(kv(s, c.T("extra."+l.Label), c.Show(line(l.Value))))
	}
	return b.String()
}
