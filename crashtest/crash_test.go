// Package crashtest kills a real `kiosk sell` process with SIGKILL at each
// moment of a sale, then reopens its journal, runs recovery, and checks the
// invariants every time: no sale charged twice by the provider, no PIN the
// provider delivered missing from the journal, no sale left open.
//
// The default run is short. The long run is one command:
//
//	go test ./crashtest -run TestCrash -crash.trials=500 -timeout 30m
package crashtest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kiosk/app"
	"kiosk/config"
	"kiosk/providers"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/sandboxkit"
	"kiosk/sandboxes"
	"kiosk/storage"
)

var trials = flag.Int("crash.trials", 6, "number of kill trials to run (cycling through the kill points)")

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

// killPoint is a moment in a sale at which the kiosk process dies.
type killPoint struct {
	name string
	// stage is the sandbox stage at which the child is killed.
	stage string
	// drop makes the provider drop the request after the kill, as a
	// provider does when the client goes away before it commits.
	drop bool
	// wantCharged is how many times the provider must have charged.
	wantCharged int
}

var killPoints = []killPoint{
	// Prepared and sent, the provider has not committed, and drops it.
	{name: "after prepare, request dropped", stage: sandboxkit.StageReceived, drop: true, wantCharged: 0},
	// Prepared and sent; the kiosk dies, but the request still reaches the
	// provider and is committed: recovery must find it by reference.
	{name: "after prepare, request still committed", stage: sandboxkit.StageReceived, wantCharged: 1},
	// The provider committed and is answering; the kiosk dies first.
	{name: "after commit, answer not read", stage: sandboxkit.StageCommitted, wantCharged: 1},
}

type counts struct {
	mu                     sync.Mutex
	trials, charged, fails int
}

func TestCrash(t *testing.T) {
	set, err := sandboxes.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	var c counts
	for i := range *trials {
		kp := killPoints[i%len(killPoints)]
		t.Run(fmt.Sprintf("%03d %s", i, kp.name), func(t *testing.T) {
			trial(t, set, kp)
			c.mu.Lock()
			defer c.mu.Unlock()
			c.trials++
			c.charged += kp.wantCharged
			if t.Failed() {
				c.fails++
			}
		})
	}
	t.Logf("crash trials: %d run, %d failed; %d sales charged once and recovered with their PIN, %d recovered as not sold",
		c.trials, c.fails, c.charged, c.trials-c.charged)
}

func trial(t *testing.T, set *sandboxes.Set, kp killPoint) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "kiosk.toml")
	writeConfig(t, cfgPath, dir, set.BaseURL(bitaqaty.ID))

	child := exec.Command(bin, "--config", cfgPath, "sell", "--provider", bitaqaty.ID, "--product", "2862", "--yes")
	var stderr strings.Builder
	child.Stderr = &stderr
	faults := set.Bitaqaty.Faults
	faults.Reset()
	if kp.drop {
		_ = faults.Set(sandboxkit.FaultNoAnswer, "on")
	}
	dead := make(chan struct{})
	proc := make(chan *os.Process, 1)
	killed := make(chan string, 1)
	var once sync.Once
	faults.OnStage(func(stage, ref string) {
		if stage != kp.stage {
			return
		}
		once.Do(func() {
			_ = (<-proc).Signal(syscall.SIGKILL)
			killed <- ref
			<-dead // hold the request until the kiosk is really gone
		})
	})
	defer faults.OnStage(nil)
	defer faults.Reset()

	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	proc <- child.Process
	waitErr := make(chan error, 1)
	go func() { waitErr <- child.Wait(); close(dead) }()
	select {
	case err := <-waitErr:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("kiosk was not killed (err %v): %s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		_ = child.Process.Kill()
		t.Fatalf("kiosk never reached %s: %s", kp.stage, stderr.String())
	}
	var killedAt string
	select {
	case killedAt = <-killed:
	default:
		t.Fatal("the kill hook never ran")
	}

	// Let the in-flight window pass, as a restart after a power cut would.
	time.Sleep(400 * time.Millisecond)
	recoverTwice(t, cfgPath)
	check(t, set, cfgPath, killedAt, kp)
}

func writeConfig(t *testing.T, path, dir, baseURL string) {
	t.Helper()
	text := fmt.Sprintf(`[terminal]
number = 7
[journal]
path = %q
key_file = %q
[sale]
timeout = "3s"
in_flight_window = "300ms"
[providers.bitaqaty]
base_url = %q
username = %q
secret_key = %q
`, filepath.Join(dir, "journal.db"), filepath.Join(dir, "journal.key"), baseURL, bitaqaty.SandboxUsername, bitaqaty.SandboxSecretKey)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// recoverTwice runs start-up recovery as a restarted kiosk would, twice:
// the second run must change nothing and buy nothing.
func recoverTwice(t *testing.T, cfgPath string) {
	t.Helper()
	for range 2 {
		cfg, err := config.Load(cfgPath)
		if err != nil {
			t.Fatal(err)
		}
		k, err := app.Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		still, err := k.Engine.Recover(context.Background())
		k.Close()
		if err != nil || len(still) != 0 {
			t.Fatalf("recovery left %d open sales: %v", len(still), err)
		}
	}
}

func check(t *testing.T, set *sandboxes.Set, cfgPath, ref string, kp killPoint) {
	t.Helper()
	cfg, _ := config.Load(cfgPath)
	k, err := app.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	n, _ := k.Journal.CountSales()
	if n != 1 {
		t.Fatalf("journal holds %d sales, want exactly 1", n)
	}
	s, err := k.Journal.Get(ref)
	if err != nil {
		t.Fatalf("the killed sale %s is not in the journal: %v", ref, err)
	}
	charged := set.Charged(bitaqaty.ID, ref)
	if charged > 1 {
		t.Fatalf("sale %s charged %d times", ref, charged)
	}
	if charged != kp.wantCharged {
		t.Fatalf("sale %s charged %d times, want %d", ref, charged, kp.wantCharged)
	}
	switch charged {
	case 0:
		if s.State != storage.Failed {
			t.Fatalf("uncharged sale is %s, want failed", s.State)
		}
	case 1:
		if s.State != storage.Succeeded || len(s.Vouchers) != 1 {
			t.Fatalf("charged sale is %s with %d vouchers", s.State, len(s.Vouchers))
		}
		provider, _ := k.Engine.Provider(bitaqaty.ID)
		res, err := provider.(providers.StatusChecker).Status(context.Background(), providers.SaleRef{Ref: ref})
		if err != nil {
			t.Fatal(err)
		}
		if res.Vouchers[0].PIN != s.Vouchers[0].PIN {
			t.Fatalf("journal PIN %q differs from the provider's %q", s.Vouchers[0].PIN, res.Vouchers[0].PIN)
		}
	}
}
