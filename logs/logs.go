// Package logs writes the kiosk's log for support: structured lines
// (log/slog, key=value text) in a file beside the journal, rotated by size
// with a handful kept, and redacted so that no PIN, secret, token or full
// customer number reaches it.
//
// Callers log typed attributes (Ref, Provider, State, Took, Code,
// Customer…), never structs: the handler masks customer numbers, redacts
// any attribute whose key names a secret, refuses values of unknown types
// and scrubs free text (see Scrub).
package logs

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"
)

// FileName is the log's name in the state directory.
const FileName = "kiosk.log"

// Defaults: five files of 5 MiB at most, 25 MiB in all.
const (
	DefaultMaxBytes = 5 << 20
	DefaultKeep     = 5
)

// PathFor is where the log of the journal at journalPath lives: beside it.
func PathFor(journalPath string) string {
	return filepath.Join(filepath.Dir(journalPath), FileName)
}

// Options tune a log. The zero value is the defaults.
type Options struct {
	MaxBytes int64 // size at which the file rotates (DefaultMaxBytes)
	Keep     int   // files kept, the current one included (DefaultKeep)
	Level    slog.Leveler
	// Now dates the lines; nil is the record's own time (time.Now). Tests
	// pass a fake clock's Now.
	Now func() time.Time
}

// Log is an open log file and its logger.
type Log struct {
	*slog.Logger
	File *File
}

// Open opens the log at path (see PathFor) for appending.
func Open(path string, opt Options) (*Log, error) {
	if opt.MaxBytes == 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	if opt.Keep == 0 {
		opt.Keep = DefaultKeep
	}
	f, err := OpenFile(path, opt.MaxBytes, opt.Keep)
	if err != nil {
		return nil, err
	}
	return &Log{Logger: slog.New(NewHandler(f, opt)), File: f}, nil
}

// Close closes the file. Lines logged afterwards are dropped.
func (l *Log) Close() error {
	if l == nil || l.File == nil {
		return nil
	}
	return l.File.Close()
}

// NewHandler is the redacting handler writing key=value lines to w.
func NewHandler(w io.Writer, opt Options) slog.Handler {
	level := opt.Level
	if level == nil {
		level = slog.LevelInfo
	}
	return slog.NewTextHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: replaceAttr(opt.Now)})
}

// Discard is a logger that writes nothing, for a kiosk without a log.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// ErrNoLog is returned by Tail when no log has been written yet.
var ErrNoLog = errors.New("no log yet")

func noLog(path string) error {
	return fmt.Errorf("%w at %s: the kiosk writes it while it runs (the screens, kiosk sell, kiosk status)", ErrNoLog, path)
}
