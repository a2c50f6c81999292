package eod

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"kiosk/money"
)

// WriteCSV writes the report as CSV, one table per section, one after the
// other in one file. Each table starts with a header row whose first field
// is "section" and whose other fields name the columns; every data row
// starts with its section's name: report, totals, not_counted, providers,
// mismatches, cash, notes. A spreadsheet shows the tables one under the
// other; a script splits the file on rows that start with "section".
// Amounts are plain decimals with the currency's places, the currency in
// its own column; times are RFC 3339; PINs are masked.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	put := func(rows ...[]string) {
		for _, row := range rows {
			_ = cw.Write(row) // the writer keeps the first error for Flush
		}
	}
	z := ""
	if r.Closed() {
		z = strconv.FormatUint(r.Number, 10)
	}
	put([]string{"section", "day", "z_number", "from", "to", "zone", "cutoff_hour", "closed_by", "closed_at", "generated"},
		[]string{"report", r.Day, z, ts(r.From), ts(r.To), r.Zone, strconv.Itoa(r.CutoffHour), r.ClosedBy, ts(r.ClosedAt), ts(r.Generated)})

	put([]string{"section", "provider", "currency", "cost_currency", "vat_currency", "sales", "retail", "vat", "cost", "margin"})
	for _, t := range r.Totals {
		margin := ""
		if t.Margin != nil {
			margin = plain(*t.Margin)
		}
		put([]string{"totals", t.Provider, t.Currency, t.CostCurrency, t.VATCurrency, strconv.Itoa(t.Sales),
			plain(t.Retail), plain(t.VAT), plain(t.Cost), margin})
	}

	put([]string{"section", "ref", "provider", "product", "state", "retail", "currency", "created", "message"})
	for _, s := range r.NotCounted {
		put([]string{"not_counted", s.Ref, s.Provider, s.Product, string(s.State), plain(s.Retail), s.Retail.Currency,
			ts(s.Created), s.Message})
	}

	put([]string{"section", "provider", "name", "method", "sales", "records", "result"})
	for _, c := range r.Checks {
		result := "compared"
		if c.Error != "" {
			result = c.Error
		}
		put([]string{"providers", c.Provider, c.Name, c.Method, strconv.Itoa(c.Sales), strconv.Itoa(c.Records), result})
	}

	put([]string{"section", "found_on", "kind", "provider", "ref", "product", "journal_state", "provider_state",
		"cost", "cost_currency", "charged", "charged_currency", "provider_ref", "serial", "pin", "detail",
		"settled_by", "settled_at", "reason"})
	for _, m := range append(append([]Mismatch(nil), r.Mismatches...), r.Carried...) {
		var by, at, reason string
		if m.Settled != nil {
			by, at, reason = m.Settled.By, ts(m.Settled.At), m.Settled.Reason
		}
		put([]string{"mismatches", m.Day, string(m.Kind), m.Provider, m.Ref, m.Product, string(m.JournalState),
			string(m.ProviderState), plain(m.Cost), m.Cost.Currency, plain(m.Charged), m.Charged.Currency,
			m.ProviderRef, m.Serial, m.PINMasked, m.Detail, by, at, reason})
	}

	put([]string{"section", "currency", "float", "sales", "expected", "counted", "difference", "verdict"})
	for _, c := range r.Cash {
		counted, diff := "", ""
		if c.Counted != nil {
			counted, diff = fixed(*c.Counted, c.Currency), fixed(*c.Difference, c.Currency)
		}
		put([]string{"cash", c.Currency, fixed(c.Float, c.Currency), fixed(c.Sales, c.Currency),
			fixed(c.Expected, c.Currency), counted, diff, c.Verdict()})
	}

	put([]string{"section", "at", "by", "text"})
	for _, n := range r.Notes {
		put([]string{"notes", ts(n.At), n.By, n.Text})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write the report of %s as CSV: %w", r.Day, err)
	}
	return nil
}

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// plain writes an amount without its code, or nothing for no amount.
func plain(m money.Money) string {
	if m.Currency == "" && m.IsZero() {
		return ""
	}
	return fixed(m.Amount, m.Currency)
}
