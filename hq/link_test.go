package hq

import (
	"context"
	"errors"
	"testing"

	"kiosk/hq/pgtest"
	"kiosk/secret"
)

// A kiosk starts with head office away: the link fails with one line,
// keeps nothing half-open, and connects (and migrates) once it is back.
func TestLinkConnectsWhenHeadOfficeIsThere(t *testing.T) {
	u := pgtest.NewDatabase(t)
	proxy := newCutProxy(t, u)
	proxy.cut()
	logs := &logBook{}
	l := NewLink(Options{URL: secret.New(proxy.url), Logf: logs.Logf}, Terminal{Number: 7, Epoch: "e7", Name: "T007"})
	defer l.Close()
	box := &memOutbox{}
	box.add(sales(7, 1, 10)...)
	sh := &Shipper{Outbox: box, To: l}
	if _, err := sh.Drain(context.Background()); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("drain with head office away = %v", err)
	}
	if box.left() != 10 {
		t.Fatalf("%d left, want all 10 kept", box.left())
	}
	proxy.restore()
	if res, err := sh.Drain(context.Background()); err != nil || res.Shipped != 10 {
		t.Fatalf("drain once head office is there = %+v, %v", res, err)
	}
	if n := pgtest.QueryInt(t, u, "SELECT count(*) FROM sales WHERE terminal = 7"); n != 10 {
		t.Errorf("sales = %d, want 10", n)
	}
	if n := pgtest.QueryInt(t, u, "SELECT max(version) FROM schema_version"); n != int64(SchemaVersion()) {
		t.Errorf("schema version = %d, want the link to have migrated to %d", n, SchemaVersion())
	}
}
