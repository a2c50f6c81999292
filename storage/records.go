package storage

import (
	"encoding/json"
	"time"

	"kiosk/money"
)

// The journal's records are storage's own structs, written as JSON and
// read back through the migrations in schema.go. The packages that use the
// journal (sale, eod) map their domain types to these records and back, so
// a change of a provider's struct or of the sale core never changes what
// is on disk without a record version and a migration.
//
// Field names are kept short and stable; a field is never renamed, only
// added (with omitempty) or migrated.

// SaleVersion is the version SaleRecords are written with.
const SaleVersion = 2

// SaleRecord is one sale with the confirmed quote and the product as it
// was sold, so a receipt can be printed after the product has gone from
// the catalogue. The product is written once to the product-copies bucket
// and shared by every sale of the same copy: ProductKey names it, and
// reading a sale fills Product from it.
type SaleRecord struct {
	V        int    `json:"v"`
	Ref      string `json:"ref"`
	Terminal string `json:"terminal"`
	Clerk    string `json:"clerk,omitempty"`
	Provider string `json:"provider"`
	// State is the sale core's state name; Open says whether the sale is
	// still to settle, which keeps it in the open index.
	State string `json:"state"`
	Open  bool   `json:"open,omitempty"`
	// Customer is the customer's number (digits), for the history index.
	Customer    string             `json:"customer,omitempty"`
	ProviderRef string             `json:"provider_ref,omitempty"`
	Message     string             `json:"message,omitempty"`
	Alarm       string             `json:"alarm,omitempty"`
	Charged     money.Money        `json:"charged,omitzero"`
	Attempts    int                `json:"attempts,omitempty"`
	Prints      int                `json:"prints,omitempty"`
	Created     time.Time          `json:"created"`
	Updated     time.Time          `json:"updated"`
	History     []TransitionRecord `json:"history"`
	ProductKey  string             `json:"product_key,omitempty"`
	Product     ProductRecord      `json:"product,omitzero"` // inline only in schema 1
	Quote       QuoteRecord        `json:"quote"`
	// Price is the shop's price as its price list set it at the quote
	// (nil for a sale priced before the kiosk had price lists): a later
	// change of the list never changes it.
	Price *PriceRecord `json:"price,omitempty"`

	// Vouchers hold the PINs: sealed on disk, opened on read when the
	// journal has the key; VoucherErr says why they could not be opened.
	Vouchers       []VoucherRecord `json:"-"`
	SealedVouchers []byte          `json:"vouchers_sealed,omitempty"`
	VoucherErr     string          `json:"-"`
}

// TransitionRecord is one entry of a sale's history.
type TransitionRecord struct {
	At    time.Time `json:"at"`
	State string    `json:"state"`
	Note  string    `json:"note,omitempty"`
	By    string    `json:"by,omitempty"`
}

// ProductRecord is the product as it was sold.
type ProductRecord struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	NameAr     string            `json:"name_ar,omitempty"`
	Brand      string            `json:"brand,omitempty"`
	BrandAr    string            `json:"brand_ar,omitempty"`
	Category   string            `json:"category,omitempty"`
	Country    string            `json:"country,omitempty"`
	Kind       string            `json:"kind,omitempty"`
	PriceKind  string            `json:"price_kind,omitempty"`
	Price      money.Money       `json:"price,omitzero"`
	Cost       money.Money       `json:"cost,omitzero"`
	FaceValue  money.Money       `json:"face_value,omitzero"`
	MinAmount  money.Money       `json:"min_amount,omitzero"`
	MaxAmount  money.Money       `json:"max_amount,omitzero"`
	Step       money.Decimal     `json:"step,omitzero"`
	VATType    string            `json:"vat_type,omitempty"`
	VATPercent money.Decimal     `json:"vat_percent,omitzero"`
	HowToUse   string            `json:"how_to_use,omitempty"`
	HowToUseAr string            `json:"how_to_use_ar,omitempty"`
	Fields     []FieldRecord     `json:"fields,omitempty"`
	Extra      map[string]string `json:"extra,omitempty"`
}

