package i18n

import "strings"

// Shaping for terminals that neither reorder nor join Arabic (ui.bidi =
// "app"): such a terminal draws each letter in its isolated form, which no
// reader accepts, so the app replaces every Arabic letter by the
// presentation form its neighbours call for (Unicode's Arabic
// Presentation Forms-B, and Forms-A for the Persian letters), lam-alef by
// its ligature, before the line is put in display order. The receipt's
// raster does real shaping with go-text/typesetting; a character cell
// terminal only needs the forms.

// joining is a letter's Arabic joining type (Unicode's ArabicShaping.txt).
type joining uint8

const (
	joinNone        joining = iota // U: joins neither side (hamza, digits, Latin, space)
	joinRight                      // R: joins the letter before it only (alef, dal, reh, waw…)
	joinDual                       // D: joins both sides (beh, seen, lam…)
	joinCausing                    // C: makes its neighbours join (tatweel, ZWJ)
	joinTransparent                // T: skipped when looking for neighbours (harakat)
)

// forms are a letter's isolated, final, initial and medial presentation
// forms; a right-joining letter has no initial or medial form (0).
type forms struct{ iso, fin, ini, med rune }

// arabicForms maps each letter to its forms. Its joining type follows
// from them: with an initial form it joins both sides, else the right.
var arabicForms = map[rune]forms{
	0x0621: {0xFE80, 0, 0, 0}, // hamza: joins neither side
	0x0622: {0xFE81, 0xFE82, 0, 0},
	0x0623: {0xFE83, 0xFE84, 0, 0},
	0x0624: {0xFE85, 0xFE86, 0, 0},
	0x0625: {0xFE87, 0xFE88, 0, 0},
	0x0626: {0xFE89, 0xFE8A, 0xFE8B, 0xFE8C},
	0x0627: {0xFE8D, 0xFE8E, 0, 0},
	0x0628: {0xFE8F, 0xFE90, 0xFE91, 0xFE92},
	0x0629: {0xFE93, 0xFE94, 0, 0},
	0x062A: {0xFE95, 0xFE96, 0xFE97, 0xFE98},
	0x062B: {0xFE99, 0xFE9A, 0xFE9B, 0xFE9C},
	0x062C: {0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0},
	0x062D: {0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4},
	0x062E: {0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8},
	0x062F: {0xFEA9, 0xFEAA, 0, 0},
	0x0630: {0xFEAB, 0xFEAC, 0, 0},
	0x0631: {0xFEAD, 0xFEAE, 0, 0},
	0x0632: {0xFEAF, 0xFEB0, 0, 0},
	0x0633: {0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4},
	0x0634: {0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8},
	0x0635: {0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC},
	0x0636: {0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0},
	0x0637: {0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4},
	0x0638: {0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8},
	0x0639: {0xFEC9, 0xFECA, 0xFECB, 0xFECC},
	0x063A: {0xFECD, 0xFECE, 0xFECF, 0xFED0},
	0x0641: {0xFED1, 0xFED2, 0xFED3, 0xFED4},
	0x0642: {0xFED5, 0xFED6, 0xFED7, 0xFED8},
	0x0643: {0xFED9, 0xFEDA, 0xFEDB, 0xFEDC},
	0x0644: {0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0},
	0x0645: {0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4},
	0x0646: {0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8},
	0x0647: {0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC},
	0x0648: {0xFEED, 0xFEEE, 0, 0},
	0x0649: {0xFEEF, 0xFEF0, 0xFBE8, 0xFBE9}, // alef maksura joins both sides; its joined forms are in Forms-A
	0x064A: {0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4},
	// Persian and Urdu letters shop names use (Forms-A).
	0x0671: {0xFB50, 0xFB51, 0, 0},
	0x067E: {0xFB56, 0xFB57, 0xFB58, 0xFB59},
	0x0686: {0xFB7A, 0xFB7B, 0xFB7C, 0xFB7D},
	0x0698: {0xFB8A, 0xFB8B, 0, 0},
	0x06A9: {0xFB8E, 0xFB8F, 0xFB90, 0xFB91},
	0x06AF: {0xFB92, 0xFB93, 0xFB94, 0xFB95},
	0x06CC: {0xFBFC, 0xFBFD, 0xFBFE, 0xFBFF},
}

