package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/i18n"
	"kiosk/termtext"
)

// globalKeys are handled by the root on every screen.
type globalKeys struct {
	Quit key.Binding
	Help key.Binding
	Back key.Binding
	Lock key.Binding
}

func newGlobalKeys(c *Common) globalKeys {
	return globalKeys{
		Quit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", c.T("key.quit"))),
		Help: key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", c.T("key.help"))),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("key.back"))),
		Lock: key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", c.T("key.lock"))),
	}
}

// settleEvery is how often the background round looks for open sales due
// a look-up (each sale has its own backoff, see sale.Backoff).
const settleEvery = 10 * time.Second

type (
	settleTickMsg struct{}
	// settledMsg reports a background recovery round.
	settledMsg struct {
		open    int
		settled int
		err     error
	}
)

func settleTick() tea.Cmd {
	return tea.Tick(settleEvery, func(time.Time) tea.Msg { return settleTickMsg{} })
}

// settleOpen asks the providers about the open sales that are due (with
// backoff), so pending and in-doubt sales settle while the clerk sells.
func (a *App) settleOpen() tea.Cmd {
	e, ctx := a.c.Engine, a.c.Ctx
	return func() tea.Msg {
		still, settled, err := e.RecoverDue(ctx)
		return settledMsg{open: len(still), settled: len(settled), err: err}
	}
}

// statusLife is how long a status message stays.
const statusLife = 15 * time.Second

// idleTickMsg checks for an idle kiosk and old status messages.
type idleTickMsg struct{}

func idleTick() tea.Cmd {
	return tea.Tick(10*time.Second, func(time.Time) tea.Msg { return idleTickMsg{} })
}

// App is the root model: a stack of screens, the status bar and global keys.
type App struct {
	c        *Common
	stack    []Screen
	keys     globalKeys
	help     help.Model
	showHelp bool
	status   StatusMsg
	balances string
	width    int
	height   int
	start    []Screen
	lastKey  time.Time
	open     int // open sales after the last background round
}

// NewApp makes the root with home as the first screen; more screens (the
// recovery list at start-up) may be opened above it.
func NewApp(c *Common, home Screen, more ...Screen) *App {
	h := help.New()
	return &App{c: c, stack: []Screen{home}, keys: newGlobalKeys(c), help: h, start: more, width: 80, height: 24}
}

// Init starts the first screens and the first balance check; when clerks
// are set up and nobody has signed in, the sign-in screen is on top.
func (a *App) Init() tea.Cmd {
	a.lastKey = a.c.Now()
	cmds := []tea.Cmd{a.stack[0].Init(), a.fetchBalances(), idleTick(), settleTick()}
	for _, s := range a.start {
		a.stack = append(a.stack, s)
		cmds = append(cmds, s.Init())
	}
	a.start = nil
	if a.c.SignIn != nil && a.c.User == nil {
		cmds = append(cmds, a.lock())
	}
	return tea.Batch(cmds...)
}

// lock puts the sign-in screen on top, unless it is there already.
func (a *App) lock() tea.Cmd {
	if a.c.SignIn == nil || a.locked() {
		return nil
	}
	s := a.c.SignIn()
	a.stack = append(a.stack, s)
	return tea.Batch(s.Init(), a.sizeCmd())
}

func (a *App) locked() bool {
	l, ok := a.top().(Locker)
	return ok && l.Locks()
}

func (a *App) top() Screen { return a.stack[len(a.stack)-1] }

func (a *App) busy() bool {
	b, ok := a.top().(Busy)
	return ok && b.Busy()
}

