package gcwindow

import (
	"runtime/debug"
	"testing"
)

func TestOpenRaisesAndCloseRestores(t *testing.T) {
	orig := debug.SetGCPercent(150)
	defer debug.SetGCPercent(orig)

	if Close() {
		t.Fatal("Close before Open said the window was open")
	}
	Open()
	Open() // a second Open keeps the first's "before"
	if got := debug.SetGCPercent(Percent); got != Percent {
		t.Fatalf("GC percent in the window = %d, want %d", got, Percent)
	}
	if !Close() {
		t.Fatal("Close after Open said the window was shut")
	}
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("GC percent after Close = %d, want the 150 set before Open", got)
	}
	if Close() {
		t.Fatal("a second Close said the window was open")
	}
}
