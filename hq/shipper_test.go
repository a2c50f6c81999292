package hq

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kiosk/hq/pgtest"
)

// In the background the shipper ships what is queued, keeps trying while
// head office is away (saying so once, not at every round), and catches
// up when it is back: the kiosk never waits for it.
func TestRunShipsInTheBackgroundAndSurvivesAnOutage(t *testing.T) {
	proxy := newCutProxy(t, pgtest.NewDatabase(t))
	r := openRig(t, proxy.url)
	box := &memOutbox{}
	logs := &logBook{}
	sh := &Shipper{Outbox: box, To: r.sender(t, 4, "e4"), Batch: 50, Now: r.clock.Now, Logf: logs.Logf}
	wake := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { sh.Run(ctx, time.Hour, wake); close(stopped) }()
	defer func() { cancel(); <-stopped }()

	box.add(sales(4, 1, 120)...)
	wake <- struct{}{}
	waitFor(t, "the first 120 sales shipped", func() bool { return box.left() == 0 })

	proxy.cut()
	box.add(sales(4, 121, 30)...)
	for range 3 {
		wake <- struct{}{}
	}
	waitFor(t, "the failure reported", func() bool { return sh.Status().LastError != "" })
	wake <- struct{}{} // a round after the report: still one line
	waitFor(t, "the failure logged", func() bool { return len(logs.all()) > 0 })
	if box.left() != 30 {
		t.Fatalf("while head office is away: %d queued, want 30 kept", box.left())
	}

	proxy.restore()
	wake <- struct{}{}
	waitFor(t, "the backlog shipped after the outage", func() bool { return box.left() == 0 })
	waitFor(t, "the recovery logged", func() bool {
		l := logs.all()
		return len(l) > 0 && strings.Contains(l[len(l)-1], "reached again")
	})
	l := logs.all()
	if len(l) != 2 || !strings.Contains(l[0], "entries of terminal 4") || !strings.Contains(l[0], "the outbox keeps every entry") {
		t.Errorf("log = %q, want one line for the outage and one for the recovery", l)
	}
	if st := sh.Status(); st.Shipped != 150 || st.LastError != "" || !st.LastContact.Equal(r.clock.Now()) {
		t.Errorf("status = %+v", st)
	}
	if n := r.count(t, "SELECT count(*) FROM sales"); n != 150 {
		t.Errorf("sales = %d, want 150", n)
	}
}

// An empty outbox still reaches head office: a terminal that sells
// nothing is not mistaken for one that is gone, and `kiosk ship` learns
// whether head office can be reached.
func TestDrainOfAnEmptyOutboxReportsContact(t *testing.T) {
	r := newRig(t)
	sh := &Shipper{Outbox: &memOutbox{}, To: r.sender(t, 2, "e2")}
	res, err := sh.Drain(context.Background())
	if err != nil || res.Shipped != 0 || res.Batches != 1 {
		t.Fatalf("drain = %+v, %v", res, err)
	}
	if n := r.count(t, "SELECT count(*) FROM terminals WHERE terminal = 2"); n != 1 {
		t.Errorf("terminal rows = %d, want 1", n)
	}
	down := &Shipper{Outbox: &memOutbox{}, To: failing{}}
	if _, err := down.Drain(context.Background()); !errors.Is(err, ErrUnreachable) {
		t.Errorf("drain with head office away = %v", err)
	}
}

// An outbox that does not advance after a mark is a bug, told as one.
func TestDrainStopsOnAnOutboxThatDoesNotAdvance(t *testing.T) {
	r := newRig(t)
	box := &stuckOutbox{entries: sales(2, 1, 3)}
	_, err := (&Shipper{Outbox: box, To: r.sender(t, 2, "e2")}).Drain(context.Background())
	if err == nil || !strings.Contains(err.Error(), "entry 1 is pending although 3 was marked shipped") {
		t.Fatalf("err = %v", err)
	}
}

type failing struct{}

func (failing) Ship(context.Context, []Entry) error {
	return &lineError{kind: ErrUnreachable, msg: "head office: cannot reach it"}
}

type stuckOutbox struct{ entries []Entry }

func (o *stuckOutbox) Pending(int) ([]Entry, error) { return o.entries, nil }
func (o *stuckOutbox) MarkShipped(uint64) error     { return nil }
