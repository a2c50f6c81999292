package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// colourNames are lipgloss's and image/color's ways of naming a colour.
var colourNames = map[string]bool{
	"Black": true, "Red": true, "Green": true, "Yellow": true, "Blue": true, "Magenta": true, "Cyan": true, "White": true,
	"BrightBlack": true, "BrightRed": true, "BrightGreen": true, "BrightYellow": true, "BrightBlue": true,
	"BrightMagenta": true, "BrightCyan": true, "BrightWhite": true,
	"Color": true, "ANSIColor": true, "RGBA": true, "NRGBA": true, "Gray": true,
}

// TestColoursOnlyInTheTheme: the root and the screens take every colour
// from the theme (theme.go), so one file says how the kiosk looks.
func TestColoursOnlyInTheTheme(t *testing.T) {
	var paths []string
	for _, dir := range []string{".", "../screens"} {
		ps, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, ps...)
	}
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") || filepath.Base(path) == "theme.go" {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && (pkg.Name == "lipgloss" || pkg.Name == "color") && colourNames[sel.Sel.Name] {
				t.Errorf("%s: %s.%s: take the colour from the theme", fset.Position(sel.Pos()), pkg.Name, sel.Sel.Name)
			}
			return true
		})
	}
}
