package shelf

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"testing"

	"kiosk/money"
	"kiosk/providers"
)

// filled sets every field of v (a struct, recursively) to a value that
// differs with seed, so that a field the codec forgets does not come back.
func filled(v reflect.Value, seed int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d-%s", seed, v.Type().Name()))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(seed*7 + 3))
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			filled(s.Index(i), seed*3+i)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			filled(k, seed*5+i)
			filled(e, seed*5+i+100)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		filled(p.Elem(), seed+1)
		v.Set(p)
	case reflect.Struct:
		switch v.Type() {
		case reflect.TypeFor[money.Decimal]():
			v.Set(reflect.ValueOf(money.FromMicros(int64(seed*1_000_003 - 77))))
			return
		}
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				panic("unexported field in " + v.Type().String())
			}
			filled(v.Field(i), seed*11+i)
		}
	default:
		panic("filled: no value for " + v.Kind().String())
	}
}

// TestCodecCoversEveryField: a product with every field of its own (and
// of its fields' fields) set comes back from the cache, and from a table
// made of it, as it went in; a field added to providers.Product or
// providers.Field and not to the codec and the table fails here.
func TestCodecCoversEveryField(t *testing.T) {
	ps := make([]providers.Product, 4)
	for i := range ps {
		filled(reflect.ValueOf(&ps[i]).Elem(), i+1)
	}
	ps[2] = providers.Product{Provider: "p", ID: "bare"}           // nothing else set: nil slices and maps stay nil
	ps[3].Fields = append([]providers.Field(nil), ps[0].Fields...) // the same fields: one list in the cache
	b := Encode(ps)
	if n := Count(b); n != len(ps) {
		t.Errorf("Count = %d, want %d", n, len(ps))
	}
	var tab Table
	if err := Decode(b, &tab); err != nil {
		t.Fatal(err)
	}
	got := tab.All()
	if !reflect.DeepEqual(got, ps) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, ps)
	}
	if of := Of(ps).All(); !reflect.DeepEqual(of, ps) {
		t.Errorf("Of:\n got %+v\nwant %+v", of, ps)
	}
	// Products sharing a field list do not share a change: appending copies.
	_ = append(got[0].Fields, providers.Field{Name: "added"})
	if len(got[3].Fields) != len(ps[3].Fields) || got[3].Fields[:cap(got[3].Fields)][len(got[3].Fields)-1].Name == "added" {
		t.Error("appending to one product's fields changed another's")
	}
	for i := range ps {
		if tab.Key(i) != ps[i].Key() || tab.Brand(i) != ps[i].Brand || tab.NameAr(i) != ps[i].NameAr || tab.Country(i) != ps[i].Country {
			t.Errorf("product %d: the table's strings differ from its product's", i)
		}
	}
}

