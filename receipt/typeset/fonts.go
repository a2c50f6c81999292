package typeset

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/go-text/typesetting/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
)

// The fonts are part of the program so that a receipt looks the same on
// every kiosk, whatever fonts its system has (usually none).
//
// Noto Naskh Arabic 2.019 (SIL Open Font License 1.1, fonts/OFL.txt) is
// from github.com/notofonts/arabic; Go Mono (BSD licence) comes with
// golang.org/x/image. Go Mono is monospaced, so a Latin line keeps the
// columns of the text receipt, and it tells 0 from O and 1 from l, which
// matters for PINs copied by hand.
var (
	//go:embed fonts/NotoNaskhArabic-Regular.ttf
	naskhRegular []byte
	//go:embed fonts/NotoNaskhArabic-Bold.ttf
	naskhBold []byte
)

// faces is one weight: a Latin face and an Arabic face.
type faces struct {
	latin, arabic *font.Face
}

func parse(name string, data []byte) (*font.Face, error) {
	f, err := font.ParseTTF(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("embedded font %s: %w", name, err)
	}
	return f, nil
}

// loadFaces parses the embedded fonts: regular, then bold.
func loadFaces() (regular, bold faces, err error) {
	all := []struct {
		name string
		data []byte
		to   **font.Face
	}{
		{"Go Mono", gomono.TTF, &regular.latin},
		{"Noto Naskh Arabic", naskhRegular, &regular.arabic},
		{"Go Mono Bold", gomonobold.TTF, &bold.latin},
		{"Noto Naskh Arabic Bold", naskhBold, &bold.arabic},
	}
	for _, f := range all {
		if *f.to, err = parse(f.name, f.data); err != nil {
			return faces{}, faces{}, err
		}
	}
	return regular, bold, nil
}
