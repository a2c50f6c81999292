package i18n

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/parser"
)

// Mode says who puts right-to-left text in visual order.
type Mode int

const (
	// TerminalReorders leaves text in logical order: the terminal runs the
	// bidirectional algorithm itself (mlterm, Konsole, GNOME Terminal and
	// other VTE terminals with BiDi on). It is the zero value.
	TerminalReorders Mode = iota
	// AppReorders has the app reorder each line with Visual before it is
	// drawn, for terminals that show characters in the order they arrive
	// (xterm, the Linux console, Windows Terminal, tmux on most terminals).
	AppReorders
)

// ParseMode reads a setting: "terminal" or "app".
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "terminal":
		return TerminalReorders, nil
	case "app":
		return AppReorders, nil
	}
	return 0, fmt.Errorf("bidi mode %q: want \"terminal\" or \"app\"", s)
}

func (m Mode) String() string {
	if m == AppReorders {
		return "app"
	}
	return "terminal"
}

// Display is s as it should be written to a terminal in mode m: unchanged
// when the terminal reorders (and joins), shaped and in display order,
// Visual(Shape(s)), when the app does.
func Display(m Mode, s string) string {
	if m == AppReorders {
		return Visual(Shape(s))
	}
	return s
}

// Direction is a paragraph's base direction.
type Direction int

// Base directions.
const (
	Auto Direction = iota // from the first strong letter, left to right if none
	LTR
	RTL
)

// IsRTL reports whether s's base direction is right to left: its first
// strong letter is Arabic (or Hebrew, Syriac, Thaana…). Digits and
// punctuation do not count, so "50 ريال" is right to left and
// "iTunes بطاقة" is not.
func IsRTL(s string) bool {
	for _, r := range s {
		switch classOf(r) {
		case clsR:
			return true
		case clsL:
			return false
		}
	}
	return false
}

// HasRTL reports whether s has any right-to-left letter or Arabic-Indic
// digit, that is whether Visual could change it.
func HasRTL(s string) bool {
	for _, r := range s {
		if c := classOf(r); c == clsR || c == clsAN {
			return true
		}
	}
	return false
}

// AlignRight pads each line of s on the left to width display cells (the
// way a right-to-left screen aligns its lines). Lines already as wide are
// left as they are, never cut. Escape sequences take no width.
func AlignRight(s string, width int) string {
	if !strings.Contains(s, "\n") {
		return alignRight(s, width)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = alignRight(l, width)
	}
	return strings.Join(lines, "\n")
}

func alignRight(l string, width int) string {
	if w := ansi.StringWidth(l); w < width {
		return strings.Repeat(" ", width-w) + l
	}
	return l
}

// Visual is s reordered from logical (typed, stored) order into visual
// order, left to right, for a terminal that shows characters in the order
// it receives them. Each line is a paragraph whose base direction is that
// of its first strong letter (VisualDir with Auto).
func Visual(s string) string { return VisualDir(s, Auto) }

