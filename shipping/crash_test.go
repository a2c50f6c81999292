package shipping

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/hq"
	"kiosk/hq/pgtest"
	"kiosk/secret"
	"kiosk/storage"
)

var crashTrials = flag.Int("shipping.trials", 200, "kill trials in TestShipperKilledWithTheJournalOutbox")

// The points of a shipment the child is killed at: after reading the
// outbox, before the send, after head office committed (before the bbolt
// mark), and after the mark.
var killPoints = []string{"read", "send", "committed", "marked"}

// killer kills this process at the nth time it passes point.
type killer struct {
	point string
	nth   int
}

func (k *killer) at(point string) {
	if point != k.point {
		return
	}
	if k.nth--; k.nth <= 0 {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	}
}

type killingOutbox struct {
	Outbox
	k *killer
}

func (o killingOutbox) Pending(n int) ([]hq.Entry, error) {
	es, err := o.Outbox.Pending(n)
	o.k.at("read")
	return es, err
}

func (o killingOutbox) MarkShipped(upTo uint64) error {
	err := o.Outbox.MarkShipped(upTo)
	o.k.at("marked")
	return err
}

type killingLink struct {
	to hq.Destination
	k  *killer
}

func (l killingLink) Ship(ctx context.Context, batch []hq.Entry) error {
	l.k.at("send")
	err := l.to.Ship(ctx, batch)
	if err == nil {
		l.k.at("committed")
	}
	return err
}

// TestShipperChild is the kiosk's shipper that a trial runs and kills: it
// drains the journal's outbox into head office; it does nothing unless
// started by TestShipperKilledWithTheJournalOutbox.
func TestShipperChild(t *testing.T) {
	path := os.Getenv("KIOSK_SHIP_CHILD_JOURNAL")
	if path == "" {
		t.Skip("run by TestShipperKilledWithTheJournalOutbox")
	}
	nth, _ := strconv.Atoi(os.Getenv("KIOSK_SHIP_CHILD_NTH"))
	k := &killer{point: os.Getenv("KIOSK_SHIP_CHILD_KILL_AT"), nth: nth}
	c := clock.NewFake(clock.Start)
	j := journalAt(t, path, c)
	defer j.Close()
	link := hq.NewLink(hq.Options{URL: secret.New(os.Getenv("KIOSK_SHIP_CHILD_URL")), Now: c.Now},
		hq.Terminal{Number: 9, Epoch: j.Epoch(), Name: "T009"})
	defer link.Close()
	sh := &hq.Shipper{Outbox: killingOutbox{Outbox{J: j}, k}, To: killingLink{link, k}, Batch: 5}
	if _, err := sh.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// The shipper, reading the real bbolt outbox, is killed with SIGKILL at
// every point of a batch, again and again while the kiosk keeps selling
// and deciding between the kills. After each kill head office holds
// nothing the journal does not, and every sale whose entries are no
// longer pending is there in its journal state; after a last drain every
// shippable sale is there exactly once, in its journal state, and the
// outbox is empty.
func TestShipperKilledWithTheJournalOutbox(t *testing.T) {
	url := pgtest.NewDatabase(t)
	path := filepath.Join(t.TempDir(), "journal.db")
	c := clock.NewTicking(clock.Start, time.Second)
	rng := rand.New(rand.NewPCG(20261124, 9))
	var review []string
	sales := 0
	queue := func() {
		j := journalAt(t, path, c)
		defer j.Close()
		for range 1 + rng.IntN(12) {
			sales++
			switch k := rng.IntN(10); {
			case k == 0 && len(review) > 0:
				decide(t, j, c, review[0])
				review = review[1:]
			case k < 3:
				review = append(review, sell(t, j, c, sales, "needs_review"))
			default:
				sell(t, j, c, sales, "succeeded")
			}
		}
	}
	run := func(point string, nth int) error {
		cmd := exec.Command(os.Args[0], "-test.run=^TestShipperChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=0", "KIOSK_SHIP_CHILD_JOURNAL="+path, "KIOSK_SHIP_CHILD_URL="+url,
			"KIOSK_SHIP_CHILD_KILL_AT="+point, fmt.Sprintf("KIOSK_SHIP_CHILD_NTH=%d", nth))
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL {
			return errKilled
		}
		if err != nil {
			return fmt.Errorf("%v\n%s", err, out)
		}
		return nil
	}
	kills := map[string]int{}
	for trial := range *crashTrials {
		queue()
		point := killPoints[trial%len(killPoints)]
		switch err := run(point, 1+rng.IntN(3)); {
		case errors.Is(err, errKilled):
			kills[point]++
		case err != nil:
			t.Fatalf("trial %d (kill at %s): %v", trial, point, err)
		}
		checkShipped(t, url, path, c, trial, false)
	}
	if err := run("", 0); err != nil {
		t.Fatalf("final drain: %v", err)
	}
	for _, p := range killPoints {
		if kills[p] == 0 {
			t.Errorf("no trial was killed at %q", p)
		}
	}
	t.Logf("%d trials, %d sales, kills per point: %v", *crashTrials, sales, kills)
	checkShipped(t, url, path, c, -1, true)
}

var errKilled = errors.New("killed")

// checkShipped compares head office with the journal. Head office holds
// no sale the journal lacks, and none in a state the journal never gave
// it; a sale with no entry pending is there in its journal state. With
// all, every shippable sale must be there and the outbox empty.
func checkShipped(t *testing.T, url, path string, c *clock.Fake, trial int, all bool) {
	t.Helper()
	j := journalAt(t, path, c)
	defer j.Close()
	pending := map[string]bool{}
	items, err := j.OutboxPending(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Sale != nil {
			pending[it.Sale.Ref] = true
		}
	}
	if all && len(items) != 0 {
		t.Fatalf("outbox after the final drain: %d entries left", len(items))
	}
	recs, err := j.Between(time.Time{}, clock.Start.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	journal := map[string]string{}
	for _, r := range recs {
		journal[r.Ref] = r.State
	}
	stored := map[string]string{}
	for _, row := range pgtest.Rows(t, url, "select ref, state from sales where terminal = 9") {
		if _, dup := stored[row[0]]; dup {
			t.Fatalf("trial %d: sale %s twice at head office", trial, row[0])
		}
		stored[row[0]] = row[1]
	}
	for ref, state := range stored {
		js, ok := journal[ref]
		if !ok {
			t.Fatalf("trial %d: head office has sale %s the journal does not", trial, ref)
		}
		if js != state && !pending[ref] {
			t.Fatalf("trial %d: sale %s is %s at head office, %s in the journal, and nothing is pending for it", trial, ref, state, js)
		}
	}
	for _, r := range recs {
		if r.State == "prepared" || pending[r.Ref] {
			continue
		}
		if got, ok := stored[r.Ref]; !ok || got != r.State {
			t.Fatalf("trial %d: sale %s (%s in the journal, nothing pending) is %q at head office", trial, r.Ref, r.State, got)
		}
	}
	if all {
		if d := pgtest.QueryInt(t, url, "select count(*) from decisions where terminal = 9"); d != int64(countDecisions(recs)) {
			t.Fatalf("head office has %d decisions, the journal %d", d, countDecisions(recs))
		}
	}
}

func countDecisions(recs []storage.SaleRecord) int {
	n := 0
	for _, r := range recs {
		for _, h := range r.History {
			if h.By == "sara" {
				n++
			}
		}
	}
	return n
}
