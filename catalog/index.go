// Package catalog is the clerk's product search. A product matches a query
// when each word of the query is a substring of the product's lowercased
// search text (name, Arabic name, brand, category, provider, id, country);
// matches come in catalogue order.
//
// Three structures answer a keystroke:
//   - a mask per product of the characters it holds, which answers a
//     one-letter word exactly and rules most products out of any other;
//   - the search text of every product in one buffer, for testing a few
//     candidates directly;
//   - the distinct tokens of all texts (space-separated pieces: "itunes",
//     "(ksa)", "1000210") in one small buffer, each with the products that
//     hold it. A word is a substring of a product's text exactly when it is
//     a substring of one of its tokens, so one scan of the tokens finds every
//     product holding a word, however common the word is. Product names
//     share their tokens, so the token buffer is a tenth of the text.
//
// While the clerk keeps typing, only the previous matches are narrowed,
// through the texts when they are few and through the tokens when they are
// many.
package catalog

import (
	"bytes"
	"math/bits"
	"strings"
	"unicode/utf8"

	"kiosk/providers"
	"kiosk/shelf"
)

// Index searches a fixed set of products. It is not safe for concurrent use.
type Index struct {
	products *shelf.Table
	text     []byte  // every product's search text, lowercased, each ended by '\n'
	starts   []int32 // starts[i] is where product i's text begins in text
	// masks[i] has a bit for every character class in product i's text
	// (see charBit): a cheap test that rules most products out before any
	// substring search, and answers a one-letter query exactly.
	masks []uint64

	// The tokens: token t is vocab[tokStarts[t]:tokStarts[t+1]-1] (each is
	// ended by '\n'), held by the products postings[postStarts[t]:postStarts[t+1]],
	// in catalogue order.
	vocab      []byte
	tokStarts  []int32
	postings   []int32
	postStarts []int32
	// dense holds the tokens most products hold (their postings are
	// empty): a bit per product.
	dense map[int32][]uint64

	last state
	tok  tokenMatch // the last word looked for in the tokens, and where it is
	// Results alternate between the two buffers of each pair, so what the
	// previous query left stays whole after the next: a saved state can be
	// gone back to (the per-key benchmarks do).
	bufs    [2][]int32
	tokBufs [2][]int32
	bits    []uint64 // a bit per product: the products holding a word
	more    []uint64 // the same for a query's further words
	every   []int32  // 0, 1, … n-1: the answer to an empty query
}

// state is what the previous query left: its words and its matches.
type state struct {
	query string // lowercased and trimmed; "" after an empty query
	words []string
	hits  []int32
	buf   int // which of bufs holds hits
}

// tokenMatch is the tokens that contain word. A longer word containing it
// is only in those tokens, so the next keystroke of the word searches them
// alone rather than every token.
type tokenMatch struct {
	word   string
	tokens []int32
	buf    int // which of tokBufs holds tokens
}

// New builds an index over products; providerNames maps provider ids to the
// names clerks search by ("bitaqaty" → "Bitaqaty Business").
func New(products *shelf.Table, providerNames map[string]string) *Index {
	n := products.Len()
	size := 0
	for i := range n {
		size += len(products.Name(i)) + len(products.NameAr(i)) + len(products.Brand(i)) + len(products.BrandAr(i)) +
			len(products.Category(i)) + len(providerNames[products.Provider(i)]) + len(products.ID(i)) + len(products.Country(i)) + 9
	}
	ix := &Index{
		products: products,
		text:     make([]byte, 0, size),
		starts:   make([]int32, n),
		masks:    make([]uint64, n),
	}
	b := newBuilder(n)
	for i := range n {
		from := len(ix.text)
		ix.starts[i] = int32(from)
		for f, s := range [...]string{products.Name(i), products.NameAr(i), products.Brand(i), products.BrandAr(i),
			products.Category(i), providerNames[products.Provider(i)], products.ID(i), products.Country(i)} {
			if s != "" {
				at := len(ix.text)
				ix.text = appendLower(ix.text, s)
				b.addField(f, s, ix.text[at:])
				ix.text = append(ix.text, ' ')
			}
		}
		ix.text = append(ix.text, '\n')
		ix.masks[i] = maskOf(ix.text[from:])
		b.endProduct()
	}
	b.finish(ix)
	// The search buffers are made once, so that a keystroke allocates
	// next to nothing.
	ix.bufs = [2][]int32{make([]int32, 0, n), make([]int32, 0, n)}
	ix.bits = make([]uint64, (n+63)/64)
	ix.more = make([]uint64, len(ix.bits))
	ix.tokBufs = [2][]int32{make([]int32, 0, len(ix.tokStarts)-1), make([]int32, 0, len(ix.tokStarts)-1)}
	ix.every = make([]int32, n)
	for i := range ix.every {
		ix.every[i] = int32(i)
	}
	return ix
}

