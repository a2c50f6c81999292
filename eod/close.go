package eod

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"kiosk/providers"
)

// Close ends a business day: it makes the day's report with the cash
// count, and writes it to the journal as the next numbered Z-report, with
// the day's mismatches and the sales still open (they are carried to the
// next days until a supervisor settles them). Closing before the day's end
// ends the period at the close: later sales belong to the next day.
func (b *Books) Close(ctx context.Context, date time.Time, cash CashCount, by string) (*Report, error) {
	day := date.Format(DateLayout)
	if strings.TrimSpace(by) == "" {
		return nil, fmt.Errorf("close %s: say who closes the day", day)
	}
	if z, err := b.j.ZReportOfDay(day); err != nil {
		return nil, fmt.Errorf("close %s: %w", day, err)
	} else if z != nil {
		return nil, fmt.Errorf("close %s: %w: Z-report %d, closed by %s at %s", day, ErrDayClosed, z.Number, z.ClosedBy,
			z.ClosedAt.In(b.opt.Location).Format(time.DateTime))
	}
	now := b.opt.Now()
	from, err := b.start(date)
	if err != nil {
		return nil, fmt.Errorf("close %s: %w", day, err)
	}
	if now.Before(from) {
		return nil, fmt.Errorf("close %s: the business day has not begun (it starts %s)", day, from.Format(time.DateTime))
	}
	_, end := Day(date, b.opt.CutoffHour, b.opt.Location)
	if now.Before(end) {
		end = now
	}
	if err := b.settleOpen(ctx, from, end); err != nil {
		return nil, fmt.Errorf("close %s: %w", day, err)
	}
	r, err := b.build(ctx, date, end, cash)
	if err != nil {
		return nil, err // build says which day
	}
	if err := uncounted(r.Cash); err != nil {
		return nil, fmt.Errorf("close %s: %w", day, err)
	}
	r.ClosedBy, r.ClosedAt = by, now
	body, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("close %s: %w", day, err)
	}
	z := &ZReport{Day: day, From: r.From, To: r.To, ClosedAt: now, ClosedBy: by, Report: body}
	if err := b.j.CloseDay(z, append(slices.Clone(r.Mismatches), openAtClose(r)...)); err != nil {
		return nil, fmt.Errorf("close %s: %w", day, err)
	}
	r.Number = z.Number
	for i := range r.Mismatches {
		r.Mismatches[i].Z = z.Number
	}
	if err := b.e.Audit(by, "closed day", "", fmt.Sprintf("Z-report %d for %s", z.Number, day)); err != nil {
		return r, fmt.Errorf("close %s: closed as Z-report %d, but the audit entry was not written: %w", day, z.Number, err)
	}
	if b.opt.AfterClose != nil {
		note, err := b.opt.AfterClose(z.Number)
		if err != nil {
			note = "WARNING: " + err.Error()
		}
		if note != "" {
			r.AfterClose = append(r.AfterClose, note)
		}
	}
	return r, nil
}

// settleOpen asks about the period's open sales by reference first, as
// start-up recovery does (a status look-up, never a purchase), so the
// Z-report counts every sale whose outcome can be known. A provider that
// cannot answer leaves its sale open; it is carried.
func (b *Books) settleOpen(ctx context.Context, from, end time.Time) error {
	sales, err := b.j.Summaries(from, end)
	if err != nil {
		return fmt.Errorf("read the journal: %w", err)
	}
	for _, s := range sales {
		if s.State.Open() {
			_, _ = b.e.Settle(ctx, s.Ref) // an answer is journaled by the engine; no answer keeps it open
		}
	}
	return nil
}

// openAtClose turns the sales still open at the close into carried items:
// whatever they become, no Z-report counts them.
func openAtClose(r *Report) []Mismatch {
	var out []Mismatch
	for _, s := range r.NotCounted {
		if !s.State.Open() {
			continue
		}
		out = append(out, Mismatch{Kind: OpenAtClose, Provider: s.Provider, Ref: s.Ref, Day: r.Day,
			Product: s.Product, JournalState: s.State, At: s.Created,
			Detail: fmt.Sprintf("%s (%s) when the day was closed: not counted in any Z-report", s.State, s.Retail)})
	}
	return out
}

// load reads a closed day back: the report exactly as written, its number,
// and the notes added since.
func (b *Books) load(z *ZReport) (*Report, error) {
	r := new(Report)
	if err := json.Unmarshal(z.Report, r); err != nil {
		return nil, fmt.Errorf("Z-report %d of %s: unreadable: %w", z.Number, z.Day, err)
	}
	r.Number = z.Number
	notes, err := b.j.ZNotes(z.Number)
	if err != nil {
		return nil, fmt.Errorf("Z-report %d notes: %w", z.Number, err)
	}
	r.Notes = notes
	return r, nil
}

