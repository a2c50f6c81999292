package storage

import (
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// journalWithSales writes a journal of n prepared sales and closes it.
func journalWithSales(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "j.db")
	j := openTest(t, path, testKey())
	for range n {
		if err := j.Prepare(newSale()); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestOpeningChangesNoByte: reading a journal, read-only or not, leaves the
// file exactly as it was (no commit is made unless something must be written).
func TestOpeningChangesNoByte(t *testing.T) {
	path := journalWithSales(t, 3)
	before := fileSum(t, path)
	for _, ro := range []bool{true, false} {
		j, err := Open(path, Options{Terminal: 7, ReadOnly: ro, Sealer: testSealer(t)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := j.Recent(10, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, err := j.OpenSales(); err != nil {
			t.Fatal(err)
		}
		if n, err := j.CountSales(); err != nil || n != 3 {
			t.Fatalf("count: %d %v", n, err)
		}
		j.Close()
		if fileSum(t, path) != before {
			t.Fatalf("opening (read-only %v) and reading changed the file", ro)
		}
	}
}

func TestReadOnlyOpenOfMissingJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	_, err := Open(path, Options{Terminal: 1, ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("read-only open of a missing journal: %v", err)
	}
	if _, serr := os.Stat(path); !errors.Is(serr, os.ErrNotExist) {
		t.Fatal("read-only open created the file")
	}
}

// TestDamagedJournalIsRefusedUntouched damages a journal the ways a disk or
// a careless copy does, and checks each is refused with "damaged", with no
// panic and not a byte changed.
func TestDamagedJournalIsRefusedUntouched(t *testing.T) {
	pageSize := int64(os.Getpagesize())
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
		want   string
	}{
		{"cut to half its pages", func(t *testing.T, path string) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			m := readMeta(f, pageSize)
			f.Close()
			if err := os.Truncate(path, int64(m.pgid)*pageSize/2); err != nil {
				t.Fatal(err)
			}
		}, "cut short"},
		{"newest meta page flipped", func(t *testing.T, path string) { flipByte(t, path, pageSize+pageHeaderSize+offPgid) }, "fails its checksum"},
		{"older meta page flipped", func(t *testing.T, path string) { flipByte(t, path, pageHeaderSize+offTxid) }, "fails its checksum"},
		{"not a bbolt file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("receipt text\n", 2000)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "not a bbolt meta page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := journalWithSales(t, 40)
			tt.damage(t, path)
			before := fileSum(t, path)
			for _, ro := range []bool{false, true} {
				j, err := Open(path, Options{Terminal: 7, ReadOnly: ro, Sealer: testSealer(t), Timeout: 200 * time.Millisecond})
				if err == nil {
					j.Close()
					t.Fatalf("damaged journal opened (read-only %v)", ro)
				}
				if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error %q: want damaged, %q", err, tt.want)
				}
			}
			if fileSum(t, path) != before {
				t.Fatal("refusing the journal changed it")
			}
		})
	}
}

// flipByte flips one byte of the file at off.
func flipByte(t *testing.T, path string, off int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0xff
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedPageIsAnErrorNotAPanic wipes the data pages (the meta pages
// stay sound, so the file checks pass): bbolt panics on such pages, and the
// clerk must get a "damaged" error instead, whether at opening or at the
// first read.
func TestDamagedPageIsAnErrorNotAPanic(t *testing.T) {
	path := journalWithSales(t, 200)
	st, _ := os.Stat(path)
	pageSize := int64(os.Getpagesize())
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]byte, pageSize)
	for off := 4 * pageSize; off+pageSize <= st.Size(); off += pageSize {
		if _, err := f.WriteAt(zero, off); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	before := fileSum(t, path)

	j, err := Open(path, Options{Terminal: 7, Sealer: testSealer(t)})
	if err == nil {
		defer j.Close()
		_, err = j.Recent(500, time.Time{})
		if perr := j.Prepare(newSale()); !errors.Is(perr, ErrDamaged) {
			t.Errorf("prepare on a journal that failed a read: %v", perr)
		}
	}
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "could not be read") {
		t.Fatalf("wiped pages: %v, want damaged", err)
	}
	if fileSum(t, path) != before {
		t.Fatal("the damaged journal was changed")
	}
}

func TestCheckOfSoundJournal(t *testing.T) {
	path := journalWithSales(t, 20)
	j, err := Open(path, Options{Terminal: 7, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	problems, err := j.Check()
	if err != nil || len(problems) != 0 {
		t.Fatalf("sound journal: %v %v", problems, err)
	}
}

func TestJournalPathMustBeARegularFile(t *testing.T) {
	dir := t.TempDir()
	real := journalWithSales(t, 1)
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "adir.db")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{link, sub} {
		_, err := Open(p, Options{Terminal: 7, Sealer: testSealer(t)})
		if err == nil || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", p, err)
		}
	}
}
