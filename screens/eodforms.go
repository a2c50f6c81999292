package screens

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kiosk/eod"
	"kiosk/money"
	"kiosk/termtext"
	"kiosk/ui"
)

// form is a small list of labelled text inputs with tab/enter navigation,
// shared by the end-of-day forms.
type form struct {
	c      *ui.Common
	keys   fieldsKeys
	labels []string
	inputs []textinput.Model
	focus  int
	err    string
}

func newForm(c *ui.Common, submit string, labels ...string) form {
	km := c.KeyMap()
	f := form{c: c, labels: labels, keys: fieldsKeys{
		Next:   km.Next,
		Prev:   km.Prev,
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", submit)),
	}}
	for range labels {
		ti := ui.NewInput(c.Styles())
		ti.SetWidth(40)
		ti.CharLimit = 200
		f.inputs = append(f.inputs, ti)
	}
	if len(f.inputs) > 0 {
		f.inputs[0].Focus()
	}
	return f
}

// update moves between fields and types; it returns submit=true on enter
// in the last field.
func (f *form) update(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, f.keys.Next):
		return f.setFocus(f.focus + 1), false
	case key.Matches(msg, f.keys.Prev):
		return f.setFocus(f.focus - 1), false
	case key.Matches(msg, f.keys.Submit):
		if f.focus < len(f.inputs)-1 {
			return f.setFocus(f.focus + 1), false
		}
		return nil, true
	}
	var cmd tea.Cmd
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	f.err = ""
	return cmd, false
}

func (f *form) setFocus(i int) tea.Cmd {
	i = (i + len(f.inputs)) % len(f.inputs)
	f.inputs[f.focus].Blur()
	f.focus = i
	return f.inputs[i].Focus()
}

func (f *form) value(i int) string { return strings.TrimSpace(f.inputs[i].Value()) }

func (f *form) view() string {
	s := f.c.Styles()
	w := 8
	for _, l := range f.labels {
		w = max(w, len([]rune(l))+1)
	}
	var b strings.Builder
	for i, in := range f.inputs {
		label := padRight(f.labels[i], w)
		if i == f.focus {
			label = s.Focused.Render(label)
		} else {
			label = s.Label.Render(label)
		}
		b.WriteString(label + " " + in.View() + "\n")
	}
	if f.err != "" {
		b.WriteString("\n" + s.Error.Render(f.err) + "\n")
	}
	return b.String()
}

// defaultCurrency is the drawer's currency on a day without sales.
const defaultCurrency = "SAR"

// CashCount asks for the opening float and the counted cash of every
// currency the day took, then closes the day.
type CashCount struct {
	form
	parent     *EndOfDay
	currencies []string
	expected   []string
}

type cashCountedMsg struct {
	to   *EndOfDay
	cash eod.CashCount
}

// NewCashCount builds the cash form for a report.
func NewCashCount(c *ui.Common, parent *EndOfDay, r *eod.Report) *CashCount {
	m := &CashCount{parent: parent}
	var labels []string
	for _, l := range r.Cash {
		m.currencies = append(m.currencies, l.Currency)
		if !r.Blind { // a blind count shows nothing the drawer should hold
			m.expected = append(m.expected, l.Sales.String())
		}
	}
	if len(m.currencies) == 0 {
		m.currencies = []string{defaultCurrency}
	}
	for _, cur := range m.currencies {
		labels = append(labels, c.T("cash.float", cur), c.T("cash.counted", cur))
	}
	m.form = newForm(c, c.T("key.close_day"), labels...)
	return m
}

// Title names the screen.
func (m *CashCount) Title() string { return m.c.T("cash.title") }

// Keys lists the bindings.
func (m *CashCount) Keys() help.KeyMap { return m.keys }

// Init blinks the cursor.
func (m *CashCount) Init() tea.Cmd { return textinput.Blink }

// Update types and submits.
func (m *CashCount) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	cmd, submit := m.update(k)
	if !submit {
		return cmd
	}
	var cash eod.CashCount
	for i, cur := range m.currencies {
		for j, dst := range []*[]money.Money{&cash.Float, &cash.Counted} {
			text := m.value(2*i + j)
			if text == "" && j == 0 {
				text = "0"
			}
			d, err := money.Parse(text)
			if err != nil || d.Sign() < 0 {
				m.err = m.c.T("cash.bad_amount", m.labels[2*i+j])
				return m.setFocus(2*i + j)
			}
			*dst = append(*dst, money.New(d, cur))
		}
	}
	parent := m.parent
	return tea.Sequence(ui.Pop(), func() tea.Msg { return cashCountedMsg{parent, cash} })
}

// View shows the form with what the day's sales took per currency.
func (m *CashCount) View() string {
	s := m.c.Styles()
	var b strings.Builder
	b.WriteString(s.Title.Render(m.c.T("cash.heading")) + "\n")
	for i, cur := range m.currencies {
		if i < len(m.expected) {
			b.WriteString(s.Subtle.Render(m.c.T("cash.sales_today", cur, m.expected[i])) + "\n")
		}
	}
	b.WriteString(s.Warn.Render(m.c.T("cash.closing_warns")) + "\n\n")
	return b.String() + m.view()
}

