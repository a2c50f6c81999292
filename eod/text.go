package eod

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kiosk/i18n"
	"kiosk/money"
)

// ReceiptWidth is the number of columns of the receipt printer.
const ReceiptWidth = 48

const stamp = "2006-01-02 15:04"

// TextOptions say how TextWith lays a report out.
type TextOptions struct {
	Width int       // columns; 24 at least
	Lang  i18n.Lang // the reader's language; English when empty
}

// Text renders the report in English, width columns wide (see TextWith).
func (r *Report) Text(width int) string { return r.TextWith(TextOptions{Width: width}) }

// TextWith renders the report as plain text for the receipt printer and
// the terminal, in o.Lang. The text is in logical order, as typed: a
// caller showing Arabic on a terminal that does not reorder it applies
// i18n.Display to each line, as every screen does, and the receipt
// package prints it as an image. Widths are display cells. PINs are
// masked. A Blind report shows no sum of the succeeded sales and no
// expected cash.
func (r *Report) TextWith(o TextOptions) string {
	w := wordsIn(o.Lang)
	t := &reportText{textOut: textOut{w: max(o.Width, 24), rtl: w.lang.RTL()}, r: r, words: w, names: r.providerNames()}
	t.rule('=')
	t.header()
	t.sales()
	t.counts()
	t.notCounted()
	t.section(t.t("eod.providers_title"))
	for _, c := range r.Checks {
		t.wrap("", c.SummaryIn(t.lang))
	}
	t.mismatches()
	t.cash()
	t.lines("eod.clerks_title", r.Clerks, func(l *Line) string { return cmp.Or(l.Clerk, t.t("eod.no_clerk")) })
	t.lines("eod.brands_title", r.Brands, func(l *Line) string { return cmp.Or(l.Brand, t.t("eod.no_brand")) })
	t.lines("eod.products_title", r.Products, func(l *Line) string {
		return t.t("eod.product_of", cmp.Or(l.Product, l.ProductID), cmp.Or(l.ProviderName, l.Provider))
	})
	if len(r.Notes) > 0 {
		t.section(t.t("eod.notes_title"))
		for _, n := range r.Notes {
			t.pair(n.By, n.At.Format(stamp))
			t.wrap("  ", n.Text)
		}
	}
	t.rule('=')
	return t.b.String()
}

// providerNames maps provider ids to the names the report shows: from the
// checks (every configured provider has one) and the totals.
func (r *Report) providerNames() map[string]string {
	names := make(map[string]string, len(r.Checks))
	for _, x := range r.Totals {
		if x.Name != "" {
			names[x.Provider] = x.Name
		}
	}
	for _, c := range r.Checks {
		if c.Name != "" {
			names[c.Provider] = c.Name
		}
	}
	return names
}

// reportText is one rendering of a report.
type reportText struct {
	textOut
	words
	r     *Report
	names map[string]string
}

func (t *reportText) provider(id string) string { return cmp.Or(t.names[id], id) }

func (t *reportText) header() {
	r := t.r
	day := t.t("eod.day", r.Day)
	switch {
	case r.Closed():
		t.pair(t.t("eod.z_report", r.Number), day)
	case r.X:
		t.pair(t.t("eod.x_report"), day)
	default:
		t.pair(t.t("eod.not_closed"), day)
	}
	t.pair(t.t("eod.from"), r.From.Format(time.DateTime))
	t.pair(t.t("eod.to"), r.To.Format(time.DateTime))
	t.pair(t.t("eod.zone"), t.t("eod.zone_cutoff", r.Zone, r.CutoffHour))
	if r.Closed() {
		t.pair(t.t("eod.closed_by", r.ClosedBy), r.ClosedAt.Format(stamp))
	} else {
		t.pair(t.t("eod.printed_at"), r.Generated.Format(stamp))
	}
	for _, l := range r.AfterClose {
		t.wrap("", l)
	}
	if r.Blind {
		t.wrap("", t.t("eod.blind"))
	}
}

