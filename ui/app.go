package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/sale"
)

// settleEvery is how long the background round waits, after one round
// ends, before it looks again for open sales due a look-up (each sale has
// its own backoff, see sale.Backoff).
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

// settleOpen asks the providers about the open sales that are due (with
// backoff), so pending and in-doubt sales settle while the clerk sells.
// The next round is set when this one ends (settledMsg), never before: a
// provider that never answers holds one round, not a pile of them.
func (a *App) settleOpen() tea.Cmd {
	a.settling = true
	e, ctx := a.c.Sales(), a.c.Context()
	return func() tea.Msg {
		still, settled, err := e.RecoverDue(ctx)
		return settledMsg{open: len(still), settled: len(settled), err: err}
	}
}

// statusLife is how long a status message stays.
const statusLife = 15 * time.Second

// idleEvery is how often the root looks for an idle kiosk and old status
// messages.
const idleEvery = 10 * time.Second

// idleTickMsg checks for an idle kiosk and old status messages.
type idleTickMsg struct{}

// App is the root model: a stack of screens, the status bar and global keys.
type App struct {
	c        *Common
	signIn   func() Screen
	stack    []Screen
	help     help.Model
	showHelp bool
	status   StatusMsg
	balances string
	width    int
	height   int
	start    []Screen
	lastKey  time.Time
	open     int  // open sales after the last background round
	settling bool // a background round is running
	// quitGuard builds the screen a supervisor quits through, once clerks
	// are set up; nil quits at once.
	quitGuard func() Screen
	stopping  bool // a StopMsg came: stop once nothing waits
	backlog   int  // head office entries waiting too long (0: none, or none to say)
}

// backlogMsg is the head office's backlog, read in a command.
type backlogMsg struct{ n int }

// fetchBacklog reads how much waits for head office, when there is one.
func (a *App) fetchBacklog() tea.Cmd {
	h := a.c.svc.HeadOffice
	if h == nil {
		return nil
	}
	return func() tea.Msg {
		n, _ := h.Backlog() // a journal error shows elsewhere; the bar only counts
		return backlogMsg{n}
	}
}

// SetQuitGuard makes quitting (ctrl+c) ask for a supervisor through the
// screen guard builds; the guard quits with tea.Quit once authorised.
func (a *App) SetQuitGuard(guard func() Screen) { a.quitGuard = guard }

// NewApp makes the root with home as the first screen; more screens (the
// recovery list at start-up) may be opened above it. signIn builds the
// sign-in screen when clerks are set up (Settings.SignIn), else it is nil.
func NewApp(c *Common, home Screen, signIn func() Screen, more ...Screen) *App {
	h := help.New()
	return &App{c: c, signIn: signIn, stack: []Screen{home}, help: h, start: more, width: 80, height: 24}
}

// Init starts the first screens and the first balance check; when clerks
// are set up and nobody has signed in, the sign-in screen is on top.
func (a *App) Init() tea.Cmd {
	a.lastKey = a.c.Now()
	cmds := []tea.Cmd{a.stack[0].Init(), a.fetchBalances(), a.c.After(idleEvery, idleTickMsg{}), a.c.After(settleEvery, settleTickMsg{})}
	for _, s := range a.start {
		a.stack = append(a.stack, s)
		cmds = append(cmds, s.Init())
	}
	a.start = nil
	if a.signIn != nil && a.c.session.User == nil {
		cmds = append(cmds, a.lock())
	}
	return tea.Batch(cmds...)
}

// lock puts the sign-in screen on top, unless it is there already.
func (a *App) lock() tea.Cmd {
	if a.signIn == nil || a.locked() {
		return nil
	}
	s := a.signIn()
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

// Update routes messages: global keys, navigation, the background round
// and the status bar here, keys to the screen on top, and every other
// message to all open screens.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := a.update(msg)
	if a.stopping && a.waiting() == "" {
		return m, tea.Batch(cmd, tea.Quit)
	}
	return m, cmd
}

// waiting says why the kiosk must not stop now, or "" when it may: a sale
// being sent, a receipt printing.
func (a *App) waiting() string {
	if a.busy() {
		return a.c.T("app.busy_quit")
	}
	if w, ok := a.top().(Waiter); ok {
		return w.Waiting()
	}
	return ""
}

func (a *App) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case StopMsg:
		a.stopping = true
		if w := a.waiting(); w != "" {
			a.setStatus(a.c.T("app.stopping", w), true)
		}
		return a, nil
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.c.setSize(msg.Width, max(msg.Height-3, 1))
		a.help.SetWidth(msg.Width)
		return a, a.broadcast(msg)
	case tea.KeyPressMsg:
		return a, a.key(msg)
	case idleTickMsg:
		return a, a.idle()
	case settleTickMsg:
		if a.settling {
			return a, nil
		}
		return a, a.settleOpen()
	case settledMsg:
		return a, a.settled(msg)
	case SignedInMsg:
		return a, a.signedIn(*msg.User)
	case PushMsg, PopMsg, HomeMsg:
		return a, a.navigate(msg)
	case StatusMsg:
		a.setStatus(msg.Text, msg.Error)
		return a, nil
	case RefreshBalanceMsg:
		// Sent after every sale: the sale's outcome is queued for head
		// office in the same commit, so ship it now.
		if h := a.c.svc.HeadOffice; h != nil {
			h.Wake()
		}
		return a, tea.Batch(a.fetchBalances(), a.fetchBacklog())
	case backlogMsg:
		a.backlog = msg.n
		return a, nil
	case BalancesMsg:
		a.showBalances(msg)
		return a, nil
	}
	return a, a.broadcast(msg)
}

