package hq

import (
	"context"
	"sync"
)

// Link is a terminal's way to head office for a kiosk that must start,
// and keep selling, while head office cannot be reached: it connects (and
// migrates) at the first shipment and again after a failed connection,
// instead of at start-up. It is a Destination for a Shipper.
type Link struct {
	opt Options
	t   Terminal

	mu     sync.Mutex
	db     *DB
	sender *Sender
}

// NewLink returns terminal t's link to the head office opt names. Nothing
// is attempted until the first Ship.
func NewLink(opt Options, t Terminal) *Link { return &Link{opt: opt, t: t} }

// Ship connects if need be, then ships as Sender.Ship does. A failure to
// connect is the one line Open gives, and the next Ship tries again.
func (l *Link) Ship(ctx context.Context, batch []Entry) error {
	s, err := l.connect(ctx)
	if err != nil {
		return err
	}
	return s.Ship(ctx, batch)
}

func (l *Link) connect(ctx context.Context) (*Sender, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sender != nil {
		return l.sender, nil
	}
	db, err := Open(ctx, l.opt)
	if err != nil {
		return nil, err
	}
	s, err := db.Sender(l.t)
	if err != nil {
		db.Close()
		return nil, err
	}
	l.db, l.sender = db, s
	return s, nil
}

// Close closes the connection, if one was made.
func (l *Link) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.db != nil {
		l.db.Close()
		l.db, l.sender = nil, nil
	}
}
