package receipt

// The receipt as an image, for ESC/POS printers that cannot print Arabic
// as text. Most 58 and 80 mm printers neither take UTF-8 nor shape
// Arabic: sent as text, an Arabic product name prints as garbage or as
// reversed, unjoined letters. The image is drawn from the same lines as
// the text receipt, with Arabic shaped and in visual order (package
// typeset), and sent as a raster bit image (GS v 0, escpos_raster.go).

import (
	"cmp"
	"fmt"
	"image"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
	qrcode "github.com/skip2/go-qrcode"

	"kiosk/receipt/typeset"
)

// Encoding says how a receipt is sent to an ESC/POS printer.
type Encoding int

const (
	// EncodeAuto sends text when every character is Latin-1, as the
	// printer's own font prints it, and an image otherwise (Arabic).
	EncodeAuto Encoding = iota
	// EncodeText always sends text (UTF-8), for a printer that shapes
	// Arabic itself.
	EncodeText
	// EncodeRaster always sends an image.
	EncodeRaster
)

// ParseEncoding reads "auto" (or nothing), "text" or "raster", for
// configuration.
func ParseEncoding(s string) (Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return EncodeAuto, nil
	case "text":
		return EncodeText, nil
	case "raster":
		return EncodeRaster, nil
	}
	return 0, fmt.Errorf("printer encoding %q: want auto, text or raster", s)
}

func (e Encoding) String() string {
	switch e {
	case EncodeText:
		return "text"
	case EncodeRaster:
		return "raster"
	}
	return "auto"
}

// Dots is how many dots the print head has across: 384 on a 58 mm printer
// and 576 on an 80 mm one (8 dots a millimetre); 0 for an unknown paper.
func (p Paper) Dots() int {
	switch p {
	case Paper58:
		return 384
	case Paper80:
		return 576
	}
	return 0
}

// NeedsRaster reports whether some character of the receipt is outside
// Latin-1 (Arabic, above all), which the printer's own font lacks.
func (r *Receipt) NeedsRaster() bool {
	for _, l := range r.lines {
		for _, c := range l.text {
			if c > 0xff {
				return true
			}
		}
	}
	return false
}

// raster reports whether the receipt goes to an ESC/POS printer as an image.
func (r *Receipt) raster() bool {
	switch r.Encoding {
	case EncodeText:
		return false
	case EncodeRaster:
		return true
	}
	return r.NeedsRaster()
}

const (
	// lineGap is the blank between two lines of text: the Latin font is
	// 24 dots tall, on the 30-dot pitch of the printer's own text.
	lineGap = 6
	// quietModules is the blank around a QR code, in modules, that
	// scanners need (ISO/IEC 18004 asks for 4).
	quietModules = 4
)

// Raster draws the receipt as the printer prints it: black (0) and white
// (255) dots, Paper.Dots() wide. Latin text is set in a monospaced font on
// the text receipt's character cells, so its columns are kept; a label
// and its value sit at the two ends of their line, swapped on an Arabic
// receipt; Arabic lines are right-aligned; QR codes are drawn in.
func (r *Receipt) Raster() (*image.Gray, error) {
	dots := r.Paper.Dots()
	if dots == 0 || r.Width <= 0 {
		return nil, fmt.Errorf("receipt image: unknown paper %d mm (want 58 or 80)", int(r.Paper))
	}
	ts, err := setter(dots / r.Width)
	if err != nil {
		return nil, fmt.Errorf("receipt image: %w", err)
	}
	d := drawing{ts: ts, dots: dots, cell: dots / r.Width, width: r.Width, paper: r.Paper, rtl: r.lang.RTL()}
	var rows []row
	for _, l := range r.lines {
		rows = append(rows, d.rows(l)...)
	}
	h := 0
	for _, rw := range rows {
		h += rw.h
	}
	ink := image.NewAlpha(image.Rect(0, 0, dots, max(h, 1)))
	y := 0
	for _, rw := range rows {
		rw.draw(ink, y)
		y += rw.h
	}
	return blackAndWhite(ink), nil
}

// One Setter per character cell width, made once: parsing the fonts
// takes longer than drawing a receipt.
var setters struct {
	sync.Mutex
	m map[int]*typeset.Setter
}

