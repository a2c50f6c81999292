// Package crashtest kills a real `kiosk sell` process with SIGKILL at every
// step of a sale, for every provider, with sandbox faults switched on, then
// restarts on its journal, runs recovery, and checks after every trial:
//
//   - no sale charged twice: the sandbox's Charged(ref) is at most 1, and is
//     exactly what the kill point allows (0 when the request never committed);
//   - no PIN the provider delivered is missing from the journal: a charged
//     sale is succeeded with the vouchers the provider's status look-up
//     gives (PIN, serial, reference); for MOR, which has no look-up, it is
//     succeeded with its cards or in needs_review;
//   - no open sale forgotten: every sale the journal holds is settled, or in
//     needs_review with a reason (only MOR may need a review), and one more
//     recovery changes nothing and charges nothing.
//
// Kill points: a random moment before the request commits (start-up,
// catalogue, quote, prepare: no sale or a failed one, nothing charged);
// after prepare, with the request dropped or still committed by the
// provider; after the provider committed, before the answer is read; and a
// random moment after the answer was sent, while the kiosk records it.
// Latency, pending (for the providers that have it) and cut connections are
// mixed in. One more "kill point" is the owner's restore of an older
// journal copy: the next sale must get a fresh reference and its own PIN.
//
// Targets are the five providers, each configured as its document
// describes plus the extensions the sale needs, and India a second time
// with its document alone (no status look-up): a pending recharge there
// must end in review with "do not refund yet", never failed.
//
// The default run is one trial per provider and kill point, a few seconds.
// The long run is one command (-v prints the counts per provider and kill
// point at the end):
//
//	go test ./crashtest -run TestCrash -crash.trials=500 -timeout 30m -v
package crashtest

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"kiosk/sale"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kiosk/app"
	"kiosk/config"
	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/providers/alqimah/alqimahsim"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/bitaqaty/bitaqatysim"
	"kiosk/providers/dtone"
	"kiosk/providers/dtone/dtonesim"
	"kiosk/providers/india"
	"kiosk/providers/india/indiasim"
	"kiosk/providers/mor"
	"kiosk/providers/mor/morsim"
	"kiosk/providers/sandboxkit"
	"kiosk/sandboxes"
)

var (
	trials   = flag.Int("crash.trials", 0, "number of kill trials; 0 runs one per provider and kill point")
	parallel = flag.Int("crash.parallel", 2, "trials run at once (each has its own sandboxes, journal and kiosk process)")
	seed     = flag.Uint64("crash.seed", 1, "seed of the random kill moments")
)

// Timing of every trial, all far below the sandboxes' MaxHang.
const (
	saleTimeout    = 3 * time.Second        // sale.timeout of the kiosk
	inFlightWindow = 300 * time.Millisecond // sale.in_flight_window of the kiosk
	restartAfter   = 400 * time.Millisecond // the "power is back" pause: more than the window
	childLimit     = 45 * time.Second       // a kiosk process that runs longer fails the trial
	holdLimit      = 10 * time.Second       // a held request waits at most this for the kill
	recoverRounds  = 12                     // restarts allowed: a pending sale takes a few; a sale no look-up can settle takes sale.ReviewAfter
)

var bin string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "kiosk-crash")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "kiosk")
	build := exec.Command("go", "build", "-o", bin, "..")
	build.Dir = "."
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build kiosk:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// target is what a trial sells from one provider.
type target struct {
	name   string // in the counts: the provider, and how it is configured
	id     string
	args   []string // `kiosk sell` arguments after --provider
	status bool     // the provider has a status look-up
	// notFound: its look-up has a documented not-found answer, so a request
	// that never reached it is settled "not sold". Without one (Al-Qimah,
	// India) such a sale can only go to a supervisor's review.
	notFound bool
	pending  bool // its sandbox has the pending fault
	// docOnly configures the provider with what its document describes
	// alone: for India, no status look-up, so a pending recharge must end
	// in review ("do not refund yet"), never failed.
	docOnly bool
}

var indiaArgs = []string{"--product", "prepaid-1", "--amount", "100", "--field", "mobile_no=9812345678", "--field", "circle=5"}

