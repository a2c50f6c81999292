package money

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

func TestMulDiv(t *testing.T) {
	tests := []struct {
		d, num, den, step string
		r                 Rounding
		want              string
	}{
		{"48.50", "110", "100", "0.05", RoundUp, "53.35"},
		{"48.53", "100", "100", "0.05", RoundUp, "48.55"},
		{"48.53", "100", "100", "0.05", RoundDown, "48.5"},
		{"48.52", "100", "100", "0.05", RoundNearest, "48.5"},
		{"48.525", "100", "100", "0.05", RoundNearest, "48.55"},
		{"495", "110", "100", "5", RoundUp, "545"},
		{"495", "112", "100", "5", RoundUp, "555"},
		{"495", "112", "100", "5", RoundNearest, "555"},
		{"495", "112", "100", "5", RoundDown, "550"},
		{"1000", "100", "105", "1", RoundDown, "952"},
		{"1000", "100", "105", "1", RoundUp, "953"},
		{"10", "15", "115", "0.01", RoundNearest, "1.3"},
		{"-2.5", "1", "1", "1", RoundNearest, "-3"},
		{"2.5", "1", "1", "1", RoundNearest, "3"},
		{"-2.5", "1", "1", "1", RoundUp, "-2"},
		{"-2.5", "1", "1", "1", RoundDown, "-3"},
		{"7", "1", "-2", "1", RoundDown, "-4"},
		// Large amounts: the intermediate product is far beyond int64.
		{"9000000000", "115", "100", "1", RoundUp, "10350000000"},
	}
	for _, tt := range tests {
		got, err := MustParse(tt.d).MulDiv(MustParse(tt.num), MustParse(tt.den), MustParse(tt.step), tt.r)
		if err != nil {
			t.Errorf("%s×%s/%s step %s %s: %v", tt.d, tt.num, tt.den, tt.step, tt.r, err)
			continue
		}
		if got.String() != tt.want {
			t.Errorf("%s×%s/%s step %s %s = %s, want %s", tt.d, tt.num, tt.den, tt.step, tt.r, got, tt.want)
		}
	}
}

func TestMulDivErrors(t *testing.T) {
	tests := []struct {
		name, d, num, den, step string
		is                      error
	}{
		{"zero denominator", "1", "1", "0", "1", nil},
		{"zero step", "1", "1", "1", "0", nil},
		{"negative step", "1", "1", "1", "-1", nil},
		{"out of range", "9000000000000", "1000000", "1", "1", ErrRange},
	}
	for _, tt := range tests {
		_, err := MustParse(tt.d).MulDiv(MustParse(tt.num), MustParse(tt.den), MustParse(tt.step), RoundUp)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.is)
		}
	}
}

func TestRoundStep(t *testing.T) {
	tests := []struct {
		d, step string
		r       Rounding
		want    string
	}{
		{"51.01", "0.05", RoundUp, "51.05"},
		{"51.05", "0.05", RoundUp, "51.05"},
		{"51.07", "0.05", RoundNearest, "51.05"},
		{"51.075", "0.05", RoundNearest, "51.1"},
		{"1049.5", "1", RoundDown, "1049"},
	}
	for _, tt := range tests {
		got, err := MustParse(tt.d).RoundStep(MustParse(tt.step), tt.r)
		if err != nil || got.String() != tt.want {
			t.Errorf("RoundStep(%s, %s, %s) = %s, %v; want %s", tt.d, tt.step, tt.r, got, err, tt.want)
		}
	}
}

// TestMulDivInt64MatchesBig: the int64 arithmetic MulDiv takes when every
// product fits gives what the big integers give, for every rounding,
// sign and size, up to the edge where it hands over.
func TestMulDivInt64MatchesBig(t *testing.T) {
	values := []int64{0, 1, -1, 7, -7, 49_999, 50_000, 50_001, 1_000_000, -1_000_000, 48_500_000, 110_000_000,
		100_000_000, 3_037_000_499, 3_037_000_500, -3_037_000_500, 1 << 40, -(1 << 40), 1<<62 + 1, math.MaxInt64, math.MinInt64 + 1, math.MinInt64}
	for _, d := range values {
		for _, num := range values {
			for _, den := range values {
				for _, step := range []int64{1, 10_000, 50_000, 1_000_000, 5_000_000, 3, 1 << 40} {
					for _, r := range []Rounding{RoundUp, RoundNearest, RoundDown} {
						if den == 0 {
							continue
						}
						fast, ok := mulDiv64(d, num, den, step, r)
						if !ok {
							continue
						}
						slow, err := bigMulDiv(d, num, den, step, r)
						if err != nil || slow != fast {
							t.Fatalf("%d×%d÷%d step %d %s: int64 %d, big %d (%v)", d, num, den, step, r, fast, slow, err)
						}
					}
				}
			}
		}
	}
}

// bigMulDiv is MulDiv in big integers alone.
func bigMulDiv(d, num, den, step int64, r Rounding) (int64, error) {
	n := new(big.Int).Mul(big.NewInt(d), big.NewInt(num))
	q := new(big.Int).Mul(big.NewInt(den), big.NewInt(step))
	steps := divRound(n, q, r)
	steps.Mul(steps, big.NewInt(step))
	if !steps.IsInt64() {
		return 0, ErrRange
	}
	return steps.Int64(), nil
}
