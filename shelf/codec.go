package shelf

import (
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"slices"

	"kiosk/money"
	"kiosk/providers"
)

// The cached catalogue's own binary encoding (package sale tags it "kc1:",
// with the configuration version it was fetched under). Gob spent
// most of a start-up decoding 50,000 products field by field through
// reflection, allocating every string. Here every distinct string of the
// catalogue is written once, in a table; a product is a run of varints:
// table indexes for its strings (a brand, a category, a how-to-use text
// shared by thousands of products is one entry), and money as its
// fixed-point millionths and a currency. Reading it makes the whole table
// one string and every product's strings pieces of it, and a product one
// row of a Table: its strings, fields and extras are indexes there too.
//
// Layout after sale's "kc1:" version "\n" header, all integers varints
// (signed for money, unsigned otherwise):
//
//	products: count
//	strings: count, then each: length, bytes      (string 0 is always "")
//	field lists: count, then each: count, then each field (see field)
//	each product:
//	  Provider ID Name NameAr Brand BrandAr Category Country Kind   (string indexes)
//	  flags (1 Available)
//	  PriceKind; Price Cost FaceValue MinAmount MaxAmount (micros, currency index each); Step (micros)
//	  VATType; VATPercent (micros); HowToUse HowToUseAr
//	  fields: 0 for none, else 1 + the index of its field list
//	  extra: count, then key, value pairs (in key order)
//
// Products that take the same fields (every DT One top-up of a country
// takes the same account number) share one list: a product's Fields are
// read-only, as all of a cached catalogue is, and appending to them copies.
//
// A change to providers.Product or providers.Field must change this
// format's tag in package sale; TestCodecCoversEveryField fails until it
// is written here.

// catalogEncoder builds the string table and the product records.
type catalogEncoder struct {
	ids     map[string]uint64
	strs    []string
	records []byte
	lists   map[string]uint64 // a field list's encoding → its index
	fields  []byte            // the field lists, encoded
	nLists  int
}

