package logs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// line is the n-th test line, all of one length so sizes are easy to count.
func line(n int) string { return fmt.Sprintf("line %06d\n", n) } // 12 bytes

func writeLines(t *testing.T, f *File, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		if _, err := f.Write([]byte(line(i))); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRotationKeepsNewestWholeLines(t *testing.T) {
	tests := []struct {
		name      string
		max       int64
		keep      int
		lines     int
		wantFiles int
		wantKept  int // newest lines still on disk
	}{
		{"fits in one file", 120, 3, 10, 1, 10},
		{"one rotation", 120, 3, 11, 2, 11},
		{"oldest dropped: 30–34, 20–29, 10–19 kept", 120, 3, 35, 3, 25},
		{"a size that is not a multiple of the line", 100, 2, 40, 2, 16},
		{"one file kept: truncated in place", 120, 1, 25, 1, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), FileName)
			f, err := OpenFile(path, tt.max, tt.keep)
			if err != nil {
				t.Fatal(err)
			}
			writeLines(t, f, 0, tt.lines)
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			files, _ := filepath.Glob(path + "*")
			if len(files) != tt.wantFiles {
				t.Fatalf("files %v, want %d", files, tt.wantFiles)
			}
			for _, name := range files {
				fi, err := os.Stat(name)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Size() > tt.max {
					t.Errorf("%s is %d bytes, over the maximum %d", name, fi.Size(), tt.max)
				}
				if fi.Mode().Perm() != 0o600 {
					t.Errorf("%s has mode %v, want 0600", name, fi.Mode().Perm())
				}
			}
			got, err := Tail(path, 1<<20, tt.keep)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i := tt.lines - tt.wantKept; i < tt.lines; i++ {
				want = append(want, strings.TrimSuffix(line(i), "\n"))
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("kept lines\n%q\nwant\n%q", got, want)
			}
		})
	}
}

// TestReopenContinuesTheFile: a restarted kiosk appends to its log and
// counts what is already there toward the size.
func TestReopenContinuesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	f, err := OpenFile(path, 120, 2)
	if err != nil {
		t.Fatal(err)
	}
	writeLines(t, f, 0, 6)
	f.Close()
	f, err = OpenFile(path, 120, 2)
	if err != nil {
		t.Fatal(err)
	}
	writeLines(t, f, 6, 11) // 11 lines of 12 bytes: the 11th rotates
	f.Close()
	cur, _ := os.ReadFile(path)
	old, _ := os.ReadFile(Rotated(path, 1))
	if string(cur) != line(10) || !strings.HasPrefix(string(old), line(0)) || strings.Count(string(old), "\n") != 10 {
		t.Fatalf("after reopening: current %q, rotated %q", cur, old)
	}
}

// TestConcurrentLinesStayWhole: loggers on many goroutines, through
// rotations, lose no line and split none.
func TestConcurrentLinesStayWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	const workers, each = 8, 300
	// Small files, and enough of them to keep every line.
	l, err := Open(path, Options{MaxBytes: 16 << 10, Keep: 200})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				l.Info("sale step", Step("purchase"), Ref(fmt.Sprintf("%03d%06d", w, i)))
			}
		})
	}
	wg.Wait()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	lines, err := Tail(path, 1<<20, 200)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(Rotated(path, 2)); err != nil {
		t.Fatalf("the test wrote too little to rotate: %v", err)
	}
	seen := map[string]bool{}
	for _, ln := range lines {
		if !strings.HasPrefix(ln, "time=") || !strings.Contains(ln, `msg="sale step" step=purchase ref=`) {
			t.Fatalf("broken line %q", ln)
		}
		seen[ln[strings.LastIndex(ln, "ref=")+4:]] = true
	}
	if len(seen) != workers*each || len(lines) != workers*each {
		t.Fatalf("%d lines, %d distinct refs; want %d of each", len(lines), len(seen), workers*each)
	}
}

// TestFailedRotationLosesNothing: when the rotated name cannot be used
// (here a directory stands there) lines go on into the current file and
// Err says why.
func TestFailedRotationLosesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.MkdirAll(filepath.Join(Rotated(path, 1), "in-the-way"), 0o700); err != nil {
		t.Fatal(err)
	}
	f, err := OpenFile(path, 120, 2)
	if err != nil {
		t.Fatal(err)
	}
	writeLines(t, f, 0, 25)
	if f.Err() == nil || !strings.Contains(f.Err().Error(), "rotate log") {
		t.Errorf("Err() = %v, want the rotation failure", f.Err())
	}
	f.Close()
	b, _ := os.ReadFile(path)
	if strings.Count(string(b), "\n") != 25 {
		t.Fatalf("current file holds %d lines, want all 25", strings.Count(string(b), "\n"))
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere")
	if err := os.WriteFile(target, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.log")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		path      string
		max       int64
		keep      int
		wantInErr string
	}{
		{"symlink", link, 100, 2, link + " is not a regular file"},
		{"directory", dir, 100, 2, dir + " is not a regular file"},
		{"no size", filepath.Join(dir, "a.log"), 0, 2, "maximum size 0"},
		{"no file kept", filepath.Join(dir, "a.log"), 100, 0, "keep 0 files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := OpenFile(tt.path, tt.max, tt.keep)
			if err == nil {
				f.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Errorf("error %q does not say %q", err, tt.wantInErr)
			}
		})
	}
	if b, _ := os.ReadFile(target); len(b) != 0 {
		t.Errorf("the symlink's target was written: %q", b)
	}
}

func TestWriteAfterClose(t *testing.T) {
	f, err := OpenFile(filepath.Join(t.TempDir(), FileName), 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := f.Write([]byte("late\n")); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("write after close: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
}