func setter(cell int) (*typeset.Setter, error) {
	setters.Lock()
	defer setters.Unlock()
	if ts := setters.m[cell]; ts != nil {
		return ts, nil
	}
	ts, err := typeset.New(cell)
	if err != nil {
		return nil, err
	}
	if setters.m == nil {
		setters.m = map[int]*typeset.Setter{}
	}
	setters.m[cell] = ts
	return ts, nil
}

// blackAndWhite turns ink coverage into dots: a thermal head either heats
// a dot or not.
func blackAndWhite(ink *image.Alpha) *image.Gray {
	g := image.NewGray(ink.Bounds())
	for i, a := range ink.Pix {
		if a < 128 {
			g.Pix[i] = 0xff
		}
	}
	return g
}

// row is a band of the image, h dots tall, drawn with its top at y.
type row struct {
	h    int
	draw func(dst *image.Alpha, y int)
}

// drawing is what laying out one receipt needs.
type drawing struct {
	ts    *typeset.Setter
	dots  int   // the image's width
	cell  int   // a character cell's width in dots
	width int   // the text receipt's columns
	paper Paper // for the QR code's module size
	rtl   bool  // the receipt's language is written right to left
}

func (d drawing) rows(l line) []row {
	switch {
	case l.cont:
		return nil // drawn with the first line of its text
	case l.qr != "":
		return d.qr(l)
	case isRule(l.text, d.width):
		return []row{d.rule(l.text[0])}
	case l.label != "" && l.value != "":
		return d.labelValue(l)
	case l.centred:
		return d.centred(cmp.Or(l.para, strings.TrimSpace(l.text)), l.bold)
	case l.para != "":
		return d.paragraph(l.para, l.bold, typeset.DirectionOf(l.para) == typeset.RTL, 0)
	}
	return d.text(l)
}

// placed is a shaped line with its left end at x.
type placed struct {
	line typeset.Line
	x    int
}

// textRow puts shaped lines side by side on one baseline.
func (d drawing) textRow(ps ...placed) row {
	asc, desc := 0, 0
	for _, p := range ps {
		asc, desc = max(asc, p.line.Ascent), max(desc, p.line.Descent)
	}
	return row{h: asc + desc + lineGap, draw: func(dst *image.Alpha, y int) {
		for _, p := range ps {
			d.ts.Draw(dst, p.line, p.x, y+lineGap/2+asc)
		}
	}}
}

// paragraph wraps text within the paper less indent dots, each line
// aligned to the side its direction starts from (rtl: the right), indent
// dots in from it.
func (d drawing) paragraph(text string, bold, rtl bool, indent int) []row {
	var rows []row
	for _, ln := range d.ts.Wrap(text, bold, typeset.Auto, d.dots-indent) {
		x := indent
		if rtl {
			x = d.dots - indent - ln.Width
		}
		rows = append(rows, d.textRow(placed{ln, x}))
	}
	return rows
}

// labelValue puts the label at the start of the line and the value at its
// end (an Arabic receipt starts on the right), or the value under the
// label when both do not fit, indented from the side its own direction
// starts from (a link or a code from the left).
func (d drawing) labelValue(l line) []row {
	label := d.ts.Shape(l.label, l.bold, typeset.Auto)
	value := d.ts.Shape(l.value, l.bold, typeset.Auto)
	if label.Width+d.cell+value.Width <= d.dots {
		if d.rtl {
			return []row{d.textRow(placed{label, d.dots - label.Width}, placed{value, 0})}
		}
		return []row{d.textRow(placed{label, 0}, placed{value, d.dots - value.Width})}
	}
	valueRTL := typeset.DirectionOf(l.value) == typeset.RTL
	return append(d.paragraph(l.label, l.bold, d.rtl, 0), d.paragraph(l.value, l.bold, valueRTL, 2*d.cell)...)
}

func (d drawing) centred(text string, bold bool) []row {
	var rows []row
	for _, ln := range d.ts.Wrap(text, bold, typeset.Auto, d.dots) {
		rows = append(rows, d.textRow(placed{ln, (d.dots - ln.Width) / 2}))
	}
	return rows
}

// field is a piece of a text line set off by two or more spaces: a column
// of a laid-out report, or an indented value.
type field struct {
	text string
	col  int  // the character cell it starts at
	end  bool // it ends at the last column: aligned right in the text
}