// Encode is products as the cache keeps them (what follows the header).
func Encode(products []providers.Product) []byte {
	e := &catalogEncoder{ids: make(map[string]uint64, len(products)*3), strs: []string{""}, lists: map[string]uint64{}}
	e.ids[""] = 0
	e.records = make([]byte, 0, len(products)*48)
	for i := range products {
		e.product(&products[i])
	}
	size := 3*binary.MaxVarintLen64 + len(e.fields) + len(e.records)
	for _, s := range e.strs {
		size += len(s) + binary.MaxVarintLen32
	}
	out := make([]byte, 0, size)
	out = binary.AppendUvarint(out, uint64(len(products)))
	out = binary.AppendUvarint(out, uint64(len(e.strs)))
	for _, s := range e.strs {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	out = binary.AppendUvarint(out, uint64(e.nLists))
	out = append(out, e.fields...)
	return append(out, e.records...)
}

func (e *catalogEncoder) str(s string) {
	id, ok := e.ids[s]
	if !ok {
		id = uint64(len(e.strs))
		e.ids[s] = id
		e.strs = append(e.strs, s)
	}
	e.records = binary.AppendUvarint(e.records, id)
}

func (e *catalogEncoder) uint(n uint64) { e.records = binary.AppendUvarint(e.records, n) }
func (e *catalogEncoder) decimal(d money.Decimal) {
	e.records = binary.AppendVarint(e.records, d.Micros())
}

func (e *catalogEncoder) money(m money.Money) {
	e.decimal(m.Amount)
	e.str(m.Currency)
}

func (e *catalogEncoder) product(p *providers.Product) {
	for _, s := range [...]string{p.Provider, p.ID, p.Name, p.NameAr, p.Brand, p.BrandAr, p.Category, p.Country, string(p.Kind)} {
		e.str(s)
	}
	e.uint(boolBits(p.Available))
	e.str(string(p.PriceKind))
	for _, m := range [...]money.Money{p.Price, p.Cost, p.FaceValue, p.MinAmount, p.MaxAmount} {
		e.money(m)
	}
	e.decimal(p.Step)
	e.str(p.VATType)
	e.decimal(p.VATPercent)
	e.str(p.HowToUse)
	e.str(p.HowToUseAr)
	e.fieldList(p.Fields)
	e.uint(uint64(len(p.Extra)))
	for _, k := range slices.Sorted(maps.Keys(p.Extra)) {
		e.str(k)
		e.str(p.Extra[k])
	}
}

// fieldList writes the reference to a product's fields, adding the list
// to the table when it is new.
func (e *catalogEncoder) fieldList(fs []providers.Field) {
	if len(fs) == 0 {
		e.uint(0)
		return
	}
	records := e.records
	e.records = binary.AppendUvarint(nil, uint64(len(fs)))
	for i := range fs {
		e.field(&fs[i])
	}
	enc := e.records
	e.records = records
	id, ok := e.lists[string(enc)]
	if !ok {
		id = uint64(e.nLists)
		e.lists[string(enc)] = id
		e.nLists++
		e.fields = append(e.fields, enc...)
	}
	e.uint(1 + id)
}

// field writes a providers.Field:
//
//	Name Label LabelAr Kind; flags (1 Required, 2 Confirm, 4 Hidden,
//	8 International, 16 Min set, 32 Max set); MinLen MaxLen;
//	Pattern PatternHint HintKey; HintArgs: count, strings;
//	Min, Max (micros, when set); Choices: count, value and label pairs;
//	Default Placeholder CallingCode; NationalLen
func (e *catalogEncoder) field(f *providers.Field) {
	e.str(f.Name)
	e.str(f.Label)
	e.str(f.LabelAr)
	e.str(string(f.Kind))
	flags := boolBits(f.Required) | boolBits(f.Confirm)<<1 | boolBits(f.Hidden)<<2 | boolBits(f.International)<<3
	if f.Min != nil {
		flags |= 16
	}
	if f.Max != nil {
		flags |= 32
	}
	e.uint(flags)
	e.records = binary.AppendVarint(e.records, int64(f.MinLen))
	e.records = binary.AppendVarint(e.records, int64(f.MaxLen))
	e.str(f.Pattern)
	e.str(f.PatternHint)
	e.str(f.HintKey)
	e.uint(uint64(len(f.HintArgs)))
	for _, a := range f.HintArgs {
		e.str(a)
	}
	if f.Min != nil {
		e.decimal(*f.Min)
	}
	if f.Max != nil {
		e.decimal(*f.Max)
	}
	e.uint(uint64(len(f.Choices)))
	for _, c := range f.Choices {
		e.str(c.Value)
		e.str(c.Label)
	}
	e.str(f.Default)
	e.str(f.Placeholder)
	e.str(f.CallingCode)
	e.records = binary.AppendVarint(e.records, int64(f.NationalLen))
}

func boolBits(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// ErrCorrupt is a cache that cannot be read: only a cache, it is fetched
// again.
var ErrCorrupt = errors.New("cached catalogue: corrupt")

// decoder reads what Encode wrote into a table's rows; the first problem
// stops it. The indexes in the records are the cache's own: they are
// moved by where its strings, lists and extras start in the table.
type decoder struct {
	b []byte
	t *Table
	// The cache has nStrs strings, from strBase in t.strs, and nLists
	// field lists, from listBase in t.lists.
	nStrs, nLists     uint64
	strBase, listBase uint32
	// extras maps an encoded run of extras to its index in t.extras.
	extras map[string]uint32
	err    error
}

// Count is how many products a cache holds (b is what follows the
// header), so that one table can be made for every provider's; 0 when b
// does not say.
func Count(b []byte) int {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return 0
	}
	return int(n)
}

// Decode appends the products of a cache (b is what follows the header)
// to t. On error t is as it was.
func Decode(b []byte, t *Table) error {
	strs, lists, extras, rows := len(t.strs), len(t.lists), len(t.extras), len(t.rows)
	if err := decode(b, t); err != nil {
		clear(t.strs[strs:])
		clear(t.lists[lists:])
		clear(t.extras[extras:])
		t.strs, t.lists, t.extras, t.rows = t.strs[:strs], t.lists[:lists], t.extras[:extras], t.rows[:rows]
		return err
	}
	return nil
}

func decode(b []byte, t *Table) error {
	d := &decoder{b: b, t: t}
	count := d.uint()
	if d.err != nil || count > uint64(len(d.b)) {
		return ErrCorrupt
	}
	n := d.uint()
	if d.err != nil || n == 0 || n > uint64(len(d.b)) || len(t.strs)+int(n) > math.MaxUint32 {
		return ErrCorrupt
	}
	if err := d.strings(n); err != nil {
		return err
	}
	nLists := d.count()
	d.listBase, d.nLists = uint32(len(t.lists)), uint64(nLists)
	for range nLists {
		k := d.count()
		if k == 0 {
			d.err = ErrCorrupt
		}
		fs := make([]providers.Field, k)
		for j := range fs {
			d.field(&fs[j])
		}
		if d.err != nil {
			return d.err
		}
		t.lists = append(t.lists, fs[:k:k])
	}
	t.rows = slices.Grow(t.rows, int(count))
	for range count {
		t.rows = append(t.rows, row{})
		d.product(&t.rows[len(t.rows)-1])
		if d.err != nil {
			return d.err
		}
	}
	if len(d.b) != 0 {
		return ErrCorrupt
	}
	return nil
}

// strings reads the cache's n strings into one string, whose pieces they
// become in t.strs.
func (d *decoder) strings(n uint64) error {
	lens := make([]int, n)
	total := 0
	at := d.b
	for i := range lens {
		l := d.uint()
		if d.err != nil || l > uint64(len(d.b)) {
			return ErrCorrupt
		}
		lens[i] = int(l)
		total += int(l)
		d.b = d.b[l:]
	}
	if lens[0] != 0 {
		return ErrCorrupt // string 0 is always ""
	}
	table := make([]byte, 0, total)
	d.b = at
	for _, l := range lens {
		d.uint()
		table = append(table, d.b[:l]...)
		d.b = d.b[l:]
	}
	all := string(table)
	d.strBase, d.nStrs = uint32(len(d.t.strs)), n
	d.t.strs = slices.Grow(d.t.strs, int(n))
	pos := 0
	for _, l := range lens {
		d.t.strs = append(d.t.strs, all[pos:pos+l])
		pos += l
	}
	return nil
}

func (d *decoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.err = ErrCorrupt
		return 0
	}
	d.b = d.b[k:]
	return v
}

