package hq

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"kiosk/hq/pgtest"
)

// Head office has no place for a PIN, a serial or a secret, and what was
// shipped shows none: pg_dump of the database after shipping every kind
// of entry holds no column for them, no full customer number and not the
// password it was reached with.
func TestHeadOfficeHoldsNoPINSerialOrSecret(t *testing.T) {
	r := newRig(t)
	s := r.sender(t, 3, "e3")
	if err := s.Ship(context.Background(), everyKind()); err != nil {
		t.Fatal(err)
	}
	if err := s.Ship(context.Background(), sales(3, 6, 20)); err != nil {
		t.Fatal(err)
	}
	dump := pgtest.Dump(t, r.url)
	if !strings.Contains(dump, "CREATE TABLE public.sales") || !strings.Contains(dump, ref(3, 25)) {
		t.Fatalf("the dump does not hold the shipped sales:\n%.2000s", dump)
	}
	forbidden := regexp.MustCompile(`(?i)\b\w*(pin|serial|secret|password|passwd|token|api_key)\w*\b\s+(text|character|varchar|bytea|jsonb?)`)
	if m := forbidden.FindString(dump); m != "" {
		t.Errorf("the schema has a column for what must stay in the kiosk: %q", m)
	}
	if strings.Contains(dump, pgtest.Password(t, r.url)) {
		t.Error("the dump holds the head office's password")
	}
	if regexp.MustCompile(`\b7\d{8}\b`).MatchString(dump) {
		t.Error("the dump holds a full customer number")
	}
}
