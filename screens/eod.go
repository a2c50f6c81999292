package screens

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"kiosk/eod"
	"kiosk/receipt"
	"kiosk/sale"
	"kiosk/ui"
)

type eodKeys struct {
	Prev, Next, Refresh, Close, Settle, Export, Print, Note, Scroll key.Binding
}

func (k eodKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Close, k.Settle, k.Print, k.Export, k.Prev}
}

func (k eodKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Prev, k.Next, k.Refresh, k.Scroll}, {k.Close, k.Settle, k.Note}, {k.Print, k.Export}}
}

// EndOfDay is the supervisor's closing screen: the day's totals per
// provider and currency, the comparison with each provider, mismatches to
// settle, the cash count, and closing the day into a Z-report.
type EndOfDay struct {
	c          *ui.Common
	keys       eodKeys
	books      *eod.Books
	supervisor string
	day        time.Time
	report     *eod.Report
	view       viewport.Model
	loading    bool
	err        string
	cash       eod.CashCount
	// seq numbers the report requests; only the newest answer is shown (a
	// reload started when a form closes must not overwrite the close).
	seq int
}

type eodReportMsg struct {
	to     *EndOfDay
	seq    int
	report *eod.Report
	err    error
}

// NewEndOfDay builds the screen for today's business day.
func NewEndOfDay(c *ui.Common, books *eod.Books, supervisor string) *EndOfDay {
	m := &EndOfDay{c: c, books: books, supervisor: supervisor, view: viewport.New(), keys: eodKeys{
		Prev:    key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", "day")),
		Next:    key.NewBinding(key.WithKeys("right")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "compare again")),
		Close:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "count cash & close")),
		Settle:  key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "settle mismatch")),
		Export:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "CSV")),
		Print:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "print")),
		Note:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "note on closed day")),
		Scroll:  key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown"), key.WithHelp("↑/↓", "scroll")),
	}}
	m.day, _ = books.Today()
	return m
}

// OpenEndOfDay opens the end-of-day screen for a supervisor: the one
// signed in, or one who authorises it now. A kiosk with no users set up
// records the clerk's name as the one who closed.
func OpenEndOfDay(c *ui.Common) tea.Cmd {
	books := c.Books
	if books == nil {
		return ui.Status("End of day: the books are not set up", true)
	}
	switch {
	case c.User != nil && c.User.Role == sale.RoleSupervisor:
		return ui.Push(NewEndOfDay(c, books, c.User.Name))
	case c.SignIn == nil:
		name := c.Clerk
		if name == "" {
			name = "supervisor"
		}
		return ui.Push(NewEndOfDay(c, books, name))
	}
	return ui.Push(NewSupervisorAuth(c, "the end of day", func(u sale.User) tea.Cmd {
		return ui.Push(NewEndOfDay(c, books, u.Name))
	}))
}

// Title names the screen.
func (m *EndOfDay) Title() string { return m.c.T("eod.title", m.day.Format("2006-01-02")) }

// Keys lists the bindings.
func (m *EndOfDay) Keys() help.KeyMap { return m.keys }

// Init builds the day's report.
func (m *EndOfDay) Init() tea.Cmd { return m.load() }

func (m *EndOfDay) load() tea.Cmd {
	m.loading, m.err = true, ""
	m.seq++
	b, ctx, day, cash, seq := m.books, m.c.Ctx, m.day, m.cash, m.seq
	return func() tea.Msg {
		r, err := b.Report(ctx, day, cash)
		return eodReportMsg{m, seq, r, err}
	}
}

// Update handles keys and reports.
func (m *EndOfDay) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case eodReportMsg:
		if msg.to != m || msg.seq != m.seq {
			return nil
		}
		m.loading = false
		if msg.err != nil {
			m.err = firstLine(msg.err.Error())
			return nil
		}
		m.report = msg.report
		m.view.SetContent(msg.report.Text(min(max(m.c.Width-2, 40), 64)))
		return nil
	case cashCountedMsg:
		if msg.to != m {
			return nil
		}
		m.cash = msg.cash
		return m.closeDay()
	case ui.PopMsg:
		return m.load()
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

