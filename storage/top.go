package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TopProducts returns the product keys ("provider/id") sold most since the
// given time, best first, at most n. It walks each product's index from its
// newest sale back to since, so it costs the number of recent sales.
func (j *Journal) TopProducts(since time.Time, n int) ([]string, error) {
	type count struct {
		key string
		n   int
	}
	var counts []count
	from := uint64(since.UnixNano())
	err := j.view(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketByProduct)
		return tx.Bucket(bucketProducts).ForEach(func(k, _ []byte) error {
			prefix := append(append([]byte{}, k...), '|')
			c := idx.Cursor()
			key, _ := c.Seek(append(append([]byte{}, prefix...), 0xff))
			if key == nil {
				key, _ = c.Last()
			} else {
				key, _ = c.Prev()
			}
			total := 0
			for ; key != nil && bytes.HasPrefix(key, prefix) && len(key) >= len(prefix)+8; key, _ = c.Prev() {
				if binary.BigEndian.Uint64(key[len(prefix):len(prefix)+8]) < from {
					break
				}
				total++
			}
			if total > 0 {
				counts = append(counts, count{string(k), total})
			}
			return nil
		})
	})
	sort.SliceStable(counts, func(a, b int) bool { return counts[a].n > counts[b].n })
	var out []string
	for i := 0; i < len(counts) && i < n; i++ {
		out = append(out, counts[i].key)
	}
	return out, err
}

// RecentCustomers returns up to n distinct customer numbers of the newest
// sales of a brand (all brands when brand is empty), newest first. It reads
// the time index's summaries, newest first, at most 500 of them.
func (j *Journal) RecentCustomers(brand string, n int) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	err := j.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketByTime).Cursor()
		looked := 0
		dec := summaryDecoder{}
		for k, v := c.Last(); k != nil && len(out) < n && looked < 500; k, v = c.Prev() {
			looked++
			s, err := dec.decode(v)
			if err != nil {
				return fmt.Errorf("sale %s: unreadable summary: %w", k[8:], err)
			}
			if s.Customer == "" || seen[s.Customer] || (brand != "" && s.Brand != brand) {
				continue
			}
			seen[s.Customer] = true
			out = append(out, s.Customer)
		}
		return nil
	})
	return out, err
}