var targets = []target{
	{name: bitaqaty.ID, id: bitaqaty.ID, args: []string{"--product", "2862"}, status: true, notFound: true},
	{name: alqimah.ID, id: alqimah.ID, args: []string{"--product", "game-itunes_us_10", "--field", "EmailAddress=buyer@example.com"}, status: true, pending: true},
	{name: dtone.ID, id: dtone.ID, args: []string{"--product", "fvv-112"}, status: true, notFound: true, pending: true},
	{name: india.ID, id: india.ID, args: indiaArgs, status: true, pending: true},
	{name: "india-doc", id: india.ID, args: indiaArgs, pending: true, docOnly: true},
	{name: mor.ID, id: mor.ID, args: []string{"--product", "6", "--field", "quantity=1"}},
}

// killPoint is a moment in a sale at which the kiosk process dies.
type killPoint struct {
	name  string
	stage string // the sandbox stage the kill is tied to
	// early kills at a random moment after start; at the latest when the
	// purchase request arrives (which the provider then drops).
	early bool
	// drop makes the provider drop the request after the kill, as one does
	// when the client goes away before it commits (the no-answer fault).
	drop bool
	// hold keeps the request at stage until the kiosk is dead.
	hold bool
	// afterAnswer lets the answer go and kills a random moment later; the
	// kiosk may finish first.
	afterAnswer bool
	// restore sells, copies the journal, sells again, puts the older copy
	// back (the second sale is lost from it but charged at the provider)
	// and sells once more: the last sale must get a reference no earlier
	// sale used, and its own PIN, never the lost sale's.
	restore     bool
	wantCharged int
}

var killPoints = []killPoint{
	{name: "before prepare commits", stage: sandboxkit.StageReceived, early: true, drop: true, wantCharged: 0},
	{name: "after prepare, request dropped", stage: sandboxkit.StageReceived, drop: true, hold: true, wantCharged: 0},
	{name: "after prepare, request still committed", stage: sandboxkit.StageReceived, hold: true, wantCharged: 1},
	{name: "after commit, answer not read", stage: sandboxkit.StageCommitted, hold: true, wantCharged: 1},
	{name: "answer sent, killed while recording", stage: sandboxkit.StageCommitted, afterAnswer: true, wantCharged: 1},
	{name: "restored older journal copy", restore: true, wantCharged: 1},
}

// faultMix is the sandbox faults of one trial.
type faultMix struct {
	latency time.Duration
	pending int
	cut     bool // cut the connection after commit (matters only when the answer is let go)
}

func (f faultMix) String() string {
	var parts []string
	if f.latency > 0 {
		parts = append(parts, "latency="+f.latency.String())
	}
	if f.pending > 0 {
		parts = append(parts, fmt.Sprintf("pending=%d", f.pending))
	}
	if f.cut {
		parts = append(parts, "cut-after-commit")
	}
	if len(parts) == 0 {
		return "no faults"
	}
	return strings.Join(parts, ",")
}

// faultsFor rotates through four mixes so that every provider and kill
// point meets each of them as the trials go round (trial i sells from
// provider i%5 at kill point (i/5)%5, in round i/25).
func faultsFor(i int, tg target, kp killPoint) faultMix {
	round := i / (len(targets) * len(killPoints))
	var f faultMix
	switch (i%len(targets) + (i/len(targets))%len(killPoints) + round) % 4 {
	case 1:
		f.latency = 20 * time.Millisecond
	case 2:
		f.latency = 5 * time.Millisecond
		if tg.pending {
			f.pending = 1
		} else {
			f.latency = 80 * time.Millisecond
		}
	case 3:
		f.latency = 40 * time.Millisecond
		if tg.pending {
			f.pending = 2
		}
		f.cut = kp.afterAnswer
	}
	return f
}

type trialSpec struct {
	n      int
	tg     target
	kp     killPoint
	faults faultMix
	jitter float64 // in [0,1): where in its window a random kill lands
}

