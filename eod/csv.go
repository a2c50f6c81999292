package eod

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"kiosk/i18n"
	"kiosk/money"
)

// WriteCSV writes the report as CSV with English headers (WriteCSVIn).
func (r *Report) WriteCSV(w io.Writer) error { return r.WriteCSVIn(w, i18n.EN) }

// WriteCSVIn writes the report as CSV, one table per section, one after
// the other in one file. Each table starts with a header row whose first
// field names the section column ("section" in English) and whose other
// fields name the columns, in lang; every data row starts with its
// section's name, the same in every language: report, totals, clerks,
// brands, products, counts, not_counted, providers, mismatches, cash,
// notes. A spreadsheet shows the tables one under the other; a script
// splits the file on the header rows (the rows whose section is not one of
// those names). Columns added since a section was first written come
// last. Amounts are plain decimals with the currency's places, the
// currency in its own column; times are RFC 3339; PINs are masked; values
// (states, kinds, verdicts) are the records' own words. An Arabic file
// starts with a UTF-8 byte-order mark, without which spreadsheets read it
// in another encoding. A Blind report leaves the sums of succeeded sales
// and the expected cash empty.
func (r *Report) WriteCSVIn(w io.Writer, lang i18n.Lang) error {
	if lang.RTL() {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return fmt.Errorf("write the report of %s as CSV: %w", r.Day, err)
		}
	}
	c := &csvOut{cw: csv.NewWriter(w), words: wordsIn(lang), blind: r.Blind}
	c.reportRows(r)
	c.totals(r)
	for _, s := range []struct {
		name  string
		lines []Line
	}{{"clerks", r.Clerks}, {"brands", r.Brands}, {"products", r.Products}} {
		c.lines(s.name, s.lines)
	}
	c.counts(r)
	c.notCounted(r)
	c.header("provider", "name", "method", "sales", "records", "result")
	for _, k := range r.Checks {
		result := "compared"
		if k.Error != "" {
			result = k.Error
		}
		c.put("providers", k.Provider, k.Name, k.Method, strconv.Itoa(k.Sales), strconv.Itoa(k.Records), result)
	}
	c.mismatches(r)
	c.cash(r)
	c.header("at", "by", "text")
	for _, n := range r.Notes {
		c.put("notes", ts(n.At), n.By, n.Text)
	}
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("write the report of %s as CSV: %w", r.Day, err)
	}
	return nil
}

type csvOut struct {
	cw *csv.Writer
	words
	blind bool
}

func (c *csvOut) put(row ...string) { _ = c.cw.Write(row) } // the writer keeps the first error for Flush

// header writes a section's header row, each column named in the
// report's language.
func (c *csvOut) header(cols ...string) {
	row := make([]string, 0, len(cols)+1)
	row = append(row, c.t("eod.csv.section"))
	for _, col := range cols {
		row = append(row, c.t("eod.csv."+col))
	}
	c.put(row...)
}

// sum writes an amount of the succeeded sales, or nothing when blind.
func (c *csvOut) sum(m money.Money) string {
	if c.blind {
		return ""
	}
	return plain(m)
}

func (c *csvOut) sumOf(m *money.Money) string {
	if m == nil {
		return ""
	}
	return c.sum(*m)
}

func (c *csvOut) reportRows(r *Report) {
	z := ""
	if r.Closed() {
		z = strconv.FormatUint(r.Number, 10)
	}
	c.header("day", "z_number", "from", "to", "zone", "cutoff_hour", "closed_by", "closed_at", "generated", "x_report", "blind")
	c.put("report", r.Day, z, ts(r.From), ts(r.To), r.Zone, strconv.Itoa(r.CutoffHour), r.ClosedBy, ts(r.ClosedAt),
		ts(r.Generated), strconv.FormatBool(r.X), strconv.FormatBool(r.Blind))
}

// figureCols are the columns of Figures, after a line's own.
var figureCols = []string{"currency", "cost_currency", "vat_currency", "fee_currency", "sales", "retail", "fee",
	"vat", "fee_vat", "cost", "cost_vat", "vat_owed", "margin"}