// varint reads a signed varint.
func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, k := binary.Varint(d.b)
	if k <= 0 {
		d.err = ErrCorrupt
		return 0
	}
	d.b = d.b[k:]
	return v
}

// int reads a field's length or count, which fits an int32.
func (d *decoder) int() int {
	v := d.varint()
	if v > math.MaxInt32 || v < math.MinInt32 {
		d.err = ErrCorrupt
		return 0
	}
	return int(v)
}

// strID reads a string index and makes it the table's.
func (d *decoder) strID() uint32 {
	i := d.uint()
	if i >= d.nStrs {
		d.err = ErrCorrupt
		return 0
	}
	return d.strBase + uint32(i)
}

func (d *decoder) str() string { return d.t.strs[d.strID()] }

func (d *decoder) decimal() money.Decimal { return money.FromMicros(d.varint()) }

func (d *decoder) product(r *row) {
	for k := range strKind + 1 {
		r.str[k] = d.strID()
	}
	r.available = d.uint()&1 != 0
	r.str[strPriceKind] = d.strID()
	for k := range numAmounts {
		r.amount[k] = d.varint()
		r.currency[k] = d.strID()
	}
	r.step = d.varint()
	r.str[strVATType] = d.strID()
	r.vat = d.varint()
	r.str[strHowToUse], r.str[strHowToUseAr] = d.strID(), d.strID()
	if l := d.uint(); l > 0 {
		if l > d.nLists {
			d.err = ErrCorrupt
			return
		}
		r.fields = d.listBase + uint32(l)
	}
	at := d.b
	if n := d.count(); n > 0 {
		for range 2 * n {
			d.strID()
		}
		if d.err != nil {
			return
		}
		// Products with the same extras share one map (read-only, as all
		// of a table is): most Bitaqaty products of a merchant have the
		// same ones.
		enc := at[:len(at)-len(d.b)]
		if id, ok := d.extras[string(enc)]; ok {
			r.extra = id
			return
		}
		d.b = at
		d.count()
		m := make(map[string]string, n)
		for range n {
			k := d.str()
			m[k] = d.str()
		}
		d.t.extras = append(d.t.extras, m)
		r.extra = uint32(len(d.t.extras))
		if d.extras == nil {
			d.extras = map[string]uint32{}
		}
		d.extras[string(enc)] = r.extra
	}
}

// count reads a number of items that each take at least a byte.
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.err = ErrCorrupt
		return 0
	}
	return int(n)
}

func (d *decoder) field(f *providers.Field) {
	f.Name, f.Label, f.LabelAr = d.str(), d.str(), d.str()
	f.Kind = providers.FieldKind(d.str())
	flags := d.uint()
	f.Required, f.Confirm, f.Hidden, f.International = flags&1 != 0, flags&2 != 0, flags&4 != 0, flags&8 != 0
	f.MinLen, f.MaxLen = d.int(), d.int()
	f.Pattern, f.PatternHint, f.HintKey = d.str(), d.str(), d.str()
	if n := d.count(); n > 0 {
		f.HintArgs = make([]string, n)
		for i := range f.HintArgs {
			f.HintArgs[i] = d.str()
		}
	}
	if flags&16 != 0 {
		v := d.decimal()
		f.Min = &v
	}
	if flags&32 != 0 {
		v := d.decimal()
		f.Max = &v
	}
	if n := d.count(); n > 0 {
		f.Choices = make([]providers.Choice, n)
		for i := range f.Choices {
			f.Choices[i] = providers.Choice{Value: d.str(), Label: d.str()}
		}
	}
	f.Default, f.Placeholder, f.CallingCode = d.str(), d.str(), d.str()
	f.NationalLen = d.int()
}
