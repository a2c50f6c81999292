package screens

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kiosk/sale"
	"kiosk/termtext"
	"kiosk/ui"
)

type recoveryKeys struct {
	Up, Down, Open, Settle, Sold, NotSold key.Binding
}

func (k recoveryKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Settle, k.Sold, k.NotSold}
}

func (k recoveryKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Open, k.Settle}, {k.Sold, k.NotSold}}
}

// Recovery lists the open sales (prepared, in doubt, pending, needs
// review) and settles them by their own reference.
type Recovery struct {
	c       *ui.Common
	keys    recoveryKeys
	sales   []*sale.Sale
	cursor  int
	working bool
	err     string
	loaded  bool
	settled []*sale.Sale // settled while this screen was open
}

type recoveryMsg struct {
	to      *Recovery
	sales   []*sale.Sale
	settled []*sale.Sale
	err     error
}

// NewRecovery builds the screen; it settles every open sale when opened.
func NewRecovery(c *ui.Common) *Recovery {
	km := c.KeyMap()
	return &Recovery{c: c, keys: recoveryKeys{
		Up:      km.Up,
		Down:    km.Down,
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("key.show_sale"))),
		Settle:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("key.ask_again"))),
		Sold:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", c.T("key.mark_sold"))),
		NotSold: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", c.T("key.mark_not_sold"))),
	}}
}

// Title names the screen.
func (m *Recovery) Title() string { return m.c.T("recovery.title") }

// Keys lists the bindings.
func (m *Recovery) Keys() help.KeyMap { return m.keys }

// Init settles what can be settled.
func (m *Recovery) Init() tea.Cmd { return m.settle() }

func (m *Recovery) settle() tea.Cmd {
	m.working = true
	e, ctx := m.c.Sales(), m.c.Context()
	return func() tea.Msg {
		still, settled, err := e.RecoverAll(ctx)
		return recoveryMsg{m, still, settled, err}
	}
}

// Update handles keys and recovery results.
func (m *Recovery) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case recoveryMsg:
		if msg.to != m {
			return nil
		}
		// Sales settled while this screen is open stay listed, after the
		// open ones, so the clerk can open them for a recovered PIN and print.
		m.settled = append(m.settled, msg.settled...)
		m.working, m.loaded, m.err = false, true, ""
		m.sales = append(append([]*sale.Sale{}, msg.sales...), m.settled...)
		if msg.err != nil {
			m.err = firstLine(msg.err.Error())
		}
		m.cursor = min(m.cursor, max(len(m.sales)-1, 0))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.cursor = max(m.cursor-1, 0)
		case key.Matches(msg, m.keys.Down):
			m.cursor = min(m.cursor+1, max(len(m.sales)-1, 0))
		case key.Matches(msg, m.keys.Settle) && !m.working:
			return m.settle()
		case key.Matches(msg, m.keys.Open) && m.cursor < len(m.sales):
			return ui.Push(NewResult(m.c, m.sales[m.cursor], nil))
		case (key.Matches(msg, m.keys.Sold) || key.Matches(msg, m.keys.NotSold)) && m.cursor < len(m.sales):
			return m.decide(m.sales[m.cursor], key.Matches(msg, m.keys.Sold))
		}
	case ui.PopMsg:
		return m.settle()
	}
	return nil
}

// decide opens the decision form for a needs-review sale, asking for a
// supervisor first unless one is signed in.
func (m *Recovery) decide(s *sale.Sale, sold bool) tea.Cmd {
	if s.State != sale.NeedsReview {
		return ui.Status(m.c.T("recovery.only_review"), true)
	}
	if session := m.c.Session(); session.Supervisor() {
		return ui.Push(NewDecide(m.c, s, sold, session.User.Name))
	}
	if !m.c.Settings().SignIn {
		return ui.Status(m.c.T("recovery.no_supervisor"), true)
	}
	what := AuthPurpose{Shown: m.c.T("recovery.purpose_not_sold", s.Ref), Audit: fmt.Sprintf("mark sale %s not sold", s.Ref)}
	if sold {
		what = AuthPurpose{Shown: m.c.T("recovery.purpose_sold", s.Ref), Audit: fmt.Sprintf("mark sale %s sold", s.Ref)}
	}
	return ui.Push(NewSupervisorAuth(m.c, what, func(u sale.User) tea.Cmd {
		return ui.Push(NewDecide(m.c, s, sold, u.Name))
	}))
}

// View lists the open sales with age, provider, product, masked customer,
// amount and state.
func (m *Recovery) View() string {
	s := m.c.Styles()
	var b strings.Builder
	switch {
	case m.working && !m.loaded:
		return s.Subtle.Render(m.c.T("recovery.asking"))
	case m.openCount() == 0:
		b.WriteString(s.OK.Render(m.c.T("recovery.none")) + "\n")
		if len(m.sales) > 0 {
			b.WriteString(s.Subtle.Render(m.c.T("recovery.settled_now")) + "\n\n")
		}
	default:
		b.WriteString(s.Warn.Render(m.c.Plural("recovery.open", m.openCount())) + "\n")
		b.WriteString(s.Subtle.Render(m.c.T("recovery.explain")) + "\n\n")
	}
	now := m.c.Now()
	// Fixed columns take 64 cells; the product name gets the rest.
	nameW := max(m.c.Width()-65, 12)
	for i, sl := range m.sales {
		line := fmt.Sprintf("%s %-16s %4s %-8s %-*s %-10s %11s %s", marker(i == m.cursor), sl.Ref,
			age(m.c, now.Sub(sl.Created)), ui.ShortName(providerName(m.c, sl.Provider), 8), nameW, clip(termtext.Line(sl.Product.Name), nameW),
			clip(sale.Mask(sl.Customer()), 10), clip(sl.Quote.Retail.String(), 11), saleLabel(m.c, sl))
		if i == m.cursor {
			line = s.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	if m.cursor < len(m.sales) && m.sales[m.cursor].Alarm != "" {
		b.WriteString("\n" + s.Error.Width(max(m.c.Width()-2, 20)).Render(termtext.Line(m.sales[m.cursor].Message)) + "\n")
	} else if m.cursor < len(m.sales) && m.sales[m.cursor].AfterRestore() {
		b.WriteString("\n" + s.Warn.Width(max(m.c.Width()-2, 20)).Render(m.c.T("recovery.after_restore")) + "\n")
	}
	if m.err != "" {
		b.WriteString("\n" + s.Error.Render(m.err) + "\n")
	}
	if m.working {
		b.WriteString("\n" + s.Subtle.Render(m.c.T("recovery.checking")))
	}
	return b.String()
}

// saleLabel is a sale's state for a list: ALARM for a sale whose reference
// another sale holds at the provider.
func saleLabel(c *ui.Common, s *sale.Sale) string {
	if s.Alarm != "" && s.State.Open() {
		return c.Styles().Error.Render(c.T("state.alarm"))
	}
	if s.AfterRestore() {
		return c.Styles().Warn.Render(c.T("state.after_restore"))
	}
	return stateLabel(c, s.State)
}

// stateLabel is a state in at most 8 cells, in the clerk's language.
func stateLabel(c *ui.Common, s sale.State) string {
	return c.T("state." + string(s))
}

func (m *Recovery) openCount() int {
	n := 0
	for _, s := range m.sales {
		if s.State.Open() {
			n++
		}
	}
	return n
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
