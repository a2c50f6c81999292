// Package typeset lays out and draws short lines of text, Latin and Arabic
// mixed, into bitmaps for a thermal printer, which can neither shape nor
// reorder Arabic itself. Letters are shaped by go-text/typesetting (a Go
// port of HarfBuzz): Arabic letters join, lam-alef becomes one ligature,
// marks sit on their letters. Runs are put in visual order by the Unicode
// bidirectional algorithm, so in a right-to-left line the Arabic reads
// from the right while numbers, PINs and Latin brand names keep reading
// left to right. Digits stay as written (0–9).
package typeset

import (
	"fmt"
	"image"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/bidi"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Direction is a line's base direction.
type Direction int

// Base directions.
const (
	Auto Direction = iota // from the first strong letter; left to right if none
	LTR
	RTL
)

// arabicScale is how much larger Arabic is set than Latin: Naskh letters
// are small for their size next to Go Mono's capitals, and a receipt is
// read at arm's length.
const arabicScale = 1.2

// Setter shapes and draws text. It is safe for concurrent use (calls are
// serialised: the shaper and the fonts' caches are not).
type Setter struct {
	mu            sync.Mutex
	regular, bold faces
	latinSize     fixed.Int26_6
	arabicSize    fixed.Int26_6
	latinAscent   int // the Latin font's ascent and descent at its size:
	latinDescent  int // every line is at least this tall
	shaper        shaping.HarfbuzzShaper
	seg           shaping.Segmenter
	para          bidi.Paragraph
	raster        vector.Rasterizer
}

// New makes a Setter whose Latin characters are cell dots wide each (the
// Latin font is monospaced), so cell × columns fills a line of the text
// receipt exactly.
func New(cell int) (*Setter, error) {
	if cell < 4 {
		return nil, fmt.Errorf("typeset: a character cell of %d dots is too small to read", cell)
	}
	regular, bold, err := loadFaces()
	if err != nil {
		return nil, err
	}
	s := &Setter{regular: regular, bold: bold}
	mono := regular.latin
	zero, _ := mono.NominalGlyph('0')
	px := float64(cell) * float64(mono.Upem()) / float64(mono.HorizontalAdvance(zero))
	s.latinSize = fixed.Int26_6(math.Round(px * 64))
	s.arabicSize = fixed.Int26_6(math.Round(px * arabicScale * 64))
	if ext, ok := mono.FontHExtents(); ok {
		scale := px / float64(mono.Upem())
		s.latinAscent = int(math.Ceil(float64(ext.Ascender) * scale))
		s.latinDescent = int(math.Ceil(float64(-ext.Descender) * scale))
	}
	return s, nil
}

// Line is one shaped line, its runs in visual order (left to right).
type Line struct {
	text    []rune // as shaped (with the isolates added)
	runs    []shaping.Output
	Width   int       // dots
	Ascent  int       // dots above the baseline
	Descent int       // dots below it
	Dir     Direction // the base direction it was laid out in (LTR or RTL)
}

// Height is the line's height in dots.
func (l Line) Height() int { return l.Ascent + l.Descent }

// DirectionOf is the base direction of text: that of its first strong
// letter (Arabic, Hebrew… or Latin…); digits and punctuation do not count,
// so "50 ريال" is right to left and "iTunes بطاقة" left to right.
func DirectionOf(text string) Direction {
	for _, r := range text {
		switch {
		case rtlLetter(r):
			return RTL
		case unicode.IsLetter(r):
			return LTR
		}
	}
	return LTR
}

func rtlLetter(r rune) bool {
	return unicode.IsLetter(r) && unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko)
}

// Shape lays text out on one line, however long.
func (s *Setter) Shape(text string, bold bool, dir Direction) Line {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shape(text, bold, resolve(text, dir))
}

func resolve(text string, dir Direction) Direction {
	if dir == Auto {
		return DirectionOf(text)
	}
	return dir
}

// item is a shaped run with its bidi embedding level.
type item struct {
	out   shaping.Output
	level bidi.Level
}

func (s *Setter) shape(text string, bold bool, dir Direction) Line {
	l := Line{Dir: dir, Ascent: s.latinAscent, Descent: s.latinDescent}
	runes := isolateSigns([]rune(text))
	if len(runes) == 0 {
		return l
	}
	fs := s.regular
	if bold {
		fs = s.bold
	}
	fm := &fontmap{faces: fs}
	var items []item
	for _, run := range s.bidiRuns(runes, dir) {
		in := shaping.Input{Text: runes, RunStart: run.Start, RunEnd: run.End, Direction: di.DirectionLTR}
		if !run.IsLeftToRight() {
			in.Direction = di.DirectionRTL
		}
		// Split by script and font within the run; the text outside it
		// stays as context, so letters join across a change of font.
		for _, part := range s.seg.Split(in, fm) {
			part.Size = s.latinSize
			if part.Face == fs.arabic {
				part.Size = s.arabicSize
			}
			items = append(items, item{out: s.shaper.Shape(part), level: run.Level})
		}
	}
	reorder(items)
	var w fixed.Int26_6
	for _, it := range items {
		l.runs = append(l.runs, it.out)
		w += it.out.Advance
		l.Ascent = max(l.Ascent, it.out.GlyphBounds.Ascent.Ceil())
		l.Descent = max(l.Descent, (-it.out.GlyphBounds.Descent).Ceil())
	}
	l.Width = w.Ceil()
	l.text = runes
	return l
}

