package sale

import (
	"context"
	"fmt"

	"kiosk/receipt"
	"kiosk/storage"
)

// Print prints a sale's receipt (or its NOT SOLD / NOT SETTLED slip) from
// the journal alone — no network — and counts it. The first print is the
// receipt; every later one says REPRINT with its number. The print and who
// asked for it go into the audit record. A printer that fails leaves the
// sale as it was, for a later print.
func (e *Engine) Print(ctx context.Context, ref, by string, p receipt.Printer, info receipt.Info) (*storage.Sale, error) {
	s, err := e.journal.Get(ref)
	if err != nil {
		return nil, err
	}
	info.Reprint = s.Prints
	if info.Now.IsZero() {
		info.Now = e.opt.Now()
	}
	r, err := receipt.Build(s, info)
	if err != nil {
		return s, fmt.Errorf("receipt for %s: %w", ref, err)
	}
	if err := p.Print(ctx, r); err != nil {
		return s, fmt.Errorf("print %s: %w; the receipt stays in the journal for a later print", ref, err)
	}
	out, err := e.journal.Touch(ref, func(x *storage.Sale) { x.Prints++ })
	if err != nil {
		return s, err
	}
	action := "print"
	if info.Reprint > 0 {
		action = fmt.Sprintf("reprint #%d", info.Reprint)
	}
	if err := e.journal.Audit(storage.AuditEntry{Who: by, Action: action, Ref: ref}); err != nil {
		return out, fmt.Errorf("printed, audit not written: %w", err)
	}
	return out, nil
}
