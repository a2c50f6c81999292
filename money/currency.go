package money

import (
	"fmt"
	"strings"
)

// Money is an amount in one currency (ISO 4217 code, upper case).
type Money struct {
	Amount   Decimal `json:"amount"`
	Currency string  `json:"currency"`
}

// New returns Money with the currency code normalised to upper case.
func New(d Decimal, currency string) Money {
	return Money{Amount: d, Currency: strings.ToUpper(strings.TrimSpace(currency))}
}

// ErrCurrencyMismatch is returned when amounts of two currencies would be mixed.
type ErrCurrencyMismatch struct{ A, B string }

func (e ErrCurrencyMismatch) Error() string {
	return fmt.Sprintf("cannot combine %s with %s", e.A, e.B)
}

// Add adds two amounts of the same currency. An empty currency on either side
// (a zero value) takes the other's.
func (m Money) Add(o Money) (Money, error) {
	cur, err := sameCurrency(m, o)
	if err != nil {
		return Money{}, err
	}
	return Money{Amount: m.Amount.Add(o.Amount), Currency: cur}, nil
}

// Sub subtracts o from m; both must be in the same currency.
func (m Money) Sub(o Money) (Money, error) {
	cur, err := sameCurrency(m, o)
	if err != nil {
		return Money{}, err
	}
	return Money{Amount: m.Amount.Sub(o.Amount), Currency: cur}, nil
}

func sameCurrency(a, b Money) (string, error) {
	switch {
	case a.Currency == b.Currency, b.Currency == "":
		return a.Currency, nil
	case a.Currency == "":
		return b.Currency, nil
	}
	return "", ErrCurrencyMismatch{a.Currency, b.Currency}
}

// IsZero reports whether the amount is zero.
func (m Money) IsZero() bool { return m.Amount.IsZero() }

// Equal reports whether both amount and currency match.
func (m Money) Equal(o Money) bool { return m.Currency == o.Currency && m.Amount.Cmp(o.Amount) == 0 }

// String formats the amount with its currency's usual decimal places, e.g.
// "10.50 SAR", "1500 YER" is written "1500.00 YER" (ISO gives YER two places).
func (m Money) String() string {
	if m.Currency == "" {
		return m.Amount.String()
	}
	return m.Amount.StringFixed(Places(m.Currency)) + " " + m.Currency
}

// places lists the currencies whose minor unit is not two decimal places.
var places = map[string]int{
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "XAF": 0, "XOF": 0,
}

// Places returns the number of decimal places a currency is shown with.
func Places(currency string) int {
	if p, ok := places[strings.ToUpper(currency)]; ok {
		return p
	}
	return 2
}

// Totals sums amounts per currency and never across currencies.
type Totals map[string]Decimal

// Add adds m to the total of its currency.
func (t Totals) Add(m Money) { t[m.Currency] = t[m.Currency].Add(m.Amount) }
