package screens

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"kiosk/eod"
	"kiosk/sale"
	"kiosk/ui"
)

type eodKeys struct {
	Prev, Next, Refresh, Close, Settle, Export, Print, Note, Scroll, X key.Binding
}

func (k eodKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Close, k.X, k.Settle, k.Print, k.Export, k.Prev}
}

func (k eodKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Prev, k.Next, k.Refresh, k.Scroll}, {k.Close, k.X, k.Settle, k.Note}, {k.Print, k.Export}}
}

// EndOfDay is the supervisor's closing screen: the day's totals per
// provider and currency, the comparison with each provider, mismatches to
// settle, the cash count, and closing the day into a Z-report.
type EndOfDay struct {
	c          *ui.Common
	keys       eodKeys
	books      ui.Books
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

type (
	eodReportMsg struct {
		to     *EndOfDay
		seq    int
		report *eod.Report
		err    error
	}
	csvWrittenMsg struct {
		to   *EndOfDay
		path string
		err  error
	}
	reportPrintedMsg struct {
		to      *EndOfDay
		printed bool // false: err is why not; true: err is what went wrong after
		err     error
	}
	// closePreparedMsg is the Z-report a close would write, to confirm.
	closePreparedMsg struct {
		to     *EndOfDay
		seq    int
		report *eod.Report
		err    error
	}
	// closeConfirmedMsg: the supervisor confirmed the prepared close.
	closeConfirmedMsg struct {
		to     *EndOfDay
		report *eod.Report
	}
)

// errChanged says a close was not written because a sale of the day
// changed after it was prepared; the report shown is the day as it is now.
var errChanged = errors.New("the day changed before the close")

// NewEndOfDay builds the screen for today's business day.
func NewEndOfDay(c *ui.Common, books ui.Books, supervisor string) *EndOfDay {
	m := &EndOfDay{c: c, books: books, supervisor: supervisor, view: viewport.New(), keys: eodKeys{
		Prev:    key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", c.T("key.day"))),
		Next:    key.NewBinding(key.WithKeys("right")),
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("key.compare_again"))),
		Close:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", c.T("key.count_close"))),
		Settle:  key.NewBinding(key.WithKeys("s"), key.WithHelp("s", c.T("key.settle_mismatch"))),
		Export:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", c.T("key.csv"))),
		Print:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", c.T("key.print"))),
		Note:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", c.T("key.note_closed"))),
		Scroll:  key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown"), key.WithHelp("↑/↓", c.T("key.scroll"))),
		X:       key.NewBinding(key.WithKeys("x"), key.WithHelp("x", c.T("key.x_report"))),
	}}
	m.day, _ = books.Today()
	return m
}

