// Package receipt lays out a journaled sale as a printed receipt and sends it
// to a printer: a text file, an ESC/POS device file or an ESC/POS network
// printer. Everything comes from the sale.Sale, so a reprint needs no
// network; the package never changes the sale (the caller counts prints and
// keeps an unprinted sale in the journal for later).
package receipt

import (
	"cmp"
	"errors"
	"fmt"
	"html"
	"kiosk/i18n"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	qrcode "github.com/skip2/go-qrcode"

	"kiosk/fieldtext"
	"kiosk/providers"
	"kiosk/qrtext"
	"kiosk/sale"
	"kiosk/termtext"
)

// Paper is the roll width in millimetres.
type Paper int

// The two roll widths kiosks use.
const (
	Paper58 Paper = 58 // 32 columns of the standard 12×24 font
	Paper80 Paper = 80 // 48 columns
)

// Columns is how many character cells fit on a line; 0 for an unknown paper.
func (p Paper) Columns() int {
	switch p {
	case Paper58:
		return 32
	case Paper80:
		return 48
	}
	return 0
}

// ParsePaper reads "58", "58mm", "80" or "80mm", for configuration.
func ParsePaper(s string) (Paper, error) {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "mm"))
	if p := Paper(n); err == nil && p.Columns() > 0 {
		return p, nil
	}
	return 0, fmt.Errorf("paper %q: want 58mm or 80mm", s)
}

// Info is what the receipt needs besides the sale.
type Info struct {
	Shop     string
	Terminal string
	Paper    Paper
	Reprint  int       // 0 for the first print; n prints "REPRINT #n"
	Lang     i18n.Lang // the labels' language; English when empty
	Now      time.Time // the print time; its location is the one times are shown in
	Encoding Encoding  // how an ESC/POS printer gets it; automatic when zero
}

// Receipt is a laid-out receipt: text lines no wider than the paper, and QR
// codes. It is kept apart from its text because an ESC/POS printer draws a
// QR code natively from its content, which the text drawing has lost.
type Receipt struct {
	Width    int // columns
	Paper    Paper
	Encoding Encoding // text or raster image on an ESC/POS printer
	lines    []line
	lang     i18n.Lang
}

// t translates a label into the receipt's language.
func (r *Receipt) t(key string, args ...any) string {
	lang := r.lang
	if lang == "" {
		lang = i18n.EN
	}
	return i18n.T(lang, key, args...)
}

type line struct {
	text string
	bold bool
	qr   string   // when set, this line is a QR code of this content
	draw []string // the QR drawn in half blocks, centred; nil if it does not fit

	// How the line was laid out, for the raster image, which lays the
	// text out again by its own widths (Arabic is not as wide as the
	// text's character cells): a label and its value, a paragraph's whole
	// text (on its first line; cont marks the lines after it), centring.
	label, value string
	para         string
	cont         bool
	centred      bool
	// secret marks what the customer paid for (a PIN, its QR code): a
	// receipt kept in a file shows it masked unless told otherwise.
	secret bool
}

// Text is the receipt as plain text, one line per printed line, QR codes
// drawn in half blocks. It is what a file printer writes.
func (r *Receipt) Text() string {
	var b strings.Builder
	for _, l := range r.lines {
		if l.qr == "" {
			b.WriteString(l.text + "\n")
			continue
		}
		for _, d := range l.draw {
			b.WriteString(d + "\n")
		}
	}
	return b.String()
}

// MaskedText is Text with every PIN masked but its last three characters
// and no QR code drawn: what a receipt kept in a file may show.
func (r *Receipt) MaskedText() string {
	var b strings.Builder
	for _, l := range r.lines {
		switch {
		case l.qr != "":
			b.WriteString(strings.Repeat(" ", max(r.Width/2-6, 0)) + "[QR code]\n")
		case l.secret:
			b.WriteString("  " + sale.Mask(strings.TrimSpace(l.text)) + "\n")
		default:
			b.WriteString(l.text + "\n")
		}
	}
	return b.String()
}

