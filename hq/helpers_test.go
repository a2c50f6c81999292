package hq

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/hq/pgtest"
	"kiosk/money"
	"kiosk/secret"
)

// rig is one test's head office: a database of its own on the test
// cluster, opened with a fake clock.
type rig struct {
	url   string // superuser URL of the test's database
	clock *clock.Fake
	db    *DB
	logs  *logBook
}

func newRig(t testing.TB) *rig {
	t.Helper()
	u := pgtest.NewDatabase(t)
	return openRig(t, u)
}

func openRig(t testing.TB, u string) *rig {
	t.Helper()
	r := &rig{url: u, clock: clock.NewFake(clock.Start), logs: &logBook{}}
	db, err := Open(context.Background(), r.options(u))
	if err != nil {
		t.Fatalf("open head office: %v", err)
	}
	t.Cleanup(db.Close)
	r.db = db
	return r
}

func (r *rig) options(u string) Options {
	return Options{URL: secret.New(u), Now: r.clock.Now, Logf: r.logs.Logf, ConnectTimeout: 5 * time.Second}
}

func (r *rig) sender(t testing.TB, n int, epoch string) *Sender {
	t.Helper()
	s, err := r.db.Sender(Terminal{Number: n, Epoch: epoch, Name: fmt.Sprintf("T%03d", n)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (r *rig) count(t testing.TB, sql string, args ...any) int64 {
	t.Helper()
	return pgtest.QueryInt(t, r.url, sql, args...)
}

// logBook records what the package logged.
type logBook struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBook) Logf(format string, args ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *logBook) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

func sar(s string) money.Money { return money.New(money.MustParse(s), "SAR") }

// ref is terminal n's reference number i: terminal (3), run (6), seq (7).
func ref(n, i int) string { return fmt.Sprintf("%03d%06d%07d", n, 123456, i) }

// sold is a succeeded sale of terminal n: retail 51.75 SAR with 0.23 VAT,
// cost 48.50.
func sold(n, i int) *Sale {
	at := clock.Start.Add(time.Duration(i) * time.Second)
	return &Sale{
		Ref: ref(n, i), Clerk: "amal", Created: at, Updated: at, Provider: "bitaqaty", ProductID: "2862",
		Product: "iTunes Gift Card 50 SAR", Customer: "******123", State: "succeeded", ProviderRef: fmt.Sprintf("BB%08d", i),
		Retail: sar("51.75"), RetailVAT: sar("0.23"), RetailBeforeVAT: sar("51.52"),
		Cost: sar("48.50"), CostBeforeVAT: sar("48.50"), Charged: sar("48.50"),
	}
}

func saleEntry(seq uint64, s *Sale) Entry { return Entry{Seq: seq, Kind: KindSale, Sale: s} }

// sales is n sales of terminal term as entries seq first…first+n-1.
func sales(term int, first uint64, n int) []Entry {
	out := make([]Entry, n)
	for i := range out {
		seq := first + uint64(i)
		out[i] = saleEntry(seq, sold(term, int(seq)))
	}
	return out
}

// memOutbox is an outbox in memory, for tests that need no process kill.
type memOutbox struct {
	mu      sync.Mutex
	entries []Entry
	shipped uint64
	marks   int
}

func (o *memOutbox) add(es ...Entry) {
	o.mu.Lock()
	o.entries = append(o.entries, es...)
	o.mu.Unlock()
}

func (o *memOutbox) Pending(n int) ([]Entry, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []Entry
	for _, e := range o.entries {
		if e.Seq > o.shipped && len(out) < n {
			out = append(out, e)
		}
	}
	return out, nil
}

func (o *memOutbox) MarkShipped(upTo uint64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.marks++
	if upTo > o.shipped {
		o.shipped = upTo
	}
	return nil
}

func (o *memOutbox) left() int {
	n, _ := o.Pending(1 << 30)
	return len(n)
}

func mustParseURL(t testing.TB, u string) *url.URL {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal("test URL does not parse")
	}
	return p
}

// sameLines compares lines that describe what a test got, line by line.
func sameLines(t testing.TB, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
