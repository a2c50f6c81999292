package screens

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kiosk/eod"
	"kiosk/ui"
)

// ConfirmClose shows what closing the day would write — each currency's
// count against the cash expected, over or short — and closes only on
// enter: a Z-report can never be changed.
type ConfirmClose struct {
	c        *ui.Common
	parent   *EndOfDay
	prepared *eod.Report
	keys     confirmCloseKeys
}

type confirmCloseKeys struct{ Close key.Binding }

func (k confirmCloseKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Close} }
func (k confirmCloseKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Close}} }

// NewConfirmClose asks to confirm the close PrepareClose made.
func NewConfirmClose(c *ui.Common, parent *EndOfDay, prepared *eod.Report) *ConfirmClose {
	return &ConfirmClose{c: c, parent: parent, prepared: prepared, keys: confirmCloseKeys{
		Close: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("key.close_day"))),
	}}
}

// Title names the screen.
func (m *ConfirmClose) Title() string { return m.c.T("cash.title") }

// Keys lists the bindings.
func (m *ConfirmClose) Keys() help.KeyMap { return m.keys }

// Init does nothing: the close is prepared.
func (m *ConfirmClose) Init() tea.Cmd { return nil }

// Update closes on enter; esc (the root's) goes back without closing.
func (m *ConfirmClose) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, m.keys.Close) {
		parent, r := m.parent, m.prepared
		return tea.Sequence(ui.Pop(), func() tea.Msg { return closeConfirmedMsg{parent, r} })
	}
	return nil
}

// View lists the count against what is expected, with over and short
// in warning colours.
func (m *ConfirmClose) View() string {
	s := m.c.Styles()
	var b strings.Builder
	b.WriteString(s.Title.Render(m.c.Show(m.c.T("eod.confirm_title", m.prepared.Day))) + "\n\n")
	for i, line := range m.prepared.CashSummary(m.c.Lang()) {
		st := s.Value
		if c := m.cashLine(i); c != nil && c.Difference != nil && !c.Difference.IsZero() {
			st = s.Warn
		}
		b.WriteString(st.Render(m.c.Show(line)) + "\n")
	}
	b.WriteString("\n" + s.Warn.Width(max(m.c.Width(), 20)).Render(m.c.T("cash.closing_warns")) + "\n")
	return b.String()
}

// cashLine is the i-th counted line CashSummary describes (it leaves out
// currencies with nothing expected and nothing counted).
func (m *ConfirmClose) cashLine(i int) *eod.CashLine {
	n := 0
	for k := range m.prepared.Cash {
		c := &m.prepared.Cash[k]
		if c.Counted == nil && c.Expected.IsZero() {
			continue
		}
		if n == i {
			return c
		}
		n++
	}
	return nil
}