// key handles the global keys and gives the rest to the screen on top.
func (a *App) key(msg tea.KeyPressMsg) tea.Cmd {
	a.lastKey = a.c.Now()
	keys := a.c.KeyMap()
	switch {
	case key.Matches(msg, keys.Lock) && a.signIn != nil:
		if a.busy() {
			return nil
		}
		return a.lock()
	case key.Matches(msg, keys.Quit):
		return a.quit()
	case key.Matches(msg, keys.Help):
		a.showHelp = !a.showHelp
		return nil
	case key.Matches(msg, keys.Back) && len(a.stack) > 1 && !a.locked():
		if a.showHelp {
			a.showHelp = false
			return nil
		}
		if a.busy() {
			a.setStatus(a.c.T("app.busy_back"), true)
			return nil
		}
		return a.pop()
	}
	a.showHelp = false
	return a.top().Update(msg)
}

// quit leaves the kiosk, unless a sale is being sent or a receipt printed
// (it says so instead), and, once clerks are set up, only through a
// supervisor: the sign-in and lock screens are no way out to a shell.
func (a *App) quit() tea.Cmd {
	if w := a.waiting(); w != "" {
		a.setStatus(w, true)
		return nil
	}
	if a.quitGuard == nil {
		return tea.Quit
	}
	if g, ok := a.top().(QuitGuard); ok && g.GuardsQuit() {
		return nil // already asking
	}
	a.showHelp = false
	return a.navigate(PushMsg{Screen: a.quitGuard()})
}

// idle clears an old status message and locks a kiosk left alone.
func (a *App) idle() tea.Cmd {
	next := tea.Batch(a.c.After(idleEvery, idleTickMsg{}), a.fetchBacklog())
	// A message stays long enough to be read, then goes.
	if a.status.Text != "" && a.c.Now().Sub(a.status.at) > statusLife {
		a.status = StatusMsg{}
	}
	if lock := a.c.Settings().IdleLock; lock > 0 && a.c.Now().Sub(a.lastKey) >= lock && !a.busy() {
		return tea.Batch(a.lock(), next)
	}
	return next
}

// settled ends a background round and sets the next one.
func (a *App) settled(msg settledMsg) tea.Cmd {
	a.settling = false
	a.open = msg.open
	next := a.c.After(settleEvery, settleTickMsg{})
	if msg.settled > 0 {
		a.setStatus(a.c.T("app.settled_background", msg.settled), false)
		return tea.Batch(next, a.fetchBalances())
	}
	return next
}

// signedIn starts u's session and closes the sign-in screen.
func (a *App) signedIn(u sale.User) tea.Cmd {
	a.c.signedIn(u)
	if a.locked() {
		a.stack = a.stack[:len(a.stack)-1]
	}
	a.status = StatusMsg{Text: a.c.T("app.signed_in", u.Name, a.c.T("role."+string(u.Role)))}
	return a.top().Update(PopMsg{})
}

// navigate opens and closes screens.
func (a *App) navigate(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case PushMsg:
		a.stack = append(a.stack, msg.Screen)
		return tea.Batch(msg.Screen.Init(), a.sizeCmd())
	case PopMsg:
		return a.pop()
	case HomeMsg:
		a.stack = a.stack[:1]
		a.status = StatusMsg{}
		if msg.Then != nil {
			a.stack = append(a.stack, msg.Then)
			return tea.Batch(msg.Then.Init(), a.sizeCmd())
		}
		return a.top().Update(msg)
	}
	return nil
}

func (a *App) setStatus(text string, isErr bool) {
	a.status = StatusMsg{Text: text, Error: isErr, at: a.c.Now()}
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

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// View draws the title line, the screen, the help line and the status bar.
func (a *App) View() tea.View {
	s := a.c.Styles()
	w := a.width
	title := s.Title.Render(a.c.T("app.name")) + s.Subtle.Render(" › "+a.top().Title())
	if set := a.c.Settings(); set.Sandbox {
		text := a.c.T("app.sandbox")
		if set.SandboxExtensions {
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
	keys := a.c.KeyMap()
	if len(a.stack) > 1 && !a.locked() {
		return keyList{keys.Back, keys.Help}
	}
	return keyList{keys.Help}
}

func (a *App) globalHelp() help.KeyMap {
	km := a.c.KeyMap()
	keys := keyList{km.Help, km.Quit}
	if len(a.stack) > 1 && !a.locked() {
		keys = append(keyList{km.Back}, keys...)
	}
	if a.signIn != nil && !a.locked() {
		keys = append(keys, km.Lock)
	}
	return keys
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
func (a *App) SetStatus(text string, isErr bool) { a.setStatus(text, isErr) }
