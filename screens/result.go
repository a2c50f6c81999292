package screens

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/providers"
	"kiosk/qrtext"
	"kiosk/receipt"
	"kiosk/sale"
	"kiosk/ui"
)

type resultKeys struct {
	Next, Check, Print key.Binding
}

func (k resultKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Next, k.Print, k.Check} }
func (k resultKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Next, k.Print, k.Check}} }

// Result shows what the customer gets: the PIN, serial and how to use it,
// or why nothing was sold, or that the sale is still being settled.
type Result struct {
	c     *ui.Common
	keys  resultKeys
	sale  *sale.Sale
	err   string
	spin  spinner.Model
	poll  time.Duration
	check bool // a status look-up is running
}

type (
	settleMsg struct {
		to   *Result
		sale *sale.Sale
		err  error
	}
	pollMsg    struct{ ref string }
	printedMsg struct {
		to   *Result
		sale *sale.Sale
		err  error
	}
)

// NewResult builds the result screen for a sale returned by the engine;
// err is a journal problem to show on top (the sale is still shown).
func NewResult(c *ui.Common, s *sale.Sale, err error) *Result {
	r := &Result{c: c, sale: s, spin: spinner.New(), poll: 2 * time.Second, keys: resultKeys{
		Next:  key.NewBinding(key.WithKeys("n", "enter"), key.WithHelp("enter", c.T("key.next_sale"))),
		Check: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("key.ask_provider"))),
		Print: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", c.T("key.print"))),
	}}
	if err != nil {
		r.err = err.Error()
	}
	return r
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
func (m *Result) Keys() help.KeyMap { return m.keys }

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
	return tea.Tick(d, func(time.Time) tea.Msg { return pollMsg{ref} })
}

func (m *Result) settle() tea.Cmd {
	m.check = true
	e, ctx, ref := m.c.Engine, m.c.Ctx, m.sale.Ref
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
	case printedMsg:
		if msg.to != m {
			return nil
		}
		if msg.sale != nil {
			m.sale = msg.sale
		}
		if msg.err != nil {
			return ui.Status("Not printed: "+firstLine(msg.err.Error()), true)
		}
		return ui.Status("Printed.", false)
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
		}
	}
	return nil
}

// print prints the receipt; a reprint (any print after the first) needs a
// supervisor when clerks are set up.
func (m *Result) print() tea.Cmd {
	if m.c.Printer == nil {
		return ui.Status("No printer is set up ([printer] target in the configuration).", true)
	}
	do := func(by string) tea.Cmd {
		e, ctx, ref, print := m.c.Engine, m.c.Ctx, m.sale.Ref, receiptPrinter(m.c)
		return tea.Batch(ui.Status("Printing…", false), func() tea.Msg {
			s, err := e.Print(ctx, ref, by, print)
			return printedMsg{m, s, err}
		})
	}
	if m.sale.Prints == 0 || m.c.SignIn == nil || (m.c.User != nil && m.c.User.Role == sale.RoleSupervisor) {
		return do(m.c.Clerk)
	}
	return ui.Push(NewSupervisorAuth(m.c, fmt.Sprintf("reprint #%d of sale %s", m.sale.Prints, m.sale.Ref), func(u sale.User) tea.Cmd {
		return do(u.Name)
	}))
}