// Render lays the sale out and returns its text; see Build.
func Render(s *sale.Sale, info Info) (string, error) {
	r, err := Build(s, info)
	if err != nil {
		return "", err
	}
	return r.Text(), nil
}

// Build lays out the receipt for a sale: the customer's receipt when it
// succeeded, a NOT SOLD slip when it failed (the clerk gives the money back),
// and a NOT SETTLED slip while it is open (the customer keeps it; the sale is
// never sold again).
func Build(s *sale.Sale, info Info) (*Receipt, error) {
	if s == nil {
		return nil, errors.New("receipt: no sale")
	}
	w := info.Paper.Columns()
	if w == 0 {
		return nil, fmt.Errorf("receipt for sale %s: unknown paper %d mm (want 58 or 80)", s.Ref, int(info.Paper))
	}
	if s.State == sale.Succeeded && s.VoucherErr != "" {
		// A receipt without the PINs the customer paid for would look
		// complete and be worthless; the caller prints it once the key is back.
		return nil, fmt.Errorf("receipt for sale %s: the PINs cannot be read: %s", s.Ref, s.VoucherErr)
	}
	r := &Receipt{Width: w, Paper: info.Paper, Encoding: info.Encoding, lang: info.Lang}
	header(r, s, info)
	switch {
	case s.State == sale.Succeeded:
		sold(r, s)
	case s.State == sale.Failed:
		notSold(r, s)
	case s.State.Open():
		notSettled(r, s)
	default:
		return nil, fmt.Errorf("receipt for sale %s: unknown state %q", s.Ref, s.State)
	}
	r.rule('=')
	return r, nil
}

func header(r *Receipt, s *sale.Sale, info Info) {
	loc := time.Local
	if !info.Now.IsZero() {
		loc = info.Now.Location()
	}
	if shop := clean(info.Shop); shop != "" {
		r.center(shop, true)
	}
	r.kv(r.t("receipt.terminal"), cmp.Or(clean(info.Terminal), clean(s.Terminal)))
	if s.Clerk != "" {
		r.kv(r.t("receipt.clerk"), clean(s.Clerk))
	}
	r.kv(r.t("receipt.date"), saleTime(s).In(loc).Format("2006-01-02 15:04"))
	if info.Reprint > 0 {
		r.rule('=')
		r.center(r.t("receipt.reprint", info.Reprint), true)
		if !info.Now.IsZero() {
			r.kv(r.t("receipt.printed"), info.Now.Format("2006-01-02 15:04"))
		}
	}
	r.rule('=')
}

// saleTime is when the sale reached its current state (when it was sold),
// not when the journal record was last touched.
func saleTime(s *sale.Sale) time.Time {
	for i := len(s.History) - 1; i >= 0; i-- {
		if s.History[i].State == s.State && !s.History[i].At.IsZero() {
			return s.History[i].At
		}
	}
	if !s.Updated.IsZero() {
		return s.Updated
	}
	return s.Created
}

// product is the product as quoted (re-read from the provider right before
// buying), falling back to the sale's catalogue copy.
func product(s *sale.Sale) providers.Product {
	if s.Quote.Product.Name != "" {
		return s.Quote.Product
	}
	return s.Product
}

func productLines(r *Receipt, s *sale.Sale) {
	p := product(s)
	r.para(clean(p.Name), true)
	if ar := clean(p.NameAr); ar != "" && ar != clean(p.Name) {
		r.para(ar, true)
	}
	brand := clean(p.Brand)
	if ar := clean(p.BrandAr); ar != "" && ar != brand {
		brand = strings.TrimSpace(brand + " " + ar)
	}
	if brand != "" {
		r.para(brand, false)
	}
	// A calling card is sold to nobody's number: no number line, even for
	// a sale journaled when its card count looked like one.
	card := p.Kind == providers.KindCallingCard
	customer := ""
	if !card {
		customer = clean(s.Customer())
	}
	if customer != "" {
		// In full: the customer checks the top-up went to the right number.
		r.kv(r.t("receipt.number"), customer)
	}
	// What else the clerk entered, as the customer reads it: a game's
	// player id and zone, a circle by its name.
	for _, e := range fieldtext.Besides(s.Product, s.Quote.Fields, customer) {
		r.kv(clean(fieldtext.Label(r.lang, e.Field)), clean(fieldtext.Value(e.Field, e.Value)))
	}
	if q := s.Quote.Quantity; q > 1 {
		r.kv(r.t("label.quantity"), strconv.Itoa(q))
	}
	if n := clean(p.Extra[providers.ExtraAccessNumber]); card && n != "" {
		r.kv(r.t("label.access_number"), n)
	}
}

