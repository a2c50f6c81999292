package receipt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"kiosk/sale"
)

// Printer prints a receipt. An error means the receipt may not have been
// printed; the caller keeps the sale for a later print.
type Printer interface {
	Print(ctx context.Context, r *Receipt) error
}

// Errors a caller can test with errors.Is to decide what to tell the clerk.
// The errors returned also name the printer and wrap the system's error.
var (
	ErrOffline    = errors.New("printer is not answering")
	ErrOutOfPaper = errors.New("printer is out of paper")
	// ErrNotConfirmed: the printer took the job but did not answer the
	// status request after it, so nothing says it printed.
	ErrNotConfirmed = sale.ErrNotConfirmed
)

// printError reads as one sentence naming the printer and the problem, and
// matches both its kind (ErrOffline, ErrOutOfPaper) and the cause.
type printError struct {
	msg  string
	kind error
	err  error
}

func (e *printError) Error() string {
	if e.err == nil {
		return e.msg
	}
	return e.msg + ": " + e.err.Error()
}
func (e *printError) Unwrap() error        { return e.err }
func (e *printError) Is(target error) bool { return target != nil && target == e.kind }

// defaultTimeout bounds a print whose context has no deadline: a printer
// that never answers must not hold the counter.
const defaultTimeout = 15 * time.Second

func bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, defaultTimeout)
}

// ParseTarget reads a printer target from configuration:
//
//	file:/var/lib/kiosk/receipts.txt   plain text appended to a file
//	device:/dev/usb/lp0                ESC/POS written to a device file
//	tcp:192.168.1.50:9100              ESC/POS to a network printer (port 9100 if left out)
func ParseTarget(s string) (Printer, error) { return parseTarget(s, false) }

// ParseTargetRevealing is ParseTarget for a configuration that keeps PINs
// in full in a receipt file (printer.reveal_pins): the other targets print
// on paper, where the PIN is what the customer takes away.
func ParseTargetRevealing(s string) (Printer, error) { return parseTarget(s, true) }

func parseTarget(s string, revealPINs bool) (Printer, error) {
	bad := func(why string) (Printer, error) {
		return nil, fmt.Errorf("printer target %q: %s (want file:PATH, device:PATH or tcp:HOST:PORT)", s, why)
	}
	kind, rest, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return bad("no kind")
	}
	switch kind {
	case "file", "device":
		if rest == "" {
			return bad("no path")
		}
		if !filepath.IsAbs(rest) {
			// A relative path would depend on where the kiosk was started.
			return bad("the path must be absolute")
		}
		if kind == "file" {
			return filePrinter{path: rest, reveal: revealPINs}, nil
		}
		return DevicePrinter(rest), nil
	case "tcp":
		host, port, err := net.SplitHostPort(rest)
		if err != nil && strings.Contains(err.Error(), "missing port") {
			host, port, err = rest, "9100", nil
		}
		if err != nil {
			return bad(err.Error())
		}
		if host == "" {
			return bad("no host")
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return bad("bad port " + strconv.Quote(port))
		}
		return NetworkPrinter(net.JoinHostPort(host, port)), nil
	}
	return bad("unknown kind " + strconv.Quote(kind))
}

// --- file ---

type filePrinter struct {
	path   string
	reveal bool // PINs in full (printer.reveal_pins); masked otherwise
}

// FilePrinter appends receipts as plain text to a file, with every PIN
// masked (a file beside the journal must not undo its encryption), creating it (mode
// 0600: receipts carry PINs) and syncing it, so a printed receipt survives a
// power cut.
func FilePrinter(path string) Printer { return filePrinter{path: path} }

// RevealingFilePrinter is a FilePrinter that keeps PINs in full: only for
// a file nobody but the owner can read, when the configuration says so
// (printer.reveal_pins).
func RevealingFilePrinter(path string) Printer { return filePrinter{path: path, reveal: true} }

func (p filePrinter) Print(ctx context.Context, r *Receipt) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("receipt file %s: %w", p.path, err)
	}
	// One write, so receipts from two prints never interleave.
	text := r.MaskedText()
	if p.reveal {
		text = r.Text()
	}
	_, err = f.WriteString(text + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("receipt file %s: %w", p.path, err)
	}
	return nil
}

// --- device ---

type devicePrinter struct{ path string }

// DevicePrinter writes ESC/POS to a printer's device file (/dev/usb/lp0).
func DevicePrinter(path string) Printer { return devicePrinter{path} }

func (p devicePrinter) Print(ctx context.Context, r *Receipt) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx, cancel := bounded(ctx)
	defer cancel()
	data, err := encode(r)
	if err != nil {
		return fmt.Errorf("printer device %s: %w", p.path, err)
	}
	// A device file can block in open (a FIFO) or write (a printer that is
	// off) with no deadline the runtime can set, so the write runs apart and
	// the caller stops waiting at the deadline.
	done := make(chan error, 1)
	go func() { done <- p.write(data) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return &printError{
			msg:  fmt.Sprintf("printer device %s is not answering (the receipt may still print when it wakes)", p.path),
			kind: ErrOffline, err: ctx.Err(),
		}
	}
}

