package storage

import "syscall"

// releaseMapped drops the pages of the journal's memory map, [addr,
// addr+size), from the kiosk's resident memory. The map is of the file,
// shared and read-only, so the kernel reads a page again from the page
// cache (or the file) when it is next needed: nothing is lost, and the
// catalogue pages read once at start-up no longer count in the kiosk's
// RSS (about 60 MB of 500,000 cached products). It is only advice: an
// error changes nothing.
func releaseMapped(addr, size uintptr) {
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, addr, size, syscall.MADV_DONTNEED)
}
