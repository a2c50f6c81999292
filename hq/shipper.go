package hq

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Outbox is the kiosk's queue of entries for head office, written in the
// same transaction as the change each one tells (the journal's bbolt
// outbox bucket implements it).
type Outbox interface {
	// Pending returns the oldest entries not yet marked shipped, at most
	// n, in outbox order.
	Pending(n int) ([]Entry, error)
	// MarkShipped marks every entry up to and including upTo as shipped,
	// durably. Marking again, or marking less, changes nothing.
	MarkShipped(upTo uint64) error
}

// Destination is where a Shipper sends: a *Sender.
type Destination interface {
	Ship(ctx context.Context, batch []Entry) error
}

// DefaultBatch is how many entries one shipment carries by default.
const DefaultBatch = 1000

// Shipper drains an outbox into head office: read a batch, ship it, mark
// it, until the outbox is empty. It marks a batch only after Ship returned,
// that is after PostgreSQL committed, so a kill between the two leaves
// the batch to be shipped again, which changes nothing.
type Shipper struct {
	Outbox Outbox
	To     Destination
	Batch  int              // entries per shipment; DefaultBatch when zero
	Now    func() time.Time // for Status; time.Now when nil
	Logf   func(format string, args ...any)

	mu     sync.Mutex
	status Status
	// step, when set, is called at each step (tests kill the process there).
	step func(string)
}

// Status is what the shipper last saw, for the status bar.
type Status struct {
	LastContact time.Time // when head office last took a shipment
	LastError   string    // the last failure, "" once a shipment succeeds
	Shipped     int       // entries shipped since the shipper was made
}

// Result is what one Drain did.
type Result struct {
	Shipped int // entries
	Batches int // shipments, the empty one that only reports contact included
}

// Drain ships everything pending and returns when the outbox is empty.
// With nothing pending it still ships an empty batch, so head office
// learns the terminal is alive and a caller learns whether it can be
// reached. On error, what was shipped before stays shipped and marked.
func (s *Shipper) Drain(ctx context.Context) (Result, error) {
	var res Result
	n := s.Batch
	if n <= 0 {
		n = DefaultBatch
	}
	var marked uint64
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		batch, err := s.Outbox.Pending(n)
		if err != nil {
			return res, fmt.Errorf("read the outbox: %w", err)
		}
		if len(batch) == 0 && res.Batches > 0 {
			return res, nil
		}
		if len(batch) > 0 && batch[0].Seq <= marked {
			return res, fmt.Errorf("read the outbox: entry %d is pending although %d was marked shipped", batch[0].Seq, marked)
		}
		s.at("read")
		if err := s.To.Ship(ctx, batch); err != nil {
			s.failed(err)
			return res, err
		}
		s.at("shipped")
		res.Batches++
		if len(batch) == 0 {
			s.shipped(0)
			return res, nil
		}
		marked = batch[len(batch)-1].Seq
		if err := s.Outbox.MarkShipped(marked); err != nil {
			// Head office has the batch; shipping it again is harmless.
			return res, fmt.Errorf("mark outbox entries up to %d shipped: %w", marked, err)
		}
		s.at("marked")
		res.Shipped += len(batch)
		s.shipped(len(batch))
	}
}

// Run drains the outbox now, then every interval and whenever wake
// receives, until ctx is done. A failure is logged once, and again only
// when it becomes another kind of failure (head office away, then a
// refused login…); it is retried at the next round. The outbox keeps
// everything meanwhile, and the kiosk keeps selling.
func (s *Shipper) Run(ctx context.Context, interval time.Duration, wake <-chan struct{}) {
	if interval <= 0 {
		interval = 30 * time.Second
	}
	t := time.NewTimer(0)
	defer t.Stop()
	var lastErr string
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
		_, err := s.Drain(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil && failureKind(err) != lastErr:
			lastErr = failureKind(err)
			s.logf("%v (the outbox keeps every entry; trying again every %s)", err, interval)
		case err == nil && lastErr != "":
			lastErr = ""
			s.logf("head office reached again: outbox shipped")
		}
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
		t.Reset(interval)
	}
}

// failureKind groups failures for the log: the kind of a head-office
// error, the text of any other.
func failureKind(err error) string {
	var le *lineError
	if errors.As(err, &le) && le.kind != nil {
		return le.kind.Error()
	}
	return err.Error()
}

// Status returns what the shipper last saw.
func (s *Shipper) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

func (s *Shipper) shipped(n int) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	s.mu.Lock()
	s.status.LastContact, s.status.LastError = now(), ""
	s.status.Shipped += n
	s.mu.Unlock()
}

func (s *Shipper) failed(err error) {
	s.mu.Lock()
	s.status.LastError = err.Error()
	s.mu.Unlock()
}

func (s *Shipper) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}

func (s *Shipper) at(step string) {
	if s.step != nil {
		s.step(step)
	}
}
