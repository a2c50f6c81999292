package catalog

import (
	"context"
	"fmt"
	"testing"

	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/dtone"
	"kiosk/providers/india"
	"kiosk/providers/mor"
	"kiosk/sandboxes"
	"kiosk/shelf"
)

// fiveCatalogues loads every provider's sandbox catalogue over loopback and
// repeats it (with numbered names and ids) up to n products, so the mix of
// providers, brands, Arabic names and price kinds is the real one.
func fiveCatalogues(tb testing.TB, n int) []providers.Product {
	set, err := sandboxes.Start("127.0.0.1:0", sandboxes.Options{Extensions: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer set.Close()
	b, _ := bitaqaty.New(sandboxes.BitaqatyConfig(set.BaseURL(bitaqaty.ID), true), nil)
	a, _ := alqimah.New(sandboxes.AlQimahConfig(set.BaseURL(alqimah.ID), true), nil)
	d, _ := dtone.New(sandboxes.DTOneConfig(set.BaseURL(dtone.ID), true), nil)
	i, _ := india.New(sandboxes.IndiaConfig(set.BaseURL(india.ID), true), nil)
	m, _ := mor.New(sandboxes.MORConfig(set.BaseURL(mor.ID), true), nil)
	var base []providers.Product
	for _, p := range []providers.Provider{b, a, d, i, m} {
		ps, err := p.Catalog(context.Background())
		if err != nil {
			tb.Fatal(err)
		}
		base = append(base, ps...)
	}
	out := make([]providers.Product, 0, n)
	for k := 0; len(out) < n; k++ {
		p := base[k%len(base)]
		p.ID = fmt.Sprintf("%s-%d", p.ID, k)
		p.Name = fmt.Sprintf("%s %d", p.Name, k%97)
		out = append(out, p)
	}
	return out
}

// BenchmarkFilterFiveProviders types "itunes 25" into 50,000 products made
// from all five providers' catalogues; ns/key is one keystroke.
func BenchmarkFilterFiveProviders(b *testing.B) {
	names := map[string]string{"bitaqaty": "Bitaqaty Business", "alqimah": "Al-Qimah", "dtone": "DT One", "india": "India", "mor": "MOR"}
	ix := New(shelf.Of(fiveCatalogues(b, 50000)), names)
	query := "itunes 25"
	b.ResetTimer()
	for b.Loop() {
		for i := 1; i <= len(query); i++ {
			ix.Filter(query[:i])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(query)), "ns/key")
}

func TestFiveCataloguesSearch(t *testing.T) {
	ix := New(shelf.Of(fiveCatalogues(t, 2000)), nil)
	seen := map[string]bool{}
	for _, h := range ix.Filter("") {
		seen[ix.Product(int(h)).Provider] = true
	}
	if len(seen) != 5 {
		t.Fatalf("providers in the mixed catalogue: %v", seen)
	}
	if len(ix.Filter("yemen mobile")) == 0 || len(ix.Filter("airtel")) == 0 || len(ix.Filter("calling")) == 0 {
		t.Fatal("a provider's products cannot be found")
	}
}
