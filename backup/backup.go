// Package backup takes the journal's backups: by hand (kiosk journal
// backup DIR) and after every close of the day ([backup] dir, keep).
//
// A consistent hot copy is a bbolt read transaction (storage.Backup), and
// bbolt lets a reader share the file only with the writer of its own
// process: the kiosk that sells holds an exclusive lock on the journal, so
// a second process cannot open it even read-only. So the process that
// holds the journal serves backups itself, over a unix socket beside the
// journal (mode 0600, and only callers of the same user id are answered).
// A backup command asks that socket first; when no kiosk answers, nobody
// holds the journal and the command opens it read-only and copies it
// itself.
package backup

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"kiosk/storage"
)

// SocketPath is where the kiosk holding the journal answers backup requests.
func SocketPath(journal string) string { return journal + ".sock" }

// ErrNoKiosk says that no kiosk process answers for the journal.
var ErrNoKiosk = errors.New("no running kiosk answers for this journal")

type request struct {
	Op  string `json:"op"`  // "backup"
	Dir string `json:"dir"` // absolute
}

type response struct {
	Manifest *storage.Manifest `json:"manifest,omitempty"`
	Error    string            `json:"error,omitempty"`
}

// Server answers backup requests for an open journal.
type Server struct {
	ln   *net.UnixListener
	path string
	j    *storage.Journal
	log  *slog.Logger
	wg   sync.WaitGroup
}

// Serve listens beside the journal j, which this process holds open for
// writing (so no other process can be serving it: a socket file left by a
// process that died is removed). log may be nil.
func Serve(j *storage.Journal, log *slog.Logger) (*Server, error) {
	path := SocketPath(j.Path())
	if len(path) >= 108 { // sun_path; a longer one cannot be bound
		return nil, fmt.Errorf("backup socket %s: the path is too long for a unix socket", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("backup socket %s: %w", path, err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("backup socket %s: %w", path, err)
	}
	ln.SetUnlinkOnClose(true)
	if err := os.Chmod(path, 0o600); err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("backup socket %s: %w", path, err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{ln: ln, path: path, j: j, log: log}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Close stops serving and waits for requests under way.
func (s *Server) Close() error {
	if s == nil {
		return nil
	}
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.AcceptUnix()
		if err != nil {
			return // closed
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.serve(c)
		}()
	}
}

// serve answers one request on c.
func (s *Server) serve(c *net.UnixConn) {
	_ = c.SetDeadline(time.Now().Add(10 * time.Minute)) // a copy of a large journal takes a while
	reply := func(r response) { _ = json.NewEncoder(c).Encode(r) }
	if err := sameUser(c); err != nil {
		reply(response{Error: err.Error()})
		return
	}
	var req request
	if err := json.NewDecoder(io.LimitReader(c, 4096)).Decode(&req); err != nil {
		reply(response{Error: "unreadable request: " + err.Error()})
		return
	}
	if req.Op != "backup" || !filepath.IsAbs(req.Dir) {
		reply(response{Error: fmt.Sprintf("unknown request %q (want backup with an absolute directory)", req.Op)})
		return
	}
	m, err := s.j.Backup(filepath.Clean(req.Dir), storage.BackupOptions{})
	if err != nil {
		s.log.Error("backup failed", slog.String("dir", req.Dir), slog.String("err", err.Error()))
		reply(response{Error: err.Error()})
		return
	}
	logged(s.log, m, req.Dir)
	reply(response{Manifest: &m})
}

// sameUser refuses a caller of another user id: the socket's mode already
// does, and this holds where the directory was made by someone else.
func sameUser(c *net.UnixConn) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var cred *syscall.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return err
	}
	if cerr != nil {
		return cerr
	}
	if int(cred.Uid) != os.Getuid() {
		return fmt.Errorf("backup refused: the caller (uid %d) is not the kiosk's user", cred.Uid)
	}
	return nil
}

// Ask asks the kiosk that holds the journal for a backup into dir
// (absolute). ErrNoKiosk means none answers.
func Ask(ctx context.Context, journal, dir string) (storage.Manifest, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", SocketPath(journal))
	if err != nil {
		return storage.Manifest{}, ErrNoKiosk // no socket, or a stale one: nobody serves it
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	if err := json.NewEncoder(c).Encode(request{Op: "backup", Dir: dir}); err != nil {
		return storage.Manifest{}, fmt.Errorf("ask the running kiosk for a backup: %w", err)
	}
	var r response
	if err := json.NewDecoder(bufio.NewReader(io.LimitReader(c, 1<<16))).Decode(&r); err != nil {
		return storage.Manifest{}, fmt.Errorf("the running kiosk did not answer the backup request: %w", err)
	}
	if r.Error != "" {
		return storage.Manifest{}, errors.New(r.Error)
	}
	if r.Manifest == nil {
		return storage.Manifest{}, errors.New("the running kiosk answered the backup request without a manifest")
	}
	return *r.Manifest, nil
}

// Take backs the journal at path up into dir: through the running kiosk
// when one holds the journal, else by opening it read-only here. byKiosk
// says which.
func Take(ctx context.Context, path string, terminal int, dir string) (m storage.Manifest, byKiosk bool, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return m, false, fmt.Errorf("backup directory %s: %w", dir, err)
	}
	m, err = Ask(ctx, path, abs)
	if !errors.Is(err, ErrNoKiosk) {
		return m, err == nil, err
	}
	j, err := storage.Open(path, storage.Options{ReadOnly: true, Terminal: terminal})
	if err != nil {
		return m, false, err
	}
	defer j.Close()
	m, err = j.Backup(abs, storage.BackupOptions{})
	return m, false, err
}

// AfterClose is the end of day's backup: a copy named with the Z number
// in dir, then the oldest beyond keep removed. Its note says where the
// copy went; its error (the close is not failed by it) is logged too.
func AfterClose(j *storage.Journal, dir string, keep int, log *slog.Logger) func(z uint64) (string, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return func(z uint64) (string, error) {
		m, err := j.Backup(dir, storage.BackupOptions{Z: z})
		if err != nil {
			log.Error("backup after close failed", slog.Uint64("z", z), slog.String("err", err.Error()))
			return "", fmt.Errorf("Z-report %d is closed, but the journal was not backed up: %w", z, err)
		}
		logged(log, m, dir)
		note := fmt.Sprintf("Backed up to %s", filepath.Join(dir, m.File))
		removed, err := storage.PruneBackups(dir, m.Terminal, keep)
		if err != nil {
			log.Error("old backups not removed", slog.String("err", err.Error()))
			return note, fmt.Errorf("%s, but old copies were not removed: %w", note, err)
		}
		if len(removed) > 0 {
			note += fmt.Sprintf(" (%d older removed, %d kept)", len(removed), keep)
		}
		return note, nil
	}
}

func logged(log *slog.Logger, m storage.Manifest, dir string) {
	log.Info("backup written", slog.String("file", filepath.Join(dir, m.File)), slog.Int("sales", m.Sales),
		slog.Uint64("z", m.Z), slog.String("last_ref", m.LastRef))
}
