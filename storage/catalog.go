package storage

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/providers"
)

// PutCatalog caches a provider's catalogue with the time it was fetched.
func (j *Journal) PutCatalog(provider string, products []providers.Product, at time.Time) error {
	b, err := json.Marshal(products)
	if err != nil {
		return err
	}
	t, _ := at.MarshalText()
	return j.db.Update(func(tx *bolt.Tx) error {
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
	err := j.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketCatalog)
		b := c.Get([]byte(provider))
		if b == nil {
			return nil
		}
		if err := json.Unmarshal(b, &products); err != nil {
			return fmt.Errorf("cached %s catalogue unreadable: %w", provider, err)
		}
		return at.UnmarshalText(c.Get([]byte("at:" + provider)))
	})
	return products, at, err
}