// lamAlef are the ligatures of lam with each alef: isolated and final.
var lamAlef = map[rune][2]rune{
	0x0622: {0xFEF5, 0xFEF6}, // lam + alef with madda
	0x0623: {0xFEF7, 0xFEF8}, // lam + alef with hamza above
	0x0625: {0xFEF9, 0xFEFA}, // lam + alef with hamza below
	0x0627: {0xFEFB, 0xFEFC}, // lam + alef
}

const lam = 0x0644

func joiningOf(r rune) joining {
	if f, ok := arabicForms[r]; ok {
		switch {
		case f.ini != 0:
			return joinDual
		case f.fin != 0:
			return joinRight
		}
		return joinNone
	}
	switch {
	case r == 0x0640 || r == 0x200D: // tatweel, zero width joiner
		return joinCausing
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r >= 0x06D6 && r <= 0x06DC, r >= 0x06DF && r <= 0x06E4,
		r == 0x06E7, r == 0x06E8, r >= 0x06EA && r <= 0x06ED:
		return joinTransparent
	}
	return joinNone
}

// Shape is s with every Arabic letter in the presentation form its place
// in the word calls for, and lam followed by alef as one ligature, for a
// terminal that draws characters as it gets them. s is in logical order
// (as typed and stored); put the result in display order afterwards
// (Display does both). Text without Arabic letters is returned as it is.
// A lam-alef ligature takes one cell where the two letters took two.
func Shape(s string) string {
	if !hasArabicLetter(s) {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		f, ok := arabicForms[r]
		if !ok {
			b.WriteRune(r)
			continue
		}
		joinsBefore := joinsForward(prevLetter(rs, i))
		if r == lam {
			if j := nextIndex(rs, i); j >= 0 {
				if lig, ok := lamAlef[rs[j]]; ok {
					if joinsBefore {
						b.WriteRune(lig[1])
					} else {
						b.WriteRune(lig[0])
					}
					// Marks on the lam come after the ligature: the
					// terminal puts them on the one cell there is.
					for _, m := range rs[i+1 : j] {
						b.WriteRune(m)
					}
					i = j
					continue
				}
			}
		}
		joinsAfter := f.ini != 0 && joinsBackward(nextLetter(rs, i))
		b.WriteRune(formFor(f, joinsBefore && f.fin != 0, joinsAfter))
	}
	return b.String()
}

// formFor picks the form of a letter that joins the letter before it
// (before) and the one after it (after).
func formFor(f forms, before, after bool) rune {
	switch {
	case before && after:
		return f.med
	case before:
		return f.fin
	case after:
		return f.ini
	}
	return f.iso
}

// joinsForward reports whether a letter joins the one after it.
func joinsForward(r rune) bool {
	j := joiningOf(r)
	return j == joinDual || j == joinCausing
}

// joinsBackward reports whether a letter joins the one before it.
func joinsBackward(r rune) bool {
	j := joiningOf(r)
	return j == joinDual || j == joinRight || j == joinCausing
}

// prevLetter is the character before rs[i], passing over harakat; 0 at
// the start.
func prevLetter(rs []rune, i int) rune {
	for k := i - 1; k >= 0; k-- {
		if joiningOf(rs[k]) != joinTransparent {
			return rs[k]
		}
	}
	return 0
}

// nextIndex is the index of the character after rs[i], passing over
// harakat; -1 at the end.
func nextIndex(rs []rune, i int) int {
	for k := i + 1; k < len(rs); k++ {
		if joiningOf(rs[k]) != joinTransparent {
			return k
		}
	}
	return -1
}

func nextLetter(rs []rune, i int) rune {
	if j := nextIndex(rs, i); j >= 0 {
		return rs[j]
	}
	return 0
}

func hasArabicLetter(s string) bool {
	for _, r := range s {
		if _, ok := arabicForms[r]; ok {
			return true
		}
	}
	return false
}