func (c *csvOut) figures(f *Figures) []string {
	return []string{f.Currency, f.CostCurrency, f.VATCurrency, f.FeeCurrency, strconv.Itoa(f.Sales), c.sum(f.Retail),
		c.sum(f.Fee), c.sum(f.VAT), c.sum(f.FeeVAT), c.sum(f.Cost), c.sum(f.CostVAT), c.sumOf(f.VATOwed), c.sumOf(f.Margin)}
}

func (c *csvOut) totals(r *Report) {
	c.header("provider", "currency", "cost_currency", "vat_currency", "sales", "retail", "vat", "cost", "margin",
		"provider_name", "fee_currency", "fee", "fee_vat", "cost_vat", "vat_owed")
	for _, t := range r.Totals {
		f := t.Figures()
		c.put("totals", t.Provider, f.Currency, f.CostCurrency, f.VATCurrency, strconv.Itoa(f.Sales),
			c.sum(f.Retail), c.sum(f.VAT), c.sum(f.Cost), c.sumOf(f.Margin),
			t.Name, f.FeeCurrency, c.sum(f.Fee), c.sum(f.FeeVAT), c.sum(f.CostVAT), c.sumOf(f.VATOwed))
	}
}

func (c *csvOut) lines(section string, ls []Line) {
	own := map[string][]string{"clerks": {"clerk"}, "brands": {"brand"},
		"products": {"provider", "provider_name", "product_id", "product"}}[section]
	c.header(append(own, figureCols...)...)
	for i := range ls {
		l := &ls[i]
		row := []string{section}
		switch section {
		case "clerks":
			row = append(row, l.Clerk)
		case "brands":
			row = append(row, l.Brand)
		default:
			row = append(row, l.Provider, l.ProviderName, l.ProductID, l.Product)
		}
		c.put(append(row, c.figures(&l.Figures)...)...)
	}
}

func (c *csvOut) counts(r *Report) {
	c.header("sales", "succeeded", "failed", "open", "reprinted", "reprints", "not_sold_slips")
	if n := r.Counts; n != nil {
		c.put("counts", strconv.Itoa(n.Sales), strconv.Itoa(n.Succeeded), strconv.Itoa(n.Failed), strconv.Itoa(n.Open),
			strconv.Itoa(n.Reprinted), strconv.Itoa(n.Reprints), strconv.Itoa(n.NotSoldSlips))
	}
}

func (c *csvOut) notCounted(r *Report) {
	names := r.providerNames()
	c.header("ref", "provider", "product", "state", "retail", "currency", "created", "message", "provider_name")
	for _, s := range r.NotCounted {
		c.put("not_counted", s.Ref, s.Provider, s.Product, string(s.State), plain(s.Retail), s.Retail.Currency,
			ts(s.Created), s.Message, names[s.Provider])
	}
}

func (c *csvOut) mismatches(r *Report) {
	names := r.providerNames()
	c.header("found_on", "kind", "provider", "ref", "product", "journal_state", "provider_state",
		"cost", "cost_currency", "charged", "charged_currency", "provider_ref", "serial", "pin", "detail",
		"settled_by", "settled_at", "reason", "provider_name")
	for _, m := range append(append([]Mismatch(nil), r.Mismatches...), r.Carried...) {
		var by, at, reason string
		if m.Settled != nil {
			by, at, reason = m.Settled.By, ts(m.Settled.At), m.Settled.Reason
		}
		c.put("mismatches", m.Day, string(m.Kind), m.Provider, m.Ref, m.Product, string(m.JournalState),
			string(m.ProviderState), plain(m.Cost), m.Cost.Currency, plain(m.Charged), m.Charged.Currency,
			m.ProviderRef, m.Serial, m.PINMasked, m.DetailIn(c.lang), by, at, reason, names[m.Provider])
	}
}

func (c *csvOut) cash(r *Report) {
	c.header("currency", "float", "sales", "expected", "counted", "difference", "verdict")
	for _, l := range r.Cash {
		counted, diff := "", ""
		if l.Counted != nil {
			counted, diff = fixed(*l.Counted, l.Currency), fixed(*l.Difference, l.Currency)
		}
		sales, expected := fixed(l.Sales, l.Currency), fixed(l.Expected, l.Currency)
		if c.blind {
			sales, expected = "", ""
		}
		c.put("cash", l.Currency, fixed(l.Float, l.Currency), sales, expected, counted, diff, l.Verdict())
	}
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
