// Package hq is the head office of a chain of kiosks, on PostgreSQL: the
// schema and its migrations, which the kiosk applies itself; Ship, which
// stores a batch of a terminal's outbox entries in one transaction as
// idempotent upserts; the Shipper that drains an Outbox into it; and the
// head office's report and fleet reconciliation, which read PostgreSQL only.
//
// Each kiosk stays the source of truth for its own sales. What head office
// must learn is queued in the kiosk's outbox in the same transaction that
// records it; an entry is marked shipped only after PostgreSQL committed
// it, and shipping it again changes nothing, so a kill at any moment, a
// head office that is down or a network cut loses nothing and duplicates
// nothing.
package hq

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"kiosk/secret"
)

// Options say where head office is and how to reach it.
type Options struct {
	// URL is a PostgreSQL URL, postgres://user:password@host:5432/db.
	URL secret.Value
	// ConnectTimeout bounds one connection attempt; 10 s when zero.
	ConnectTimeout time.Duration
	// MaxConns is the size of the connection pool; 4 when zero.
	MaxConns int32
	// Now is the kiosk's clock, for the terminal's last contact.
	Now func() time.Time
	// Logf, when set, is told what a caller might want to see: another
	// shipper holding the terminal, a retry. Never a password.
	Logf func(format string, args ...any)
}

// DB is a connection pool to a head office whose schema is current.
type DB struct {
	pool   *pgxpool.Pool
	opt    Options
	where  where
	secret string
}

// Open connects to head office and brings its schema up to date (see
// migrate.go). Every failure is one line: a bad URL, an unreachable host,
// a refused login, a missing database, missing rights, a newer schema.
func Open(ctx context.Context, opt Options) (*DB, error) {
	if opt.URL.IsZero() {
		return nil, &lineError{kind: ErrBadURL, msg: "head office: no URL configured (head_office.url)"}
	}
	cfg, err := pgxpool.ParseConfig(opt.URL.Reveal())
	if err != nil {
		// pgx's message quotes the URL with the password masked as best it
		// can; a static message cannot leak it at all.
		return nil, &lineError{kind: ErrBadURL,
			msg: "head office: head_office.url is not a PostgreSQL URL like postgres://user:password@host:5432/database"}
	}
	if opt.ConnectTimeout <= 0 {
		opt.ConnectTimeout = 10 * time.Second
	}
	if opt.MaxConns <= 0 {
		opt.MaxConns = 4
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	cfg.MaxConns = opt.MaxConns
	cfg.ConnConfig.ConnectTimeout = opt.ConnectTimeout
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "kiosk"
	}
	db := &DB{opt: opt, secret: cfg.ConnConfig.Password, where: where{
		user:     cfg.ConnConfig.User,
		addr:     net.JoinHostPort(cfg.ConnConfig.Host, strconv.Itoa(int(cfg.ConnConfig.Port))),
		database: cfg.ConnConfig.Database,
	}}
	if db.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, db.explain(err, "connect")
	}
	if err := db.pool.Ping(ctx); err != nil {
		db.pool.Close()
		return nil, db.explain(err, "connect")
	}
	if err := db.migrate(ctx); err != nil {
		db.pool.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the pool.
func (db *DB) Close() { db.pool.Close() }

// String names the head office without the password: user@host:port/db.
func (db *DB) String() string { return db.where.String() }

func (db *DB) explain(err error, doing string) error {
	return explain(err, doing, db.where, db.secret)
}

func (db *DB) logf(format string, args ...any) {
	if db.opt.Logf != nil {
		db.opt.Logf(format, args...)
	}
}

// Terminal is a kiosk as head office knows it. Epoch names its journal: a
// terminal number belongs to the journal that first shipped under it, so
// a second kiosk configured with the same number is refused instead of
// mixing its sales into the first one's.
type Terminal struct {
	Number int    // 1–999, the first three digits of its sale references
	Epoch  string // the journal's identity, fixed when the journal is created
	Name   string // the terminal id shown in reports ("T001")
}

func (t Terminal) check() error {
	switch {
	case t.Number < 1 || t.Number > 999:
		return fmt.Errorf("terminal number %d: must be 1 to 999", t.Number)
	case t.Epoch == "":
		return fmt.Errorf("terminal %d: no journal epoch", t.Number)
	}
	return nil
}

// Sender ships one terminal's outbox entries.
type Sender struct {
	db *DB
	t  Terminal
	// step, when set, is called at each step of a shipment (tests kill the
	// process there).
	step func(string)
}

// Sender returns the sender of terminal t's entries.
func (db *DB) Sender(t Terminal) (*Sender, error) {
	if err := t.check(); err != nil {
		return nil, &lineError{kind: ErrBadEntry, msg: "head office: " + err.Error()}
	}
	return &Sender{db: db, t: t}, nil
}

// errTerminalUsed names both kiosks that claim one terminal number.
func errTerminalUsed(t Terminal, epoch, name string, first, last time.Time) error {
	return &lineError{kind: ErrTerminalUsed, msg: fmt.Sprintf(
		"head office refuses terminal %d: the number is already used by another kiosk "+
			"(%s, journal epoch %s, first seen %s, last contact %s); this kiosk is %s with journal epoch %s: "+
			"give it a terminal.number of its own",
		t.Number, orDash(name), epoch, first.UTC().Format(time.RFC3339), last.UTC().Format(time.RFC3339),
		orDash(t.Name), t.Epoch)}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
