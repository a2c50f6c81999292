package hq

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// What can go wrong with head office, for errors.Is. Every error this
// package returns is one line that says which of these it is and where,
// and never holds the password.
var (
	ErrBadURL       = errors.New("head office URL is not usable")
	ErrUnreachable  = errors.New("head office cannot be reached")
	ErrLogin        = errors.New("head office refused the login")
	ErrNoDatabase   = errors.New("head office database does not exist")
	ErrRights       = errors.New("head office user lacks the rights")
	ErrNewerSchema  = errors.New("head office schema is newer than this kiosk")
	ErrTerminalUsed = errors.New("terminal number already used by another kiosk")
	ErrBadEntry     = errors.New("outbox entry refused")
)

// lineError is one line for people, with the kind of problem underneath
// for code. The cause is kept only as text already cleaned of the password.
type lineError struct {
	kind error
	msg  string
}

func (e *lineError) Error() string { return e.msg }
func (e *lineError) Unwrap() error { return e.kind }

// where names the head office for messages: user, host and database, never
// the password.
type where struct{ user, addr, database string }

func (w where) String() string { return fmt.Sprintf("%s@%s/%s", w.user, w.addr, w.database) }

// explain turns an error from pgx into one line naming the problem. doing
// says what was being done ("connect", "ship 120 entries"). secret is the
// password: whatever text a server or a library adds, it is cut out.
func explain(err error, doing string, w where, secret string) error {
	if err == nil {
		return nil
	}
	var le *lineError
	if errors.As(err, &le) {
		return err
	}
	kind, msg := classify(err, w)
	line := fmt.Sprintf("head office %s: %s: %s", w, doing, msg)
	return &lineError{kind: kind, msg: scrub(line, secret)}
}

func classify(err error, w where) (kind error, msg string) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "28P01" || pe.Code == "28000":
			return ErrLogin, fmt.Sprintf("login refused for user %s (wrong password, or no such user)", w.user)
		case pe.Code == "3D000":
			return ErrNoDatabase, fmt.Sprintf("database %q does not exist", w.database)
		case pe.Code == "42501":
			return ErrRights, fmt.Sprintf("user %s lacks the rights: %s", w.user, pe.Message)
		case strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03":
			return ErrUnreachable, fmt.Sprintf("connection lost: %s", pe.Message)
		}
		return nil, fmt.Sprintf("%s (SQLSTATE %s)", pe.Message, pe.Code)
	}
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return ErrUnreachable, fmt.Sprintf("no answer from %s in time", w.addr)
	case errors.Is(err, context.Canceled):
		return context.Canceled, "cancelled"
	case errors.As(err, &oe):
		return ErrUnreachable, fmt.Sprintf("cannot reach %s: %v", w.addr, oe.Err)
	case errors.As(err, &ne):
		return ErrUnreachable, fmt.Sprintf("cannot reach %s: %v", w.addr, ne)
	case pgconn.SafeToRetry(err) || pgconn.Timeout(err) || isConnClosed(err):
		return ErrUnreachable, fmt.Sprintf("connection to %s lost", w.addr)
	}
	// Anything else is told as pgx tells it, on one line.
	return nil, strings.Join(strings.Fields(err.Error()), " ")
}

func isConnClosed(err error) bool {
	return errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// scrub removes the password from text, however it got there.
func scrub(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}
