//go:build unix

package receipt

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO nobody reads blocks in open, like a printer that is switched off
// blocks its device: the print must still end at the deadline.
func TestDevicePrinterBlocked(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "lp0")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFO:", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := DevicePrinter(fifo).Print(ctx, build(t, Paper58))
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v with a 300ms deadline", d)
	}
	if !errors.Is(err, ErrOffline) || !strings.Contains(err.Error(), "printer device "+fifo+" is not answering") {
		t.Errorf("got %v", err)
	}
	// Let the abandoned write finish so the test leaves no goroutine behind.
	if f, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
		time.Sleep(50 * time.Millisecond)
		f.Close()
	}
}
