package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"kiosk/app"
	"kiosk/sale"
)

// namesLast moves positional arguments after the flags, so both
// "add NAME --role r" and "add --role r NAME" work (flag stops at the first
// positional argument).
func namesLast(args []string) []string {
	var flags, names []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case !strings.HasPrefix(a, "-"):
			names = append(names, a)
		case strings.Contains(a, "=") || i+1 >= len(args):
			flags = append(flags, a)
		default:
			flags = append(flags, a, args[i+1])
			i++
		}
	}
	return append(flags, names...)
}

const usersUsage = `Usage: kiosk [--as NAME] users COMMAND

Commands:
  list                                      who signs in, with role and state
  add NAME [--role clerk|supervisor] [--lang en|ar]   a new user (the first must be a supervisor)
  pin NAME                                  a new PIN (the user themself, or a supervisor)
  disable NAME | enable NAME                keep someone from signing in, or let them again
  unlock NAME                               clear the wrong PINs of a locked user

Every change but the very first user needs --as and a supervisor's PIN
(pin: the user's own old PIN will do), and is audited with who made it.
New PINs are read like the PIN of --as: without echo at a terminal, else
the next lines of standard input (the --as PIN first, then the new PIN
twice).
`

// users manages the people who sign in.
func (e *env) users(args []string) error {
	if len(args) == 0 {
		return usageError{strings.TrimSpace(usersUsage)}
	}
	cmd, args := args[0], args[1:]
	if cmd == "help" || cmd == "--help" || cmd == "-h" {
		fmt.Fprint(e.out, usersUsage)
		return nil
	}
	if cmd == "list" {
		return e.usersList()
	}
	fs := flag.NewFlagSet("users "+cmd, flag.ContinueOnError)
	fs.SetOutput(e.err)
	role := fs.String("role", "clerk", "with add: clerk or supervisor")
	lang := fs.String("lang", "", "with add: interface language for this person: en or ar")
	if err := fs.Parse(namesLast(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{fmt.Sprintf("usage: kiosk users %s NAME (kiosk users --help)", cmd)}
	}
	name := fs.Arg(0)
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	switch cmd {
	case "add":
		return e.usersAdd(k, name, sale.Role(*role), *lang)
	case "pin":
		by, err := e.actor(k, anyone, "change the PIN of "+name)
		if err != nil {
			return err
		}
		if by == nil {
			return usageError{"this kiosk has no users yet: add the first supervisor with kiosk users add NAME --role supervisor"}
		}
		pin, err := e.newPIN()
		if err != nil {
			return err
		}
		if err := k.Engine.ChangePIN(*by, name, pin); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "%s has a new PIN.\n", name)
		return nil
	case "disable", "enable", "unlock":
		by, err := e.actor(k, supervisor, cmd+" "+name)
		if err != nil {
			return err
		}
		if by == nil {
			return usageError{"this kiosk has no users yet"}
		}
		if cmd == "unlock" {
			err = k.Engine.Unlock(*by, name)
		} else {
			err = k.Engine.SetEnabled(*by, name, cmd == "enable")
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "%s: %sd.\n", name, cmd)
		return nil
	}
	return usageError{fmt.Sprintf("unknown users command %q (kiosk users --help)", cmd)}
}

func (e *env) usersList() error {
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	us, err := k.Engine.Users()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tLANGUAGE\tSTATE\tADDED")
	for _, u := range us {
		state := "active"
		switch {
		case u.Disabled:
			state = "disabled"
		case u.Locked:
			state = "locked"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Lang, state, u.Created.Local().Format("2006-01-02"))
	}
	return tw.Flush()
}

func (e *env) usersAdd(k *app.Kiosk, name string, role sale.Role, lang string) error {
	by, err := e.actor(k, supervisor, "add user "+name)
	if err != nil {
		return err
	}
	if err := k.Engine.CanAddUser(by, name, role, lang); err != nil {
		return err // before the new PIN is asked for
	}
	pin, err := e.newPIN()
	if err != nil {
		return err
	}
	if err := k.Engine.AddUser(by, name, role, pin, lang); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "%s can now sign in as %s.\n", name, role)
	return nil
}

// newPIN reads a new PIN twice.
func (e *env) newPIN() (string, error) {
	pin, err := e.readSecret("New PIN (4-12 digits): ")
	if err != nil {
		return "", err
	}
	again, err := e.readSecret("New PIN again: ")
	if err != nil {
		return "", usageError{"a new PIN is read twice, to catch a typo: give it again on the next line (nothing was changed)"}
	}
	if pin != again {
		return "", usageError{"the two PINs differ; nothing was changed"}
	}
	if err := sale.CheckNewPIN(pin); err != nil {
		return "", usageError{err.Error()}
	}
	return pin, nil
}
