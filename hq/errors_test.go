package hq

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"kiosk/hq/pgtest"
	"kiosk/secret"
)

// Every way of not getting in is one line naming the problem, and never
// the password.
func TestOpenFailuresAreOneClearLine(t *testing.T) {
	admin := pgtest.NewDatabase(t)
	openRig(t, admin) // migrated, for the user with table rights only
	db := strings.TrimPrefix(mustParseURL(t, admin).Path, "/")
	const pw = "Pw-9f3b27c1e6"
	pgtest.Exec(t, admin, fmt.Sprintf("CREATE ROLE hq_noright_%s LOGIN PASSWORD '%s'", db, pw))
	pgtest.Exec(t, admin, fmt.Sprintf("CREATE ROLE hq_shipper_%s LOGIN PASSWORD '%s'", db, pw))
	pgtest.Exec(t, admin, fmt.Sprintf("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO hq_shipper_%s", db))
	t.Cleanup(func() { // roles belong to the cluster, not to the test's database
		pgtest.Exec(t, admin, fmt.Sprintf("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM hq_shipper_%s", db))
		pgtest.Exec(t, admin, fmt.Sprintf("DROP ROLE hq_noright_%s, hq_shipper_%s", db, db))
	})
	fresh := pgtest.NewDatabase(t) // never migrated: the user cannot create the tables
	closed := closedPort(t)

	tests := []struct {
		name string
		url  string
		kind error
		want string
	}{
		{"wrong password", pgtest.WithUser(t, admin, "kiosk_test", pw), ErrLogin, "login refused for user kiosk_test"},
		{"no such database", pgtest.WithDatabase(t, admin, "no_such_hq"), ErrNoDatabase, `database "no_such_hq" does not exist`},
		{"nothing listening", "postgres://kiosk_test:" + pw + "@" + closed + "/hq?sslmode=disable", ErrUnreachable, "cannot reach " + closed},
		{"not a URL", "postgres://kiosk_test:" + pw + "@127.0.0.1:notaport/hq", ErrBadURL, "not a PostgreSQL URL"},
		{"no right to create the schema", pgtest.WithUser(t, fresh, "hq_noright_"+db, pw), ErrRights,
			"user hq_noright_" + db + " lacks the rights: permission denied for schema public"},
		{"no right on the tables", pgtest.WithUser(t, admin, "hq_noright_"+db, pw), ErrRights,
			"lacks the rights: permission denied for table schema_version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(context.Background(), Options{URL: secret.New(tt.url), ConnectTimeout: 5 * time.Second})
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("err = %q, want it to say %q", msg, tt.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("err is more than one line: %q", msg)
			}
			if strings.Contains(msg, pw) || strings.Contains(msg, pgtest.Password(t, admin)) {
				t.Errorf("err shows the password: %q", msg)
			}
		})
	}

	// A user with rights on the tables of a migrated head office ships.
	shipper := pgtest.WithUser(t, admin, "hq_shipper_"+db, pw)
	hq, err := Open(context.Background(), Options{URL: secret.New(shipper)})
	if err != nil {
		t.Fatalf("open as a user with table rights: %v", err)
	}
	defer hq.Close()
	s, err := hq.Sender(Terminal{Number: 4, Epoch: "e4"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ship(context.Background(), sales(4, 1, 2)); err != nil {
		t.Fatalf("ship as a user with table rights: %v", err)
	}
	if n := pgtest.QueryInt(t, admin, "SELECT count(*) FROM sales WHERE terminal = 4"); n != 2 {
		t.Errorf("sales shipped = %d, want 2", n)
	}
}

func TestNoURLConfigured(t *testing.T) {
	_, err := Open(context.Background(), Options{})
	if !errors.Is(err, ErrBadURL) || !strings.Contains(err.Error(), "head_office.url") {
		t.Fatalf("err = %v", err)
	}
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// Whatever text pgx or a server puts in an error, the password is cut out,
// and the kind of problem survives for errors.Is.
func TestExplainCutsThePasswordOut(t *testing.T) {
	w := where{user: "kiosk", addr: "hq.example.com:5432", database: "chain"}
	tests := []struct {
		name     string
		err      error
		kind     error
		redacted bool // the cause's text is kept, less the password
	}{
		{"plain text", errors.New("failed: postgres://kiosk:Pw-9f3b@hq/chain"), nil, true},
		{"deadline", fmt.Errorf("dial Pw-9f3b: %w", context.DeadlineExceeded), ErrUnreachable, false},
		{"network", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("refused Pw-9f3b")}, ErrUnreachable, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := explain(tt.err, "connect", w, "Pw-9f3b")
			if strings.Contains(err.Error(), "Pw-9f3b") || strings.Contains(err.Error(), "[redacted]") != tt.redacted {
				t.Errorf("err = %q", err)
			}
			if !strings.HasPrefix(err.Error(), "head office kiosk@hq.example.com:5432/chain: connect: ") {
				t.Errorf("err = %q, want it to say which head office and what was done", err)
			}
			if tt.kind != nil && !errors.Is(err, tt.kind) {
				t.Errorf("err = %v, want %v", err, tt.kind)
			}
		})
	}
}