func TestCrash(t *testing.T) {
	n := *trials
	if n <= 0 {
		n = len(targets) * len(killPoints)
	}
	rng := rand.New(rand.NewPCG(*seed, 0x6b696f736b))
	specs := make([]trialSpec, n)
	for i := range specs {
		tg := targets[i%len(targets)]
		kp := killPoints[(i/len(targets))%len(killPoints)]
		specs[i] = trialSpec{n: i, tg: tg, kp: kp, faults: faultsFor(i, tg, kp), jitter: rng.Float64()}
	}
	tally := newTally()
	timing := newTimings()
	sem := make(chan struct{}, max(*parallel, 1))
	t.Run("trials", func(t *testing.T) {
		for _, sp := range specs {
			t.Run(fmt.Sprintf("%03d %s %s", sp.n, sp.tg.name, sp.kp.name), func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				defer func() { <-sem }()
				var out outcome
				defer func() { tally.add(sp, out, t.Failed()) }() // also after a Fatal
				out = trial(t, sp, timing)
			})
		}
	})
	t.Logf("seed %d, %d trials; learnt timings: %s\n%s", *seed, n, timing, tally.table())
}

// outcome is how a trial ended, for the counts.
type outcome struct {
	kind     string // sold, not sold, no sale, review
	finished bool   // the kiosk finished before the kill landed
}

// victim is the kiosk process of one trial, killed at most once.
type victim struct {
	started chan struct{}
	dead    chan struct{}
	proc    *os.Process
	once    sync.Once
	killed  bool
	mu      sync.Mutex
}

func (v *victim) kill() {
	<-v.started
	v.once.Do(func() {
		v.mu.Lock()
		v.killed = true
		v.mu.Unlock()
		_ = v.proc.Signal(syscall.SIGKILL)
	})
}

// waitDead holds a request until the kiosk is gone.
func (v *victim) waitDead() {
	select {
	case <-v.dead:
	case <-time.After(holdLimit):
	}
}

