package pricing

import (
	"fmt"
	"strings"

	"kiosk/money"
	"kiosk/providers"
)

// vatIn is the VAT inside an amount that includes it at pct percent:
// amount × pct ÷ (100 + pct), rounded to the currency's places.
func vatIn(amount money.Money, pct money.Decimal) (money.Money, error) {
	if pct.Sign() <= 0 || amount.IsZero() {
		return money.New(money.Zero, amount.Currency), nil
	}
	cent := money.FromMinor(1, money.Places(amount.Currency))
	v, err := amount.Amount.MulDiv(pct, money.FromInt(100).Add(pct), cent, money.RoundNearest)
	if err != nil {
		return money.Money{}, fmt.Errorf("VAT of %s at %s%%: %w", amount, pct, err)
	}
	return money.New(v, amount.Currency), nil
}

// retailVAT is the VAT in the shop's own retail price (VAT included), by
// the product's VAT type as Bitaqaty defines them: SG on the whole price,
// SM on the margin over the face value, OS none. A product without a VAT
// type has none, unless the provider's own retail price carried VAT: then
// the shop's price cannot be worked out and the quote is refused, rather
// than a VAT the shop owes left off the books.
func retailVAT(q providers.Quote, retail money.Money) (money.Money, error) {
	p := q.Product
	none := money.New(money.Zero, retail.Currency)
	switch t := strings.ToUpper(strings.TrimSpace(p.VATType)); t {
	case "SG":
		return vatIn(retail, p.VATPercent)
	case "SM":
		margin, err := retail.Sub(faceValue(q, retail.Currency))
		if err != nil {
			return none, fmt.Errorf("VAT on the margin of %q: %w", p.Key(), err)
		}
		if margin.Amount.Sign() <= 0 {
			return none, nil
		}
		return vatIn(margin, p.VATPercent)
	case "OS":
		return none, nil
	case "":
		if !q.RetailVAT.IsZero() {
			return none, fmt.Errorf("%q: the provider's price carries VAT of %s but names no VAT type, so the VAT of the shop's own price is unknown", p.Key(), q.RetailVAT)
		}
		return none, nil
	default:
		return none, fmt.Errorf("%q: VAT type %q is not known (SG, SM or OS), so the VAT of the shop's own price is unknown", p.Key(), t)
	}
}

// faceValue is what SM VAT's margin is taken over: the product's face value
// where it has one in the price's currency, else the cost before VAT.
func faceValue(q providers.Quote, cur string) money.Money {
	for _, m := range []money.Money{q.Product.FaceValue, q.CostBeforeVAT, q.Cost} {
		if m.Amount.Sign() > 0 && m.Currency == cur {
			return m
		}
	}
	return q.Cost
}
