package backup

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/storage"
)

// The seller: this test binary run again as another process that holds
// the journal, serves backups as the kiosk does, and sells until its
// standard input closes, printing each reference once its sale is
// committed.
const childEnv = "KIOSK_BACKUP_TEST_SELLER"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(seller(path))
	}
	os.Exit(m.Run())
}

func testSealer() *storage.Sealer {
	s, err := storage.NewSealer(bytes.Repeat([]byte{5}, storage.KeySize))
	if err != nil {
		panic(err)
	}
	return s
}

func saleRecord(at time.Time) *storage.SaleRecord {
	return &storage.SaleRecord{Terminal: "T7", Provider: "bitaqaty", State: "prepared", Open: true, Created: at,
		Product: storage.ProductRecord{ID: "2862", Name: "iTunes 50 SAR"}}
}

func seller(path string) int {
	j, err := storage.Open(path, storage.Options{Terminal: 7, Sealer: testSealer()})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer j.Close()
	srv, err := Serve(j, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer srv.Close()
	stop := make(chan struct{})
	go func() { _, _ = bufio.NewReader(os.Stdin).ReadString('\n'); close(stop) }()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return 0
		default:
		}
		r := saleRecord(clock.Start.Add(time.Duration(i) * time.Second))
		if err := j.Prepare(r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if _, err := j.UpdateSale(r.Ref, func(s *storage.SaleRecord) error {
			s.State, s.Open = "succeeded", false
			s.Vouchers = []storage.VoucherRecord{{PIN: "PIN-" + s.Ref}}
			return nil
		}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(r.Ref) // committed
	}
}

// TestBackupWhileAnotherProcessSells: the copy asked of a kiosk process
// that keeps selling opens, passes bbolt's check, and holds every sale
// that process had committed before the backup began.
func TestBackupWhileAnotherProcessSells(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "journal.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	must(t, err)
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	must(t, cmd.Start())
	refs := make(chan string, 1<<16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			refs <- sc.Text()
		}
		close(refs)
	}()
	var before []string
	for len(before) < 50 {
		ref, ok := <-refs
		if !ok {
			t.Fatalf("the seller stopped: %s", stderr.String())
		}
		before = append(before, ref)
	}
	for drained := false; !drained; { // every reference printed so far was committed before the backup begins
		select {
		case ref := <-refs:
			before = append(before, ref)
		default:
			drained = true
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m, byKiosk, err := Take(ctx, path, 7, out)
	if err != nil {
		t.Fatal(err)
	}
	after := 0
	for range 20 { // it was still selling after the backup
		if _, ok := <-refs; ok {
			after++
		}
	}
	_ = stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("seller: %v: %s", err, stderr.String())
	}
	if !byKiosk || after == 0 {
		t.Fatalf("backup written by the kiosk process: %v; sales after it: %d", byKiosk, after)
	}
	copyPath := filepath.Join(out, m.File)
	b, err := storage.Open(copyPath, storage.Options{ReadOnly: true, Terminal: 7, Sealer: testSealer()})
	if err != nil {
		t.Fatalf("the copy does not open: %v", err)
	}
	defer b.Close()
	if problems, err := b.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("the copy fails bbolt's check: %v %v", err, problems)
	}
	for _, ref := range before {
		s, err := b.Sale(ref)
		if err != nil || len(s.Vouchers) != 1 || s.Vouchers[0].PIN != "PIN-"+ref {
			t.Fatalf("sale %s, committed before the backup began: %+v %v", ref, s.Vouchers, err)
		}
	}
	if m.Sales < len(before) {
		t.Errorf("manifest counts %d sales; %d were committed before", m.Sales, len(before))
	}
	if _, err := os.Stat(SocketPath(path)); err == nil {
		t.Error("the socket is left after the kiosk closed")
	}
}

// TestBackupWhenNoKioskRuns: with no kiosk holding the journal (and a
// socket left by one that died), the command opens the journal read-only
// and copies it; not a byte of the journal changes.
func TestBackupWhenNoKioskRuns(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "journal.db")
	j, err := storage.Open(path, storage.Options{Terminal: 7, Sealer: testSealer()})
	must(t, err)
	must(t, j.Prepare(saleRecord(clock.Start)))
	must(t, j.Close())
	must(t, os.WriteFile(SocketPath(path), nil, 0o600)) // a stale socket file
	before := sum(t, path)
	m, byKiosk, err := Take(context.Background(), path, 7, out)
	if err != nil || byKiosk || m.Sales != 1 {
		t.Fatalf("backup: %+v by kiosk %v: %v", m, byKiosk, err)
	}
	if sum(t, path) != before {
		t.Error("the journal changed")
	}
}

// TestServerRefusesWhatIsNotABackup: the socket answers only a backup
// into an absolute directory.
func TestServerRefusesWhatIsNotABackup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.db")
	j, err := storage.Open(path, storage.Options{Terminal: 7, Sealer: testSealer()})
	must(t, err)
	defer j.Close()
	srv, err := Serve(j, nil)
	must(t, err)
	defer srv.Close()
	for _, dir := range []string{"relative/dir", ""} {
		if _, err := Ask(context.Background(), path, dir); err == nil || errors.Is(err, ErrNoKiosk) {
			t.Errorf("backup into %q: %v", dir, err)
		}
	}
	missing := filepath.Join(t.TempDir(), "missing")
	if _, err := Ask(context.Background(), path, missing); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("backup into a missing directory: %v", err)
	}
}

// TestAfterClose: closing the day backs up with the Z number in the name
// and keeps only the newest copies; a failed backup is an error for the
// caller to show, naming the Z-report.
func TestAfterClose(t *testing.T) {
	out := t.TempDir()
	c := clock.NewFake(clock.Start)
	j, err := storage.Open(filepath.Join(t.TempDir(), "journal.db"), storage.Options{Terminal: 7, Sealer: testSealer(), Now: c.Now})
	must(t, err)
	defer j.Close()
	after := AfterClose(j, out, 2, nil)
	for z := uint64(1); z <= 4; z++ {
		must(t, j.Prepare(saleRecord(c.Now())))
		note, err := after(z)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(note, fmt.Sprintf("-Z%04d-", z)) || (z > 2) != strings.Contains(note, "1 older removed") {
			t.Errorf("Z %d: %s", z, note)
		}
		c.Advance(24 * time.Hour)
	}
	left, _ := storage.ListBackups(out, 7)
	if len(left) != 2 || !strings.Contains(left[0], "-Z0003-") || !strings.Contains(left[1], "-Z0004-") {
		t.Errorf("left %v, want Z 3 and 4", left)
	}
	bad := AfterClose(j, filepath.Join(out, "missing"), 2, nil)
	if _, err := bad(5); err == nil || !strings.Contains(err.Error(), "Z-report 5 is closed, but the journal was not backed up") {
		t.Errorf("failed backup after close: %v", err)
	}
}

func sum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	return sha256.Sum256(b)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
