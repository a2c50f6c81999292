package sale

import (
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"slices"

	"kiosk/money"
	"kiosk/providers"
)

// The cached catalogue's own binary encoding (format "kc1:"). Gob spent
// most of a start-up decoding 50,000 products field by field through
// reflection, allocating every string. Here every distinct string of the
// catalogue is written once, in a table; a product is a run of varints:
// table indexes for its strings (a brand, a category, a how-to-use text
// shared by thousands of products is one entry), and money as its
// fixed-point millionths and a currency. Reading it makes the whole table
// one string and every product's strings pieces of it, so a product costs
// no allocation unless it has fields or extras.
//
// Layout after the "kc1:" version "\n" header, all integers varints
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
// format's tag; TestCatalogCodecCoversEveryField fails until it is
// written here.
const binaryFormat = "kc1:"

// catalogEncoder builds the string table and the product records.
type catalogEncoder struct {
	ids     map[string]uint64
	strs    []string
	records []byte
	lists   map[string]uint64 // a field list's encoding → its index
	fields  []byte            // the field lists, encoded
	nLists  int
}

func encodeBinary(products []providers.Product, version string) []byte {
	e := &catalogEncoder{ids: make(map[string]uint64, len(products)*3), strs: []string{""}, lists: map[string]uint64{}}
	e.ids[""] = 0
	e.records = make([]byte, 0, len(products)*48)
	for i := range products {
		e.product(&products[i])
	}
	size := len(binaryFormat) + len(version) + 1 + 3*binary.MaxVarintLen64 + len(e.fields) + len(e.records)
	for _, s := range e.strs {
		size += len(s) + binary.MaxVarintLen32
	}
	out := make([]byte, 0, size)
	out = append(append(append(out, binaryFormat...), version...), '\n')
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

var errCorrupt = errors.New("cached catalogue: corrupt")

// catalogDecoder reads what encodeBinary wrote; the first problem stops it.
type catalogDecoder struct {
	b     []byte
	strs  []string
	lists [][]providers.Field
	// extras maps an encoded run of extras to the map first made of it.
	extras map[string]map[string]string
	err    error
}

// binaryCount is how many products a catalogue in this format holds (b
// is what follows the header), so that one slice can hold every
// provider's; 0 when b does not say.
func binaryCount(b []byte) int {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return 0
	}
	return int(n)
}

// decodeBinary appends the products after the header to out.
func decodeBinary(b []byte, out []providers.Product) ([]providers.Product, error) {
	d := &catalogDecoder{b: b}
	count := d.uint()
	if d.err != nil || count > uint64(len(d.b)) {
		return nil, errCorrupt
	}
	n := d.uint()
	if d.err != nil || n > uint64(len(d.b)) {
		return nil, errCorrupt
	}
	// One string for the whole table: the catalogue's strings are its pieces.
	lens := make([]int, n)
	total := 0
	at := d.b
	for i := range lens {
		l := d.uint()
		if d.err != nil || l > uint64(len(d.b)) {
			return nil, errCorrupt
		}
		lens[i] = int(l)
		total += int(l)
		d.b = d.b[l:]
	}
	table := make([]byte, 0, total)
	d.b = at
	for _, l := range lens {
		d.uint()
		table = append(table, d.b[:l]...)
		d.b = d.b[l:]
	}
	all := string(table)
	d.strs = make([]string, n)
	pos := 0
	for i, l := range lens {
		d.strs[i] = all[pos : pos+l]
		pos += l
	}
	if n == 0 || d.strs[0] != "" {
		return nil, errCorrupt
	}
	nLists := d.count()
	d.lists = make([][]providers.Field, nLists)
	for i := range d.lists {
		k := d.count()
		if k == 0 {
			d.err = errCorrupt
		}
		fs := make([]providers.Field, k)
		for j := range fs {
			d.field(&fs[j])
		}
		d.lists[i] = fs[:k:k]
		if d.err != nil {
			return nil, d.err
		}
	}
	out = slices.Grow(out, int(count))
	for range count {
		out = append(out, providers.Product{})
		d.product(&out[len(out)-1])
		if d.err != nil {
			return nil, d.err
		}
	}
	if len(d.b) != 0 {
		return nil, errCorrupt
	}
	return out, nil
}

func (d *catalogDecoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[k:]
	return v
}

// varint reads a signed varint.
func (d *catalogDecoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, k := binary.Varint(d.b)
	if k <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[k:]
	return v
}

// int reads a field's length or count, which fits an int32.
func (d *catalogDecoder) int() int {
	v := d.varint()
	if v > math.MaxInt32 || v < math.MinInt32 {
		d.err = errCorrupt
		return 0
	}
	return int(v)
}

func (d *catalogDecoder) str() string {
	i := d.uint()
	if i >= uint64(len(d.strs)) {
		d.err = errCorrupt
		return ""
	}
	return d.strs[i]
}

func (d *catalogDecoder) decimal() money.Decimal { return money.FromMicros(d.varint()) }

func (d *catalogDecoder) money() money.Money {
	amount := d.decimal()
	return money.Money{Amount: amount, Currency: d.str()}
}

func (d *catalogDecoder) product(p *providers.Product) {
	p.Provider, p.ID, p.Name, p.NameAr = d.str(), d.str(), d.str(), d.str()
	p.Brand, p.BrandAr, p.Category, p.Country = d.str(), d.str(), d.str(), d.str()
	p.Kind = providers.Kind(d.str())
	p.Available = d.uint()&1 != 0
	p.PriceKind = providers.PriceKind(d.str())
	p.Price, p.Cost, p.FaceValue, p.MinAmount, p.MaxAmount = d.money(), d.money(), d.money(), d.money(), d.money()
	p.Step = d.decimal()
	p.VATType = d.str()
	p.VATPercent = d.decimal()
	p.HowToUse, p.HowToUseAr = d.str(), d.str()
	if l := d.uint(); l > 0 {
		if l > uint64(len(d.lists)) {
			d.err = errCorrupt
			return
		}
		p.Fields = d.lists[l-1]
	}
	at := d.b
	if n := d.count(); n > 0 {
		for range 2 * n {
			d.uint()
		}
		if d.err != nil {
			return
		}
		// Products with the same extras share one map (read-only, as all
		// of a cached catalogue is): most Bitaqaty products of a merchant
		// have the same ones.
		enc := at[:len(at)-len(d.b)]
		if m, ok := d.extras[string(enc)]; ok {
			p.Extra = m
			return
		}
		d.b = at
		d.count()
		p.Extra = make(map[string]string, n)
		for range n {
			k := d.str()
			p.Extra[k] = d.str()
		}
		if d.extras == nil {
			d.extras = map[string]map[string]string{}
		}
		d.extras[string(enc)] = p.Extra
	}
}

// count reads a number of items that each take at least a byte.
func (d *catalogDecoder) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.err = errCorrupt
		return 0
	}
	return int(n)
}

func (d *catalogDecoder) field(f *providers.Field) {
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
