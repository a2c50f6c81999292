package hq

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"kiosk/money"
)

// ReportQuery says what a head-office report covers.
type ReportQuery struct {
	From, To time.Time // sales created in [From, To)
	Now      time.Time // the reader's clock: who has not reported since Now − Quiet
	// Quiet is how long a terminal may stay silent before it is flagged;
	// a day when zero.
	Quiet time.Duration
}

// Report is the fleet seen from head office: what PostgreSQL holds, no
// more, whatever the kiosks have not shipped yet.
type Report struct {
	From, To  time.Time
	Generated time.Time
	Totals    []Total          // per terminal × provider × currency set, succeeded sales only
	Terminals []TerminalStatus // every terminal head office knows
}

// Total is one terminal's succeeded sales of one provider in one set of
// currencies, as the kiosk's own end of day adds them: a sale whose cost
// or VAT is in another currency than its price goes to a row of its own,
// and only a row whose cost is in the price's currency has a margin.
type Total struct {
	Terminal     int
	Name         string
	Provider     string
	Currency     string // the retail price's
	CostCurrency string // set only when it differs
	VATCurrency  string // set only when it differs
	Sales        int
	Retail       money.Money
	Fee          money.Money // the shop's service fees, on top of retail
	VAT          money.Money // the VAT owed: retail VAT + fee VAT − the VAT in the cost
	Cost         money.Money
	// Margin is retail + fee − cost − VAT owed, as the kiosk's end of day
	// counts it; nil across currencies.
	Margin *money.Money
}

// TerminalStatus is one terminal's contact and closed days.
type TerminalStatus struct {
	Terminal    int
	Name        string
	LastContact time.Time
	Quiet       bool // has not reported within ReportQuery.Quiet
	NotCounted  int  // shipped sales of the period that did not succeed (failed, in review…)
	ZReports    []ZSummary
}

// ZSummary is a closed day of a terminal.
type ZSummary struct {
	Number   uint64
	Day      string
	From, To time.Time
	ClosedAt time.Time
	ClosedBy string
	Sales    int
}

// Report reads the period's totals, every terminal's last contact and
// the Z-reports whose period overlaps [From, To).
func (db *DB) Report(ctx context.Context, q ReportQuery) (*Report, error) {
	if !q.From.Before(q.To) {
		return nil, fmt.Errorf("head office report: the period %s – %s is empty", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	if q.Quiet <= 0 {
		q.Quiet = 24 * time.Hour
	}
	if q.Now.IsZero() {
		q.Now = db.opt.Now()
	}
	r := &Report{From: q.From, To: q.To, Generated: q.Now}
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead},
		func(tx pgx.Tx) error {
			var err error
			if r.Totals, err = totals(ctx, tx, q); err != nil {
				return err
			}
			r.Terminals, err = terminals(ctx, tx, q)
			return err
		})
	if err != nil {
		return nil, db.explain(err, "report")
	}
	return r, nil
}

