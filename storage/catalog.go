package storage

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/providers"
)

// catalogFormat tags the cached catalogue's encoding. The cache is gob,
// not JSON: a kiosk starts with 50,000 cached products within its time
// budget only with the faster decoder. A cache in any other format is
// treated as missing, and refetched.
const catalogFormat = "gob1:"

// PutCatalog caches a provider's catalogue with the time it was fetched.
func (j *Journal) PutCatalog(provider string, products []providers.Product, at time.Time) error {
	var buf bytes.Buffer
	buf.WriteString(catalogFormat)
	if err := gob.NewEncoder(&buf).Encode(products); err != nil {
		return fmt.Errorf("encode %s catalogue: %w", provider, err)
	}
	b := buf.Bytes()
	t, _ := at.MarshalText()
	return j.update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketCatalog)
		if err := c.Put([]byte(provider), b); err != nil {
			return err
		}
		return c.Put([]byte("at:"+provider), t)
	})
}

// Catalog returns the cached catalogue and when it was fetched; an empty
// slice and a zero time when nothing is cached.
func (j *Journal) Catalog(provider string) ([]providers.Product, time.Time, error) {
	var products []providers.Product
	var at time.Time
	err := j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketCatalog)
		b := c.Get([]byte(provider))
		rest, ok := bytes.CutPrefix(b, []byte(catalogFormat))
		if !ok {
			return nil // no cache, or an old format: refetch
		}
		// gob copies out of bbolt's memory, so nothing outlives the tx.
		if err := gob.NewDecoder(bytes.NewReader(rest)).Decode(&products); err != nil {
			products = nil
			return nil // a damaged cache is only a cache: refetch
		}
		return at.UnmarshalText(c.Get([]byte("at:" + provider)))
	})
	return products, at, err
}
