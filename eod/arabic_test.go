package eod_test

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode"

	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
)

// everyPart is a report with every part the text can show: a closed day
// with its notes, checks that failed each way, a mismatch of every kind
// and variant (carried ones among them), and counted and uncounted cash.
func everyPart() *eod.Report {
	t0 := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	counted, diff := money.MustParse("90"), money.MustParse("-10")
	m := func(kind eod.MismatchKind, via string, ps providers.State, js sale.State, edit func(*eod.Mismatch)) eod.Mismatch {
		x := eod.Mismatch{Kind: kind, Provider: "bitaqaty", Ref: "0011234560000001", Day: "2026-11-24", Product: "iTunes Gift Card 50 SAR",
			JournalState: js, ProviderState: ps, Via: via, Cost: sar("48.50"), Charged: sar("49.00"), Serial: "S123",
			PINMasked: "••••1234", Detail: "English detail"}
		if edit != nil {
			edit(&x)
		}
		return x
	}
	ms := []eod.Mismatch{
		m(eod.UnknownToProvider, "records", "", sale.Succeeded, nil),
		m(eod.UnknownToProvider, "records", providers.Failed, sale.Succeeded, func(x *eod.Mismatch) { x.LookupErr = "timeout" }),
		m(eod.UnknownToProvider, "status", providers.Failed, sale.Succeeded, nil),
		m(eod.UnknownToProvider, "status", providers.NotFound, sale.Succeeded, nil),
		m(eod.AmountDiffers, "records", providers.Succeeded, sale.Succeeded, nil),
		m(eod.AmountDiffers, "purchase", providers.Succeeded, sale.Succeeded, func(x *eod.Mismatch) { x.Charged = cur("13", "USD") }),
		m(eod.AmountDiffers, "", providers.Succeeded, sale.Succeeded, nil),
		m(eod.ChargedNotSold, "", providers.Succeeded, "", nil),
		m(eod.ChargedNotSold, "", providers.Succeeded, sale.Failed, func(x *eod.Mismatch) {
			x.Settled = &eod.Settlement{By: "huda", At: t0, Reason: "refunded by Bitaqaty"}
		}),
	}
	carried := []eod.Mismatch{
		m(eod.OpenAtClose, "", "", sale.InDoubt, func(x *eod.Mismatch) { x.Day, x.Retail = "2026-11-23", sar("51.00") }),
		m(eod.OpenAtClose, "", "", sale.Pending, func(x *eod.Mismatch) { x.Day, x.StateNow = "2026-11-23", sale.Succeeded }),
		m(eod.OpenAtClose, "", "", sale.NeedsReview, func(x *eod.Mismatch) { x.Day = "2026-11-22" }),
	}
	margin := sar("10.50")
	figs := eod.Figures{Currency: "SAR", Sales: 3, Retail: sar("160.00"), Fee: sar("2.00"), FeeVAT: sar("0.26"),
		VAT: sar("7.93"), Cost: sar("147.50"), CostVAT: sar("7.20"), Margin: &margin}
	owed := sar("0.99")
	figs.VATOwed = &owed
	odd := eod.Figures{Currency: "YER", CostCurrency: "USD", Sales: 1, Retail: cur("1500", "YER"), Cost: cur("1.25", "USD"),
		VAT: cur("0", "YER")}
	return &eod.Report{
		Day: "2026-11-24", CutoffHour: 4, Zone: "Asia/Aden", From: t0.Add(-5 * time.Hour), To: t0.Add(19 * time.Hour),
		Generated: t0, Number: 7, ClosedBy: "amal", ClosedAt: t0.Add(12 * time.Hour),
		Totals: []eod.Total{{Provider: "bitaqaty", Name: "Bitaqaty Business", Currency: "SAR", Sales: 3, Retail: figs.Retail,
			Fee: figs.Fee, FeeVAT: figs.FeeVAT, VAT: figs.VAT, Cost: figs.Cost, CostVAT: figs.CostVAT, VATOwed: figs.VATOwed,
			Margin: figs.Margin},
			{Provider: "mor", Name: "MOR calling cards", Currency: "YER", CostCurrency: "USD", Sales: 1, Retail: odd.Retail,
				Cost: odd.Cost, VAT: odd.VAT}},
		Clerks:   []eod.Line{{Clerk: "amal", Figures: figs}, {Figures: odd}},
		Brands:   []eod.Line{{Brand: "iTunes", Figures: figs}, {Figures: odd}},
		Products: []eod.Line{{Provider: "bitaqaty", ProviderName: "Bitaqaty Business", ProductID: "2862", Product: "iTunes Gift Card 50 SAR", Figures: figs}},
		Counts:   &eod.Counts{Sales: 6, Succeeded: 4, Failed: 1, Open: 1, Reprinted: 1, Reprints: 2, NotSoldSlips: 1},
		NotCounted: []eod.SaleLine{{Ref: "0011234560000009", Provider: "bitaqaty", Product: "iTunes Gift Card 50 SAR", State: sale.Failed,
			Retail: sar("53.35"), Created: t0}},
		Checks: []eod.Check{
			{Provider: "bitaqaty", Name: "Bitaqaty Business", Method: eod.ByRecords, Sales: 4, Records: 3},
			{Provider: "alqimah", Name: "Al-Qimah", Method: eod.ByStatus, Sales: 2, LookedUp: 2},
			{Provider: "dtone", Name: "DT One", Method: eod.ByStatus, Sales: 3, LookedUp: 3, Failed: 1, Failure: "partial",
				Reason: "timeout", Error: "English error"},
			{Provider: "india", Name: "India mobile recharge", Method: eod.ByStatus, Sales: 1, LookedUp: 1,
				Failure: "unreachable", Reason: "timeout", Error: "English error"},
			{Provider: "gone", Name: "gone", Method: eod.ByJournal, Sales: 1, Failure: "gone", Error: "English error"},
			{Provider: "mor", Name: "MOR calling cards", Method: eod.ByJournal, Sales: 2},
			{Provider: "idle", Name: "Idle", Method: eod.ByStatus},
		},
		Mismatches: ms, Carried: carried,
		Cash: []eod.CashLine{{Currency: "SAR", Float: money.MustParse("100"), Sales: money.MustParse("162"),
			Expected: money.MustParse("100"), Counted: &counted, Difference: &diff}, {Currency: "YER", Sales: money.MustParse("1500"),
			Expected: money.MustParse("1500")}},
		Notes: []eod.ZNote{{Z: 7, Seq: 1, At: t0.Add(13 * time.Hour), By: "huda", Text: "الدرج أعيد عده"}},
	}
}

