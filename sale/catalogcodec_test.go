package sale

import (
	"fmt"
	"reflect"
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

// TestCatalogCodecCoversEveryField: a product with every field of its own
// (and of its fields' fields) set comes back from the cache as it went in;
// a field added to providers.Product or providers.Field and not to the
// codec fails here.
func TestCatalogCodecCoversEveryField(t *testing.T) {
	ps := make([]providers.Product, 4)
	for i := range ps {
		filled(reflect.ValueOf(&ps[i]).Elem(), i+1)
	}
	ps[2] = providers.Product{Provider: "p", ID: "bare"}           // nothing else set: nil slices and maps stay nil
	ps[3].Fields = append([]providers.Field(nil), ps[0].Fields...) // the same fields: one list in the cache
	b, err := encodeCatalog(ps, "v7")
	if err != nil {
		t.Fatal(err)
	}
	got, version, ok := decodeCatalog(b, nil)
	if !ok || version != "v7" {
		t.Fatalf("decode: ok %v, version %q", ok, version)
	}
	if !reflect.DeepEqual(got, ps) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, ps)
	}
	// Products sharing a field list do not share a change: appending copies.
	_ = append(got[0].Fields, providers.Field{Name: "added"})
	if len(got[3].Fields) != len(ps[3].Fields) || got[3].Fields[:cap(got[3].Fields)][len(got[3].Fields)-1].Name == "added" {
		t.Error("appending to one product's fields changed another's")
	}
	if n := catalogCount(b); n != len(ps) {
		t.Errorf("catalogCount = %d, want %d", n, len(ps))
	}
}

// TestCatalogCacheOfEarlierKiosksIsRead: a catalogue a kiosk cached in gob
// before this format is still read (an upgraded kiosk offline keeps its
// catalogue until the next refresh writes the new format).
func TestCatalogCacheOfEarlierKiosksIsRead(t *testing.T) {
	ps := make([]providers.Product, 2)
	for i := range ps {
		filled(reflect.ValueOf(&ps[i]).Elem(), i+1)
	}
	b, err := encodeGob(ps, "v1")
	if err != nil {
		t.Fatal(err)
	}
	got, version, ok := decodeCatalog(b, nil)
	if !ok || version != "v1" || !reflect.DeepEqual(got, ps) {
		t.Errorf("gob2 cache: ok %v, version %q, equal %v", ok, version, reflect.DeepEqual(got, ps))
	}
	if catalogCount(b) != 0 {
		t.Error("a gob cache says no count")
	}
}

// TestCatalogCacheDamagedIsNoCache: a cut or damaged cache is no
// catalogue (fetched again), never a panic or a half list.
func TestCatalogCacheDamagedIsNoCache(t *testing.T) {
	ps := make([]providers.Product, 3)
	for i := range ps {
		filled(reflect.ValueOf(&ps[i]).Elem(), i+1)
	}
	b, _ := encodeCatalog(ps, "v1")
	for cut := len(binaryFormat) + 3; cut < len(b); cut += 7 {
		if got, _, ok := decodeCatalog(b[:cut], nil); ok {
			t.Fatalf("cut at %d of %d: read %d products", cut, len(b), len(got))
		}
	}
	for _, bad := range []string{"", "gob1:xyz", "kc1:v1", "kc1:v1\n", "kc1:v1\n\x05\x01\x00"} {
		if _, _, ok := decodeCatalog([]byte(bad), nil); ok {
			t.Errorf("%q read as a catalogue", bad)
		}
	}
}

// TestMergeInPlaceIsStableSort: merging the providers' sorted lists in
// place gives what SortProducts gives their concatenation.
func TestMergeInPlaceIsStableSort(t *testing.T) {
	var all []providers.Product
	var runs [][2]int
	brands := []string{"Zain", "iTunes", "PUBG", "STC", "PUBG"}
	for prov, n := range []int{7, 0, 11, 5} {
		from := len(all)
		for i := range n {
			all = append(all, providers.Product{Provider: fmt.Sprint("p", prov), ID: fmt.Sprint(i),
				Brand: brands[(i+prov)%len(brands)], Name: fmt.Sprint("card ", i%3)})
		}
		SortProducts(all[from:])
		if n > 0 {
			runs = append(runs, [2]int{from, len(all)})
		}
	}
	want := append([]providers.Product(nil), all...)
	SortProducts(want)
	applyOrder(all, mergeOrder(all, runs))
	for i := range want {
		if all[i].Key() != want[i].Key() {
			t.Fatalf("at %d: %s, want %s", i, all[i].Key(), want[i].Key())
		}
	}
}

func TestCatalogCodecSharesIdenticalExtras(t *testing.T) {
	same := func() map[string]string { return map[string]string{"merchantId": "7", "qr": "true"} }
	in := []providers.Product{
		{Provider: "bitaqaty", ID: "1", Extra: same()},
		{Provider: "bitaqaty", ID: "2", Extra: map[string]string{"merchantId": "8"}},
		{Provider: "bitaqaty", ID: "3", Extra: same()},
		{Provider: "bitaqaty", ID: "4"},
	}
	b := encodeBinary(in, "v")
	out, err := decodeBinary(b[len(binaryFormat)+len("v\n"):], nil)
	if err != nil {
		t.Fatal(err)
	}
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
