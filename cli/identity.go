package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"kiosk/app"
	"kiosk/sale"
)

// Who runs a command. Once a kiosk has users, every command that acts as
// someone names them with the global --as NAME, and they prove it with
// their PIN: typed at the terminal without echo or, when standard input is
// not a terminal (a script), its first line. A PIN never comes from argv
// or the environment, where other users and logs could read it.

// need says who may run a command.
type need int

const (
	anyone     need = iota // a clerk or a supervisor
	supervisor             // a supervisor only
)

// actor proves who runs the command. It returns nil when the kiosk has no
// users yet: a new kiosk stays open, as it always was. --as without users
// only names who did it.
func (e *env) actor(k *app.Kiosk, n need, purpose string) (*sale.User, error) {
	has, err := k.Engine.HasUsers()
	if err != nil {
		return nil, err
	}
	if !has {
		if e.as == "" {
			return nil, nil
		}
		return &sale.User{Name: e.as, Role: sale.RoleSupervisor}, nil
	}
	if e.as == "" {
		return nil, usageError{fmt.Sprintf("%s: this kiosk has users: say who you are with kiosk --as NAME (your PIN is asked next)", purpose)}
	}
	pin, err := e.readSecret(fmt.Sprintf("PIN for %s: ", e.as))
	if err != nil {
		return nil, err
	}
	var u sale.User
	if n == supervisor {
		u, err = k.Engine.Authorise(e.as, pin, purpose)
	} else {
		u, err = k.Engine.Authenticate(e.as, pin, purpose)
	}
	if err != nil {
		return nil, fmt.Errorf("%s refused: %w", purpose, err)
	}
	return &u, nil
}

// name is who did it, for the journal: the proved user, else the name
// given with --as, else the login name (a kiosk with no users).
func (e *env) name(u *sale.User) string {
	switch {
	case u != nil:
		return u.Name
	case e.as != "":
		return e.as
	}
	if n := os.Getenv("USER"); n != "" {
		return n
	}
	return "kiosk"
}

// stdin is standard input, read a line at a time by every prompt.
func (e *env) stdin() *bufio.Reader {
	if e.lines == nil {
		e.lines = bufio.NewReader(e.in)
	}
	return e.lines
}

// readSecret reads a PIN: from the terminal without echo, else the next
// line of standard input. A closed input is an error saying so.
func (e *env) readSecret(prompt string) (string, error) {
	if f, ok := e.in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		fmt.Fprint(e.err, prompt)
		b, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(e.err)
		if err != nil {
			return "", fmt.Errorf("read PIN: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	line, err := e.stdin().ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		return "", errors.New("no PIN: standard input is closed (give the PIN on its first line)")
	}
	return strings.TrimSpace(line), nil
}
