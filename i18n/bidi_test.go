package i18n

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/parser"
)

// rev reverses the runes of a pure Arabic word, to write expectations
// readably: rev("بطاقة") is "ةقاطب".
func rev(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

func TestVisual(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"latin only is untouched", "iTunes Gift Card 50 SAR", "iTunes Gift Card 50 SAR"},
		{"empty", "", ""},
		{"one arabic word", "بطاقة", rev("بطاقة")},
		// RTL line: the Latin brand and the number stay left to right and
		// come first (leftmost) because they are last in reading order.
		{"card with brand and amount", "بطاقة iTunes 50", "iTunes 50 " + rev("بطاقة")},
		{"words swap places", "قائمة المنتجات", rev("المنتجات") + " " + rev("قائمة")},
		{"number between words", "السعر 50 ريال", rev("ريال") + " 50 " + rev("السعر")},
		{"price with decimals", "يدفع العميل 51.00", "51.00 " + rev("العميل") + " " + rev("يدفع")},
		{"price and currency", "المبلغ 51.00 SAR", "SAR 51.00 " + rev("المبلغ")},
		{"date stays as typed", "ينتهي 2025-12-31", "2025-12-31 " + rev("ينتهي")},
		{"phone number with plus", "الرقم +967771234567", "+967771234567 " + rev("الرقم")},
		{"negative amount", "الرصيد -12.50", "-12.50 " + rev("الرصيد")},
		{"percent joins its number", "الضريبة 15%", "15% " + rev("الضريبة")},
		{"brackets are mirrored", "بطاقة (iTunes)", "(iTunes) " + rev("بطاقة")},
		{"guillemets are mirrored", "يطابق «itunes»", "«itunes» " + rev("يطابق")},
		{"arabic quotes around arabic", "«نعم»", "«" + rev("نعم") + "»"},
		{"trailing space goes to the start", "نعم ", " " + rev("نعم")},
		{"full stop at the end goes left", "تم البيع.", "." + rev("البيع") + " " + rev("تم")},
		{"banner with check mark", "تم البيع ✓", "✓ " + rev("البيع") + " " + rev("تم")},
		{"label and value", "المرجع          0011234500000001", "0011234500000001          " + rev("المرجع")},
		// LTR line: the Arabic run is reversed in place.
		{"ltr line with arabic title", "Kiosk POS › قائمة المنتجات", "Kiosk POS › " + rev("المنتجات") + " " + rev("قائمة")},
		{"ltr line with arabic and number", "Paid 50 ريال", "Paid 50 " + rev("ريال")},
		{"ltr line, arabic run holds a number", "Card بطاقة 50 ريال end", "Card " + rev("ريال") + " 50 " + rev("بطاقة") + " end"},
		// Combining marks stay after their base letter.
		{"harakat", "مُعدّة", "ة" + "دّ" + "ع" + "مُ"},
		{"shadda and fatha", "تُسوَّ بعد", rev("بعد") + " " + "وَّ" + "س" + "تُ"},
		// Arabic-Indic digits are a number too.
		{"arabic-indic digits", "رقم ١٢٣", "١٢٣ " + rev("رقم")},
		// Each line on its own.
		{"two lines", "نعم لا\nyes no", rev("لا") + " " + rev("نعم") + "\nyes no"},
		{"crlf", "نعم\r\n", rev("نعم") + "\r\n"},
		// Escape sequences around a line stay at its ends.
		{"styled line", "\x1b[1mنعم لا\x1b[0m", "\x1b[1m" + rev("لا") + " " + rev("نعم") + "\x1b[0m"},
		// A tab is at the line's level: the two sides are read right to left.
		{"tab", "نعم\tلا", rev("لا") + "\t" + rev("نعم")},
		// Brackets around Latin text in a right-to-left line stay with it.
		{"bracketed latin", "بطاقة (US) iTunes", "iTunes (US) " + rev("بطاقة")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Visual(tt.in)
			if got != tt.want {
				t.Errorf("Visual(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if ansi.StringWidth(got) != ansi.StringWidth(tt.in) {
				t.Errorf("width %d, was %d", ansi.StringWidth(got), ansi.StringWidth(tt.in))
			}
		})
	}
}

