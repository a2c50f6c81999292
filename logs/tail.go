package logs

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
)

// Tail returns the last n lines of the log at path, oldest first, reading
// the rotated files (PATH.1 … PATH.(keep-1)) when the current one holds
// fewer. Each line is cleaned of control characters, for a terminal: the
// file may have been written by an older kiosk or edited by hand.
func Tail(path string, n, keep int) ([]string, error) {
	if n <= 0 {
		return nil, fmt.Errorf("lines to show: %d is not positive", n)
	}
	var lines []string // newest first while reading
	found := false
	for i := 0; i < max(keep, 1) && len(lines) < n; i++ {
		b, err := os.ReadFile(Rotated(path, i))
		if errors.Is(err, fs.ErrNotExist) {
			continue // a rotation may be under way, or the kiosk never rotated
		}
		if err != nil {
			return nil, fmt.Errorf("read log: %w", err)
		}
		found = true
		file := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
		for j := len(file) - 1; j >= 0 && len(lines) < n; j-- {
			if len(file[j]) > 0 {
				lines = append(lines, stripControls(string(file[j])))
			}
		}
	}
	if !found {
		return nil, noLog(path)
	}
	slices.Reverse(lines)
	return lines, nil
}