// VisualDir is Visual with the base direction of every line given: an
// Arabic screen may want RTL for a line that starts with a Latin brand.
//
// It follows the Unicode Bidirectional Algorithm (UAX #9) for implicit
// text, adapted for a point-of-sale screen:
//
//   - Runs of Arabic (right-to-left) letters are reversed; Latin words and
//     numbers inside them keep their left-to-right order, and in a
//     right-to-left line the order of the runs is reversed: logical
//     "بطاقة iTunes 50" is drawn "iTunes 50 ةقاطب" (the terminal then
//     shapes the letters; no presentation forms are produced).
//   - Numbers stay as typed: European digits after Arabic letters are not
//     made Arabic numbers (rule W2 is left out), and a sign right before a
//     number is part of it, so a date 2025-12-31, a phone number
//     +967771234567 or a price -12.50 is never turned around. Groups
//     separated by spaces are separate numbers, as in UAX #9: in a
//     right-to-left line "77 123 4567" is drawn "4567 123 77", so show
//     numbers without spaces.
//   - Brackets and other mirrored characters in right-to-left runs are
//     swapped for their mirror image ("(" for ")"), as the terminal would
//     draw them (rule L4); that is the only change to the characters.
//   - Combining marks (Arabic harakat) and whole grapheme clusters move
//     with their base character.
//   - Explicit embeddings and isolates (U+202A–U+202E, U+2066–U+2069) are
//     not interpreted.
//   - Trailing spaces of a right-to-left line end up on its left (L1).
//
// Text without right-to-left characters in an Auto or LTR line is returned
// as it is, so calling Visual on every line costs little. Lines are split
// at "\n" (and the other paragraph separators) and reordered separately;
// the separators stay where they are. Visual is meant for plain text: call
// it before styling, or style whole lines. Escape sequences are kept whole
// and move with the character after them; those at a line's start and end
// stay there (unless cut short by the character after them, which they
// then stay with). Invalid UTF-8 bytes become U+FFFD. A line whose new
// order would change its display width (a lone Arabic number sign or a
// combining mark at its start joining another character) is left in
// logical order.
func VisualDir(s string, dir Direction) string {
	if dir != RTL && !HasRTL(s) {
		return s
	}
	if !utf8.ValidString(s) {
		s = validUTF8(s)
	}
	var out strings.Builder
	out.Grow(len(s))
	var para []unit
	from := 0                        // start of the bytes not yet in a unit
	start := 0                       // start of the paragraph
	startState := parser.GroundState // the terminal's state there
	flush := func(to int) {
		line := s[start:to]
		if startState == parser.GroundState && len(para) > 0 {
			// (A paragraph that starts inside an escape sequence, cut by
			// a line feed, is left as it is.)
			p := paragraph{units: para, trail: s[from:to]}
			if ground(para[0].pre) {
				p.lead, p.units[0].pre = p.units[0].pre, ""
			}
			line = p.visual(dir)
			if ansi.StringWidth(line) != ansi.StringWidth(s[start:to]) {
				// The new order joined clusters into one of another
				// width (a lone Arabic number sign, a combining mark
				// that started the line): draw the line as it is
				// rather than misalign it.
				line = s[start:to]
			}
		}
		out.WriteString(line)
		para = para[:0]
	}
	// The string is read the way a terminal (and ansi.StringWidth) reads
	// it: a unit is a grapheme cluster with the escape sequences and
	// control characters before it. Each unit starts and ends in the
	// ground state, so it reads the same wherever it is moved.
	state := parser.GroundState
	for i := 0; i < len(s); {
		next, action := parser.Table.Transition(state, s[i])
		switch {
		case action == parser.PrintAction || next == parser.Utf8State:
			text, _ := ansi.FirstGraphemeCluster(s[i:], ansi.GraphemeWidth)
			if len(text) == 0 {
				text = s[i : i+1]
			}
			r, _ := utf8.DecodeRuneInString(text)
			c := classOf(r)
			i += len(text)
			if c == clsB { // U+0085, U+2029
				flush(i - len(text))
				out.WriteString(text)
				start, startState = i, parser.GroundState
			} else {
				para = append(para, unit{pre: s[from : i-len(text)], text: text, class: c})
			}
			from, state = i, parser.GroundState
			continue
		case action == parser.ExecuteAction && classOf(rune(s[i])) == clsB:
			// A line feed or carriage return the terminal carries out,
			// even in the middle of an escape sequence.
			flush(i)
			out.WriteByte(s[i])
			i++
			from, start, state, startState = i, i, next, next
			continue
		case state == parser.GroundState && classOf(rune(s[i])) == clsS:
			para = append(para, unit{pre: s[from:i], text: s[i : i+1], class: clsS})
			i++
			from, state = i, next
			continue
		}
		state = next
		i++
	}
	flush(len(s))
	return out.String()
}

// ground reports whether a terminal is back in its ground state after s:
// an escape sequence cut short ("\x1b" before "م") must stay in front of
// the character after it, or it would take in another one.
func ground(s string) bool {
	state := parser.GroundState
	for i := 0; i < len(s); i++ {
		state, _ = parser.Table.Transition(state, s[i])
	}
	return state == parser.GroundState
}

