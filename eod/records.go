package eod

import (
	"encoding/json"
	"errors"
	"time"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
)

// The end of day's records, as the books keep them in the journal (package
// journal maps them to storage's records). A Z-report is written once and
// never changed; what is learnt about a closed day later is a note.

// ErrDayClosed is returned (wrapped) when a closed day is closed again.
var ErrDayClosed = errors.New("business day already closed")

// ZReport is a closed business day: the report as the books wrote it, with
// the facts needed to find it.
type ZReport struct {
	Number   uint64
	Day      string    // business day, 2006-01-02
	From, To time.Time // period covered: [From, To)
	ClosedAt time.Time
	ClosedBy string
	Report   json.RawMessage
}

// ZNote is an annotation of a closed day.
type ZNote struct {
	Z    uint64    `json:"z"`
	Seq  uint64    `json:"seq"`
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	Text string    `json:"text"`
}

// MismatchKind says how the journal and a provider disagree.
type MismatchKind string

// Mismatch kinds.
const (
	// UnknownToProvider: sold here, but the provider has no charge for it.
	UnknownToProvider MismatchKind = "unknown_to_provider"
	// ChargedNotSold: the provider charged for it, but here it failed or
	// is missing altogether.
	ChargedNotSold MismatchKind = "charged_not_sold"
	// AmountDiffers: both sold it, for different amounts.
	AmountDiffers MismatchKind = "amount_differs"
	// OpenAtClose: the sale was still unsettled when its day was closed, so
	// no Z-report counts it; it is carried until a supervisor settles it.
	OpenAtClose MismatchKind = "open_at_close"
)

// Settlement is a supervisor's decision on a mismatch.
type Settlement struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// Mismatch is one disagreement between the journal and a provider. Open
// mismatches of closed days are carried into the next days' reports.
type Mismatch struct {
	Kind          MismatchKind    `json:"kind"`
	Provider      string          `json:"provider"`
	Ref           string          `json:"ref"`
	Day           string          `json:"day"`         // business day it was found on
	Z             uint64          `json:"z,omitempty"` // the Z-report of that day, once closed
	ProductID     string          `json:"product_id,omitempty"`
	Product       string          `json:"product,omitempty"`
	JournalState  sale.State      `json:"journal_state,omitempty"` // "" when the journal has no such sale
	ProviderState providers.State `json:"provider_state,omitempty"`
	Cost          money.Money     `json:"cost,omitzero"`    // the journal's Quote.Cost
	Charged       money.Money     `json:"charged,omitzero"` // what the provider says it charged
	ProviderRef   string          `json:"provider_ref,omitempty"`
	Serial        string          `json:"serial,omitempty"`
	PINMasked     string          `json:"pin_masked,omitempty"` // the PIN itself is only ever sealed
	At            time.Time       `json:"at,omitzero"`          // when the provider recorded it
	Detail        string          `json:"detail"`               // in English; DetailIn for another language
	Settled       *Settlement     `json:"settled,omitempty"`

	// What DetailIn needs besides the fields above: where the amounts
	// came from (records, status, purchase), why a status look-up failed,
	// and for a sale open at a close its price and its state now.
	Via       string      `json:"via,omitempty"`
	LookupErr string      `json:"lookup_error,omitempty"`
	Retail    money.Money `json:"retail,omitzero"`
	StateNow  sale.State  `json:"state_now,omitempty"`

	// Vouchers are the provider's PINs for a sale it charged but this
	// kiosk did not hand over; sealed in the journal like a sale's.
	Vouchers   []providers.Voucher `json:"-"`
	VoucherErr string              `json:"-"`
}

// Key names a mismatch: one per sale and provider.
func (m *Mismatch) Key() string { return m.Ref + "/" + m.Provider }

// SaleSummary is the part of a journaled sale a day's report reads (the
// journal's time index holds it, so a report never reads whole sales).
type SaleSummary struct {
	Ref, Provider, ProductID, ProductName, Brand, Clerk, Message string
	State                                                        sale.State
	// Cost, CostVAT, Retail and RetailVAT are the confirmed quote's, Fee and
	// FeeVAT the shop's service fee; Charged is from the provider's answer.
	Cost, CostVAT, Retail, RetailVAT, Fee, FeeVAT, Charged money.Money
	Prints                                                 int
	Created                                                time.Time
}

// Store is the journal as the books need it.
type Store interface {
	// Summaries are the sales created in [from, to), oldest first.
	Summaries(from, to time.Time) ([]SaleSummary, error)
	// States are the journal's states of refs; refs it lacks are left out.
	States(refs []string) (map[string]sale.State, error)
	// CloseDay writes the Z-report and the day's mismatches in one commit,
	// assigning z.Number; a day already closed is ErrDayClosed.
	CloseDay(z *ZReport, mismatches []Mismatch) error
	ZReportOfDay(day string) (*ZReport, error)
	ZReportByNumber(n uint64) (*ZReport, error)
	AddZNote(n uint64, by, text string) (ZNote, error)
	ZNotes(n uint64) ([]ZNote, error)
	// SettleMismatch settles a mismatch once, with note added to its
	// closed day's Z-report in the same commit.
	SettleMismatch(m Mismatch, s Settlement, note string) (*Mismatch, error)
	KeepMismatch(m Mismatch) error
	GetMismatch(ref, provider string) (*Mismatch, error)
	Mismatches() ([]Mismatch, error)
}