// englishLabels are the English texts of the report that are words, not
// formats: none of them may appear in another language's report.
func englishLabels() []string {
	var out []string
	for _, k := range i18n.Keys(i18n.EN) {
		v := i18n.T(i18n.EN, k)
		letters := strings.IndexFunc(v, unicode.IsLetter) >= 0 && len(strings.TrimFunc(v, func(r rune) bool { return !unicode.IsLetter(r) })) >= 4
		if strings.HasPrefix(k, "eod.") && !strings.Contains(v, "%") && letters {
			out = append(out, v)
		}
	}
	return out
}

// TestArabicReportIsWhole: the Arabic report, on screen, printed and as
// CSV, has no English of its own and no untranslated key; every mismatch
// and check is explained in Arabic.
func TestArabicReportIsWhole(t *testing.T) {
	closed := everyPart()
	live := everyPart()
	live.Number, live.ClosedBy, live.ClosedAt, live.Notes = 0, "", time.Time{}, nil
	x := everyPart()
	x.Number, x.X = 0, true
	blind := everyPart()
	blind.Number, blind.Blind = 0, true
	labels := englishLabels()
	if len(labels) < 40 {
		t.Fatalf("only %d English labels found", len(labels))
	}
	for name, rep := range map[string]*eod.Report{"Z-report": closed, "live": live, "X-report": x, "blind": blind} {
		t.Run(name, func(t *testing.T) {
			var csv bytes.Buffer
			if err := rep.WriteCSVIn(&csv, i18n.AR); err != nil {
				t.Fatal(err)
			}
			var headers []string
			for _, line := range strings.Split(csv.String(), "\n") {
				if first, _, _ := strings.Cut(line, ","); strings.HasSuffix(first, "القسم") {
					headers = append(headers, line)
				}
			}
			if len(headers) != 11 {
				t.Errorf("%d Arabic CSV headers:\n%s", len(headers), csv.String())
			}
			for _, out := range []string{rep.TextWith(eod.TextOptions{Width: 80, Lang: i18n.AR}), strings.Join(headers, "\n")} {
				for _, bad := range append([]string{"eod.", "%!", "English"}, labels...) {
					if strings.Contains(out, bad) || strings.Contains(out, strings.ToUpper(bad)) {
						t.Errorf("Arabic report has %q:\n%s", bad, out)
					}
				}
			}
		})
	}
	for _, m := range append(closed.Mismatches, closed.Carried...) {
		en, ar := m.DetailIn(i18n.EN), m.DetailIn(i18n.AR)
		if en != "English detail" || !i18n.HasRTL(ar) || strings.Contains(ar, "%!") {
			t.Errorf("%s via %q: English %q, Arabic %q", m.Kind, m.Via, en, ar)
		}
	}
}

