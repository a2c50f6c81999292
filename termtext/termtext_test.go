package termtext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Both variants give the same answer for text without line breaks or tabs.
var common = []struct {
	name, in, want string
}{
	{"plain ascii", "iTunes Gift Card 50 SAR", "iTunes Gift Card 50 SAR"},
	{"arabic", "بطاقة ايتونز امريكي 10 دولار", "بطاقة ايتونز امريكي 10 دولار"},
	{"arabic with harakat", "مُحَمَّد", "مُحَمَّد"},
	{"lam-alef and tatweel", "لا ـ الإنترنت", "لا ـ الإنترنت"},
	{"zwj and zwnj kept", "a\u200db\u200cc", "a\u200db\u200cc"},
	{"latin combining mark", "e\u0301 café", "e\u0301 café"},
	{"punctuation", "50% off — «ok», (1/2) 'x' \"y\" #1!?", "50% off — «ok», (1/2) 'x' \"y\" #1!?"},
	{"emoji and cjk", "🎮 PUBG 游戏", "🎮 PUBG 游戏"},
	{"no-break space kept", "50\u00a0SAR", "50\u00a0SAR"},
	{"replacement char kept", "a\ufffdb", "a\ufffdb"},

	{"al-qimah title and clear", "\x1b]0;hacked\x07\x1b[2JInsufficient balance", "Insufficient balance"},
	{"osc ended by ST", "\x1b]2;title\x1b\\ok", "ok"},
	{"osc 8 hyperlink", "\x1b]8;;http://evil.test/\x1b\\click\x1b]8;;\x1b\\", "click"},
	{"osc 52 clipboard", "x\x1b]52;c;cm0gLXJmIH4=\x07y", "xy"},
	{"osc unterminated", "ok\x1b]0;title without end", "ok"},
	{"osc cancelled by CAN", "\x1b]0;t\x18after", "after"},
	{"osc cancelled by SUB", "\x1b]0;t\x1aafter", "after"},
	{"osc ended by next ESC", "\x1b]0;t\x1b[31mred", "red"},
	{"sgr colour", "\x1b[31;1mred\x1b[0m text", "red text"},
	{"csi private mode", "\x1b[?1049hscreen\x1b[?25l", "screen"},
	{"csi cursor and erase", "a\x1b[10;20Hb\x1b[Kc", "abc"},
	{"csi cut by non-ascii", "\x1b[31شx", "شx"},
	{"csi unterminated", "ok\x1b[31;", "ok"},
	{"dcs sixel", "\x1bPq#0;2;0;0;0#0~~\x1b\\img", "img"},
	{"dcs decrqss answerback", "\x1bP$q\"p\x1b\\x", "x"},
	{"apc kitty graphics", "\x1b_Gf=100;AAAA\x1b\\pic", "pic"},
	{"pm", "\x1b^private\x1b\\x", "x"},
	{"sos", "\x1bXstring\x1b\\x", "x"},
	{"reset RIS", "a\x1bcb", "ab"},
	{"save cursor", "a\x1b7b\x1b8c", "abc"},
	{"charset designation", "\x1b(0lqk\x1b(B", "lqk"},
	{"keypad mode", "a\x1b=b\x1b>c", "abc"},
	{"lone esc at end", "abc\x1b", "abc"},
	{"lone esc before arabic", "\x1bش", "ش"},
	{"esc esc", "\x1b\x1b[2Jx", "x"},
	{"8-bit csi", "\u009b31mred\u009b0m", "red"},
	{"8-bit osc with 8-bit st", "\u009d0;t\u009cok", "ok"},
	{"8-bit osc with bel", "\u009d0;t\x07ok", "ok"},
	{"8-bit dcs", "\u0090q#0\u009cok", "ok"},
	{"8-bit apc", "\u009fG;A\u009cok", "ok"},
	{"other c1 dropped", "a\u0084b\u0096c", "abc"},
	{"raw 8-bit csi byte", "\x9b2Jok", "ok"},
	{"raw 8-bit osc byte", "\x9d0;t\x07ok", "ok"},
	{"raw other c1 byte", "a\x84b", "a\ufffdb"},
	{"invalid utf-8", "caf\xe9 \xff", "caf\ufffd \ufffd"},
	{"truncated utf-8", "ok\xd8", "ok\ufffd"},
	{"surrogate half", "a\xed\xa0\x80b", "a\ufffd\ufffd\ufffdb"},
	{"bell", "ding\x07dong", "dingdong"},
	{"backspace overwrite", "1234\b\b\b\bXXXX", "1234XXXX"},
	{"nul and del", "a\x00b\x7fc", "abc"},
	{"rlo override", "\u202eevil.exe\u202c", "evil.exe"},
	{"lre rle pdf", "\u202aa\u202bb\u202c", "ab"},
	{"isolates", "\u2066x\u2067y\u2068z\u2069", "xyz"},
	{"marks", "a\u200eb\u200fc\u061cd", "abcd"},
	{"arabic with provider marks", "\u200fرصيد غير كاف\u200f", "رصيد غير كاف"},
	{"empty", "", ""},
	{"only escapes", "\x1b[2J\x1b]0;x\x07", ""},
}

