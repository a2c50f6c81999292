package screens_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"kiosk/i18n"
)

// notText are string literals with letters that the clerk never reads as
// words of the interface, each with the reason. Everything else with a
// letter in it goes through the translations (i18n/messages.go).
var notText = map[string]string{
	"amount":                           "the amount input's field name, never shown",
	"qrcode":                           "a provider's voucher field name",
	"qrcodeUrl":                        "a provider's voucher field name",
	"lpa":                              "a provider's voucher field name",
	"LPA:":                             "the eSIM activation code's prefix (GSMA SGP.22)",
	"eod-":                             "the CSV file's name",
	".csv":                             "the CSV file's name",
	"state.":                           "a translation key's prefix",
	"role.":                            "a translation key's prefix",
	"extra.":                           "a translation key's prefix",
	"SAR":                              "a currency code",
	"alt+%d %s":                        "a key name and a product's name",
	"supervisor":                       "the name recorded as who closed the day when no clerks are set up (a journal value, not a word of the interface)",
	"the end of day":                   "audit record detail: the audit stays in one language",
	"quit the kiosk":                   "audit record detail: the audit stays in one language",
	"the day changed before the close": "a sentinel error, never shown: the screen says eod.close_changed",
	"reprint #%d of sale %s":           "audit record detail: the audit stays in one language",
	"show the PINs of sale %s":         "audit record detail: the audit stays in one language",
	"mark sale %s sold":                "audit record detail: the audit stays in one language",
	"mark sale %s not sold":            "audit record detail: the audit stays in one language",
	"%s/%s":                            "a product key",
}

// verbRE matches fmt verbs, which are not words.
var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\*|\d+)?(\.(\*|\d+))?[a-zA-Z%]`)

// TestNoUntranslatedText fails on a string literal with a word in it, in
// the screens or the root, that does not go through the translations: a
// literal is allowed only as a translation key (c.T, c.Plural), a key name
// (key.WithKeys, key.WithHelp's key), a value compared against (==, !=,
// case), or on the notText list.
func TestNoUntranslatedText(t *testing.T) {
	var found []string
	for _, dir := range []string{".", "../ui"} {
		found = append(found, untranslated(t, dir)...)
	}
	sort.Strings(found)
	for _, f := range found {
		t.Error(f)
	}
	if len(found) > 0 {
		t.Errorf("%d literal(s) bypass the translations: move each into i18n/messages.go (English and Arabic) and show it with c.T", len(found))
	}
}

func untranslated(t *testing.T, dir string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []string
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		allowed := allowedLiterals(f)
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || allowed[lit] {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("%s: %v", fset.Position(lit.Pos()), err)
			}
			if _, ok := notText[s]; ok || isKey(s) || !hasWord(s) {
				return true
			}
			out = append(out, fset.Position(lit.Pos()).String()+": "+lit.Value)
			return true
		})
	}
	return out
}

// isKey reports whether s is a translation key (a plural one by its base).
func isKey(s string) bool { return i18n.Has(i18n.EN, s) || i18n.Has(i18n.EN, s+".other") }

// hasWord reports whether s has a letter outside fmt verbs.
func hasWord(s string) bool {
	for _, r := range verbRE.ReplaceAllString(s, "") {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// allowedLiterals finds the literals in places that are not text for the
// clerk: imports, translation keys, key names, compared values.
func allowedLiterals(f *ast.File) map[*ast.BasicLit]bool {
	ok := map[*ast.BasicLit]bool{}
	allow := func(e ast.Expr) {
		if lit, isLit := e.(*ast.BasicLit); isLit {
			ok[lit] = true
		}
	}
	for _, imp := range f.Imports {
		ok[imp.Path] = true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			switch callName(n) {
			case "T", "Plural", "WithKeys", "SetKeys":
				if callName(n) == "WithKeys" || callName(n) == "SetKeys" {
					for _, a := range n.Args {
						allow(a)
					}
				} else if len(n.Args) > 0 {
					allow(n.Args[0])
				}
			case "WithHelp", "SetHelp":
				if len(n.Args) > 0 {
					allow(n.Args[0])
				}
			}
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				allow(n.X)
				allow(n.Y)
			}
		case *ast.CaseClause:
			for _, e := range n.List {
				allow(e)
			}
		}
		return true
	})
	return ok
}

// callName is the called function's or method's name.
func callName(c *ast.CallExpr) string {
	switch fn := c.Fun.(type) {
	case *ast.Ident:
		return fn.Name
	case *ast.SelectorExpr:
		return fn.Sel.Name
	}
	return ""
}

// TestLiteralChecker: what the check above flags and what it lets through.
func TestLiteralChecker(t *testing.T) {
	tests := []struct {
		code    string
		flagged bool
	}{
		{`ui.Status("Printed.", false)`, true},
		{`kv(s, "Price", x)`, true},
		{`fmt.Sprintf("%s old", x)`, true},
		{`fmt.Sprintf("%dm", n)`, true}, // a unit after a verb is a word
		{`c.T("result.printed")`, false},
		{`c.Plural("recovery.open", n)`, false},
		{`x := "result.printed"`, false}, // a translation key held for later
		{`key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", c.T("key.refresh")))`, false},
		{`key.WithHelp("enter", "sell")`, true},
		{`k.String() == "left"`, false},
		{`fmt.Sprintf("%s %-16s %4s", a, b, c)`, false},
		{`b.WriteString(" · " + x + "\n")`, false},
		{`strings.HasPrefix(c, "LPA:")`, false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			dir := t.TempDir()
			src := "package p\n\nfunc f() {\n\t" + tt.code + "\n}\n"
			if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			if got := untranslated(t, dir); (len(got) > 0) != tt.flagged {
				t.Errorf("flagged %v, want flagged %v", got, tt.flagged)
			}
		})
	}
}