// Len is the number of products indexed.
func (ix *Index) Len() int { return ix.products.Len() }

// Product returns product i, made from the table: a caller may keep it.
func (ix *Index) Product(i int) *providers.Product {
	p := ix.products.Product(i)
	return &p
}

// Products is the table indexed.
func (ix *Index) Products() *shelf.Table { return ix.products }

// Filter returns the indexes of products matching every word of query, in
// catalogue order. An empty query matches everything. When query extends the
// previous query, only the previous matches are searched.
//
// The slice belongs to the index: it stays valid until the next call of
// Filter and must not be changed.
func (ix *Index) Filter(query string) []int32 {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		ix.last = state{}
		return ix.every
	}
	if q == ix.last.query {
		return ix.last.hits
	}
	words := strings.Fields(q)
	if ix.last.query != "" && strings.HasPrefix(q, ix.last.query) {
		// Every match of q matches the previous query, which already
		// checked the words they share.
		added := wordsNotIn(words, ix.last.words)
		if len(added) == 0 {
			ix.last.query, ix.last.words = q, words
			return ix.last.hits
		}
		return ix.keep(q, words, ix.narrow(ix.last.hits, added, ix.spare()))
	}
	return ix.keep(q, words, ix.search(words, ix.spare()))
}

// spare is the result buffer that does not hold the previous matches.
func (ix *Index) spare() []int32 { return ix.bufs[1-ix.last.buf][:0] }

func (ix *Index) keep(q string, words []string, hits []int32) []int32 {
	ix.last = state{query: q, words: words, hits: hits, buf: 1 - ix.last.buf}
	return hits
}

// search finds the products matching every word among all products.
func (ix *Index) search(words []string, out []int32) []int32 {
	need, rest := splitWords(words)
	if len(rest) == 0 {
		for i, m := range ix.masks {
			if m&need == need {
				out = append(out, int32(i))
			}
		}
		return out
	}
	found := ix.holding(rest)
	for k, w := range found {
		for w != 0 {
			i := k<<6 | bits.TrailingZeros64(w)
			w &= w - 1
			if ix.masks[i]&need == need {
				out = append(out, int32(i))
			}
		}
	}
	return out
}