func totals(ctx context.Context, tx pgx.Tx, q ReportQuery) ([]Total, error) {
	rows, err := tx.Query(ctx, `
		SELECT s.terminal, t.name, s.provider, s.retail_currency,
			CASE WHEN s.cost_currency = s.retail_currency THEN '' ELSE s.cost_currency END,
			CASE WHEN s.retail_vat_currency IN ('', s.retail_currency) THEN '' ELSE s.retail_vat_currency END,
			count(*), sum(s.retail)::text, sum(s.retail_vat + s.fee_vat - CASE WHEN s.cost_vat_currency IN ('', s.retail_currency) THEN s.cost_vat ELSE 0 END)::text, sum(s.cost)::text, s.cost_currency,
			max(s.retail_vat_currency), sum(s.fee)::text
		FROM sales s JOIN terminals t USING (terminal)
		WHERE s.state = 'succeeded' AND s.created_at >= $1 AND s.created_at < $2
		GROUP BY 1, 2, 3, 4, 5, 6, 11
		ORDER BY 1, 3, 4, 5, 6`, q.From, q.To)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Total
	for rows.Next() {
		var t Total
		var retail, vat, cost, costCur, vatCur, fee string
		if err := rows.Scan(&t.Terminal, &t.Name, &t.Provider, &t.Currency, &t.CostCurrency, &t.VATCurrency,
			&t.Sales, &retail, &vat, &cost, &costCur, &vatCur, &fee); err != nil {
			return nil, err
		}
		if vatCur == "" {
			vatCur = t.Currency
		}
		var errs [4]error
		t.Retail, errs[0] = amount(retail, t.Currency)
		t.VAT, errs[1] = amount(vat, vatCur)
		t.Cost, errs[2] = amount(cost, costCur)
		t.Fee, errs[3] = amount(fee, t.Currency) // a fee is in the product's currency (kiosk/pricing)
		for _, err := range errs {
			if err != nil {
				return nil, fmt.Errorf("terminal %d %s: %w", t.Terminal, t.Provider, err)
			}
		}
		if t.CostCurrency == "" && t.VATCurrency == "" {
			m := money.New(t.Retail.Amount.Add(t.Fee.Amount).Sub(t.Cost.Amount).Sub(t.VAT.Amount), t.Currency)
			t.Margin = &m
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func terminals(ctx context.Context, tx pgx.Tx, q ReportQuery) ([]TerminalStatus, error) {
	rows, err := tx.Query(ctx, `
		SELECT t.terminal, t.name, t.last_contact,
			(SELECT count(*) FROM sales s WHERE s.terminal = t.terminal AND s.state <> 'succeeded'
				AND s.created_at >= $1 AND s.created_at < $2)
		FROM terminals t ORDER BY t.terminal`, q.From, q.To)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (TerminalStatus, error) {
		var s TerminalStatus
		err := row.Scan(&s.Terminal, &s.Name, &s.LastContact, &s.NotCounted)
		s.Quiet = q.Now.Sub(s.LastContact) > q.Quiet
		return s, err
	})
	if err != nil {
		return nil, err
	}
	byTerminal := map[int]*TerminalStatus{}
	for i := range out {
		byTerminal[out[i].Terminal] = &out[i]
	}
	zrows, err := tx.Query(ctx, `
		SELECT z.terminal, z.z, z.day::text, z.from_at, z.to_at, z.closed_at, z.closed_by,
			coalesce((SELECT sum(sales) FROM z_totals t WHERE t.terminal = z.terminal AND t.z = z.z), 0)
		FROM z_reports z
		WHERE z.from_at < $2 AND z.to_at > $1
		ORDER BY z.terminal, z.z`, q.From, q.To)
	if err != nil {
		return nil, err
	}
	defer zrows.Close()
	for zrows.Next() {
		var n int
		var z ZSummary
		if err := zrows.Scan(&n, &z.Number, &z.Day, &z.From, &z.To, &z.ClosedAt, &z.ClosedBy, &z.Sales); err != nil {
			return nil, err
		}
		if s := byTerminal[n]; s != nil {
			s.ZReports = append(s.ZReports, z)
		}
	}
	return out, zrows.Err()
}

// amount reads a sum PostgreSQL wrote as text.
func amount(text, currency string) (money.Money, error) {
	d, err := money.Parse(text)
	if err != nil {
		return money.Money{}, fmt.Errorf("amount %q from head office: %w", text, err)
	}
	return money.New(d, currency), nil
}

// CSVHeader is the header row of WriteCSV.
var CSVHeader = []string{"terminal", "name", "provider", "currency", "cost_currency", "vat_currency", "sales",
	"retail", "fee", "vat", "cost", "margin", "last_contact", "not_reporting", "not_counted", "z_reports"}

// WriteCSV writes the report as one table: a row per terminal × provider
// × currency set, and a row with no provider for a terminal that sold
// nothing in the period, so a silent terminal is listed too. Amounts are
// plain decimals with the currency's places; times are RFC 3339.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(CSVHeader) // the writer keeps the first error for Flush
	for _, s := range r.Terminals {
		term := []string{strconv.Itoa(s.Terminal), s.Name}
		tail := []string{ts(s.LastContact), strconv.FormatBool(s.Quiet), strconv.Itoa(s.NotCounted), zNumbers(s.ZReports)}
		rows := r.totalsOf(s.Terminal)
		if len(rows) == 0 {
			_ = cw.Write(append(append(term, "", "", "", "", "0", "", "", "", "", ""), tail...))
		}
		for _, t := range rows {
			margin := ""
			if t.Margin != nil {
				margin = fixed(*t.Margin)
			}
			_ = cw.Write(append(append(term, t.Provider, t.Currency, t.CostCurrency, t.VATCurrency, strconv.Itoa(t.Sales),
				fixed(t.Retail), fixed(t.Fee), fixed(t.VAT), fixed(t.Cost), margin), tail...))
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write the head-office report as CSV: %w", err)
	}
	return nil
}

// WriteText writes the report for a person: the totals, then each
// terminal's contact and closed days, the silent ones flagged.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Head office: sales from %s to %s\n\n", r.From.Format("2006-01-02 15:04 MST"), r.To.Format("2006-01-02 15:04 MST"))
	fmt.Fprintln(tw, "terminal\tprovider\tcurrency\tsales\tretail\tfee\tVAT owed\tcost\tmargin\t")
	for _, t := range r.Totals {
		margin := "-"
		if t.Margin != nil {
			margin = fixed(*t.Margin)
		}
		cur := t.Currency
		if t.CostCurrency != "" {
			cur += " (cost " + t.CostCurrency + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", clean(terminalName(t.Terminal, t.Name)), clean(t.Provider),
			cur, t.Sales, fixed(t.Retail), fixed(t.Fee), fixed(t.VAT), fixed(t.Cost), margin)
	}
	if len(r.Totals) == 0 {
		fmt.Fprintln(tw, "no sales shipped for the period\t")
	}
	fmt.Fprintln(tw, "\nterminal\tlast contact\tnot counted\tclosed days\t")
	for _, s := range r.Terminals {
		contact := ts(s.LastContact)
		if s.Quiet {
			contact += "  NOT REPORTING"
		}
		var zs []string
		for _, z := range s.ZReports {
			zs = append(zs, fmt.Sprintf("Z%d %s (%d sales, %s)", z.Number, z.Day, z.Sales, clean(z.ClosedBy)))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t\n", clean(terminalName(s.Terminal, s.Name)), contact, s.NotCounted,
			orDash(strings.Join(zs, "; ")))
	}
	return tw.Flush()
}

func (r *Report) totalsOf(terminal int) []Total {
	i := sort.Search(len(r.Totals), func(i int) bool { return r.Totals[i].Terminal >= terminal })
	j := i
	for j < len(r.Totals) && r.Totals[j].Terminal == terminal {
		j++
	}
	return r.Totals[i:j]
}

func zNumbers(zs []ZSummary) string {
	var out []string
	for _, z := range zs {
		out = append(out, strconv.FormatUint(z.Number, 10))
	}
	return strings.Join(out, ";")
}

func terminalName(n int, name string) string {
	if name == "" {
		return fmt.Sprintf("%03d", n)
	}
	return fmt.Sprintf("%03d %s", n, name)
}

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// fixed writes an amount with its currency's places, without the code.
func fixed(m money.Money) string { return m.Amount.StringFixed(money.Places(m.Currency)) }

// clean drops control characters (escape sequences among them) from text
// that came from a kiosk before it reaches a terminal.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
