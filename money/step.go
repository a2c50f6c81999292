package money

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// Rounding says which way an amount between two steps goes. Shop prices
// are rounded to a step (whole rials, 0.05 SAR) in a direction the owner
// chooses, so unlike Round this rounding takes a step and a direction.
type Rounding int

// Rounding directions. For the positive amounts prices are, Up never
// lowers a price and Down never raises it.
const (
	RoundNearest Rounding = iota // half a step and more goes away from zero
	RoundUp                      // toward +∞ (ceiling)
	RoundDown                    // toward −∞ (floor)
)

func (r Rounding) String() string {
	switch r {
	case RoundNearest:
		return "nearest"
	case RoundUp:
		return "up"
	case RoundDown:
		return "down"
	}
	return fmt.Sprintf("Rounding(%d)", int(r))
}

// ErrRange means a result does not fit a Decimal.
var ErrRange = errors.New("amount out of range")

// MulDiv returns d × num ÷ den rounded to a whole multiple of step in the
// direction r: 48.50 × 110 ÷ 100 to step 0.05 up is 53.35. The product is
// computed exactly (in big integers), so no precision is lost before the
// one rounding.
func (d Decimal) MulDiv(num, den, step Decimal, r Rounding) (Decimal, error) {
	if den.IsZero() {
		return Zero, fmt.Errorf("multiply %s by %s/%s: division by zero", d, num, den)
	}
	if step.Sign() <= 0 {
		return Zero, fmt.Errorf("round %s: step %s must be positive", d, step)
	}
	// d×num/den in micros is d.micros×num.micros/den.micros; counting steps
	// divides once more by step.micros.
	if v, ok := mulDiv64(d.micros, num.micros, den.micros, step.micros, r); ok {
		return Decimal{v}, nil
	}
	n := new(big.Int).Mul(big.NewInt(d.micros), big.NewInt(num.micros))
	q := new(big.Int).Mul(big.NewInt(den.micros), big.NewInt(step.micros))
	steps := divRound(n, q, r)
	steps.Mul(steps, big.NewInt(step.micros))
	if !steps.IsInt64() {
		return Zero, fmt.Errorf("%s × %s ÷ %s: %w", d, num, den, ErrRange)
	}
	return Decimal{steps.Int64()}, nil
}

// RoundStep rounds d to a whole multiple of step in the direction r.
func (d Decimal) RoundStep(step Decimal, r Rounding) (Decimal, error) {
	one := FromInt(1)
	return d.MulDiv(one, one, step, r)
}

// divRound divides n by q (q may be negative) and rounds the quotient as r says.
func divRound(n, q *big.Int, r Rounding) *big.Int {
	if q.Sign() < 0 {
		n, q = new(big.Int).Neg(n), new(big.Int).Neg(q)
	}
	// Floor division: quo ≤ n/q < quo+1, with 0 ≤ rem < q.
	quo, rem := new(big.Int).DivMod(n, q, new(big.Int))
	if rem.Sign() == 0 {
		return quo
	}
	switch r {
	case RoundUp:
		quo.Add(quo, big.NewInt(1))
	case RoundNearest:
		twice := new(big.Int).Lsh(rem, 1)
		c := twice.Cmp(q)
		// Exactly half way goes away from zero, as Round does.
		if c > 0 || c == 0 && n.Sign() > 0 {
			quo.Add(quo, big.NewInt(1))
		}
	}
	return quo
}

// mulDiv64 is MulDiv's arithmetic in int64 when every product fits, as it
// does for any price (the price list is checked against every product at
// start-up); ok is false when one would not, and the big integers decide.
func mulDiv64(d, num, den, step int64, r Rounding) (int64, bool) {
	n, ok := mul64(d, num)
	if !ok {
		return 0, false
	}
	q, ok := mul64(den, step)
	if !ok || q == 0 {
		return 0, false
	}
	if q < 0 {
		n, q = -n, -q
	}
	// Floor division: quo ≤ n/q < quo+1, with 0 ≤ rem < q.
	quo, rem := n/q, n%q
	if rem < 0 {
		quo, rem = quo-1, rem+q
	}
	if rem != 0 {
		switch r {
		case RoundUp:
			quo++
		case RoundNearest:
			// 2×rem against q, without doubling: rem against q-rem.
			// Exactly half way goes away from zero, as Round does.
			if c := rem - (q - rem); c > 0 || c == 0 && n > 0 {
				quo++
			}
		}
	}
	return mul64(quo, step)
}

// mul64 is a×b, and false when it does not fit an int64 (or either is
// the one int64 without a positive counterpart).
func mul64(a, b int64) (int64, bool) {
	if a == math.MinInt64 || b == math.MinInt64 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(absInt(a)), uint64(absInt(b)))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if (a < 0) != (b < 0) {
		return -int64(lo), true
	}
	return int64(lo), true
}

func absInt(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}