// OpenEndOfDay opens the end-of-day screen for a supervisor: the one
// signed in, or one who authorises it now. A kiosk with no users set up
// records the clerk's name as the one who closed.
func OpenEndOfDay(c *ui.Common) tea.Cmd {
	books := c.Books()
	if books == nil {
		return ui.Status(c.T("eod.no_books"), true)
	}
	switch session := c.Session(); {
	case session.Supervisor():
		return ui.Push(NewEndOfDay(c, books, session.User.Name))
	case !c.Settings().SignIn:
		name := session.Clerk
		if name == "" {
			name = "supervisor"
		}
		return ui.Push(NewEndOfDay(c, books, name))
	}
	why := AuthPurpose{Shown: c.T("eod.purpose"), Audit: "the end of day"}
	return ui.Push(NewSupervisorAuth(c, why, func(u sale.User) tea.Cmd {
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
	b, ctx, day, cash, seq := m.books, m.c.Context(), m.day, m.cash, m.seq
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
		if errors.Is(msg.err, errChanged) {
			m.report = msg.report
			m.view.SetContent(m.text(msg.report))
			return ui.Status(m.c.T("eod.close_changed"), true)
		}
		if msg.err != nil {
			m.err = firstLine(msg.err.Error())
			return nil
		}
		m.report = msg.report
		m.view.SetContent(m.text(msg.report))
		return nil
	case cashCountedMsg:
		if msg.to != m {
			return nil
		}
		m.cash = msg.cash
		return m.prepareClose()
	case closePreparedMsg:
		if msg.to != m || msg.seq != m.seq {
			return nil
		}
		m.loading = false
		if msg.err != nil {
			m.err = firstLine(msg.err.Error())
			return nil
		}
		return ui.Push(NewConfirmClose(m.c, m, msg.report))
	case closeConfirmedMsg:
		if msg.to != m {
			return nil
		}
		return m.closeDay(msg.report)
	case csvWrittenMsg:
		if msg.to != m {
			return nil
		}
		if msg.err != nil {
			return ui.Status(m.c.T("eod.csv_failed", msg.err.Error()), true)
		}
		return ui.Status(m.c.T("eod.csv_written", msg.path), false)
	case reportPrintedMsg:
		if msg.to != m {
			return nil
		}
		return m.printed(msg)
	case ui.PopMsg:
		return m.load()
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

// printed says how printing the report went.
func (m *EndOfDay) printed(msg reportPrintedMsg) tea.Cmd {
	switch {
	case !msg.printed:
		return ui.Status(m.c.T("eod.not_printed", firstLine(msg.err.Error())), true)
	case msg.err != nil:
		return ui.Status(m.c.T("eod.printed_but", msg.err.Error()), true)
	}
	return ui.Status(m.c.T("eod.printed"), false)
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
	case key.Matches(msg, m.keys.X):
		return m.xReport()
	case m.report == nil:
		return nil
	case key.Matches(msg, m.keys.Close):
		if m.report.Closed() {
			return ui.Status(m.c.T("eod.closed_no_change", m.report.Number), true)
		}
		return ui.Push(NewCashCount(m.c, m, m.report))
	case key.Matches(msg, m.keys.Settle):
		return ui.Push(NewMismatches(m.c, m.books, m.report, m.supervisor))
	case key.Matches(msg, m.keys.Note):
		if !m.report.Closed() {
			return ui.Status(m.c.T("eod.note_open_day"), true)
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

// text is the report in the supervisor's language, laid out for the
// terminal (right to left where the app does it).
func (m *EndOfDay) text(r *eod.Report) string {
	lines := strings.Split(r.TextWith(eod.TextOptions{Width: min(max(m.c.Width()-2, 40), 64), Lang: m.c.Lang()}), "\n")
	for i, l := range lines {
		lines[i] = m.c.Show(l)
	}
	return strings.Join(lines, "\n")
}

// xReport shows the day so far, as an X-report: nothing is written.
func (m *EndOfDay) xReport() tea.Cmd {
	m.loading, m.err = true, ""
	m.seq++
	b, ctx, cash, seq := m.books, m.c.Context(), m.cash, m.seq
	return func() tea.Msg {
		r, err := b.XReport(ctx, cash)
		return eodReportMsg{m, seq, r, err}
	}
}

// prepareClose asks for the Z-report a close would write, for the
// supervisor to confirm with what is over or short.
func (m *EndOfDay) prepareClose() tea.Cmd {
	m.loading, m.err = true, ""
	m.seq++
	b, ctx, day, cash, seq := m.books, m.c.Context(), m.day, m.cash, m.seq
	return func() tea.Msg {
		r, err := b.PrepareClose(ctx, day, cash)
		return closePreparedMsg{m, seq, r, err}
	}
}

// closeDay writes the confirmed close; a sale that changed meanwhile
// makes it say so and show the report again instead.
func (m *EndOfDay) closeDay(prepared *eod.Report) tea.Cmd {
	m.loading = true
	m.seq++
	b, ctx, day, cash, by, seq := m.books, m.c.Context(), m.day, m.cash, m.supervisor, m.seq
	return func() tea.Msg {
		r, err := b.CloseConfirmed(prepared, by)
		if errors.Is(err, eod.ErrChanged) {
			// Show the day as it is now; the supervisor counts and closes again.
			r, err = b.Report(ctx, day, cash)
			if err == nil {
				err = errChanged
			}
			return eodReportMsg{m, seq, r, err}
		}
		return eodReportMsg{m, seq, r, err}
	}
}

// export writes the report as CSV beside the journal.
func (m *EndOfDay) export() tea.Cmd {
	r, dir, lang := m.report, m.c.Settings().StateDir, m.c.Lang()
	return func() tea.Msg {
		path := filepath.Join(dir, "eod-"+r.Day+".csv")
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err == nil {
			err = r.WriteCSVIn(f, lang)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		return csvWrittenMsg{m, path, err}
	}
}

// print sends the report to the receipt printer.
func (m *EndOfDay) print() tea.Cmd {
	p := m.c.Printer()
	if p == nil {
		return ui.Status(m.c.T("eod.no_printer"), true)
	}
	ctx, r, by, lang := m.c.Context(), m.report, m.supervisor, m.c.Lang()
	return func() tea.Msg {
		printed, err := p.PrintReport(ctx, r, by, lang)
		return reportPrintedMsg{m, printed, err}
	}
}

// View shows the report, scrollable.
func (m *EndOfDay) View() string {
	s := m.c.Styles()
	m.view.SetWidth(m.c.Width())
	m.view.SetHeight(max(m.c.Height()-2, 3))
	head := s.Subtle.Render(m.c.T("eod.supervisor", m.supervisor))
	if m.c.Settings().Sandbox {
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
