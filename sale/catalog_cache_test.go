package sale

import (
	"reflect"
	"testing"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/shelf"
)

// cacheProducts are two products with most fields set (package shelf's
// tests set every one).
func cacheProducts() []providers.Product {
	sar := func(s string) money.Money { return money.New(money.MustParse(s), "SAR") }
	return []providers.Product{
		{Provider: "bitaqaty", ID: "2862", Name: "iTunes 50", NameAr: "آيتونز ٥٠", Brand: "iTunes", Category: "Cards",
			Kind: providers.KindVoucher, Available: true, PriceKind: providers.PriceFixed, Price: sar("52"), Cost: sar("49.5"),
			Fields: []providers.Field{{Name: "mobile", Label: "Mobile", Kind: providers.FieldPhone, Required: true}},
			Extra:  map[string]string{"merchantId": "7"}},
		{Provider: "bitaqaty", ID: "9", Name: "STC bill", Brand: "STC", Kind: providers.KindBill, PriceKind: providers.PriceRange,
			MinAmount: sar("10"), MaxAmount: sar("500"), Step: money.MustParse("0.5"), VATPercent: money.MustParse("15")},
	}
}

// TestCatalogCacheOfEarlierKiosksIsRead: a catalogue a kiosk cached in gob
// before this format is still read (an upgraded kiosk offline keeps its
// catalogue until the next refresh writes the new format).
func TestCatalogCacheOfEarlierKiosksIsRead(t *testing.T) {
	ps := cacheProducts()
	b, err := encodeGob(ps, "v1")
	if err != nil {
		t.Fatal(err)
	}
	var tab shelf.Table
	version, ok := decodeCatalog(b, &tab)
	if got := tab.All(); !ok || version != "v1" || !reflect.DeepEqual(got, ps) {
		t.Errorf("gob2 cache: ok %v, version %q, got %+v", ok, version, got)
	}
	if catalogCount(b) != 0 {
		t.Error("a gob cache says no count")
	}
	version, ok = decodeCatalog(encodeCatalog(ps, "v2"), &tab)
	if !ok || version != "v2" || tab.Len() != 2*len(ps) || catalogCount(encodeCatalog(ps, "v2")) != len(ps) {
		t.Errorf("kc1 cache: ok %v, version %q, %d products", ok, version, tab.Len())
	}
}

// TestCatalogCacheDamagedIsNoCache: a cut or damaged cache is no
// catalogue (fetched again), never a panic or a half list.
func TestCatalogCacheDamagedIsNoCache(t *testing.T) {
	b := encodeCatalog(cacheProducts(), "v1")
	for cut := len(catalogFormat) + 3; cut < len(b); cut += 7 {
		var tab shelf.Table
		if _, ok := decodeCatalog(b[:cut], &tab); ok || tab.Len() != 0 {
			t.Fatalf("cut at %d of %d: read %d products", cut, len(b), tab.Len())
		}
	}
	gob, _ := encodeGob(cacheProducts(), "v1")
	for _, bad := range []string{"", "gob1:xyz", "kc1:v1", "kc1:v1\n", "kc1:v1\n\x05\x01\x00", string(gob[:len(gob)-3])} {
		var tab shelf.Table
		if _, ok := decodeCatalog([]byte(bad), &tab); ok || tab.Len() != 0 {
			t.Errorf("%q read as a catalogue", bad)
		}
	}
}
