package catalog

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"kiosk/providers"
	"kiosk/shelf"
)

// reference is the search as it is specified (and as f575656 did it), in
// the plainest form: a product matches when every word of the lowercased
// query is a substring of its lowercased text; matches in catalogue order.
type reference struct{ texts [][]byte }

func newReference(products []providers.Product, providerNames map[string]string) *reference {
	r := &reference{texts: make([][]byte, len(products))}
	for i, p := range products {
		var b strings.Builder
		for _, s := range []string{p.Name, p.NameAr, p.Brand, p.BrandAr, p.Category, providerNames[p.Provider], p.ID, p.Country} {
			if s != "" {
				b.WriteString(strings.ToLower(s))
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
		r.texts[i] = []byte(b.String())
	}
	return r
}

func (r *reference) Filter(query string) []int32 {
	var words [][]byte
	for _, w := range strings.Fields(strings.ToLower(query)) {
		words = append(words, []byte(w))
	}
	var out []int32
	for i, t := range r.texts {
		ok := true
		for _, w := range words {
			if !bytes.Contains(t, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, int32(i))
		}
	}
	return out
}

// searchQueries are the realistic queries and others that reach every
// path: Arabic, several words, words in any order, upper case, spaces
// around and between, ids, punctuation, a word twice, nothing found.
var searchQueries = append(slices.Clone(realisticQueries),
	"يمن موبايل", "ببجي", "بطاقة 50", "ي", "gift card", "USD 10", "10 usd", "(ksa)", "#3", "fvr-100",
	"GenTel 12", "gentel 1 mobile", "  SAR  25 ", "SAR sar", "bitaqaty business", "top-up", "100 sar",
	"1", "10", "dt one", "qimah", "zzz", "a b c d", "ludo star 25 (bh) #30", "1000210", "ng")

// typeEach types query one key at a time into ix, as the clerk does, and
// checks every key's answer against the reference.
func typeEach(t *testing.T, ix *Index, ref *reference, query string) {
	t.Helper()
	for k := 1; k <= len(query); k++ {
		if !utf8.ValidString(query[:k]) {
			continue // a terminal delivers whole characters
		}
		checkKey(t, ix, ref, query[:k])
	}
}

func checkKey(t *testing.T, ix *Index, ref *reference, q string) {
	t.Helper()
	got, want := ix.Filter(q), ref.Filter(q)
	if !slices.Equal(got, want) {
		t.Fatalf("Filter(%q): %d matches, the reference finds %d (first difference at %d)", q, len(got), len(want), firstDiff(got, want))
	}
}

func firstDiff(a, b []int32) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestMatchesReference types every query into a shaped catalogue of 50,000
// products one key at a time, then backspaces it away, then searches each
// prefix fresh, and compares every answer with the reference. At 500,000
// products it does the same with the realistic queries, without the
// backspaces.
func TestMatchesReference(t *testing.T) {
	tests := []struct {
		n         int
		queries   []string
		backspace bool
	}{
		{50_000, searchQueries, true},
		{500_000, realisticQueries, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			if testing.Short() && tt.n > 50_000 {
				t.Skip("short: 50,000 products only")
			}
			products := shapedCatalogue(t, tt.n)
			ix, ref := New(shelf.Of(products), providerNames), newReference(products, providerNames)
			for _, query := range tt.queries {
				typeEach(t, ix, ref, query)
				for k := len(query) - 1; tt.backspace && k >= 0; k-- {
					if utf8.ValidString(query[:k]) {
						checkKey(t, ix, ref, query[:k])
					}
				}
				for k := 1; k <= len(query); k++ { // each prefix on its own
					if utf8.ValidString(query[:k]) {
						ix.Filter("")
						checkKey(t, ix, ref, query[:k])
					}
				}
			}
		})
	}
}

// TestMatchesReferenceRandomly types queries made of pieces of random
// products' texts (so they find something), with backspaces and jumps
// between queries, into a 50,000-product catalogue.
func TestMatchesReferenceRandomly(t *testing.T) {
	products := shapedCatalogue(t, 50_000)
	ix, ref := New(shelf.Of(products), providerNames), newReference(products, providerNames)
	rng := rand.New(rand.NewPCG(12, 2026))
	piece := func() string {
		words := strings.Fields(string(ref.texts[rng.IntN(len(ref.texts))]))
		w := []rune(words[rng.IntN(len(words))])
		from := rng.IntN(len(w))
		return string(w[from : from+1+rng.IntN(len(w)-from)])
	}
	for range 100 {
		var parts []string
		for range 1 + rng.IntN(3) {
			parts = append(parts, piece())
		}
		query := strings.Join(parts, " ")
		typeEach(t, ix, ref, query)
		if rng.IntN(2) == 0 {
			k := rng.IntN(len(query) + 1)
			for k > 0 && !utf8.ValidString(query[:k]) {
				k--
			}
			checkKey(t, ix, ref, query[:k])
		}
	}
}

// TestOddTexts covers texts the generated catalogues lack: upper-case
// letters outside ASCII, tabs and no-break spaces inside names, bytes that
// are not UTF-8, empty fields, a product with no text at all.
func TestOddTexts(t *testing.T) {
	products := []providers.Product{
		{Provider: "p", ID: "1", Name: "ÉCOLE Çard\t50", Brand: "Straße"},
		{Provider: "p", ID: "2", Name: "İstanbul\u00a0Kart 100", NameAr: "بطاقة\u00a0اسطنبول"},
		{Provider: "p", ID: "3", Name: "bad \xff\xfe bytes", Brand: "x\xc3"},
		{},
		{Provider: "q", ID: "ÄÖ-5", Country: "DE", Category: "Gift\r\nCards"},
	}
	names := map[string]string{"p": "Pé Provider"}
	queries := []string{"école", "ÉCOLE", "çard", "card 50", "d\t5", "straße", "STRASSE", "i̇stanbul", "istanbul", "kart",
		"اسطنبول", "بطاقة", "\xff", "\ufffd", "bytes", "x", "pé", "äö-5", "de", "gift", "cards", "t\r\nc", "e", "5", "ä"}
	ix, ref := New(shelf.Of(products), names), newReference(products, names)
	for _, q := range queries {
		ix.Filter("")
		checkKey(t, ix, ref, q)
		typeEach(t, ix, ref, q)
	}
}

// TestFilterStartsOver checks what a query that does not extend the
// previous one finds: the previous matches must not leak into it.
func TestFilterStartsOver(t *testing.T) {
	products := shapedCatalogue(t, 50_000)
	ix, ref := New(shelf.Of(products), providerNames), newReference(products, providerNames)
	for _, seq := range [][]string{
		{"pubg", "itunes"},      // a new word
		{"sar 25", "sar 2"},     // backspace
		{"sar 25", "sa 25"},     // an edit in the middle
		{"itunes", "tunes"},     // a letter taken off the front
		{"yemen", "yemen", "y"}, // the same query twice, then shorter
		{"SAR", "sar", "sar "},  // only the case or a trailing space differs
		{"gift 10", "gift 10 0", "gift 10 0 1"},
		{"s", "sar 2"},             // pasted: two words more, one a digit, over many matches
		{"7", "77 s"},              // the same over the ids
		{"pubg", "pubg mobile 60"}, // pasted over few matches
	} {
		ix.Filter("")
		for _, q := range seq {
			checkKey(t, ix, ref, q)
		}
	}
}

// TestAppendLower checks appendLower against strings.ToLower, and that the
// Arabic letters it copies have no lower case of their own.
func TestAppendLower(t *testing.T) {
	for r := rune(0x600); r <= 0x6ff; r++ {
		if unicode.ToLower(r) != r {
			t.Fatalf("%U has a lower case; appendLower copies it", r)
		}
	}
	for _, s := range []string{"", "ABC xyz", "iTunes 50 SAR", "بطاقة آيتونز 100 ريال", "ÉCOLE", "Straße İ", "بطاقة ÄÖ abc",
		"\xd8", "\xd8A", "ab\xff\xfeCD", "\xd9\x85\xd8", "ﻻ", "ۿZ", "\u0700X", "A\u00a0B"} {
		if got, want := string(appendLower([]byte("x"), s)), "x"+strings.ToLower(s); got != want {
			t.Errorf("appendLower(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestTokens checks the tokens of a small catalogue: each distinct once,
// each with the products holding it once each, in catalogue order, kept as
// a list or, when more than one product in 32 holds it, as bits.
func TestTokens(t *testing.T) {
	products := demo()
	for i := range 59 {
		products = append(products, providers.Product{Provider: "mor", ID: fmt.Sprint("x", i), Name: "Filler"})
	}
	ix := New(shelf.Of(products), map[string]string{"bitaqaty": "Bitaqaty Business"})
	holders := map[string][]int32{}
	dense := map[string]bool{}
	for tok := range int32(len(ix.tokStarts) - 1) {
		word := string(ix.token(tok))
		if _, twice := holders[word]; twice {
			t.Fatalf("token %q listed twice", word)
		}
		holders[word] = ix.postings[ix.postStarts[tok]:ix.postStarts[tok+1]]
		if bits, ok := ix.dense[tok]; ok {
			if len(holders[word]) > 0 {
				t.Fatalf("token %q has both a list and bits", word)
			}
			dense[word] = true
			for p := range int32(len(products)) {
				if bits[p>>6]&(1<<(p&63)) != 0 {
					holders[word] = append(holders[word], p)
				}
			}
		}
	}
	fillers := make([]int32, 59)
	for i := range fillers {
		fillers[i] = int32(5 + i)
	}
	for _, tt := range []struct {
		word    string
		holders []int32
		dense   bool
	}{
		{"itunes", []int32{0, 1}, false}, {"bitaqaty", []int32{0, 1, 2}, true}, {"mobile", []int32{2, 3}, false},
		{"top-up", []int32{3}, false}, {"يمن", []int32{3}, false}, {"gt", []int32{4}, false}, {"50", []int32{0}, false},
		{"filler", fillers, true}, {"x7", []int32{12}, false},
	} {
		if got := holders[tt.word]; !slices.Equal(got, tt.holders) || dense[tt.word] != tt.dense {
			t.Errorf("token %q held by %v (as bits: %v), want %v (%v)", tt.word, got, dense[tt.word], tt.holders, tt.dense)
		}
	}
	if len(holders) != 25+1+59 {
		t.Errorf("%d tokens: %v", len(holders), holders)
	}
}

// TestMaskOf: the mask with its ASCII table is the mask rune by rune, for
// ASCII, Arabic, other scripts and bytes that are no UTF-8.
func TestMaskOf(t *testing.T) {
	byRune := func(b []byte) uint64 {
		var m uint64
		for _, r := range string(b) {
			if r != ' ' && r != '\n' {
				m |= charBit(r)
			}
		}
		return m
	}
	for _, s := range []string{"", " \n", "itunes 50 sar\n", "بطاقة ايتونز 50 ريال", "Ünïcödé ПРИВЕТ 日本",
		"\xff\xfe bad \xc3", "tab\there\r\v\f", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./", "\x00\x7f"} {
		if got, want := maskOf([]byte(s)), byRune([]byte(s)); got != want {
			t.Errorf("maskOf(%q) = %x, want %x", s, got, want)
		}
	}
}
