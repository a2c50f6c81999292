package hq

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"kiosk/money"
	"kiosk/providers"
)

// The mismatch classes of the kiosk's end of day (storage.MismatchKind),
// as head office finds them across the fleet. Head office cannot ask a
// provider about a sale by reference, so what the records do not show is
// unknown to the provider; settling it is the kiosk's end of day's work.
const (
	UnknownToProvider = "unknown_to_provider" // sold at a terminal; the provider has no charge for it
	ChargedNotSold    = "charged_not_sold"    // the provider charged for it; it failed at the terminal, or no terminal shipped it
	AmountDiffers     = "amount_differs"      // both sold it, for different amounts
)

// TerminalOf reads the terminal number from a sale reference: its first
// three digits. ok is false for a reference that does not start with them.
func TerminalOf(ref string) (n int, ok bool) {
	if len(ref) < 4 {
		return 0, false
	}
	n, err := strconv.Atoi(ref[:3])
	if err != nil || n < 1 || ref[0] == '+' || ref[0] == '-' {
		return 0, false
	}
	return n, true
}

// Fleet is one provider account compared with every terminal's shipped
// sales for a period.
type Fleet struct {
	Provider  string
	From, To  time.Time
	Records   int // the provider's records given
	Terminals []FleetTerminal
}

// FleetTerminal is one terminal's part of the comparison. Terminal 0
// holds the records whose reference carries no terminal number.
type FleetTerminal struct {
	Terminal    int
	Name        string
	LastContact time.Time // zero for a terminal head office has never heard from
	Sales       int       // shipped sales of the provider in the period
	Records     int       // the provider's records carrying this terminal's number
	Open        int       // shipped sales still unsettled at the terminal: not compared
	Mismatches  []FleetMismatch
}

// FleetMismatch is one disagreement, in the kiosk's end-of-day classes.
type FleetMismatch struct {
	Kind          string
	Ref           string
	ProductID     string
	Product       string
	State         string // as shipped; "" when no terminal shipped the sale
	ProviderState providers.State
	Cost          money.Money // the terminal's confirmed cost
	Charged       money.Money // what the provider says it charged
	ProviderRef   string
	At            time.Time // when the provider recorded it
	Detail        string
}

// shippedSale is what reconciliation reads of a sale.
type shippedSale struct {
	terminal                int
	ref, productID, product string
	state, providerRef      string
	cost                    money.Money
}

// Reconcile compares a provider's records for the whole account (all that
// provider.Records returned for the period) with every terminal's shipped
// sales of that provider created in [from, to), by our reference. A record
// that no terminal shipped is put to the terminal its reference names,
// with that terminal's last contact: a terminal that has not shipped
// since may simply not have sent it yet.
func (db *DB) Reconcile(ctx context.Context, provider string, from, to time.Time, recs []providers.Record) (*Fleet, error) {
	f := &Fleet{Provider: provider, From: from, To: to, Records: len(recs)}
	byRef := make(map[string]*providers.Record, len(recs))
	for i := range recs {
		r := &recs[i]
		// One outcome per sale: a success listed beside a failed try is
		// what the provider charged (as the kiosk's end of day reads it).
		if old := byRef[r.Ref]; old == nil || r.State == providers.Succeeded {
			byRef[r.Ref] = r
		}
	}
	var sales []shippedSale
	var known map[string]bool
	var terms map[int]FleetTerminal
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead},
		func(tx pgx.Tx) error {
			var err error
			if sales, err = periodSales(ctx, tx, provider, from, to); err != nil {
				return err
			}
			if terms, err = fleetTerminals(ctx, tx); err != nil {
				return err
			}
			known, err = shippedRefs(ctx, tx, provider, strangers(byRef, sales, from, to))
			return err
		})
	if err != nil {
		return nil, db.explain(err, "reconcile "+provider)
	}
	out := map[int]*FleetTerminal{}
	term := func(n int) *FleetTerminal {
		if out[n] == nil {
			t := terms[n]
			t.Terminal = n
			out[n] = &t
		}
		return out[n]
	}
	for ref := range byRef {
		n, _ := TerminalOf(ref)
		term(n).Records++
	}
	for i := range sales {
		s := &sales[i]
		t := term(s.terminal)
		t.Sales++
		if m, open := compareSale(s, byRef[s.ref]); open {
			t.Open++
		} else if m != nil {
			t.Mismatches = append(t.Mismatches, *m)
		}
	}
	for _, ref := range strangers(byRef, sales, from, to) {
		if known[ref] {
			continue // shipped by a terminal, in another period
		}
		n, ok := TerminalOf(ref)
		t := term(n)
		t.Mismatches = append(t.Mismatches, notShipped(byRef[ref], n, ok, t))
	}
	for _, t := range out {
		sort.Slice(t.Mismatches, func(i, j int) bool {
			a, b := t.Mismatches[i], t.Mismatches[j]
			if a.Kind != b.Kind {
				return a.Kind < b.Kind
			}
			return a.Ref < b.Ref
		})
		f.Terminals = append(f.Terminals, *t)
	}
	sort.Slice(f.Terminals, func(i, j int) bool { return f.Terminals[i].Terminal < f.Terminals[j].Terminal })
	return f, nil
}

