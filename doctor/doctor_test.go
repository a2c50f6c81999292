package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/config"
	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/dtone"
	"kiosk/providers/india"
	"kiosk/providers/mor"
	"kiosk/receipt"
	"kiosk/sandboxes"
	"kiosk/secret"
	"kiosk/storage"
)

// sandboxClients are the five providers on the sandboxes (their documents
// only), over one HTTP client whose transport is dates.
func sandboxClients(t *testing.T, set *sandboxes.Set, dates *Dates, edit func(*bitaqaty.Config)) []providers.Provider {
	t.Helper()
	hc := &http.Client{Timeout: 5 * time.Second, Transport: dates}
	bc := sandboxes.BitaqatyConfig(set.BaseURL(bitaqaty.ID), false)
	if edit != nil {
		edit(&bc)
	}
	var out []providers.Provider
	add := func(p providers.Provider, err error) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	add(bitaqaty.New(bc, hc))
	add(alqimah.New(sandboxes.AlQimahConfig(set.BaseURL(alqimah.ID), false), hc))
	add(dtone.New(sandboxes.DTOneConfig(set.BaseURL(dtone.ID), false), hc))
	add(india.New(sandboxes.IndiaConfig(set.BaseURL(india.ID), false), hc))
	add(mor.New(sandboxes.MORConfig(set.BaseURL(mor.ID), false), hc))
	return out
}

func startSandboxes(t *testing.T, c *clock.Fake) *sandboxes.Set {
	t.Helper()
	set, err := sandboxes.Start("127.0.0.1:0", sandboxes.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	return set
}

// TestProvidersHealthy: every provider on its sandbox answers its harmless
// read with the kiosk's clock; MOR and India (as documented), whose documents
// have only the sale, are warnings that say so.
func TestProvidersHealthy(t *testing.T) {
	c := clock.NewFake(clock.Start)
	set := startSandboxes(t, c)
	dates := &Dates{}
	want := map[string]Level{"bitaqaty": OK, "alqimah": OK, "dtone": OK, "india": Warn, "mor": Warn} // India: balance is an extension
	for _, p := range sandboxClients(t, set, dates, nil) {
		l := Provider(context.Background(), p, dates, c.Now)
		if l.Level != want[p.Info().ID] || l.Check != "provider "+p.Info().ID {
			t.Errorf("%s", l)
		}
	}
}

// TestProviderProblems: a wrong password, a provider that is down and a
// clock that is off are each a problem that names what to fix.
func TestProviderProblems(t *testing.T) {
	c := clock.NewFake(clock.Start)
	set := startSandboxes(t, c)
	down, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	downURL := "http://" + down.Addr().String()
	down.Close() // nothing listens there now
	for _, tc := range []struct {
		name string
		edit func(*bitaqaty.Config)
		now  func() time.Time
		want []string
	}{
		{"wrong password", func(b *bitaqaty.Config) { b.SecretKey = secret.New("not-the-secret") }, c.Now,
			[]string{"refused the balance request", "check the credentials in [providers.bitaqaty]"}},
		{"provider down", func(b *bitaqaty.Config) { b.BaseURL = downURL }, c.Now,
			[]string{"not reachable (connection refused)", "providers.bitaqaty.base_url"}},
		{"clock ahead", nil, func() time.Time { return c.Now().Add(10 * time.Minute) },
			[]string{"10m0s ahead of Bitaqaty Business's", "set the time"}},
		{"clock behind", nil, func() time.Time { return c.Now().Add(-3 * time.Minute) }, []string{"3m0s behind"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dates := &Dates{}
			p := sandboxClients(t, set, dates, tc.edit)[0]
			l := Provider(context.Background(), p, dates, tc.now)
			if l.Level != Problem {
				t.Fatalf("%s: %s", tc.name, l)
			}
			for _, w := range tc.want {
				if !strings.Contains(l.Text, w) {
					t.Errorf("%s: %q does not say %q", tc.name, l.Text, w)
				}
			}
			if strings.Contains(l.Text, "not-the-secret") || strings.Contains(l.Text, "SECRET") {
				t.Errorf("the line shows a secret: %s", l.Text)
			}
		})
	}
}

// statusPrinter is a network ESC/POS printer on loopback that answers
// DLE EOT 4 with status (or stays silent when answer is false), and
// records every byte it was sent.
type statusPrinter struct {
	addr string
	mu   sync.Mutex
	got  []byte
}

func newStatusPrinter(t *testing.T, status byte, answer bool) *statusPrinter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &statusPrinter{addr: ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 256)
				for {
					n, err := c.Read(buf)
					p.mu.Lock()
					p.got = append(p.got, buf[:n]...)
					asked := bytes.HasSuffix(p.got, []byte{0x10, 0x04, 4})
					p.mu.Unlock()
					if asked && answer {
						c.Write([]byte{status})
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return p
}

func (p *statusPrinter) received() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]byte(nil), p.got...)
}

