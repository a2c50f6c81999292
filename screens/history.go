package screens

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kiosk/sale"
	"kiosk/termtext"
	"kiosk/ui"
)

type historyKeys struct{ Up, Down, Open key.Binding }

func (k historyKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Open, k.Up, k.Down} }
func (k historyKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Open, k.Up, k.Down}} }

// History finds past sales by customer number, reference, product or date
// (YYYY-MM-DD), shows the selected sale's every state change with its time,
// and opens it for the PIN and a reprint — all from the journal, offline.
type History struct {
	c      *ui.Common
	keys   historyKeys
	query  textinput.Model
	sales  []*sale.Sale
	cursor int
	err    string
	seq    int // the newest search; older answers are dropped
}

type historyMsg struct {
	to    *History
	seq   int
	sales []*sale.Sale
	err   error
}

// NewHistory builds the history screen, showing the newest sales.
func NewHistory(c *ui.Common) *History {
	ti := ui.NewInput(c.Styles())
	ti.Prompt = c.T("history.prompt")
	ti.Placeholder = c.T("history.hint")
	ti.SetWidth(60)
	ti.Focus()
	km := c.KeyMap()
	return &History{c: c, query: ti, keys: historyKeys{
		Up:   km.Up,
		Down: km.Down,
		Open: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("key.open_pin"))),
	}}
}

// Title names the screen.
func (m *History) Title() string { return m.c.T("history.title") }

// Keys lists the bindings.
func (m *History) Keys() help.KeyMap { return m.keys }

// Init lists the newest sales.
func (m *History) Init() tea.Cmd { return m.search() }

// ParseQuery splits a history query into a date (YYYY-MM-DD, local day)
// and the rest.
func ParseQuery(text string, loc *time.Location) sale.Query {
	var q sale.Query
	var rest []string
	for _, w := range strings.Fields(text) {
		if d, err := time.ParseInLocation("2006-01-02", w, loc); err == nil {
			q.From, q.To = d, d.AddDate(0, 0, 1)
			continue
		}
		rest = append(rest, w)
	}
	q.Text = strings.Join(rest, " ")
	q.Limit = 200
	return q
}

func (m *History) search() tea.Cmd {
	m.seq++
	e, q, seq := m.c.Sales(), ParseQuery(m.query.Value(), time.Local), m.seq
	return func() tea.Msg {
		s, err := e.History(q)
		return historyMsg{m, seq, s, err}
	}
}

// Update handles typing, moving and results.
func (m *History) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case historyMsg:
		if msg.to != m || msg.seq != m.seq {
			return nil
		}
		m.sales, m.err, m.cursor = msg.sales, "", 0
		if msg.err != nil {
			m.err = msg.err.Error()
		}
	case ui.PopMsg:
		return m.search() // a reprint or decision may have changed a sale
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.cursor = max(m.cursor-1, 0)
		case key.Matches(msg, m.keys.Down):
			m.cursor = min(m.cursor+1, max(len(m.sales)-1, 0))
		case key.Matches(msg, m.keys.Open) && m.cursor < len(m.sales):
			return ui.Push(NewPastResult(m.c, m.sales[m.cursor]))
		default:
			before := m.query.Value()
			var cmd tea.Cmd
			m.query, cmd = m.query.Update(msg)
			if m.query.Value() != before {
				return tea.Batch(cmd, m.search())
			}
			return cmd
		}
	}
	return nil
}

// View lists the matches and the selected sale's history.
func (m *History) View() string {
	s := m.c.Styles()
	var b strings.Builder
	b.WriteString(m.query.View() + "\n")
	if m.err != "" {
		return b.String() + s.Error.Render(m.err)
	}
	if len(m.sales) == 0 {
		return b.String() + s.Subtle.Render(m.c.T("history.none"))
	}
	listH := max(m.c.Height()-10, 3)
	start := max(0, m.cursor-listH+1)
	// The reference is in the detail below; the list keeps to what a clerk
	// scans for: when, what, whose number, how much, and how it ended.
	nameW := max(m.c.Width()-48, 12)
	for i := start; i < min(start+listH, len(m.sales)); i++ {
		sl := m.sales[i]
		line := fmt.Sprintf("%s %s %-*s %-10s %11s %s", marker(i == m.cursor), sl.Created.Local().Format("01-02 15:04"),
			nameW, clip(displayName(m.c, &sl.Product), nameW), clip(sale.Mask(sl.Customer()), 10),
			clip(sl.Quote.Retail.String(), 11), stateLabel(m.c, sl.State))
		if i == m.cursor {
			line = s.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	b.WriteString(s.Subtle.Render(m.c.T("history.count", len(m.sales))) + "\n\n")
	sel := m.sales[m.cursor]
	b.WriteString(s.Label.Render(m.c.T("history.of", sel.Ref)) + s.Subtle.Render("  "+m.c.T("history.clerk", orDash(sel.Clerk), sel.Prints)) + "\n")
	for _, h := range sel.History {
		line := fmt.Sprintf("  %s  %-12s %s", h.At.Local().Format("2006-01-02 15:04:05"), stateLabel(m.c, h.State), termtext.Line(h.Note))
		if h.By != "" {
			line += " (" + h.By + ")"
		}
		b.WriteString(clip(line, m.c.Width()) + "\n")
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