func TestLine(t *testing.T) {
	tests := append([]struct{ name, in, want string }{
		{"newline", "a\nb", "a b"},
		{"crlf and spaces around", "a  \r\n\t  b", "a b"},
		{"several breaks", "a\n\n\nb", "a b"},
		{"tab", "a\tb", "a b"},
		{"vt ff", "a\vb\fc", "a b c"},
		{"nel and separators", "a\u0085b\u2028c\u2029d", "a b c d"},
		{"inner spaces kept", "1234  5678", "1234  5678"},
		{"trimmed", "  PIN 1234 \n", "PIN 1234"},
		{"break after escape", "a\x1b[0m\nb", "a b"},
		{"break around dropped", "a\n\x01 b", "a b"},
		{"only breaks", "\n\t\r\n", ""},
		{"arabic lines", "رصيد\nغير كاف", "رصيد غير كاف"},
	}, common...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := append([]struct{ name, in, want string }{
		{"newline kept", "a\nb", "a\nb"},
		{"crlf", "a\r\nb\r\n", "a\nb\n"},
		{"lone cr", "a\rb", "a\nb"},
		{"vt ff nel separators", "a\vb\fc\u0085d\u2028e\u2029f", "a\nb\nc\nd\ne\nf"},
		{"tab", "1.\tOpen", "1. Open"},
		{"blank lines kept", "a\n\nb", "a\n\nb"},
		{"spaces kept", " indented ", " indented "},
		{"escape across lines", "one\x1b]0;t\nstill title\x07\ntwo", "one\ntwo"},
		{"colour per line", "\x1b[1mHow to use\x1b[0m\nOpen the app", "How to use\nOpen the app"},
	}, common...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsBidiControl(t *testing.T) {
	tests := []struct {
		r    rune
		want bool
	}{
		{0x202a, true}, {0x202b, true}, {0x202c, true}, {0x202d, true}, {0x202e, true},
		{0x2066, true}, {0x2067, true}, {0x2068, true}, {0x2069, true},
		{0x200e, true}, {0x200f, true}, {0x061c, true},
		{0x2029, false}, {0x202f, false}, {0x2065, false}, {0x206a, false},
		{0x200c, false}, {0x200d, false}, {0x061b, false}, {0x0627, false}, {'a', false},
	}
	for _, tt := range tests {
		if got := IsBidiControl(tt.r); got != tt.want {
			t.Errorf("IsBidiControl(%U) = %v, want %v", tt.r, got, tt.want)
		}
	}
}

// TestCleanInputComesBackUnchanged checks the fast path returns the very
// string, and the slow path agrees with it.
func TestCleanInputComesBackUnchanged(t *testing.T) {
	for _, s := range []string{"iTunes 50", "بطاقة ايتونز", "a\u200db", "PIN: 1234-5678"} {
		if !isClean(s, false) || !isClean(s, true) {
			t.Errorf("isClean(%q) = false", s)
		}
		if got := clean(s, false); got != s {
			t.Errorf("clean(%q, line) = %q", s, got)
		}
		if got := clean(s, true); got != s {
			t.Errorf("clean(%q, text) = %q", s, got)
		}
	}
}

// checkSafe fails when out holds anything a terminal would act on.
func checkSafe(t *testing.T, fn, in, out string, multi bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%s(%q) = %q: not UTF-8", fn, in, out)
	}
	for _, r := range out {
		switch {
		case r == '\n' && multi:
		case unicode.IsControl(r):
			t.Fatalf("%s(%q) = %q: control %U", fn, in, out, r)
		case IsBidiControl(r):
			t.Fatalf("%s(%q) = %q: bidi control %U", fn, in, out, r)
		case r == 0x2028 || r == 0x2029:
			t.Fatalf("%s(%q) = %q: line separator %U", fn, in, out, r)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, tt := range common {
		f.Add(tt.in)
	}
	for _, s := range []string{
		"\x1b]0;…\x07\x1b[2J", "\x1b[38;2;255;0;0mred", "\x1bP1$r0m\x1b\\", "\x1b]1337;File=:AAAA\x07",
		"\x1b[6n", "\x1b[21t", "\x1b]10;?\x07", "\x1bZ", "\u009b6n", "\x9b6n",
		"line1\r\nline2\rline3", "\t\t", " \n ", "a\x1b", "\x1b[", "\x1b]", "\x1bP", "\xc2", "\xc2\x9c",
		"\u202eرصيد\u202c", "\u2067\u0627\u2069",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		line, text := Line(in), Text(in)
		checkSafe(t, "Line", in, line, false)
		checkSafe(t, "Text", in, text, true)
		if strings.ContainsRune(line, '\n') {
			t.Fatalf("Line(%q) = %q: has a line break", in, line)
		}
		if line != strings.TrimSpace(line) {
			t.Fatalf("Line(%q) = %q: not trimmed", in, line)
		}
		if again := Line(line); again != line {
			t.Fatalf("Line not idempotent: %q → %q → %q", in, line, again)
		}
		if again := Text(text); again != text {
			t.Fatalf("Text not idempotent: %q → %q → %q", in, text, again)
		}
		if plain(in) && line != strings.TrimSpace(in) {
			t.Fatalf("Line(%q) = %q: plain text changed", in, line)
		}
	})
}

// plain reports text with nothing to remove: valid UTF-8 without controls,
// bidi controls or line separators. Line must give it back only trimmed.
func plain(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || IsBidiControl(r) || r == 0x2028 || r == 0x2029 {
			return false
		}
	}
	return true
}

func BenchmarkLine(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"ascii", "iTunes Gift Card 50 SAR"},
		{"arabic", "بطاقة ايتونز امريكي 10 دولار"},
		{"escapes", "\x1b]0;hacked\x07\x1b[2J\x1b[31mInsufficient balance\x1b[0m"},
		{"multiline", "Open the App Store,\ntap your photo,\r\nchoose Redeem"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Line(bc.in)
			}
		})
	}
}