// Update routes messages: global keys and navigation here, the rest to the
// screen on top.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.c.Width, a.c.Height = msg.Width, max(msg.Height-3, 1)
		a.help.SetWidth(msg.Width)
		return a, a.broadcast(msg)
	case idleTickMsg:
		// A message stays long enough to be read, then goes.
		if a.status.Text != "" && a.c.Now().Sub(a.status.at) > statusLife {
			a.status = StatusMsg{}
		}
		if a.c.IdleLock > 0 && a.c.Now().Sub(a.lastKey) >= a.c.IdleLock && !a.busy() {
			return a, tea.Batch(a.lock(), idleTick())
		}
		return a, idleTick()
	case settleTickMsg:
		return a, tea.Batch(a.settleOpen(), settleTick())
	case settledMsg:
		a.open = msg.open
		if msg.settled > 0 {
			a.status = StatusMsg{Text: fmt.Sprintf("%d open sale(s) settled in the background — see History (ctrl+f)", msg.settled), at: a.c.Now()}
			return a, a.fetchBalances()
		}
		return a, nil
	case SignedInMsg:
		a.c.User, a.c.Clerk = msg.User, msg.User.Name
		a.c.Lang = a.c.DefaultLang
		if l, err := i18n.ParseLang(msg.User.Lang); err == nil && msg.User.Lang != "" {
			a.c.Lang = l // each clerk works in their own language
		}
		a.keys = newGlobalKeys(a.c)
		if a.locked() {
			a.stack = a.stack[:len(a.stack)-1]
		}
		a.status = StatusMsg{Text: "Signed in: " + msg.User.Name + " (" + string(msg.User.Role) + ")"}
		return a, a.top().Update(PopMsg{})
	case tea.KeyPressMsg:
		a.lastKey = a.c.Now()
		switch {
		case key.Matches(msg, a.keys.Lock) && a.c.SignIn != nil:
			if a.busy() {
				return a, nil
			}
			return a, a.lock()
		case key.Matches(msg, a.keys.Quit):
			if a.busy() {
				a.status = StatusMsg{Text: a.c.T("app.busy_quit"), Error: true, at: a.c.Now()}
				return a, nil
			}
			return a, tea.Quit
		case key.Matches(msg, a.keys.Help):
			a.showHelp = !a.showHelp
			return a, nil
		case key.Matches(msg, a.keys.Back) && len(a.stack) > 1 && !a.locked():
			if a.showHelp {
				a.showHelp = false
				return a, nil
			}
			if a.busy() {
				a.status = StatusMsg{Text: a.c.T("app.busy_back"), Error: true, at: a.c.Now()}
				return a, nil
			}
			return a, a.pop()
		}
		if a.showHelp {
			a.showHelp = false
		}
		return a, a.top().Update(msg)
	case PushMsg:
		a.stack = append(a.stack, msg.Screen)
		return a, tea.Batch(msg.Screen.Init(), a.sizeCmd())
	case PopMsg:
		return a, a.pop()
	case HomeMsg:
		a.stack = a.stack[:1]
		a.status = StatusMsg{}
		if msg.Then != nil {
			a.stack = append(a.stack, msg.Then)
			return a, tea.Batch(msg.Then.Init(), a.sizeCmd())
		}
		return a, a.top().Update(msg)
	case StatusMsg:
		msg.at = a.c.Now()
		a.status = msg
		return a, nil
	case RefreshBalanceMsg:
		return a, a.fetchBalances()
	case BalancesMsg:
		if msg.Text != "" {
			a.balances = msg.Text
		}
		if msg.Err != nil {
			a.status = StatusMsg{Text: "Balance: " + firstLine(msg.Err.Error()), Error: true, at: a.c.Now()}
		}
		return a, nil
	}
	return a, a.broadcast(msg)
}

// broadcast gives a message to every open screen, bottom first: the answer
// to a command (a catalogue refresh, a status poll) belongs to the screen
// that started it, which need not be on top any more. Screens ignore
// messages that are not theirs.
func (a *App) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(a.stack))
	for _, s := range a.stack {
		cmds = append(cmds, s.Update(msg))
	}
	return tea.Batch(cmds...)
}

func (a *App) pop() tea.Cmd {
	if len(a.stack) <= 1 {
		return nil
	}
	a.stack = a.stack[:len(a.stack)-1]
	return a.top().Update(PopMsg{})
}

// sizeCmd tells a newly opened screen the current size.
func (a *App) sizeCmd() tea.Cmd {
	w, h := a.width, a.height
	return func() tea.Msg { return tea.WindowSizeMsg{Width: w, Height: h} }
}

func (a *App) fetchBalances() tea.Cmd {
	e := a.c.Engine
	ctx := a.c.Ctx
	return func() tea.Msg {
		bals, err := e.Balances(ctx)
		var parts, lowWarn []string
		ids := make([]string, 0, len(bals))
		for id := range bals {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			name := id
			if p, perr := e.Provider(id); perr == nil {
				name = p.Info().Name
			}
			for _, m := range bals[id] {
				part := ShortName(name, 10) + " " + m.String()
				if low, ok := a.c.LowBalance[id]; ok && m.Amount.Cmp(low) < 0 {
					part += " LOW"
					lowWarn = append(lowWarn, fmt.Sprintf("%s balance %s is below %s", ShortName(name, 10), m, low))
				}
				parts = append(parts, part)
			}
		}
		if err == nil && len(lowWarn) > 0 {
			err = fmt.Errorf("%s: top up the account", strings.Join(lowWarn, "; "))
		}
		return BalancesMsg{Text: strings.Join(parts, " · "), Err: err}
	}
}

