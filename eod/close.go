package eod

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
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
//
// Close is PrepareClose and CloseConfirmed at once, for a caller that has
// nothing to confirm (a script that gave --yes).
func (b *Books) Close(ctx context.Context, date time.Time, cash CashCount, by string) (*Report, error) {
	if strings.TrimSpace(by) == "" {
		return nil, fmt.Errorf("close %s: say who closes the day", date.Format(DateLayout))
	}
	r, err := b.PrepareClose(ctx, date, cash)
	if err != nil {
		return nil, err
	}
	return b.CloseConfirmed(r, by)
}

// ErrChanged is returned (wrapped) when the sales of a prepared close
// changed before it was confirmed.
var ErrChanged = errors.New("the day's sales changed since the close was prepared")

// PrepareClose is the Z-report a close now would write, for the
// supervisor to confirm (CashLines says what is over or short): it asks
// about the period's open sales first, as a close does, builds the report
// with the count, and refuses a count that leaves out a currency the
// drawer should hold. It writes no Z-report.
func (b *Books) PrepareClose(ctx context.Context, date time.Time, cash CashCount) (*Report, error) {
	day := date.Format(DateLayout)
	if err := b.notClosed(day); err != nil {
		return nil, fmt.Errorf("close %s: %w", day, err)
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
	r, sales, err := b.build(ctx, date, end, cash, true)
	if err != nil {
		return nil, err // build says which day
	}
	if err := uncounted(r.Cash); err != nil {
		return nil, fmt.Errorf("close %s: %w", day, err)
	}
	r.prepared, r.Blind = fingerprint(sales), false // a close shows its count in full
	return r, nil
}

// CloseConfirmed writes a report PrepareClose made, as confirmed, as the
// day's Z-report closed by by. If a sale of its period changed in the
// meantime (a pending sale settled, a slip printed), it writes nothing and
// returns ErrChanged: the close must be prepared and confirmed again.
func (b *Books) CloseConfirmed(r *Report, by string) (*Report, error) {
	day := r.Day
	switch {
	case strings.TrimSpace(by) == "":
		return nil, fmt.Errorf("close %s: say who closes the day", day)
	case r.prepared == 0 || r.Closed():
		return nil, fmt.Errorf("close %s: only a close made by PrepareClose can be confirmed", day)
	}
	if err := b.notClosed(day); err != nil {
		return nil, fmt.Errorf("close %s: %w", day, err)
	}
	sales, err := b.j.Summaries(r.From, r.To)
	if err != nil {
		return nil, fmt.Errorf("close %s: read the journal: %w", day, err)
	}
	if fingerprint(sales) != r.prepared {
		return nil, fmt.Errorf("close %s: %w: look at the report again before closing", day, ErrChanged)
	}
	now := b.opt.Now()
	z := *r // the caller's prepared report stays as it was
	z.Mismatches = slices.Clone(r.Mismatches)
	z.ClosedBy, z.ClosedAt, z.prepared = by, now, 0
	body, err := json.Marshal(&z)
	if err != nil {
		return nil, fmt.Errorf("close %s: %w", day, err)
	}
	zr := &ZReport{Day: day, From: z.From, To: z.To, ClosedAt: now, ClosedBy: by, Report: body}
	if err := b.j.CloseDay(zr, append(slices.Clone(z.Mismatches), openAtClose(&z)...)); err != nil {
		return nil, fmt.Errorf("close %s: %w", day, err)
	}
	z.Number = zr.Number
	for i := range z.Mismatches {
		z.Mismatches[i].Z = zr.Number
	}
	if err := b.e.Audit(by, "closed day", "", fmt.Sprintf("Z-report %d for %s", zr.Number, day)); err != nil {
		return &z, fmt.Errorf("close %s: closed as Z-report %d, but the audit entry was not written: %w", day, zr.Number, err)
	}
	if b.opt.AfterClose != nil {
		note, err := b.opt.AfterClose(z.Number)
		if err != nil {
			note = "WARNING: " + err.Error()
		}
		if note != "" {
			z.AfterClose = append(z.AfterClose, note)
		}
	}
	return &z, nil
}

// notClosed refuses a day that has its Z-report.
func (b *Books) notClosed(day string) error {
	z, err := b.j.ZReportOfDay(day)
	switch {
	case err != nil:
		return err
	case z != nil:
		return fmt.Errorf("%w: Z-report %d, closed by %s at %s", ErrDayClosed, z.Number, z.ClosedBy,
			z.ClosedAt.In(b.opt.Location).Format(time.DateTime))
	}
	return nil
}

// fingerprint sums up what the report of a period depends on in each of
// its sales: reference, state and prints. It is never 0.
func fingerprint(sales []SaleSummary) uint64 {
	h := fnv.New64a()
	var n [binary.MaxVarintLen64]byte
	for i := range sales {
		s := &sales[i]
		h.Write([]byte(s.Ref))
		h.Write([]byte(s.State))
		h.Write(n[:binary.PutUvarint(n[:], uint64(max(s.Prints, 0)))])
	}
	return h.Sum64() | 1
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
		m := Mismatch{Kind: OpenAtClose, Provider: s.Provider, Ref: s.Ref, Day: r.Day,
			Product: s.Product, JournalState: s.State, At: s.Created, Retail: s.Retail}
		m.explain()
		out = append(out, m)
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
			if s, err := b.e.Sale(m.Ref); err == nil {
				if m.Retail.Currency == "" {
					m.Retail = s.Quote.Retail // not kept with the stored mismatch
				}
				if s.State != m.JournalState {
					m.StateNow = s.State
					m.explain()
				}
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
