package storage

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func TestSearch(t *testing.T) {
	clock := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	j, err := Open(filepath.Join(t.TempDir(), "j.db"), Options{Terminal: 1, Sealer: testSealer(t), Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	sell := func(productID, name, customer string) string {
		s := newSale()
		s.Product.ID, s.Product.Name = productID, name
		s.Quote.Fields = map[string]string{"mobile": customer}
		s.Customer, s.Created = customer, clock
		if err := j.Prepare(s); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(6 * time.Hour)
		return s.Ref
	}
	a := sell("1", "iTunes 50 SAR", "771234567")
	b := sell("2", "PUBG 60 UC", "771234567")
	c := sell("1", "iTunes 50 SAR", "733000111")
	d := sell("3", "Zain 20", "966500000123")

	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		q    Search
		want []string
	}{
		{"reference", Search{Text: b}, []string{b}},
		{"customer", Search{Text: "771234567"}, []string{b, a}},
		{"customer prefix", Search{Text: "77"}, []string{b, a}},
		{"customer with spaces", Search{Text: "+966 500000123"}, []string{d}},
		{"product words", Search{Text: "itunes 50"}, []string{c, a}},
		{"product id key", Search{Text: "bitaqaty/3"}, []string{d}},
		{"date", Search{From: day, To: day.AddDate(0, 0, 1)}, []string{c, b, a}},
		{"product on a date", Search{Text: "itunes", From: day.Add(12 * time.Hour), To: day.AddDate(0, 0, 1)}, []string{c}},
		{"limit", Search{Limit: 2}, []string{d, c}},
		{"nothing", Search{Text: "netflix"}, nil},
	}
	for _, tt := range tests {
		got, err := j.Search(tt.q)
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, s := range got {
			refs = append(refs, s.Ref)
		}
		if fmt.Sprint(refs) != fmt.Sprint(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, refs, tt.want)
		}
	}
}
