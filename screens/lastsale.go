package screens

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/ui"
)

// The catalogue's two keys for the sale just made: repeat it (the same
// product for the same customer, through Confirm, so the price is read
// again and the clerk takes the money again) and reprint its receipt
// (through the printing service, a reprint needing a supervisor as it
// does from the result screen).

// lastAction is what the clerk asked the last sale for.
type lastAction int

const (
	repeatLast lastAction = iota + 1
	reprintLast
)

// lastSaleMsg carries the journal's newest sale to the catalogue.
type lastSaleMsg struct {
	to   *Catalog
	what lastAction
	sale *sale.Sale
	err  error
}

// lastPrintedMsg is the answer to a reprint from the catalogue.
type lastPrintedMsg struct {
	to    *Catalog
	sale  *sale.Sale
	shown string // the receipt's text, with no printer to print it on
	err   error
}

// readLast reads the newest sale from the journal (offline, one index read).
func (m *Catalog) readLast(what lastAction) tea.Cmd {
	e := m.c.Sales()
	return func() tea.Msg {
		ss, err := e.History(sale.Query{Limit: 1})
		msg := lastSaleMsg{to: m, what: what, err: err}
		if len(ss) > 0 {
			msg.sale = ss[0]
		}
		return msg
	}
}

// onLast does what the clerk asked of the last sale.
func (m *Catalog) onLast(msg lastSaleMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		return ui.Status(msg.err.Error(), true)
	case msg.sale == nil:
		return ui.Status(m.c.T("catalog.no_last_sale"), true)
	case msg.what == reprintLast:
		return printSale(m.c, msg.sale, nil, func(s *sale.Sale, shown string, err error) tea.Msg { return lastPrintedMsg{m, s, shown, err} })
	}
	return m.repeat(msg.sale)
}

// repeat opens Confirm for the last sale's product and customer, from the
// catalogue as loaded now (a product the provider changed is sold as it
// is now, one it dropped is not sold). An open sale is never repeated: it
// may have been sold, and it is settled by its own reference. A value the
// product no longer takes opens the fields, filled in, for the clerk to
// mend.
func (m *Catalog) repeat(last *sale.Sale) tea.Cmd {
	if last.State.Open() {
		return ui.Status(m.c.T("catalog.last_open", last.Ref), true)
	}
	p := m.product(last.Product.Key())
	if p == nil {
		return ui.Status(m.c.T("catalog.product_gone", displayName(m.c, &last.Product)), true)
	}
	if !p.Available {
		return ui.Status(m.c.T("catalog.not_available", displayName(m.c, p)), true)
	}
	values := map[string]string{}
	for _, f := range p.Fields {
		if f.Hidden {
			values[f.Name] = f.Default
		} else if v, ok := last.Quote.Fields[f.Name]; ok {
			values[f.Name] = v
		}
	}
	amount := last.Quote.Amount
	if !NeedsInput(*p) {
		return ui.Push(NewConfirm(m.c, *p, nil, money.Zero))
	}
	if p.ValidateFields(values) == nil && (p.PriceKind == providers.PriceFixed || p.ValidateAmount(amount) == nil) {
		return ui.Push(NewConfirm(m.c, *p, values, amount))
	}
	return ui.Push(NewFilledFields(m.c, *p, values, amount))
}

// product is the loaded catalogue's product with key, nil if there is none.
func (m *Catalog) product(key string) *providers.Product {
	if m.index == nil {
		return nil
	}
	prov, id, _ := strings.Cut(key, "/")
	t := m.index.Products()
	for i := range t.Len() {
		if t.ID(i) == id && t.Provider(i) == prov {
			return m.index.Product(i)
		}
	}
	return nil
}

// printSale prints s's receipt through the printing service and delivers
// done's message when it is printed, shown (no printer: its text) or
// refused; started, if set, is told when the print starts. The first print
// is the clerk's; any later one is a reprint, which a supervisor
// authorises when clerks are set up.
func printSale(c *ui.Common, s *sale.Sale, started func(), done func(s *sale.Sale, shown string, err error) tea.Msg) tea.Cmd {
	p := c.Printer()
	if p == nil {
		return ui.Status(c.T("result.no_printer"), true)
	}
	ctx, ref, lang := c.Context(), s.Ref, c.Lang()
	do := func(by string) tea.Cmd {
		if started != nil {
			started()
		}
		return tea.Batch(ui.Status(c.T("result.printing"), false), func() tea.Msg {
			return done(p.PrintSale(ctx, ref, by, lang))
		})
	}
	if s.Prints == 0 || !c.Settings().SignIn || c.Session().Supervisor() {
		return do(c.Session().Clerk)
	}
	why := AuthPurpose{
		Shown: c.T("result.reprint_purpose", s.Prints, ref),
		Audit: fmt.Sprintf("reprint #%d of sale %s", s.Prints, ref),
	}
	return ui.Push(NewSupervisorAuth(c, why, func(u sale.User) tea.Cmd { return do(u.Name) }))
}

// printedOutcome is what a print comes to on the screen: the receipt
// shown when there is no printer to print it on, else a status.
func printedOutcome(c *ui.Common, s *sale.Sale, shown string, err error) tea.Cmd {
	switch {
	case err == nil && shown != "":
		// The status bar said "Printing…": say where the receipt went.
		return tea.Batch(ui.Push(NewReceiptView(c, s, shown)), ui.Status(c.T("receipt.shown"), false))
	case errors.Is(err, sale.ErrNotConfirmed):
		return ui.Status(c.T("result.not_confirmed"), true)
	case err != nil:
		return ui.Status(c.T("result.not_printed", firstLine(err.Error())), true)
	}
	return ui.Status(c.T("result.printed"), false)
}
