package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/clock"
)

// openClocked opens a journal of terminal 7 on a fake clock.
func openClocked(t *testing.T, path string, key []byte, c *clock.Fake) *Journal {
	t.Helper()
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	j, err := Open(path, Options{Sealer: s, Terminal: 7, Timeout: 200 * time.Millisecond, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// sellRecord prepares a sale and settles it sold with a PIN, as the core would.
func sellRecord(t *testing.T, j *Journal, at time.Time, pin string) string {
	t.Helper()
	s := newSale()
	s.Created = at
	if err := j.Prepare(s); err != nil {
		t.Fatal(err)
	}
	if _, err := setState(j, s.Ref, "succeeded", false, func(r *SaleRecord) {
		r.Vouchers, r.Updated = []VoucherRecord{{Serial: "S-" + pin, PIN: pin}}, at.Add(time.Second)
	}); err != nil {
		t.Fatal(err)
	}
	return s.Ref
}

// TestBackupBesideTheWriter: a backup taken while the same process keeps
// selling opens, passes bbolt's check, holds every sale committed before
// it began, and its manifest tells the truth about it. The key is not in it.
func TestBackupBesideTheWriter(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	c := clock.NewFake(clock.Start)
	j := openClocked(t, filepath.Join(dir, "journal.db"), testKey(), c)
	defer j.Close()
	var before []string
	for i := range 20 {
		before = append(before, sellRecord(t, j, clock.Start.Add(time.Duration(i)*time.Minute), fmt.Sprintf("PIN%03d", i)))
	}
	stop := make(chan struct{})
	var sold atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the counter goes on selling while the copy is written
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			s := newSale()
			if err := j.Prepare(s); err != nil {
				t.Error(err)
				return
			}
			sold.Add(1)
		}
	}()
	for sold.Load() < 5 { // the writer is under way before the backup begins
		time.Sleep(time.Millisecond)
	}
	m, err := j.Backup(out, BackupOptions{})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(out, m.File)
	raw, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != m.SHA256 || int64(len(raw)) != m.Size {
		t.Errorf("manifest says sha256 %s size %d; the copy is %x, %d bytes", m.SHA256, m.Size, sum, len(raw))
	}
	key := testKey()
	if bytes.Contains(raw, key) || bytes.Contains(raw, []byte(hex.EncodeToString(key))) {
		t.Error("the journal key is in the backup")
	}
	b, err := Open(copyPath, Options{ReadOnly: true, Terminal: 7, Sealer: testSealer(t)})
	if err != nil {
		t.Fatalf("the copy does not open: %v", err)
	}
	defer b.Close()
	if problems, err := b.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("the copy fails its check: %v %v", err, problems)
	}
	for i, ref := range before {
		r, err := b.Sale(ref)
		if err != nil {
			t.Fatalf("sale %s committed before the backup is not in it: %v", ref, err)
		}
		if len(r.Vouchers) != 1 || r.Vouchers[0].PIN != fmt.Sprintf("PIN%03d", i) {
			t.Errorf("sale %s: PINs %+v (%s)", ref, r.Vouchers, r.VoucherErr)
		}
	}
	n, _ := b.CountSales()
	if m.Sales != n || m.Sequence != uint64(n) || m.Sales < len(before)+5 {
		t.Errorf("manifest: %d sales, sequence %d; the copy holds %d (at least %d were committed before)", m.Sales, m.Sequence, n, len(before)+5)
	}
	if m.Schema != SchemaVersion || m.Epoch == "" || m.Terminal != 7 || !m.Created.Equal(clock.Start.UTC()) {
		t.Errorf("manifest: %+v", m)
	}
	last, _ := b.Recent(1, time.Time{})
	if len(last) != 1 || m.LastRef != last[0].Ref {
		t.Errorf("manifest last ref %s, the copy's newest sale %v", m.LastRef, last)
	}
	want := "kiosk-T007-20261124T070000Z-" + m.LastRef + ".db"
	if m.File != want {
		t.Errorf("backup named %s, want %s", m.File, want)
	}
	got, err := ReadManifest(copyPath)
	if err != nil || got != m {
		t.Errorf("manifest on disk %+v, %v; returned %+v", got, err, m)
	}
	assertNoTemp(t, out)
}

// assertNoTemp fails when a temporary file of a backup or restore is left.
func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("a temporary file is left: %s", e.Name())
		}
	}
}