// View draws the banner for the sale's state and what the customer gets.
func (m *Result) View() string {
	s := m.c.Styles
	var b strings.Builder
	if m.err != "" {
		b.WriteString(s.Error.Render(m.c.T("result.journal_problem", m.err)) + "\n")
	}
	if m.sale == nil {
		return b.String()
	}
	sl := m.sale
	b.WriteString(m.banner() + "\n")
	b.WriteString(s.Title.Render(displayName(m.c, &sl.Product)) + s.Subtle.Render("  "+sl.Product.Brand+" · "+providerName(m.c, sl.Provider)) + "\n")
	b.WriteString(kv(s, m.c.T("label.reference"), sl.Ref))
	if sl.ProviderRef != "" {
		b.WriteString(kv(s, m.c.T("label.provider_ref"), sl.ProviderRef))
	}
	if c := sl.Customer(); c != "" {
		b.WriteString(kv(s, m.c.T("label.customer"), c))
	}
	b.WriteString(kv(s, m.c.T("label.paid"), sl.Quote.Retail.String()))
	var qr string
	for _, v := range sl.Vouchers {
		if v.IsQR && sl.State == sale.Succeeded {
			qr, _ = qrtext.Render(qrContent(v))
			break
		}
	}
	if sl.State == sale.Succeeded {
		if sl.VoucherErr != "" {
			b.WriteString(s.Error.Render(sl.VoucherErr) + "\n")
		}
		for i, v := range sl.Vouchers {
			if len(sl.Vouchers) > 1 {
				b.WriteString(s.Subtle.Render(m.c.T("result.card_of", i+1, len(sl.Vouchers))) + "\n")
			}
			b.WriteString(voucherLines(m.c, v))
		}
		if h := howToUse(m.c, &sl.Product); h != "" {
			b.WriteString(s.Label.Render(m.c.T("label.how_to_use")) + "\n" + lipgloss.NewStyle().Width(max(m.c.Width-2-qrWidth(qr), 20)).Render(h) + "\n")
		}
	} else if sl.Message != "" {
		style := s.Subtle
		if sl.Alarm != "" {
			style = s.Error
		}
		b.WriteString("\n" + style.Width(max(m.c.Width-2, 20)).Render(sl.Message) + "\n")
	}
	text := b.String()
	if qr == "" {
		return text
	}
	// The QR sits beside the text; the text is clipped to what is left so
	// both fit an 80×24 screen.
	col := max(m.c.Width-qrWidth(qr), 20)
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = clip(l, col)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(col).Render(strings.Join(lines, "\n")), "  ", qr)
}

// qrContent is what the drawn QR encodes: an eSIM's LPA activation code
// when the provider gives one (what a phone scans to install it), else the
// PIN, which for QR products is a link to the QR image.
func qrContent(v providers.Voucher) string {
	for _, k := range []string{"qrcode", "lpa"} {
		if c := v.Extra[k]; strings.HasPrefix(c, "LPA:") {
			return c
		}
	}
	return v.PIN
}

func qrWidth(qr string) int {
	if qr == "" {
		return 0
	}
	return lipgloss.Width(qr) + 2
}

func (m *Result) banner() string {
	s := m.c.Styles
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
		return c.Show(p.HowToUseAr)
	}
	return c.Show(p.HowToUse)
}

func voucherLines(c *ui.Common, v providers.Voucher) string {
	s := c.Styles
	var b strings.Builder
	if v.Serial != "" {
		b.WriteString(kv(s, c.T("label.serial"), v.Serial))
	}
	if v.Username != "" {
		b.WriteString(kv(s, c.T("label.username"), s.PIN.Render(v.Username)))
	}
	if v.PIN != "" {
		label := c.T("label.pin")
		if v.IsQR {
			label = c.T("label.qr_link")
		}
		b.WriteString(kv(s, label, s.PIN.Render(v.PIN)))
	}
	if v.PIN2 != "" {
		b.WriteString(kv(s, c.T("label.pin2"), s.PIN.Render(v.PIN2)))
	}
	if v.Reference != "" {
		b.WriteString(kv(s, c.T("label.operator_ref"), v.Reference))
	}
	if !v.Value.IsZero() {
		b.WriteString(kv(s, c.T("label.value"), v.Value.String()))
	}
	if v.Expiry != "" {
		b.WriteString(kv(s, c.T("label.expires"), v.Expiry))
	}
	for _, k := range sortedKeys(v.Extra) {
		if k == "qrcode" || k == "qrcodeUrl" { // the QR drawn on screen and the PIN link
			continue
		}
		b.WriteString(kv(s, clip(k, 14), v.Extra[k]))
	}
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// receiptPrinter prints a sale's receipt on the kiosk's printer, in the
// clerk's language.
func receiptPrinter(c *ui.Common) sale.PrintFunc {
	p, info := c.Printer, c.Receipt
	info.Lang = c.Lang
	now := c.Now
	return func(ctx context.Context, s *sale.Sale, reprint int) error {
		info := info
		info.Reprint, info.Now = reprint, now()
		r, err := receipt.Build(s, info)
		if err != nil {
			return fmt.Errorf("receipt for %s: %w", s.Ref, err)
		}
		return p.Print(ctx, r)
	}
}
