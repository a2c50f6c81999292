//go:build !linux

package storage

// releaseMapped leaves the map as it is where madvise is not used.
func releaseMapped(addr, size uintptr) {}
