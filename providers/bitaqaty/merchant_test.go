package bitaqaty

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFillMerchantFromMerchantList(t *testing.T) {
	names := map[string]merchantName{"7": {"iTunes", "آيتونز"}}
	w := wireProduct{MerchantID: flexString("7")}
	fillMerchant(&w, names)
	if w.MerchantNameEn != "iTunes" || w.MerchantNameAr != "آيتونز" {
		t.Fatalf("names not filled: %+v", w)
	}
	own := wireProduct{MerchantID: flexString("7"), MerchantNameEn: "Apple"}
	fillMerchant(&own, names)
	if own.MerchantNameEn != "Apple" || own.MerchantNameAr != "آيتونز" {
		t.Fatalf("a product's own name was replaced: %+v", own)
	}
}

// TestCatalogReadsMerchantList checks over loopback that the catalogue asks
// get-merchant-list and that its names match the products' merchants.
func TestCatalogReadsMerchantList(t *testing.T) {
	var asked bool
	e := newEnv(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			asked = asked || strings.HasSuffix(r.URL.Path, "/get-merchant-list")
			h.ServeHTTP(w, r)
		})
	})
	c := e.c
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	names, err := c.merchantNames(ctx)
	if err != nil || len(names) == 0 {
		t.Fatalf("merchant list: %v (%d)", err, len(names))
	}
	asked = false
	ps, err := c.Catalog(ctx)
	if err != nil || !asked {
		t.Fatalf("catalogue: %v; merchant list asked: %v", err, asked)
	}
	for _, p := range ps {
		if m, ok := names[p.Extra[extraMerchantID]]; ok && p.Brand != m.en {
			t.Errorf("%s: brand %q, merchant list says %q", p.ID, p.Brand, m.en)
		}
	}
}
