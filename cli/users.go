package cli

import (
	"bufio"
	"flag"
	"fmt"
	"kiosk/sale"
	"strings"
	"text/tabwriter"
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

// users manages the people who sign in. PINs are read from standard input
// (twice), never from the command line, so they stay out of shell history.
func (e *env) users(args []string) error {
	if len(args) == 0 {
		return usageError{"usage: kiosk users list | kiosk users add NAME [--role clerk|supervisor] [--lang en|ar]"}
	}
	switch args[0] {
	case "list":
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
		fmt.Fprintln(tw, "NAME\tROLE\tLANGUAGE\tADDED")
		for _, u := range us {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Lang, u.Created.Local().Format("2006-01-02"))
		}
		return tw.Flush()
	case "add":
		fs := flag.NewFlagSet("users add", flag.ContinueOnError)
		fs.SetOutput(e.err)
		role := fs.String("role", "clerk", "clerk or supervisor")
		lang := fs.String("lang", "", "interface language for this person: en or ar")
		if err := fs.Parse(namesLast(args[1:])); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return usageError{"usage: kiosk users add NAME [--role clerk|supervisor]"}
		}
		in := bufio.NewReader(e.in)
		fmt.Fprint(e.err, "PIN (4-12 digits): ")
		pin, _ := in.ReadString('\n')
		fmt.Fprint(e.err, "PIN again: ")
		again, _ := in.ReadString('\n')
		pin, again = strings.TrimSpace(pin), strings.TrimSpace(again)
		if pin != again {
			return usageError{"the two PINs differ; nothing was changed"}
		}
		if err := sale.CheckNewPIN(pin); err != nil {
			return usageError{err.Error()}
		}
		k, err := e.open()
		if err != nil {
			return err
		}
		defer k.Close()
		if err := k.Engine.PutUser(fs.Arg(0), sale.Role(*role), pin, *lang); err != nil {
			return err
		}
		if err := k.Engine.Audit("", "user added", "", fs.Arg(0)+" ("+*role+")"); err != nil {
			return fmt.Errorf("%s was added, but %w", fs.Arg(0), err)
		}
		fmt.Fprintf(e.out, "%s can now sign in as %s.\n", fs.Arg(0), *role)
		return nil
	}
	return usageError{fmt.Sprintf("unknown users command %q (list, add)", args[0])}
}