func TestVisualDirRTLForcesBase(t *testing.T) {
	// An Arabic screen may force a right-to-left line that starts with a
	// Latin brand: the brand is then the rightmost thing.
	in := "iTunes بطاقة"
	if got, want := VisualDir(in, RTL), rev("بطاقة")+" iTunes"; got != want {
		t.Errorf("VisualDir(RTL) = %q, want %q", got, want)
	}
	if got, want := VisualDir(in, Auto), "iTunes "+rev("بطاقة"); got != want {
		t.Errorf("VisualDir(Auto) = %q, want %q", got, want)
	}
	if got := VisualDir("Kiosk POS", RTL); got != "Kiosk POS" {
		t.Errorf("VisualDir(RTL) of Latin = %q", got)
	}
	if got, want := VisualDir("(a) b", RTL), "b (a)"; got != want {
		t.Errorf("VisualDir(RTL) = %q, want %q", got, want)
	}
}

// TestVisualTwiceIsIdentity: for right-to-left text without Latin letters,
// drawing the drawn text again gives back the logical text.
func TestVisualTwiceIsIdentity(t *testing.T) {
	for _, s := range []string{
		"بطاقة",
		"قائمة المنتجات",
		"السعر 50 ريال",
		"لم يتم البيع — لم يُخصم أي مبلغ. أعِد للعميل نقوده.",
		"مُعدّة (تجريبي) «نعم»",
		"المرجع          0011234500000001",
		"نعم \nلا ",
		"ينتهي 2025-12-31، الرصيد -12.50",
	} {
		if got := Visual(Visual(s)); got != s {
			t.Errorf("Visual(Visual(%q)) = %q", s, got)
		}
	}
}

func TestVisualKeepsCombiningMarksOnTheirBase(t *testing.T) {
	s := "سُوّيت جميعُ العملياتِ"
	got := Visual(s)
	runes := []rune(got)
	for i, r := range runes {
		if isMark(r) && (i == 0 || classOf(runes[i-1]) != clsR && !isMark(runes[i-1])) {
			t.Fatalf("mark %U at %d of %q does not follow an Arabic letter", r, i, got)
		}
	}
	// Every base letter keeps the same marks.
	if a, b := clusters(s), clusters(got); !sameMultiset(a, b) {
		t.Fatalf("clusters changed:\n%q\n%q", a, b)
	}
}

func isMark(r rune) bool { return classOf(r) == clsNSM }

func clusters(s string) []string {
	var out []string
	var state byte
	for len(s) > 0 {
		seq, _, n, st := ansi.DecodeSequence(s, state, nil)
		out, s, state = append(out, seq), s[n:], st
	}
	return out
}

