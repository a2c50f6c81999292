package cli

import (
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"kiosk/storage"
)

func (e *env) journal(args []string) error {
	if len(args) == 0 {
		return usageError{"usage: kiosk journal list [--limit N] [--open] | kiosk journal show REF"}
	}
	switch args[0] {
	case "list":
		return e.journalList(args[1:])
	case "show":
		return e.journalShow(args[1:])
	}
	return usageError{fmt.Sprintf("unknown journal command %q (list, show)", args[0])}
}

func (e *env) journalList(args []string) error {
	fs := flag.NewFlagSet("journal list", flag.ContinueOnError)
	fs.SetOutput(e.err)
	limit := fs.Int("limit", 50, "how many sales, newest first")
	open := fs.Bool("open", false, "only sales not settled yet")
	if err := fs.Parse(args); err != nil {
		return err
	}
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	var sales []*storage.Sale
	if *open {
		sales, err = k.Journal.OpenSales()
	} else {
		sales, err = k.Journal.Recent(*limit, time.Time{})
	}
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tTIME\tSTATE\tPROVIDER\tPRODUCT\tCUSTOMER\tPRICE\tCLERK")
	for _, s := range sales {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Ref, s.Created.Local().Format("2006-01-02 15:04:05"),
			s.State, s.Provider, s.Product.Name, storage.Mask(s.Customer()), s.Quote.Retail, s.Clerk)
	}
	return tw.Flush()
}

func (e *env) journalShow(args []string) error {
	fs := flag.NewFlagSet("journal show", flag.ContinueOnError)
	fs.SetOutput(e.err)
	reveal := fs.Bool("reveal", false, "print PINs and the customer number in full")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"usage: kiosk journal show [--reveal] REF"}
	}
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	s, err := k.Journal.Get(fs.Arg(0))
	if err != nil {
		return err
	}
	type shown struct {
		saleJSON
		Clerk   string               `json:"clerk,omitempty"`
		Created time.Time            `json:"created"`
		History []storage.Transition `json:"history"`
	}
	return writeJSON(e.out, shown{toJSON(s, *reveal), s.Clerk, s.Created, s.History})
}
