// Package providers defines what the sale core needs from a provider API.
// Capabilities differ between providers, so the interface is split: every
// provider has a catalogue, quotes and purchases; status look-up, balance and
// reconciliation records are optional interfaces a client may also implement.
package providers

import (
	"context"
	"time"

	"kiosk/money"
)

// Provider is the part every provider client implements.
type Provider interface {
	// Info names the provider and says how it is connected.
	Info() Info
	// Catalog loads the products this account may sell. It is slow on some
	// providers; the core caches the answer in the journal.
	Catalog(ctx context.Context) ([]Product, error)
	// Quote reads the price right before buying, for the product with the
	// clerk's field values (already validated with Product.Validate) and, for
	// range or unit priced products, the amount or unit count the clerk chose.
	Quote(ctx context.Context, req QuoteRequest) (Quote, error)
	// Purchase buys under req.Ref, the kiosk's own unique reference.
	//
	// It returns a Result with State Succeeded, Failed or Pending, or an
	// error. A *Error with Outcome Refused means the provider declined and
	// nothing was charged; any other error means the outcome is unknown and
	// the sale is in doubt. Purchase must send the request at most once: no
	// retries, and never as a GET.
	Purchase(ctx context.Context, req PurchaseRequest) (Result, error)
}

// StatusChecker is implemented by providers that can look a sale up by the
// kiosk's reference. A reference the provider has never seen comes back as a
// Result with State NotFound, not as an error.
type StatusChecker interface {
	Status(ctx context.Context, sale SaleRef) (Result, error)
}

// BalanceChecker is implemented by providers that report the account balance.
type BalanceChecker interface {
	Balance(ctx context.Context) ([]money.Money, error)
}

// Reconciler is implemented by providers that list what they charged in a
// period, for the end-of-day comparison.
type Reconciler interface {
	Records(ctx context.Context, from, to time.Time) ([]Record, error)
}

// Info describes a configured provider.
type Info struct {
	ID      string // short stable name used in config, journal and CLI: "bitaqaty"
	Name    string // shown to people: "Bitaqaty Business"
	Sandbox bool   // true when talking to a sandbox, shown on screen
	Note    string // a mode the clerk must know, shown in the status bar: "simulation" for DT One
}

// Kind groups products for the clerk.
type Kind string

// Product kinds.
const (
	KindVoucher     Kind = "voucher"      // a PIN or serial to hand over
	KindTopUp       Kind = "topup"        // airtime/credit sent to a number
	KindBill        Kind = "bill"         // bill payment
	KindGame        Kind = "game"         // game credit to a player account
	KindCallingCard Kind = "calling_card" // MOR calling card
	KindOffer       Kind = "offer"        // data/voice bundle
)

// PriceKind says how the price of a product is set.
type PriceKind string

// Price kinds.
const (
	PriceFixed PriceKind = "fixed" // Product.Price is the price
	PriceRange PriceKind = "range" // the clerk enters an amount within MinAmount..MaxAmount
	PriceUnits PriceKind = "units" // the clerk enters a count; the total is count × UnitPrice
)

// Product is one sellable item, as the core and the journal keep it. A sale
// stores a copy so an old PIN can be shown after the product is gone.
type Product struct {
	Provider string `json:"provider"`
	ID       string `json:"id"`
	Name     string `json:"name"`
	NameAr   string `json:"name_ar,omitempty"`
	Brand    string `json:"brand"` // merchant, network or game: "iTunes", "Yemen Mobile", "PUBG"
	BrandAr  string `json:"brand_ar,omitempty"`
	Category string `json:"category,omitempty"`
	Country  string `json:"country,omitempty"` // ISO 3166 alpha-2 where known
	Kind     Kind   `json:"kind"`
	// Available is false for products listed but not sellable now.
	Available bool `json:"available"`

	PriceKind PriceKind     `json:"price_kind"`
	Price     money.Money   `json:"price"`               // retail price to the customer (fixed) or per unit (units)
	Cost      money.Money   `json:"cost"`                // what the provider charges the shop
	FaceValue money.Money   `json:"face_value,omitzero"` // value printed on the voucher, where given
	MinAmount money.Money   `json:"min_amount,omitzero"` // PriceRange/PriceUnits lower bound (amount or count)
	MaxAmount money.Money   `json:"max_amount,omitzero"` // PriceRange/PriceUnits upper bound
	Step      money.Decimal `json:"step,omitzero"`       // optional amount step

	VATType    string        `json:"vat_type,omitempty"` // Bitaqaty: SG, SM, OS
	VATPercent money.Decimal `json:"vat_percent,omitzero"`

	HowToUse   string  `json:"how_to_use,omitempty"`
	HowToUseAr string  `json:"how_to_use_ar,omitempty"`
	Fields     []Field `json:"fields,omitempty"` // what the clerk must enter

	// Extra holds provider-specific facts the client needs again at quote or
	// purchase time (for example Bitaqaty's inquiryRequired, Al-Qimah's
	// network and service numbers). Keys are the provider's own.
	Extra map[string]string `json:"extra,omitempty"`
}

