// Package shelf holds a catalogue's products compactly: in memory, from
// start-up to close, and in the journal's cache (codec.go).
//
// A kiosk keeps every product of every provider in memory. As a
// []providers.Product, 500,000 products took 183 MB: 384 bytes each, with
// thirteen string headers and five Money values holding a currency
// string, and the collector scanned all of it. A Table keeps a product
// as a row of fixed size with no pointers in it: its strings are indexes
// into one table of the catalogue's distinct strings, its money
// fixed-point micros with the index of a currency, its fields and extras
// indexes into lists the products share. A row is 144 bytes, and the
// collector never looks inside one. Product makes the providers.Product
// the rest of the kiosk works with, when a screen shows or sells it.
package shelf

import (
	"reflect"
	"slices"
	"sort"

	"kiosk/money"
	"kiosk/providers"
)

// A row's strings, by index: the first nine in the order the codec writes
// them.
const (
	strProvider = iota
	strID
	strName
	strNameAr
	strBrand
	strBrandAr
	strCategory
	strCountry
	strKind
	strPriceKind
	strVATType
	strHowToUse
	strHowToUseAr
	numStrings
)

// A row's money, by index, in the order the codec writes it.
const (
	amtPrice = iota
	amtCost
	amtFaceValue
	amtMinAmount
	amtMaxAmount
	numAmounts
)

// row is one product. It holds no pointer, so that a table of them is
// one allocation the collector does not scan.
type row struct {
	amount    [numAmounts]int64 // micros
	step, vat int64             // micros
	str       [numStrings]uint32
	currency  [numAmounts]uint32 // string indexes
	fields    uint32             // 1 + index in lists; 0 for none
	extra     uint32             // 1 + index in extras; 0 for none
	available bool
}

// Table is a catalogue's products. It is read-only once built: tables are
// shared between screens and commands without locks, and what Product
// returns shares its fields and extras with every product that has the
// same ones.
type Table struct {
	strs   []string
	rows   []row
	lists  [][]providers.Field // each clipped: appending to one copies it
	extras []map[string]string
}

// New is an empty table with room for n products.
func New(n int) *Table { return &Table{rows: make([]row, 0, n)} }

// Len is the number of products; a nil table has none.
func (t *Table) Len() int {
	if t == nil {
		return 0
	}
	return len(t.rows)
}

// Product makes product i.
func (t *Table) Product(i int) providers.Product {
	r := &t.rows[i]
	s := func(k int) string { return t.strs[r.str[k]] }
	m := func(k int) money.Money {
		return money.Money{Amount: money.FromMicros(r.amount[k]), Currency: t.strs[r.currency[k]]}
	}
	p := providers.Product{
		Provider: s(strProvider), ID: s(strID),
		Name: s(strName), NameAr: s(strNameAr),
		Brand: s(strBrand), BrandAr: s(strBrandAr),
		Category: s(strCategory), Country: s(strCountry),
		Kind:      providers.Kind(s(strKind)),
		Available: r.available,
		PriceKind: providers.PriceKind(s(strPriceKind)),
		Price:     m(amtPrice), Cost: m(amtCost), FaceValue: m(amtFaceValue),
		MinAmount: m(amtMinAmount), MaxAmount: m(amtMaxAmount),
		Step:       money.FromMicros(r.step),
		VATType:    s(strVATType),
		VATPercent: money.FromMicros(r.vat),
		HowToUse:   s(strHowToUse), HowToUseAr: s(strHowToUseAr),
	}
	if r.fields > 0 {
		p.Fields = t.lists[r.fields-1]
	}
	if r.extra > 0 {
		p.Extra = t.extras[r.extra-1]
	}
	return p
}

// All makes every product, in order (tools and tests).
func (t *Table) All() []providers.Product {
	out := make([]providers.Product, t.Len())
	for i := range out {
		out[i] = t.Product(i)
	}
	return out
}

func (t *Table) str(i, k int) string { return t.strs[t.rows[i].str[k]] }

// The strings of product i that searching, sorting and grouping read,
// without making the product.

func (t *Table) Provider(i int) string { return t.str(i, strProvider) }
func (t *Table) ID(i int) string       { return t.str(i, strID) }
func (t *Table) Name(i int) string     { return t.str(i, strName) }
func (t *Table) NameAr(i int) string   { return t.str(i, strNameAr) }
func (t *Table) Brand(i int) string    { return t.str(i, strBrand) }
func (t *Table) BrandAr(i int) string  { return t.str(i, strBrandAr) }
func (t *Table) Category(i int) string { return t.str(i, strCategory) }
func (t *Table) Country(i int) string  { return t.str(i, strCountry) }

// Key is product i's key, "bitaqaty/2862" (providers.Product.Key).
func (t *Table) Key(i int) string { return t.Provider(i) + "/" + t.ID(i) }

// Of is a table of ps, in their order. Products sharing a field list or
// an extras map (as decoded ones do) share it in the table too.
func Of(ps []providers.Product) *Table {
	b := newBuilder(len(ps))
	for i := range ps {
		b.add(&ps[i])
	}
	return b.t
}

// builder makes a table from products, each distinct string once.
type builder struct {
	t      *Table
	ids    map[string]uint32
	lists  map[listID]uint32
	extras map[uintptr]uint32
}

// listID is a field list by identity: products decoded from one cache
// share their lists.
type listID struct {
	first *providers.Field
	n     int
}

func newBuilder(n int) *builder {
	return &builder{t: &Table{rows: make([]row, 0, n)}, ids: map[string]uint32{},
		lists: map[listID]uint32{}, extras: map[uintptr]uint32{}}
}

