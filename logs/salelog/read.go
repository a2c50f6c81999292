package salelog

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"kiosk/logs"
)

// Logged is what the support log says of one sale: the fields of its
// "sale step" lines (reference, provider, product, the last state) and
// the times of its first and last lines.
type Logged struct {
	Ref, Provider, Product, State string
	First, Last                   time.Time
}

// ReadSales reads the sale-step lines of the log at path and its rotated
// files (keep files in all, as the log was opened with), and returns each
// sale whose last line is at or after since, oldest first. Lines that are
// not sale steps, or that cannot be read, are skipped: the log is a
// witness, the journal the record.
func ReadSales(path string, keep int, since time.Time) ([]Logged, error) {
	byRef := map[string]*Logged{}
	found := false
	for i := max(keep, 1) - 1; i >= 0; i-- { // oldest file first
		f, err := os.Open(logs.Rotated(path, i))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read log: %w", err)
		}
		found = true
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			addLine(byRef, sc.Text())
		}
		err = sc.Err()
		_ = f.Close()
		if err != nil {
			return nil, fmt.Errorf("read log %s: %w", logs.Rotated(path, i), err)
		}
	}
	if !found {
		return nil, fmt.Errorf("no support log at %s", path)
	}
	var out []Logged
	for _, l := range byRef {
		if !l.Last.Before(since) {
			out = append(out, *l)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].First.Before(out[b].First) })
	return out, nil
}

// addLine folds one log line into what is known of its sale.
func addLine(byRef map[string]*Logged, line string) {
	kv := parseLine(line)
	if kv["msg"] != "sale step" || kv[logs.KeyRef] == "" {
		return
	}
	at, err := time.Parse(time.RFC3339Nano, kv["time"])
	if err != nil {
		return
	}
	ref := kv[logs.KeyRef]
	l := byRef[ref]
	if l == nil {
		l = &Logged{Ref: ref, First: at}
		byRef[ref] = l
	}
	if at.Before(l.First) {
		l.First = at
	}
	if !at.Before(l.Last) {
		l.Last = at
		if s := kv[logs.KeyState]; s != "" {
			l.State = s
		}
	}
	for key, dst := range map[string]*string{logs.KeyProvider: &l.Provider, logs.KeyProduct: &l.Product} {
		if v := kv[key]; v != "" {
			*dst = v
		}
	}
}

// parseLine splits a key=value line as log/slog's text handler writes it;
// a value in double quotes is unquoted.
func parseLine(line string) map[string]string {
	kv := map[string]string{}
	for s := strings.TrimSpace(line); s != ""; s = strings.TrimLeft(s, " ") {
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return kv
		}
		key, rest := s[:eq], s[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return kv
			}
			val, _ = strconv.Unquote(q)
			rest = rest[len(q):]
		} else if sp := strings.IndexByte(rest, ' '); sp >= 0 {
			val, rest = rest[:sp], rest[sp:]
		} else {
			val, rest = rest, ""
		}
		kv[key] = val
		s = rest
	}
	return kv
}