func sold(r *Receipt, s *sale.Sale) {
	productLines(r, s)
	if info := clean(s.Quote.Info); info != "" {
		r.para(info, false)
	}
	r.rule('-')
	priceLines(r, s)
	for i, v := range s.Vouchers {
		r.rule('-')
		if len(s.Vouchers) > 1 {
			r.center(r.t("receipt.card_of", i+1, len(s.Vouchers)), true)
		}
		voucherLines(r, v)
	}
	p := product(s)
	if how := cleanText(p.HowToUse); how != "" {
		r.rule('-')
		r.para(r.t("label.how_to_use"), true)
		r.para(how, false)
	}
	if how := cleanText(p.HowToUseAr); how != "" {
		r.rule('-')
		r.para(how, false)
	}
	r.rule('-')
	refLines(r, s)
}

func priceLines(r *Receipt, s *sale.Sale) {
	q := s.Quote
	if !q.RetailBeforeVAT.IsZero() || !q.RetailVAT.IsZero() {
		p := product(s)
		label := r.t("receipt.vat")
		if t := clean(p.VATType); t != "" {
			label += " " + t
		}
		if !p.VATPercent.IsZero() {
			label += " " + p.VATPercent.String() + "%"
		}
		r.kv(r.t("receipt.price_before_vat"), q.RetailBeforeVAT.String())
		r.kv(label, q.RetailVAT.String())
	}
	if pr := s.Price; pr != nil && !pr.Fee.IsZero() {
		// The shop's service fee is a line of its own, with its own VAT.
		r.kv(r.t("label.price"), q.Retail.String())
		r.kv(r.t("label.service_fee"), pr.Fee.String())
		if !pr.FeeVAT.IsZero() {
			r.kv(r.t("receipt.fee_vat"), pr.FeeVAT.String())
		}
	}
	r.kvBold(r.t("receipt.total"), s.Paid().String())
}

func voucherLines(r *Receipt, v providers.Voucher) {
	if v.Serial != "" {
		r.kv(r.t("label.serial"), clean(v.Serial))
	}
	if v.PIN != "" {
		label := r.t("label.pin")
		if v.IsQR {
			label = r.t("label.qr_link")
		}
		r.para(label, false)
		// In full and bold on a line of its own: this is what the customer
		// paid for, and the receipt is where it is handed over.
		r.secretBlock(clean(v.PIN))
	}
	if v.PIN2 != "" {
		r.para(r.t("label.pin2"), false)
		r.secretBlock(clean(v.PIN2))
	}
	if v.Username != "" {
		r.kv(r.t("label.username"), clean(v.Username))
	}
	if v.Reference != "" {
		r.kv(r.t("label.operator_ref"), clean(v.Reference))
	}
	if !v.Value.IsZero() {
		r.kv(r.t("label.value"), v.Value.String())
	}
	if v.Expiry != "" {
		r.kv(r.t("label.expires"), clean(v.Expiry))
	}
	// Only what is listed as the customer's (providers.CustomerExtras):
	// a partner's commission or an internal code is never printed.
	for _, l := range v.CustomerExtras() {
		r.kv(r.t("extra."+l.Label), clean(l.Value))
	}
	if v.IsQR {
		r.qr(qrContent(v))
	}
}

// qrContent is what the QR encodes: an eSIM's LPA activation code when the
// provider gives one (what a phone scans to install it), else the PIN, which
// for QR products is a link to the QR image. Same rule as the result screen.
func qrContent(v providers.Voucher) string {
	for _, k := range []string{"qrcode", "lpa"} {
		if c := v.Extra[k]; strings.HasPrefix(c, "LPA:") {
			return clean(c)
		}
	}
	return clean(v.PIN)
}