// keepPINs stores at once, sealed, the mismatches that carry a provider's
// PINs: a customer who paid for a PIN the provider issued must be able to
// get it even if the day is never closed.
func (b *Books) keepPINs(r *Report) error {
	for _, m := range r.Mismatches {
		if len(m.Vouchers) > 0 {
			if err := b.j.KeepMismatch(m); err != nil {
				return fmt.Errorf("keep the provider's PINs for %s: %w", m.Ref, err)
			}
		}
	}
	return nil
}

// Vouchers returns the provider's PINs of a mismatch, from the journal
// where they are kept sealed (a Z-report holds only masked PINs).
func (b *Books) Vouchers(m Mismatch) ([]providers.Voucher, error) {
	if len(m.Vouchers) > 0 {
		return m.Vouchers, nil
	}
	stored, err := b.j.GetMismatch(m.Ref, m.Provider)
	if err != nil || stored == nil {
		return nil, err
	}
	if stored.VoucherErr != "" {
		return nil, errors.New(stored.VoucherErr)
	}
	return stored.Vouchers, nil
}

// withStored adds to a live report what the journal keeps about
// mismatches: settlements already made for this day's, and the open ones
// of earlier closed days (an open sale among them shows its state now).
func (b *Books) withStored(r *Report) error {
	stored, err := b.j.Mismatches()
	if err != nil {
		return fmt.Errorf("read stored mismatches: %w", err)
	}
	here := map[string]int{}
	for i, m := range r.Mismatches {
		here[string(m.Key())] = i
	}
	for _, m := range stored {
		if i, ok := here[string(m.Key())]; ok {
			r.Mismatches[i].Settled = m.Settled
			continue
		}
		if m.Settled != nil || m.Z == 0 || m.Day >= r.Day {
			continue
		}
		if m.Kind == OpenAtClose {
			if s, err := b.e.Sale(m.Ref); err == nil && s.State != m.JournalState {
				m.Detail = fmt.Sprintf("%s when %s was closed; %s now", m.JournalState, m.Day, s.State)
			}
		}
		m.Vouchers, m.VoucherErr = nil, "" // the PINs stay sealed in the journal
		r.Carried = append(r.Carried, m)
	}
	sortMismatches(r.Carried)
	return nil
}

// Settle records a supervisor's decision on a mismatch of the report (its
// own or a carried one), found by reference; provider may be empty unless
// two providers disagree about the same reference. A settled mismatch is
// no longer carried; a closed day keeps its Z-report and gets a note.
func (b *Books) Settle(r *Report, ref, provider, reason, by string) (*Mismatch, error) {
	if strings.TrimSpace(reason) == "" || strings.TrimSpace(by) == "" {
		return nil, errors.New("settle: give the reason and who settles it")
	}
	var found []Mismatch
	for _, m := range append(append([]Mismatch(nil), r.Mismatches...), r.Carried...) {
		if m.Ref == ref && (provider == "" || m.Provider == provider) {
			found = append(found, m)
		}
	}
	switch {
	case len(found) == 0:
		return nil, fmt.Errorf("settle: the report of %s has no mismatch for %s", r.Day, ref)
	case len(found) > 1:
		return nil, fmt.Errorf("settle: %s has mismatches with several providers; say which one", ref)
	}
	m := found[0]
	note := fmt.Sprintf("mismatch %s (%s, %s) settled: %s", m.Ref, m.Provider, m.Kind, reason)
	out, err := b.j.SettleMismatch(m, Settlement{By: by, At: b.opt.Now(), Reason: reason}, note)
	if err != nil {
		return nil, fmt.Errorf("settle %s: %w", ref, err)
	}
	if err := b.e.Audit(by, "settled mismatch", ref, string(m.Kind)+" ("+m.Provider+"): "+reason); err != nil {
		return out, fmt.Errorf("settle %s: settled, but the audit entry was not written: %w", ref, err)
	}
	return out, nil
}

// Annotate adds a note to a closed day. The Z-report itself never changes.
func (b *Books) Annotate(date time.Time, by, text string) (ZNote, error) {
	day := date.Format(DateLayout)
	z, err := b.j.ZReportOfDay(day)
	if err != nil {
		return ZNote{}, fmt.Errorf("annotate %s: %w", day, err)
	}
	if z == nil {
		return ZNote{}, fmt.Errorf("annotate %s: the day is not closed; only a closed day takes notes", day)
	}
	note, err := b.j.AddZNote(z.Number, strings.TrimSpace(by), strings.TrimSpace(text))
	if err != nil {
		return ZNote{}, fmt.Errorf("annotate %s: %w", day, err)
	}
	return note, nil
}