// TestEnglishDetailsFromTheCatalogue: the English the books write into a
// mismatch (kept in Z-reports) is the catalogue's, word for word as the
// report always wrote it.
func TestEnglishDetailsFromTheCatalogue(t *testing.T) {
	tests := []struct {
		m    eod.Mismatch
		want string
	}{
		{eod.Mismatch{Kind: eod.UnknownToProvider, Via: "records"}, "sold here, but not in the provider's records"},
		{eod.Mismatch{Kind: eod.UnknownToProvider, Via: "records", ProviderState: providers.Failed, LookupErr: "no answer"},
			"sold here, but the provider records it as failed (status look-up failed: no answer)"},
		{eod.Mismatch{Kind: eod.UnknownToProvider, Via: "status", ProviderState: providers.NotFound},
			"sold here, but the provider has no sale under this reference"},
		{eod.Mismatch{Kind: eod.UnknownToProvider, Via: "status", ProviderState: providers.Failed},
			"sold here, but the provider reports it as failed"},
		{eod.Mismatch{Kind: eod.AmountDiffers, Via: "records", Cost: sar("52.90"), Charged: sar("48.50")},
			"cost here 52.90 SAR, charged 48.50 SAR, difference -4.40 SAR (from the provider's records)"},
		{eod.Mismatch{Kind: eod.AmountDiffers, Via: "purchase", Cost: sar("52.90"), Charged: cur("13", "USD")},
			"cost here 52.90 SAR, charged 13.00 USD: different currencies (from the purchase answer)"},
		{eod.Mismatch{Kind: eod.ChargedNotSold}, "charged by the provider, missing from the journal"},
		{eod.Mismatch{Kind: eod.ChargedNotSold, JournalState: sale.Failed}, "charged by the provider, failed here: the customer did not get it"},
		{eod.Mismatch{Kind: eod.OpenAtClose, JournalState: sale.InDoubt, Retail: sar("51")},
			"in_doubt (51.00 SAR) when the day was closed: not counted in any Z-report"},
		{eod.Mismatch{Kind: eod.OpenAtClose, JournalState: sale.Pending, Day: "2026-11-23", StateNow: sale.Succeeded},
			"pending when 2026-11-23 was closed; succeeded now"},
	}
	for _, tt := range tests {
		if got := tt.m.DetailIn(i18n.EN); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.m.Kind, got, tt.want)
		}
	}
}
