package cli

import (
	"flag"
	"fmt"
	"kiosk/sale"
	"strings"
	"time"

	"kiosk/money"
	"kiosk/providers"
)

// fieldFlags collects repeated --field name=value flags.
type fieldFlags map[string]string

func (f fieldFlags) String() string { return "" }
func (f fieldFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q is not name=value", v)
	}
	f[k] = val
	return nil
}

// saleJSON is what `kiosk sell` and `kiosk status` print.
type saleJSON struct {
	Ref         string              `json:"ref"`
	State       sale.State          `json:"state"`
	Provider    string              `json:"provider"`
	Product     string              `json:"product"`
	ProductName string              `json:"product_name"`
	ProviderRef string              `json:"provider_ref,omitempty"`
	Message     string              `json:"message,omitempty"`
	Price       money.Money         `json:"price"`
	Cost        money.Money         `json:"cost"`
	Fee         money.Money         `json:"fee,omitzero"` // the shop's service fee, on top of price
	Customer    string              `json:"customer,omitempty"`
	Vouchers    []providers.Voucher `json:"vouchers,omitempty"`
	PINError    string              `json:"pin_error,omitempty"`
	Created     time.Time           `json:"created"`
}

func toJSON(s *sale.Sale, reveal bool) saleJSON {
	out := saleJSON{Ref: s.Ref, State: s.State, Provider: s.Provider, Product: s.Product.ID,
		ProductName: s.Product.Name, ProviderRef: s.ProviderRef, Message: s.Message,
		Price: s.Quote.Retail, Cost: s.Quote.Cost, Customer: s.Customer(), Vouchers: s.Vouchers, PINError: s.VoucherErr,
		Created: s.Created}
	if s.Price != nil {
		out.Fee = s.Price.Fee
		if out.Fee.IsZero() {
			out.Fee = money.Money{}
		}
	}
	if !reveal {
		out.Customer = sale.Mask(out.Customer)
		out.Vouchers = maskVouchers(s.Vouchers)
	}
	return out
}

func maskVouchers(vs []providers.Voucher) []providers.Voucher {
	out := make([]providers.Voucher, len(vs))
	for i, v := range vs {
		v.PIN, v.PIN2, v.Username = sale.Mask(v.PIN), sale.Mask(v.PIN2), sale.Mask(v.Username)
		v.Extra = nil
		out[i] = v
	}
	return out
}

// exit codes of sell and status: 0 sold, 3 failed, 4 not settled yet.
func stateExit(s *sale.Sale) error {
	switch s.State {
	case sale.Succeeded:
		return nil
	case sale.Failed:
		return exitError{3, "sale " + s.Ref + " failed: " + s.Message}
	case sale.NeedsReview:
		return exitError{4, fmt.Sprintf("sale %s needs a supervisor's review: %s. Never sell it again", s.Ref, s.Message)}
	}
	return exitError{4, fmt.Sprintf("sale %s is %s: it will be settled by its reference (kiosk status %s); never sell it again", s.Ref, s.State, s.Ref)}
}

func (e *env) sell(args []string) error {
	fs := flag.NewFlagSet("sell", flag.ContinueOnError)
	fs.SetOutput(e.err)
	provider := fs.String("provider", "", "provider id (bitaqaty, dtone, alqimah, mor, india)")
	product := fs.String("product", "", "product id (see kiosk catalog)")
	amount := fs.String("amount", "", "amount or unit count, for products without a fixed price")
	yes := fs.Bool("yes", false, "sell without asking for confirmation")
	belowCost := fs.Bool("below-cost", false, "with --yes: sell even at a price below cost or short of the price list's margin")
	fields := fieldFlags{}
	fs.Var(fields, "field", "product field as name=value (repeatable), e.g. --field mobile=771234567")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *provider == "" || *product == "" {
		return usageError{"--provider and --product are required"}
	}
	var amt money.Decimal
	if *amount != "" {
		var err error
		if amt, err = money.Parse(*amount); err != nil {
			return usageError{"--amount: " + err.Error()}
		}
	}
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	clerk, err := e.actor(k, anyone, "sell")
	if err != nil {
		return err
	}
	ctx, cancel := signalContext()
	defer cancel()

	p, err := findProduct(ctx, k, *provider, *product)
	if err != nil {
		return err
	}
	if err := checkFieldNames(p, fields); err != nil {
		return err
	}
	q, err := k.Engine.Quote(ctx, p, fields, amt)
	if err != nil {
		return err
	}
	if q.Price.Fee.IsZero() {
		fmt.Fprintf(e.err, "%s (%s): customer pays %s, cost %s\n", q.Product.Name, *provider, q.Retail, q.Cost)
	} else {
		fmt.Fprintf(e.err, "%s (%s): customer pays %s (price %s + service fee %s), cost %s\n", q.Product.Name, *provider,
			q.Price.Total, q.Retail, q.Price.Fee, q.Cost)
	}
	if q.NeedsSecondLook() {
		fmt.Fprintf(e.err, "warning: the price %s is below the cost %s, or short of the price list's margin\n", q.Retail, q.Cost)
		if *yes && !*belowCost {
			return exitError{5, "not sold: the price is below cost; check the price list, or sell with --yes --below-cost"}
		}
	}
	if q.Info != "" {
		fmt.Fprintln(e.err, q.Info)
	}
	if !*yes && !e.confirm("Sell? [y/N] ") {
		return exitError{5, "not sold: not confirmed"}
	}
	s, err := k.Engine.Sell(ctx, q, e.name(clerk))
	if s != nil {
		if werr := writeJSON(e.out, toJSON(s, true)); werr != nil {
			return werr
		}
	}
	if err != nil {
		return err
	}
	return stateExit(s)
}

func (e *env) confirm(prompt string) bool {
	fmt.Fprint(e.err, prompt)
	line, _ := e.stdin().ReadString('\n')
	return strings.EqualFold(strings.TrimSpace(line), "y") || strings.EqualFold(strings.TrimSpace(line), "yes")
}

func (e *env) status(args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(e.err)
	reveal := fs.Bool("reveal", false, "print the PINs of a sale settled before this look-up in full (a supervisor's, audited)")
	if err := fs.Parse(namesLast(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"usage: kiosk status [--reveal] REF"}
	}
	ref := fs.Arg(0)
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	need, purpose := anyone, "status "+ref
	if *reveal {
		need, purpose = supervisor, "reveal sale "+ref
	}
	by, err := e.actor(k, need, purpose)
	if err != nil {
		return err
	}
	before, err := k.Engine.Sale(ref)
	if err != nil {
		return err
	}
	ctx, cancel := signalContext()
	defer cancel()
	s, err := k.Engine.Settle(ctx, ref)
	if s != nil {
		// The look-up that settles an open sale hands its PIN over, as
		// kiosk sell does: the customer paid and has not had it. A sale
		// settled before is read back masked, like kiosk journal show,
		// unless a supervisor asks for it (audited).
		full := before.State.Open() || *reveal
		if *reveal {
			if aerr := k.Engine.Audit(e.name(by), "revealed PIN", s.Ref, "kiosk status --reveal"); aerr != nil {
				return aerr
			}
		}
		if werr := writeJSON(e.out, toJSON(s, full)); werr != nil {
			return werr
		}
		if !full && len(s.Vouchers) > 0 {
			fmt.Fprintf(e.err, "kiosk: the PINs of %s are masked: it was settled before this look-up (print its receipt with kiosk journal print %s; a supervisor sees them with kiosk status --reveal)\n", s.Ref, s.Ref)
		}
	}
	if err != nil {
		return err
	}
	return stateExit(s)
}
