package storage

import (
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// AuditEntry is one line of the append-only audit record: sign-ins,
// prints, reprints, supervisor decisions.
type AuditEntry struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	Who    string    `json:"who,omitempty"`
	Action string    `json:"action"`
	Ref    string    `json:"ref,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// Audit appends an entry. Entries are never changed or removed.
func (j *Journal) Audit(e AuditEntry) error {
	return j.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		e.Seq = seq
		if e.At.IsZero() {
			e.At = j.now()
		}
		v, err := json.Marshal(e)
		if err != nil {
			return err
		}
		return b.Put(u64(seq), v)
	})
}

// AuditLog returns the audit entries, oldest first.
func (j *Journal) AuditLog() ([]AuditEntry, error) {
	var out []AuditEntry
	err := j.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAudit).ForEach(func(_, v []byte) error {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}
