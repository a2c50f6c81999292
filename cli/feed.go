package cli

import (
	"fmt"
	"text/tabwriter"

	"kiosk/providers/alqimah"
)

// feed prints Al-Qimah's feed entries (credits added to the account), the
// only provider with such a list.
func (e *env) feed(args []string) error {
	if len(args) != 0 {
		return usageError{"usage: kiosk feed"}
	}
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	p, err := k.Engine.Provider(alqimah.ID)
	if err != nil {
		return err
	}
	c, ok := p.(*alqimah.Client)
	if !ok {
		return fmt.Errorf("provider %s has no feed", alqimah.ID)
	}
	ctx, cancel := signalContext()
	defer cancel()
	entries, err := c.Feed(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tAMOUNT\tCURRENCY\tNOTES")
	for _, f := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Date, f.Amount, f.Currency, f.Notes)
	}
	return tw.Flush()
}
