// Package qrtext draws QR codes with text characters: two modules per
// character cell using half blocks, so a QR fits a terminal or a receipt.
package qrtext

import (
	"fmt"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// Render returns content as a QR code of half-block characters, dark
// modules drawn as ink, with the quiet zone the standard asks for (trimmed
// to two modules to save space, which phone readers accept).
func Render(content string) (string, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	const quiet = 2
	n := len(bits) + 2*quiet
	at := func(r, c int) bool {
		r, c = r-quiet, c-quiet
		return r >= 0 && c >= 0 && r < len(bits) && c < len(bits) && bits[r][c]
	}
	var b strings.Builder
	for r := 0; r < n; r += 2 {
		for c := 0; c < n; c++ {
			top, bottom := at(r, c), at(r+1, c)
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteRune(' ')
			}
		}
		if r+2 < n {
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}

// Size is the width and height in cells Render will use for content.
func Size(content string) (w, h int, err error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return 0, 0, err
	}
	q.DisableBorder = true
	n := len(q.Bitmap()) + 4
	return n, (n + 1) / 2, nil
}
