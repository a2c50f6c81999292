package i18n

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// cps writes presentation forms by code point, so each test says which
// form it expects of every letter.
func cps(rs ...rune) string { return string(rs) }

func TestShape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// ب initial, ط medial, ا final (alef joins only the letter before
		// it), ق initial again, ة final.
		{"card", "بطاقة", cps(0xFE91, 0xFEC4, 0xFE8E, 0xFED7, 0xFE94)},
		{"lam-alef alone", "لا", cps(0xFEFB)},
		// lam-alef after a letter that joins forward is the final ligature.
		{"salam", "سلام", cps(0xFEB3, 0xFEFC, 0xFEE1)},
		// After alef (which does not join forward) lam-alef with hamza
		// below stands alone; lam before yeh is initial.
		{"total", "الإجمالي", cps(0xFE8D, 0xFEF9, 0xFE9F, 0xFEE4, 0xFE8E, 0xFEDF, 0xFEF2)},
		{"lam-alef with madda", "الآن", cps(0xFE8D, 0xFEF5, 0xFEE5)},
		{"lam-alef with hamza above", "سلأ", cps(0xFEB3, 0xFEF8)},
		{"sale", "عملية", cps(0xFECB, 0xFEE4, 0xFEE0, 0xFEF4, 0xFE94)},
		{"muhammad", "محمد", cps(0xFEE3, 0xFEA4, 0xFEE4, 0xFEAA)},
		// Harakat do not break the joining and stay after their letter.
		{"harakat", "\u0645\u064f\u062d\u064e\u0645\u0651\u064e\u062f", cps(0xFEE3, 0x064F, 0xFEA4, 0x064E, 0xFEE4, 0x0651, 0x064E, 0xFEAA)},
		// Hamza joins neither side; zay before it is final.
		{"hamza", "جزء", cps(0xFE9F, 0xFEB0, 0xFE80)},
		{"one letter", "و", cps(0xFEED)},
		// Words are shaped apart; Latin, digits and spaces pass through.
		{"mixed", "iTunes بطاقة 50", "iTunes " + cps(0xFE91, 0xFEC4, 0xFE8E, 0xFED7, 0xFE94) + " 50"},
		{"alef maksura joins both sides", "على", cps(0xFECB, 0xFEE0, 0xFEF0)},
		{"tatweel joins", "بـ", cps(0xFE91, 0x0640)},
		{"persian gaf", "گل", cps(0xFB94, 0xFEDE)},
		{"latin", "PIN 1234", "PIN 1234"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		if got := Shape(tt.in); got != tt.want {
			t.Errorf("%s: Shape(%q) = %U, want %U", tt.name, tt.in, []rune(got), []rune(tt.want))
		}
	}
}

// TestShapeKeepsWidth: shaping changes no cell count but lam-alef's, which
// takes one cell for two letters.
func TestShapeKeepsWidth(t *testing.T) {
	for _, s := range []string{"بطاقة آيتونز 50 ريال", "تم البيع ✓", "يدفع العميل", "الإجمالي", "سلام عليكم"} {
		ligatures := 0
		rs := []rune(s)
		for i := 0; i+1 < len(rs); i++ {
			if _, ok := lamAlef[rs[i+1]]; ok && rs[i] == lam {
				ligatures++
			}
		}
		if got, want := ansi.StringWidth(Shape(s)), ansi.StringWidth(s)-ligatures; got != want {
			t.Errorf("%q: %d cells shaped, want %d", s, got, want)
		}
	}
}

// TestShapedStaysRightToLeft: presentation forms are right-to-left
// letters too, so the display order of a shaped line is the same.
func TestShapedStaysRightToLeft(t *testing.T) {
	got := Display(AppReorders, "سلام 50")
	want := "50 " + cps(0xFEE1, 0xFEFC, 0xFEB3)
	if got != want {
		t.Fatalf("Display = %U, want %U", []rune(got), []rune(want))
	}
	if Display(TerminalReorders, "سلام") != "سلام" {
		t.Fatal("a terminal that reorders gets the letters as they are: it joins them itself")
	}
	if s := Shape("بطاقة"); !IsRTL(s) || strings.ContainsAny(s, "بطاقة") {
		t.Fatalf("shaped %U: not right to left, or a base letter left", []rune(s))
	}
}