func (b *builder) id(s string) uint32 {
	if id, ok := b.ids[s]; ok {
		return id
	}
	id := uint32(len(b.t.strs))
	b.ids[s] = id
	b.t.strs = append(b.t.strs, s)
	return id
}

func (b *builder) add(p *providers.Product) {
	r := row{available: p.Available, step: p.Step.Micros(), vat: p.VATPercent.Micros()}
	for k, s := range [numStrings]string{p.Provider, p.ID, p.Name, p.NameAr, p.Brand, p.BrandAr, p.Category,
		p.Country, string(p.Kind), string(p.PriceKind), p.VATType, p.HowToUse, p.HowToUseAr} {
		r.str[k] = b.id(s)
	}
	for k, m := range [numAmounts]money.Money{p.Price, p.Cost, p.FaceValue, p.MinAmount, p.MaxAmount} {
		r.amount[k], r.currency[k] = m.Amount.Micros(), b.id(m.Currency)
	}
	if len(p.Fields) > 0 {
		key := listID{&p.Fields[0], len(p.Fields)}
		id, ok := b.lists[key]
		if !ok {
			b.t.lists = append(b.t.lists, slices.Clip(p.Fields))
			id = uint32(len(b.t.lists))
			b.lists[key] = id
		}
		r.fields = id
	}
	if len(p.Extra) > 0 {
		key := reflect.ValueOf(p.Extra).Pointer()
		id, ok := b.extras[key]
		if !ok {
			b.t.extras = append(b.t.extras, p.Extra)
			id = uint32(len(b.t.extras))
			b.extras[key] = id
		}
		r.extra = id
	}
	b.t.rows = append(b.t.rows, r)
}

// Less is catalogue order: by brand, then name.
func (t *Table) Less(i, j int) bool {
	a, b := &t.rows[i], &t.rows[j]
	if a.str[strBrand] != b.str[strBrand] {
		if ba, bb := t.strs[a.str[strBrand]], t.strs[b.str[strBrand]]; ba != bb {
			return ba < bb
		}
	}
	return a.str[strName] != b.str[strName] && t.strs[a.str[strName]] < t.strs[b.str[strName]]
}

// Sorted reports whether the products are in catalogue order.
func (t *Table) Sorted() bool { return t.sorted(0, t.Len()) }

func (t *Table) sorted(from, to int) bool {
	for i := from + 1; i < to; i++ {
		if t.Less(i, i-1) {
			return false
		}
	}
	return true
}

// sort puts rows from..to in catalogue order, keeping the order of equal
// ones.
func (t *Table) sort(from, to int) {
	idx := make([]int32, to-from)
	for i := range idx {
		idx[i] = int32(from + i)
	}
	sort.SliceStable(idx, func(a, b int) bool { return t.Less(int(idx[a]), int(idx[b])) })
	for i := range idx {
		idx[i] -= int32(from)
	}
	Permute(t.rows[from:to], idx)
}

// Merge puts the table in catalogue order when it is runs of products
// one after the other (each provider's, as Decode appends them), each
// run sorted first if it is not. Equal products keep the order of their
// runs: the result is what a stable sort of the whole table gives.
func (t *Table) Merge(runs [][2]int) {
	for _, r := range runs {
		if !t.sorted(r[0], r[1]) {
			t.sort(r[0], r[1]) // a tool's cache written unsorted
		}
	}
	if len(runs) > 1 {
		Permute(t.rows, t.mergeOrder(runs))
	}
}

// mergeOrder merges sorted runs: order[i] is the row that goes to i. A tie
// goes to the earlier run.
func (t *Table) mergeOrder(runs [][2]int) []int32 {
	order := make([]int32, 0, len(t.rows))
	heads := make([]int, len(runs))
	for i, r := range runs {
		heads[i] = r[0]
	}
	for len(order) < len(t.rows) {
		best := -1
		for i, h := range heads {
			if h < runs[i][1] && (best < 0 || t.Less(h, heads[best])) {
				best = i
			}
		}
		order = append(order, int32(heads[best]))
		heads[best]++
	}
	return order
}

// Permute moves each element to its place, s[i] = old s[order[i]],
// following each cycle of the permutation so that every element is moved
// once and no second slice is needed. order is used up.
func Permute[T any](s []T, order []int32) {
	for i := range order {
		if int(order[i]) == i {
			continue
		}
		tmp := s[i]
		j := i
		for {
			k := int(order[j])
			order[j] = int32(j)
			if k == i {
				s[j] = tmp
				break
			}
			s[j] = s[k]
			j = k
		}
	}
}

// Replaced is the catalogue of the providers in order, provider id's
// products being ps and every other's those of t, merged into catalogue
// order as Merge does with the providers' runs in that order. Products
// of a provider not in order are left out. t is not changed, and the new
// table holds only the strings its products use.
func (t *Table) Replaced(order []string, id string, ps []providers.Product) *Table {
	b := newBuilder(t.Len() + len(ps))
	var runs [][2]int
	for _, prov := range order {
		from := b.t.Len()
		if prov == id {
			for i := range ps {
				b.add(&ps[i])
			}
		} else {
			for i := range t.Len() {
				if t.Provider(i) == prov {
					p := t.Product(i)
					b.add(&p)
				}
			}
		}
		if b.t.Len() > from {
			runs = append(runs, [2]int{from, b.t.Len()})
		}
	}
	b.t.Merge(runs)
	return b.t
}
