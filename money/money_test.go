package money

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  bool
	}{
		{"0", "0", false},
		{"12", "12", false},
		{"3.45", "3.45", false},
		{"-3.450", "-3.45", false},
		{".5", "0.5", false},
		{"1.123456", "1.123456", false},
		{"1.1234567", "", true},
		{"1.5000000000", "1.5", false},
		{"1e3", "", true},
		{"1,000", "", true},
		{"", "", true},
		{"-", "", true},
		{"abc", "", true},
		{"99999999999999", "", true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("Parse(%q) error = %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if err == nil && got.String() != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestUnmarshalJSONTolerant(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{`10.5`, "10.5", false},
		{`"10.50"`, "10.5", false},
		{`null`, "0", false},
		{`""`, "0", false},
		{`1.15E2`, "115", false},
		{`2.5e-3`, "0.0025", false},
		{`"ten"`, "", true},
		{`true`, "", true},
	}
	for _, tt := range tests {
		var d Decimal
		err := json.Unmarshal([]byte(tt.in), &d)
		if (err != nil) != tt.err {
			t.Errorf("Unmarshal(%s) error = %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if err == nil && d.String() != tt.want {
			t.Errorf("Unmarshal(%s) = %s, want %s", tt.in, d, tt.want)
		}
	}
}

func TestRoundAndFixed(t *testing.T) {
	tests := []struct {
		in     string
		places int
		want   string
	}{
		{"2.345", 2, "2.35"},
		{"2.344", 2, "2.34"},
		{"-2.345", 2, "-2.35"},
		{"1500", 2, "1500.00"},
		{"0.0004", 3, "0.000"},
		{"7.5", 0, "8"},
	}
	for _, tt := range tests {
		if got := MustParse(tt.in).StringFixed(tt.places); got != tt.want {
			t.Errorf("%s.StringFixed(%d) = %s, want %s", tt.in, tt.places, got, tt.want)
		}
	}
}

func TestMoneyNeverMixesCurrencies(t *testing.T) {
	sar := New(MustParse("10.5"), "sar")
	yer := New(MustParse("1500"), "YER")
	if _, err := sar.Add(yer); !errors.As(err, new(ErrCurrencyMismatch)) {
		t.Fatalf("SAR+YER error = %v, want ErrCurrencyMismatch", err)
	}
	sum, err := sar.Add(New(MustParse("0.25"), "SAR"))
	if err != nil || sum.String() != "10.75 SAR" {
		t.Fatalf("SAR sum = %v, %v", sum, err)
	}
	if got := New(MustParse("1.5"), "KWD").String(); got != "1.500 KWD" {
		t.Errorf("KWD = %s", got)
	}
	tot := Totals{}
	tot.Add(sar)
	tot.Add(yer)
	tot.Add(sar)
	if tot["SAR"].String() != "21" || tot["YER"].String() != "1500" {
		t.Errorf("totals = %v", tot)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	m := New(MustParse("123.456"), "SAR")
	b, _ := json.Marshal(m)
	var back Money
	if err := json.Unmarshal(b, &back); err != nil || !back.Equal(m) {
		t.Fatalf("round trip %s -> %v (%v)", b, back, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "3.45", "-1.5", "1e3", "12.1234567", ".5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			return
		}
		back, err := Parse(d.String())
		if err != nil || back != d {
			t.Fatalf("%q -> %s -> %v (%v)", s, d, back, err)
		}
	})
}
