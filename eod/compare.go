package eod

import (
	"context"
	"sort"
	"sync"

	"kiosk/i18n"
	"kiosk/providers"
	"kiosk/sale"
)

// How a provider was compared.
const (
	ByRecords = "records" // the provider lists what it charged in the period
	ByStatus  = "status"  // the provider is asked about each sale by its reference
	ByJournal = "journal" // the provider cannot be asked: the journal alone
)

// Check says how one provider was compared, and whether it could be.
type Check struct {
	Provider string `json:"provider"`
	Name     string `json:"name"`
	Method   string `json:"method"`
	Sales    int    `json:"sales"`               // journal sales of the provider in the period
	Records  int    `json:"records,omitempty"`   // records the provider listed
	LookedUp int    `json:"looked_up,omitempty"` // sales asked about by reference (final ones)
	// OtherTerminals counts the records of the period made under other
	// terminals' references: the account is shared, and they are theirs.
	OtherTerminals int `json:"other_terminals,omitempty"`
	// Error is set when the comparison could not be made, or only in part;
	// the journal's totals and the cash count do not depend on it.
	Error string `json:"error,omitempty"`
	// Failure says which (unreachable, partial, gone), Failed how many
	// look-ups failed and Reason the provider's answer, so SummaryIn can
	// say it in another language.
	Failure string `json:"failure,omitempty"`
	Failed  int    `json:"failed,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// fail records why the check could not be made, and says it in English.
func (c *Check) fail(failure, reason string) {
	c.Failure, c.Reason = failure, reason
	c.Error = wordsIn(i18n.EN).checkError(*c)
}

// compare asks every configured provider about the period and adds the
// checks and mismatches to r. A provider that cannot be reached only marks
// its own check; the rest of the report stands.
func (b *Books) compare(ctx context.Context, r *Report, sales []SaleSummary) error {
	// Counts only: each check takes its provider's sales from the day's
	// list itself, and copying ten thousand summaries into per-provider
	// lists was a fifth of the report's time.
	byProvider := map[string]int{}
	for i := range sales {
		byProvider[sales[i].Provider]++
	}
	for _, p := range b.e.Providers() {
		id := p.Info().ID
		c := Check{Provider: id, Name: p.Info().Name, Sales: byProvider[id]}
		delete(byProvider, id)
		var ms []Mismatch
		var err error
		rec, isRec := p.(providers.Reconciler)
		sc, _ := p.(providers.StatusChecker)
		switch {
		case isRec:
			c.Method = ByRecords
			ms, err = b.byRecords(ctx, r, &c, rec, sc, sales)
		case sc != nil:
			c.Method = ByStatus
			ms, err = b.byStatus(ctx, r, &c, sc, sales)
		default:
			c.Method = ByJournal
			ms = byJournal(r.Day, id, sales)
		}
		if err != nil {
			return err
		}
		r.Checks = append(r.Checks, c)
		r.Mismatches = append(r.Mismatches, ms...)
	}
	var gone []string
	for id := range byProvider {
		gone = append(gone, id)
	}
	sort.Strings(gone)
	for _, id := range gone {
		c := Check{Provider: id, Name: id, Method: ByJournal, Sales: byProvider[id]}
		c.fail(failGone, "")
		r.Checks = append(r.Checks, c)
	}
	sortMismatches(r.Mismatches)
	return nil
}

func sortMismatches(ms []Mismatch) {
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Ref < b.Ref
	})
}

// byRecords compares with the provider's records. Sales with no charge in
// them are confirmed by status look-up where the provider has one, and the
// PINs of charged sales not handed over here are fetched the same way.
// Only a failed records call makes the check fail: the error it returns is
// the journal's.
func (b *Books) byRecords(ctx context.Context, r *Report, c *Check, rec providers.Reconciler, sc providers.StatusChecker, all []SaleSummary) ([]Mismatch, error) {
	sales := only(c.Provider, all)
	// Records cannot lie in the future, and an API may refuse a period that
	// does: today's report asks up to now. A charge recorded there a moment
	// later is still found by the status look-up below.
	end := r.To.Add(b.opt.Slack)
	if now := b.opt.Now(); now.Before(end) {
		end = now
	}
	var recs []providers.Record
	var err error
	if start := r.From.Add(-b.opt.Slack); start.Before(end) {
		cctx, cancel := context.WithTimeout(ctx, b.opt.Timeout)
		recs, err = rec.Records(cctx, start, end)
		cancel()
	}
	if err != nil {
		c.fail(failUnreachable, providers.ClerkMessage(err))
		return nil, nil
	}
	c.Records = len(recs)
	m, err := matchRecords(b.j, r.Day, c.Provider, sales, recs, r.From, r.To, b.opt.Terminal)
	if err != nil {
		return nil, err
	}
	c.OtherTerminals = m.others
	out := m.mismatches
	var refs []providers.SaleRef
	if sc != nil {
		for _, s := range m.noCharge {
			refs = append(refs, providers.SaleRef{Ref: s.Ref, Product: b.product(s), Prepared: s.Created})
		}
	}
	results, errs := b.statusAll(ctx, sc, refs)
	for i, s := range m.noCharge {
		if i < len(results) && errs[i] == nil {
			res := results[i]
			if res.State == providers.Succeeded {
				if mm := amountMismatch(r.Day, &s, res.Charged, viaStatus); mm != nil {
					mm.ProviderRef = res.ProviderRef
					out = append(out, *mm)
				}
				continue
			}
		}
		mm := base(r.Day, c.Provider, &s)
		mm.Kind, mm.Via = UnknownToProvider, viaRecords
		if f, ok := m.failedThere[s.Ref]; ok {
			mm.ProviderState, mm.ProviderRef = f.State, f.ProviderRef
		}
		if i < len(errs) && errs[i] != nil {
			mm.LookupErr = providers.ClerkMessage(errs[i])
		}
		mm.explain()
		out = append(out, mm)
	}
	b.fetchPINs(ctx, sc, out)
	return out, nil
}

// fetchPINs asks by reference for the PINs of sales the provider charged
// but this kiosk did not hand over, so the mismatch carries what the
// customer (or the provider's refund desk) needs. A failed look-up leaves
// the serial from the records.
func (b *Books) fetchPINs(ctx context.Context, sc providers.StatusChecker, ms []Mismatch) {
	var idx []int
	var refs []providers.SaleRef
	for i, m := range ms {
		if m.Kind == ChargedNotSold && len(m.Vouchers) == 0 {
			idx = append(idx, i)
			refs = append(refs, b.saleRef(m))
		}
	}
	results, errs := b.statusAll(ctx, sc, refs)
	for k, i := range idx {
		if k < len(results) && errs[k] == nil && results[k].State == providers.Succeeded {
			withVouchers(&ms[i], results[k])
		}
	}
}

// byStatus asks about every final sale by its reference. The first
// look-up is made alone: if the provider cannot be reached, the check says
// so once instead of timing out for every sale.
func (b *Books) byStatus(ctx context.Context, r *Report, c *Check, sc providers.StatusChecker, all []SaleSummary) ([]Mismatch, error) {
	var sales []SaleSummary
	var refs []providers.SaleRef
	for _, s := range only(c.Provider, all) {
		if s.State == sale.Succeeded || s.State == sale.Failed {
			sales = append(sales, s)
			refs = append(refs, providers.SaleRef{Ref: s.Ref, Product: b.product(s), Prepared: s.Created})
		}
	}
	c.LookedUp = len(refs)
	if len(refs) == 0 {
		return nil, nil
	}
	first, ferr := b.statusAll(ctx, sc, refs[:1])
	if ferr[0] != nil {
		c.fail(failUnreachable, providers.ClerkMessage(ferr[0]))
		return nil, nil
	}
	rest, errs := b.statusAll(ctx, sc, refs[1:])
	results, errs := append(first, rest...), append(ferr, errs...)
	var out []Mismatch
	failed, reason := 0, ""
	for i := range sales {
		s, res := &sales[i], results[i]
		if errs[i] != nil {
			if failed++; failed == 1 {
				reason = providers.ClerkMessage(errs[i])
			}
			continue
		}
		switch {
		case s.State == sale.Succeeded && res.State == providers.Succeeded:
			if m := amountMismatch(r.Day, s, res.Charged, viaStatus); m != nil {
				m.ProviderRef = res.ProviderRef
				out = append(out, *m)
			}
		case s.State == sale.Succeeded && (res.State == providers.NotFound || res.State == providers.Failed):
			m := base(r.Day, c.Provider, s)
			m.Kind, m.ProviderState, m.ProviderRef, m.Via = UnknownToProvider, res.State, res.ProviderRef, viaStatus
			m.explain()
			out = append(out, m)
		case s.State == sale.Failed && res.State == providers.Succeeded:
			m := chargedNotSold(r.Day, c.Provider, s, &providers.Record{Ref: s.Ref, Charged: res.Charged, ProviderRef: res.ProviderRef, At: res.At})
			withVouchers(&m, res)
			out = append(out, m)
		}
	}
	if failed > 0 {
		c.Failed = failed
		c.fail(failPartial, reason)
	}
	return out, nil
}

// byJournal is all that can be done for a provider with neither records
// nor status look-up: compare the amount its purchase answer charged with
// the cost confirmed before buying.
func byJournal(day, provider string, all []SaleSummary) []Mismatch {
	var out []Mismatch
	for _, s := range only(provider, all) {
		if s.State == sale.Succeeded {
			if m := amountMismatch(day, &s, s.Charged, viaPurchase); m != nil {
				out = append(out, *m)
			}
		}
	}
	return out
}

func only(provider string, sales []SaleSummary) []SaleSummary {
	n := 0
	for _, s := range sales {
		if s.Provider == provider {
			n++
		}
	}
	out := make([]SaleSummary, 0, n) // counted first: a day is thousands of sales
	for _, s := range sales {
		if s.Provider == provider {
			out = append(out, s)
		}
	}
	return out
}

// product reads the sale's product copy, which some providers need for a
// status look-up (DT One's product type, Al-Qimah's network). The summary
// does not carry it, and only the few sales looked up need it.
func (b *Books) product(s SaleSummary) providers.Product {
	if full, err := b.e.Sale(s.Ref); err == nil {
		return full.Product
	}
	return providers.Product{Provider: s.Provider, ID: s.ProductID, Name: s.ProductName}
}

func (b *Books) saleRef(m Mismatch) providers.SaleRef {
	if m.JournalState != "" {
		if full, err := b.e.Sale(m.Ref); err == nil {
			return providers.SaleRef{Ref: m.Ref, Product: full.Product, Prepared: full.Created}
		}
	}
	return providers.SaleRef{Ref: m.Ref, Product: providers.Product{Provider: m.Provider, ID: m.ProductID, Name: m.Product}}
}

// statusAll looks up refs, Parallel at a time, each within Timeout. With
// no status checker it returns nothing.
func (b *Books) statusAll(ctx context.Context, sc providers.StatusChecker, refs []providers.SaleRef) ([]providers.Result, []error) {
	if sc == nil || len(refs) == 0 {
		return nil, nil
	}
	results, errs := make([]providers.Result, len(refs)), make([]error, len(refs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, b.opt.Parallel)
	for i := range refs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			cctx, cancel := context.WithTimeout(ctx, b.opt.Timeout)
			defer cancel()
			results[i], errs[i] = sc.Status(cctx, refs[i])
		}()
	}
	wg.Wait()
	return results, errs
}
