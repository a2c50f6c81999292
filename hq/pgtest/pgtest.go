// Package pgtest gives tests a real PostgreSQL: the throwaway cluster that
// scripts/test.sh starts (scripts/pg.sh), found through KIOSK_TEST_PG_URL.
// Each test gets a database of its own, dropped when it ends; a test that
// must stop the server gets a private cluster, so the others are not hurt.
//
// Without KIOSK_TEST_PG_URL a test fails under CI (CI=true) or under
// scripts/test.sh (KIOSK_TEST_SUITE=1), and skips with a message saying
// how to start one when run by hand.
package pgtest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The environment scripts/pg.sh sets.
const (
	EnvURL = "KIOSK_TEST_PG_URL" // a superuser's URL on the test cluster
	EnvDir = "KIOSK_TEST_PG_DIR" // the cluster's directory
)

const howTo = `start one with: eval "$(bash scripts/pg.sh start)" ` +
	`(and afterwards: bash scripts/pg.sh stop "$KIOSK_TEST_PG_DIR"), or run bash scripts/test.sh`

// Required reports whether a missing PostgreSQL fails the test instead of
// skipping it.
func Required() bool { return os.Getenv("CI") == "true" || os.Getenv("KIOSK_TEST_SUITE") == "1" }

// AdminURL returns the test cluster's superuser URL, or ends the test.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		msg := "no PostgreSQL for this test: " + EnvURL + " is not set; " + howTo
		if Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return u
}

// NewDatabase creates an empty database on the test cluster, dropped when
// t ends, and returns its URL (the superuser's).
func NewDatabase(t testing.TB) string {
	t.Helper()
	return newDatabase(t, AdminURL(t))
}

func newDatabase(t testing.TB, admin string) string {
	t.Helper()
	name := "kiosk_t_" + randomHex(6)
	Exec(t, admin, "CREATE DATABASE "+name)
	t.Cleanup(func() {
		conn, err := connect(admin)
		if err != nil {
			t.Logf("drop database %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	return WithDatabase(t, admin, name)
}

// WithDatabase returns u pointing at another database.
func WithDatabase(t testing.TB, u, database string) string {
	t.Helper()
	p := parse(t, u)
	p.Path = "/" + database
	return p.String()
}

// WithUser returns u with another user and password.
func WithUser(t testing.TB, u, user, password string) string {
	t.Helper()
	p := parse(t, u)
	p.User = url.UserPassword(user, password)
	return p.String()
}

// Password returns the password in u.
func Password(t testing.TB, u string) string {
	t.Helper()
	pw, _ := parse(t, u).User.Password()
	return pw
}

func parse(t testing.TB, u string) *url.URL {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatalf("test PostgreSQL URL does not parse") // the URL holds the password: not printed
	}
	return p
}

// Exec runs SQL on u, for a test's set-up: roles, grants, fixtures.
func Exec(t testing.TB, u, sql string, args ...any) {
	t.Helper()
	conn, err := connect(u)
	if err != nil {
		t.Fatalf("connect to the test PostgreSQL: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// QueryInt runs a query returning one integer.
func QueryInt(t testing.TB, u, sql string, args ...any) int64 {
	t.Helper()
	conn, err := connect(u)
	if err != nil {
		t.Fatalf("connect to the test PostgreSQL: %v", err)
	}
	defer conn.Close(context.Background())
	var n int64
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// Rows runs a query and returns its rows, every column as text (the query
// casts what is not text).
func Rows(t testing.TB, u, sql string, args ...any) [][]string {
	t.Helper()
	conn, err := connect(u)
	if err != nil {
		t.Fatalf("connect to the test PostgreSQL: %v", err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	var out [][]string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			row[i] = fmt.Sprint(v)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

func connect(u string) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return pgx.Connect(ctx, u)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Cluster is a private PostgreSQL server of one test, which it may crash
// and restart without disturbing the tests on the shared one.
type Cluster struct {
	URL string // superuser, database postgres
	dir string
}

// NewCluster starts a private cluster with scripts/pg.sh, removed when t
// ends. It needs what the shared one needs, and is skipped or failed the
// same way when that is missing.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	AdminURL(t)
	out, err := exec.Command("bash", script(t), "start").Output()
	if err != nil {
		t.Fatalf("scripts/pg.sh start: %v\n%s", err, stderr(err))
	}
	c := &Cluster{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, "'")
		switch k {
		case EnvURL:
			c.URL = v
		case EnvDir:
			c.dir = v
		}
	}
	if c.URL == "" || c.dir == "" {
		t.Fatalf("scripts/pg.sh start printed no %s and %s", EnvURL, EnvDir)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("bash", script(t), "stop", c.dir).CombinedOutput(); err != nil {
			t.Logf("scripts/pg.sh stop: %v %s", err, out)
		}
	})
	return c
}

// NewDatabase creates a database on the private cluster.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	return newDatabase(t, c.URL)
}

// Crash stops the server at once, as a crash or a power cut would.
func (c *Cluster) Crash(t testing.TB) { c.run(t, "crash") }

// Restart starts the crashed server again, on the same port.
func (c *Cluster) Restart(t testing.TB) { c.run(t, "restart") }

func (c *Cluster) run(t testing.TB, verb string) {
	t.Helper()
	if out, err := exec.Command("bash", script(t), verb, c.dir).CombinedOutput(); err != nil {
		t.Fatalf("scripts/pg.sh %s: %v %s", verb, err, out)
	}
}

// script is scripts/pg.sh of the repository this file is in.
func script(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot find scripts/pg.sh: no caller information")
	}
	p := filepath.Join(filepath.Dir(file), "..", "..", "scripts", "pg.sh")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("cannot find scripts/pg.sh: %v", err)
	}
	return p
}

func stderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return fmt.Sprint(err)
}

// Dump returns pg_dump's plain-text dump of the database at u, schema and
// data, for tests that check what head office holds. The password goes to
// pg_dump through its environment, never its arguments.
func Dump(t testing.TB, u string) string {
	t.Helper()
	p := parse(t, u)
	pw, _ := p.User.Password()
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		if matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump"); len(matches) > 0 {
			bin = matches[len(matches)-1]
		} else {
			t.Fatalf("pg_dump is not installed: %v", err)
		}
	}
	cmd := exec.Command(bin, "--no-owner", "--host", p.Hostname(), "--port", p.Port(),
		"--username", p.User.Username(), "--dbname", strings.TrimPrefix(p.Path, "/"))
	cmd.Env = append(os.Environ(), "PGPASSWORD="+pw, "PGSSLMODE=disable")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, stderr(err))
	}
	return string(out)
}