func trial(t *testing.T, sp trialSpec, timing *timings) outcome {
	opt := sandboxes.Options{Extensions: true}
	if sp.tg.docOnly {
		opt.DocumentOnly = []string{sp.tg.id}
	}
	set, err := sandboxes.Start("127.0.0.1:0", opt)
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "kiosk.toml")
	writeConfig(t, cfgPath, dir, set, sp.tg)
	if sp.kp.restore {
		return restoreTrial(t, set, cfgPath, dir, sp)
	}

	faults, err := set.Faults(sp.tg.id)
	if err != nil {
		t.Fatal(err)
	}
	if sp.faults.latency > 0 {
		must(t, faults.Set(sandboxkit.FaultLatency, sp.faults.latency.String()))
	}
	if sp.faults.pending > 0 {
		must(t, faults.Set(sandboxkit.FaultPending, fmt.Sprint(sp.faults.pending)))
	}
	if sp.faults.cut {
		must(t, faults.Set(sandboxkit.FaultCutAfterCommit, "on"))
	}
	if sp.kp.drop {
		must(t, faults.Set(sandboxkit.FaultNoAnswer, "on"))
	}

	args := append([]string{"--config", cfgPath, "sell", "--provider", sp.tg.id}, sp.tg.args...)
	child := exec.Command(bin, append(args, "--yes")...)
	child.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir, "USER=crash")
	var stdout, stderr strings.Builder
	child.Stdout, child.Stderr = &stdout, &stderr

	v := &victim{started: make(chan struct{}), dead: make(chan struct{})}
	var (
		hmu         sync.Mutex
		seenRef     string // the reference the provider saw a purchase under
		reachedAt   time.Duration
		committedAt time.Duration
	)
	var start time.Time
	committedCh := make(chan struct{})
	var commitOnce sync.Once
	afterAnswer := time.Duration(sp.jitter * float64(timing.tail(sp.tg.id)))
	faults.OnStage(func(stage, ref string) {
		hmu.Lock()
		seenRef = ref
		start := start
		switch stage {
		case sandboxkit.StageReceived:
			reachedAt = time.Since(start)
		case sandboxkit.StageCommitted:
			committedAt = time.Since(start)
			commitOnce.Do(func() { close(committedCh) })
		}
		hmu.Unlock()
		if stage != sp.kp.stage {
			return
		}
		switch {
		case sp.kp.early:
			v.kill() // if the timer has not already; the provider drops it
		case sp.kp.hold:
			v.kill()
			v.waitDead()
		case sp.kp.afterAnswer:
			time.AfterFunc(afterAnswer, v.kill)
		}
	})
	defer faults.OnStage(nil)

	hmu.Lock()
	start = time.Now()
	hmu.Unlock()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	v.proc = child.Process
	close(v.started)
	if sp.kp.early {
		// Mostly before the request leaves; some after prepare, while it is
		// on its way (the hook kills those when it arrives, at the latest).
		d := time.Duration(sp.jitter * 1.3 * float64(timing.reach(sp.tg.id, sp.faults.latency)))
		timer := time.AfterFunc(d, v.kill)
		defer timer.Stop()
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- child.Wait(); close(v.dead) }()
	var werr error
	select {
	case werr = <-waitErr:
	case <-time.After(childLimit):
		// Say where it is stuck: SIGQUIT makes a Go program print its
		// goroutines on stderr.
		_ = child.Process.Signal(syscall.SIGQUIT)
		select {
		case <-v.dead:
		case <-time.After(2 * time.Second):
			_ = child.Process.Kill()
			<-v.dead
		}
		v.mu.Lock()
		killed := v.killed
		v.mu.Unlock()
		hmu.Lock()
		seen := fmt.Sprintf("reached %v, committed %v", reachedAt, committedAt)
		hmu.Unlock()
		t.Fatalf("kiosk still running after %v (kill sent %v; %s): %s", childLimit, killed, seen, stderr.String())
	}
	ended := time.Since(start)

	hmu.Lock()
	ref, reached, committed := seenRef, reachedAt, committedAt
	hmu.Unlock()
	if reached > 0 && !sp.kp.early {
		// When the request arrived, before the latency fault held it: the
		// early kills spread over start-up, catalogue, quote and prepare.
		timing.sawReach(sp.tg.id, sp.faults.latency, max(reached-sp.faults.latency, time.Millisecond))
	}
	var ee *exec.ExitError
	signalled := errors.As(werr, &ee) && ee.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL
	v.mu.Lock()
	killed := v.killed
	v.mu.Unlock()
	out := outcome{}
	switch {
	case signalled && killed:
	case sp.kp.afterAnswer && !signalled:
		// The kiosk recorded and printed the outcome before the kill: fine,
		// the checks are the same. Exit codes 0 sold, 3 failed, 4 open.
		out.finished = true
		if committed > 0 {
			timing.sawTail(sp.tg.id, ended-committed)
		}
		if code := child.ProcessState.ExitCode(); code != 0 && code != 3 && code != 4 {
			t.Fatalf("kiosk exited %d: %s", code, stderr.String())
		}
	default:
		t.Fatalf("kiosk was not killed (err %v, kill sent %v): %s", werr, killed, stderr.String())
	}

	if sp.kp.wantCharged == 1 {
		// The provider commits a request held past the kill right after the
		// kill; make sure it has, however loaded the machine, so the
		// restart below never comes "before" the commit.
		select {
		case <-committedCh:
		case <-time.After(holdLimit):
			t.Fatal("the provider never committed the request")
		}
	}

	// Power is back: the kiosk restarts on its journal.
	time.Sleep(restartAfter)
	recoverAll(t, cfgPath, sp)
	out.kind = check(t, set, cfgPath, ref, sp)
	t.Logf("%s, %s: %s%s (ref %s)", sp.tg.name, sp.faults, out.kind, map[bool]string{true: ", kiosk finished first"}[out.finished], ref)
	return out
}

