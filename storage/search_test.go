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
		{"the last four digits", Search{Text: "4567"}, []string{b, a}},
		{"the last digits, more of them", Search{Text: "00123"}, []string{d}},
		{"the last digits and a date", Search{Text: "4567", From: day, To: day.Add(10 * time.Hour)}, []string{a}},
		{"three digits are too few to end a number", Search{Text: "567"}, nil},
		{"the first digits and the last together", Search{Text: "7330"}, []string{c}},
		{"digits neither starting nor ending a number", Search{Text: "1234"}, nil},
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

// TestSuffixSearchIsBounded: a search by a number's last digits reads only
// the newest sales of the range, so its cost does not grow with the
// journal; a sale older than the window is still found by its number.
func TestSuffixSearchIsBounded(t *testing.T) {
	defer func(w int) { suffixWindow = w }(suffixWindow)
	suffixWindow = 3
	clock := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	j, err := Open(filepath.Join(t.TempDir(), "j.db"), Options{Terminal: 1, Sealer: testSealer(t), Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	var refs []string
	for _, customer := range []string{"771234567", "733000001", "733000002", "733000003", "714444567"} {
		s := newSale()
		s.Quote.Fields = map[string]string{"mobile": customer}
		s.Customer, s.Created = customer, clock
		if err := j.Prepare(s); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, s.Ref)
		clock = clock.Add(time.Hour)
	}
	tests := []struct {
		q    Search
		want []string
	}{
		{Search{Text: "4567"}, []string{refs[4]}},                                                     // the oldest sale is past the window of three
		{Search{Text: "4567", To: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)}, []string{refs[0]}}, // a range ending earlier reaches it
		{Search{Text: "771234567"}, []string{refs[0]}},                                                // and the whole number always does
	}
	for _, tt := range tests {
		got, err := j.Search(tt.q)
		if err != nil {
			t.Fatal(err)
		}
		var refsGot []string
		for _, s := range got {
			refsGot = append(refsGot, s.Ref)
		}
		if fmt.Sprint(refsGot) != fmt.Sprint(tt.want) {
			t.Errorf("%+v: got %v, want %v", tt.q, refsGot, tt.want)
		}
	}
}

func TestEndsWithDigits(t *testing.T) {
	for _, tt := range []struct {
		number, digits string
		want           bool
	}{
		{"771234567", "4567", true}, {"+967 77-123-4567", "1234567", true}, {"771234567", "4568", false},
		{"4567", "4567", true}, {"567", "4567", false}, {"", "4567", false},
	} {
		if got := endsWithDigits([]byte(tt.number), tt.digits); got != tt.want {
			t.Errorf("endsWithDigits(%q, %q) = %v", tt.number, tt.digits, got)
		}
	}
}