// mountTmpfs mounts a tmpfs of size bytes (read-only when ro) for the
// test, or skips when this user cannot mount.
func mountTmpfs(t *testing.T, size int, ro bool) string {
	t.Helper()
	dir := t.TempDir()
	opts := fmt.Sprintf("size=%d", size)
	if ro {
		opts += ",ro"
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s)", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	return dir
}

// TestBackupToABadDirectory: a directory that is missing, read-only or
// full gets one clear line; the journal is not touched and no partial
// file is left.
func TestBackupToABadDirectory(t *testing.T) {
	path := journalWithSales(t, 300) // a copy of some 100 KiB
	j := openTest(t, path, testKey())
	defer j.Close()
	before := fileSum(t, path)
	for _, tc := range []struct {
		name string
		dir  func(t *testing.T) string
		want string
	}{
		{"missing", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope") }, "does not exist"},
		{"a file", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "f")
			must(t, os.WriteFile(p, nil, 0o600))
			return p
		}, "is not a directory"},
		{"read-only", func(t *testing.T) string {
			if os.Getuid() != 0 {
				d := t.TempDir()
				must(t, os.Chmod(d, 0o500))
				return d
			}
			return mountTmpfs(t, 1<<20, true)
		}, ""},
		{"full", func(t *testing.T) string { return mountTmpfs(t, 64<<10, false) }, "is full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir(t)
			_, err := j.Backup(dir, BackupOptions{})
			want := tc.want
			if want == "" { // read-only: the file system's word or the permissions'
				want = map[bool]string{true: "read-only file system", false: "cannot be written"}[os.Getuid() == 0]
			}
			if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("backup to %s dir: %v, want one line saying %q", tc.name, err, want)
			}
			if fileSum(t, path) != before {
				t.Fatal("the journal changed")
			}
			if st, err := os.Stat(dir); err == nil && st.IsDir() {
				if ents, _ := os.ReadDir(dir); len(ents) > 0 {
					t.Errorf("files left in the %s dir: %v", tc.name, ents)
				}
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestPruneKeepsTheNewest: closing the day keeps the newest copies of this
// terminal and removes the older ones with their manifests; other
// terminals' copies and other files stay.
func TestPruneKeepsTheNewest(t *testing.T) {
	out := t.TempDir()
	c := clock.NewFake(clock.Start)
	j := openClocked(t, filepath.Join(t.TempDir(), "journal.db"), testKey(), c)
	defer j.Close()
	var made []string
	for z := uint64(1); z <= 5; z++ {
		sellRecord(t, j, c.Now(), "P")
		m, err := j.Backup(out, BackupOptions{Z: z})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.File, fmt.Sprintf("-Z%04d-", z)) {
			t.Errorf("backup after Z %d named %s", z, m.File)
		}
		made = append(made, m.File)
		c.Advance(24 * time.Hour)
	}
	others := []string{"kiosk-T008-20200101T000000Z-0080000000000001.db", "notes.txt"}
	for _, o := range others {
		must(t, os.WriteFile(filepath.Join(out, o), []byte("x"), 0o600))
	}
	for _, tc := range []struct {
		keep    int
		removed []string
	}{{7, nil}, {3, made[:2]}, {3, nil}, {1, made[2:4]}} {
		removed, err := PruneBackups(out, 7, tc.keep)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(removed, ",") != strings.Join(tc.removed, ",") {
			t.Errorf("keep %d removed %v, want %v", tc.keep, removed, tc.removed)
		}
	}
	left, _ := ListBackups(out, 7)
	if len(left) != 1 || left[0] != made[4] {
		t.Errorf("left %v, want only the newest %s", left, made[4])
	}
	for _, f := range append(others, ManifestName(made[4])) {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s was removed: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ManifestName(made[0]))); err == nil {
		t.Error("the manifest of a removed copy is left")
	}
}