func fields(text string, width int) []field {
	var fs []field
	col := 0
	for _, part := range strings.Split(text, "  ") {
		if p := strings.TrimSpace(part); p != "" {
			lead := len(part) - len(strings.TrimLeft(part, " "))
			f := field{text: p, col: col + lead}
			f.end = f.col+ansi.StringWidth(p) == width
			fs = append(fs, f)
		}
		col += ansi.StringWidth(part) + 2
	}
	return fs
}

// text draws a plain line. Its pieces keep the columns they have in the
// text receipt, mirrored when the line is right to left, so a report's
// table stays a table; pieces that no longer fit side by side (Arabic is
// not as wide as the cells) are joined and wrapped instead.
func (d drawing) text(l line) []row {
	fs := fields(l.text, d.width)
	if len(fs) == 0 {
		return []row{d.textRow(placed{line: d.ts.Shape("", false, typeset.LTR)})}
	}
	rtl := typeset.DirectionOf(l.text) == typeset.RTL
	if ps, ok := d.columns(fs, l.bold, rtl); ok {
		return []row{d.textRow(ps...)}
	}
	texts := make([]string, len(fs))
	for i, f := range fs {
		texts[i] = f.text
	}
	return d.paragraph(strings.Join(texts, " "), l.bold, rtl, fs[0].col*d.cell)
}

// columns places each piece at its column, or at the line's end when it
// ends there; false when they do not fit side by side.
func (d drawing) columns(fs []field, bold, rtl bool) ([]placed, bool) {
	ps := make([]placed, len(fs))
	for i, f := range fs {
		ln := d.ts.Shape(f.text, bold, typeset.Auto)
		x := f.col * d.cell
		if f.end && f.col > 0 {
			x = d.dots - ln.Width
		}
		if rtl {
			x = d.dots - x - ln.Width
		}
		ps[i] = placed{ln, x}
	}
	return ps, fitSideBySide(ps, d.dots, d.cell)
}

// fitSideBySide reports whether the pieces are inside the paper and at
// least half a cell apart.
func fitSideBySide(ps []placed, dots, cell int) bool {
	for i, p := range ps {
		if p.x < 0 || p.x+p.line.Width > dots {
			return false
		}
		for _, q := range ps[i+1:] {
			if p.x < q.x+q.line.Width+cell/2 && q.x < p.x+p.line.Width+cell/2 {
				return false
			}
		}
	}
	return true
}

// isRule reports whether text is a rule of the text receipt: the paper's
// width of '=' or '-'.
func isRule(text string, width int) bool {
	return len(text) == width && width > 0 && (text[0] == '=' || text[0] == '-') &&
		strings.Count(text, text[:1]) == width
}

// rule draws '=' as a double line and '-' as a dashed one, in the height
// of a line of text.
func (d drawing) rule(c byte) row {
	blank := d.ts.Shape("", false, typeset.LTR)
	h := blank.Height() + lineGap
	return row{h: h, draw: func(dst *image.Alpha, y int) {
		mid := y + h/2
		bar := func(top, on, off int) {
			for x := 0; x < d.dots; x++ {
				if (x % (on + off)) >= on {
					continue
				}
				for dy := range 2 {
					dst.Pix[dst.PixOffset(x, top+dy)] = 0xff
				}
			}
		}
		if c == '=' {
			bar(mid-3, 1, 0)
			bar(mid+1, 1, 0)
			return
		}
		bar(mid-1, 8, 4)
	}}
}

// qr draws a QR code (error correction M, as the printer's own QR
// command) centred, with its quiet zone, at the module size the printer's
// own QR code would have, smaller when that is too wide.
func (d drawing) qr(l line) []row {
	q, err := qrcode.New(l.qr, qrcode.Medium)
	if err != nil {
		return d.paragraph("(QR code too big to draw on this paper)", false, d.rtl, 0)
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	n := len(bits)
	m := min(qrModule(d.paper), d.dots/(n+2*quietModules))
	if m < 2 {
		return d.paragraph("(QR code too big to draw on this paper)", false, d.rtl, 0)
	}
	quiet := quietModules * m
	return []row{{h: n*m + 2*quiet, draw: func(dst *image.Alpha, y int) {
		x0, y0 := (d.dots-n*m)/2, y+quiet
		for r, bitsRow := range bits {
			for c, on := range bitsRow {
				if !on {
					continue
				}
				for dy := range m {
					off := dst.PixOffset(x0+c*m, y0+r*m+dy)
					for dx := range m {
						dst.Pix[off+dx] = 0xff
					}
				}
			}
		}
	}}}
}
