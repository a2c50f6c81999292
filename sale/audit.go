package sale

import (
	"fmt"
	"time"
)

// AuditEntry is one line of the append-only audit record: sign-ins and
// failed sign-ins, prints, reprints, supervisor decisions, closed days.
type AuditEntry struct {
	Seq    uint64
	At     time.Time
	Who    string
	Action string
	Ref    string
	Detail string
}

// audit writes an entry. The core is the only writer of the audit record,
// and every caller gets the error: an action whose audit entry could not be
// written says so.
func (e *Engine) audit(who, action, ref, detail string) error {
	if _, err := e.store.Audit(AuditEntry{At: e.opt.Now(), Who: who, Action: action, Ref: ref, Detail: detail}); err != nil {
		return fmt.Errorf("audit %q: %w", action, err)
	}
	return nil
}

// Audit writes an entry for an action a front end carried out on its own
// (a print that failed, a closed day), and returns its error.
func (e *Engine) Audit(who, action, ref, detail string) error {
	return e.audit(who, action, ref, detail)
}

// AuditLog returns the audit record, oldest first.
func (e *Engine) AuditLog() ([]AuditEntry, error) { return e.store.AuditLog() }
