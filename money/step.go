package money

import (
	"errors"
	"fmt"
	"math/big"
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