// bidiRuns are the runs of one direction in logical order, each with its
// embedding level.
func (s *Setter) bidiRuns(runes []rune, dir Direction) []bidi.Run {
	def := bidi.LeftToRight
	if dir == RTL {
		def = bidi.RightToLeft
	}
	segs := s.para.Segment(runes, def)
	runs := make([]bidi.Run, 0, segs.NumRuns())
	for i := range segs.NumRuns() {
		r := segs.Run(i)
		// The bidi package joins neighbouring runs of one direction, so in
		// a left-to-right line a number after Arabic (level 2) and the
		// Latin text after it (level 0) come as one run, with the number's
		// level. They are reordered differently ("سعر 10 iTunes" shows
		// "10 سعر iTunes"): split the number off.
		if dir == LTR && r.Level == 2 {
			if n := numberEnd(runes[r.Start:r.End]); n > 0 && r.Start+n < r.End {
				runs = append(runs, bidi.Run{Start: r.Start, End: r.Start + n, Level: 2})
				r = bidi.Run{Start: r.Start + n, End: r.End, Level: 0}
			}
		}
		runs = append(runs, r)
	}
	return runs
}

// Bidi isolates (UAX #9, 2.4): invisible, no width.
const (
	lri = '\u2066' // left-to-right isolate
	pdi = '\u2069' // pop directional isolate
)

// isolateSigns makes a sign right before a number part of it, as on the
// kiosk's screens: the bidi algorithm alone shows "+967771234567" after
// Arabic as "967771234567+" and "-5.00" as "5.00-". The signed number is
// put in a left-to-right isolate. Text without right-to-left letters is
// returned as it is.
func isolateSigns(rs []rune) []rune {
	if !slices.ContainsFunc(rs, rtlLetter) {
		return rs
	}
	var out []rune
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !strings.ContainsRune("+-\u2212", r) || i+1 == len(rs) || !unicode.IsDigit(rs[i+1]) || i > 0 && unicode.IsDigit(rs[i-1]) {
			out = append(out, r)
			continue
		}
		n := numberEnd(rs[i+1:])
		out = append(append(append(out, lri, r), rs[i+1:i+1+n]...), pdi)
		i += n
	}
	return out
}

// numberEnd is the length of the number at the start of rs as the bidi
// algorithm sees it: digits, with separators between digits (W4) and
// terminators such as % and currency signs next to them (W5), and the
// marks on them.
func numberEnd(rs []rune) int {
	end := 0
	for i, r := range rs {
		switch {
		case unicode.IsDigit(r):
			end = i + 1
		case i == end && (terminator(r) || unicode.Is(unicode.Mn, r)):
			end = i + 1
		case i == end && i > 0 && strings.ContainsRune("+-,./:\u00a0", r) && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			// a separator between two digits stays in the number
		default:
			return end
		}
	}
	return end
}

func terminator(r rune) bool {
	return strings.ContainsRune("#$%°\u066a", r) || unicode.Is(unicode.Sc, r)
}

// reorder puts the runs in visual order (rule L2 of UAX #9): from the
// highest level down to the lowest odd one, every sequence of runs at
// that level or above is reversed. Each run's glyphs are already in
// visual order from the shaper.
func reorder(items []item) {
	if len(items) == 0 {
		return
	}
	hi, lowOdd := bidi.Level(0), bidi.Level(127)
	for _, it := range items {
		hi = max(hi, it.level)
		if it.level%2 == 1 {
			lowOdd = min(lowOdd, it.level)
		}
	}
	for lvl := hi; lvl >= lowOdd && lvl > 0; lvl-- {
		for i := 0; i < len(items); {
			if items[i].level < lvl {
				i++
				continue
			}
			j := i
			for j < len(items) && items[j].level >= lvl {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				items[a], items[b] = items[b], items[a]
			}
			i = j
		}
	}
}

// fontmap picks the font for each rune: Arabic script from the Arabic
// font, the rest from the Latin one, each falling back on the other for a
// character it lacks.
type fontmap struct {
	faces
	script language.Script
}

func (m *fontmap) SetScript(s language.Script) { m.script = s }

func (m *fontmap) ResolveFace(r rune) *font.Face {
	first, second := m.latin, m.arabic
	if m.script == language.Arabic || unicode.Is(unicode.Arabic, r) {
		first, second = m.arabic, m.latin
	}
	if _, ok := first.NominalGlyph(r); ok {
		return first
	}
	if _, ok := second.NominalGlyph(r); ok {
		return second
	}
	return first // drawn as the font's missing-glyph box
}

