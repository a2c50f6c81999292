package screens

import (
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kiosk/sale"
	"kiosk/ui"
)

type signInKeys struct{ Next, Submit key.Binding }

func (k signInKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Submit, k.Next} }
func (k signInKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Submit, k.Next}} }

// SignIn asks for a name and PIN. It is the first screen when clerks are
// set up, the lock screen (idle or ctrl+l), and, with supervisor set, the
// prompt that authorises one supervisor action.
type SignIn struct {
	c          *ui.Common
	keys       signInKeys
	name, pin  textinput.Model
	focus      int
	err        string
	supervisor bool
	purpose    AuthPurpose
	onAuth     func(sale.User) tea.Cmd
	checking   bool
	quits      bool // the supervisor prompt quitting the kiosk asks through
}

type signInResultMsg struct {
	to   *SignIn
	user sale.User
	err  error
}

// AuthPurpose is the one action a supervisor authorises: as the screen
// says it, in the clerk's language, and as the audit record keeps it.
type AuthPurpose struct {
	Shown string
	Audit string
}

// NewSignIn builds the sign-in (or lock) screen. It starts on an empty
// name: whoever comes to the counter signs in as themselves.
func NewSignIn(c *ui.Common) *SignIn {
	next := c.KeyMap().Next
	next.SetKeys("tab", "shift+tab", "down", "up") // two fields: every way goes to the other
	m := &SignIn{c: c, keys: signInKeys{
		Next:   next,
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("key.sign_in"))),
	}}
	m.name = ui.NewInput(c.Styles())
	m.name.Prompt = ""
	m.name.CharLimit = 32
	m.name.SetWidth(32)
	m.pin = ui.NewInput(c.Styles())
	m.pin.Prompt = ""
	m.pin.EchoMode = textinput.EchoPassword
	m.pin.CharLimit = 12
	m.pin.SetWidth(12)
	m.name.Focus()
	return m
}

// NewQuitGuard is the supervisor prompt that quitting the kiosk goes
// through once clerks are set up.
func NewQuitGuard(c *ui.Common) *SignIn {
	m := NewSupervisorAuth(c, AuthPurpose{Shown: c.T("app.quit_purpose"), Audit: "quit the kiosk"},
		func(sale.User) tea.Cmd { return tea.Quit })
	m.quits = true
	return m
}

// GuardsQuit tells the root this prompt is the way out it already asks.
func (m *SignIn) GuardsQuit() bool { return m.quits }

// NewSupervisorAuth asks a supervisor to authorise one action; onAuth runs
// with the supervisor once the PIN is right.
func NewSupervisorAuth(c *ui.Common, purpose AuthPurpose, onAuth func(sale.User) tea.Cmd) *SignIn {
	m := NewSignIn(c)
	m.supervisor, m.purpose, m.onAuth = true, purpose, onAuth
	m.name.SetValue("")
	m.focus = 0
	m.pin.Blur()
	m.name.Focus()
	return m
}

// Title names the screen.
func (m *SignIn) Title() string {
	if m.supervisor {
		return m.c.T("signin.supervisor")
	}
	return m.c.T("signin.title")
}

// Keys lists the bindings.
func (m *SignIn) Keys() help.KeyMap { return m.keys }

// Locks tells the root that Esc must not leave a sign-in screen (a
// supervisor prompt can be left).
func (m *SignIn) Locks() bool { return !m.supervisor }

// Init blinks the cursor.
func (m *SignIn) Init() tea.Cmd { return textinput.Blink }

// Update handles typing and the PIN check.
func (m *SignIn) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case signInResultMsg:
		if msg.to != m {
			return nil
		}
		m.checking = false
		return m.result(msg)
	case tea.KeyPressMsg:
		if m.checking {
			return nil
		}
		switch {
		case key.Matches(msg, m.keys.Next):
			return m.toggle()
		case key.Matches(msg, m.keys.Submit):
			if m.focus == 0 {
				return m.toggle()
			}
			return m.check()
		}
		var cmd tea.Cmd
		if m.focus == 0 {
			m.name, cmd = m.name.Update(msg)
		} else {
			if t := msg.Text; t != "" && strings.Trim(t, "0123456789") != "" {
				m.err = m.c.T("signin.digits_only")
				return nil
			}
			m.pin, cmd = m.pin.Update(msg)
		}
		m.err = ""
		return cmd
	}
	return nil
}

func (m *SignIn) toggle() tea.Cmd {
	m.focus = 1 - m.focus
	if m.focus == 0 {
		m.pin.Blur()
		return m.name.Focus()
	}
	m.name.Blur()
	return m.pin.Focus()
}

// check runs the slow PIN hash in a command. The core counts wrong PINs
// in the journal and makes each try after the third wait longer: closing
// this screen, or restarting the kiosk, resets nothing.
func (m *SignIn) check() tea.Cmd {
	m.checking = true
	e, name, pin, super, purpose := m.c.Users(), m.name.Value(), m.pin.Value(), m.supervisor, m.purpose.Audit
	return func() tea.Msg {
		if super {
			u, err := e.Authorise(name, pin, purpose)
			return signInResultMsg{m, u, err}
		}
		u, err := e.SignIn(name, pin)
		return signInResultMsg{m, u, err}
	}
}

func (m *SignIn) result(msg signInResultMsg) tea.Cmd {
	m.pin.SetValue("")
	if msg.err == nil && m.supervisor && msg.user.Role != sale.RoleSupervisor {
		msg.err = errors.New(m.c.T("signin.not_super", msg.user.Name))
	}
	if msg.err != nil {
		m.err = m.refusal(msg.err)
		return nil
	}
	if m.supervisor {
		return tea.Sequence(ui.Pop(), m.onAuth(msg.user))
	}
	u := msg.user
	return func() tea.Msg { return ui.SignedInMsg{User: &u} }
}

// refusal says why a sign-in was refused, in the clerk's language.
func (m *SignIn) refusal(err error) string {
	var wait sale.WaitError
	var locked sale.LockedError
	switch {
	case errors.As(err, &wait):
		return m.c.T("signin.wait", wait.Wait.Round(time.Second).String())
	case errors.As(err, &locked):
		return m.c.T("signin.locked_out", locked.Name)
	case errors.Is(err, sale.ErrBadSignIn):
		return m.c.T("signin.wrong")
	case errors.Is(err, sale.ErrNotSupervisor):
		return m.c.T("signin.not_super", strings.TrimSpace(m.name.Value()))
	}
	return err.Error()
}

// View draws the two fields.
func (m *SignIn) View() string {
	s := m.c.Styles()
	var b strings.Builder
	switch {
	case m.supervisor:
		b.WriteString(s.Warn.Render(m.c.T("signin.authorise", m.purpose.Shown)) + "\n\n")
	case m.c.Session().Clerk != "":
		b.WriteString(s.Warn.Render(m.c.T("signin.locked")) + "\n\n")
	default:
		b.WriteString(s.Title.Render(m.c.T("signin.prompt")) + "\n\n")
	}
	label := func(i int, t string) string {
		if i == m.focus {
			return s.Focused.Render(t)
		}
		return s.Label.Render(t)
	}
	b.WriteString(label(0, padRight(m.c.T("signin.name"), 12)) + " " + m.name.View() + "\n")
	b.WriteString(label(1, padRight(m.c.T("signin.pin"), 12)) + " " + m.pin.View() + "\n")
	if m.checking {
		b.WriteString("\n" + s.Subtle.Render(m.c.T("signin.checking")) + "\n")
	}
	if m.err != "" {
		b.WriteString("\n" + s.Error.Render(m.err) + "\n")
	}
	return b.String()
}