// Key is the product's identity across providers: "bitaqaty/2862".
func (p Product) Key() string { return p.Provider + "/" + p.ID }

// QuoteRequest asks for the current price of a product.
type QuoteRequest struct {
	Product Product
	Fields  map[string]string // field name → value, validated
	// Amount is the amount (PriceRange) or unit count (PriceUnits); zero for fixed.
	Amount money.Decimal
}

// Quote is the price the clerk confirms right before buying.
type Quote struct {
	Product Product           `json:"product"` // as re-read from the provider (may differ from the catalogue)
	Fields  map[string]string `json:"fields,omitempty"`
	Amount  money.Decimal     `json:"amount,omitzero"`
	// Quantity of items bought in one sale (MOR cards); 1 when unset.
	Quantity int `json:"quantity,omitempty"`

	CostBeforeVAT   money.Money `json:"cost_before_vat,omitzero"`
	CostVAT         money.Money `json:"cost_vat,omitzero"`
	Cost            money.Money `json:"cost"` // total charged to the shop, VAT included
	RetailBeforeVAT money.Money `json:"retail_before_vat,omitzero"`
	RetailVAT       money.Money `json:"retail_vat,omitzero"`
	Retail          money.Money `json:"retail"` // total the customer pays, VAT included
	Fee             money.Money `json:"fee,omitzero"`

	// Info is text the provider returned for the clerk to read out (a bill's
	// holder and due amount, a subscriber's balance).
	Info string `json:"info,omitempty"`
	// Extra carries provider state from quote to purchase (an inquiry reference).
	Extra map[string]string `json:"extra,omitempty"`
}

// PurchaseRequest is one purchase under the kiosk's reference.
type PurchaseRequest struct {
	Ref      string // unique per sale, numeric, at most 20 digits
	Terminal string
	Clerk    string
	Quote    Quote
}

// SaleRef identifies a sale for a status look-up; providers that need more
// than the reference (DT One's product type, Al-Qimah's network) read it here.
type SaleRef struct {
	Ref      string
	Product  Product
	Prepared time.Time
}

// State is what a provider says about a purchase.
type State string

// Provider states.
const (
	Succeeded State = "succeeded"
	Failed    State = "failed"
	Pending   State = "pending"
	NotFound  State = "not_found" // status look-up only: the provider has no sale under this reference
)

// Result is a provider's answer to a purchase or a status look-up.
type Result struct {
	State       State       `json:"state"`
	ProviderRef string      `json:"provider_ref,omitempty"` // the provider's own transaction number
	ProductID   string      `json:"product_id,omitempty"`   // as the provider reports it, to check a look-up
	Message     string      `json:"message,omitempty"`
	Vouchers    []Voucher   `json:"vouchers,omitempty"`
	Charged     money.Money `json:"charged,omitzero"`
	Balance     money.Money `json:"balance,omitzero"` // balance after the sale, where given
	At          time.Time   `json:"at,omitzero"`
}

// Voucher is what the customer gets: a PIN, serial, username, or a top-up
// confirmation (Reference). PIN is sensitive: the journal stores it encrypted
// and lists mask it.
type Voucher struct {
	Serial    string            `json:"serial,omitempty"`
	PIN       string            `json:"pin,omitempty"`
	PIN2      string            `json:"pin2,omitempty"`
	Username  string            `json:"username,omitempty"`
	Expiry    string            `json:"expiry,omitempty"`
	IsQR      bool              `json:"is_qr,omitempty"`     // PIN is a link to a QR code
	Reference string            `json:"reference,omitempty"` // operator reference for a top-up
	Value     money.Money       `json:"value,omitzero"`
	Extra     map[string]string `json:"extra,omitempty"` // eSIM iccid, lpa, … ; info lines
}

// Record is one provider-side record for reconciliation.
type Record struct {
	Ref         string      `json:"ref"`
	ProviderRef string      `json:"provider_ref,omitempty"`
	ProductID   string      `json:"product_id,omitempty"`
	ProductName string      `json:"product_name,omitempty"`
	At          time.Time   `json:"at"`
	State       State       `json:"state"`
	Charged     money.Money `json:"charged"`
	Serial      string      `json:"serial,omitempty"`
}

// Suggester is implemented by providers that suggest amounts for a
// variable-price product (DT One's suggested values).
type Suggester interface {
	SuggestedValues(ctx context.Context, product Product) ([]money.Decimal, error)
}
