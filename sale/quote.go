package sale

import (
	"kiosk/pricing"
	"kiosk/providers"
)

// Quote is a price to confirm: the provider's quote with the shop's price
// on it (its Retail is the price list's retail price), and what the price
// list says of it. Confirm shows it, and the sale keeps Price.
type Quote struct {
	providers.Quote
	// Price is the shop's price: retail, the service fee on top, their VAT,
	// the margin and the rule that set them.
	Price pricing.Record
	// BelowCost: the price is below what the shop pays and no rule allows
	// it (the provider's cost rose past a fixed price, or its own retail
	// price is under cost). Confirm warns and asks for enter twice.
	BelowCost bool
	// ShortOfRule: the credit cost more than planned, so the customer pays
	// less than the rule's price for it. Confirm warns as for BelowCost.
	ShortOfRule bool
}

// NeedsSecondLook says Confirm must warn and ask for enter twice.
func (q Quote) NeedsSecondLook() bool { return q.BelowCost || q.ShortOfRule }