// Wrap lays text out on as many lines of at most width dots as it needs,
// breaking at spaces, and inside a word only when the word alone is wider
// than a line (a link). All lines share the paragraph's direction.
func (s *Setter) Wrap(text string, bold bool, dir Direction, width int) []Line {
	s.mu.Lock()
	defer s.mu.Unlock()
	dir = resolve(text, dir)
	fits := func(t string) bool { return s.shape(t, bold, dir).Width <= width }
	var lines []string
	cur := ""
	for _, w := range strings.Fields(text) {
		if cand := strings.TrimSpace(cur + " " + w); fits(cand) {
			cur = cand
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = w
		for !fits(cur) {
			head, tail := breakWord(cur, fits)
			lines = append(lines, head)
			cur = tail
		}
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	out := make([]Line, len(lines))
	for i, t := range lines {
		out[i] = s.shape(t, bold, dir)
	}
	return out
}

// breakWord cuts the longest head of w that fits, never before a mark (a
// harakah stays on its letter) and never empty.
func breakWord(w string, fits func(string) bool) (head, tail string) {
	rs := []rune(w)
	cut := 1
	for i := 2; i < len(rs); i++ {
		if unicode.Is(unicode.Mn, rs[i]) {
			continue
		}
		if !fits(string(rs[:i])) {
			break
		}
		cut = i
	}
	for cut < len(rs) && unicode.Is(unicode.Mn, rs[cut]) {
		cut++
	}
	return string(rs[:cut]), string(rs[cut:])
}

// Draw paints l onto dst (coverage: 0 blank, 255 ink) with its left end at
// x and its baseline at y. Ink outside dst is cut off.
func (s *Setter) Draw(dst *image.Alpha, l Line, x, y int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pen := fixed.I(x)
	for _, run := range l.runs {
		scale := float32(run.Size) / 64 / float32(run.Face.Upem())
		for _, g := range run.Glyphs {
			gx := float32(pen+g.XOffset) / 64
			gy := float32(fixed.I(y)-g.YOffset) / 64
			s.glyph(dst, run.Face, g.GlyphID, scale, gx, gy)
			pen += g.Advance
		}
	}
}

// glyph fills one glyph's outline, its origin at (x, y).
func (s *Setter) glyph(dst *image.Alpha, face *font.Face, gid font.GID, scale, x, y float32) {
	o, ok := face.GlyphDataOutline(gid)
	if !ok || len(o.Segments) == 0 {
		return // a space
	}
	pt := func(p font.SegmentPoint) (float32, float32) { return x + p.X*scale, y - p.Y*scale }
	minX, minY := float32(math.MaxFloat32), float32(math.MaxFloat32)
	maxX, maxY := -minX, -minY
	for _, seg := range o.Segments {
		for _, p := range seg.ArgsSlice() {
			px, py := pt(p)
			minX, minY, maxX, maxY = min(minX, px), min(minY, py), max(maxX, px), max(maxY, py)
		}
	}
	box := image.Rect(int(math.Floor(float64(minX))), int(math.Floor(float64(minY))),
		int(math.Ceil(float64(maxX))), int(math.Ceil(float64(maxY))))
	if box.Empty() || !box.Overlaps(dst.Bounds()) {
		return
	}
	z := &s.raster
	z.Reset(box.Dx(), box.Dy())
	ox, oy := float32(box.Min.X), float32(box.Min.Y)
	rel := func(p font.SegmentPoint) (float32, float32) {
		px, py := pt(p)
		return px - ox, py - oy
	}
	for i, seg := range o.Segments {
		a := seg.ArgsSlice()
		switch seg.Op {
		case ot.SegmentOpMoveTo:
			if i > 0 {
				z.ClosePath()
			}
			z.MoveTo(rel(a[0]))
		case ot.SegmentOpLineTo:
			z.LineTo(rel(a[0]))
		case ot.SegmentOpQuadTo:
			bx, by := rel(a[0])
			cx, cy := rel(a[1])
			z.QuadTo(bx, by, cx, cy)
		case ot.SegmentOpCubeTo:
			bx, by := rel(a[0])
			cx, cy := rel(a[1])
			dx, dy := rel(a[2])
			z.CubeTo(bx, by, cx, cy, dx, dy)
		}
	}
	z.ClosePath()
	if box.In(dst.Bounds()) {
		z.Draw(dst, box, image.Opaque, image.Point{})
		return
	}
	// Partly outside: draw apart, then keep the part inside.
	tmp := image.NewAlpha(box)
	z.Draw(tmp, box, image.Opaque, image.Point{})
	clip := box.Intersect(dst.Bounds())
	for py := clip.Min.Y; py < clip.Max.Y; py++ {
		for px := clip.Min.X; px < clip.Max.X; px++ {
			if a := tmp.AlphaAt(px, py).A; a > dst.AlphaAt(px, py).A {
				dst.Pix[dst.PixOffset(px, py)] = a
			}
		}
	}
}