// TestDecodeAppends: two caches decoded into one table keep their own
// strings, lists and extras, each product as it was.
func TestDecodeAppends(t *testing.T) {
	a, b := make([]providers.Product, 3), make([]providers.Product, 2)
	for i := range a {
		filled(reflect.ValueOf(&a[i]).Elem(), i+1)
	}
	for i := range b {
		filled(reflect.ValueOf(&b[i]).Elem(), i+50)
	}
	var tab Table
	for _, ps := range [][]providers.Product{a, b} {
		if err := Decode(Encode(ps), &tab); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := tab.All(), append(append([]providers.Product(nil), a...), b...); !reflect.DeepEqual(got, want) {
		t.Errorf("two caches in one table:\n got %+v\nwant %+v", got, want)
	}
}

// TestDamagedCacheIsAnError: a cut or damaged cache is an error, never a
// panic or a half list, and leaves the table as it was.
func TestDamagedCacheIsAnError(t *testing.T) {
	ps := make([]providers.Product, 3)
	for i := range ps {
		filled(reflect.ValueOf(&ps[i]).Elem(), i+1)
	}
	tab := Of(ps[:1])
	b := Encode(ps)
	for cut := 0; cut < len(b); cut += 7 {
		if err := Decode(b[:cut], tab); err == nil {
			t.Fatalf("cut at %d of %d: read", cut, len(b))
		}
		if tab.Len() != 1 || len(tab.strs) != len(Of(ps[:1]).strs) || !reflect.DeepEqual(tab.Product(0), ps[0]) {
			t.Fatalf("cut at %d: the table changed", cut)
		}
	}
	for _, bad := range []string{"", "\x05\x01\x00", "\x01\x01\x05", "\x01\x02\x00\x01x\x00\x07"} {
		if err := Decode([]byte(bad), &Table{}); err == nil {
			t.Errorf("%q read as a catalogue", bad)
		}
	}
}

// TestMergeIsStableSort: merging the providers' runs in place gives what
// a stable sort by brand and name of their concatenation gives, a run
// written unsorted included.
func TestMergeIsStableSort(t *testing.T) {
	var all []providers.Product
	var runs [][2]int
	brands := []string{"Zain", "iTunes", "PUBG", "STC", "PUBG"}
	for prov, n := range []int{7, 0, 11, 5} {
		from := len(all)
		for i := range n {
			all = append(all, providers.Product{Provider: fmt.Sprint("p", prov), ID: fmt.Sprint(i),
				Brand: brands[(i+prov)%len(brands)], Name: fmt.Sprint("card ", i%3)})
		}
		if prov != 3 {
			sort.SliceStable(all[from:], func(a, b int) bool { return less(&all[from+a], &all[from+b]) })
		}
		if n > 0 {
			runs = append(runs, [2]int{from, len(all)})
		}
	}
	want := append([]providers.Product(nil), all...)
	sort.SliceStable(want, func(a, b int) bool { return less(&want[a], &want[b]) })
	tab := Of(all)
	tab.Merge(runs)
	if !tab.Sorted() {
		t.Error("merged table is not sorted")
	}
	for i := range want {
		if tab.Key(i) != want[i].Key() {
			t.Fatalf("at %d: %s, want %s", i, tab.Key(i), want[i].Key())
		}
	}
}

func less(a, b *providers.Product) bool {
	if a.Brand != b.Brand {
		return a.Brand < b.Brand
	}
	return a.Name < b.Name
}

// TestReplaced: a refreshed provider's products replace its old ones, in
// the providers' order, and a provider not configured is left out.
func TestReplaced(t *testing.T) {
	p := func(prov, id, brand string) providers.Product {
		return providers.Product{Provider: prov, ID: id, Brand: brand, Name: "card", Extra: map[string]string{"k": id}}
	}
	old := Of([]providers.Product{p("a", "1", "B"), p("b", "1", "B"), p("gone", "1", "A"), p("a", "2", "C")})
	got := old.Replaced([]string{"b", "a"}, "a", []providers.Product{p("a", "9", "B"), p("a", "8", "A")})
	var keys []string
	for i := range got.Len() {
		keys = append(keys, got.Key(i))
	}
	if want := []string{"a/8", "b/1", "a/9"}; !slices.Equal(keys, want) {
		t.Errorf("replaced: %v, want %v", keys, want)
	}
	if old.Len() != 4 || old.Key(0) != "a/1" {
		t.Error("the old table changed")
	}
	if got.Product(1).Extra["k"] != "1" {
		t.Errorf("a kept product lost its extras: %+v", got.Product(1))
	}
}

func TestCodecSharesIdenticalExtras(t *testing.T) {
	same := func() map[string]string { return map[string]string{"merchantId": "7", "qr": "true"} }
	in := []providers.Product{
		{Provider: "bitaqaty", ID: "1", Extra: same()},
		{Provider: "bitaqaty", ID: "2", Extra: map[string]string{"merchantId": "8"}},
		{Provider: "bitaqaty", ID: "3", Extra: same()},
		{Provider: "bitaqaty", ID: "4"},
	}
	var tab Table
	if err := Decode(Encode(in), &tab); err != nil {
		t.Fatal(err)
	}
	out := tab.All()
	if !reflect.DeepEqual(out, in) {
		t.Fatalf("decoded %+v, want %+v", out, in)
	}
	if reflect.ValueOf(out[0].Extra).UnsafePointer() != reflect.ValueOf(out[2].Extra).UnsafePointer() {
		t.Error("identical extras are two maps, want one shared")
	}
	if reflect.ValueOf(out[0].Extra).UnsafePointer() == reflect.ValueOf(out[1].Extra).UnsafePointer() {
		t.Error("different extras share a map")
	}
}

// TestRowHoldsNoPointer: the collector does not scan a table's rows, and
// a row stays the size the package comment gives.
func TestRowHoldsNoPointer(t *testing.T) {
	var hasPointer func(reflect.Type) bool
	hasPointer = func(ty reflect.Type) bool {
		switch ty.Kind() {
		case reflect.Array:
			return hasPointer(ty.Elem())
		case reflect.Struct:
			for i := range ty.NumField() {
				if hasPointer(ty.Field(i).Type) {
					return true
				}
			}
			return false
		case reflect.Bool, reflect.Int64, reflect.Uint32:
			return false
		}
		return true
	}
	if ty := reflect.TypeFor[row](); hasPointer(ty) || ty.Size() != 144 {
		t.Errorf("row: pointers %v, %d bytes; want none and 144", hasPointer(ty), ty.Size())
	}
}
