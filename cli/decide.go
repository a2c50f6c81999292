package cli

import (
	"flag"
	"fmt"
	"strings"
)

// decide is a supervisor's decision on a sale no provider could settle:
//
//	kiosk --as NAME decide REF --sold --reason "portal shows it sold"
//	kiosk --as NAME decide REF --not-sold --reason "portal has no such sale"
//
// A PIN read from the provider's portal is entered on the open-sales
// screen, never on the command line.
func (e *env) decide(args []string) error {
	fs := flag.NewFlagSet("decide", flag.ContinueOnError)
	fs.SetOutput(e.err)
	sold := fs.Bool("sold", false, "the provider did sell it")
	notSold := fs.Bool("not-sold", false, "the provider did not sell it: nothing was charged")
	reason := fs.String("reason", "", "why (what the provider's portal shows)")
	if err := fs.Parse(namesLast(args)); err != nil {
		return err
	}
	switch {
	case fs.NArg() != 1:
		return usageError{"usage: kiosk --as NAME decide REF --sold|--not-sold --reason TEXT"}
	case *sold == *notSold:
		return usageError{"say --sold or --not-sold"}
	case strings.TrimSpace(*reason) == "":
		return usageError{"--reason is required: a decision says why"}
	}
	ref := fs.Arg(0)
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	by, err := e.actor(k, supervisor, "decide sale "+ref)
	if err != nil {
		return err
	}
	s, err := k.Engine.Decide(ref, *sold, nil, strings.TrimSpace(*reason), e.name(by))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "sale %s is %s: %s\n", s.Ref, s.State, s.Message)
	return nil
}
