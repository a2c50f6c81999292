// Package sandboxkit is what every provider sandbox shares: the fault switches
// (latency, no answer, hang or cut after commit, out of stock, no balance,
// pending-then-success) and a loopback HTTP server to run a sandbox on.
//
// A sandbox handler calls Delay at the top of each request, BeforeCommit just
// before it records a purchase and AfterCommit just after, and checks
// OutOfStock, NoBalance and TakePending where its protocol has those answers.
package sandboxkit

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxHang bounds how long a "no answer" fault holds a request, so a test
// that forgets to cancel still ends.
const MaxHang = 2 * time.Minute

// Faults are switched at run time, by tests and by `kiosk sandbox` flags.
// The zero value has every fault off. It is safe for concurrent use.
type Faults struct {
	mu                  sync.Mutex
	latency             time.Duration
	noAnswer            bool // hold the request, answer nothing, commit nothing
	hangAfterCommit     bool // commit the purchase, then answer nothing
	cutAfterCommit      bool // commit the purchase, then drop the connection
	outOfStock          bool
	insufficientBalance bool
	pending             int // purchases answer "pending"; status says pending this many times, then final

	onStage func(stage, ref string)
}

// Stages reported to OnStage.
const (
	StageReceived  = "received"  // a purchase request arrived and passed its checks
	StageCommitted = "committed" // the purchase is recorded in the sandbox
)

// Names of the switches, as `kiosk sandbox --fault` takes them.
const (
	FaultLatency         = "latency"           // latency=300ms
	FaultNoAnswer        = "no-answer"         // timeout before anything is committed
	FaultHangAfterCommit = "hang-after-commit" // timeout after the sale is committed
	FaultCutAfterCommit  = "cut-after-commit"  // connection cut after the sale is committed
	FaultOutOfStock      = "out-of-stock"
	FaultNoBalance       = "no-balance"
	FaultPending         = "pending" // pending=2: two status polls say pending, then success
)

// FaultNames lists every switch for help texts.
var FaultNames = []string{FaultLatency, FaultNoAnswer, FaultHangAfterCommit, FaultCutAfterCommit, FaultOutOfStock, FaultNoBalance, FaultPending}

// Set switches a fault by name. value is a duration for latency, a count for
// pending, and "on"/"off" (or empty for on) for the others.
func (f *Faults) Set(name, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	on := value == "" || value == "on" || value == "true" || value == "1"
	switch name {
	case FaultLatency:
		d, err := time.ParseDuration(value)
		if err != nil || d < 0 {
			return fmt.Errorf("fault latency: %q is not a duration like 300ms", value)
		}
		f.latency = d
	case FaultPending:
		n := 1
		if value != "" {
			var err error
			if n, err = strconv.Atoi(value); err != nil || n < 0 {
				return fmt.Errorf("fault pending: %q is not a count", value)
			}
		}
		f.pending = n
	case FaultNoAnswer:
		f.noAnswer = on
	case FaultHangAfterCommit:
		f.hangAfterCommit = on
	case FaultCutAfterCommit:
		f.cutAfterCommit = on
	case FaultOutOfStock:
		f.outOfStock = on
	case FaultNoBalance:
		f.insufficientBalance = on
	default:
		return fmt.Errorf("unknown fault %q (known: %s)", name, strings.Join(FaultNames, ", "))
	}
	return nil
}

// Parse switches faults from a list like "latency=200ms,cut-after-commit,pending=2".
func (f *Faults) Parse(list string) error {
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, value, _ := strings.Cut(item, "=")
		if err := f.Set(name, value); err != nil {
			return err
		}
	}
	return nil
}

// Reset switches every fault off.
func (f *Faults) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latency, f.pending = 0, 0
	f.noAnswer, f.hangAfterCommit, f.cutAfterCommit = false, false, false
	f.outOfStock, f.insufficientBalance = false, false
}

// OnStage registers a hook called at each purchase stage (tests use it to
// kill a client at an exact moment). nil removes it.
func (f *Faults) OnStage(fn func(stage, ref string)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onStage = fn
}

// OutOfStock reports whether purchases should answer "out of stock".
func (f *Faults) OutOfStock() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.outOfStock }

// NoBalance reports whether purchases should answer "insufficient balance".
func (f *Faults) NoBalance() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.insufficientBalance }

// PendingPolls is how many status look-ups of a new purchase should say
// pending before it succeeds; 0 means purchases succeed at once.
func (f *Faults) PendingPolls() int { f.mu.Lock(); defer f.mu.Unlock(); return f.pending }

// Delay waits for the configured latency or until the request is abandoned.
func (f *Faults) Delay(ctx context.Context) {
	f.mu.Lock()
	d := f.latency
	f.mu.Unlock()
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// BeforeCommit is called when a purchase request has passed its checks and is
// about to be recorded. It returns true when the handler must stop without
// committing or answering (the no-answer fault).
func (f *Faults) BeforeCommit(r *http.Request, ref string) bool {
	f.mu.Lock()
	hook, hold := f.onStage, f.noAnswer
	f.mu.Unlock()
	if hook != nil {
		hook(StageReceived, ref)
	}
	if hold {
		hang(r.Context())
		return true
	}
	return false
}

// AfterCommit is called right after a purchase is recorded. It returns true
// when the handler must not answer: the request was held until the client
// gave up, or the connection was cut.
func (f *Faults) AfterCommit(w http.ResponseWriter, r *http.Request, ref string) bool {
	f.mu.Lock()
	hook, hangIt, cut := f.onStage, f.hangAfterCommit, f.cutAfterCommit
	f.mu.Unlock()
	if hook != nil {
		hook(StageCommitted, ref)
	}
	switch {
	case cut:
		Cut(w)
		return true
	case hangIt:
		hang(r.Context())
		return true
	}
	return false
}

func hang(ctx context.Context) {
	t := time.NewTimer(MaxHang)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// Cut drops the connection under w without writing an answer.
func Cut(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