// narrow keeps the candidates matching every word. Words a mask does not
// answer are looked for in the candidates' texts or in the tokens,
// whichever means reading fewer bytes.
func (ix *Index) narrow(cands []int32, words []string, out []int32) []int32 {
	need, rest := splitWords(words)
	if len(rest) == 0 {
		for _, c := range cands {
			if ix.masks[c]&need == need {
				out = append(out, c)
			}
		}
		return out
	}
	if ix.textBytes(len(cands)) > ix.tokenBytes(rest) {
		found := ix.holding(rest)
		for _, c := range cands {
			if found[c>>6]&(1<<(c&63)) != 0 && ix.masks[c]&need == need {
				out = append(out, c)
			}
		}
		return out
	}
	ws := make([][]byte, len(rest))
	for i, w := range rest {
		ws[i] = []byte(w)
		need |= maskOf(ws[i])
	}
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

// textBytes estimates how many bytes of text n candidates hold.
func (ix *Index) textBytes(n int) int {
	if ix.products.Len() == 0 {
		return 0
	}
	return n * (len(ix.text) / ix.products.Len())
}

// tokenBytes estimates how many bytes of tokens finding words reads: all
// of them, or for a word that extends the last one searched, only the
// tokens that one was found in.
func (ix *Index) tokenBytes(words []string) int {
	n := 0
	for _, w := range words {
		if ix.tok.word != "" && strings.Contains(w, ix.tok.word) {
			n += len(ix.tok.tokens) * (len(ix.vocab) / len(ix.tokStarts))
		} else {
			n += len(ix.vocab)
		}
	}
	return n
}

// splitWords parts the words a mask answers exactly (one letter or digit:
// need has its bit) from the rest, which must be searched for.
func splitWords(words []string) (need uint64, rest []string) {
	for _, w := range words {
		if len(w) == 1 && exactBit(w[0]) {
			need |= charBit(rune(w[0]))
		} else {
			rest = append(rest, w)
		}
	}
	return need, rest
}

// wordsNotIn lists the words that are not among old.
func wordsNotIn(words, old []string) []string {
	var added []string
	for _, w := range words {
		found := false
		for _, o := range old {
			if o == w {
				found = true
				break
			}
		}
		if !found {
			added = append(added, w)
		}
	}
	return added
}

// holding returns a bit per product, set for the products whose text holds
// every one of words. The bits are the index's own, valid until the next
// call.
func (ix *Index) holding(words []string) []uint64 {
	ix.tokenHolders(words[0], ix.bits)
	for _, w := range words[1:] {
		ix.tokenHolders(w, ix.more)
		for k := range ix.bits {
			ix.bits[k] &= ix.more[k]
		}
	}
	return ix.bits
}

// tokenHolders sets in found the products holding a token that contains
// word, and clears the rest.
func (ix *Index) tokenHolders(word string, found []uint64) {
	clear(found)
	for _, t := range ix.tokensWith(word) {
		holders := ix.postings[ix.postStarts[t]:ix.postStarts[t+1]]
		if len(holders) == 0 {
			for k, w := range ix.dense[t] {
				found[k] |= w
			}
		}
		for _, p := range holders {
			found[p>>6] |= 1 << (p & 63)
		}
	}
}

// tokensWith lists the tokens containing word: one scan of every token, or
// when word contains the last word searched for, a look at only the tokens
// that one was found in.
func (ix *Index) tokensWith(word string) []int32 {
	w := []byte(word)
	m := &ix.tok
	list := ix.tokBufs[1-m.buf][:0]
	if m.word != "" && strings.Contains(word, m.word) {
		for _, t := range m.tokens {
			if bytes.Contains(ix.token(t), w) {
				list = append(list, t)
			}
		}
	} else {
		pos, t := 0, 0
		for {
			k := bytes.Index(ix.vocab[pos:], w)
			if k < 0 {
				break
			}
			t = ix.tokenAt(t, pos+k)
			list = append(list, int32(t))
			pos = int(ix.tokStarts[t+1])
		}
	}
	*m = tokenMatch{word: word, tokens: list, buf: 1 - m.buf}
	return list
}

// token is the text of token t.
func (ix *Index) token(t int32) []byte { return ix.vocab[ix.tokStarts[t] : ix.tokStarts[t+1]-1] }

// tokenAt is the token that byte at of vocab belongs to, looking from
// token t on: it steps while the token is near and gallops when it is far,
// so a common word costs a step per hit and a rare one a binary search.
func (ix *Index) tokenAt(t, at int) int {
	starts := ix.tokStarts // starts[t] <= at < starts[len(starts)-1]
	for range 8 {
		if int(starts[t+1]) > at {
			return t
		}
		t++
	}
	step := 1
	for t+step < len(starts) && int(starts[t+step]) <= at {
		t += step
		step *= 2
	}
	lo, hi := t, min(t+step, len(starts)-1) // starts[lo] <= at < starts[hi]
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if int(starts[mid]) <= at {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// builder collects the tokens while New writes the texts.
type builder struct {
	n        int              // products
	ids      map[string]int32 // token → its number
	vocab    []byte
	starts   []int32 // token starts in vocab
	counts   []int32 // products per token
	lastSeen []int32 // the last product (+1) that held each token
	held     []int32 // every product's distinct tokens, product after product
	heldEnd  []int32 // product i's tokens end at heldEnd[i] in held
	// The previous product's value of each field and its tokens: the
	// catalogue is sorted by brand, so brand, category and provider come in
	// long runs and are split into tokens once a run.
	prev     [8]string
	prevToks [8][]int32
}

func newBuilder(n int) *builder {
	// Ids are unique, so there are about as many tokens as products.
	return &builder{n: n, ids: make(map[string]int32, n), heldEnd: make([]int32, 0, n), held: make([]int32, 0, 12*n)}
}

// addField records the tokens of field f of the next product: s, lowered.
func (b *builder) addField(f int, s string, lowered []byte) {
	if s != b.prev[f] {
		b.prev[f] = s
		b.prevToks[f] = b.prevToks[f][:0]
		for len(lowered) > 0 {
			i := 0
			for i < len(lowered) && !isSeparator(lowered[i]) {
				i++
			}
			if i > 0 {
				b.prevToks[f] = append(b.prevToks[f], b.id(lowered[:i]))
			}
			for i < len(lowered) && isSeparator(lowered[i]) {
				i++
			}
			lowered = lowered[i:]
		}
	}
	product := int32(len(b.heldEnd)) + 1
	for _, t := range b.prevToks[f] {
		if b.lastSeen[t] != product {
			b.lastSeen[t] = product
			b.counts[t]++
			b.held = append(b.held, t)
		}
	}
}

func (b *builder) endProduct() { b.heldEnd = append(b.heldEnd, int32(len(b.held))) }

func (b *builder) id(tok []byte) int32 {
	if t, ok := b.ids[string(tok)]; ok {
		return t
	}
	t := int32(len(b.starts))
	b.ids[string(tok)] = t
	b.starts = append(b.starts, int32(len(b.vocab)))
	b.vocab = append(append(b.vocab, tok...), '\n')
	b.counts = append(b.counts, 0)
	b.lastSeen = append(b.lastSeen, 0)
	return t
}

// finish lays the postings out token after token, each in catalogue order;
// a token held by more than one product in denseFrom gets a bit per product
// instead, which is smaller and quicker to add up.
func (b *builder) finish(ix *Index) {
	ix.vocab = b.vocab
	ix.tokStarts = append(b.starts, int32(len(b.vocab)))
	ix.postStarts = make([]int32, len(b.counts)+1)
	ix.dense = map[int32][]uint64{}
	words := (b.n + 63) / 64
	for t, c := range b.counts {
		if int(c)*denseFrom > b.n {
			ix.dense[int32(t)] = make([]uint64, words)
			c = 0
		}
		ix.postStarts[t+1] = ix.postStarts[t] + c
	}
	ix.postings = make([]int32, ix.postStarts[len(b.counts)])
	next := b.counts // reused: where token t's next posting goes
	copy(next, ix.postStarts)
	from := int32(0)
	for p, end := range b.heldEnd {
		for _, t := range b.held[from:end] {
			if next[t] < ix.postStarts[t+1] {
				ix.postings[next[t]] = int32(p)
				next[t]++
			} else {
				ix.dense[t][p>>6] |= 1 << (p & 63)
			}
		}
		from = end
	}
}

// denseFrom: a token held by more than one product in denseFrom is kept as
// a bit per product (n/8 bytes) rather than a list (4 bytes a product).
// At 32, the 61 densest tokens of 500,000 shaped products, which hold two
// thirds of all postings, take 3.7 MB instead of 15.3 MB.
const denseFrom = 32

// isSeparator reports whether c splits tokens. A query word never holds
// one (strings.Fields splits words on every space), so a word within a
// text is always within one token.
func isSeparator(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// appendLower appends strings.ToLower(s) to b. ASCII letters are lowered
// and Arabic letters (U+0600–U+06FF, which have no case) kept here, rune by
// rune as strings.ToLower does; from the first other rune on,
// strings.ToLower does the rest. (Most product texts are English and
// Arabic; strings.ToLower looks each Arabic letter up in the case tables.)
func appendLower(b []byte, s string) []byte {
	at := len(b)
	b = append(b, s...)
	t := b[at:]
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c < utf8.RuneSelf:
			if 'A' <= c && c <= 'Z' {
				t[i] = c + 'a' - 'A'
			}
		case c >= 0xd8 && c <= 0xdb && i+1 < len(t) && t[i+1]&0xc0 == 0x80:
			i++
		default:
			return append(b[:at+i], strings.ToLower(s[i:])...)
		}
	}
	return b
}

// charBit gives each of a–z and 0–9 its own bit; every other character
// (Arabic letters, punctuation) shares one of the remaining 28 bits by its
// code point, so a mask can say "certainly absent" but never "absent" wrongly.
func charBit(r rune) uint64 {
	switch {
	case r >= 'a' && r <= 'z':
		return 1 << (r - 'a')
	case r >= '0' && r <= '9':
		return 1 << (26 + r - '0')
	}
	return 1 << (36 + uint64(r)%28)
}

// exactBit reports whether a byte has a bit of its own.
func exactBit(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func maskOf(b []byte) uint64 {
	var m uint64
	for i := 0; i < len(b); {
		if c := b[i]; c < utf8.RuneSelf {
			m |= asciiBits[c] // most of a text: no rune to decode
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		m |= charBit(r)
		i += size
	}
	return m
}

// asciiBits is charBit of every ASCII character, but none for the space
// and line feed that end words and texts.
var asciiBits = func() (t [utf8.RuneSelf]uint64) {
	for c := range t {
		if c != ' ' && c != '\n' {
			t[c] = charBit(rune(c))
		}
	}
	return t
}()

func (ix *Index) end(i int) int {
	if i+1 < len(ix.starts) {
		return int(ix.starts[i+1])
	}
	return len(ix.text)
}
