package cli

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles profiles the whole run when asked to by the environment,
// for measuring the real binary (its start-up above all):
//
//	KIOSK_CPUPROFILE=cpu.out   a CPU profile of the run
//	KIOSK_MEMPROFILE=mem.out   a heap profile (allocations included) at exit
//
// Read them with `go tool pprof kiosk cpu.out`. stop writes them; a
// profile that cannot be written is said on errw and changes nothing else.
func startProfiles(errw io.Writer) (stop func()) {
	cpuPath, memPath := os.Getenv("KIOSK_CPUPROFILE"), os.Getenv("KIOSK_MEMPROFILE")
	if cpuPath == "" && memPath == "" {
		return func() {}
	}
	var cpu *os.File
	if cpuPath != "" {
		f, err := os.Create(cpuPath)
		if err == nil {
			if err = pprof.StartCPUProfile(f); err != nil {
				_ = f.Close()
			}
		}
		if err != nil {
			fmt.Fprintf(errw, "kiosk: KIOSK_CPUPROFILE: %v\n", err)
		} else {
			cpu = f
		}
	}
	if memPath != "" {
		runtime.MemProfileRate = 4096 // every start-up allocation of note, not one in 512 KB
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			_ = cpu.Close()
		}
		if memPath == "" {
			return
		}
		runtime.GC() // the profile holds what the last collection saw: all of it
		f, err := os.Create(memPath)
		if err == nil {
			err = pprof.Lookup("allocs").WriteTo(f, 0)
			_ = f.Close()
		}
		if err != nil {
			fmt.Fprintf(errw, "kiosk: KIOSK_MEMPROFILE: %v\n", err)
		}
	}
}
