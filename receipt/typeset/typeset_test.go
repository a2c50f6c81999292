package typeset

import (
	"image"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
)

func newSetter(t testing.TB) *Setter {
	t.Helper()
	s, err := New(12)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// visual is the line's runs in visual order (left to right), as text,
// without the isolates and the spaces at their ends.
func visual(l Line) []string {
	var out []string
	for _, r := range l.runs {
		t := string(l.text[r.Runes.Offset : r.Runes.Offset+r.Runes.Count])
		t = strings.TrimSpace(strings.NewReplacer(string(lri), "", string(pdi), "").Replace(t))
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

func TestVisualOrder(t *testing.T) {
	tests := []struct {
		text string
		dir  Direction
		want []string
	}{
		{"Total 46.00 SAR", Auto, []string{"Total 46.00 SAR"}},
		{"بطاقة ايتونز امريكي", Auto, []string{"بطاقة ايتونز امريكي"}},
		// A Latin line: the Arabic in it reads right to left, the number
		// inside the Arabic stays left to right.
		{"iTunes بطاقة 10 دولار", Auto, []string{"iTunes", "دولار", "10", "بطاقة"}},
		// An Arabic line (first strong letter): everything from the right.
		{"بطاقة iTunes 10 دولار", Auto, []string{"دولار", "iTunes 10", "بطاقة"}},
		{"سعر 10 iTunes", Auto, []string{"iTunes", "10", "سعر"}},
		// The same text in a left-to-right line: the number belongs to the
		// Arabic before it (the bidi package reports "10 iTunes" as one run).
		{"سعر 10 iTunes", LTR, []string{"10", "سعر", "iTunes"}},
		// A sign before a number stays with it.
		{"الرقم +967771234567", Auto, []string{"+967771234567", "الرقم"}},
		{"المبلغ -5.00 ريال", Auto, []string{"ريال", "-5.00", "المبلغ"}},
		// Numbers apart are separate numbers in a right-to-left line (UAX #9):
		// read from the right, the date comes first.
		{"2026-05-01 14:03 التاريخ", Auto, []string{"التاريخ", "14:03", "2026-05-01"}},
	}
	s := newSetter(t)
	for _, tt := range tests {
		l := s.Shape(tt.text, false, tt.dir)
		if got := visual(l); !slices.Equal(got, tt.want) {
			t.Errorf("%q (%v): visual order %q, want %q", tt.text, tt.dir, got, tt.want)
		}
	}
}

func TestDirectionOf(t *testing.T) {
	tests := []struct {
		text string
		want Direction
	}{
		{"", LTR},
		{"46.00", LTR},
		{"iTunes بطاقة", LTR},
		{"بطاقة iTunes", RTL},
		{"50 ريال", RTL},
		{"(+967) هاتف", RTL},
		{"שלום", RTL},
	}
	for _, tt := range tests {
		if got := DirectionOf(tt.text); got != tt.want {
			t.Errorf("DirectionOf(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestNumberEnd(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"10 iTunes", 2},
		{"10.50 SAR", 5},
		{"15% off", 3},
		{"$10 card", 3},
		{"1,000,000 YER", 9},
		{"10. Then", 2},
		{"2026-05-01 x", 10},
		{"x10", 0},
	}
	for _, tt := range tests {
		if got := numberEnd([]rune(tt.text)); got != tt.want {
			t.Errorf("numberEnd(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

// glyphs are the glyph ids of a line in visual order.
func glyphs(l Line) []font.GID {
	var out []font.GID
	for _, r := range l.runs {
		for _, g := range r.Glyphs {
			out = append(out, g.GlyphID)
		}
	}
	return out
}

// bases are the glyphs that advance the pen: letters, not the marks and
// dots that the font draws on them as glyphs of their own.
func bases(l Line) []font.GID {
	var out []font.GID
	for _, r := range l.runs {
		for _, g := range r.Glyphs {
			if g.Advance != 0 {
				out = append(out, g.GlyphID)
			}
		}
	}
	return out
}

func TestArabicJoins(t *testing.T) {
	s := newSetter(t)
	shape := func(text string) Line { return s.Shape(text, false, Auto) }
	isolated, word := bases(shape("ب")), bases(shape("ببب"))
	if len(isolated) != 1 || len(word) != 3 {
		t.Fatalf("letters: ب %v, ببب %v", isolated, word)
	}
	// Final, medial, initial (visual order): three forms, none isolated.
	if word[0] == word[1] || word[1] == word[2] || word[0] == word[2] || slices.Contains(word, isolated[0]) {
		t.Errorf("ببب is not joined: letters %v, isolated ب is %v", word, isolated)
	}
	// Lam and alef make the lam-alef ligature (this font draws it in two
	// glyphs): not the lam that starts "لب", not the alef that ends "با".
	lamAlef := bases(shape("لا")) // visual order: alef, lam
	lamB, bAlef := bases(shape("لب")), bases(shape("با"))
	if len(lamAlef) > 2 || lamAlef[len(lamAlef)-1] == lamB[1] || len(lamAlef) == 2 && lamAlef[0] == bAlef[0] {
		t.Errorf("لا is letters %v; the lam of لب is %v, the alef of با %v: no lam-alef", lamAlef, lamB[1], bAlef[0])
	}
	// A mark sits on its letter and takes no room of its own.
	if a, b := shape("دّ").Width, shape("د").Width; a != b {
		t.Errorf("دّ is %d dots wide, د %d: the shadda takes room of its own", a, b)
	}
}

func TestLatinDigitsKept(t *testing.T) {
	s := newSetter(t)
	l := s.Shape("السعر 50 ريال", false, Auto)
	for _, r := range l.runs {
		text := string(l.text[r.Runes.Offset : r.Runes.Offset+r.Runes.Count])
		if strings.TrimSpace(text) != "50" {
			continue
		}
		five, _ := r.Face.NominalGlyph('5')
		zero, _ := r.Face.NominalGlyph('0')
		if got := glyphs(Line{runs: []shaping.Output{r}}); !slices.Equal(got, []font.GID{five, zero}) {
			t.Errorf("50 drawn as glyphs %v, want the digits 5 and 0 (%v %v)", got, five, zero)
		}
		return
	}
	t.Errorf("no run for 50 in %q", visual(l))
}

func TestMonospacedLatin(t *testing.T) {
	s := newSetter(t)
	for _, text := range []string{"0", "XK4M-7P2Q-9R3T-5V8W", "iiii", "WWWW"} {
		for _, bold := range []bool{false, true} {
			if got, want := s.Shape(text, bold, Auto).Width, 12*len(text); got != want {
				t.Errorf("%q bold=%v is %d dots wide, want %d (12 a character)", text, bold, got, want)
			}
		}
	}
}

func TestWrap(t *testing.T) {
	s := newSetter(t)
	tests := []struct {
		text  string
		width int
		lines int
	}{
		{"short", 384, 1},
		{"", 384, 1},
		{"Open the App Store, tap your photo, choose Redeem Gift Card or Code, then enter the PIN.", 384, 3},
		{"افتح متجر التطبيقات واضغط على صورتك ثم اختر استرداد بطاقة هدية وأدخل الرمز المطبوع أعلاه", 384, 3},
		{"https://qr.sandbox.test/esim/" + strings.Repeat("A1B2", 20), 240, 6}, // 109 characters, 20 a line
	}
	for _, tt := range tests {
		ls := s.Wrap(tt.text, false, Auto, tt.width)
		if len(ls) != tt.lines {
			t.Errorf("%q at %d dots: %d lines, want %d", tt.text, tt.width, len(ls), tt.lines)
		}
		var words []string
		for _, l := range ls {
			if l.Width > tt.width {
				t.Errorf("%q: a line of %d dots at width %d", tt.text, l.Width, tt.width)
			}
			if l.Dir != DirectionOf(tt.text) {
				t.Errorf("%q: a line laid out %v", tt.text, l.Dir)
			}
			words = append(words, string(l.text))
		}
		joined := strings.Join(words, " ")
		if strings.Join(strings.Fields(joined), "") != strings.Join(strings.Fields(tt.text), "") {
			t.Errorf("%q wrapped loses text: %q", tt.text, words)
		}
	}
}

func TestDraw(t *testing.T) {
	s := newSetter(t)
	l := s.Shape("بطاقة X", true, Auto)
	dst := image.NewAlpha(image.Rect(0, 0, 200, 40))
	s.Draw(dst, l, 10, 30)
	box := inkBox(dst)
	if box.Empty() || box.Min.X < 10 || box.Max.X > 10+l.Width+1 || box.Max.Y > 30+l.Descent+1 || box.Min.Y < 30-l.Ascent-1 {
		t.Errorf("ink at %v, want inside x 10…%d, y %d…%d", box, 10+l.Width, 30-l.Ascent, 30+l.Descent)
	}
	// Partly outside the image: cut off, no panic, the rest drawn.
	edge := image.NewAlpha(image.Rect(0, 0, 40, 20))
	s.Draw(edge, l, -30, 25)
	if inkBox(edge).Empty() {
		t.Error("nothing drawn of a line partly outside the image")
	}
}

func inkBox(a *image.Alpha) image.Rectangle {
	var box image.Rectangle
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		for x := a.Rect.Min.X; x < a.Rect.Max.X; x++ {
			if a.AlphaAt(x, y).A >= 128 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

func TestConcurrentUse(t *testing.T) {
	s := newSetter(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			dst := image.NewAlpha(image.Rect(0, 0, 384, 40))
			for range 20 {
				s.Draw(dst, s.Shape("الإجمالي 46.00 SAR", true, Auto), 0, 30)
			}
		})
	}
	wg.Wait()
}

func TestNewRejectsTinyCells(t *testing.T) {
	if _, err := New(3); err == nil || !strings.Contains(err.Error(), "3 dots") {
		t.Errorf("New(3): %v", err)
	}
}

func BenchmarkShapeArabicLine(b *testing.B) {
	s := newSetter(b)
	dst := image.NewAlpha(image.Rect(0, 0, 576, 40))
	for b.Loop() {
		s.Draw(dst, s.Shape("بطاقة ايتونز امريكي 10 دولار", true, Auto), 0, 30)
	}
}
