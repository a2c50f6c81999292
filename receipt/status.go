package receipt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Readiness says whether a printer could print now, without printing a
// thing: a network printer is asked its roll paper status (DLE EOT 4,
// answered even while it is stopped); a device file must exist and be
// writable; a receipt file's directory must be writable. The text says
// what was found; the error what to fix. Silence from a network printer
// is no error (not every printer answers status), and the text says so.
func Readiness(ctx context.Context, p Printer) (string, error) {
	ctx, cancel := bounded(ctx)
	defer cancel()
	switch p := p.(type) {
	case networkPrinter:
		return p.readiness(ctx)
	case devicePrinter:
		if err := syscall.Access(p.path, 2); err != nil { // W_OK
			if errors.Is(err, os.ErrNotExist) {
				return "", &printError{msg: fmt.Sprintf("printer device %s does not exist (is the printer plugged in and on?)", p.path), kind: ErrOffline, err: err}
			}
			return "", fmt.Errorf("printer device %s is not writable (the kiosk's user needs write access, often the lp group): %w", p.path, err)
		}
		return fmt.Sprintf("printer device %s is there and writable (a device file tells no paper status)", p.path), nil
	case filePrinter:
		dir := filepath.Dir(p.path)
		if err := syscall.Access(dir, 2|1); err != nil { // W_OK|X_OK
			return "", fmt.Errorf("receipt file %s: its directory cannot be written: %w", p.path, err)
		}
		return fmt.Sprintf("receipts go to the file %s", p.path), nil
	}
	return "", fmt.Errorf("printer %T: its readiness cannot be checked", p)
}

func (p networkPrinter) readiness(ctx context.Context) (string, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return "", &printError{msg: fmt.Sprintf("printer at %s is not answering", p.addr), kind: ErrOffline, err: err}
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(earliest(deadline, time.Now().Add(2*time.Second)))
	if _, err := conn.Write(cmdStatus); err != nil {
		return "", &printError{msg: fmt.Sprintf("printer at %s is not answering", p.addr), kind: ErrOffline, err: err}
	}
	var b [1]byte
	if _, err := io.ReadFull(conn, b[:]); err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return fmt.Sprintf("printer at %s is on, but did not answer the paper status request (DLE EOT 4)", p.addr), nil
		}
		return "", &printError{msg: fmt.Sprintf("printer at %s closed the connection", p.addr), kind: ErrOffline, err: err}
	}
	if paperOut(b[0]) {
		return "", &printError{msg: fmt.Sprintf("printer at %s: %s", p.addr, ErrOutOfPaper), kind: ErrOutOfPaper}
	}
	return fmt.Sprintf("printer at %s answered: paper in", p.addr), nil
}
