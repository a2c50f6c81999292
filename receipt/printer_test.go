package receipt

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/providers"
)

func build(t *testing.T, p Paper, vs ...providers.Voucher) *Receipt {
	t.Helper()
	r, err := Build(voucherSale(vs...), info(p))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const lpa = "LPA:1$smdp.sandbox.test$K2-1ABCD-EFGH23"

func qrVoucher() providers.Voucher {
	return providers.Voucher{PIN: "https://qr.sandbox.test/esim/ABCD-1234", IsQR: true, Serial: "8966", Extra: map[string]string{"qrcode": lpa}}
}

// TestFilePrinter: a receipt file keeps PINs masked (the journal keeps
// them encrypted; a file beside it must not undo that), unless the
// configuration says reveal_pins.
func TestFilePrinter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "receipts.txt")
	p := FilePrinter(path)
	first, second := build(t, Paper58), build(t, Paper80, qrVoucher())
	for _, r := range []*Receipt{first, second} {
		if err := p.Print(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := first.MaskedText() + "\n" + second.MaskedText() + "\n"; string(got) != want {
		t.Errorf("file holds:\n%s\nwant:\n%s", got, want)
	}
	if bytes.ContainsAny(got, "\x1b\x1d") {
		t.Error("ESC/POS commands in a text file")
	}
	if strings.Contains(string(got), "XK4M-7P2Q-9R3T-5V8W") || strings.Contains(string(got), "█▀▀▀▀▀█") || !strings.Contains(string(got), "V8W") {
		t.Errorf("a masked file shows the PIN or its QR code:\n%s", got)
	}
	revealed := filepath.Join(t.TempDir(), "revealed.txt")
	if err := RevealingFilePrinter(revealed).Print(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(revealed); !strings.Contains(string(b), "XK4M-7P2Q-9R3T-5V8W") {
		t.Errorf("reveal_pins file lacks the PIN:\n%s", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("receipt file mode %v, want 0600 (it holds PINs)", fi.Mode().Perm())
	}

	missing := filepath.Join(t.TempDir(), "no-such-dir", "r.txt")
	err = FilePrinter(missing).Print(context.Background(), first)
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("file in a missing directory: %v", err)
	}
}

func TestParseTarget(t *testing.T) {
	good := []struct {
		in   string
		want Printer
	}{
		{"file:/var/lib/kiosk/receipts.txt", filePrinter{path: "/var/lib/kiosk/receipts.txt"}},
		{"device:/dev/usb/lp0", devicePrinter{"/dev/usb/lp0"}},
		{"tcp:192.168.1.50:9100", networkPrinter{"192.168.1.50:9100"}},
		{" tcp:192.168.1.50 ", networkPrinter{"192.168.1.50:9100"}},
		{"tcp:printer.shop.lan:9101", networkPrinter{"printer.shop.lan:9101"}},
		{"tcp:[fe80::1]:9100", networkPrinter{"[fe80::1]:9100"}},
	}
	for _, g := range good {
		p, err := ParseTarget(g.in)
		if err != nil || p != g.want {
			t.Errorf("ParseTarget(%q) = %#v, %v; want %#v", g.in, p, err, g.want)
		}
	}
	bad := []struct{ in, says string }{
		{"", "no kind"},
		{"/dev/usb/lp0", "no kind"},
		{"lpt1:", "unknown kind"},
		{"http://192.168.1.50:9100", "unknown kind"},
		{"usb:/dev/usb/lp0", "unknown kind"},
		{"file:", "no path"},
		{"file:receipts.txt", "absolute"},
		{"device:", "no path"},
		{"device:lp0", "absolute"},
		{"tcp:", "no host"},
		{"tcp::9100", "no host"},
		{"tcp:192.168.1.50:printer", "bad port"},
		{"tcp:192.168.1.50:0", "bad port"},
		{"tcp:192.168.1.50:70000", "bad port"},
		{"tcp:fe80::1:9100:x", "too many colons"},
	}
	for _, b := range bad {
		p, err := ParseTarget(b.in)
		if err == nil {
			t.Errorf("ParseTarget(%q) accepted: %#v", b.in, p)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, b.says) || !strings.Contains(msg, "want file:PATH, device:PATH or tcp:HOST:PORT") {
			t.Errorf("ParseTarget(%q): %q should say %q and what is wanted", b.in, msg, b.says)
		}
	}
}

// fakePrinter is an ESC/POS network printer on loopback: it answers the
// paper status request before the job and the one after it with status
// (or stays silent when status is 0) and hands over the job: every byte
// received between the two requests.
func fakePrinter(t *testing.T, status byte) (addr string, got <-chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ch := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			ch <- nil
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		req := make([]byte, len(cmdStatus))
		if _, err := io.ReadFull(c, req); err != nil || !bytes.Equal(req, cmdStatus) {
			t.Errorf("first bytes %q, want the status request DLE EOT 4", req)
		}
		if status != 0 {
			c.Write([]byte{status})
		}
		var data []byte
		buf := make([]byte, 64<<10)
		confirmed := false
		for {
			n, err := c.Read(buf)
			data = append(data, buf[:n]...)
			if !confirmed && bytes.HasSuffix(data, cmdStatus) {
				confirmed = true
				if status != 0 {
					c.Write([]byte{status})
				}
			}
			if err != nil {
				break
			}
		}
		ch <- bytes.TrimSuffix(data, cmdStatus)
	}()
	return ln.Addr().String(), ch
}

func TestNetworkPrinter(t *testing.T) {
	addr, got := fakePrinter(t, 0x12) // status: paper present
	r := build(t, Paper80, qrVoucher(), providers.Voucher{Serial: "2", PIN: "XK4M-7P2Q-9R3T-5V8W"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := NetworkPrinter(addr).Print(ctx, r); err != nil {
		t.Fatal(err)
	}
	data := <-got
	if !bytes.HasPrefix(data, []byte("\x1b@")) {
		t.Errorf("job does not start with ESC @: %q", data[:min(len(data), 16)])
	}
	if !bytes.Contains(data, []byte("XK4M-7P2Q-9R3T-5V8W")) || !bytes.Contains(data, []byte("Al Noor Mobile")) {
		t.Error("PIN or shop name missing")
	}
	n := len(lpa) + 3
	store := append([]byte{0x1d, '(', 'k', byte(n), byte(n >> 8), '1', 'P', '0'}, lpa...)
	for name, cmd := range map[string][]byte{
		"model 2":    {0x1d, '(', 'k', 4, 0, '1', 'A', '2', 0},
		"size 6":     {0x1d, '(', 'k', 3, 0, '1', 'C', 6},
		"level M":    {0x1d, '(', 'k', 3, 0, '1', 'E', '1'},
		"store data": store,
		"print":      {0x1d, '(', 'k', 3, 0, '1', 'Q', '0'},
	} {
		if !bytes.Contains(data, cmd) {
			t.Errorf("no QR %s command % x", name, cmd)
		}
	}
	if bytes.Contains(data, []byte("█")) {
		t.Error("the QR is drawn in text blocks as well as natively")
	}
	if !bytes.HasSuffix(data, []byte("\x1dV\x01")) {
		t.Errorf("job does not end with the cut GS V: %q", data[max(0, len(data)-8):])
	}
}

// A printer that never answers a status request still gets the receipt,
// but the print is not confirmed: the kiosk does not say "Printed".
func TestNetworkPrinterSilentStatus(t *testing.T) {
	shortWaits(t)
	addr, got := fakePrinter(t, 0) // a printer that does not answer DLE EOT
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := NetworkPrinter(addr).Print(ctx, build(t, Paper58)); !errors.Is(err, ErrNotConfirmed) ||
		!strings.Contains(err.Error(), "did not confirm") {
		t.Fatalf("print to a silent printer: %v, want not confirmed", err)
	}
	if data := <-got; !bytes.HasPrefix(data, cmdInit) || !bytes.Contains(data, []byte("XK4M-7P2Q-9R3T-5V8W")) {
		t.Errorf("silent printer did not get the receipt: %q", data)
	}
}

// A printer that accepts the connection and never reads takes a small
// receipt into the kernel's buffers without an error: only the missing
// status answer after the job tells, and the print is not confirmed.
func TestNetworkPrinterAcceptsAndNeverReads(t *testing.T) {
	shortWaits(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	held := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			held <- c // accepted, never read
		}
	}()
	defer func() {
		select {
		case c := <-held:
			c.Close()
		default:
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := NetworkPrinter(ln.Addr().String()).Print(ctx, build(t, Paper58)); !errors.Is(err, ErrNotConfirmed) {
		t.Fatalf("print to a printer that never reads: %v, want not confirmed", err)
	}
}

// A printer that runs out of paper during the job says so after it.
func TestNetworkPrinterPaperOutAfterTheJob(t *testing.T) {
	shortWaits(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		var data []byte
		buf := make([]byte, 64<<10)
		answers := [][]byte{{0x12}, {0x12 | 0x60}} // paper before, none after
		for len(answers) > 0 {
			n, err := c.Read(buf)
			data = append(data, buf[:n]...)
			if bytes.HasSuffix(data, cmdStatus) {
				c.Write(answers[0])
				answers, data = answers[1:], nil
			}
			if err != nil {
				return
			}
		}
		io.Copy(io.Discard, c)
	}()
	err = NetworkPrinter(ln.Addr().String()).Print(context.Background(), build(t, Paper58))
	if !errors.Is(err, ErrOutOfPaper) || !strings.Contains(err.Error(), "during the receipt") {
		t.Fatalf("got %v, want out of paper during the receipt", err)
	}
}

func shortWaits(t *testing.T) {
	oldStatus, oldConfirm := statusWait, confirmWait
	statusWait, confirmWait = 100*time.Millisecond, 300*time.Millisecond
	t.Cleanup(func() { statusWait, confirmWait = oldStatus, oldConfirm })
}

func TestNetworkPrinterOutOfPaper(t *testing.T) {
	addr, got := fakePrinter(t, 0x12|0x60) // paper end sensor set
	err := NetworkPrinter(addr).Print(context.Background(), build(t, Paper58))
	if !errors.Is(err, ErrOutOfPaper) || !strings.Contains(err.Error(), "printer at "+addr) || !strings.Contains(err.Error(), "out of paper") {
		t.Fatalf("got %v, want out of paper naming the printer", err)
	}
	if data := <-got; len(data) != 0 {
		t.Errorf("printed %d bytes to a printer with no paper", len(data))
	}
}

func TestNetworkPrinterClosedPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	err = NetworkPrinter(addr).Print(ctx, build(t, Paper58))
	if !errors.Is(err, ErrOffline) || !strings.HasPrefix(err.Error(), "printer at "+addr+" is not answering: ") {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v to report a refused connection", d)
	}
}

func TestNetworkPrinterNeverReads(t *testing.T) {
	shortWaits(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	held := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			held <- c // accepted, never read: a jammed printer
		}
	}()
	defer func() {
		select {
		case c := <-held:
			c.Close()
		default:
		}
	}()
	// More than the kernel buffers on both ends hold (the sender's grows to
	// net.ipv4.tcp_wmem's 4 MB; the receiver's stays small when never
	// read), so the write blocks.
	r := &Receipt{Width: 48, Paper: Paper80}
	for range 8 << 20 / 48 {
		r.lines = append(r.lines, line{text: strings.Repeat("x", 47)})
	}
	const limit = 800 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	start := time.Now()
	err = NetworkPrinter(ln.Addr().String()).Print(ctx, r)
	d := time.Since(start)
	t.Logf("returned after %v: %v", d, err)
	if d > limit+500*time.Millisecond {
		t.Errorf("took %v with a %v deadline", d, limit)
	}
	if !errors.Is(err, ErrOffline) || !strings.Contains(err.Error(), "is not answering") {
		t.Errorf("got %v, want not answering", err)
	}
}

func TestNetworkPrinterCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			defer c.Close()
			time.Sleep(3 * time.Second)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	r := &Receipt{Width: 48, Paper: Paper80}
	for range 8 << 20 / 48 {
		r.lines = append(r.lines, line{text: strings.Repeat("x", 47)})
	}
	start := time.Now()
	err = NetworkPrinter(ln.Addr().String()).Print(ctx, r)
	if !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Errorf("cancelled print: %v after %v", err, time.Since(start))
	}
}

