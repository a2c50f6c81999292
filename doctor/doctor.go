// Package doctor checks a kiosk's setup, one part at a time: each check is
// a function that returns one line, ok or a problem that names what to
// fix. It never sells and never prints: a provider is asked only a
// harmless read (the balance, else the catalogue), a printer only its
// status, and the journal is opened read-only.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"kiosk/config"
	"kiosk/hq"
	"kiosk/providers"
	"kiosk/receipt"
	"kiosk/storage"
	"kiosk/termtext"
)

// Level is how a line reads: all well, worth a look, or to be fixed.
type Level int

// The levels.
const (
	OK Level = iota
	Warn
	Problem
)

func (l Level) String() string {
	return [...]string{"ok", "warn", "PROBLEM"}[l]
}

// Line is one check's answer.
type Line struct {
	Check string // "config", "journal", "provider bitaqaty", …
	Level Level
	Text  string
}

func (l Line) String() string {
	return fmt.Sprintf("%-8s %-20s %s", l.Level, l.Check, termtext.Line(l.Text))
}

func line(check string, lv Level, format string, args ...any) Line {
	return Line{Check: check, Level: lv, Text: fmt.Sprintf(format, args...)}
}

// FirstProblem is the first line to fix, if any.
func FirstProblem(lines []Line) (Line, bool) {
	for _, l := range lines {
		if l.Level == Problem {
			return l, true
		}
	}
	return Line{}, false
}

