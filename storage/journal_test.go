package storage

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/money"
)

func testKey() []byte { return bytes.Repeat([]byte{7}, KeySize) }

func testSealer(t testing.TB) *Sealer {
	t.Helper()
	s, err := NewSealer(testKey())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openTest(t testing.TB, path string, key []byte) *Journal {
	t.Helper()
	var s *Sealer
	if key != nil {
		var err error
		if s, err = NewSealer(key); err != nil {
			t.Fatal(err)
		}
	}
	j, err := Open(path, Options{Sealer: s, Terminal: 7, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func newSale() *SaleRecord {
	return &SaleRecord{
		Terminal: "T7", Clerk: "amal", Provider: "bitaqaty", State: "prepared", Open: true, Customer: "966500000123",
		Created: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC),
		Product: ProductRecord{ID: "2862", Name: "iTunes 50 SAR", Fields: []FieldRecord{{Name: "mobile", Kind: "phone"}}},
		Quote: QuoteRecord{Retail: money.New(money.MustParse("57.5"), "SAR"),
			Fields: map[string]string{"mobile": "966500000123"}},
	}
}

// setState moves a sale record to a state, as the sale core would, with
// edit recording anything else.
func setState(j *Journal, ref, state string, open bool, edit func(*SaleRecord)) (SaleRecord, error) {
	return j.UpdateSale(ref, func(r *SaleRecord) error {
		if edit != nil {
			edit(r)
		}
		r.State, r.Open = state, open
		r.History = append(r.History, TransitionRecord{State: state})
		return nil
	})
}

func TestPrepareFixesReferenceDurably(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	j := openTest(t, path, testKey())
	var refs []string
	for range 3 {
		s := newSale()
		if err := j.Prepare(s); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, s.Ref)
	}
	for i, r := range refs {
		if len(r) != 16 || !strings.HasPrefix(r, "007") || strings.Trim(r, "0123456789") != "" {
			t.Errorf("ref %q: want 16 digits starting with the terminal number", r)
		}
		if i > 0 && r <= refs[i-1] {
			t.Errorf("refs not increasing: %v", refs)
		}
	}
	j.Close()

	j = openTest(t, path, testKey())
	defer j.Close()
	open, err := j.OpenSales()
	if err != nil || len(open) != 3 {
		t.Fatalf("open sales after reopen: %d, %v", len(open), err)
	}
	s := newSale()
	if err := j.Prepare(s); err != nil {
		t.Fatal(err)
	}
	// A new opening starts a new run of references; the sequence goes on.
	if s.Ref[:3] != "007" || s.Ref[9:] != "0000004" || slices.Contains(refs, s.Ref) {
		t.Errorf("after reopen ref %s: want terminal 007, sequence 0000004 and a ref unlike %v", s.Ref, refs)
	}
}

// TestRestoredCopyNeverReusesAReference restores an older copy of the
// journal, as an owner copying a backup back would, and sells again: the
// copy's sequence goes back, but its references must not repeat any that
// the lost sales used (the provider has seen those).
func TestRestoredCopyNeverReusesAReference(t *testing.T) {
	dir := t.TempDir()
	path, backup := filepath.Join(dir, "j.db"), filepath.Join(dir, "backup.db")
	j := openTest(t, path, testKey())
	first := newSale()
	if err := j.Prepare(first); err != nil {
		t.Fatal(err)
	}
	j.Close()
	copyFile(t, path, backup)

	seen := map[string]bool{first.Ref: true}
	sellOnce := func() string {
		j := openTest(t, path, testKey())
		defer j.Close()
		s := newSale()
		if err := j.Prepare(s); err != nil {
			t.Fatal(err)
		}
		return s.Ref
	}
	lost := sellOnce() // sold after the backup, then lost with the disk
	seen[lost] = true
	for range 20 { // each restore of the same old copy, then one sale
		copyFile(t, backup, path)
		ref := sellOnce()
		if seen[ref] {
			t.Fatalf("restored copy reused reference %s", ref)
		}
		if ref[9:] != lost[9:] {
			t.Fatalf("restored copy's sequence: ref %s, want the same sequence as %s under another run", ref, lost)
		}
		seen[ref] = true
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestUpdateKeepsTheOpenIndexAndSummary: the open index and the time
// index's summary follow every change of a sale, in the same commit; an
// edit that fails writes nothing.
func TestUpdateKeepsTheOpenIndexAndSummary(t *testing.T) {
	j := openTest(t, filepath.Join(t.TempDir(), "j.db"), testKey())
	defer j.Close()
	s := newSale()
	if err := j.Prepare(s); err != nil {
		t.Fatal(err)
	}
	for _, st := range []struct {
		state string
		open  bool
	}{{"in_doubt", true}, {"pending", true}, {"succeeded", false}} {
		if _, err := setState(j, s.Ref, st.state, st.open, nil); err != nil {
			t.Fatal(err)
		}
		open, _ := j.OpenSales()
		if (len(open) == 1) != st.open {
			t.Fatalf("after %s: %d open sales, want open=%v", st.state, len(open), st.open)
		}
		sums, _ := j.Summaries(time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
		if len(sums) != 1 || sums[0].State != st.state {
			t.Fatalf("after %s: summaries %+v", st.state, sums)
		}
	}
	boom := errors.New("refused")
	if _, err := j.UpdateSale(s.Ref, func(r *SaleRecord) error { r.State = "failed"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("a failed edit: %v", err)
	}
	if got, _ := j.Sale(s.Ref); got.State != "succeeded" || len(got.History) != 3 {
		t.Fatalf("a failed edit changed the sale: %s, %d steps", got.State, len(got.History))
	}
	if _, err := j.UpdateSale(s.Ref, func(r *SaleRecord) error { r.Ref = "x"; return nil }); err == nil {
		t.Fatal("an edit changed the reference")
	}
}

func TestPINsSealedAtRest(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "j.db")
	j := openTest(t, path, testKey())
	s := newSale()
	if err := j.Prepare(s); err != nil {
		t.Fatal(err)
	}
	const pin = "PIN-9876-5432-1111"
	if _, err := setState(j, s.Ref, "succeeded", false, func(r *SaleRecord) {
		r.Vouchers = []VoucherRecord{{Serial: "S1", PIN: pin}}
	}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte(pin)) {
		t.Fatal("PIN stored in clear in the journal file")
	}

	j = openTest(t, path, testKey())
	got, _ := j.Sale(s.Ref)
	if len(got.Vouchers) != 1 || got.Vouchers[0].PIN != pin {
		t.Fatalf("with key: vouchers = %+v (%s)", got.Vouchers, got.VoucherErr)
	}
	j.Close()

	for name, key := range map[string][]byte{"no key": nil, "wrong key": bytes.Repeat([]byte{9}, KeySize)} {
		j = openTest(t, path, key)
		got, err := j.Sale(s.Ref)
		if err != nil || got.Product.Name != "iTunes 50 SAR" || got.State != "succeeded" {
			t.Fatalf("%s: the sale itself must still read: %+v %v", name, got, err)
		}
		if got.Vouchers != nil || !strings.Contains(got.VoucherErr, "PIN locked") {
			t.Errorf("%s: vouchers %+v, err %q", name, got.Vouchers, got.VoucherErr)
		}
		j.Close()
	}
}

// TestNoSaleWithoutThePINKey: a sale whose PIN could not be kept is never
// prepared, so nothing is bought; reading still works without the key.
func TestNoSaleWithoutThePINKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	j := openTest(t, path, testKey())
	sold := newSale()
	if err := j.Prepare(sold); err != nil {
		t.Fatal(err)
	}
	j.Close()

	j = openTest(t, path, nil)
	defer j.Close()
	if err := j.Prepare(newSale()); !errors.Is(err, ErrNoKey) {
		t.Fatalf("prepare without key: %v, want ErrNoKey", err)
	}
	if n, err := j.CountSales(); err != nil || n != 1 {
		t.Fatalf("sales after refused prepare: %d, %v", n, err)
	}
	if got, err := j.Sale(sold.Ref); err != nil || got.State != "prepared" {
		t.Fatalf("reading without key: %v, %v", got, err)
	}
	_, err := setState(j, sold.Ref, "succeeded", false, func(r *SaleRecord) { r.Vouchers = []VoucherRecord{{PIN: "1"}} })
	if err == nil || !strings.Contains(err.Error(), "key") {
		t.Fatalf("recording a PIN without key: %v", err)
	}
	if got, _ := j.Sale(sold.Ref); got.State != "prepared" {
		t.Fatalf("failed write changed the sale: %s", got.State)
	}
}

func TestOpenErrorsLeaveFileUntouched(t *testing.T) {
	dir := t.TempDir()

	t.Run("locked", func(t *testing.T) {
		path := filepath.Join(dir, "locked.db")
		j := openTest(t, path, nil)
		defer j.Close()
		_, err := Open(path, Options{Terminal: 1, Timeout: 100 * time.Millisecond})
		if err == nil || !strings.Contains(err.Error(), "in use by another kiosk") {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("damaged", func(t *testing.T) {
		path := filepath.Join(dir, "damaged.db")
		junk := bytes.Repeat([]byte("not a bbolt file "), 1000)
		os.WriteFile(path, junk, 0o600)
		_, err := Open(path, Options{Terminal: 1})
		if err == nil || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), "untouched") {
			t.Fatalf("err = %v", err)
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(after, junk) {
			t.Fatal("damaged file was modified")
		}
	})

	t.Run("newer schema", func(t *testing.T) {
		path := filepath.Join(dir, "newer.db")
		openTest(t, path, nil).Close()
		db, _ := bolt.Open(path, 0o600, nil)
		db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte("99")) })
		db.Close()
		before, _ := os.ReadFile(path)
		_, err := Open(path, Options{Terminal: 1})
		if err == nil || !strings.Contains(err.Error(), "newer kiosk") {
			t.Fatalf("err = %v", err)
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(before, after) {
			t.Fatal("newer journal was modified")
		}
	})

	t.Run("bad terminal", func(t *testing.T) {
		if _, err := Open(filepath.Join(dir, "t.db"), Options{Terminal: 0}); err == nil {
			t.Fatal("terminal 0 accepted")
		}
	})
}

func TestRecentAndBetween(t *testing.T) {
	clock := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	j, err := Open(filepath.Join(t.TempDir(), "j.db"), Options{Terminal: 1, Sealer: testSealer(t), Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	var refs []string
	for i := range 5 {
		clock = clock.Add(time.Hour)
		s := newSale()
		s.Created = clock
		s.Clerk = string(rune('a' + i))
		if err := j.Prepare(s); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, s.Ref)
	}
	recent, _ := j.Recent(2, time.Time{})
	if len(recent) != 2 || recent[0].Ref != refs[4] || recent[1].Ref != refs[3] {
		t.Fatalf("recent = %v", recent)
	}
	from := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	between, _ := j.Between(from, from.Add(2*time.Hour))
	if len(between) != 2 || between[0].Ref != refs[1] || between[1].Ref != refs[2] {
		t.Fatalf("between = %d sales", len(between))
	}
	if _, err := j.Sale("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get unknown: %v", err)
	}
}

func TestCatalogAndAudit(t *testing.T) {
	j := openTest(t, filepath.Join(t.TempDir(), "j.db"), nil)
	defer j.Close()
	if p, at, err := j.Catalog("bitaqaty"); err != nil || p != nil || !at.IsZero() {
		t.Fatalf("empty catalogue: %v %v %v", p, at, err)
	}
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	in := []byte("gob1:بطاقة")
	if err := j.PutCatalog("bitaqaty", in, at); err != nil {
		t.Fatal(err)
	}
	out, gotAt, err := j.Catalog("bitaqaty")
	if err != nil || !bytes.Equal(out, in) || !gotAt.Equal(at) {
		t.Fatalf("catalogue round trip: %q %v %v", out, gotAt, err)
	}
	for _, e := range []AuditRecord{{Who: "amal", Action: "sign-in"}, {Who: "amal", Action: "print", Ref: "1"}} {
		if _, err := j.Audit(e); err != nil {
			t.Fatal(err)
		}
	}
	log, _ := j.AuditLog()
	if len(log) != 2 || log[0].Seq != 1 || log[1].Action != "print" {
		t.Fatalf("audit = %+v", log)
	}
}

// TestReadCatalogsInPlace: the cached catalogues are read in one
// transaction, a provider with none as nil; after the read hands the
// map's pages back, the journal reads them again as they were, and a sale
// written then is kept.
func TestReadCatalogsInPlace(t *testing.T) {
	j := openTest(t, filepath.Join(t.TempDir(), "j.db"), testKey())
	defer j.Close()
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	big := bytes.Repeat([]byte("kc1:catalogue "), 200_000) // overflow pages, over 2 MB
	if err := j.PutCatalog("dtone", big, at); err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		var got [3][]byte
		var ats [3]time.Time
		err := j.ReadCatalogs([]string{"bitaqaty", "dtone", "mor"}, func(i int, data []byte, when time.Time) error {
			got[i], ats[i] = bytes.Clone(data), when
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != nil || got[2] != nil || !ats[0].IsZero() || !bytes.Equal(got[1], big) || !ats[1].Equal(at) {
			t.Fatalf("round %d: %d, %d, %d bytes; times %v", round, len(got[0]), len(got[1]), len(got[2]), ats)
		}
		ref := sellRecord(t, j, at, fmt.Sprint("1234-", round))
		if r, err := j.Sale(ref); err != nil || r.Ref != ref || len(r.Vouchers) != 1 {
			t.Fatalf("round %d: the sale read back: %+v %v", round, r, err)
		}
	}
	if err := j.ReadCatalogs([]string{"dtone"}, func(int, []byte, time.Time) error { return errFake }); !errors.Is(err, errFake) {
		t.Errorf("the reader's error: %v", err)
	}
}

var errFake = errors.New("fake")

// BenchmarkSaleJournalCost measures the journal's own cost per sale: the
// prepare commit and the outcome commit (with a sealed PIN), each fsynced.
func BenchmarkSaleJournalCost(b *testing.B) {
	j := openTest(b, filepath.Join(b.TempDir(), "j.db"), testKey())
	defer j.Close()
	b.ResetTimer()
	for b.Loop() {
		s := newSale()
		if err := j.Prepare(s); err != nil {
			b.Fatal(err)
		}
		if _, err := setState(j, s.Ref, "succeeded", false, func(r *SaleRecord) {
			r.Vouchers = []VoucherRecord{{Serial: "123", PIN: "4444-5555-6666"}}
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestKeyFileCreatedOnceAndWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "journal.key")
	k1, err := LoadKeyFile(path, true)
	if err != nil || len(k1) != KeySize {
		t.Fatalf("create: %v", err)
	}
	k2, err := LoadKeyFile(path, true)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatal("an existing key was replaced")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if _, err := LoadKeyFile(filepath.Join(t.TempDir(), "none.key"), false); err == nil {
		t.Error("a missing key file was not reported")
	}
}

// TestKeyFileRights: a key readable by others, a symlink or a directory is
// refused, naming the path and what to do.
func TestKeyFileRights(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "journal.key")
	if _, err := LoadKeyFile(good, true); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(dir, "open.key")
	copyFile(t, good, open)
	if err := os.Chmod(open, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.key")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "dir.key")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{open, "chmod 600 " + open},
		{link, "not a regular file"},
		{sub, "not a regular file"},
	}
	for _, tt := range tests {
		if _, err := LoadKeyFile(tt.path, false); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.path) {
			t.Errorf("%s: %v, want %q", tt.path, err, tt.want)
		}
	}
	if _, err := LoadKeyFile(good, false); err != nil {
		t.Errorf("the 0600 key: %v", err)
	}
}
