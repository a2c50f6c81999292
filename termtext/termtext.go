// Package termtext makes text from outside the kiosk safe to write to a
// terminal, stderr, a log or a receipt. A provider's error, message,
// product name, PIN or how-to-use text is data; an escape sequence inside
// it would be a command to the terminal (set the window title, clear the
// screen, change colours, answer back) or to an ESC/POS printer.
//
// Line and Text remove:
//   - C0 controls, DEL and C1 controls (U+0080–U+009F);
//   - whole escape sequences, not only their ESC: CSI (ESC [ … final),
//     the strings OSC (ESC ] … BEL or ST), DCS, SOS, PM and APC (ESC P, X,
//     ^, _ … ST), two- and three-character escapes (ESC c, ESC ( B) and a
//     lone ESC; the 8-bit introducers (CSI U+009B, OSC U+009D, …) alike,
//     and as lone bytes (0x9B, 0x9D, …), which is how a terminal that is
//     not in UTF-8 mode reads them;
//   - Unicode bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
//     U+061C): a provider's marks could reorder what the clerk reads, and
//     the app adds its own where it needs them (i18n/bidi.go).
//
// Any other byte that is not UTF-8 becomes U+FFFD. Letters of every script, combining marks,
// ZWJ/ZWNJ and punctuation are kept as they are. The result of either
// function is a fixed point: cleaning it again changes nothing.
package termtext

import (
	"strings"
	"unicode/utf8"
)

// Line returns s for one line: every run of line breaks and tabs (with the
// spaces around it) becomes one space, and the ends are trimmed. Use it for
// names, PINs, references, error messages and status lines.
func Line(s string) string {
	if isClean(s, false) {
		return s
	}
	return strings.TrimSpace(clean(s, false))
}

// Text returns s for a paragraph: line breaks are kept, as "\n" (CR LF, CR,
// VT, FF, NEL and U+2028/U+2029 all become "\n"), and a tab becomes a
// space. Use it for how-to-use text and multi-line messages.
func Text(s string) string {
	if isClean(s, true) {
		return s
	}
	return clean(s, true)
}

const (
	bel = 0x07
	esc = 0x1b
	can = 0x18 // cancels a sequence
	sub = 0x1a // cancels a sequence
	st  = 0x9c // string terminator, 8-bit form
)

// isClean reports whether s needs no change, so that the common case (a
// plain name or PIN) costs one scan and no allocation.
func isClean(s string, multi bool) bool {
	if !multi && s != strings.TrimSpace(s) {
		return false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && !(multi && c == '\n') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || isC1(r) || IsBidiControl(r) || r == 0x2028 || r == 0x2029 {
			return false
		}
		i += n
	}
	return true
}

// clean is the slow path of Line (multi false) and Text (multi true).
func clean(s string, multi bool) string {
	out := make([]byte, 0, len(s))
	gap := false // Line: a line break was seen; one space goes before the next text
	for i := 0; i < len(s); {
		r, n, raw := decode(s[i:])
		i += n
		switch {
		case r == esc:
			i = skipEscape(s, i)
		case r == 0x9b: // CSI, 8-bit form
			i = skipCSI(s, i)
		case isStringIntroducer(r):
			i = skipString(s, i)
		case isBreak(r):
			if r == '\r' && i < len(s) && s[i] == '\n' {
				i++ // CR LF is one break
			}
			if multi {
				out = append(out, '\n')
				continue
			}
			out = trimSpaces(out)
			gap = true
		case r == '\t':
			if multi {
				out = append(out, ' ')
				continue
			}
			out = trimSpaces(out)
			gap = true
		case r == ' ' && gap:
			// absorbed into the break's one space
		case raw && r >= 0x80:
			out, gap = emit(out, utf8.RuneError, gap)
		case r < 0x20 || r == 0x7f || isC1(r) || IsBidiControl(r):
			// dropped
		default:
			out, gap = emit(out, r, gap)
		}
	}
	return string(out)
}

// decode reads the first character of s. A byte that is not UTF-8 comes
// back as itself with raw set: 0x80–0x9F are C1 controls to a terminal
// that is not in UTF-8 mode, so they are read as such.
func decode(s string) (r rune, n int, raw bool) {
	r, n = utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && n == 1 {
		return rune(s[0]), 1, true
	}
	return r, n, false
}

// emit appends r, preceded by the single space a pending line break left.
func emit(out []byte, r rune, gap bool) ([]byte, bool) {
	if gap && len(out) > 0 {
		out = append(out, ' ')
	}
	return utf8.AppendRune(out, r), false
}

func trimSpaces(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// isBreak reports a character that ends a line.
func isBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

func isC1(r rune) bool { return r >= 0x80 && r <= 0x9f }

// isStringIntroducer reports the 8-bit forms of DCS, SOS, OSC, PM and APC.
func isStringIntroducer(r rune) bool {
	switch r {
	case 0x90, 0x98, 0x9d, 0x9e, 0x9f:
		return true
	}
	return false
}

// IsBidiControl reports the Unicode bidi controls: the embeddings and
// overrides U+202A–U+202E, the isolates U+2066–U+2069, and the marks LRM,
// RLM and ALM.
func IsBidiControl(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return r == 0x200e || r == 0x200f || r == 0x061c
}

// skipEscape returns the index after the escape sequence whose ESC ended
// just before i (ECMA-48 §5.3 and xterm's ctlseqs).
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, i+1)
	case c >= 0x20 && c <= 0x2f: // intermediates, then a final byte: ESC ( B
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case c >= 0x30 && c <= 0x7e: // ESC 7, ESC c, ESC =, ESC \ …
		return i + 1
	}
	return i // a lone ESC: what follows is text
}

// skipCSI returns the index after a control sequence's parameters,
// intermediates and final byte. Anything else ends the sequence there and
// is read as text (or as the next control).
func skipCSI(s string, i int) int {
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x20 && c <= 0x3f:
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after a control string (OSC, DCS, SOS, PM,
// APC): up to BEL, ST (ESC \ or U+009C), CAN or SUB. A string with no end
// runs to the end of s, as a terminal would swallow it. Another ESC ends it
// without being consumed: it starts the next sequence.
func skipString(s string, i int) int {
	for i < len(s) {
		r, n, _ := decode(s[i:])
		switch r {
		case bel, can, sub, st:
			return i + n
		case esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		}
		i += n
	}
	return i
}
