package e2e

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// escposListener is a network receipt printer on loopback: it answers
// every paper status request (DLE EOT 4) with "paper present" and keeps
// the bytes of each job.
func escposListener(t *testing.T) (addr string, jobs <-chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	out := make(chan []byte, 4)
	status := []byte{0x10, 0x04, 0x04}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(20 * time.Second))
				var job []byte
				buf := make([]byte, 64<<10)
				for {
					n, err := c.Read(buf)
					job = append(job, buf[:n]...)
					for bytes.HasSuffix(job, status) {
						c.Write([]byte{0x12})
						job = job[:len(job)-len(status)]
					}
					if err != nil {
						break
					}
				}
				out <- job
			}()
		}
	}()
	return ln.Addr().String(), out
}

// TestJournalPrintSendsArabicAsAnImage: `kiosk journal print` of a sale
// printed in Arabic sends the ESC/POS printer a raster image (GS v 0) and
// not one byte of UTF-8 Arabic, which most thermal printers cannot show.
func TestJournalPrintSendsArabicAsAnImage(t *testing.T) {
	addr, jobs := escposListener(t)
	k := &cliKiosk{bin: buildKiosk(t), data: t.TempDir()}
	k.config = filepath.Join(t.TempDir(), "kiosk.toml")
	text := "[ui]\nlanguage = \"ar\"\n[journal]\npath = \"" + filepath.Join(k.data, "journal.db") + "\"\nkey_file = \"" +
		filepath.Join(k.data, "journal.key") + "\"\n[printer]\ntarget = \"tcp:" + addr + "\"\npaper = \"58\"\n"
	if err := os.WriteFile(k.config, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	out := k.must(t, "", "sell", "--provider", "bitaqaty", "--product", "2862", "--yes")
	ref := strings.Trim(between(out, `"ref": `, ","), `"`)
	if len(ref) != 16 {
		t.Fatalf("no reference in the sale's output:\n%s", out)
	}
	k.must(t, "", "journal", "print", ref)
	var job []byte
	select {
	case job = <-jobs:
	case <-time.After(20 * time.Second):
		t.Fatal("the printer got no job")
	}
	if !bytes.Contains(job, []byte{0x1d, 'v', '0'}) {
		t.Fatalf("no raster image (GS v 0) in the %d-byte job", len(job))
	}
	for i := 0; i < len(job); {
		r, size := utf8.DecodeRune(job[i:])
		if size > 1 && r >= 0x0600 && r <= 0x06FF {
			t.Fatalf("raw UTF-8 Arabic (%q) at byte %d of the job", r, i)
		}
		i += size
	}
}