// restoreTrial is the owner who copies an old backup back over the
// journal: sale A, backup, sale B (lost with the restore, but charged at
// the provider), restore, sale C. C must get a reference neither A nor B
// used, be charged once, and hold its own PIN; B stays charged once.
func restoreTrial(t *testing.T, set *sandboxes.Set, cfgPath, dir string, sp trialSpec) outcome {
	journal := filepath.Join(dir, "journal.db")
	backup := filepath.Join(dir, "backup.db")
	a := sellOnce(t, cfgPath, dir, sp.tg)
	copyFile(t, journal, backup)
	b := sellOnce(t, cfgPath, dir, sp.tg)
	copyFile(t, backup, journal)
	c := sellOnce(t, cfgPath, dir, sp.tg)
	if c == a || c == b || a == b {
		t.Fatalf("references reused across the restored copy: A %s, B %s, C %s", a, b, c)
	}
	for _, ref := range []string{a, b, c} {
		if n := set.Charged(sp.tg.id, ref); n != 1 {
			t.Fatalf("sale %s charged %d times", ref, n)
		}
	}
	k := openKiosk(t, cfgPath)
	defer k.Close()
	if _, err := k.Engine.Sale(b); !errors.Is(err, sale.ErrNotFound) {
		t.Fatalf("the restored copy holds the lost sale %s: %v", b, err)
	}
	s, err := k.Engine.Sale(c)
	if err != nil {
		t.Fatal(err)
	}
	if s.State != sale.Succeeded && !(s.State == sale.Pending && !sp.tg.status) {
		t.Fatalf("sale after the restore is %s (%s)", s.State, s.Message)
	}
	if s.State == sale.Succeeded {
		checkVouchers(t, k, s, sp.tg)
	}
	t.Logf("%s: restored copy, sales %s, %s (lost), %s", sp.tg.name, a, b, c)
	return outcome{kind: "sold"}
}