// compareSale matches one shipped sale with the provider's record of it.
// An unsettled sale is not compared: the terminal settles it by asking the
// provider, and ships the outcome.
func compareSale(s *shippedSale, rec *providers.Record) (m *FleetMismatch, open bool) {
	base := func(kind, detail string) *FleetMismatch {
		m := &FleetMismatch{Kind: kind, Ref: s.ref, ProductID: s.productID, Product: s.product, State: s.state,
			Cost: s.cost, ProviderRef: s.providerRef, Detail: detail}
		if rec != nil {
			m.ProviderState, m.Charged, m.At = rec.State, rec.Charged, rec.At
			if rec.ProviderRef != "" {
				m.ProviderRef = rec.ProviderRef
			}
		}
		return m
	}
	switch s.state {
	case "succeeded":
		switch {
		case rec == nil:
			return base(UnknownToProvider, fmt.Sprintf("sold at terminal %03d, but not in the provider's records", s.terminal)), false
		case rec.State != providers.Succeeded:
			return base(UnknownToProvider, fmt.Sprintf("sold at terminal %03d, but the provider records it as %s", s.terminal, rec.State)), false
		case rec.Charged.IsZero() && rec.Charged.Currency == "", rec.Charged.Equal(s.cost):
			return nil, false
		case rec.Charged.Currency != s.cost.Currency:
			return base(AmountDiffers, fmt.Sprintf("cost at terminal %03d %s, charged %s: different currencies", s.terminal, s.cost, rec.Charged)), false
		default:
			return base(AmountDiffers, fmt.Sprintf("cost at terminal %03d %s, charged %s, difference %s", s.terminal, s.cost,
				rec.Charged, money.New(rec.Charged.Amount.Sub(s.cost.Amount), rec.Charged.Currency))), false
		}
	case "failed":
		if rec != nil && rec.State == providers.Succeeded {
			return base(ChargedNotSold, fmt.Sprintf("charged by the provider, failed at terminal %03d: the customer did not get it", s.terminal)), false
		}
		return nil, false
	}
	return nil, true
}

// notShipped describes a charge no terminal shipped a sale for.
func notShipped(rec *providers.Record, n int, ok bool, t *FleetTerminal) FleetMismatch {
	m := FleetMismatch{Kind: ChargedNotSold, Ref: rec.Ref, ProductID: rec.ProductID, Product: rec.ProductName,
		ProviderState: rec.State, Charged: rec.Charged, ProviderRef: rec.ProviderRef, At: rec.At}
	switch {
	case !ok:
		m.Detail = "charged by the provider under a reference that names no terminal"
	case t.LastContact.IsZero():
		m.Detail = fmt.Sprintf("charged by the provider; terminal %03d has never shipped to head office", n)
	case t.LastContact.Before(rec.At):
		m.Detail = fmt.Sprintf("charged by the provider; terminal %03d last shipped at %s, before this sale: it may not have sent it yet",
			n, t.LastContact.Format(time.RFC3339))
	default:
		m.Detail = fmt.Sprintf("charged by the provider, missing from terminal %03d's shipped sales", n)
	}
	return m
}