// FieldRecord is one value the clerk entered for the product.
type FieldRecord struct {
	Name          string         `json:"name"`
	Label         string         `json:"label,omitempty"`
	LabelAr       string         `json:"label_ar,omitempty"`
	Kind          string         `json:"kind,omitempty"`
	Required      bool           `json:"required,omitempty"`
	MinLen        int            `json:"min_len,omitempty"`
	MaxLen        int            `json:"max_len,omitempty"`
	Pattern       string         `json:"pattern,omitempty"`
	PatternHint   string         `json:"pattern_hint,omitempty"`
	Min           *money.Decimal `json:"min,omitempty"`
	Max           *money.Decimal `json:"max,omitempty"`
	Choices       []ChoiceRecord `json:"choices,omitempty"`
	Default       string         `json:"default,omitempty"`
	Placeholder   string         `json:"placeholder,omitempty"`
	Confirm       bool           `json:"confirm,omitempty"`
	Hidden        bool           `json:"hidden,omitempty"`
	CallingCode   string         `json:"calling_code,omitempty"`
	NationalLen   int            `json:"national_len,omitempty"`
	International bool           `json:"international,omitempty"`
}

// ChoiceRecord is one allowed value of a choice field.
type ChoiceRecord struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// QuoteRecord is the price confirmed before buying (its product is the
// sale's ProductRecord: it is not stored twice).
type QuoteRecord struct {
	Fields          map[string]string `json:"fields,omitempty"`
	Amount          money.Decimal     `json:"amount,omitzero"`
	Quantity        int               `json:"quantity,omitempty"`
	CostBeforeVAT   money.Money       `json:"cost_before_vat,omitzero"`
	CostVAT         money.Money       `json:"cost_vat,omitzero"`
	Cost            money.Money       `json:"cost"`
	RetailBeforeVAT money.Money       `json:"retail_before_vat,omitzero"`
	RetailVAT       money.Money       `json:"retail_vat,omitzero"`
	Retail          money.Money       `json:"retail"`
	Fee             money.Money       `json:"fee,omitzero"`
	Info            string            `json:"info,omitempty"`
	Extra           map[string]string `json:"extra,omitempty"`
}

// PriceRecord is the shop's price of a sale: what the customer paid for
// the product and the service fee, their VAT, and the rule that set them.
type PriceRecord struct {
	Retail    money.Money   `json:"retail"`
	RetailVAT money.Money   `json:"retail_vat,omitzero"`
	Fee       money.Money   `json:"fee,omitzero"`
	FeeVAT    money.Money   `json:"fee_vat,omitzero"`
	Total     money.Money   `json:"total"`
	VAT       money.Money   `json:"vat,omitzero"` // the VAT the shop owes
	Margin    money.Money   `json:"margin"`
	Mode      string        `json:"mode,omitempty"`
	Credit    money.Decimal `json:"credit,omitzero"`
	Source    string        `json:"source"`
	Rule      string        `json:"rule,omitempty"`
	FeeRule   string        `json:"fee_rule,omitempty"`
}

// VoucherRecord is what the customer got (sealed on disk).
type VoucherRecord struct {
	Serial    string            `json:"serial,omitempty"`
	PIN       string            `json:"pin,omitempty"`
	PIN2      string            `json:"pin2,omitempty"`
	Username  string            `json:"username,omitempty"`
	Expiry    string            `json:"expiry,omitempty"`
	IsQR      bool              `json:"is_qr,omitempty"`
	Reference string            `json:"reference,omitempty"`
	Value     money.Money       `json:"value,omitzero"`
	Extra     map[string]string `json:"extra,omitempty"`
}

// SummaryRecord is what the time index holds for each sale: enough for a
// day's report, recent customers and best sellers, so they never read a
// whole sale. It is rewritten with every change of its sale.
type SummaryRecord struct {
	Ref         string      `json:"ref"`
	Provider    string      `json:"provider"`
	ProductID   string      `json:"product_id"`
	ProductName string      `json:"product_name,omitempty"`
	Brand       string      `json:"brand,omitempty"`
	Customer    string      `json:"customer,omitempty"`
	Clerk       string      `json:"clerk,omitempty"`
	State       string      `json:"state"`
	Message     string      `json:"message,omitempty"`
	Cost        money.Money `json:"cost,omitzero"`
	CostVAT     money.Money `json:"cost_vat,omitzero"`
	Retail      money.Money `json:"retail,omitzero"`
	RetailVAT   money.Money `json:"retail_vat,omitzero"`
	Fee         money.Money `json:"fee,omitzero"` // the shop's service fee, VAT included
	FeeVAT      money.Money `json:"fee_vat,omitzero"`
	Charged     money.Money `json:"charged,omitzero"`
	Prints      int         `json:"prints,omitempty"`
	Created     time.Time   `json:"created"`
}

