package sale

import (
	"context"
	"errors"
	"fmt"
)

// ErrNotConfirmed is a print the printer took but did not confirm (no
// status answer after the job): it may not have printed. The print is not
// counted, and the receipt stays in the journal for a later print.
var ErrNotConfirmed = errors.New("print not confirmed")

// PrintFunc prints a sale's receipt; reprint is how many times it was
// printed before (0 for the first print).
type PrintFunc func(ctx context.Context, s *Sale, reprint int) error

// Print prints a sale's receipt (or its NOT SOLD / NOT SETTLED slip) from
// the journal alone — no network — and counts it. The first print is the
// receipt; every later one is a reprint with its number. The print and who
// asked for it go into the audit record. A printer that fails leaves the
// sale as it was, for a later print.
func (e *Engine) Print(ctx context.Context, ref, by string, print PrintFunc) (*Sale, error) {
	s, err := e.get(ref)
	if err != nil {
		return nil, err
	}
	reprint := s.Prints
	if err := print(ctx, s, reprint); err != nil {
		return s, fmt.Errorf("print %s: %w; the receipt stays in the journal for a later print", ref, err)
	}
	out, err := e.touch(ref, func(x *Sale) { x.Prints++ })
	if err != nil {
		return s, err
	}
	action := "print"
	if reprint > 0 {
		action = fmt.Sprintf("reprint #%d", reprint)
	}
	if err := e.audit(by, action, ref, ""); err != nil {
		return out, fmt.Errorf("printed, but %w", err)
	}
	return out, nil
}