// TestPrinter: paper in, paper out, a silent printer, one that is off, and
// a device that does not exist; nothing but the status request is ever
// sent.
func TestPrinter(t *testing.T) {
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedAddr := closed.Addr().String()
	closed.Close()
	for _, tc := range []struct {
		name    string
		printer func(t *testing.T) (receipt.Printer, *statusPrinter)
		level   Level
		want    string
	}{
		{"paper in", func(t *testing.T) (receipt.Printer, *statusPrinter) {
			f := newStatusPrinter(t, 0x12, true)
			return receipt.NetworkPrinter(f.addr), f
		}, OK, "answered: paper in"},
		{"paper out", func(t *testing.T) (receipt.Printer, *statusPrinter) {
			f := newStatusPrinter(t, 0x72, true)
			return receipt.NetworkPrinter(f.addr), f
		}, Problem, "out of paper: load a new roll"},
		{"silent", func(t *testing.T) (receipt.Printer, *statusPrinter) {
			f := newStatusPrinter(t, 0, false)
			return receipt.NetworkPrinter(f.addr), f
		}, Warn, "did not answer the paper status request"},
		{"off", func(*testing.T) (receipt.Printer, *statusPrinter) { return receipt.NetworkPrinter(closedAddr), nil },
			Problem, "is not answering"},
		{"no device", func(t *testing.T) (receipt.Printer, *statusPrinter) {
			return receipt.DevicePrinter(filepath.Join(t.TempDir(), "lp0")), nil
		}, Problem, "does not exist"},
		{"none", func(*testing.T) (receipt.Printer, *statusPrinter) { return nil, nil }, OK, "none configured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, fake := tc.printer(t)
			l := Printer(context.Background(), p)
			if l.Level != tc.level || !strings.Contains(l.Text, tc.want) {
				t.Errorf("%s: %s; want %v saying %q", tc.name, l, tc.level, tc.want)
			}
			if fake != nil {
				if got := fake.received(); !bytes.Equal(got, []byte{0x10, 0x04, 4}) {
					t.Errorf("the printer was sent % x, want only DLE EOT 4", got)
				}
			}
		})
	}
}

// TestKey: the key file must be a plain file of mode 0600 with a key in it.
func TestKey(t *testing.T) {
	good := strings.Repeat("ab", storage.KeySize) + "\n"
	for _, tc := range []struct {
		name  string
		make  func(t *testing.T, path string)
		level Level
		want  string
	}{
		{"0600", func(t *testing.T, p string) { must(t, os.WriteFile(p, []byte(good), 0o600)) }, OK, "mode 0600"},
		{"0644", func(t *testing.T, p string) {
			must(t, os.WriteFile(p, []byte(good), 0o600))
			must(t, os.Chmod(p, 0o644))
		}, Problem, "has mode 0644: run chmod 600"},
		{"symlink", func(t *testing.T, p string) {
			real := p + ".real"
			must(t, os.WriteFile(real, []byte(good), 0o600))
			must(t, os.Symlink(real, p))
		}, Problem, "symbolic link"},
		{"missing", func(*testing.T, string) {}, Problem, "is missing"},
		{"not a key", func(t *testing.T, p string) { must(t, os.WriteFile(p, []byte("hello\n"), 0o600)) }, Problem, "64 hex digits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal.key")
			tc.make(t, path)
			if l := Key(path, ""); l.Level != tc.level || !strings.Contains(l.Text, tc.want) {
				t.Errorf("%s: %s; want %v saying %q", tc.name, l, tc.level, tc.want)
			}
		})
	}
	t.Setenv("KIOSK_DOCTOR_TEST_KEY", good)
	if l := Key("", "KIOSK_DOCTOR_TEST_KEY"); l.Level != OK {
		t.Errorf("key from the environment: %s", l)
	}
	if l := Key("", "KIOSK_DOCTOR_TEST_UNSET"); l.Level != Problem || !strings.Contains(l.Text, "is not set") {
		t.Errorf("key from an unset variable: %s", l)
	}
}

