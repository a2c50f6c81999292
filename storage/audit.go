package storage

import (
	"encoding/json"

	bolt "go.etcd.io/bbolt"
)

// Audit appends an entry and returns it with its sequence number. Entries
// are never changed or removed.
func (j *Journal) Audit(e AuditRecord) (AuditRecord, error) {
	err := j.update(func(tx *bolt.Tx) error {
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
	return e, err
}

// AuditLog returns the audit entries, oldest first.
func (j *Journal) AuditLog() ([]AuditRecord, error) {
	var out []AuditRecord
	err := j.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAudit).ForEach(func(_, v []byte) error {
			var e AuditRecord
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}
