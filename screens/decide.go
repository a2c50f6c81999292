package screens

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kiosk/providers"
	"kiosk/sale"
	"kiosk/termtext"
	"kiosk/ui"
)

// Decide records a supervisor's decision on a sale no provider could
// settle: sold, with the PIN and serial read from the provider's portal,
// or not sold. A reason is always required.
type Decide struct {
	c          *ui.Common
	keys       fieldsKeys
	sale       *sale.Sale
	sold       bool
	supervisor string
	inputs     []textinput.Model
	labels     []string
	focus      int
	err        string
}

type decidedMsg struct {
	to   *Decide
	sale *sale.Sale
	err  error
}

// NewDecide builds the decision form for s, by the given supervisor.
func NewDecide(c *ui.Common, s *sale.Sale, sold bool, supervisor string) *Decide {
	km := c.KeyMap()
	m := &Decide{c: c, sale: s, sold: sold, supervisor: supervisor, keys: fieldsKeys{
		Next:   km.Next,
		Prev:   km.Prev,
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("key.record_decision"))),
	}}
	m.labels = []string{c.T("decide.reason")}
	if sold {
		m.labels = append(m.labels, c.T("label.pin"), c.T("label.serial"))
	}
	for range m.labels {
		ti := ui.NewInput(c.Styles())
		ti.Prompt = ""
		ti.SetWidth(50)
		ti.CharLimit = 200
		m.inputs = append(m.inputs, ti)
	}
	m.inputs[0].Focus()
	return m
}

// Title names the screen.
func (m *Decide) Title() string {
	if m.sold {
		return m.c.T("decide.sold")
	}
	return m.c.T("decide.not_sold")
}

// Keys lists the bindings.
func (m *Decide) Keys() help.KeyMap { return m.keys }

// Init blinks the cursor.
func (m *Decide) Init() tea.Cmd { return textinput.Blink }

// Update handles typing and the decision.
func (m *Decide) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case decidedMsg:
		if msg.to != m {
			return nil
		}
		if msg.err != nil {
			m.err = msg.err.Error()
			return nil
		}
		done := "decide.recorded_failed"
		if msg.sale.State == sale.Succeeded {
			done = "decide.recorded_succeeded"
		}
		return tea.Batch(ui.Pop(), ui.Status(m.c.T(done, msg.sale.Ref, m.supervisor), false))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Next):
			return m.setFocus(m.focus + 1)
		case key.Matches(msg, m.keys.Prev):
			return m.setFocus(m.focus - 1)
		case key.Matches(msg, m.keys.Submit):
			return m.submit()
		}
		var cmd tea.Cmd
		m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
		return cmd
	}
	return nil
}

func (m *Decide) setFocus(i int) tea.Cmd {
	i = (i + len(m.inputs)) % len(m.inputs)
	m.inputs[m.focus].Blur()
	m.focus = i
	return m.inputs[i].Focus()
}

func (m *Decide) submit() tea.Cmd {
	reason := strings.TrimSpace(m.inputs[0].Value())
	if reason == "" {
		m.err = m.c.T("decide.no_reason")
		return m.setFocus(0)
	}
	var vouchers []providers.Voucher
	if m.sold {
		pin, serial := strings.TrimSpace(m.inputs[1].Value()), strings.TrimSpace(m.inputs[2].Value())
		if pin != "" || serial != "" {
			vouchers = []providers.Voucher{{PIN: pin, Serial: serial}}
		}
	}
	e, ref, sold, sup := m.c.Sales(), m.sale.Ref, m.sold, m.supervisor
	return func() tea.Msg {
		s, err := e.Decide(ref, sold, vouchers, reason, sup)
		return decidedMsg{m, s, err}
	}
}

// View shows the sale and the form.
func (m *Decide) View() string {
	s := m.c.Styles()
	var b strings.Builder
	sl := m.sale
	b.WriteString(s.Title.Render(termtext.Line(sl.Product.Name)) + s.Subtle.Render("  "+providerName(m.c, sl.Provider)) + "\n")
	b.WriteString(kv(s, m.c.T("label.reference"), sl.Ref))
	b.WriteString(kv(s, m.c.T("label.state"), stateLabel(m.c, sl.State)))
	b.WriteString(kv(s, m.c.T("label.amount"), sl.Quote.Retail.String()))
	if sl.Message != "" {
		b.WriteString(kv(s, m.c.T("label.note"), termtext.Line(sl.Message)))
	}
	b.WriteString(kv(s, m.c.T("label.supervisor"), m.supervisor) + "\n")
	warn := "decide.warn_not_sold"
	if m.sold {
		warn = "decide.warn_sold"
	}
	b.WriteString(s.Warn.Render(m.c.T(warn)) + "\n\n")
	for i, in := range m.inputs {
		label := s.Label.Render(padRight(m.labels[i], 8))
		if i == m.focus {
			label = s.Focused.Render(padRight(m.labels[i], 8))
		}
		b.WriteString(label + " " + in.View() + "\n")
	}
	if m.err != "" {
		b.WriteString("\n" + s.Error.Render(m.err) + "\n")
	}
	return b.String()
}

func padRight(s string, w int) string {
	if n := len([]rune(s)); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
