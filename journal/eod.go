package journal

import (
	"errors"
	"time"

	"kiosk/eod"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/storage"
)

var _ eod.Store = (*Journal)(nil)

func summary(r storage.SummaryRecord) eod.SaleSummary {
	return eod.SaleSummary{Ref: r.Ref, Provider: r.Provider, ProductID: r.ProductID, ProductName: r.ProductName,
		Brand: r.Brand, Clerk: r.Clerk, Message: r.Message, State: sale.State(r.State), Cost: r.Cost, Retail: r.Retail,
		RetailVAT: r.RetailVAT, Fee: r.Fee, CostVAT: r.CostVAT, FeeVAT: r.FeeVAT, Charged: r.Charged, Prints: r.Prints,
		Created: r.Created}
}

// Summaries are the sales created in [from, to), oldest first, from the
// journal's time index alone.
func (a *Journal) Summaries(from, to time.Time) ([]eod.SaleSummary, error) {
	var out []eod.SaleSummary
	err := a.j.EachSummary(from, to, func(n int) { out = make([]eod.SaleSummary, 0, n) },
		func(r *storage.SummaryRecord) { out = append(out, summary(*r)) })
	return out, err
}

// States returns the journal's state of each of refs it holds.
func (a *Journal) States(refs []string) (map[string]sale.State, error) {
	m, err := a.j.States(refs)
	out := make(map[string]sale.State, len(m))
	for k, v := range m {
		out[k] = sale.State(v)
	}
	return out, err
}

func zRecord(z *eod.ZReport) *storage.ZRecord {
	return &storage.ZRecord{Number: z.Number, Day: z.Day, From: z.From, To: z.To, ClosedAt: z.ClosedAt, ClosedBy: z.ClosedBy, Report: z.Report}
}

func zReport(r *storage.ZRecord) *eod.ZReport {
	if r == nil {
		return nil
	}
	return &eod.ZReport{Number: r.Number, Day: r.Day, From: r.From, To: r.To, ClosedAt: r.ClosedAt, ClosedBy: r.ClosedBy, Report: r.Report}
}

func mismatchRecord(m eod.Mismatch) storage.MismatchRecord {
	r := storage.MismatchRecord{Kind: string(m.Kind), Provider: m.Provider, Ref: m.Ref, Day: m.Day, Z: m.Z,
		ProductID: m.ProductID, Product: m.Product, JournalState: string(m.JournalState), ProviderState: string(m.ProviderState),
		Cost: m.Cost, Charged: m.Charged, ProviderRef: m.ProviderRef, Serial: m.Serial, PINMasked: m.PINMasked,
		At: m.At, Detail: m.Detail, Vouchers: voucherRecords(m.Vouchers)}
	if s := m.Settled; s != nil {
		r.Settled = &storage.SettlementRecord{By: s.By, At: s.At, Reason: s.Reason}
	}
	return r
}

func mismatch(r *storage.MismatchRecord) *eod.Mismatch {
	if r == nil {
		return nil
	}
	m := &eod.Mismatch{Kind: eod.MismatchKind(r.Kind), Provider: r.Provider, Ref: r.Ref, Day: r.Day, Z: r.Z,
		ProductID: r.ProductID, Product: r.Product, JournalState: sale.State(r.JournalState),
		ProviderState: providers.State(r.ProviderState), Cost: r.Cost, Charged: r.Charged, ProviderRef: r.ProviderRef,
		Serial: r.Serial, PINMasked: r.PINMasked, At: r.At, Detail: r.Detail, Vouchers: vouchers(r.Vouchers),
		VoucherErr: r.VoucherErr}
	if s := r.Settled; s != nil {
		m.Settled = &eod.Settlement{By: s.By, At: s.At, Reason: s.Reason}
	}
	return m
}

func note(r storage.NoteRecord) eod.ZNote {
	return eod.ZNote{Z: r.Z, Seq: r.Seq, At: r.At, By: r.By, Text: r.Text}
}

// CloseDay writes a Z-report and the day's mismatches in one commit.
func (a *Journal) CloseDay(z *eod.ZReport, mismatches []eod.Mismatch) error {
	zr := zRecord(z)
	ms := make([]storage.MismatchRecord, len(mismatches))
	for i, m := range mismatches {
		ms[i] = mismatchRecord(m)
	}
	err := a.j.CloseDay(zr, ms)
	if errors.Is(err, storage.ErrDayClosed) {
		return errorAs{err, eod.ErrDayClosed}
	}
	z.Number = zr.Number
	return err
}

// ZReportOfDay is the Z-report of a business day, or nil.
func (a *Journal) ZReportOfDay(day string) (*eod.ZReport, error) {
	r, err := a.j.ZReportOfDay(day)
	return zReport(r), err
}

// ZReportByNumber is Z-report n.
func (a *Journal) ZReportByNumber(n uint64) (*eod.ZReport, error) {
	r, err := a.j.ZReportByNumber(n)
	return zReport(r), err
}

// AddZNote appends a note to Z-report n.
func (a *Journal) AddZNote(n uint64, by, text string) (eod.ZNote, error) {
	r, err := a.j.AddZNote(n, by, text)
	return note(r), err
}

// ZNotes are the notes of Z-report n, oldest first.
func (a *Journal) ZNotes(n uint64) ([]eod.ZNote, error) {
	rs, err := a.j.ZNotes(n)
	out := make([]eod.ZNote, len(rs))
	for i, r := range rs {
		out[i] = note(r)
	}
	return out, err
}

// SettleMismatch settles a mismatch once.
func (a *Journal) SettleMismatch(m eod.Mismatch, s eod.Settlement, noteText string) (*eod.Mismatch, error) {
	r, err := a.j.SettleMismatch(mismatchRecord(m), storage.SettlementRecord{By: s.By, At: s.At, Reason: s.Reason}, noteText)
	return mismatch(r), err
}

// KeepMismatch stores a mismatch found before its day is closed.
func (a *Journal) KeepMismatch(m eod.Mismatch) error { return a.j.KeepMismatch(mismatchRecord(m)) }

// GetMismatch is the stored mismatch of a sale and provider, or nil.
func (a *Journal) GetMismatch(ref, provider string) (*eod.Mismatch, error) {
	r, err := a.j.GetMismatch(ref, provider)
	return mismatch(r), err
}

// Mismatches are every stored mismatch, in key order.
func (a *Journal) Mismatches() ([]eod.Mismatch, error) {
	rs, err := a.j.Mismatches()
	out := make([]eod.Mismatch, len(rs))
	for i := range rs {
		out[i] = *mismatch(&rs[i])
	}
	return out, err
}