// validUTF8 replaces each invalid byte with U+FFFD, so the string has as
// many runes as ranging over it yields.
func validUTF8(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unit is one grapheme cluster (or tab) with the escape sequences before it.
type unit struct {
	pre   string
	text  string
	class bidiClass
	level uint8
}

type paragraph struct {
	lead, trail string // escapes pinned to the line's two ends
	units       []unit
}

// visual is the paragraph in visual order.
func (p *paragraph) visual(dir Direction) string {
	var out strings.Builder
	out.WriteString(p.lead)
	us := p.units
	if len(us) > 0 {
		base := uint8(0)
		switch dir {
		case RTL:
			base = 1
		case Auto:
			for _, u := range us {
				if u.class == clsL {
					break
				}
				if u.class == clsR {
					base = 1
					break
				}
			}
		}
		resolveLevels(us, base)
		reorder(us)
		for _, u := range us {
			out.WriteString(u.pre)
			if u.level%2 == 1 {
				out.WriteString(mirrored(u.text))
			} else {
				out.WriteString(u.text)
			}
		}
	}
	out.WriteString(p.trail)
	return out.String()
}

// resolveLevels sets each unit's embedding level (rules W1–W7, N0–N2,
// I1–I2 and L1 of UAX #9, without explicit embeddings and without W2, and
// with signs joining their numbers).
func resolveLevels(us []unit, base uint8) {
	n := len(us)
	sos := clsL
	if base == 1 {
		sos = clsR
	}
	t := make([]bidiClass, n)
	for i, u := range us {
		t[i] = u.class
	}
	// W1: a mark (and an ignorable) takes the class of what it follows.
	prev := sos
	for i := range t {
		if t[i] == clsNSM || t[i] == clsBN {
			t[i] = prev
		}
		prev = t[i]
	}
	// W4: one separator between two numbers of the same kind joins them.
	for i := 1; i+1 < n; i++ {
		switch {
		case (t[i] == clsES || t[i] == clsCS) && t[i-1] == clsEN && t[i+1] == clsEN:
			t[i] = clsEN
		case t[i] == clsCS && t[i-1] == clsAN && t[i+1] == clsAN:
			t[i] = clsAN
		}
	}
	// Not in UAX #9: a plus or minus sign right before a European number
	// (and not between two) is its sign and joins it, so "+967…" and "-5"
	// keep the sign on their left.
	for i := 0; i+1 < n; i++ {
		if t[i] == clsES && t[i+1] == clsEN && (i == 0 || t[i-1] != clsEN) {
			t[i] = clsEN
		}
	}
	// W5: currency and percent signs next to a European number join it.
	for i := 0; i < n; {
		if t[i] != clsET {
			i++
			continue
		}
		j := i
		for j < n && t[j] == clsET {
			j++
		}
		if (i > 0 && t[i-1] == clsEN) || (j < n && t[j] == clsEN) {
			for k := i; k < j; k++ {
				t[k] = clsEN
			}
		}
		i = j
	}
	// W6: other separators and terminators are neutral.
	for i := range t {
		if t[i] == clsES || t[i] == clsET || t[i] == clsCS {
			t[i] = clsON
		}
	}
	// W7: a European number in left-to-right text is left to right.
	prev = sos
	for i := range t {
		switch t[i] {
		case clsL, clsR:
			prev = t[i]
		case clsEN:
			if prev == clsL {
				t[i] = clsL
			}
		}
	}
	strong := func(c bidiClass) bidiClass {
		if c == clsL {
			return clsL
		}
		return clsR
	}
	// N0: a pair of brackets takes the direction of what it encloses.
	for _, p := range bracketPairs(us, t) {
		var inside bidiClass = clsON
		for k := p[0] + 1; k < p[1]; k++ {
			if t[k] == clsL || t[k] == clsR || t[k] == clsEN || t[k] == clsAN {
				if d := strong(t[k]); d == sos {
					inside = d
					break
				} else {
					inside = d
				}
			}
		}
		if inside == clsON {
			continue
		}
		d := sos
		if inside != sos {
			// Only the opposite direction inside: the brackets follow the
			// text before them.
			before := sos
			for k := p[0] - 1; k >= 0; k-- {
				if t[k] == clsL || t[k] == clsR || t[k] == clsEN || t[k] == clsAN {
					before = strong(t[k])
					break
				}
			}
			if before == inside {
				d = inside
			}
		}
		t[p[0]], t[p[1]] = d, d
	}
	// N1, N2: neutrals between two of the same direction take it, others
	// the paragraph's. Numbers count as right to left here.
	for i := 0; i < n; {
		if !neutral(t[i]) {
			i++
			continue
		}
		j := i
		for j < n && neutral(t[j]) {
			j++
		}
		before, after := sos, sos
		if i > 0 {
			before = strong(t[i-1])
		}
		if j < n {
			after = strong(t[j])
		}
		d := sos
		if before == after {
			d = before
		}
		for k := i; k < j; k++ {
			t[k] = d
		}
		i = j
	}
	// I1, I2.
	for i := range us {
		switch {
		case base == 0 && t[i] == clsR:
			us[i].level = 1
		case base == 0 && (t[i] == clsEN || t[i] == clsAN):
			us[i].level = 2
		case base == 1 && t[i] != clsR:
			us[i].level = 2
		default:
			us[i].level = base
		}
	}
	// L1: tabs, and spaces before a tab or at the end, get the paragraph's
	// level.
	trailing := true
	for i := n - 1; i >= 0; i-- {
		switch us[i].class {
		case clsS:
			us[i].level = base
			trailing = true
		case clsWS, clsBN:
			if trailing {
				us[i].level = base
			}
		default:
			trailing = false
		}
	}
}

// bracketPairs finds the pairs of brackets among neutral units (BD16):
// the index of each opening bracket and of its closing one, in order of
// the opening ones.
func bracketPairs(us []unit, t []bidiClass) [][2]int {
	type open struct {
		close rune
		at    int
	}
	var stack []open
	var pairs [][2]int
	for i, u := range us {
		if t[i] != clsON {
			continue
		}
		r, n := utf8.DecodeRuneInString(u.text)
		if n != len(u.text) {
			continue
		}
		if c, ok := brackets[r]; ok {
			if len(stack) == 63 {
				break
			}
			stack = append(stack, open{c, i})
			continue
		}
		for k := len(stack) - 1; k >= 0; k-- {
			if stack[k].close == r {
				pairs = append(pairs, [2]int{stack[k].at, i})
				stack = stack[:k]
				break
			}
		}
	}
	slices.SortFunc(pairs, func(a, b [2]int) int { return a[0] - b[0] })
	return pairs
}

// brackets maps each opening paired bracket to its closing one.
var brackets = func() map[rune]rune {
	m := map[rune]rune{}
	for _, p := range []string{"()", "[]", "{}", "⁅⁆", "⁽⁾", "₍₎", "⟨⟩", "〈〉", "《》", "「」", "『』", "【】", "〔〕",
		"（）", "［］", "｛｝", "｢｣", "﹙﹚", "﹛﹜", "﹝﹞"} {
		rs := []rune(p)
		m[rs[0]] = rs[1]
	}
	return m
}()

func neutral(c bidiClass) bool {
	return c == clsWS || c == clsON || c == clsS || c == clsB
}

// reorder applies rule L2: from the highest level down to the lowest odd
// one, reverse every run at that level or higher.
func reorder(us []unit) {
	var hi, loOdd uint8 = 0, 255
	for _, u := range us {
		hi = max(hi, u.level)
		if u.level%2 == 1 {
			loOdd = min(loOdd, u.level)
		}
	}
	if loOdd == 255 {
		if hi == 0 {
			return
		}
		loOdd = 1
	}
	for lvl := hi; lvl >= loOdd; lvl-- {
		for i := 0; i < len(us); {
			if us[i].level < lvl {
				i++
				continue
			}
			j := i
			for j < len(us) && us[j].level >= lvl {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				us[a], us[b] = us[b], us[a]
			}
			i = j
		}
	}
}

// mirrored swaps a cluster's first character for its mirror image.
func mirrored(text string) string {
	r, n := utf8.DecodeRuneInString(text)
	if m, ok := mirror[r]; ok {
		return string(m) + text[n:]
	}
	return text
}

// mirror holds common pairs of Bidi_Mirroring_Glyph.
var mirror = func() map[rune]rune {
	pairs := []string{"()", "<>", "[]", "{}", "«»", "‹›", "⁅⁆", "⁽⁾", "₍₎", "≤≥", "≪≫", "⟨⟩", "〈〉", "《》",
		"「」", "『』", "【】", "〔〕", "（）", "＜＞", "［］", "｛｝", "｢｣", "﹙﹚", "﹛﹜", "﹝﹞", "﹤﹥", "∈∋", "⊂⊃", "⊆⊇"}
	m := map[rune]rune{}
	for _, p := range pairs {
		rs := []rune(p)
		m[rs[0]], m[rs[1]] = rs[1], rs[0]
	}
	return m
}()

// bidiClass is a Bidi_Class, the handful this package tells apart.
type bidiClass uint8

const (
	clsL   bidiClass = iota // left to right letter
	clsR                    // right to left letter (R and AL)
	clsEN                   // European digit
	clsES                   // plus and minus
	clsET                   // currency, percent, degree…
	clsAN                   // Arabic-Indic digit
	clsCS                   // comma, full stop, colon, slash
	clsNSM                  // combining mark
	clsBN                   // ignorable (zero width joiner…)
	clsB                    // paragraph separator
	clsS                    // tab
	clsWS                   // space
	clsON                   // other neutral
)

// classOf is r's Bidi_Class, from ranges: the standard library has no
// bidi table, and these ranges cover what a shop's screen shows.
func classOf(r rune) bidiClass {
	if r < 0x80 {
		return asciiClass[r]
	}
	switch r {
	case 0x200E: // LRM
		return clsL
	case 0x200F, 0x061C: // RLM, ALM
		return clsR
	case 0x0085, 0x2029:
		return clsB
	case 0x00A0, 0x060C, 0x202F, 0x2044, 0xFE50, 0xFE52, 0xFE55, 0xFF0C, 0xFF0E, 0xFF0F, 0xFF1A:
		return clsCS
	case 0x066B, 0x066C, 0x06DD, 0x08E2:
		return clsAN
	case 0x2212, 0x207A, 0x207B, 0x208A, 0x208B, 0xFB29, 0xFE62, 0xFE63, 0xFF0B, 0xFF0D:
		return clsES
	case 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00B0, 0x00B1, 0x066A, 0x058F, 0x09F2, 0x09F3, 0x0AF1, 0x0BF9,
		0x0E3F, 0x17DB, 0x2213, 0xFE5F, 0xFE69, 0xFE6A, 0xFF03, 0xFF04, 0xFF05, 0xFFE0, 0xFFE1, 0xFFE5, 0xFFE6:
		return clsET
	case 0x00B2, 0x00B3, 0x00B9, 0x2070:
		return clsEN
	case 0x00AD, 0xFEFF:
		return clsBN
	}
	switch {
	case r >= 0x0600 && r <= 0x0605, r >= 0x0660 && r <= 0x0669, r >= 0x10E60 && r <= 0x10E7E:
		return clsAN
	case r >= 0x06F0 && r <= 0x06F9, r >= 0x2074 && r <= 0x2079, r >= 0x2080 && r <= 0x2089,
		r >= 0xFF10 && r <= 0xFF19, r >= 0x1D7CE && r <= 0x1D7FF, r >= 0x2488 && r <= 0x249B, r >= 0x1F100 && r <= 0x1F10A:
		return clsEN
	case r >= 0x2030 && r <= 0x2034, r >= 0x20A0 && r <= 0x20CF:
		return clsET
	case r >= 0x2000 && r <= 0x200A, r == 0x2028, r == 0x205F, r == 0x3000, r == 0x1680:
		return clsWS
	case r >= 0x200B && r <= 0x200D, r >= 0x2060 && r <= 0x2064, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return clsBN
	case unicode.In(r, unicode.Mn, unicode.Me):
		return clsNSM
	case r >= 0x0590 && r <= 0x08FF, r >= 0xFB1D && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFE,
		r >= 0x10800 && r <= 0x10FFF, r >= 0x1E800 && r <= 0x1EFFF:
		if r == 0xFD3E || r == 0xFD3F { // ornate parentheses
			return clsON
		}
		return clsR
	case r < 0xA0: // C1 controls
		return clsBN
	case unicode.Is(unicode.Cf, r):
		return clsBN
	case unicode.IsLetter(r), unicode.In(r, unicode.Mc, unicode.Nd, unicode.Nl, unicode.Co):
		return clsL
	case unicode.IsSpace(r):
		return clsWS
	case unicode.In(r, unicode.P, unicode.S, unicode.No):
		return clsON
	}
	return clsL
}

var asciiClass = func() (t [128]bidiClass) {
	for r := range t {
		c := rune(r)
		switch {
		case c == '\t' || c == 0x0b || c == 0x1f:
			t[r] = clsS
		case c == '\n' || c == '\r' || (c >= 0x1c && c <= 0x1e):
			t[r] = clsB
		case c == ' ' || c == 0x0c:
			t[r] = clsWS
		case c < 0x20 || c == 0x7f:
			t[r] = clsBN
		case c >= '0' && c <= '9':
			t[r] = clsEN
		case c == '+' || c == '-':
			t[r] = clsES
		case c == '#' || c == '$' || c == '%':
			t[r] = clsET
		case c == ',' || c == '.' || c == '/' || c == ':':
			t[r] = clsCS
		case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
			t[r] = clsL
		default:
			t[r] = clsON
		}
	}
	return t
}()
