package catalog

import (
	"testing"

	"github.com/sahilm/fuzzy"

	"kiosk/shelf"
)

// BenchmarkFilterVsFuzzy types every realistic query, one key at a time,
// into 50,000 products with github.com/sahilm/fuzzy (a fuzzy matcher many
// Go TUIs use; it has no incremental search, so every key searches all
// texts) and with the index of f575656 and of today, over the same texts
// (each product's lowercased search text). ns/key is one keystroke,
// averaged over the 38 keys. On this machine on 2026-12-01 (2 shared cores,
// load about 4): fuzzy 46 ms a key, f575656 0.31 ms, today 0.024 ms; in a
// busier run 94, 0.62 and 0.10 ms. On 2026-12-02, calm: 32.6 ms, 0.22 ms
// and 0.018 ms (fuzzy 1,840× ours).
func BenchmarkFilterVsFuzzy(b *testing.B) {
	products := shapedCatalogue(b, 50_000)
	texts := make([]string, len(products))
	for i, t := range newReference(products, providerNames).texts {
		texts[i] = string(t)
	}
	var keys []string
	for _, q := range realisticQueries {
		for k := 1; k <= len(q); k++ {
			keys = append(keys, q[:k])
		}
	}
	run := func(name string, filter func(string) int, reset func()) {
		b.Run("50k/"+name, func(b *testing.B) {
			b.ReportAllocs()
			found := 0
			for b.Loop() {
				for i, key := range keys {
					if i == 0 || len(key) == 1 {
						reset()
					}
					found += filter(key)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(keys)), "ns/key")
			if found == 0 {
				b.Fatal("nothing found")
			}
		})
	}
	run("fuzzy", func(q string) int { return len(fuzzy.Find(q, texts)) }, func() {})
	old := newOld(products, providerNames)
	run("old", func(q string) int { return len(old.Filter(q)) }, func() { old.Filter("") })
	ix := New(shelf.Of(products), providerNames)
	run("new", func(q string) int { return len(ix.Filter(q)) }, func() { ix.Filter("") })
}