// sellOnce runs `kiosk sell` to its end with no fault and returns the
// reference it printed.
func sellOnce(t *testing.T, cfgPath, dir string, tg target) string {
	t.Helper()
	args := append([]string{"--config", cfgPath, "sell", "--provider", tg.id}, tg.args...)
	cmd := exec.Command(bin, append(args, "--yes")...)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir, "USER=crash")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 4 && !tg.status) {
		t.Fatalf("kiosk sell: %v: %s", err, stderr.String())
	}
	var out struct {
		Ref string `json:"ref"`
	}
	if err := json.Unmarshal([]byte(stdout.String()), &out); err != nil || out.Ref == "" {
		t.Fatalf("kiosk sell printed no reference (%v): %s", err, stdout.String())
	}
	return out.Ref
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// writeConfig writes a configuration with every provider on the trial's
// sandboxes, with the credentials `kiosk sandbox` prints. The sandboxes
// serve every extension; the configuration sends what each target needs.
func writeConfig(t *testing.T, path, dir string, set *sandboxes.Set, tg target) {
	t.Helper()
	indiaExt := `extensions = ["signin", "status"]
username = "` + indiasim.Username + `"
password = "` + indiasim.Password + `"`
	if tg.docOnly {
		indiaExt = "# the document alone: the recharge, no sign-in, no status look-up"
	}
	text := fmt.Sprintf(`[terminal]
number = 7
[journal]
path = %q
key_file = %q
[sale]
timeout = %q
in_flight_window = %q

[providers.bitaqaty]
base_url = %q
username = %q
secret_key = %q

[providers.alqimah]
base_url = %q
account_number = %q
username = %q
password = %q
api_token = %q
[providers.alqimah.networks.sabafon]
unit_price = "1.21"
[providers.alqimah.networks.you]
unit_price = "1.18"
[providers.alqimah.networks.y_telecom]
unit_price = "1.15"

[providers.dtone]
base_url = %q
api_key = %q
api_secret = %q
simulation = true
countries = ["756"]
extensions = ["transactions", "lookup"]

[providers.india]
base_url = %q
recharge_path = "/recharge"
%s
[[providers.india.operators]]
code = 1
name = "Airtel"
[[providers.india.circles]]
code = 5
name = "Delhi NCR"

[providers.mor]
base_url = %q
username = %q
secret_key = %q
extensions = ["ref-header"] # the sandbox counts each sale's charges by it
[[providers.mor.card_groups]]
id = 6
name = "International calling card 5 USD"
price = "5.00"
cost = "4.50"
currency = "USD"
max_quantity = 5
`, filepath.Join(dir, "journal.db"), filepath.Join(dir, "journal.key"), saleTimeout.String(), inFlightWindow.String(),
		set.BaseURL(bitaqaty.ID), bitaqatysim.Username, bitaqatysim.SecretKey,
		set.BaseURL(alqimah.ID), alqimahsim.AccountNumber, alqimahsim.UserName, alqimahsim.Password, alqimahsim.APIToken,
		set.BaseURL(dtone.ID), dtonesim.APIKey, dtonesim.APISecret,
		set.BaseURL(india.ID), indiaExt,
		set.BaseURL(mor.ID), morsim.User, morsim.Secret)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// openKiosk starts the kiosk on the trial's journal, as a restart would.
func openKiosk(t *testing.T, cfgPath string) *app.Kiosk {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	k, err := app.Open(cfg)
	if err != nil {
		t.Fatalf("the kiosk does not start again after the kill: %v", err)
	}
	return k
}

// recoverAll restarts the kiosk and runs start-up recovery until no sale is
// left open but for a supervisor's review, as restarts (and the open-sales
// screen's polling) would. A pending sale takes a few rounds.
func recoverAll(t *testing.T, cfgPath string, sp trialSpec) {
	t.Helper()
	var last []string
	for round := range recoverRounds {
		k := openKiosk(t, cfgPath)
		ctx, cancel := context.WithTimeout(context.Background(), 4*saleTimeout)
		still, err := k.Engine.Recover(ctx)
		cancel()
		k.Close()
		last = last[:0]
		for _, s := range still {
			if s.State != sale.NeedsReview {
				last = append(last, fmt.Sprintf("%s %s (%s)", s.Ref, s.State, s.Message))
			}
		}
		if len(last) == 0 {
			return
		}
		if err != nil {
			t.Logf("recovery round %d: %v", round, err)
		}
	}
	t.Fatalf("after %d restarts sales are still open: %s", recoverRounds, strings.Join(last, "; "))
}

// snapshot is what one more recovery must not change.
type snapshot struct {
	state    sale.State
	history  int
	vouchers int
	charged  int
}

func (s snapshot) String() string {
	return fmt.Sprintf("%s, %d transitions, %d vouchers, charged %d", s.state, s.history, s.vouchers, s.charged)
}

// check tests the invariants after recovery and classifies the trial.
func check(t *testing.T, set *sandboxes.Set, cfgPath, seen string, sp trialSpec) string {
	t.Helper()
	k := openKiosk(t, cfgPath)
	defer k.Close()
	sales, err := k.Engine.Recent(10, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sales) > 1 {
		t.Fatalf("journal holds %d sales after one sell", len(sales))
	}
	if len(sales) == 0 {
		switch {
		case seen != "":
			t.Fatalf("the provider saw a purchase under %s (charged %d) that the journal does not hold", seen, set.Charged(sp.tg.id, seen))
		case !sp.kp.early:
			t.Fatalf("no sale in the journal, but the kiosk was killed %s", sp.kp.name)
		}
		return "no sale"
	}
	s := sales[0]
	if seen != "" && seen != s.Ref {
		t.Fatalf("the provider saw a purchase under %s, the journal holds %s", seen, s.Ref)
	}
	charged := set.Charged(sp.tg.id, s.Ref)
	if charged > 1 {
		t.Fatalf("sale %s charged %d times", s.Ref, charged)
	}
	if charged != sp.kp.wantCharged {
		t.Fatalf("sale %s charged %d times, want %d", s.Ref, charged, sp.kp.wantCharged)
	}
	if s.VoucherErr != "" {
		t.Fatalf("sale %s: PINs unreadable: %s", s.Ref, s.VoucherErr)
	}

	kind := ""
	switch {
	case s.State == sale.NeedsReview:
		if sp.tg.status && (sp.tg.notFound || charged == 1) {
			t.Fatalf("sale %s needs review although %s could settle it by its status look-up: %s", s.Ref, sp.tg.name, s.Message)
		}
		if strings.TrimSpace(s.Message) == "" {
			t.Fatalf("sale %s needs review with no reason", s.Ref)
		}
		if charged == 1 && !strings.Contains(s.Message, "do not refund yet") {
			t.Fatalf("sale %s, charged by the provider, is in review without a warning not to refund: %s", s.Ref, s.Message)
		}
		kind = "review"
	case s.State.Open():
		t.Fatalf("sale %s left %s after recovery", s.Ref, s.State)
	case charged == 0 && s.State == sale.Succeeded:
		t.Fatalf("sale %s is succeeded but the provider charged nothing", s.Ref)
	case charged == 1 && s.State == sale.Failed:
		t.Fatalf("sale %s is failed (%s) but the provider charged it: the customer paid for nothing", s.Ref, s.Message)
	case s.State == sale.Failed:
		kind = "not sold"
	case s.State == sale.Succeeded:
		kind = "sold"
		checkVouchers(t, k, s, sp.tg)
	}

	// One more restart changes nothing and buys nothing.
	before := snapshot{s.State, len(s.History), len(s.Vouchers), charged}
	ctx, cancel := context.WithTimeout(context.Background(), 4*saleTimeout)
	defer cancel()
	if _, err := k.Engine.Recover(ctx); err != nil && sp.tg.status && s.State != sale.NeedsReview {
		t.Fatalf("a recovery with nothing to do failed: %v", err)
	}
	again, err := k.Engine.Sale(s.Ref)
	if err != nil {
		t.Fatal(err)
	}
	after := snapshot{again.State, len(again.History), len(again.Vouchers), set.Charged(sp.tg.id, s.Ref)}
	if after != before {
		t.Fatalf("another recovery changed sale %s: %s → %s", s.Ref, before, after)
	}
	return kind
}

// checkVouchers compares a succeeded sale's vouchers with what the provider
// says it delivered. MOR has no look-up: its cards must at least be there.
func checkVouchers(t *testing.T, k *app.Kiosk, s *sale.Sale, tg target) {
	t.Helper()
	if !tg.status {
		if len(s.Vouchers) == 0 || s.Vouchers[0].PIN == "" && s.Vouchers[0].Reference == "" {
			t.Fatalf("sale %s is succeeded without its PIN or the operator's reference", s.Ref)
		}
		return
	}
	p, err := k.Engine.Provider(tg.id)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*saleTimeout)
	defer cancel()
	res, err := p.(providers.StatusChecker).Status(ctx, providers.SaleRef{Ref: s.Ref, Product: s.Product, Prepared: s.Created})
	if err != nil {
		t.Fatalf("provider's status of %s: %v", s.Ref, err)
	}
	if res.State != providers.Succeeded {
		t.Fatalf("journal says succeeded, the provider says %s", res.State)
	}
	if len(res.Vouchers) != len(s.Vouchers) {
		t.Fatalf("journal holds %d vouchers, the provider delivered %d", len(s.Vouchers), len(res.Vouchers))
	}
	delivered := false
	for i, pv := range res.Vouchers {
		jv := s.Vouchers[i]
		for _, f := range []struct{ name, provider, journal string }{
			{"PIN", pv.PIN, jv.PIN}, {"PIN2", pv.PIN2, jv.PIN2}, {"serial", pv.Serial, jv.Serial}, {"reference", pv.Reference, jv.Reference},
		} {
			if f.provider != "" && f.provider != f.journal {
				t.Fatalf("voucher %d: journal %s %q, the provider's %q", i, f.name, f.journal, f.provider)
			}
			delivered = delivered || f.provider != ""
		}
	}
	if !delivered {
		t.Fatalf("the provider's answer for %s carries no PIN, serial or reference to compare", s.Ref)
	}
}

