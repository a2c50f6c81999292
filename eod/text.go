package eod

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"kiosk/money"
)

// ReceiptWidth is the number of columns of the receipt printer.
const ReceiptWidth = 48

const stamp = "2006-01-02 15:04"

// KindLabel names a mismatch kind for people.
func KindLabel(k MismatchKind) string {
	switch k {
	case UnknownToProvider:
		return "sold here, unknown to provider"
	case ChargedNotSold:
		return "charged by provider, not sold here"
	case AmountDiffers:
		return "amounts differ"
	case OpenAtClose:
		return "open when its day was closed"
	}
	return string(k)
}

// Text renders the report as plain text, width columns wide, for the
// receipt printer and the terminal. PINs are masked.
func (r *Report) Text(width int) string {
	if width < 24 {
		width = 24
	}
	t := &textOut{w: width}
	t.rule('=')
	if r.Closed() {
		t.pair(fmt.Sprintf("Z-REPORT %d", r.Number), "Day "+r.Day)
	} else {
		t.pair("DAY REPORT - NOT CLOSED", "Day "+r.Day)
	}
	t.pair("From", r.From.Format(time.DateTime))
	t.pair("To", r.To.Format(time.DateTime))
	t.pair("Zone", fmt.Sprintf("%s, cut-off %02d:00", r.Zone, r.CutoffHour))
	if r.Closed() {
		t.pair("Closed by "+r.ClosedBy, r.ClosedAt.Format(stamp))
	} else {
		t.pair("Printed", r.Generated.Format(stamp))
	}
	for _, l := range r.AfterClose {
		t.wrap("", l)
	}

	t.section("SALES (succeeded)")
	if len(r.Totals) == 0 {
		t.line("none")
	}
	for _, x := range r.Totals {
		head := x.Provider + " " + x.Currency
		if x.CostCurrency != "" {
			head += " (cost " + x.CostCurrency + ")"
		}
		if x.VATCurrency != "" {
			head += " (VAT " + x.VATCurrency + ")"
		}
		t.pair(head, plural(x.Sales, "sale"))
		t.pair("  Retail", amount(x.Retail))
		t.pair("  VAT", amount(x.VAT))
		t.pair("  Cost", amount(x.Cost))
		margin := "n/a (currencies differ)"
		if x.Margin != nil {
			margin = amount(*x.Margin)
		}
		t.pair("  Margin", margin)
	}

	t.section(fmt.Sprintf("NOT COUNTED (%d)", len(r.NotCounted)))
	for _, s := range r.NotCounted {
		t.pair(strings.ToUpper(string(s.State))+" "+s.Provider, amount(s.Retail))
		t.pair("  "+s.Ref, s.Created.Format("15:04:05"))
		t.wrap("  ", s.Product)
	}

	t.section("PROVIDERS")
	for _, c := range r.Checks {
		t.wrap("", c.Summary())
	}

	open := 0
	for _, m := range r.Mismatches {
		if m.Settled == nil {
			open++
		}
	}
	title := "MISMATCHES"
	if r.Closed() {
		title = "MISMATCHES AT THE CLOSE" // later settlements are in the notes
	}
	t.section(fmt.Sprintf("%s (%d, %d open)", title, len(r.Mismatches), open))
	for _, m := range r.Mismatches {
		t.mismatch(m, r.Day)
	}
	if len(r.Carried) > 0 {
		t.section(fmt.Sprintf("OPEN FROM EARLIER DAYS (%d)", len(r.Carried)))
		for _, m := range r.Carried {
			t.mismatch(m, r.Day)
		}
	}

	t.section("CASH")
	for _, c := range r.Cash {
		t.line(c.Currency)
		t.pair("  Float", fixed(c.Float, c.Currency))
		t.pair("  Sales", fixed(c.Sales, c.Currency))
		t.pair("  Expected", fixed(c.Expected, c.Currency))
		if c.Counted == nil {
			t.pair("  Counted", "not counted")
			continue
		}
		t.pair("  Counted", fixed(*c.Counted, c.Currency))
		d := *c.Difference
		if d.Sign() < 0 {
			d = money.Zero.Sub(d)
		}
		t.pair("  "+strings.ToUpper(c.Verdict()), fixed(d, c.Currency))
	}

	if len(r.Notes) > 0 {
		t.section("NOTES")
		for _, n := range r.Notes {
			t.pair(n.By, n.At.Format(stamp))
			t.wrap("  ", n.Text)
		}
	}
	t.rule('=')
	return t.b.String()
}

type textOut struct {
	b strings.Builder
	w int
}

func (t *textOut) rule(c byte) { t.line(strings.Repeat(string(c), t.w)) }

func (t *textOut) section(title string) {
	t.rule('-')
	t.line(title)
}

// line writes s cut to the width.
func (t *textOut) line(s string) {
	if utf8.RuneCountInString(s) > t.w {
		s = string([]rune(s)[:t.w])
	}
	t.b.WriteString(s)
	t.b.WriteByte('\n')
}

// pair writes left and right on one line, right-aligned; the left side is
// cut when both do not fit.
func (t *textOut) pair(left, right string) {
	lw, rw := utf8.RuneCountInString(left), utf8.RuneCountInString(right)
	if lw+1+rw > t.w {
		if keep := t.w - 1 - rw; keep > 0 && keep < lw {
			left, lw = string([]rune(left)[:keep]), keep
		}
	}
	pad := t.w - lw - rw
	if pad < 1 {
		pad = 1
	}
	t.line(left + strings.Repeat(" ", pad) + right)
}

// wrap writes text over as many lines as it needs, each starting with indent.
func (t *textOut) wrap(indent, text string) {
	room := t.w - utf8.RuneCountInString(indent)
	cur := ""
	for _, word := range strings.Fields(text) {
		for utf8.RuneCountInString(word) > room {
			if cur != "" {
				t.line(indent + cur)
				cur = ""
			}
			r := []rune(word)
			t.line(indent + string(r[:room]))
			word = string(r[room:])
		}
		switch {
		case cur == "":
			cur = word
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(word) <= room:
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

func (t *textOut) mismatch(m Mismatch, day string) {
	t.wrap("", strings.ToUpper(KindLabel(m.Kind)))
	t.pair("  "+m.Provider, m.Ref)
	if m.Product != "" {
		t.wrap("  ", m.Product)
	}
	t.wrap("  ", m.Detail)
	if m.Serial != "" {
		t.wrap("  ", "serial "+m.Serial)
	}
	if m.PINMasked != "" {
		t.wrap("  ", "PIN "+m.PINMasked)
	}
	if m.Day != "" && m.Day != day {
		t.wrap("  ", "from "+m.Day)
	}
	if m.Settled == nil {
		t.line("  OPEN")
		return
	}
	t.wrap("  ", fmt.Sprintf("settled by %s %s: %s", m.Settled.By, m.Settled.At.Format(stamp), m.Settled.Reason))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// amount writes an amount with its currency's decimal places and code.
func amount(m money.Money) string { return fixed(m.Amount, m.Currency) + " " + m.Currency }

func fixed(d money.Decimal, cur string) string { return d.StringFixed(money.Places(cur)) }