// strangers are the references the provider charged in the period that
// are not among the period's shipped sales, sorted.
func strangers(byRef map[string]*providers.Record, sales []shippedSale, from, to time.Time) []string {
	seen := make(map[string]bool, len(sales))
	for _, s := range sales {
		seen[s.ref] = true
	}
	var out []string
	for ref, r := range byRef {
		if !seen[ref] && r.State == providers.Succeeded && !r.At.Before(from) && r.At.Before(to) {
			out = append(out, ref)
		}
	}
	sort.Strings(out)
	return out
}

func periodSales(ctx context.Context, tx pgx.Tx, provider string, from, to time.Time) ([]shippedSale, error) {
	rows, err := tx.Query(ctx, `
		SELECT terminal, ref, product_id, product, state, provider_ref, cost::text, cost_currency
		FROM sales WHERE provider = $1 AND created_at >= $2 AND created_at < $3
		ORDER BY terminal, ref`, provider, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []shippedSale
	for rows.Next() {
		var s shippedSale
		var cost, currency string
		if err := rows.Scan(&s.terminal, &s.ref, &s.productID, &s.product, &s.state, &s.providerRef,
			&cost, &currency); err != nil {
			return nil, err
		}
		if s.cost, err = amount(cost, currency); err != nil {
			return nil, fmt.Errorf("sale %s: %w", s.ref, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func fleetTerminals(ctx context.Context, tx pgx.Tx) (map[int]FleetTerminal, error) {
	rows, err := tx.Query(ctx, "SELECT terminal, name, last_contact FROM terminals")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]FleetTerminal{}
	for rows.Next() {
		var t FleetTerminal
		if err := rows.Scan(&t.Terminal, &t.Name, &t.LastContact); err != nil {
			return nil, err
		}
		out[t.Terminal] = t
	}
	return out, rows.Err()
}

// shippedRefs says which of refs some terminal shipped, in any period.
func shippedRefs(ctx context.Context, tx pgx.Tx, provider string, refs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(refs) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, "SELECT ref FROM sales WHERE provider = $1 AND ref = ANY($2)", provider, refs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, err
		}
		out[ref] = true
	}
	return out, rows.Err()
}

// FleetCSVHeader is the header row of Fleet.WriteCSV.
var FleetCSVHeader = []string{"terminal", "name", "kind", "ref", "product", "state", "provider_state",
	"cost", "cost_currency", "charged", "charged_currency", "provider_ref", "at", "detail"}

// WriteCSV writes one row per mismatch, terminal by terminal.
func (f *Fleet) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(FleetCSVHeader) // the writer keeps the first error for Flush
	for _, t := range f.Terminals {
		for _, m := range t.Mismatches {
			_ = cw.Write([]string{strconv.Itoa(t.Terminal), t.Name, m.Kind, m.Ref, m.Product, m.State,
				string(m.ProviderState), plainMoney(m.Cost), m.Cost.Currency, plainMoney(m.Charged), m.Charged.Currency,
				m.ProviderRef, ts(m.At), m.Detail})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write the fleet reconciliation as CSV: %w", err)
	}
	return nil
}

// WriteText writes the comparison for a person, terminal by terminal.
func (f *Fleet) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s: %d records from %s to %s, compared with every terminal's shipped sales\n",
		clean(f.Provider), f.Records, f.From.Format(time.RFC3339), f.To.Format(time.RFC3339))
	for _, t := range f.Terminals {
		name := "references naming no terminal"
		if t.Terminal != 0 {
			name = "terminal " + terminalName(t.Terminal, clean(t.Name))
		}
		fmt.Fprintf(bw, "\n%s: %d sales shipped, %d records, %d unsettled, %d mismatches\n",
			name, t.Sales, t.Records, t.Open, len(t.Mismatches))
		for _, m := range t.Mismatches {
			fmt.Fprintf(bw, "  %-20s %s  %s\n", m.Kind, clean(m.Ref), clean(m.Detail))
		}
	}
	return bw.Flush()
}

// plainMoney writes an amount without its code, or nothing for no amount.
func plainMoney(m money.Money) string {
	if m.Currency == "" && m.IsZero() {
		return ""
	}
	return fixed(m)
}
