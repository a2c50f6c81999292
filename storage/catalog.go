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

// ReadCatalogs calls read with each provider's cached catalogue and when
// it was fetched (nil and a zero time when nothing is cached), all as of
// one moment of the journal. data is read in place, in the journal's
// memory map, so that a catalogue of 500,000 products (about 95 MB) is
// not copied before it is decoded: read must not keep it. The pages read
// are then handed back to the system (releaseMapped), for a kiosk reads
// its catalogues at start-up and after a refresh, and not again.
func (j *Journal) ReadCatalogs(providers []string, read func(i int, data []byte, at time.Time) error) error {
	return j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketCatalog)
		for i, p := range providers {
			var at time.Time
			data := c.Get([]byte(p))
			if data != nil {
				if err := at.UnmarshalText(c.Get([]byte("at:" + p))); err != nil {
					return err
				}
			}
			if err := read(i, data, at); err != nil {
				return err
			}
		}
		// Within the transaction: bbolt does not remap the file while one
		// is open, so the range is still the journal's map.
		releaseMapped(j.db.Info().Data, uintptr(tx.Size()))
		return nil
	})
}
