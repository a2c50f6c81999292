package catalog

import (
	"fmt"
	"slices"
	"testing"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/shelf"
)

func demo() []providers.Product {
	return []providers.Product{
		{Provider: "bitaqaty", ID: "1", Name: "iTunes 50 SAR", Brand: "iTunes"},
		{Provider: "bitaqaty", ID: "2", Name: "iTunes 100 SAR", Brand: "iTunes"},
		{Provider: "bitaqaty", ID: "3", Name: "PUBG Mobile 60 UC", Brand: "PUBG", NameAr: "شدات ببجي 60"},
		{Provider: "alqimah", ID: "4", Name: "Yemen Mobile top-up", Brand: "Yemen Mobile", BrandAr: "يمن موبايل"},
		{Provider: "dtone", ID: "5", Name: "Claro 10 USD", Brand: "Claro", Country: "GT"},
	}
}

func TestFilter(t *testing.T) {
	names := map[string]string{"bitaqaty": "Bitaqaty Business", "alqimah": "Al-Qimah", "dtone": "DT One"}
	tests := []struct {
		query string
		want  []int32
	}{
		{"", []int32{0, 1, 2, 3, 4}},
		{"itunes", []int32{0, 1}},
		{"ITUNES 100", []int32{1}},
		{"100 itunes", []int32{1}},
		{"ببجي", []int32{2}},
		{"يمن", []int32{3}},
		{"qimah", []int32{3}},
		{"bitaqaty pubg", []int32{2}},
		{"gt", []int32{4}},
		{"nothing-like-this", nil},
	}
	for _, tt := range tests {
		ix := New(shelf.Of(demo()), names)
		if got := ix.Filter(tt.query); !slices.Equal(got, tt.want) {
			t.Errorf("Filter(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}

// TestIncrementalMatchesFresh types a query one key at a time and checks
// that narrowing the previous hits gives what a fresh search gives.
func TestIncrementalMatchesFresh(t *testing.T) {
	products := generate(2000)
	ix := New(shelf.Of(products), nil)
	for _, query := range []string{"itunes 10", "pubg 6", "zain s", "يمن 1"} {
		for i := 1; i <= len(query); i++ {
			typed := ix.Filter(query[:i])
			fresh := New(shelf.Of(products), nil).Filter(query[:i])
			if !slices.Equal(typed, fresh) {
				t.Fatalf("query %q: incremental %d hits, fresh %d", query[:i], len(typed), len(fresh))
			}
		}
	}
}

var brands = []string{"iTunes", "Google Play", "PUBG Mobile", "Free Fire", "STC", "Mobily", "Zain", "Yemen Mobile", "Sabafon", "Airtel", "Claro", "Netflix"}

func generate(n int) []providers.Product {
	out := make([]providers.Product, n)
	for i := range out {
		b := brands[i%len(brands)]
		out[i] = providers.Product{
			Provider: "bitaqaty", ID: fmt.Sprint(100000 + i),
			Name: fmt.Sprintf("%s %d SAR card", b, 5+i%300), NameAr: fmt.Sprintf("بطاقة %s %d يمن", b, i%300),
			Brand: b, Category: "Gift cards", Kind: providers.KindVoucher, Available: true,
			Price: money.New(money.FromInt(int64(5+i%300)), "SAR"),
		}
	}
	return out
}