func (m *EndOfDay) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case m.loading:
		return nil
	case key.Matches(msg, m.keys.Prev):
		m.day = m.day.AddDate(0, 0, -1)
		return m.load()
	case key.Matches(msg, m.keys.Next):
		m.day = m.day.AddDate(0, 0, 1)
		return m.load()
	case key.Matches(msg, m.keys.Refresh):
		return m.load()
	case m.report == nil:
		return nil
	case key.Matches(msg, m.keys.Close):
		if m.report.Closed() {
			return ui.Status(fmt.Sprintf("Closed: Z-report %d can be annotated, never changed.", m.report.Number), true)
		}
		return ui.Push(NewCashCount(m.c, m, m.report))
	case key.Matches(msg, m.keys.Settle):
		return ui.Push(NewMismatches(m.c, m.books, m.report, m.supervisor))
	case key.Matches(msg, m.keys.Note):
		if !m.report.Closed() {
			return ui.Status("Notes are for closed days; an open day's report changes until it is closed.", true)
		}
		return ui.Push(NewNote(m.c, m.books, m.day, m.supervisor))
	case key.Matches(msg, m.keys.Export):
		return m.export()
	case key.Matches(msg, m.keys.Print):
		return m.print()
	}
	var cmd tea.Cmd
	m.view, cmd = m.view.Update(msg)
	return cmd
}

func (m *EndOfDay) closeDay() tea.Cmd {
	m.loading = true
	m.seq++
	b, ctx, day, cash, by, seq := m.books, m.c.Ctx, m.day, m.cash, m.supervisor, m.seq
	return func() tea.Msg {
		r, err := b.Close(ctx, day, cash, by)
		return eodReportMsg{m, seq, r, err}
	}
}

// export writes the report as CSV beside the journal.
func (m *EndOfDay) export() tea.Cmd {
	r, dir := m.report, m.c.StateDir
	return func() tea.Msg {
		path := filepath.Join(dir, "eod-"+r.Day+".csv")
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err == nil {
			err = r.WriteCSV(f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return ui.StatusMsg{Text: "CSV not written: " + err.Error(), Error: true}
		}
		return ui.StatusMsg{Text: "CSV written to " + path}
	}
}

// print sends the report to the receipt printer, at the paper's width.
func (m *EndOfDay) print() tea.Cmd {
	if m.c.Printer == nil {
		return ui.Status("No printer is set up.", true)
	}
	paper := m.c.Receipt.Paper
	if paper == 0 {
		paper = receipt.Paper80
	}
	text, p, ctx := m.report.Text(paper.Columns()), m.c.Printer, m.c.Ctx
	e, by, day := m.c.Engine, m.supervisor, m.report.Day
	return func() tea.Msg {
		if err := p.Print(ctx, receipt.FromText(text, paper)); err != nil {
			return ui.StatusMsg{Text: "Not printed: " + firstLine(err.Error()), Error: true}
		}
		if err := e.Audit(by, "print day report", "", day); err != nil {
			return ui.StatusMsg{Text: "Day report printed, but " + err.Error(), Error: true}
		}
		return ui.StatusMsg{Text: "Day report printed."}
	}
}

// View shows the report, scrollable.
func (m *EndOfDay) View() string {
	s := m.c.Styles
	m.view.SetWidth(m.c.Width)
	m.view.SetHeight(max(m.c.Height-2, 3))
	head := s.Subtle.Render(m.c.T("eod.supervisor", m.supervisor))
	if m.c.Sandbox {
		// The embedded sandboxes forget their sales when the app exits.
		head += s.Warn.Render(" · " + m.c.T("eod.sandbox"))
	}
	if m.loading {
		head += s.Subtle.Render(m.c.T("eod.asking"))
	}
	if m.err != "" {
		return head + "\n" + s.Error.Render(m.err)
	}
	if m.report == nil {
		return head
	}
	return head + "\n" + m.view.View()
}
