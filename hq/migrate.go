package hq

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The schema is versioned SQL in migrations/, NNNN_name.sql, applied in
// order, each in its own transaction with its row in schema_version. The
// kiosk applies what is missing when it connects; applying them again
// finds nothing to do. A head office whose schema_version is higher than
// the last file here was migrated by a newer kiosk: this one refuses it
// rather than write rows a newer schema may read differently.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one versioned schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// lockClass is the first key of every advisory lock this package takes;
// the second is the terminal number, or 0 for migrations.
const lockClass = 0x6b696f // "kio"

// Migrations returns the embedded migrations, in order. It fails if their
// numbering has a gap or a repeat, which a test checks.
func Migrations() ([]Migration, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	return migrationsIn(sub)
}

func migrationsIn(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 {
			return nil, fmt.Errorf("migration %s: name it NNNN_what.sql", name)
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(text)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %04d_%s: expected version %d (no gaps, no repeats)", m.Version, m.Name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion is the newest schema this kiosk knows.
func SchemaVersion() int {
	ms, err := Migrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// migrate brings the schema up to date. One kiosk migrates at a time (an
// advisory lock); the others wait and then find nothing to do. A head
// office that is already current is only read, so a user with rights on
// the tables but none to create them ships as well.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return db.explain(err, "connect")
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1, 0)", lockClass); err != nil {
		return db.explain(err, "lock the schema for migration")
	}
	defer func() {
		// A lost connection releases the lock by itself; nothing to report.
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1, 0)", lockClass)
	}()
	current, err := db.schemaVersion(ctx, conn.Conn())
	if err != nil {
		return err
	}
	if current > len(ms) {
		return &lineError{kind: ErrNewerSchema, msg: fmt.Sprintf(
			"head office %s: schema version %d is newer than this kiosk knows (up to %d): update the kiosk before it ships",
			db.where, current, len(ms))}
	}
	for _, m := range ms[current:] {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
				m.Version, m.Name, db.opt.Now())
			return err
		})
		if err != nil {
			return db.explain(err, fmt.Sprintf("apply migration %04d_%s", m.Version, m.Name))
		}
		db.logf("head office %s: schema migrated to version %d (%s)", db.where, m.Version, m.Name)
	}
	return nil
}

// schemaVersion reads the schema's version, creating schema_version on a
// new head office. It only creates when the table is missing: CREATE …
// IF NOT EXISTS needs the right to create even when the table exists.
func (db *DB) schemaVersion(ctx context.Context, conn *pgx.Conn) (int, error) {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass('schema_version') IS NOT NULL").Scan(&exists); err != nil {
		return 0, db.explain(err, "read the schema version")
	}
	if !exists {
		_, err := conn.Exec(ctx, `CREATE TABLE schema_version (
			version    integer     PRIMARY KEY,
			name       text        NOT NULL,
			applied_at timestamptz NOT NULL)`)
		if err != nil {
			return 0, db.explain(err, "create the schema_version table")
		}
	}
	var v int
	if err := conn.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_version").Scan(&v); err != nil {
		return 0, db.explain(err, "read the schema version")
	}
	return v, nil
}