// TestRestoreCarriesTheReplacedJournalsSales: restoring an older copy
// keeps the replaced journal beside it, carries over the sales made after
// the backup as they were (their PINs too), moves the sequence past the
// replaced journal's, and a sale prepared afterwards gets a new reference.
func TestRestoreCarriesTheReplacedJournalsSales(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "journal.db")
	c := clock.NewFake(clock.Start)
	j := openClocked(t, path, testKey(), c)
	a := sellRecord(t, j, c.Now(), "PIN-A")
	open := newSale()
	open.Created = c.Now()
	must(t, j.Prepare(open)) // open in the copy, settled after the backup
	m, err := j.Backup(out, BackupOptions{})
	must(t, err)
	c.Advance(time.Hour)
	b := sellRecord(t, j, c.Now(), "PIN-B")
	_, err = setState(j, open.Ref, "succeeded", false, func(r *SaleRecord) {
		r.Vouchers, r.Updated = []VoucherRecord{{PIN: "PIN-OPEN"}}, c.Now()
	})
	must(t, err)
	oldSeq, _ := j.CountSales()
	must(t, j.Close())

	c.Advance(time.Hour)
	res, err := Restore(RestoreOptions{Copy: filepath.Join(out, m.File), Journal: path, Terminal: 7, TerminalID: "T7",
		Sealer: testSealer(t), Now: c.Now, By: "sara", Outbox: true,
		Lost: func(time.Time) ([]LostSale, error) {
			t.Fatal("the log was read though the replaced journal is readable")
			return nil, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.FromReplaced, ","); got != open.Ref+","+b || len(res.FromLog) != 0 {
		t.Errorf("carried %v from the replaced journal and %v from the log; want %s,%s", res.FromReplaced, res.FromLog, open.Ref, b)
	}
	if res.Sequence != uint64(oldSeq) || res.CopySales != 2 || !res.BackupTime.Equal(m.Created) {
		t.Errorf("result %+v; the replaced journal's sequence %d", res, oldSeq)
	}
	if want := path + ".replaced-20261124T090000Z"; res.Replaced != want {
		t.Errorf("replaced journal kept as %q, want %q", res.Replaced, want)
	} else if kept := openTest(t, res.Replaced, testKey()); kept != nil {
		if n, _ := kept.CountSales(); n != oldSeq {
			t.Errorf("the kept journal holds %d sales, want %d", n, oldSeq)
		}
		kept.Close()
	}
	if ob, err := Open(path, Options{ReadOnly: true, Terminal: 7, Outbox: true}); err != nil {
		t.Fatal(err)
	} else {
		items, err := ob.OutboxPending(100)
		queued := map[string]bool{}
		for _, it := range items {
			if it.Sale != nil {
				queued[it.Sale.Ref] = true
			}
		}
		if err != nil || !queued[b] || !queued[open.Ref] {
			t.Errorf("head office's outbox after the restore: %v (%v); want the carried sales %s, %s", queued, err, b, open.Ref)
		}
		ob.Close()
	}
	r := openClocked(t, path, testKey(), c)
	defer r.Close()
	for ref, pin := range map[string]string{a: "PIN-A", b: "PIN-B", open.Ref: "PIN-OPEN"} {
		s, err := r.Sale(ref)
		if err != nil || len(s.Vouchers) != 1 || s.Vouchers[0].PIN != pin || s.State != "succeeded" {
			t.Errorf("restored sale %s: %+v %v, want succeeded with %s", ref, s.Vouchers, err, pin)
		}
	}
	if opens, _ := r.OpenSales(); len(opens) != 0 {
		t.Errorf("open sales after the restore: %d", len(opens))
	}
	at, err := r.RestoredAt()
	if err != nil || !at.Equal(c.Now().UTC().Truncate(time.Second)) {
		t.Errorf("restored_at %v %v", at, err)
	}
	next := newSale()
	must(t, r.Prepare(next))
	for _, ref := range []string{a, b, open.Ref} {
		if next.Ref == ref {
			t.Fatalf("the restored journal reused reference %s", ref)
		}
	}
	if next.Ref[9:] != fmt.Sprintf("%07d", oldSeq+1) {
		t.Errorf("next reference %s: the sequence did not move past the replaced journal's %d", next.Ref, oldSeq)
	}
	log, _ := r.AuditLog()
	if len(log) == 0 || log[len(log)-1].Action != "restored journal" || log[len(log)-1].Who != "sara" {
		t.Errorf("audit: %+v", log)
	}
	assertNoTemp(t, dir)
}

// TestRestoreFromTheLog: when the replaced journal cannot be read, the
// sales the support log knows of after the backup are added in doubt,
// for the provider to be asked; other terminals' references and sales the
// copy holds are not.
func TestRestoreFromTheLog(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "journal.db")
	c := clock.NewFake(clock.Start)
	j := openClocked(t, path, testKey(), c)
	a := sellRecord(t, j, c.Now(), "PIN-A")
	m, err := j.Backup(out, BackupOptions{})
	must(t, err)
	must(t, j.Close())
	flipByte(t, path, 16) // meta page 0: the replaced journal is damaged
	lostAt := clock.Start.Add(30 * time.Minute)
	var asked time.Time
	res, err := Restore(RestoreOptions{Copy: filepath.Join(out, m.File), Journal: path, Terminal: 7, TerminalID: "T7",
		Sealer: testSealer(t), Now: c.Now, By: "sara",
		Lost: func(since time.Time) ([]LostSale, error) {
			asked = since
			return []LostSale{
				{Ref: a, Provider: "bitaqaty", Product: "2862", State: "succeeded", First: clock.Start},
				{Ref: "0071234560000042", Provider: "alqimah", Product: "topup", State: "in_doubt", First: lostAt},
				{Ref: "0071234560000043", Provider: "bitaqaty", Product: "2862", State: "succeeded", First: lostAt.Add(time.Minute)},
				{Ref: "0081234560000099", Provider: "alqimah", Product: "topup", State: "succeeded", First: lostAt},
			}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if !asked.Equal(m.Created.Add(-time.Minute)) {
		t.Errorf("the log was read since %v, want a minute before the backup (%v)", asked, m.Created)
	}
	if strings.Join(res.FromLog, ",") != "0071234560000042,0071234560000043" || !strings.Contains(res.ReplacedErr, "damaged") {
		t.Fatalf("result %+v", res)
	}
	if res.Sequence != 43 {
		t.Errorf("sequence %d, want past the logged sales' 43", res.Sequence)
	}
	r := openClocked(t, path, testKey(), c)
	defer r.Close()
	s, err := r.Sale("0071234560000042")
	if err != nil || s.State != "in_doubt" || !s.Open || s.Message != AfterRestoreMessage || s.Provider != "alqimah" ||
		s.Product.ID != "topup" || !s.Created.Equal(lostAt) {
		t.Errorf("the logged sale: %+v %v", s, err)
	}
	if opens, _ := r.OpenSales(); len(opens) != 2 {
		t.Errorf("%d open sales, want the logged two", len(opens))
	}
	// A product the copy sold before comes back whole, for the look-up to
	// read the provider's answer as for the product sold.
	if s, err := r.Sale("0071234560000043"); err != nil || s.Product.Name != "iTunes 50 SAR" || len(s.Product.Fields) != 1 {
		t.Errorf("the logged sale of a product the copy knows: %+v %v", s.Product, err)
	}
	if s, err := r.Sale(a); err != nil || s.State != "succeeded" || len(s.Vouchers) != 1 {
		t.Errorf("the copy's own sale changed: %+v %v", s, err)
	}
	if _, err := os.Stat(res.Replaced); err != nil {
		t.Errorf("the damaged journal was not kept: %v", err)
	}
}

// TestRestoreRefuses: a copy that is not a journal, is another
// terminal's or another key's, fails its check or is too new, or a journal
// a kiosk holds: refused, and nothing is replaced.
func TestRestoreRefuses(t *testing.T) {
	otherKey := bytes.Repeat([]byte{9}, KeySize)
	for _, tc := range []struct {
		name string
		make func(t *testing.T, dir string) string // the copy
		hold bool                                  // a kiosk holds the journal
		want string
	}{
		{"text file", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "notes.db")
			must(t, os.WriteFile(p, bytes.Repeat([]byte("not a journal\n"), 1000), 0o600))
			return p
		}, false, "not a kiosk journal"},
		{"empty file", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "empty.db")
			must(t, os.WriteFile(p, nil, 0o600))
			return p
		}, false, "empty"},
		{"another program's bbolt", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "other.db")
			db, err := openBolt(p, Options{Timeout: time.Second})
			must(t, err)
			must(t, db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("things")); return err }))
			must(t, db.Close())
			return p
		}, false, "not a kiosk journal"},
		{"another terminal", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "t8.db")
			j, err := Open(p, Options{Terminal: 8, Sealer: testSealer(t)})
			must(t, err)
			must(t, j.Prepare(newSale()))
			must(t, j.Close())
			return p
		}, false, "another terminal's copy"},
		{"another key", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "k.db")
			j := openTest(t, p, otherKey)
			sellRecord(t, j, clock.Start, "X")
			must(t, j.Close())
			return p
		}, false, "does not open its PINs"},
		{"damaged", func(t *testing.T, dir string) string {
			p := journalWithSales(t, 3)
			flipByte(t, p, 16)
			return p
		}, false, "damaged"},
		{"changed since its manifest", func(t *testing.T, dir string) string {
			src := journalWithSales(t, 2)
			j := openTest(t, src, testKey())
			m, err := j.Backup(dir, BackupOptions{})
			must(t, err)
			must(t, j.Close())
			// The copy still passes bbolt's check: only its manifest can tell.
			mpath := filepath.Join(dir, ManifestName(m.File))
			b, err := os.ReadFile(mpath)
			must(t, err)
			must(t, os.WriteFile(mpath, bytes.Replace(b, []byte(m.SHA256), []byte(strings.Repeat("0", 64)), 1), 0o600))
			return filepath.Join(dir, m.File)
		}, false, "differs from its manifest"},
		{"newer schema", func(t *testing.T, dir string) string {
			p := journalWithSales(t, 1)
			j := openTest(t, p, testKey())
			must(t, j.update(func(tx *bolt.Tx) error { return putVersion(tx, SchemaVersion+1) }))
			must(t, j.Close())
			return p
		}, false, "newer kiosk"},
		{"kiosk running", func(t *testing.T, dir string) string { return journalWithSales(t, 1) }, true, "in use by a running kiosk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "journal.db")
			j := openTest(t, path, testKey())
			sellRecord(t, j, clock.Start, "MINE")
			if !tc.hold {
				must(t, j.Close())
			} else {
				defer j.Close()
			}
			before := fileSum(t, path)
			copyPath := tc.make(t, t.TempDir())
			copyBefore := fileSum(t, copyPath)
			_, err := Restore(RestoreOptions{Copy: copyPath, Journal: path, Terminal: 7, Sealer: testSealer(t),
				Now: clock.NewFake(clock.Start).Now})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was replaced") {
				t.Fatalf("restore of %s: %v, want %q and nothing replaced", tc.name, err, tc.want)
			}
			if strings.Contains(err.Error(), ".journal-restore-") {
				t.Errorf("the error names the temporary copy: %v", err)
			}
			if fileSum(t, path) != before || fileSum(t, copyPath) != copyBefore {
				t.Error("the journal or the copy changed")
			}
			ents, _ := os.ReadDir(dir)
			if len(ents) != 1 {
				t.Errorf("files beside the journal: %v", ents)
			}
		})
	}
}