// timings learns how long a kiosk takes to reach the purchase (for each
// provider and latency: every request before it waits the latency), and to
// finish after the provider committed, so random kills land in the right
// window.
type timings struct {
	mu     sync.Mutex
	reachD map[string]time.Duration // by provider/latency
	tailD  map[string]time.Duration // by provider
}

func newTimings() *timings {
	return &timings{reachD: map[string]time.Duration{}, tailD: map[string]time.Duration{}}
}

func reachKey(id string, latency time.Duration) string { return id + "/" + latency.String() }

func (tm *timings) reach(id string, latency time.Duration) time.Duration {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if d, ok := tm.reachD[reachKey(id, latency)]; ok {
		return d
	}
	if d, ok := tm.reachD[reachKey(id, 0)]; ok {
		return d + 3*latency // a guess until this latency has been seen
	}
	return 100*time.Millisecond + 3*latency
}

func (tm *timings) sawReach(id string, latency, d time.Duration) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	k := reachKey(id, latency)
	if old, ok := tm.reachD[k]; ok {
		d = (3*old + d) / 4
	}
	tm.reachD[k] = d
}

// tail is the window for a kill after the answer: most of the time the
// kiosk usually takes to read, record and print it and exit.
func (tm *timings) tail(id string) time.Duration {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if d, ok := tm.tailD[id]; ok {
		return d * 3 / 4
	}
	return 5 * time.Millisecond
}