func refLines(r *Receipt, s *sale.Sale) {
	r.kv(r.t("label.reference"), clean(s.Ref))
	if s.ProviderRef != "" {
		r.kv(r.t("label.provider_ref"), clean(s.ProviderRef))
	}
}

func notSold(r *Receipt, s *sale.Sale) {
	r.center(r.t("receipt.not_sold"), true)
	r.para(r.t("receipt.nothing_charged"), false)
	r.para(r.t("receipt.return_money"), true)
	r.rule('-')
	r.kvBold(r.t("receipt.amount_to_return"), s.Paid().String())
	productLines(r, s)
	r.rule('-')
	refLines(r, s)
	if msg := cleanText(s.Message); msg != "" {
		// The provider's words, as it wrote them.
		r.para(r.t("receipt.reason", msg), false)
	}
}

func notSettled(r *Receipt, s *sale.Sale) {
	r.center(r.t("receipt.not_settled"), true)
	r.para(r.t("receipt.do_not_sell"), true)
	r.para(r.t("receipt.keep_slip"), true)
	r.para(r.t("receipt.settled_by_ref"), false)
	r.rule('-')
	r.kv(r.t("receipt.state"), r.t("state."+string(s.State)))
	r.kv(r.t("label.paid"), s.Paid().String())
	productLines(r, s)
	r.rule('-')
	refLines(r, s)
	if msg := cleanText(s.Message); msg != "" {
		r.para(msg, false)
	}
}

// --- layout ---

func (r *Receipt) add(text string, bold bool) { r.addLine(line{text: text, bold: bold}) }

func (r *Receipt) addLine(l line) {
	l.text = strings.TrimRight(l.text, " ")
	r.lines = append(r.lines, l)
}

func (r *Receipt) rule(c byte) { r.add(strings.Repeat(string(c), r.Width), false) }

// para word-wraps text to the paper width; words longer than a line (links,
// codes) are broken. Widths are display cells, so Arabic and wide scripts
// fit too.
func (r *Receipt) para(text string, bold bool) {
	for _, p := range strings.Split(text, "\n") {
		n := len(r.lines)
		for _, l := range wrap(p, r.Width) {
			r.add(l, bold)
		}
		r.group(n, func(l *line) { l.para = p })
	}
}

// group marks the lines from n on as laid out from one text, which set
// records on the first of them.
func (r *Receipt) group(n int, set func(*line)) {
	if n >= len(r.lines) {
		return
	}
	set(&r.lines[n])
	for i := n + 1; i < len(r.lines); i++ {
		r.lines[i].cont = true
	}
}

// block prints a value indented by two, hard-wrapped: a PIN or link is
// copied by hand character by character, so it is never split at a space
// the reader could miss.
func (r *Receipt) block(text string, bold bool) {
	for _, l := range wrap(text, r.Width-2) {
		r.add("  "+l, bold)
	}
}

// secretBlock prints a PIN: bold, in full, and marked secret.
func (r *Receipt) secretBlock(text string) {
	n := len(r.lines)
	r.block(text, true)
	for i := n; i < len(r.lines); i++ {
		r.lines[i].secret = true
	}
}

func (r *Receipt) center(text string, bold bool) {
	n := len(r.lines)
	for _, l := range wrap(text, r.Width) {
		r.add(strings.Repeat(" ", (r.Width-ansi.StringWidth(l))/2)+l, bold)
	}
	r.group(n, func(l *line) { l.para, l.centred = text, true })
}

func (r *Receipt) kv(label, value string)     { r.kvStyle(label, value, false) }
func (r *Receipt) kvBold(label, value string) { r.kvStyle(label, value, true) }

// kvStyle puts the label left and the value right on one line, or the value
// on the lines below when both do not fit.
func (r *Receipt) kvStyle(label, value string, bold bool) {
	if value == "" {
		return
	}
	lw, vw := ansi.StringWidth(label), ansi.StringWidth(value)
	if lw+1+vw <= r.Width {
		r.addLine(line{text: label + strings.Repeat(" ", r.Width-lw-vw) + value, bold: bold, label: label, value: value})
		return
	}
	n := len(r.lines)
	r.para(label, bold)
	r.block(value, bold)
	r.group(n, func(l *line) { l.label, l.value = label, value })
}

