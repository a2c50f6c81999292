// Package gcwindow lets the garbage collector run less often while the
// kiosk starts: decoding a large cached catalogue and building its search
// index allocate as much garbage as they keep, and at the default GOGC the
// collector ran through most of it for nothing.
//
// At 500,078 products (scripts/bench-startup.sh, real binary, 2 shared
// cores) a GC percent of 400 while loading took the first usable frame
// from 2.07 s to 1.68 s, the same as GOGC=off, with a lower peak; at
// 50,078 it was 256 ms and 238 ms. The memory is returned to the system
// once the index is built (screens), so RSS at the first frame is the
// same: 58 MB at 50k.
package gcwindow

import (
	"runtime/debug"
	"sync"
)

// Percent is the GC percent while the window is open.
const Percent = 400

var (
	mu     sync.Mutex
	open   bool
	before int
)

// Open raises the GC percent to Percent until Close. It is for the start
// of the process only; a second Open before Close does nothing.
func Open() {
	mu.Lock()
	defer mu.Unlock()
	if open {
		return
	}
	before = debug.SetGCPercent(Percent)
	open = true
}

// Close puts the GC percent back as it was before Open (GOGC, or 100), and
// reports whether the window was open. It may be called any number of
// times.
func Close() bool {
	mu.Lock()
	defer mu.Unlock()
	if !open {
		return false
	}
	debug.SetGCPercent(before)
	open = false
	return true
}
