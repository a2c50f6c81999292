package config

import (
	"reflect"
	"testing"
)

func TestTableLines(t *testing.T) {
	text := `[shop]
name = "x"

[[prices]]
brand = "PUBG"
markup_percent = "10"   # comment

[[fees]]
kind = "bill"

[[ prices ]]
"product" = "alqimah/game-pubg_60"
[providers.alqimah]
brand = "not a price key"
`
	want := []map[string]int{
		{"": 4, "brand": 5, "markup_percent": 6},
		{"": 11, "product": 12},
	}
	if got := TableLines(text, "prices"); !reflect.DeepEqual(got, want) {
		t.Errorf("TableLines(prices) = %v, want %v", got, want)
	}
	if got := TableLines(text, "fees"); !reflect.DeepEqual(got, []map[string]int{{"": 8, "kind": 9}}) {
		t.Errorf("TableLines(fees) = %v", got)
	}
	if got := TableLines(text, "favourites"); got != nil {
		t.Errorf("TableLines(favourites) = %v, want none", got)
	}
}
