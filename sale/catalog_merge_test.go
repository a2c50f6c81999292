package sale_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/journal"
	"kiosk/providers"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/mor"
	"kiosk/sale"
	"kiosk/sandboxes"
	"kiosk/storage"
)

// TestCachedCatalogsMergesOnce: two providers' cached catalogues come back
// as one list in catalogue order (what SortProducts makes of the lists
// one after the other), and a second read shares the same products rather
// than decoding or copying them again.
func TestCachedCatalogsMergesOnce(t *testing.T) {
	clk := clock.NewFake(clock.Start)
	sj, err := storage.Open(filepath.Join(t.TempDir(), "journal.db"), storage.Options{Terminal: 1, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	j := journal.New(sj)
	defer j.Close()
	b, err := bitaqaty.New(sandboxes.BitaqatyConfig("http://127.0.0.1:1/bitaqaty", false), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mor.New(sandboxes.MORConfig("http://127.0.0.1:1/mor", false), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := sale.New(j, []providers.Provider{b, m}, sale.Options{Now: clk.Now})
	lists := map[string][]providers.Product{}
	brands := []string{"STC", "iTunes", "PUBG", "Zain"}
	for k, id := range []string{bitaqaty.ID, mor.ID} {
		var ps []providers.Product
		for i := range 9 + k {
			ps = append(ps, providers.Product{ID: fmt.Sprint(i), Brand: brands[(i*(k+1))%len(brands)], Name: fmt.Sprint("card ", i%4)})
		}
		if err := e.CacheCatalog(id, ps); err != nil {
			t.Fatal(err)
		}
		lists[id] = ps
	}
	want := append(append([]providers.Product(nil), lists[bitaqaty.ID]...), lists[mor.ID]...)
	sale.SortProducts(want)

	cats, err := e.CachedCatalogs(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(cats.Stale) != 0 || cats.Products.Len() != len(want) {
		t.Fatalf("stale %v, %d products; want none stale, %d", cats.Stale, cats.Products.Len(), len(want))
	}
	for i := range want {
		if cats.Products.Key(i) != want[i].Key() {
			t.Fatalf("at %d: %s, want %s", i, cats.Products.Key(i), want[i].Key())
		}
	}
	again, _ := e.CachedCatalogs(time.Hour)
	if again.Products != cats.Products {
		t.Error("the second read decoded the catalogues again")
	}
	clk.Advance(time.Minute)
	if err := e.CacheCatalog(mor.ID, lists[mor.ID][:2]); err != nil {
		t.Fatal(err)
	}
	if after, _ := e.CachedCatalogs(time.Hour); after.Products.Len() != len(lists[bitaqaty.ID])+2 {
		t.Errorf("after MOR's catalogue changed: %d products, want %d", after.Products.Len(), len(lists[bitaqaty.ID])+2)
	}
}
