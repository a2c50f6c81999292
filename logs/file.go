package logs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// File is a log file that rotates by size: when a write would take it past
// MaxBytes it becomes PATH.1 (PATH.1 becomes PATH.2, and so on) and a new
// PATH is started; the oldest beyond Keep files is removed. A write is
// never split across two files, so every line stays whole.
//
// It is safe for concurrent use. Lines are not fsynced: a log for support
// is not worth two disk flushes a line, and the journal, not the log, is the
// record of what was sold.
type File struct {
	path string
	max  int64
	keep int

	mu   sync.Mutex
	f    *os.File
	size int64
	err  error // the last rotation failure, kept for Err
}

// OpenFile opens (or creates, mode 0600, with its directory) the log file
// at path. max is the size at which it rotates and keep how many files are
// kept in all, the current one included (at least 1).
func OpenFile(path string, max int64, keep int) (*File, error) {
	if max <= 0 {
		return nil, fmt.Errorf("log file %s: maximum size %d is not positive", path, max)
	}
	if keep < 1 {
		return nil, fmt.Errorf("log file %s: keep %d files: at least one is needed", path, keep)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("log directory: %w", err)
	}
	l := &File{path: path, max: max, keep: keep}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

// open opens the current file for appending. Anything but a regular file
// (a symlink, a directory, a device) is refused with its path named: the
// log must not be turned into a way to write elsewhere.
func (l *File) open() error {
	if fi, err := os.Lstat(l.path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("log file %s is not a regular file (%s): refused; move it away", l.path, fi.Mode().Type())
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("log file: %w", err)
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("log file: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("log file: %w", err)
	}
	l.f, l.size = f, fi.Size()
	return nil
}

// Write appends p, rotating first when p would not fit.
func (l *File) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return 0, fmt.Errorf("log file %s is closed", l.path)
	}
	if l.size > 0 && l.size+int64(len(p)) > l.max {
		// A failed rotation keeps writing to the file it has: a log that
		// grows past its size loses less than one that stops. It is tried
		// again only after another max bytes, not on every line.
		if l.err = l.rotate(); l.err != nil {
			l.size = 0
		}
	}
	n, err := l.f.Write(p)
	l.size += int64(n)
	return n, err
}

// rotate shifts PATH.(keep-2) … PATH.1, PATH one place up and opens a new
// PATH. The file that would become PATH.keep is overwritten by the rename.
func (l *File) rotate() error {
	if l.keep == 1 {
		if err := l.f.Truncate(0); err != nil {
			return fmt.Errorf("rotate log %s: %w", l.path, err)
		}
		l.size = 0
		return nil
	}
	for i := l.keep - 2; i >= 1; i-- {
		err := os.Rename(Rotated(l.path, i), Rotated(l.path, i+1))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("rotate log %s: %w", l.path, err)
		}
	}
	if err := os.Rename(l.path, Rotated(l.path, 1)); err != nil {
		return fmt.Errorf("rotate log %s: %w", l.path, err)
	}
	old := l.f
	if err := l.open(); err != nil {
		// Keep appending to the renamed file rather than lose lines.
		return err
	}
	old.Close()
	return nil
}

// Rotated is the name of the n-th older log file: PATH.n (PATH itself for 0).
func Rotated(path string, n int) string {
	if n == 0 {
		return path
	}
	return path + "." + strconv.Itoa(n)
}

// Err reports the last rotation failure, for a health check; nil when the
// last rotation went well.
func (l *File) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Close flushes the file to disk and closes it.
func (l *File) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := errors.Join(l.f.Sync(), l.f.Close())
	l.f = nil
	return err
}
