package screens

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"kiosk/sale"
	"kiosk/termtext"
	"kiosk/ui"
)

// ReceiptView shows a sale's receipt on the screen, for a kiosk with no
// printer: the clerk reads it out or turns the screen to the customer.
// It was counted and audited as a print before it opened.
type ReceiptView struct {
	c    *ui.Common
	sale *sale.Sale
	text string
	top  int // the first line shown, when the receipt is taller than the screen
	keys receiptKeys
}

// receiptKeys scroll the receipt; esc back is the root's, in its own part
// of the help line.
type receiptKeys struct{ Up, Down key.Binding }

func (k receiptKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Up, k.Down} }
func (k receiptKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Up, k.Down}} }

// NewReceiptView shows text, the laid-out receipt of s.
func NewReceiptView(c *ui.Common, s *sale.Sale, text string) *ReceiptView {
	km := c.KeyMap()
	return &ReceiptView{c: c, sale: s, text: text, keys: receiptKeys{Up: km.Up, Down: km.Down}}
}

// Title names the screen.
func (m *ReceiptView) Title() string { return m.c.T("receipt.title") }

// Keys lists the bindings.
func (m *ReceiptView) Keys() help.KeyMap { return m.keys }

// Init does nothing: the receipt is laid out already.
func (m *ReceiptView) Init() tea.Cmd { return nil }

// Update scrolls a receipt taller than the screen; esc is the root's.
func (m *ReceiptView) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.Up):
			m.top = max(m.top-1, 0)
		case key.Matches(k, m.keys.Down):
			m.top = min(m.top+1, max(len(m.lines())-m.rows(), 0))
		}
	}
	return nil
}

func (m *ReceiptView) lines() []string { return strings.Split(strings.TrimRight(m.text, "\n"), "\n") }

// rows is how many receipt lines fit inside the frame under the note.
func (m *ReceiptView) rows() int { return max(m.c.Height()-3, 1) }

// View draws the receipt in a frame, as wide as the paper it would print on.
func (m *ReceiptView) View() string {
	s := m.c.Styles()
	lines := m.lines()
	lines = lines[min(m.top, len(lines)):]
	lines = lines[:min(len(lines), m.rows())]
	for i, l := range lines {
		lines[i] = m.c.Show(termtext.Line(l))
	}
	frame := lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(s.Subtle.GetForeground()).Padding(0, 1)
	return s.Subtle.Render(m.c.T("receipt.no_printer")) + "\n" + frame.Render(strings.Join(lines, "\n"))
}
