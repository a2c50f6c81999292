package hq

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"kiosk/hq/pgtest"
	"kiosk/secret"
)

func TestMigrationFilesAreNumberedWithoutGaps(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    []int
		wantErr string
	}{
		{"in order", fstest.MapFS{"0002_b.sql": file("B"), "0001_a.sql": file("A"), "README": file("x")}, []int{1, 2}, ""},
		{"gap", fstest.MapFS{"0001_a.sql": file("A"), "0003_c.sql": file("C")}, nil, "0003_c: expected version 2"},
		{"repeat", fstest.MapFS{"0001_a.sql": file("A"), "0001_b.sql": file("B")}, nil, "expected version 2"},
		{"not numbered", fstest.MapFS{"first.sql": file("A")}, nil, "name it NNNN_what.sql"},
		{"short number", fstest.MapFS{"1_a.sql": file("A")}, nil, "name it NNNN_what.sql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := migrationsIn(tt.files)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.Version)
			}
			if len(got) != len(tt.want) || got[0] != tt.want[0] || got[len(got)-1] != tt.want[len(tt.want)-1] {
				t.Errorf("versions = %v, want %v", got, tt.want)
			}
		})
	}
	ms, err := Migrations()
	if err != nil || len(ms) == 0 || SchemaVersion() != len(ms) {
		t.Fatalf("embedded migrations: %d, %v; SchemaVersion %d", len(ms), err, SchemaVersion())
	}
}

// Opening migrates a new head office; opening again, or two kiosks at
// once, applies nothing twice and keeps what was shipped.
func TestOpenMigratesOnceAndAgainIsHarmless(t *testing.T) {
	u := pgtest.NewDatabase(t)
	r := openRig(t, u)
	if err := r.sender(t, 1, "e1").Ship(context.Background(), sales(1, 1, 3)); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			db, err := Open(context.Background(), r.options(u))
			if err == nil {
				db.Close()
			}
			errs <- err
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatalf("open again: %v", err)
		}
	}
	if n := r.count(t, "SELECT count(*) FROM schema_version"); n != int64(SchemaVersion()) {
		t.Errorf("schema_version rows = %d, want %d", n, SchemaVersion())
	}
	if n := r.count(t, "SELECT max(version) FROM schema_version"); n != int64(SchemaVersion()) {
		t.Errorf("schema version = %d, want %d", n, SchemaVersion())
	}
	if n := r.count(t, "SELECT count(*) FROM sales"); n != 3 {
		t.Errorf("sales after reopening = %d, want 3", n)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	u := pgtest.NewDatabase(t)
	openRig(t, u)
	newer := SchemaVersion() + 1
	pgtest.Exec(t, u, "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, 'from a newer kiosk', now())", newer)
	_, err := Open(context.Background(), Options{URL: secret.New(u)})
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	for _, want := range []string{fmt.Sprintf("schema version %d is newer", newer),
		fmt.Sprintf("up to %d", SchemaVersion()), "update the kiosk"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q, want it to say %q", err, want)
		}
	}
	if n := pgtest.QueryInt(t, u, "SELECT count(*) FROM schema_version"); n != int64(newer) {
		t.Errorf("schema_version rows = %d after the refusal, want %d untouched", n, newer)
	}
}