// TestDiskNearlyFull: a journal on a nearly full file system is a
// problem. On a real tmpfs where this user may mount one; the statfs
// seam gives the same numbers otherwise.
func TestDiskNearlyFull(t *testing.T) {
	dir := t.TempDir()
	var statfs Statfs
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir).CombinedOutput(); err == nil {
		t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
		must(t, os.WriteFile(filepath.Join(dir, "filler"), make([]byte, 12<<20), 0o600))
	} else {
		t.Logf("no tmpfs (%v: %s): the statfs seam stands in", err, out)
		statfs = func(_ string, st *syscall.Statfs_t) error {
			st.Bsize, st.Blocks, st.Bavail = 4096, 4096, 1024 // 16 MiB, 4 free
			return nil
		}
	}
	l := Disk(filepath.Join(dir, "kiosk", "journal.db"), statfs) // the journal's directory is not made yet
	if l.Level != Problem || !strings.Contains(l.Text, "nearly full") || !strings.Contains(l.Text, dir) {
		t.Errorf("nearly full disk: %s", l)
	}
	roomy := func(_ string, st *syscall.Statfs_t) error {
		st.Bsize, st.Blocks, st.Bavail = 4096, 1<<28, 1<<24 // 1 TiB, 64 GiB free (6%)
		return nil
	}
	if l := Disk(filepath.Join(dir, "journal.db"), roomy); l.Level != OK {
		t.Errorf("roomy disk: %s", l)
	}
	if l := Disk(filepath.Join(dir, "journal.db"), func(string, *syscall.Statfs_t) error { return errors.New("EIO") }); l.Level != Problem {
		t.Errorf("statfs failed: %s", l)
	}
}

// TestJournal: a sound journal, a damaged one, one the kiosk holds, and none yet.
func TestJournal(t *testing.T) {
	sealer, _ := storage.NewSealer(bytes.Repeat([]byte{3}, storage.KeySize))
	mk := func(t *testing.T) string {
		p := filepath.Join(t.TempDir(), "journal.db")
		j, err := storage.Open(p, storage.Options{Terminal: 7, Sealer: sealer})
		must(t, err)
		must(t, j.Prepare(&storage.SaleRecord{Provider: "bitaqaty", State: "prepared", Open: true, Created: clock.Start,
			Product: storage.ProductRecord{ID: "2862"}}))
		must(t, j.Close())
		return p
	}
	for _, tc := range []struct {
		name  string
		path  func(t *testing.T) string
		level Level
		want  string
	}{
		{"sound", mk, OK, fmt.Sprintf("sound (bbolt check of every page), schema %d, 1 sales", storage.SchemaVersion)},
		{"damaged", func(t *testing.T) string {
			p := mk(t)
			f, err := os.OpenFile(p, os.O_RDWR, 0)
			must(t, err)
			_, err = f.WriteAt([]byte{0xff, 0xff}, 40)
			must(t, err)
			must(t, f.Close())
			return p
		}, Problem, "damaged"},
		{"held", func(t *testing.T) string {
			p := mk(t)
			j, err := storage.Open(p, storage.Options{Terminal: 7, Sealer: sealer})
			must(t, err)
			t.Cleanup(func() { j.Close() })
			return p
		}, Warn, "in use by the running kiosk"},
		{"none yet", func(t *testing.T) string { return filepath.Join(t.TempDir(), "journal.db") }, OK, "does not exist yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.path(t)
			before, _ := os.ReadFile(p)
			l := Journal(p, 7)
			if l.Level != tc.level || !strings.Contains(l.Text, tc.want) {
				t.Errorf("%s: %s; want %v saying %q", tc.name, l, tc.level, tc.want)
			}
			if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
				t.Error("the doctor changed the journal")
			}
		})
	}
}

// TestConfigAndHeadOffice: a configuration error is the config line's
// problem, with its key; no head office configured is fine.
func TestConfigAndHeadOffice(t *testing.T) {
	_, err := config.Parse("k.toml", "[terminal]\nnumber = 1000\n")
	if l := Config("k.toml", err); l.Level != Problem || !strings.Contains(l.Text, "k.toml:2: terminal.number") {
		t.Errorf("bad config: %s", l)
	}
	if l := Config("", nil); l.Level != OK || !strings.Contains(l.Text, "built-in sandboxes") {
		t.Errorf("no config: %s", l)
	}
	if l := HeadOffice(context.Background(), config.HeadOffice{}); l.Level != OK || l.Text != "not configured" {
		t.Errorf("head office: %s", l)
	}
	lines := []Line{{Check: "a", Level: OK}, {Check: "b", Level: Warn}, {Check: "c", Level: Problem}, {Check: "d", Level: Problem}}
	if first, ok := FirstProblem(lines); !ok || first.Check != "c" {
		t.Errorf("first problem %v %v", first, ok)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
