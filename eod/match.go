package eod

import (
	"fmt"
	"strings"
	"time"

	"kiosk/i18n"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
)

// matched is the outcome of matching one provider's records with the
// journal's sales of the period, by the kiosk's reference.
type matched struct {
	mismatches []Mismatch
	// noCharge holds sales that succeeded here but have no successful
	// record: unknown to the provider unless a status look-up finds them
	// (a record may sit just outside the period asked for).
	noCharge []SaleSummary
	// failedThere holds the provider's failed records for those sales.
	failedThere map[string]providers.Record
	// others counts the successful records under other terminals'
	// references (a shared account).
	others int
}

// terminalOf reads the terminal number from one of the kiosks' references
// (16 digits: terminal, run, sequence); ok is false for any other.
func terminalOf(ref string) (n int, ok bool) {
	if len(ref) != 16 {
		return 0, false
	}
	for i := 0; i < len(ref); i++ {
		if ref[i] < '0' || ref[i] > '9' {
			return 0, false
		}
	}
	n = int(ref[0]-'0')*100 + int(ref[1]-'0')*10 + int(ref[2]-'0')
	return n, n >= 1
}

// matchRecords compares a provider's records with the journal's sales of
// that provider in [from, to). It reads the journal once, for the
// references the provider charged that are not among the period's sales:
// those missing from the journal altogether were charged but never
// recorded here; those the journal has belong to another period's report.
// Open sales are left alone: they are listed as not counted, and settling
// them is the engine's job. A stranger under another terminal's number
// (terminal, when not zero, is this kiosk's) is only counted.
func matchRecords(j Store, day, provider string, sales []SaleSummary, recs []providers.Record, from, to time.Time, terminal int) (matched, error) {
	byRef := make(map[string]*providers.Record, len(recs))
	for i := range recs {
		r := &recs[i]
		// A sale has one outcome at the provider; if it lists a failed try
		// and a success under one reference, the success is what it charged.
		if old := byRef[r.Ref]; old == nil || r.State == providers.Succeeded {
			byRef[r.Ref] = r
		}
	}
	var out matched
	seen := make(map[string]bool, len(sales))
	for i := range sales {
		s := &sales[i]
		seen[s.Ref] = true
		rec := byRef[s.Ref]
		switch s.State {
		case sale.Succeeded:
			switch {
			case rec == nil || rec.State != providers.Succeeded:
				if rec != nil {
					if out.failedThere == nil {
						out.failedThere = map[string]providers.Record{}
					}
					out.failedThere[s.Ref] = *rec
				}
				out.noCharge = append(out.noCharge, *s)
			default:
				if m := amountMismatch(day, s, rec.Charged, viaRecords); m != nil {
					m.ProviderRef, m.Serial, m.At = rec.ProviderRef, rec.Serial, rec.At
					out.mismatches = append(out.mismatches, *m)
				}
			}
		case sale.Failed:
			if rec != nil && rec.State == providers.Succeeded {
				out.mismatches = append(out.mismatches, chargedNotSold(day, provider, s, rec))
			}
		}
	}
	var strangers []*providers.Record
	var refs []string
	for ref, rec := range byRef {
		if seen[ref] || rec.State != providers.Succeeded || rec.At.Before(from) || !rec.At.Before(to) {
			continue
		}
		if n, ok := terminalOf(ref); ok && terminal != 0 && n != terminal {
			out.others++
			continue
		}
		strangers = append(strangers, rec)
		refs = append(refs, ref)
	}
	if len(refs) == 0 {
		return out, nil
	}
	known, err := j.States(refs)
	if err != nil {
		return out, fmt.Errorf("look up %d references %s charged: %w", len(refs), provider, err)
	}
	for _, rec := range strangers {
		if _, ok := known[rec.Ref]; !ok {
			out.mismatches = append(out.mismatches, chargedNotSold(day, provider, nil, rec))
		}
	}
	return out, nil
}

// amountMismatch compares the cost confirmed here with what the provider
// says it charged (via: where that came from). A provider that gives no
// amount is not compared.
func amountMismatch(day string, s *SaleSummary, charged money.Money, via string) *Mismatch {
	if charged.IsZero() && charged.Currency == "" {
		return nil
	}
	if charged.Equal(s.Cost) {
		return nil
	}
	m := base(day, s.Provider, s)
	m.Kind, m.ProviderState, m.Charged, m.Via = AmountDiffers, providers.Succeeded, charged, via
	m.explain()
	return &m
}

// chargedNotSold describes a sale the provider charged that failed here
// (s set) or that the journal does not have (s nil).
func chargedNotSold(day, provider string, s *SaleSummary, rec *providers.Record) Mismatch {
	m := base(day, provider, s)
	m.Kind, m.ProviderState, m.Charged = ChargedNotSold, providers.Succeeded, rec.Charged
	m.ProviderRef, m.Serial, m.At = rec.ProviderRef, rec.Serial, rec.At
	if s == nil {
		m.Ref, m.ProductID, m.Product = rec.Ref, rec.ProductID, rec.ProductName
	}
	m.explain()
	return m
}

// explain writes the mismatch's Detail, in English, from its fields.
func (m *Mismatch) explain() { m.Detail = wordsIn(i18n.EN).detail(m) }

func base(day, provider string, s *SaleSummary) Mismatch {
	m := Mismatch{Provider: provider, Day: day}
	if s != nil {
		m.Ref, m.ProductID, m.Product, m.JournalState, m.Cost = s.Ref, s.ProductID, s.ProductName, s.State, s.Cost
	}
	return m
}

// withVouchers adds what a status look-up returned for a charged sale:
// the PINs (sealed when stored) and, where the records had none, the
// serial and the provider's reference.
func withVouchers(m *Mismatch, res providers.Result) {
	m.Vouchers = res.Vouchers
	var pins []string
	for _, v := range res.Vouchers {
		if v.PIN != "" {
			pins = append(pins, sale.Mask(v.PIN))
		}
		if m.Serial == "" {
			m.Serial = v.Serial
		}
	}
	m.PINMasked = strings.Join(pins, " ")
	if m.ProviderRef == "" {
		m.ProviderRef = res.ProviderRef
	}
	if m.Charged.IsZero() {
		m.Charged = res.Charged
	}
}
