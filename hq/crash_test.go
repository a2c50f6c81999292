package hq

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"kiosk/clock"
	"kiosk/hq/pgtest"
	"kiosk/secret"
)

var crashTrials = flag.Int("hq.trials", 200, "shipper kill trials in TestShipperKilledAtEveryStep")

// fileOutbox is an outbox in files, so that a killed shipper leaves it as
// a kill leaves the real one: entries (appended by the test) and
// shipped (the mark, replaced atomically and synced).
type fileOutbox struct{ dir string }

func (o fileOutbox) add(t testing.TB, es ...Entry) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(o.dir, "entries"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for _, e := range es {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, "%d\t%s\n", e.Seq, b)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
}

// after returns up to n entries after seq: each line is "seq<TAB>JSON",
// so the ones already shipped are skipped without decoding.
func (o fileOutbox) after(seq uint64, n int) ([]Entry, error) {
	f, err := os.Open(filepath.Join(o.dir, "entries"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && len(out) < n {
		num, body, _ := strings.Cut(sc.Text(), "\t")
		s, err := strconv.ParseUint(num, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("outbox line %q: %w", num, err)
		}
		if s <= seq {
			continue
		}
		var e Entry
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			return nil, fmt.Errorf("outbox entry %d: %w", s, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

func (o fileOutbox) mark() (uint64, error) {
	b, err := os.ReadFile(filepath.Join(o.dir, "shipped"))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
}

func (o fileOutbox) Pending(n int) ([]Entry, error) {
	m, err := o.mark()
	if err != nil {
		return nil, err
	}
	return o.after(m, n)
}

func (o fileOutbox) MarkShipped(upTo uint64) error {
	if m, err := o.mark(); err != nil || m >= upTo {
		return err
	}
	tmp := filepath.Join(o.dir, "shipped.tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(f, upTo); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(o.dir, "shipped"))
}

// The steps of a shipment a child can be killed at: Shipper's (read,
// shipped, marked) and Sender's (begin, stored <table>, commit, committed).
var killSteps = []string{"read", "begin", "stored sales", "stored z_reports", "stored notes", "commit", "committed",
	"shipped", "marked"}

// TestShipperChild is the shipper a crash trial runs and kills; it does
// nothing unless started by TestShipperKilledAtEveryStep.
func TestShipperChild(t *testing.T) {
	dir := os.Getenv("KIOSK_HQ_CHILD_DIR")
	if dir == "" {
		t.Skip("run by TestShipperKilledAtEveryStep")
	}
	step, nth := os.Getenv("KIOSK_HQ_CHILD_KILL_AT"), 0
	if s := os.Getenv("KIOSK_HQ_CHILD_KILL_NTH"); s != "" {
		nth, _ = strconv.Atoi(s)
	}
	var mu sync.Mutex
	hit := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		if s == step {
			if nth--; nth <= 0 {
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {} // the signal is on its way
			}
		}
	}
	db, err := Open(context.Background(), Options{URL: secret.New(os.Getenv("KIOSK_HQ_CHILD_URL")),
		Now: clock.NewFake(clock.Start).Now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Sender(Terminal{Number: 9, Epoch: "crash", Name: "T009"})
	if err != nil {
		t.Fatal(err)
	}
	s.step = hit
	sh := &Shipper{Outbox: fileOutbox{dir}, To: s, Batch: 7, step: hit}
	if _, err := sh.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// The shipper is killed with SIGKILL at every step of a batch, again and
// again while the kiosk keeps queueing; afterwards every entry is in
// PostgreSQL exactly once, at its latest version, and the outbox is empty.
// After every kill: whatever the outbox marked shipped is in PostgreSQL,
// and PostgreSQL holds nothing the outbox does not.
func TestShipperKilledAtEveryStep(t *testing.T) {
	u := pgtest.NewDatabase(t)
	openRig(t, u) // migrated once, so the children only check
	box := fileOutbox{t.TempDir()}
	seed := uint64(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC).Unix())
	rng := rand.New(rand.NewPCG(seed, 13))
	var seq uint64
	latest := map[string]Entry{} // ref → its last entry
	var queued []Entry           // everything queued, as the outbox has it
	notes, zs := 0, 0
	queue := func() {
		n := 1 + rng.IntN(20)
		var es []Entry
		for range n {
			seq++
			var e Entry
			switch k := rng.IntN(10); {
			case k == 0 && len(latest) > 0:
				// A sale in review settled later: a second version of its row.
				old := latest[ref(9, 1+rng.IntN(int(seq-1)))]
				if old.Sale == nil {
					seq--
					continue
				}
				s := *old.Sale
				s.State = []string{"succeeded", "failed", "needs_review"}[rng.IntN(3)]
				e = saleEntry(seq, &s)
			case k == 2:
				zs++
				e = Entry{Seq: seq, Kind: KindZReport, ZReport: &ZReport{Number: uint64(zs), Day: "2026-11-24",
					From: clock.Start, To: clock.Start.Add(time.Hour), ClosedAt: clock.Start, ClosedBy: "sara",
					Totals: []ZTotal{{Provider: "bitaqaty", Currency: "SAR", Sales: zs}}}}
			case k == 1:
				notes++
				e = Entry{Seq: seq, Kind: KindNote, Note: &Note{Z: 1, Seq: uint64(notes), At: clock.Start, By: "sara",
					Text: fmt.Sprintf("note %d", notes)}}
			default:
				e = saleEntry(seq, sold(9, int(seq)))
			}
			if e.Sale != nil {
				latest[e.Sale.Ref] = e
			}
			es = append(es, e)
		}
		box.add(t, es...)
		queued = append(queued, es...)
	}
	run := func(step string, nth int) error {
		cmd := exec.Command(os.Args[0], "-test.run=^TestShipperChild$", "-test.count=1")
		// A race-enabled child sleeps a second at exit unless told not to.
		cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=0", "KIOSK_HQ_CHILD_DIR="+box.dir, "KIOSK_HQ_CHILD_URL="+u,
			"KIOSK_HQ_CHILD_KILL_AT="+step, fmt.Sprintf("KIOSK_HQ_CHILD_KILL_NTH=%d", nth))
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
	conn, err := pgx.Connect(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	kills := map[string]int{}
	for trial := range *crashTrials {
		queue()
		step := killSteps[trial%len(killSteps)]
		nth := 1 + rng.IntN(3)
		err := run(step, nth)
		switch {
		case errors.Is(err, errKilled):
			kills[step]++
		case err != nil:
			t.Fatalf("trial %d (kill at %s #%d): %v", trial, step, nth, err)
		}
		checkAfterKill(t, conn, box, queued, trial)
	}
	if err := run("", 0); err != nil {
		t.Fatalf("final drain: %v", err)
	}
	for _, s := range killSteps {
		if kills[s] == 0 {
			t.Errorf("no trial was killed at %q", s)
		}
	}
	t.Logf("%d trials, kills per step: %v", *crashTrials, kills)

	if left, err := box.Pending(1 << 30); err != nil || len(left) != 0 {
		t.Fatalf("outbox after the final drain: %d left, %v", len(left), err)
	}
	rows := storedSales(t, conn)
	if len(rows) != len(latest) {
		t.Errorf("sales rows = %d, want each of the %d sales once", len(rows), len(latest))
	}
	wrong := 0
	for r, e := range latest {
		if got := rows[r]; (got.seq != int64(e.Seq) || got.state != e.Sale.State) && wrong < 5 {
			wrong++
			t.Errorf("sale %s: stored %+v, want its latest version (seq %d, %s)", r, got, e.Seq, e.Sale.State)
		}
	}
	if n := pgtest.QueryInt(t, u, "SELECT count(*) FROM notes"); n != int64(notes) {
		t.Errorf("notes = %d, want %d", n, notes)
	}
	if n := pgtest.QueryInt(t, u, "SELECT count(*) FROM z_reports"); n != int64(zs) {
		t.Errorf("Z-reports = %d, want %d", n, zs)
	}
	if n := pgtest.QueryInt(t, u, "SELECT count(*) FROM z_totals"); n != int64(zs) {
		t.Errorf("Z-report totals = %d, want %d", n, zs)
	}
	if n := pgtest.QueryInt(t, u, "SELECT last_seq FROM terminals WHERE terminal = 9"); n != int64(seq) {
		t.Errorf("terminal's last_seq = %d, want %d", n, seq)
	}
}

var errKilled = errors.New("killed")

// checkAfterKill: the outbox's mark never runs ahead of PostgreSQL, and
// PostgreSQL never holds an entry the outbox does not have.
func checkAfterKill(t *testing.T, conn *pgx.Conn, box fileOutbox, all []Entry, trial int) {
	t.Helper()
	mark, err := box.mark()
	if err != nil {
		t.Fatal(err)
	}
	var stored int64
	if err := conn.QueryRow(context.Background(), "SELECT coalesce(max(last_seq), 0) FROM terminals").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if uint64(stored) < mark {
		t.Fatalf("trial %d: outbox marked %d shipped, PostgreSQL committed only up to %d", trial, mark, stored)
	}
	if last := all[len(all)-1].Seq; uint64(stored) > last {
		t.Fatalf("trial %d: PostgreSQL has entry %d, the outbox ends at %d", trial, stored, last)
	}
	rows := storedSales(t, conn)
	for _, e := range all {
		if e.Seq > mark || e.Sale == nil {
			continue
		}
		// A sale marked shipped is there, at this version or a later one.
		if got, ok := rows[e.Sale.Ref]; !ok || got.seq < int64(e.Seq) {
			t.Fatalf("trial %d: entry %d (sale %s) is marked shipped but PostgreSQL has %+v", trial, e.Seq, e.Sale.Ref, got)
		}
	}
}

type storedSale struct {
	seq   int64
	state string
}

// storedSales reads every sale row: reference → version and state.
func storedSales(t *testing.T, conn *pgx.Conn) map[string]storedSale {
	t.Helper()
	rows, err := conn.Query(context.Background(), "SELECT ref, seq, state FROM sales")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]storedSale{}
	for rows.Next() {
		var r string
		var s storedSale
		if err := rows.Scan(&r, &s.seq, &s.state); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[r]; dup {
			t.Fatalf("sale %s stored twice", r)
		}
		out[r] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
