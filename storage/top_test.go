package storage

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestTopProductsAndRecentCustomers(t *testing.T) {
	clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	j, err := Open(filepath.Join(t.TempDir(), "j.db"), Options{Terminal: 1, Sealer: testSealer(t), Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	sell := func(id, brand, customer string) {
		s := newSale()
		s.Product.ID, s.Product.Brand = id, brand
		s.Quote.Fields = map[string]string{"mobile": customer}
		s.Customer, s.Created = customer, clock
		if err := j.Prepare(s); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
	}
	sell("old", "X", "1") // before the window
	since := clock
	for _, s := range []struct{ id, brand, cust string }{
		{"a", "Yemen Mobile", "771111111"}, {"b", "Sabafon", "711111111"}, {"a", "Yemen Mobile", "772222222"},
		{"c", "YOU", "733333333"}, {"a", "Yemen Mobile", "771111111"}, {"b", "Sabafon", "712222222"},
	} {
		sell(s.id, s.brand, s.cust)
	}
	top, _ := j.TopProducts(since, 2)
	if !slices.Equal(top, []string{"bitaqaty/a", "bitaqaty/b"}) {
		t.Errorf("top = %v", top)
	}
	recent, _ := j.RecentCustomers("Yemen Mobile", 5)
	if !slices.Equal(recent, []string{"771111111", "772222222"}) {
		t.Errorf("recent Yemen Mobile customers = %v", recent)
	}
	all, _ := j.RecentCustomers("", 3)
	if !slices.Equal(all, []string{"712222222", "771111111", "733333333"}) {
		t.Errorf("recent customers = %v", all)
	}
}
