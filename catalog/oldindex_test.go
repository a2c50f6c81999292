// The catalogue index as it was before issue 12 (commit f575656), kept
// test-only so that the benchmarks measure before and after in one run and
// the tests can compare the two.

package catalog

import (
	"bytes"
	"strings"

	"kiosk/providers"
)

// oldIndex is the Index of f575656.
type oldIndex struct {
	products []providers.Product
	text     []byte  // every product's search text, lowercased, each ended by '\n'
	starts   []int32 // starts[i] is where product i's text begins in text
	// masks[i] has a bit for every character class in product i's text
	// (see oldCharBit): a cheap test that rules most products out before any
	// substring search, and answers a one-letter query exactly.
	masks []uint64

	lastQuery string
	lastHits  []int32
}

// newOld builds an index over products; providerNames maps provider ids to the
// names clerks search by ("bitaqaty" → "Bitaqaty Business").
func newOld(products []providers.Product, providerNames map[string]string) *oldIndex {
	ix := &oldIndex{products: products, starts: make([]int32, len(products))}
	var b strings.Builder
	for i, p := range products {
		ix.starts[i] = int32(b.Len())
		for _, s := range []string{p.Name, p.NameAr, p.Brand, p.BrandAr, p.Category, providerNames[p.Provider], p.ID, p.Country} {
			if s != "" {
				b.WriteString(strings.ToLower(s))
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	ix.text = []byte(b.String())
	ix.masks = make([]uint64, len(products))
	for i := range products {
		ix.masks[i] = oldMaskOf(ix.text[ix.starts[i]:ix.end(i)])
	}
	return ix
}

// Len is the number of products indexed.
func (ix *oldIndex) Len() int { return len(ix.products) }

// Product returns product i.
func (ix *oldIndex) Product(i int) *providers.Product { return &ix.products[i] }

// Filter returns the indexes of products matching every word of query, in
// catalogue order. An empty query matches everything. When query extends the
// previous query, only the previous matches are searched.
func (ix *oldIndex) Filter(query string) []int32 {
	q := strings.ToLower(strings.TrimSpace(query))
	words := strings.Fields(q)
	if len(words) == 0 {
		ix.lastQuery, ix.lastHits = "", nil
		return ix.all()
	}
	var hits []int32
	// Narrowing the previous hits pays when they are few; when most
	// products still match, one vectorised scan of the buffer for the
	// longest word is cheaper than a substring test per product.
	if ix.lastQuery != "" && strings.HasPrefix(q, ix.lastQuery) && len(ix.lastHits) < len(ix.products)/8 {
		hits = ix.narrow(ix.lastHits, words)
	} else {
		longest := 0
		for i, w := range words {
			if len(w) > len(words[longest]) {
				longest = i
			}
		}
		hits = ix.scan(words[longest])
		hits = ix.narrow(hits, append(words[:longest:longest], words[longest+1:]...))
	}
	ix.lastQuery, ix.lastHits = q, hits
	return hits
}

func (ix *oldIndex) all() []int32 {
	out := make([]int32, len(ix.products))
	for i := range out {
		out[i] = int32(i)
	}
	return out
}

// scan finds word in the whole buffer with bytes.Index (vectorised), and
// maps each hit to its product, skipping to the next product after a hit.
// A one-letter ASCII word is answered from the masks alone.
func (ix *oldIndex) scan(word string) []int32 {
	if len(word) == 1 && oldExactBit(word[0]) {
		need := oldCharBit(rune(word[0]))
		hits := make([]int32, 0, len(ix.masks)/4)
		for i, m := range ix.masks {
			if m&need != 0 {
				hits = append(hits, int32(i))
			}
		}
		return hits
	}
	w := []byte(word)
	var hits []int32
	pos, i := 0, 0
	for pos < len(ix.text) {
		k := bytes.Index(ix.text[pos:], w)
		if k < 0 {
			break
		}
		at := pos + k
		for i+1 < len(ix.starts) && int(ix.starts[i+1]) <= at {
			i++
		}
		hits = append(hits, int32(i))
		i++
		pos = ix.end(i - 1)
	}
	return hits
}

// narrow keeps the candidates whose text contains every word.
func (ix *oldIndex) narrow(cands []int32, words []string) []int32 {
	if len(words) == 0 {
		return cands
	}
	ws := make([][]byte, len(words))
	for i, w := range words {
		ws[i] = []byte(w)
	}
	var need uint64
	for _, w := range words {
		need |= oldMaskOf([]byte(w))
	}
	out := make([]int32, 0, len(cands))
	for _, c := range cands {
		if ix.masks[c]&need != need {
			continue
		}
		t := ix.text[ix.starts[c]:ix.end(int(c))]
		ok := true
		for _, w := range ws {
			if !bytes.Contains(t, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

// oldCharBit gives each of a–z and 0–9 its own bit; every other character
// (Arabic letters, punctuation) shares one of the remaining 28 bits by its
// code point, so a mask can say "certainly absent" but never "absent" wrongly.
func oldCharBit(r rune) uint64 {
	switch {
	case r >= 'a' && r <= 'z':
		return 1 << (r - 'a')
	case r >= '0' && r <= '9':
		return 1 << (26 + r - '0')
	}
	return 1 << (36 + uint64(r)%28)
}

// oldExactBit reports whether a byte has a bit of its own.
func oldExactBit(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func oldMaskOf(b []byte) uint64 {
	var m uint64
	for _, r := range string(b) {
		if r != ' ' && r != '\n' {
			m |= oldCharBit(r)
		}
	}
	return m
}

func (ix *oldIndex) end(i int) int {
	if i+1 < len(ix.starts) {
		return int(ix.starts[i+1])
	}
	return len(ix.text)
}
