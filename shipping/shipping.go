// Package shipping connects the journal's outbox to head office: it reads
// storage's outbox entries as hq.Entry values (the only place the two
// meet, so hq never imports storage and storage never imports pgx) and
// builds the kiosk's shipper from its configuration.
//
// What leaves the kiosk is decided here, field by field: never a PIN, a
// serial or a secret, and the customer's number masked. A Z-report is
// shipped as its totals and cash lines, never as the stored report, which
// holds serials and masked PINs of mismatches.
package shipping

import (
	"encoding/json"
	"fmt"
	"strings"

	"kiosk/eod"
	"kiosk/hq"
	"kiosk/sale"
	"kiosk/storage"
)

// Outbox is a journal's outbox as head office's shipper reads it.
type Outbox struct{ J *storage.Journal }

var _ hq.Outbox = Outbox{}

// Pending returns up to n entries not yet shipped, oldest first.
func (o Outbox) Pending(n int) ([]hq.Entry, error) {
	items, err := o.J.OutboxPending(n)
	if err != nil {
		return nil, err
	}
	out := make([]hq.Entry, 0, len(items))
	for _, it := range items {
		e, err := Entry(it)
		if err != nil {
			return nil, fmt.Errorf("outbox entry %d (%s): %w", it.Seq, it.Kind, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// MarkShipped deletes the entries up to upTo: head office committed them.
func (o Outbox) MarkShipped(upTo uint64) error { return o.J.OutboxShipped(upTo) }

// Entry is what head office learns of one outbox item.
func Entry(it storage.OutboxItem) (hq.Entry, error) {
	e := hq.Entry{Seq: it.Seq}
	switch it.Kind {
	case storage.OutSale:
		e.Kind, e.Sale = hq.KindSale, saleOf(it.Sale)
	case storage.OutDecision:
		e.Kind, e.Decision = hq.KindDecision, decisionOf(it.Sale, it.Decision)
	case storage.OutZReport:
		z, err := zReportOf(it.ZReport)
		if err != nil {
			return e, err
		}
		e.Kind, e.ZReport = hq.KindZReport, z
	case storage.OutSettled:
		e.Kind, e.Settled = hq.KindSettled, settledOf(it.Mismatch)
	case storage.OutNote:
		n := it.Note
		e.Kind, e.Note = hq.KindNote, &hq.Note{Z: n.Z, Seq: n.Seq, At: n.At, By: n.By, Text: n.Text}
	default:
		return e, fmt.Errorf("unknown kind %q", it.Kind)
	}
	return e, nil
}

func saleOf(r *storage.SaleRecord) *hq.Sale {
	q := r.Quote
	s := &hq.Sale{
		Ref: r.Ref, Clerk: r.Clerk, Created: r.Created, Updated: r.Updated, Provider: r.Provider,
		ProductID: r.Product.ID, Product: r.Product.Name, Customer: sale.Mask(r.Customer), State: r.State,
		ProviderRef: r.ProviderRef, Quantity: q.Quantity,
		Retail: q.Retail, RetailVAT: q.RetailVAT, RetailBeforeVAT: q.RetailBeforeVAT,
		Cost: q.Cost, CostVAT: q.CostVAT, CostBeforeVAT: q.CostBeforeVAT, Charged: r.Charged,
	}
	if r.Price != nil {
		s.Fee, s.FeeVAT = r.Price.Fee, r.Price.FeeVAT
	}
	return s
}

func decisionOf(r *storage.SaleRecord, t *storage.TransitionRecord) *hq.Decision {
	return &hq.Decision{Ref: r.Ref, At: t.At, By: t.By, State: t.State, Reason: strings.TrimPrefix(t.Note, "supervisor: ")}
}

// zReportOf reads the stored report for its totals and cash: nothing else
// of it leaves the kiosk.
func zReportOf(z *storage.ZRecord) (*hq.ZReport, error) {
	var r eod.Report
	if err := json.Unmarshal(z.Report, &r); err != nil {
		return nil, fmt.Errorf("Z-report %d: unreadable report: %w", z.Number, err)
	}
	out := &hq.ZReport{Number: z.Number, Day: z.Day, From: z.From, To: z.To, ClosedAt: z.ClosedAt, ClosedBy: z.ClosedBy,
		Mismatches: len(r.Mismatches), NotCounted: len(r.NotCounted)}
	for _, t := range r.Totals {
		out.Totals = append(out.Totals, hq.ZTotal{Provider: t.Provider, Currency: t.Currency, CostCurrency: t.CostCurrency,
			VATCurrency: t.VATCurrency, Sales: t.Sales, Retail: t.Retail.Amount, VAT: t.VAT.Amount, Cost: t.Cost.Amount})
	}
	for _, c := range r.Cash {
		out.Cash = append(out.Cash, hq.ZCash{Currency: c.Currency, Float: c.Float, Sales: c.Sales, Expected: c.Expected, Counted: c.Counted})
	}
	return out, nil
}

func settledOf(m *storage.MismatchRecord) *hq.Mismatch {
	return &hq.Mismatch{Kind: m.Kind, Provider: m.Provider, Ref: m.Ref, Day: m.Day, Z: m.Z, ProductID: m.ProductID,
		Product: m.Product, JournalState: m.JournalState, ProviderState: m.ProviderState, Cost: m.Cost, Charged: m.Charged,
		ProviderRef: m.ProviderRef, Detail: m.Detail, SettledAt: m.Settled.At, SettledBy: m.Settled.By, Reason: m.Settled.Reason}
}