func (tm *timings) String() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	var parts []string
	for _, tg := range targets {
		parts = append(parts, fmt.Sprintf("%s reach %v tail %v", tg.id, tm.reachD[reachKey(tg.id, 0)].Round(time.Millisecond), tm.tailD[tg.id].Round(100*time.Microsecond)))
	}
	return strings.Join(parts, "; ")
}

func (tm *timings) sawTail(id string, d time.Duration) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if old, ok := tm.tailD[id]; ok {
		d = (3*old + d) / 4
	}
	tm.tailD[id] = d
}

// tally counts outcomes per provider and kill point.
type tally struct {
	mu   sync.Mutex
	rows map[[2]string]*row
}

type row struct {
	trials, sold, notSold, noSale, review, failed, finished int
}

func newTally() *tally { return &tally{rows: map[[2]string]*row{}} }

func (c *tally) add(sp trialSpec, out outcome, failed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := [2]string{sp.tg.name, sp.kp.name}
	r := c.rows[key]
	if r == nil {
		r = &row{}
		c.rows[key] = r
	}
	r.trials++
	if out.finished {
		r.finished++
	}
	switch {
	case failed:
		r.failed++
	case out.kind == "sold":
		r.sold++
	case out.kind == "not sold":
		r.notSold++
	case out.kind == "no sale":
		r.noSale++
	case out.kind == "review":
		r.review++
	}
}

func (c *tally) table() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	order := map[string]int{}
	for i, tg := range targets {
		order[tg.name] = i
	}
	kpOrder := map[string]int{}
	for i, kp := range killPoints {
		kpOrder[kp.name] = i
	}
	keys := make([][2]string, 0, len(c.rows))
	for k := range c.rows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return order[keys[i][0]] < order[keys[j][0]]
		}
		return kpOrder[keys[i][1]] < kpOrder[keys[j][1]]
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%-9s %-39s %6s %6s %8s %7s %6s %6s %8s\n", "provider", "kill point", "trials", "sold", "not sold", "no sale", "review", "FAIL", "finished")
	var sum row
	for _, k := range keys {
		r := c.rows[k]
		fmt.Fprintf(&b, "%-9s %-39s %6d %6d %8d %7d %6d %6d %8d\n", k[0], k[1], r.trials, r.sold, r.notSold, r.noSale, r.review, r.failed, r.finished)
		sum.trials += r.trials
		sum.sold += r.sold
		sum.notSold += r.notSold
		sum.noSale += r.noSale
		sum.review += r.review
		sum.failed += r.failed
		sum.finished += r.finished
	}
	fmt.Fprintf(&b, "%-9s %-39s %6d %6d %8d %7d %6d %6d %8d\n", "all", "", sum.trials, sum.sold, sum.notSold, sum.noSale, sum.review, sum.failed, sum.finished)
	b.WriteString("sold: charged once, recovered with the provider's PIN/reference; not sold: failed, nothing charged;\n" +
		"no sale: killed before prepare committed, nothing charged; review: needs_review with a reason (MOR: no look-up);\n" +
		"finished: the kiosk recorded the outcome before the kill landed (counted in its column too)")
	return b.String()
}