// ShortName shortens a provider name to whole words that fit w cells:
// "Bitaqaty Business" → "Bitaqaty", "DT One Goods & Services" → "DT One".
func ShortName(name string, w int) string {
	if lipgloss.Width(name) <= w {
		return name
	}
	out := ""
	for _, word := range strings.Fields(name) {
		next := strings.TrimSpace(out + " " + word)
		if lipgloss.Width(next) > w {
			break
		}
		out = next
	}
	if out == "" {
		return ansi.Truncate(name, w, "…")
	}
	return out
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// View draws the title line, the screen, the help line and the status bar.
func (a *App) View() tea.View {
	s := a.c.Styles
	w := a.width
	title := s.Title.Render(a.c.T("app.name")) + s.Subtle.Render(" › "+a.top().Title())
	if a.c.Sandbox {
		text := a.c.T("app.sandbox")
		if a.c.SandboxExtensions {
			text = a.c.T("app.sandbox_ext")
		}
		badge := s.Sandbox.Render(text)
		gap := w - lipgloss.Width(title) - lipgloss.Width(badge)
		title += strings.Repeat(" ", max(gap, 1)) + badge
	}
	bodyH := max(a.height-3, 1)
	var body string
	if a.showHelp {
		a.help.ShowAll = true
		body = s.Title.Render(a.c.T("app.help_title")) + "\n\n" + a.help.View(a.top().Keys()) +
			"\n\n" + a.help.View(a.globalHelp()) + "\n\n" + s.Subtle.Render(a.c.T("app.help_close"))
	} else {
		body = a.top().View()
	}
	body = fit(body, w, bodyH)
	a.help.ShowAll = false
	helpLine := truncate(a.help.View(a.top().Keys())+"  "+a.help.View(a.globalShort()), w)
	v := tea.NewView(lipgloss.JoinVertical(lipgloss.Left, title, body, helpLine, a.statusBar()))
	v.AltScreen = true
	return v
}

type keyList []key.Binding

func (k keyList) ShortHelp() []key.Binding  { return k }
func (k keyList) FullHelp() [][]key.Binding { return [][]key.Binding{k} }

// globalShort is the part of the global keys on the one-line help; quit
// and lock are in the help overlay, to leave room for the screen's keys.
func (a *App) globalShort() help.KeyMap {
	if len(a.stack) > 1 && !a.locked() {
		return keyList{a.keys.Back, a.keys.Help}
	}
	return keyList{a.keys.Help}
}

func (a *App) globalHelp() help.KeyMap {
	keys := keyList{a.keys.Help, a.keys.Quit}
	if len(a.stack) > 1 && !a.locked() {
		keys = append(keyList{a.keys.Back}, keys...)
	}
	if a.c.SignIn != nil && !a.locked() {
		keys = append(keys, a.keys.Lock)
	}
	return keys
}

func (a *App) statusBar() string {
	s := a.c.Styles
	left := fmt.Sprintf(" %s ", a.c.Engine.TerminalID())
	if a.open > 0 {
		left += fmt.Sprintf("· %d OPEN ", a.open)
	}
	// A provider's mode the clerk must know about (DT One in simulation).
	for _, p := range a.c.Engine.Providers() {
		if info := p.Info(); info.Note != "" {
			left += "· " + ShortName(info.Name, 10) + " " + strings.ToUpper(info.Note) + " "
		}
	}
	if a.c.Clerk != "" {
		left += "· " + a.c.Clerk + " "
	}
	if a.balances != "" {
		left += "· " + a.balances + " "
	}
	right := ""
	if a.status.Text != "" {
		right = " " + termtext.Line(a.status.Text) + " " // a status may quote a provider
	}
	// A message matters more than the balances: when both do not fit,
	// the balances are cut, never the message.
	room := a.width - lipgloss.Width(right)
	if lipgloss.Width(left) > room {
		left = truncate(left, max(room, 0))
	}
	line := left + strings.Repeat(" ", max(a.width-lipgloss.Width(left)-lipgloss.Width(right), 0)) + right
	st := s.StatusBar
	if a.status.Error {
		st = st.Foreground(lipgloss.Red)
	}
	return st.Width(a.width).MaxWidth(a.width).Render(line)
}

// fit pads or cuts text to exactly h lines no wider than w.
func fit(text string, w, h int) string {
	lines := strings.Split(text, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = truncate(l, w)
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// truncate cuts a (possibly styled) line to w cells.
func truncate(s string, w int) string {
	return ansi.Truncate(s, w, "…")
}

// Width and Height are the terminal's size as last reported.
func (a *App) Width() int  { return a.width }
func (a *App) Height() int { return a.height }

// SetStatus sets the status line before the program starts.
func (a *App) SetStatus(text string, isErr bool) {
	a.status = StatusMsg{Text: text, Error: isErr, at: time.Now()}
}
