package eod

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"kiosk/i18n"
	"kiosk/money"
	"kiosk/sale"
)

// CashCount is what the supervisor enters at the end of the day.
type CashCount struct {
	Float   []money.Money // the opening float, per currency
	Counted []money.Money // the cash in the drawer now, per currency
}

// CashLine is the drawer in one currency. Every sale is taken in cash, so
// the drawer should hold the float plus the retail price and the service
// fee of every succeeded sale in that currency.
type CashLine struct {
	Currency string        `json:"currency"`
	Float    money.Decimal `json:"float"`
	Sales    money.Decimal `json:"sales"`
	Expected money.Decimal `json:"expected"`
	// Counted and Difference (counted − expected) are nil until counted.
	Counted    *money.Decimal `json:"counted,omitempty"`
	Difference *money.Decimal `json:"difference,omitempty"`
}

// Verdict is "over", "short", "exact" or "not counted".
func (c CashLine) Verdict() string {
	switch {
	case c.Difference == nil:
		return "not counted"
	case c.Difference.Sign() > 0:
		return "over"
	case c.Difference.Sign() < 0:
		return "short"
	}
	return "exact"
}

// ParseAmounts reads amounts per currency written "SAR=100,YER=5000".
func ParseAmounts(s string) ([]money.Money, error) {
	var out []money.Money
	seen := map[string]bool{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		cur, amt, ok := strings.Cut(item, "=")
		cur = strings.ToUpper(strings.TrimSpace(cur))
		if !ok || len(cur) != 3 || strings.Trim(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			return nil, fmt.Errorf("%q: write amounts as CUR=AMOUNT, e.g. SAR=100,YER=5000", item)
		}
		d, err := money.Parse(amt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cur, err)
		}
		if d.Sign() < 0 {
			return nil, fmt.Errorf("%s: a cash amount cannot be negative", cur)
		}
		if seen[cur] {
			return nil, fmt.Errorf("%s is given twice", cur)
		}
		seen[cur] = true
		out = append(out, money.New(d, cur))
	}
	return out, nil
}

// cashLines balances the drawer per currency: every currency with a float,
// a count or sales gets a line.
func cashLines(totals []Total, cash CashCount) ([]CashLine, error) {
	lines := map[string]*CashLine{}
	line := func(cur string) *CashLine {
		if lines[cur] == nil {
			lines[cur] = &CashLine{Currency: cur}
		}
		return lines[cur]
	}
	for _, t := range totals {
		l := line(t.Currency)
		l.Sales = l.Sales.Add(t.Retail.Amount)
		if !t.Fee.IsZero() {
			l := line(t.Fee.Currency)
			l.Sales = l.Sales.Add(t.Fee.Amount)
		}
	}
	floats := map[string]bool{}
	for _, f := range cash.Float {
		if floats[f.Currency] {
			return nil, fmt.Errorf("opening float: %s is given twice", f.Currency)
		}
		floats[f.Currency] = true
		l := line(f.Currency)
		l.Float = f.Amount
	}
	for _, c := range cash.Counted {
		l := line(c.Currency)
		if l.Counted != nil {
			return nil, fmt.Errorf("counted cash: %s is given twice", c.Currency)
		}
		n := c.Amount
		l.Counted = &n
	}
	out := make([]CashLine, 0, len(lines))
	for _, l := range lines {
		l.Expected = l.Float.Add(l.Sales)
		if l.Counted != nil {
			d := l.Counted.Sub(l.Expected)
			l.Difference = &d
		}
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out, nil
}

// uncounted refuses a close while a currency the drawer should hold was
// not counted: a Z-report without its cash count is no Z-report.
func uncounted(lines []CashLine) error {
	var missing []string
	for _, l := range lines {
		if l.Counted == nil && !l.Expected.IsZero() {
			missing = append(missing, fmt.Sprintf("%s (expected %s)", l.Currency, money.New(l.Expected, l.Currency)))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("count the cash first: nothing counted for %s", strings.Join(missing, ", "))
	}
	return nil
}

// CashSummary says, one line per counted currency, how the count stands
// against the cash expected: what a supervisor confirms before a close
// ("SAR: short 10.00 (expected 420.50, counted 410.50)"). A currency not
// counted that the drawer should not hold anything of is left out.
func (r *Report) CashSummary(lang i18n.Lang) []string {
	w := wordsIn(lang)
	var out []string
	for _, c := range r.Cash {
		switch {
		case c.Counted == nil && c.Expected.IsZero():
			continue
		case c.Counted == nil:
			out = append(out, c.Currency+": "+w.verdict(c))
			continue
		}
		expected, counted := fixed(c.Expected, c.Currency), fixed(*c.Counted, c.Currency)
		d := *c.Difference
		if d.IsZero() {
			out = append(out, w.t("eod.cash_summary_exact", c.Currency, expected, counted))
			continue
		}
		if d.Sign() < 0 {
			d = money.Zero.Sub(d)
		}
		out = append(out, w.t("eod.cash_summary", c.Currency, w.verdict(c), fixed(d, c.Currency), expected, counted))
	}
	return out
}

// DrawerCurrencies lists the currencies the drawer should hold on a day:
// those its succeeded sales were paid in (price and fee) and those of the
// float, sorted. It reads the journal alone and gives no amount, so a
// count form can ask for each currency under a blind count.
func (b *Books) DrawerCurrencies(date time.Time, cash CashCount) ([]string, error) {
	day := date.Format(DateLayout)
	from, err := b.start(date)
	if err != nil {
		return nil, err
	}
	_, end := Day(date, b.opt.CutoffHour, b.opt.Location)
	sales, err := b.j.Summaries(from, end)
	if err != nil {
		return nil, fmt.Errorf("end of day %s: read the journal: %w", day, err)
	}
	seen := map[string]bool{}
	for _, f := range cash.Float {
		seen[f.Currency] = true
	}
	for i := range sales {
		if s := &sales[i]; s.State == sale.Succeeded {
			seen[s.Retail.Currency] = true
			if !s.Fee.IsZero() {
				seen[s.Fee.Currency] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen)), nil
}