func TestDevicePrinter(t *testing.T) {
	dir := t.TempDir()
	dev := filepath.Join(dir, "lp0")
	if err := os.WriteFile(dev, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := build(t, Paper58, qrVoucher())
	if err := DevicePrinter(dev).Print(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(dev)
	if !bytes.Equal(data, escpos(r)) || !bytes.HasPrefix(data, cmdInit) || !bytes.Contains(data, []byte("1P0"+lpa)) {
		t.Errorf("device got %q", data)
	}

	missing := filepath.Join(dir, "lp9")
	err := DevicePrinter(missing).Print(context.Background(), r)
	if err == nil || !strings.Contains(err.Error(), "printer device "+missing+" does not exist") {
		t.Errorf("missing device: %v", err)
	}
	if _, statErr := os.Stat(missing); statErr == nil {
		t.Error("printing to a missing device created a file")
	}
	if err := DevicePrinter(dir).Print(context.Background(), r); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("a directory as device: %v", err)
	}
	if os.Geteuid() != 0 { // root may write anything
		ro := filepath.Join(dir, "ro")
		os.WriteFile(ro, nil, 0o400)
		if err := DevicePrinter(ro).Print(context.Background(), r); err == nil || !strings.Contains(err.Error(), "is not writable") {
			t.Errorf("read-only device: %v", err)
		}
	}
}
