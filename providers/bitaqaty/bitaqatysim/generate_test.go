package bitaqatysim

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestGenerate(t *testing.T) {
	lists := make([][]byte, 2)
	var e *env
	for i := range lists {
		e = start(t)
		e.s.Generate(3000)
		e.s.Generate(2000) // ids continue
		lists[i] = e.post("/integration/detailed-products-list", signed([]string{""}, "merchantId", "")).raw
	}
	if !bytes.Equal(lists[0], lists[1]) {
		t.Fatal("Generate is not deterministic")
	}
	a := decode(t, lists[0])
	products := a["products"].([]any)
	if len(products) != 40+5000 {
		t.Fatalf("%d products", len(products))
	}
	seen := map[string]bool{}
	merchants := map[json.Number]bool{}
	currencies := map[string]bool{}
	vat := map[string]bool{}
	for _, p := range products[40:] {
		m := p.(map[string]any)
		id := m["productID"].(string)
		if seen[id] {
			t.Fatalf("duplicate id %s", id)
		}
		seen[id] = true
		merchants[m["merchantid"].(json.Number)] = true
		name := m["nameEn"].(string)
		currencies[strings.Fields(name)[len(strings.Fields(name))-2]] = true
		vat[m["vatType"].(string)] = true
		if m["nameAr"] == "" || m["categoryNameEn"] == "" || m["recommendedRetailPriceAfterVat"] == nil {
			t.Fatalf("product %v", m)
		}
	}
	if len(merchants) != 50 || len(vat) != 3 || !currencies["USD"] || !currencies["SAR"] || !currencies["AED"] {
		t.Errorf("%d merchants, VAT %v, currencies %v", len(merchants), vat, currencies)
	}
	last := products[len(products)-1].(map[string]any)["productID"].(string)
	if last != strconv.Itoa(GenProductBase+4999) {
		t.Errorf("last id %s", last)
	}
	ml := e.post("/integration/get-merchant-list", signed(nil))
	if n := len(ml.m["merchantList"].([]any)); n != 14+50 {
		t.Errorf("%d merchants listed", n)
	}
	one := e.post("/integration/detailed-products-list", signed([]string{"1001"}, "merchantId", "1001"))
	if n := len(one.m["products"].([]any)); n != 100 {
		t.Errorf("merchant 1001: %d products", n)
	}
	wantOK(t, e.post("/integration/product-detailed-info", signed([]string{"1000007"}, "productID", "1000007")))
	buy := e.buy("1000000", "gen-1") // Steam: 3 groups of 5
	wantOK(t, buy)
	if g := strings.Split(buy.str("pin"), "-"); len(g) != 3 || len(g[0]) != 5 {
		t.Errorf("generated PIN %q", buy.str("pin"))
	}
}

func TestGenerateHalfAMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	s, err := New(Options{Now: func() time.Time { return fixed }})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	s.Generate(500_000)
	t.Logf("Generate(500000): %v", time.Since(t0))
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.products) != len(demoProducts)+500_000 || len(s.order) != len(s.products) {
		t.Errorf("%d products", len(s.products))
	}
}

func BenchmarkGenerate500k(b *testing.B) {
	for b.Loop() {
		s, _ := New(Options{})
		s.Generate(500_000)
	}
}
