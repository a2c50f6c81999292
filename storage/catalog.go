package storage

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// PutCatalog caches a provider's catalogue, as the sale core encodes it,
// with the time it was fetched. It is a cache: the journal does not read it.
func (j *Journal) PutCatalog(provider string, data []byte, at time.Time) error {
	t, err := at.MarshalText()
	if err != nil {
		return err
	}
	return j.update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketCatalog)
		if err := c.Put([]byte(provider), data); err != nil {
			return err
		}
		return c.Put([]byte("at:"+provider), t)
	})
}

// Catalog returns a provider's cached catalogue and when it was fetched;
// nil and a zero time when nothing is cached.
func (j *Journal) Catalog(provider string) ([]byte, time.Time, error) {
	var data []byte
	var at time.Time
	err := j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketCatalog)
		b := c.Get([]byte(provider))
		if b == nil {
			return nil
		}
		data = append([]byte(nil), b...) // bbolt's memory is not ours after the tx
		return at.UnmarshalText(c.Get([]byte("at:" + provider)))
	})
	return data, at, err
}