// Mismatches lists the report's open mismatches; one is settled with a reason.
type Mismatches struct {
	form
	books      ui.Books
	report     *eod.Report
	supervisor string
	list       []eod.Mismatch
	cursor     int
}

type settledMsg struct {
	to  *Mismatches
	err error
}

// NewMismatches builds the list for a report.
func NewMismatches(c *ui.Common, books ui.Books, r *eod.Report, supervisor string) *Mismatches {
	m := &Mismatches{books: books, report: r, supervisor: supervisor}
	for _, x := range append(append([]eod.Mismatch{}, r.Mismatches...), r.Carried...) {
		if x.Settled == nil {
			m.list = append(m.list, x)
		}
	}
	m.form = newForm(c, c.T("key.settle"), c.T("decide.reason"))
	m.keys.Next = key.NewBinding(key.WithKeys("down"), key.WithHelp("↑/↓", c.T("key.choose")))
	m.keys.Prev = key.NewBinding(key.WithKeys("up"))
	return m
}

// Title names the screen.
func (m *Mismatches) Title() string { return m.c.T("mismatch.title") }

// Keys lists the bindings.
func (m *Mismatches) Keys() help.KeyMap { return m.keys }

// Init blinks the cursor.
func (m *Mismatches) Init() tea.Cmd { return textinput.Blink }

// Update chooses a mismatch and settles it.
func (m *Mismatches) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case settledMsg:
		if msg.to != m {
			return nil
		}
		if msg.err != nil {
			m.err = msg.err.Error()
			return nil
		}
		return tea.Batch(ui.Pop(), ui.Status(m.c.T("mismatch.settled", m.supervisor), false))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Next):
			m.cursor = min(m.cursor+1, max(len(m.list)-1, 0))
			return nil
		case key.Matches(msg, m.keys.Prev):
			m.cursor = max(m.cursor-1, 0)
			return nil
		case key.Matches(msg, m.keys.Submit):
			if m.cursor >= len(m.list) {
				return nil
			}
			reason := m.value(0)
			if reason == "" {
				m.err = m.c.T("mismatch.no_reason")
				return nil
			}
			x, b, r, by := m.list[m.cursor], m.books, m.report, m.supervisor
			return func() tea.Msg {
				_, err := b.Settle(r, x.Ref, x.Provider, reason, by)
				return settledMsg{m, err}
			}
		}
		cmd, _ := m.update(msg)
		return cmd
	}
	return nil
}

// View lists the open mismatches and the reason field.
func (m *Mismatches) View() string {
	s := m.c.Styles()
	var b strings.Builder
	if len(m.list) == 0 {
		return s.OK.Render(m.c.T("mismatch.none"))
	}
	for i, x := range m.list {
		line := fmt.Sprintf("%s %-9s %-16s %s", marker(i == m.cursor), clip(x.Provider, 9), x.Ref, clip(termtext.Line(x.Detail), max(m.c.Width()-30, 10)))
		if i == m.cursor {
			line = s.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n" + s.Subtle.Render(m.c.T("mismatch.explain")) + "\n")
	return b.String() + m.view()
}

// Note annotates a closed day.
type Note struct {
	form
	books      ui.Books
	day        time.Time
	supervisor string
}

type notedMsg struct {
	to  *Note
	err error
}

// NewNote builds the note form.
func NewNote(c *ui.Common, books ui.Books, day time.Time, supervisor string) *Note {
	return &Note{form: newForm(c, c.T("key.add_note"), c.T("note.label")), books: books, day: day, supervisor: supervisor}
}

// Title names the screen.
func (m *Note) Title() string { return m.c.T("note.title", m.day.Format("2006-01-02")) }

// Keys lists the bindings.
func (m *Note) Keys() help.KeyMap { return m.keys }

// Init blinks the cursor.
func (m *Note) Init() tea.Cmd { return textinput.Blink }

// Update types and saves the note.
func (m *Note) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case notedMsg:
		if msg.to != m {
			return nil
		}
		if msg.err != nil {
			m.err = msg.err.Error()
			return nil
		}
		return tea.Batch(ui.Pop(), ui.Status(m.c.T("note.added"), false))
	case tea.KeyPressMsg:
		cmd, submit := m.update(msg)
		if !submit {
			return cmd
		}
		text := m.value(0)
		if text == "" {
			m.err = m.c.T("note.empty")
			return nil
		}
		b, day, by := m.books, m.day, m.supervisor
		return func() tea.Msg {
			_, err := b.Annotate(day, by, text)
			return notedMsg{m, err}
		}
	}
	return nil
}

// View shows the form.
func (m *Note) View() string {
	return m.c.Styles().Subtle.Render(m.c.T("note.explain")) + "\n\n" + m.view()
}