// sales writes each provider's totals.
func (t *reportText) sales() {
	t.section(t.t("eod.sales_title"))
	if len(t.r.Totals) == 0 {
		t.line(t.t("eod.none"))
	}
	for _, x := range t.r.Totals {
		head := t.provider(x.Provider) + " " + x.Currency
		if x.CostCurrency != "" {
			head += t.t("eod.cost_in", x.CostCurrency)
		}
		if x.VATCurrency != "" {
			head += t.t("eod.vat_in", x.VATCurrency)
		}
		if x.FeeCurrency != "" {
			head += t.t("eod.fee_in", x.FeeCurrency)
		}
		t.pair(head, t.n("eod.sales", x.Sales))
		if t.r.Blind {
			continue
		}
		fx := x.Figures()
		f := &fx
		t.pair("  "+t.t("eod.retail"), amount(f.Retail))
		if !f.Fee.IsZero() {
			t.pair("  "+t.t("eod.fee"), amount(f.Fee))
		}
		if !f.FeeVAT.IsZero() {
			t.pair("  "+t.t("eod.fee_vat"), amount(f.FeeVAT))
		}
		t.pair("  "+t.t("eod.vat"), amount(f.VAT))
		t.pair("  "+t.t("eod.cost"), amount(f.Cost))
		if !f.CostVAT.IsZero() {
			t.pair("  "+t.t("eod.cost_vat"), amount(f.CostVAT))
		}
		if vatApart(f) {
			t.pair("  "+t.t("eod.vat_owed"), t.maybe(f.VATOwed))
		}
		t.pair("  "+t.t("eod.margin"), t.maybe(f.Margin))
	}
}

// vatApart reports whether the VAT owed is not simply the retail VAT, and
// so needs a line of its own.
func vatApart(f *Figures) bool { return !f.CostVAT.IsZero() || !f.FeeVAT.IsZero() }

// maybe writes an amount that cannot be given across currencies.
func (t *reportText) maybe(m *money.Money) string {
	if m == nil {
		return t.t("eod.na_currencies")
	}
	return amount(*m)
}

func (t *reportText) counts() {
	c := t.r.Counts
	if c == nil {
		return // a Z-report written before the counts were kept
	}
	t.section(t.t("eod.counts_title"))
	t.pair(t.t("eod.count.failed"), strconv.Itoa(c.Failed))
	t.pair(t.t("eod.count.not_sold_slips"), strconv.Itoa(c.NotSoldSlips))
	t.pair(t.t("eod.count.reprinted"), strconv.Itoa(c.Reprinted))
	t.pair(t.t("eod.count.reprints"), strconv.Itoa(c.Reprints))
}

func (t *reportText) notCounted() {
	t.section(t.t("eod.not_counted_title", len(t.r.NotCounted)))
	for _, s := range t.r.NotCounted {
		t.pair(t.t("eod.not_counted_head", t.upper(t.state(s.State)), t.provider(s.Provider)), amount(s.Retail))
		t.pair("  "+s.Ref, s.Created.Format("15:04:05"))
		t.wrap("  ", s.Product)
	}
}

func (t *reportText) mismatches() {
	r := t.r
	open := 0
	for _, m := range r.Mismatches {
		if m.Settled == nil {
			open++
		}
	}
	key := "eod.mismatches_title"
	if r.Closed() {
		key = "eod.mismatches_at_close" // later settlements are in the notes
	}
	t.section(t.t(key, len(r.Mismatches), open))
	for i := range r.Mismatches {
		t.mismatch(&r.Mismatches[i])
	}
	if len(r.Carried) > 0 {
		t.section(t.t("eod.carried_title", len(r.Carried)))
		for i := range r.Carried {
			t.mismatch(&r.Carried[i])
		}
	}
}

func (t *reportText) mismatch(m *Mismatch) {
	t.wrap("", t.upper(KindLabelIn(t.lang, m.Kind)))
	t.pair("  "+t.provider(m.Provider), m.Ref)
	if m.Product != "" {
		t.wrap("  ", m.Product)
	}
	t.wrap("  ", m.DetailIn(t.lang))
	if m.Serial != "" {
		t.wrap("  ", t.t("eod.serial", m.Serial))
	}
	if m.PINMasked != "" {
		t.wrap("  ", t.t("eod.pin", m.PINMasked))
	}
	if m.Day != "" && m.Day != t.r.Day {
		t.wrap("  ", t.t("eod.from_day", m.Day))
	}
	if m.Settled == nil {
		t.line("  " + t.t("eod.open"))
		return
	}
	t.wrap("  ", t.t("eod.settled", m.Settled.By, m.Settled.At.Format(stamp), m.Settled.Reason))
}

func (t *reportText) cash() {
	t.section(t.t("eod.cash_title"))
	for _, c := range t.r.Cash {
		t.line(c.Currency)
		t.pair("  "+t.t("eod.float"), fixed(c.Float, c.Currency))
		if t.r.Blind {
			t.pair("  "+t.t("eod.cash_sales"), t.t("eod.hidden"))
			t.pair("  "+t.t("eod.expected"), t.t("eod.hidden"))
		} else {
			t.pair("  "+t.t("eod.cash_sales"), fixed(c.Sales, c.Currency))
			t.pair("  "+t.t("eod.expected"), fixed(c.Expected, c.Currency))
		}
		if c.Counted == nil {
			t.pair("  "+t.t("eod.counted"), t.t("eod.verdict.not_counted"))
			continue
		}
		t.pair("  "+t.t("eod.counted"), fixed(*c.Counted, c.Currency))
		d := *c.Difference
		if d.Sign() < 0 {
			d = money.Zero.Sub(d)
		}
		t.pair("  "+t.upper(t.verdict(c)), fixed(d, c.Currency))
	}
}