// Config is the configuration's line: err is what loading and building it
// found (every problem with its file, line and key).
func Config(path string, err error) Line {
	where := path
	if where == "" {
		where = "no file: the built-in sandboxes"
	}
	if err != nil {
		return line("config", Problem, "%s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return line("config", OK, "%s: every key checked", where)
}

// Journal opens the journal read-only and runs bbolt's check over every
// page; the schema is the one this build reads, or opening says so.
func Journal(path string, terminal int) Line {
	j, err := storage.Open(path, storage.Options{ReadOnly: true, Terminal: terminal, Timeout: 500 * time.Millisecond})
	if err != nil {
		msg := err.Error()
		if strings.Contains(msg, "in use by another kiosk process") {
			return line("journal", Warn, "%s is in use by the running kiosk: not checked now (run kiosk doctor with the kiosk stopped, or kiosk journal check)", path)
		}
		if strings.Contains(msg, "does not exist yet") {
			return line("journal", OK, "%s does not exist yet: it is made by the first sale", path)
		}
		return line("journal", Problem, "%s", msg)
	}
	defer j.Close()
	problems, err := j.Check()
	if err == nil {
		err = storage.CheckError(path, problems)
	}
	if err != nil {
		return line("journal", Problem, "%s", err)
	}
	n, _ := j.CountSales()
	return line("journal", OK, "%s: sound (bbolt check of every page), schema %d, %d sales", path, storage.SchemaVersion, n)
}

// Statfs reads a file system's sizes (syscall.Statfs; tests give another).
type Statfs func(path string, st *syscall.Statfs_t) error

// LowDisk is the free space under which the journal's disk is a problem:
// a sale takes a few kilobytes, but bbolt grows its file in steps, a
// backup is a whole copy, and a full disk stops every sale.
const LowDisk = 200 << 20

// Disk checks the free space on the disk that holds path (the journal's
// directory): a problem under LowDisk, or under 5% when that is less than
// 2 GiB (a big disk 96% full still has room for years of sales).
func Disk(path string, statfs Statfs) Line {
	if statfs == nil {
		statfs = syscall.Statfs
	}
	dir := filepath.Dir(path)
	for { // the journal's directory may not be made yet
		if _, err := os.Stat(dir); err == nil || filepath.Dir(dir) == dir {
			break
		}
		dir = filepath.Dir(dir)
	}
	var st syscall.Statfs_t
	if err := statfs(dir, &st); err != nil {
		return line("disk", Problem, "%s: %v", dir, err)
	}
	free, total := st.Bavail*uint64(st.Bsize), st.Blocks*uint64(st.Bsize)
	low := free < LowDisk || free*20 < total && free < 2<<30
	text := fmt.Sprintf("%s: %s free of %s", dir, size(free), size(total))
	if low {
		return line("disk", Problem, "%s: nearly full; free some space (old backups, logs) before the journal cannot grow", text)
	}
	return line("disk", OK, "%s", text)
}

func size(n uint64) string {
	switch {
	case n >= 10<<30:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 10<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// Key checks the PIN key: from its environment variable, or a regular
// file (not a symlink) of mode 0600 holding 64 hex digits.
func Key(file, env string) Line {
	if env != "" {
		v, ok := os.LookupEnv(env)
		if !ok || v == "" {
			return line("key", Problem, "environment variable %s (journal.key_env) is not set: PINs cannot be kept, so nothing can be sold", env)
		}
		if _, err := storage.ParseKey(v); err != nil {
			return line("key", Problem, "environment variable %s: %v", env, err)
		}
		return line("key", OK, "from environment variable %s", env)
	}
	st, err := os.Lstat(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return line("key", Problem, "key file %s is missing: PINs cannot be kept or read; put the written-down key back (64 hex digits, mode 0600)", file)
	case err != nil:
		return line("key", Problem, "key file %s: %v", file, err)
	case st.Mode()&fs.ModeSymlink != 0:
		return line("key", Problem, "key file %s is a symbolic link: make it a plain file of mode 0600", file)
	case !st.Mode().IsRegular():
		return line("key", Problem, "key file %s is not a regular file (%s)", file, st.Mode().Type())
	case st.Mode().Perm() != 0o600:
		return line("key", Problem, "key file %s has mode %04o: run chmod 600 %s", file, st.Mode().Perm(), file)
	}
	if _, err := storage.LoadKeyFile(file, false); err != nil {
		return line("key", Problem, "%v", err)
	}
	return line("key", OK, "key file %s: mode 0600, 64 hex digits", file)
}

// Dates is an http.RoundTripper that keeps the Date header of the last
// answer through it: the doctor gives it to the provider clients (as
// their HTTP client's transport), so the clock can be compared with each
// provider's without a request the provider's document lacks.
type Dates struct {
	Next http.RoundTripper // nil: http.DefaultTransport
	mu   sync.Mutex
	last time.Time
	seen bool
}

// RoundTrip sends r and notes the answer's Date.
func (d *Dates) RoundTrip(r *http.Request) (*http.Response, error) {
	next := d.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(r)
	if err == nil {
		d.mu.Lock()
		d.seen = true
		d.last, _ = http.ParseTime(resp.Header.Get("Date")) // zero when absent
		d.mu.Unlock()
	}
	return resp, err
}

// reset forgets the answers seen so far.
func (d *Dates) reset() {
	d.mu.Lock()
	d.seen, d.last = false, time.Time{}
	d.mu.Unlock()
}

func (d *Dates) get() (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.last, d.seen
}

// MaxSkew is how far the kiosk's clock may be from a provider's. Tokens
// (Al-Qimah) and reconciliation periods are read by the provider's clock.
const MaxSkew = time.Minute

// Provider asks a provider a harmless read (its balance where it has one,
// else its catalogue), over a client whose transport is dates, and
// compares now with the Date of its answer.
func Provider(ctx context.Context, p providers.Provider, dates *Dates, now func() time.Time) Line {
	info := p.Info()
	check := "provider " + info.ID
	dates.reset()
	what := "catalogue"
	var err error
	if b, ok := p.(providers.BalanceChecker); ok {
		what = "balance"
		_, err = b.Balance(ctx)
	} else {
		_, err = p.Catalog(ctx)
	}
	if err != nil {
		return providerProblem(check, info, what, err)
	}
	at, seen := dates.get()
	if !seen {
		return line(check, Warn, "%s: its document has no request the kiosk can send without selling (its catalogue is the configuration's): reachability and credentials not checked", info.Name)
	}
	text := fmt.Sprintf("%s: reachable, credentials accepted (%s read)", info.Name, what)
	if at.IsZero() {
		return line(check, Warn, "%s; its answer has no Date header, so the clock was not compared", text)
	}
	skew := now().Sub(at)
	if skew > MaxSkew || -skew > MaxSkew {
		way := "ahead of"
		if skew < 0 {
			way, skew = "behind", -skew
		}
		return line(check, Problem, "%s; but this machine's clock is %s %s %s's: set the time (NTP: timedatectl set-ntp true)",
			text, skew.Round(time.Second), way, info.Name)
	}
	return line(check, OK, "%s, clock within %s of its own", text, MaxSkew)
}

// providerProblem says what a failed read means: not reachable, the
// configuration, or the provider's refusal (credentials, mostly).
func providerProblem(check string, info providers.Info, what string, err error) Line {
	var se *providers.SendError
	switch {
	case errors.As(err, &se) && se.NotSent:
		return line(check, Problem, "%s is not reachable (%s): check providers.%s.base_url and the network", info.Name, se.Reason, info.ID)
	case errors.As(err, &se):
		return line(check, Problem, "%s did not answer the %s request (%s): is it down?", info.Name, what, se.Reason)
	case providers.IsConfig(err):
		return line(check, Problem, "%s: %s; check [providers.%s]", info.Name, providers.ClerkMessage(err), info.ID)
	}
	var pe *providers.Error
	if errors.As(err, &pe) {
		return line(check, Problem, "%s refused the %s request (%s): check the credentials in [providers.%s]", info.Name, what, strings.TrimPrefix(pe.Error(), info.ID+" "), info.ID)
	}
	return line(check, Problem, "%s: %s request failed: %v", info.Name, what, err)
}

// Printer asks the printer whether it could print now (receipt.Readiness);
// no printer configured is fine (receipts show on screen).
func Printer(ctx context.Context, p receipt.Printer) Line {
	if p == nil {
		return line("printer", OK, "none configured: receipts are shown on screen ([printer] target)")
	}
	text, err := receipt.Readiness(ctx, p)
	switch {
	case errors.Is(err, receipt.ErrOutOfPaper):
		return line("printer", Problem, "%v: load a new roll", err)
	case err != nil:
		return line("printer", Problem, "%v", err)
	case strings.Contains(text, "did not answer"):
		return line("printer", Warn, "%s", text)
	}
	return line("printer", OK, "%s", text)
}

// HeadOffice connects to head office, when configured, and pings it.
func HeadOffice(ctx context.Context, h config.HeadOffice) Line {
	if !h.Enabled() {
		return line("head office", OK, "not configured")
	}
	db, err := hq.Open(ctx, hq.Options{URL: h.URL, ConnectTimeout: h.Timeout.Duration})
	if err != nil {
		return line("head office", Problem, "%v", err)
	}
	defer db.Close()
	return line("head office", OK, "%s answered", db)
}