// TestRestoreKeepsTheDaysClosedAfterTheBackup: a Z-report, its note and a
// settled mismatch written after the backup come over from the replaced
// journal, and the next day closed is numbered after them: a Z number is
// never given twice.
func TestRestoreKeepsTheDaysClosedAfterTheBackup(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "journal.db")
	c := clock.NewFake(clock.Start)
	j := openClocked(t, path, testKey(), c)
	sellRecord(t, j, c.Now(), "PIN-A")
	m, err := j.Backup(out, BackupOptions{})
	must(t, err)
	c.Advance(time.Hour)
	z := &ZRecord{Day: "2026-11-24", ClosedBy: "sara", From: c.Now().Add(-time.Hour), To: c.Now(), ClosedAt: c.Now(), Report: []byte(`{}`)}
	mis := MismatchRecord{Kind: "charged_not_sold", Provider: "bitaqaty", Ref: "0079999990000001", Day: "2026-11-24"}
	must(t, j.CloseDay(z, []MismatchRecord{mis}))
	_, err = j.AddZNote(z.Number, "sara", "counted twice")
	must(t, err)
	_, err = j.SettleMismatch(mis, SettlementRecord{By: "sara", Reason: "refunded"}, "")
	must(t, err)
	must(t, j.Close())

	res, err := Restore(RestoreOptions{Copy: filepath.Join(out, m.File), Journal: path, Terminal: 7, TerminalID: "T7",
		Sealer: testSealer(t), Now: c.Now, By: "sara"})
	if err != nil {
		t.Fatal(err)
	}
	if res.DaysRecords == 0 {
		t.Errorf("nothing of the closed day was kept: %+v", res)
	}
	r := openClocked(t, path, testKey(), c)
	defer r.Close()
	got, err := r.ZReportOfDay("2026-11-24")
	if err != nil || got == nil || got.Number != 1 {
		t.Fatalf("the day closed after the backup: %+v, %v", got, err)
	}
	if notes, _ := r.ZNotes(1); len(notes) != 1 || notes[0].Text != "counted twice" {
		t.Errorf("its note: %+v", notes)
	}
	if ms, _ := r.GetMismatch(mis.Ref, mis.Provider); ms == nil || ms.Settled == nil || ms.Settled.Reason != "refunded" {
		t.Errorf("its settled mismatch: %+v", ms)
	}
	next := &ZRecord{Day: "2026-11-25", ClosedBy: "sara", From: c.Now(), To: c.Now().Add(24 * time.Hour), ClosedAt: c.Now(), Report: []byte(`{}`)}
	must(t, r.CloseDay(next, nil))
	if next.Number != 2 {
		t.Fatalf("the next day closed is Z %d: Z 1 was given twice", next.Number)
	}
}