func sameMultiset[T comparable](a, b []T) bool {
	m := map[T]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

func TestVisualLatinIsUntouched(t *testing.T) {
	// No right-to-left character: the very same string comes back.
	for _, s := range []string{"Kiosk POS › Catalogue", "\x1b[1mSOLD ✓\x1b[0m", "a\tb\nc", "12.50 SAR"} {
		if got := Visual(s); got != s {
			t.Errorf("Visual(%q) = %q", s, got)
		}
	}
}

func TestIsRTL(t *testing.T) {
	tests := map[string]bool{
		"بطاقة iTunes 50": true,
		"50 ريال":         true,
		"iTunes بطاقة":    false,
		"Catalogue":       false,
		"12.50":           false,
		"":                false,
		"«نعم»":           true,
		"\u200fabc":       true, // RLM
		"שלום":            true,
	}
	for s, want := range tests {
		if got := IsRTL(s); got != want {
			t.Errorf("IsRTL(%q) = %v, want %v", s, got, want)
		}
	}
	if !HasRTL("iTunes بطاقة") || HasRTL("iTunes 50") || !HasRTL("١٢٣") {
		t.Error("HasRTL")
	}
}

func TestAlignRight(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"abc", 6, "   abc"},
		{"abc", 3, "abc"},
		{"abcdef", 3, "abcdef"}, // never cut
		{"نعم", 5, "  نعم"},
		{"مُعدّة", 6, "  مُعدّة"}, // marks take no cell
		{"日本", 6, "  日本"},         // wide characters take two
		{"\x1b[1mab\x1b[0m", 4, "  \x1b[1mab\x1b[0m"},
		{"a\nbcd", 4, "   a\n bcd"},
		{"", 2, "  "},
	}
	for _, tt := range tests {
		got := AlignRight(tt.in, tt.width)
		if got != tt.want {
			t.Errorf("AlignRight(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestDisplayAndMode(t *testing.T) {
	s := "بطاقة iTunes 50"
	if Display(TerminalReorders, s) != s {
		t.Error("TerminalReorders changed the text")
	}
	if Display(AppReorders, s) != Visual(Shape(s)) {
		t.Error("AppReorders is not Visual of the shaped text")
	}
	var zero Mode
	if zero != TerminalReorders {
		t.Error("the zero Mode is not TerminalReorders")
	}
	for _, in := range []string{"terminal", "app", "", " App "} {
		m, err := ParseMode(in)
		if err != nil {
			t.Errorf("ParseMode(%q): %v", in, err)
		}
		if strings.TrimSpace(in) != "" && !strings.EqualFold(m.String(), strings.TrimSpace(in)) {
			t.Errorf("ParseMode(%q).String() = %q", in, m.String())
		}
	}
	if _, err := ParseMode("both"); err == nil {
		t.Error("ParseMode(both) = nil error")
	}
}

// mirrorFold maps both halves of a mirrored pair to one rune, because
// mirroring "(" to ")" in a right-to-left run is Visual's only change to
// the characters.
func mirrorFold(r rune) rune {
	if m, ok := mirror[r]; ok && m < r {
		return m
	}
	return r
}

func runeCounts(s string) map[rune]int {
	m := map[rune]int{}
	for _, r := range s {
		m[mirrorFold(r)]++
	}
	return m
}

// lineWidths is the width of each line as a terminal shows s: lines end
// at the line feeds it carries out, and escape sequences take no room
// (the way ansi.StringWidth reads a line).
func lineWidths(s string) []int {
	var ws []int
	w := 0
	state := parser.GroundState
	for i := 0; i < len(s); {
		next, action := parser.Table.Transition(state, s[i])
		switch {
		case action == parser.PrintAction || next == parser.Utf8State:
			c, cw := ansi.FirstGraphemeCluster(s[i:], ansi.GraphemeWidth)
			w += cw
			i += max(len(c), 1)
			state = parser.GroundState
			continue
		case action == parser.ExecuteAction && s[i] == '\n':
			ws, w = append(ws, w), 0
		}
		state = next
		i++
	}
	return append(ws, w)
}

func FuzzVisual(f *testing.F) {
	for _, s := range []string{
		"بطاقة iTunes 50", "السعر 50 ريال", "Kiosk POS › قائمة المنتجات", "مُعدّة", "(نعم) [لا] {ok}",
		"\x1b[1mنعم\x1b[0m لا", "نعم\tلا\nyes", "ينتهي 2025-12-31", "+967 771234567 رقم", "١٢٣٫٥ ريال",
		"🇸🇦🇾 عربي", "\u0301نعم", "אבג abc", "a\u200db ت", "\x1b]8;;http://x\x07رابط\x1b]8;;\x07", "ت\x1b[",
		"\xff\xfeعربي", "e\u0301 ت", "각 ت", "ᄀ ت ᅡ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Visual(s)
		want := s
		if !utf8.ValidString(s) {
			want = validUTF8(s)
		}
		if a, b := runeCounts(want), runeCounts(got); !mapsEqual(a, b) {
			t.Fatalf("Visual(%q) = %q: the runes changed", s, got)
		}
		if !utf8.ValidString(s) {
			return // the width of invalid bytes is the terminal's guess
		}
		if a, b := lineWidths(s), lineWidths(got); !slices.Equal(a, b) {
			t.Fatalf("Visual(%q) = %q: line widths %v, were %v", s, got, b, a)
		}
		if !HasRTL(s) && got != s {
			t.Fatalf("Visual(%q) = %q without any right-to-left character", s, got)
		}
		_ = VisualDir(s, RTL)
	})
}

func mapsEqual(a, b map[rune]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
