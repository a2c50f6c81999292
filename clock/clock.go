// Package clock gives tests a clock they control. Production code takes a
// `func() time.Time` (time.Now in the binary); tests pass a Fake's Now, so
// no test result depends on the day it runs.
package clock

import (
	"sync"
	"time"
)

// Start is the moment every test clock starts at unless a test says
// otherwise: a Tuesday morning in Aden, far from any day boundary.
var Start = time.Date(2026, 11, 24, 10, 0, 0, 0, time.FixedZone("+03", 3*3600))

// Fake is a clock that moves only when told to. It is safe for concurrent use.
type Fake struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

// NewFake returns a clock standing at t.
func NewFake(t time.Time) *Fake { return &Fake{t: t} }

// NewTicking returns a clock at t that moves on by step each time it is
// read, for code that needs time to pass between two readings (durations,
// ordering) without a test saying how much.
func NewTicking(t time.Time, step time.Duration) *Fake { return &Fake{t: t, step: step} }

// Now reads the clock.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := f.t
	f.t = f.t.Add(f.step)
	return t
}

// Advance moves the clock on by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

// Set puts the clock at t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.t = t
	f.mu.Unlock()
}