// lines writes a section of clerk, brand or product lines, if there are
// any: a heading (once for the currencies of one clerk, brand or product),
// the sales and their retail total, what they cost and the VAT, and the
// margin.
func (t *reportText) lines(title string, ls []Line, head func(*Line) string) {
	if len(ls) == 0 {
		return
	}
	t.section(t.t(title))
	last := ""
	for i := range ls {
		l := &ls[i]
		f := &l.Figures
		if h := head(l); h != last || i == 0 { // a clerk's currencies one under the other
			t.wrap("", h)
			last = h
		}
		if t.r.Blind {
			t.line("  " + t.n("eod.sales", f.Sales))
			continue
		}
		t.pair("  "+t.n("eod.sales", f.Sales), amount(f.Retail))
		var parts []string
		item := func(key string, m money.Money) {
			v := fixed(m.Amount, m.Currency)
			if m.Currency != f.Currency {
				v = amount(m)
			}
			parts = append(parts, t.t(key)+" "+v)
		}
		if !f.Fee.IsZero() {
			item("eod.fee", f.Fee)
		}
		if !f.FeeVAT.IsZero() {
			item("eod.fee_vat", f.FeeVAT)
		}
		item("eod.cost", f.Cost)
		if !f.CostVAT.IsZero() {
			item("eod.cost_vat", f.CostVAT)
		}
		item("eod.vat", f.VAT)
		if vatApart(f) {
			if f.VATOwed != nil {
				item("eod.vat_owed", *f.VATOwed)
			} else {
				parts = append(parts, t.t("eod.vat_owed")+" "+t.t("eod.na_currencies"))
			}
		}
		t.wrap("  ", strings.Join(parts, " · "))
		t.pair("  "+t.t("eod.margin"), t.maybe(f.Margin))
	}
}

// textOut writes lines of a fixed width, measured in display cells.
type textOut struct {
	b   strings.Builder
	w   int
	rtl bool // the report's language is written right to left
}

// rlm is the right-to-left mark: a zero-width letter that tells the bidi
// algorithm what comes after it follows right-to-left text. See pair.
const rlm = "\u200f"

func (t *textOut) rule(c byte) { t.line(strings.Repeat(string(c), t.w)) }

func (t *textOut) section(title string) {
	t.rule('-')
	t.line(title)
}

// line writes s cut to the width.
func (t *textOut) line(s string) {
	if ansi.StringWidth(s) > t.w {
		s = ansi.Truncate(s, t.w, "")
	}
	t.b.WriteString(s)
	t.b.WriteByte('\n')
}

// pair writes left and right on one line, right-aligned. When both do not
// fit, the left side is written alone first (wrapped, indented as it is),
// and the right side aligned under it. In a right-to-left report a mark
// starts the right side: after a left side that ends in Latin letters
// ("Bitaqaty Business SAR"), a number starting the right side ("3 عمليات
// بيع") would otherwise be read as part of the Latin and shown apart from
// its words.
func (t *textOut) pair(left, right string) {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if lw+1+rw > t.w && strings.TrimSpace(left) != "" {
		trimmed := strings.TrimLeft(left, " ")
		t.wrap(left[:len(left)-len(trimmed)], trimmed)
		left, lw = "", 0
	}
	pad := t.w - lw - rw
	if pad < 1 {
		pad = 1
	}
	if t.rtl && right != "" {
		right = rlm + right
	}
	t.line(left + strings.Repeat(" ", pad) + right)
}

// wrap writes text over as many lines as it needs, each starting with indent.
func (t *textOut) wrap(indent, text string) {
	room := t.w - ansi.StringWidth(indent)
	cur := ""
	for _, word := range strings.Fields(text) {
		for ansi.StringWidth(word) > room {
			if cur != "" {
				t.line(indent + cur)
				cur = ""
			}
			head := ansi.Truncate(word, room, "")
			if head == "" { // a character wider than the room
				head = string([]rune(word)[:1])
			}
			t.line(indent + head)
			word = word[len(head):]
		}
		switch {
		case cur == "":
			cur = word
		case ansi.StringWidth(cur)+1+ansi.StringWidth(word) <= room:
			cur += " " + word
		default:
			t.line(indent + cur)
			cur = word
		}
	}
	if cur != "" {
		t.line(indent + cur)
	}
}

// amount writes an amount with its currency's decimal places and code.
func amount(m money.Money) string { return fixed(m.Amount, m.Currency) + " " + m.Currency }

func fixed(d money.Decimal, cur string) string { return d.StringFixed(money.Places(cur)) }