// Summary is the sale's summary record. Retail is the quote's (the shop's
// price, once a price list set it); the fee is the shop's own, never the
// provider's fee that its cost already holds.
func (r *SaleRecord) Summary() SummaryRecord {
	s := SummaryRecord{Ref: r.Ref, Provider: r.Provider, ProductID: r.Product.ID, ProductName: r.Product.Name,
		Brand: r.Product.Brand, Customer: r.Customer, Clerk: r.Clerk, State: r.State, Message: r.Message,
		Cost: r.Quote.Cost, CostVAT: r.Quote.CostVAT, Retail: r.Quote.Retail, RetailVAT: r.Quote.RetailVAT,
		Charged: r.Charged, Prints: r.Prints, Created: r.Created}
	if r.Price != nil {
		s.Fee, s.FeeVAT = r.Price.Fee, r.Price.FeeVAT
	}
	return s
}

// UserRecord is a person who signs in; the PIN is kept only as a slow
// hash (the sale core makes and checks it).
type UserRecord struct {
	Name     string    `json:"name"`
	Role     string    `json:"role"`
	Lang     string    `json:"lang,omitempty"`
	Salt     []byte    `json:"salt"`
	Hash     []byte    `json:"hash"`
	Created  time.Time `json:"created"`
	Disabled bool      `json:"disabled,omitempty"`
	// Failures counts failed sign-ins in a row; LockedUntil holds back the
	// next attempt after them (the sale core sets both).
	Failures    int       `json:"failures,omitempty"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

// AuditRecord is one line of the append-only audit record.
type AuditRecord struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	Who    string    `json:"who,omitempty"`
	Action string    `json:"action"`
	Ref    string    `json:"ref,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// ZRecord is a closed business day: the report as package eod wrote it,
// with the facts needed to find it. It is written once and never changed.
type ZRecord struct {
	Number   uint64    `json:"number"`
	Day      string    `json:"day"` // business day, 2006-01-02
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	ClosedAt time.Time `json:"closed_at"`
	ClosedBy string    `json:"closed_by"`
	// Report is eod's own JSON document (versioned by eod), kept as it is.
	Report json.RawMessage `json:"report"`
}

// NoteRecord is an annotation of a closed day.
type NoteRecord struct {
	Z    uint64    `json:"z"`
	Seq  uint64    `json:"seq"`
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	Text string    `json:"text"`
}

// MismatchRecord is one disagreement between the journal and a provider.
type MismatchRecord struct {
	Kind          string            `json:"kind"`
	Provider      string            `json:"provider"`
	Ref           string            `json:"ref"`
	Day           string            `json:"day"`
	Z             uint64            `json:"z,omitempty"`
	ProductID     string            `json:"product_id,omitempty"`
	Product       string            `json:"product,omitempty"`
	JournalState  string            `json:"journal_state,omitempty"`
	ProviderState string            `json:"provider_state,omitempty"`
	Cost          money.Money       `json:"cost,omitzero"`
	Charged       money.Money       `json:"charged,omitzero"`
	ProviderRef   string            `json:"provider_ref,omitempty"`
	Serial        string            `json:"serial,omitempty"`
	PINMasked     string            `json:"pin_masked,omitempty"`
	At            time.Time         `json:"at,omitzero"`
	Detail        string            `json:"detail"`
	Settled       *SettlementRecord `json:"settled,omitempty"`

	Vouchers       []VoucherRecord `json:"-"`
	SealedVouchers []byte          `json:"vouchers_sealed,omitempty"`
	VoucherErr     string          `json:"-"`
}

// SettlementRecord is a supervisor's decision on a mismatch.
type SettlementRecord struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

func (m *MismatchRecord) key() []byte { return mismatchKey(m.Ref, m.Provider) }

func mismatchKey(ref, provider string) []byte { return []byte("mis/" + ref + "/" + provider) }