func (r *Receipt) qr(content string) {
	if content == "" {
		return
	}
	draw := qrDraw(content, r.Width)
	if draw == nil {
		// Too big to draw in text at this width; a file printer says so and
		// ESC/POS printers still print it natively.
		r.lines = append(r.lines, line{qr: content, draw: wrap(r.t("receipt.qr_too_big"), r.Width)})
		return
	}
	r.lines = append(r.lines, line{qr: content, draw: draw})
}

func wrap(s string, width int) []string {
	if s == "" {
		return nil
	}
	out := strings.Split(ansi.Wrap(s, width, ""), "\n")
	for i, l := range out {
		out[i] = strings.TrimRight(l, " ")
	}
	return out
}

// --- text hygiene ---

// clean makes provider text safe to print on one line (termtext.Line):
// control characters and whole escape sequences go, because on an ESC/POS
// printer an ESC or GS inside a product name is a command (cut, feed,
// change code page), and newlines would break the layout. Other white
// space (no-break spaces) prints as a plain space.
func clean(s string) string {
	return strings.TrimSpace(strings.Map(func(c rune) rune {
		if unicode.IsSpace(c) {
			return ' '
		}
		return c
	}, termtext.Line(s)))
}

var (
	breakTags = regexp.MustCompile(`(?i)<\s*(br|/p|/li|/div)\s*/?>`)
	anyTag    = regexp.MustCompile(`<[^>]*>`)
	spaces    = regexp.MustCompile(`[ \t]+`)
)

// cleanText is clean for paragraphs: it keeps line breaks and turns the
// simple HTML some providers send in how-to-use text into plain lines. The
// text is cleaned after the HTML is read (an entity can be an ESC: &#27;)
// and before it is cut into lines (a sequence can span lines).
func cleanText(s string) string {
	if strings.Contains(s, "<") && strings.Contains(s, ">") {
		s = breakTags.ReplaceAllString(s, "\n")
		s = anyTag.ReplaceAllString(s, "")
		s = html.UnescapeString(s)
	}
	var out []string
	for _, l := range strings.Split(termtext.Text(s), "\n") {
		if l = spaces.ReplaceAllString(clean(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// qrDraw draws content in half blocks, centred on the paper. It uses the
// screen's drawing (qrtext) when that fits, else a compact one: low error
// correction and the quiet zone left to the blank paper around it (the
// centring spaces and a blank line above and below). Nil when even that is
// wider than the paper.
func qrDraw(content string, width int) []string {
	if w, _, err := qrtext.Size(content); err == nil && w <= width {
		if d, err := qrtext.Render(content); err == nil {
			return centre(strings.Split(d, "\n"), width)
		}
	}
	q, err := qrcode.New(content, qrcode.Low)
	if err != nil {
		return nil
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	n := len(bits)
	if n+2 > width {
		return nil
	}
	at := func(r, c int) bool { return r < n && bits[r][c] }
	out := []string{""}
	for r := 0; r < n; r += 2 {
		var b strings.Builder
		for c := 0; c < n; c++ {
			switch top, bottom := at(r, c), at(r+1, c); {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteByte(' ')
			}
		}
		out = append(out, b.String())
	}
	return append(centre(out, width), "")
}

func centre(lines []string, width int) []string {
	for i, l := range lines {
		if l != "" {
			lines[i] = strings.Repeat(" ", (width-ansi.StringWidth(l))/2) + l
		}
	}
	return lines
}

// FromText makes a receipt of text already laid out for the paper (an
// end-of-day report), one printed line per line. The text is cleaned
// (termtext.Text keeps the layout's spaces): a report quotes product names
// and provider messages from the journal.
func FromText(text string, paper Paper) *Receipt {
	r := &Receipt{Width: paper.Columns(), Paper: paper}
	for _, l := range strings.Split(strings.TrimRight(termtext.Text(text), "\n"), "\n") {
		r.add(l, false)
	}
	return r
}
