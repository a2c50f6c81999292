package qrtext

import (
	"strings"
	"testing"
)

func TestRenderShape(t *testing.T) {
	url := "https://qr.sandbox.test/esim/ABCD-1234"
	out, err := Render(url)
	if err != nil {
		t.Fatal(err)
	}
	w, h, _ := Size(url)
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Fatalf("%d lines, Size says %d", len(lines), h)
	}
	for i, l := range lines {
		if n := len([]rune(l)); n != w {
			t.Fatalf("line %d is %d cells, want %d", i, n, w)
		}
	}
	// The three finder patterns make the top-left corner solid ink.
	if !strings.HasPrefix(lines[1], "  ███████") && !strings.HasPrefix(lines[1], "  █▀▀▀▀▀█") {
		t.Errorf("no finder pattern at top left:\n%s", out)
	}
	if w > 45 || h > 23 {
		t.Errorf("QR for a short URL is %dx%d: too big for 80x24", w, h)
	}
	other, _ := Render(url + "x")
	if other == out {
		t.Error("different content gave the same drawing")
	}
}