func (p devicePrinter) write(data []byte) error {
	// No O_CREATE: a mistyped device path must fail, not fill a new file.
	f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_APPEND, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &printError{msg: fmt.Sprintf("printer device %s does not exist (is the printer plugged in and on?)", p.path), kind: ErrOffline, err: err}
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("printer device %s is not writable (the kiosk's user needs write access, often the lp group): %w", p.path, err)
	case err != nil:
		return fmt.Errorf("printer device %s cannot be opened: %w", p.path, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		// Linux's usblp driver answers a write with ENOSPC when the printer
		// reports paper end.
		return &printError{msg: fmt.Sprintf("printer device %s: %s", p.path, ErrOutOfPaper), kind: ErrOutOfPaper, err: err}
	case err != nil:
		return &printError{msg: fmt.Sprintf("printer device %s failed while printing", p.path), kind: ErrOffline, err: err}
	}
	return nil
}

// --- network ---

type networkPrinter struct{ addr string }

// NetworkPrinter sends ESC/POS to a printer's raw TCP port (9100). Dialling
// and writing stop at the context's deadline (15 s when it has none).
func NetworkPrinter(addr string) Printer { return networkPrinter{addr} }

// statusWait is how long a printer has to answer the paper status request
// before the job. Printers that do not implement it stay silent; they are
// printed to anyway.
var statusWait = 500 * time.Millisecond

// confirmWait is how long a printer has to answer the status request sent
// after the job. A printer answers it only once it has read the job up to
// it, so silence means the job may be sitting unread in a buffer: the print
// is reported not confirmed, and the receipt stays for a later print.
var confirmWait = 3 * time.Second

func (p networkPrinter) Print(ctx context.Context, r *Receipt) error {
	ctx, cancel := bounded(ctx)
	defer cancel()
	offline := func(err error) error {
		if errors.Is(ctx.Err(), context.Canceled) {
			err = ctx.Err() // the caller gave up; the printer is not to blame
		}
		return &printError{msg: fmt.Sprintf("printer at %s is not answering", p.addr), kind: ErrOffline, err: err}
	}
	data, err := encode(r)
	if err != nil {
		return fmt.Errorf("printer at %s: %w", p.addr, err)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return offline(err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetWriteDeadline(deadline)
	// Cancelling the context interrupts a blocked read or write at once.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	// readFor sets a short read deadline; checking ctx after setting it
	// means a cancel that fired just before is not undone.
	readFor := func(wait time.Duration) error {
		conn.SetReadDeadline(earliest(deadline, time.Now().Add(wait)))
		return ctx.Err()
	}

	if err := readFor(statusWait); err != nil {
		return offline(err)
	}
	if _, out, err := paperStatus(conn); err != nil {
		return offline(err)
	} else if out {
		return &printError{msg: fmt.Sprintf("printer at %s: %s", p.addr, ErrOutOfPaper), kind: ErrOutOfPaper}
	}
	if _, err := conn.Write(data); err != nil {
		return offline(err)
	}
	if err := readFor(confirmWait); err != nil {
		return offline(err)
	}
	switch answered, out, err := paperStatus(conn); {
	case err != nil:
		return offline(err)
	case !answered:
		return &printError{msg: fmt.Sprintf("printer at %s took the receipt but did not confirm it (no status answer after the job): "+
			"check it printed; the receipt stays in the journal for a later print", p.addr), kind: ErrNotConfirmed}
	case out:
		return &printError{msg: fmt.Sprintf("printer at %s ran out of paper during the receipt: reprint it", p.addr), kind: ErrOutOfPaper}
	}
	// Half-close and read to the end before closing: closing with unread
	// bytes (a late status answer) makes the kernel reset the connection,
	// which can drop the end of the receipt still in flight.
	if tc, ok := conn.(*net.TCPConn); ok {
		if err := tc.CloseWrite(); err != nil {
			return offline(err)
		}
		if readFor(statusWait) == nil {
			io.Copy(io.Discard, conn)
		}
	}
	return nil
}

// paperStatus asks for the roll paper sensor status (DLE EOT 4, a real-time
// command the printer answers even while it is stopped). Silence until the
// read deadline is not an error (answered is false): not every printer
// answers.
func paperStatus(conn net.Conn) (answered, out bool, err error) {
	if _, err := conn.Write(cmdStatus); err != nil {
		return false, false, err
	}
	var b [1]byte
	if _, err := io.ReadFull(conn, b[:]); err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return false, false, nil
		}
		return false, false, err
	}
	return true, paperOut(b[0]), nil
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}
