package storage

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// testdata/journal-v1.db is a schema-1 journal written by the kiosk before
// the storage records (six sales of four providers: sold, failed, in
// doubt; two users, audit lines, a closed day with a mismatch and a note),
// with its key in journal-v1.key.
func v1Copy(t *testing.T) (string, *Sealer) {
	t.Helper()
	b, err := os.ReadFile("testdata/journal-v1.db")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "journal.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile("testdata/journal-v1.key")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	return path, s
}

func TestJournalFromSchema1OpensAndMigrates(t *testing.T) {
	path, sealer := v1Copy(t)
	before := fileSum(t, path)
	if _, err := Open(path, Options{Terminal: 3, Sealer: sealer, ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "older kiosk (schema 1)") {
		t.Fatalf("read-only opening of a schema-1 journal: %v", err)
	}
	if fileSum(t, path) != before {
		t.Fatal("the refused read-only opening changed the file")
	}

	j, err := Open(path, Options{Terminal: 3, Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	var v int
	if err := j.view(func(tx *bolt.Tx) (err error) { v, err = schemaVersion(tx); return err }); err != nil || v != SchemaVersion {
		t.Fatalf("schema after opening: %d, %v", v, err)
	}
	if n, _ := j.CountSales(); n != 6 {
		t.Fatalf("%d sales, want 6", n)
	}
	all, err := j.Between(time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(all) != 6 {
		t.Fatalf("sales: %d, %v", len(all), err)
	}
	sums, err := j.Summaries(time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(sums) != 6 {
		t.Fatalf("summaries: %d, %v", len(sums), err)
	}
	customers := map[string]string{}
	states := map[string]int{}
	for i, r := range all {
		if r.V != SaleVersion || sums[i] != r.Summary() {
			t.Errorf("sale %s: version %d, summary %+v", r.Ref, r.V, sums[i])
		}
		if r.ProductKey == "" || r.Product.ID == "" || r.Product.Name == "" {
			t.Errorf("sale %s: product copy %q lost in the migration: %+v", r.Ref, r.ProductKey, r.Product)
		}
		customers[r.Provider] = r.Customer
		states[r.State]++
		if r.State == "succeeded" && r.Provider == "bitaqaty" && (len(r.Vouchers) != 1 || r.Vouchers[0].PIN == "") {
			t.Errorf("the sealed PIN of %s does not open after the migration: %q", r.Ref, r.VoucherErr)
		}
	}
	if customers["alqimah"] != "771234567" || customers["india"] != "9812345678" || customers["mor"] != "" {
		t.Errorf("customers: %v (MOR's card count is no customer)", customers)
	}
	if states["succeeded"] != 4 || states["failed"] != 1 || states["in_doubt"] != 1 {
		t.Errorf("states: %v", states)
	}
	if open, _ := j.OpenSales(); len(open) != 1 || open[0].State != "in_doubt" || !open[0].Open {
		t.Errorf("open sales: %+v", open)
	}
	if us, _ := j.Users(); len(us) != 2 {
		t.Errorf("users: %+v", us)
	}
	if log, _ := j.AuditLog(); len(log) == 0 {
		t.Error("the audit record is gone")
	}
	z, err := j.ZReportOfDay("2026-11-24")
	if err != nil || z == nil || z.Number != 1 || len(z.Report) == 0 {
		t.Fatalf("Z-report: %+v, %v", z, err)
	}
	if notes, _ := j.ZNotes(1); len(notes) != 1 || notes[0].Text != "counted twice" {
		t.Errorf("notes: %+v", notes)
	}
	ms, err := j.Mismatches()
	if err != nil || len(ms) != 2 {
		t.Fatalf("mismatches: %+v, %v", ms, err)
	}
	for _, m := range ms {
		switch m.Kind {
		case "charged_not_sold": // the provider's sale the journal never had, with its PIN
			if m.Ref != "0039999900000001" || m.Z != 1 || len(m.Vouchers) != 1 || m.Vouchers[0].PIN == "" {
				t.Errorf("charged, not sold: %+v %q", m, m.VoucherErr)
			}
		case "open_at_close": // the sale in doubt at the close
			if m.JournalState != "in_doubt" || m.Z != 1 {
				t.Errorf("open at close: %+v", m)
			}
		default:
			t.Errorf("mismatch of kind %s", m.Kind)
		}
	}
	if hits, err := j.Search(Search{Text: "771234567"}); err != nil || len(hits) != 1 {
		t.Errorf("history by customer after the migration: %d, %v", len(hits), err)
	}
	// A new sale on the migrated journal goes on from its sequence.
	s := newSale()
	if err := j.Prepare(s); err != nil || !strings.HasSuffix(s.Ref, "0000007") {
		t.Fatalf("new sale %s, %v", s.Ref, err)
	}
	j.Close()

	// Once migrated, opening writes nothing more.
	migrated := fileSum(t, path)
	j, err = Open(path, Options{Terminal: 3, Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	if fileSum(t, path) != migrated {
		t.Fatal("opening a migrated journal wrote to it")
	}
}

// TestMigrationRunsAgainAfterACrash: a migration cut short (the version
// key still old, some records already new) finishes at the next opening.
func TestMigrationRunsAgainAfterACrash(t *testing.T) {
	path, sealer := v1Copy(t)
	j, err := Open(path, Options{Terminal: 3, Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.update(func(tx *bolt.Tx) error { return putVersion(tx, 1) }); err != nil {
		t.Fatal(err)
	}
	j.Close()
	j, err = Open(path, Options{Terminal: 3, Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if n, _ := j.CountSales(); n != 6 {
		t.Fatalf("%d sales after the second migration", n)
	}
	sums, err := j.Summaries(time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(sums) != 6 {
		t.Fatalf("summaries: %d %v", len(sums), err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := journalWithSales(t, 1)
	j := openTest(t, path, testKey())
	if err := j.update(func(tx *bolt.Tx) error { return putVersion(tx, SchemaVersion+1) }); err != nil {
		t.Fatal(err)
	}
	j.Close()
	before := fileSum(t, path)
	_, err := Open(path, Options{Terminal: 7, Sealer: testSealer(t)})
	if err == nil || !strings.Contains(err.Error(), "newer kiosk") || errors.Is(err, ErrDamaged) {
		t.Fatalf("newer schema: %v", err)
	}
	if fileSum(t, path) != before {
		t.Fatal("the refused journal was changed")
	}
}
