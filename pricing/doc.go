// Package pricing is the shop's own price list: the retail price the
// customer pays and the service fee on top, set by the owner in config
// over what the provider charges the shop.
//
// # Configuration
//
//	[[prices]]
//	provider = "alqimah"       # match on any of: provider, brand,
//	brand = "PUBG"             #   product ("alqimah/game-pubg_60"), kind
//	markup_percent = "10"      # or markup = "50" (fixed over cost), or retail = "550"
//	round = "5"                # step, in the product's currency (default: the currency's step)
//	rounding = "up"            # "up" (default), "nearest" or "down"
//	below_cost = true          # allow this rule to price a product below cost
//	mode = "less_credit"       # range and unit products: "pay_more" (default) or "less_credit"
//
//	[[fees]]
//	kind = "bill"              # provider, brand, product or kind, as above
//	amount = "2.00"            # what the customer pays for the fee, VAT included
//	currency = "SAR"           # must be the currency of every product it applies to
//	vat_percent = "15"         # the part of amount that is VAT: amount × 15/115
//
// Numbers are written in quotes or as TOML integers; a TOML float (10.5)
// is refused because it is not exact.
//
// # Which rule applies
//
// A rule matches a product when every key it names matches (brand without
// regard to case). Of the rules that match, the most specific wins: a rule
// naming a product outranks one naming a brand, a brand outranks a
// provider and a provider outranks a kind; between rules with the same
// highest key, the one naming more keys wins (provider + brand outranks
// brand alone). Two rules that name the same keys with the same values
// would tie on every product they match; that is an error at start-up
// naming both lines. Fees are matched the same way, and one fee at most
// applies to a sale; a more specific fee of "0" removes a broader one.
//
// # The retail price
//
//   - markup_percent: cost × (100 + p) / 100, rounded;
//   - markup: cost + the amount, rounded;
//   - retail: the amount as written (not rounded); fixed-price products only.
//
// Cost is what the provider charges the shop, VAT included. Rounding goes to
// a whole multiple of round, by default the currency's step (YER whole
// rials, SAR 0.05, others their minor unit), in the direction of rounding,
// by default up: a rule never sells for less than it says. A product no rule
// matches sells at the provider's recommended retail price where the quote
// carries one, else at cost; the start-up warning lists those sold at cost.
//
// A price below cost is refused at start-up (against the catalogue given
// to Check) unless the rule says below_cost = true; a price that falls
// below cost at the quote (the provider's cost rose) is reported as
// Priced.BelowCost, for Confirm to warn and ask for enter twice.
//
// Retail VAT follows the product's VAT type: SG on the whole price, SM on
// the margin over the face value, OS and none without VAT; it is taken out
// of the VAT-inclusive price and rounded to the currency's places. The VAT
// the shop owes for a sale is the retail VAT and the fee's VAT less the VAT
// the provider charged in the cost, and the margin is what the customer
// pays less the cost and that VAT: retail + fee − cost − VAT.
//
// # Range and unit products
//
// For a top-up amount or a unit count the rule's mode says what the
// amount the clerk enters means:
//
//   - pay_more: it is the credit (or units) sent; the customer pays the
//     rule's price for it, plus any fee. With no rule that is the amount
//     itself, so the shop's margin is the fee.
//   - less_credit: it is what the customer pays (before any fee); the shop
//     sends the most credit (or units) whose price under the rule is no more
//     than that. Credit is assumed to cost its face value (units their unit
//     price) when planning; the provider's quote gives the true cost.
//
// # Use
//
// Parse (or Load) reads the rules, Rules.Check validates them against the
// catalogue and returns a List. For each sale: List.Plan with what the
// clerk entered gives the amount to ask the provider for; List.Apply with
// the provider's quote for it gives the Priced quote and the Record to keep
// with the sale.
package pricing
