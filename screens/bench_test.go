package screens_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/journal"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/bitaqaty"
	"kiosk/sale"
	"kiosk/sandboxes"
	"kiosk/screens"
	"kiosk/storage"
	"kiosk/ui"
)

// bigCatalog makes n products shaped like Bitaqaty's: names, Arabic names,
// merchants, categories, how-to-use text and prices.
func bigCatalog(n int) []providers.Product {
	brands := []string{"iTunes", "Google Play", "PUBG Mobile", "Free Fire", "STC", "Mobily", "Zain", "Netflix", "Noon", "PlayStation", "Xbox", "Razer Gold"}
	out := make([]providers.Product, n)
	for i := range out {
		b := brands[i%len(brands)]
		v := int64(5 + i%500)
		out[i] = providers.Product{
			Provider: bitaqaty.ID, ID: fmt.Sprint(100000 + i), Name: fmt.Sprintf("%s %d SAR", b, v),
			NameAr: fmt.Sprintf("بطاقة %s %d ريال", b, v), Brand: b, BrandAr: "علامة " + b, Category: "Gift cards",
			Kind: providers.KindVoucher, Available: i%17 != 0, PriceKind: providers.PriceFixed,
			Price: money.New(money.FromInt(v+2), "SAR"), Cost: money.New(money.FromInt(v), "SAR"),
			FaceValue: money.New(money.FromInt(v), "SAR"), VATType: "SM", VATPercent: money.FromInt(15),
			HowToUse: "Open the store app, choose Redeem, and enter the code shown on the receipt.",
		}
	}
	return out
}

// BenchmarkStartupFirstFrame measures a kiosk start with 50,000 cached
// products: open the journal, read and decode the cached catalogue, build
// the search index and render the first catalogue frame. No network.
func BenchmarkStartupFirstFrame(b *testing.B) {
	path := filepath.Join(b.TempDir(), "j.db")
	j, err := storage.Open(path, storage.Options{Terminal: 1})
	if err != nil {
		b.Fatal(err)
	}
	products := bigCatalog(50000)
	sale.SortProducts(products) // as RefreshCatalog caches it
	data, err := sale.EncodeCatalog(products)
	if err != nil {
		b.Fatal(err)
	}
	if err := j.PutCatalog(bitaqaty.ID, data, time.Now()); err != nil {
		b.Fatal(err)
	}
	j.Close()
	client, _ := bitaqaty.New(sandboxes.BitaqatyConfig("http://127.0.0.1:1", true), nil)
	b.ResetTimer()
	for b.Loop() {
		j, err := storage.Open(path, storage.Options{Terminal: 1})
		if err != nil {
			b.Fatal(err)
		}
		e := sale.New(journal.New(j), []providers.Provider{client}, sale.Options{})
		c := ui.NewCommon(ui.Parts{Ctx: context.Background(), Services: ui.Services{Sales: e, Users: e},
			Settings: ui.Settings{CatalogMaxAge: 24 * time.Hour}})
		cats, err := e.CachedCatalogs(c.Settings().CatalogMaxAge)
		if err != nil {
			b.Fatal(err)
		}
		cat := screens.NewCatalog(c)
		cat.Loaded(cats)
		if v := cat.View(); !strings.Contains(v, "of 50000 products") {
			b.Fatalf("first frame has no catalogue:\n%s", v)
		}
		j.Close()
	}
}
