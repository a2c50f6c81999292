package eod_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"kiosk/eod"
	"kiosk/sale"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
)

// middayCutoff picks a cut-off twelve hours from the rig's now, so the
// sales a test makes now cannot straddle two business days.
func (r *rig) middayCutoff() (int, time.Time) {
	now := r.now().UTC()
	cutoff := (now.Hour() + 12) % 24
	return cutoff, eod.DayOf(now, cutoff, time.UTC)
}

// TestReportShowsExactlyTheSeededDiscrepancies sells through the engine on
// the sandboxes, seeds one discrepancy of each kind, and checks that the
// report, its text and its CSV show exactly those.
func TestReportShowsExactlyTheSeededDiscrepancies(t *testing.T) {
	r := newRig(t)
	cutoff, day := r.middayCutoff()
	player := map[string]string{"PlayerID": "5123456789"}

	good := r.sell("bitaqaty", "2862", nil, "")
	refused := r.sell("bitaqaty", "2862", nil, sandboxkit.FaultOutOfStock)
	// Amount: the journal confirmed another cost than the provider charged.
	amt := r.sell("bitaqaty", "2862", nil, "")
	wrongCost, _ := amt.Quote.Cost.Add(sar("1.25"))
	if _, err := r.j.Update(amt.Ref, func(s *sale.Sale) error { s.Quote.Cost = wrongCost; return nil }); err != nil {
		t.Fatal(err)
	}
	// Sold here, never bought: unknown to the provider.
	unknown := r.journal("bitaqaty", "2862", sar("57.50"), sar("52.90"), sale.Succeeded)
	// Charged by the provider, failed here.
	failedHere := r.journal("bitaqaty", "2862", sar("57.50"), sar("52.90"), sale.Failed)
	if err := r.set.Bitaqaty.AddRecord(failedHere.Ref, "2862", r.now()); err != nil {
		t.Fatal(err)
	}
	// Charged by the provider, missing here altogether.
	const stranger = "0019999900000001"
	if err := r.set.Bitaqaty.AddRecord(stranger, "2862", r.now()); err != nil {
		t.Fatal(err)
	}
	pending := r.sell("alqimah", "game-pubg_120", player, "pending=5")
	qimah := r.sell("alqimah", "game-pubg_120", player, "")
	card := r.sell("mor", "6", map[string]string{"quantity": "1"}, "")
	gift := r.sell("dtone", "fvv-112", nil, "")
	topup := r.sellAmount("india", "prepaid-1", "100", map[string]string{"mobile_no": "9812345678", "circle": "5"}, "")
	for _, s := range []*sale.Sale{good, amt, qimah, card, gift, topup} {
		if s.State != sale.Succeeded {
			t.Fatalf("%s sale %s: %s (%s)", s.Provider, s.Ref, s.State, s.Message)
		}
	}
	if pending.State != sale.Pending || refused.State != sale.Failed {
		t.Fatalf("pending sale %s, refused sale %s", pending.State, refused.State)
	}

	sales, _ := r.e.Recent(1000, time.Time{})
	expected := money.Totals{}
	for _, s := range sales {
		if s.State == sale.Succeeded {
			expected.Add(s.Quote.Retail)
		}
	}
	counted := money.New(expected["SAR"].Add(money.MustParse("100")).Sub(money.MustParse("10")), "SAR")
	rep, err := r.books(cutoff).Report(context.Background(), day, eod.CashCount{Float: []money.Money{sar("100")}, Counted: []money.Money{counted}})
	if err != nil {
		t.Fatal(err)
	}

	type row struct {
		kind eod.MismatchKind
		ref  string
	}
	var got []row
	for _, m := range rep.Mismatches {
		got = append(got, row{m.Kind, m.Ref})
	}
	want := []row{
		{eod.AmountDiffers, amt.Ref},
		{eod.ChargedNotSold, failedHere.Ref},
		{eod.ChargedNotSold, stranger},
		{eod.UnknownToProvider, unknown.Ref},
	}
	sort.Slice(got, func(i, j int) bool { return got[i].ref < got[j].ref })
	sort.Slice(want, func(i, j int) bool { return want[i].ref < want[j].ref })
	if !equalRows(got, want) {
		t.Fatalf("mismatches:\n got  %v\n want %v\n%s", got, want, rep.Text(eod.ReceiptWidth))
	}
	for _, m := range rep.Mismatches {
		switch m.Kind {
		case eod.ChargedNotSold:
			if m.Serial == "" || m.PINMasked == "" || len(m.Vouchers) != 1 || m.Vouchers[0].PIN == "" {
				t.Errorf("%s: charged sale without serial or PIN: %+v", m.Ref, m)
			}
		case eod.AmountDiffers:
			if !m.Cost.Equal(wrongCost) || !m.Charged.Equal(amt.Quote.Cost) {
				t.Errorf("amounts: cost %s charged %s", m.Cost, m.Charged)
			}
		}
	}
	// The provider's PINs are in the journal at once, sealed, before any close.
	for _, m := range rep.Mismatches {
		if m.Kind != eod.ChargedNotSold {
			continue
		}
		kept, err := r.j.GetMismatch(m.Ref, m.Provider)
		if err != nil || kept == nil || len(kept.Vouchers) != 1 || kept.Vouchers[0].PIN != m.Vouchers[0].PIN {
			t.Errorf("%s: PIN not kept in the journal: %+v %v", m.Ref, kept, err)
		}
		m.Vouchers = nil
		if vs, err := r.books(cutoff).Vouchers(m); err != nil || len(vs) != 1 || vs[0].PIN == "" {
			t.Errorf("%s: Vouchers = %+v, %v", m.Ref, vs, err)
		}
	}
	if len(rep.Carried) != 0 {
		t.Errorf("carried: %+v", rep.Carried)
	}

	var notCounted []string
	for _, s := range rep.NotCounted {
		notCounted = append(notCounted, string(s.State)+" "+s.Ref)
	}
	wantNC := []string{"failed " + refused.Ref, "failed " + failedHere.Ref, "pending " + pending.Ref}
	sort.Strings(notCounted)
	sort.Strings(wantNC)
	if strings.Join(notCounted, ",") != strings.Join(wantNC, ",") {
		t.Errorf("not counted: %v, want %v", notCounted, wantNC)
	}

	methods := map[string]string{}
	for _, c := range rep.Checks {
		methods[c.Provider] = c.Method
		if c.Error != "" {
			t.Errorf("check %s: %s", c.Provider, c.Error)
		}
	}
	if methods["bitaqaty"] != eod.ByRecords || methods["alqimah"] != eod.ByStatus || methods["dtone"] != eod.ByStatus ||
		methods["india"] != eod.ByStatus || methods["mor"] != eod.ByJournal || len(methods) != 5 {
		t.Errorf("methods: %v", methods)
	}

	sold := map[string]int{}
	for _, x := range rep.Totals {
		sold[x.Provider+" "+x.Currency] += x.Sales
		if x.Margin == nil {
			t.Errorf("%s %s: no margin", x.Provider, x.Currency)
		}
	}
	if sold["bitaqaty SAR"] != 3 || sold["alqimah YER"] != 1 || sold["dtone USD"] != 1 || sold["india INR"] != 1 ||
		sold["mor USD"] != 1 || len(rep.Totals) != 5 {
		t.Errorf("totals: %v", sold)
	}
	var sarCash *eod.CashLine
	for i := range rep.Cash {
		if rep.Cash[i].Currency == "SAR" {
			sarCash = &rep.Cash[i]
		}
	}
	if sarCash == nil || sarCash.Verdict() != "short" || sarCash.Difference.String() != "-10" ||
		sarCash.Expected.Cmp(expected["SAR"].Add(money.MustParse("100"))) != 0 {
		t.Errorf("SAR cash: %+v", sarCash)
	}

	// The text shows each mismatch once, open, with masked PINs, and no
	// sale that agrees with its provider.
	text := rep.Text(eod.ReceiptWidth)
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if n := len([]rune(line)); n > eod.ReceiptWidth {
			t.Errorf("line of %d columns: %q", n, line)
		}
	}
	if n := strings.Count(text, "\n  OPEN\n"); n != 4 {
		t.Errorf("%d open mismatches in the text, want 4", n)
	}
	for _, w := range want {
		if !strings.Contains(text, w.ref) {
			t.Errorf("text lacks %s", w.ref)
		}
	}
	for _, ref := range []string{good.Ref, qimah.Ref, card.Ref, gift.Ref, topup.Ref} {
		if strings.Contains(text, ref) {
			t.Errorf("text lists %s, which agrees with its provider", ref)
		}
	}
	if !strings.Contains(text, "SHORT") || !strings.Contains(text, "MISMATCHES (4, 4 open)") {
		t.Errorf("text:\n%s", text)
	}

	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows := csvSections(t, buf.Bytes())
	var csvRefs []string
	for _, row := range rows["mismatches"] {
		csvRefs = append(csvRefs, row[4])
	}
	sort.Strings(csvRefs)
	if len(rows["mismatches"]) != 4 || len(rows["not_counted"]) != 3 || len(rows["providers"]) != 5 || len(rows["totals"]) != 5 {
		t.Errorf("CSV rows: %d mismatches, %d not counted, %d providers, %d totals", len(rows["mismatches"]),
			len(rows["not_counted"]), len(rows["providers"]), len(rows["totals"]))
	}
	for i, w := range want {
		if i >= len(csvRefs) || csvRefs[i] != w.ref {
			t.Errorf("CSV mismatch refs %v", csvRefs)
			break
		}
	}
	var pins []string
	for _, m := range rep.Mismatches {
		for _, v := range m.Vouchers {
			pins = append(pins, v.PIN)
			if strings.Contains(buf.String(), v.PIN) || strings.Contains(text, v.PIN) {
				t.Errorf("PIN of %s printed in full", m.Ref)
			}
		}
	}

	// Closed, the Z-report holds the same four; no PIN is anywhere in
	// the journal file in the clear.
	var counts []money.Money
	for _, c := range rep.Cash {
		counts = append(counts, money.New(c.Expected, c.Currency))
	}
	z, err := r.books(cutoff).Close(context.Background(), day, eod.CashCount{Float: []money.Money{sar("100")}, Counted: counts}, "amal")
	if err != nil {
		t.Fatal(err)
	}
	if len(z.Mismatches) != 4 || len(z.NotCounted) != 3 || z.Number != 1 {
		t.Fatalf("Z-report %d: %d mismatches, %d not counted", z.Number, len(z.Mismatches), len(z.NotCounted))
	}
	raw, err := os.ReadFile(r.path)
	if err != nil {
		t.Fatal(err)
	}
	for _, pin := range pins {
		if bytes.Contains(raw, []byte(pin)) {
			t.Errorf("PIN %s in the clear in the journal file", pin)
		}
	}
}

func equalRows[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// csvSections reads the report's CSV back by section, checking that each
// section's rows have as many fields as its header.
func csvSections(t *testing.T, b []byte) map[string][][]string {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	all, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]string{}
	width := 0
	for _, row := range all {
		if row[0] == "section" {
			width = len(row)
			continue
		}
		if len(row) != width {
			t.Errorf("%s row has %d fields, header %d", row[0], len(row), width)
		}
		out[row[0]] = append(out[row[0]], row)
	}
	return out
}

// TestUnreachableProviderStillGivesTotals: with the sandboxes gone, every
// comparison says plainly it could not be made; totals and cash stand.
func TestUnreachableProviderStillGivesTotals(t *testing.T) {
	r := newRig(t)
	cutoff, day := r.middayCutoff()
	s1 := r.sell("bitaqaty", "2862", nil, "")
	s2 := r.sell("alqimah", "game-pubg_120", map[string]string{"PlayerID": "5123456789"}, "")
	r.set.Close()
	rep, err := r.books(cutoff).Report(context.Background(), day, eod.CashCount{Counted: []money.Money{s1.Quote.Retail}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Checks {
		switch c.Provider {
		case "bitaqaty", "alqimah":
			if !strings.HasPrefix(c.Error, "could not compare with "+c.Name+": ") {
				t.Errorf("%s: %q", c.Provider, c.Error)
			}
		default:
			if c.Error != "" {
				t.Errorf("%s has no sales to ask about, yet: %q", c.Provider, c.Error)
			}
		}
	}
	if len(rep.Mismatches) != 0 || len(rep.Totals) != 2 {
		t.Fatalf("mismatches %d, totals %d", len(rep.Mismatches), len(rep.Totals))
	}
	for _, c := range rep.Cash {
		want := map[string]string{"SAR": "exact", "YER": "not counted"}[c.Currency]
		if c.Verdict() != want || c.Sales.IsZero() {
			t.Errorf("cash %s: %s, sales %s", c.Currency, c.Verdict(), c.Sales)
		}
	}
	if !strings.Contains(rep.Text(eod.ReceiptWidth), "could not compare with") || s2.State != sale.Succeeded {
		t.Errorf("text:\n%s", rep.Text(eod.ReceiptWidth))
	}
}

// TestCurrenciesNeverAdded: sales in two currencies of one provider, and a
// sale charged in another currency than it was sold in, are separate rows;
// margin is only given where it means something.
func TestCurrenciesNeverAdded(t *testing.T) {
	r := newRig(t)
	r.clock.Set(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	r.journal("mor", "6", cur("5", "USD"), cur("4.5", "USD"), sale.Succeeded)
	r.journal("mor", "6", cur("10", "USD"), cur("9", "USD"), sale.Succeeded)
	r.journal("mor", "7", cur("20", "SAR"), cur("18", "SAR"), sale.Succeeded)
	r.journal("mor", "8", cur("1500", "YER"), cur("1.25", "USD"), sale.Succeeded)
	r.journal("mor", "6", cur("99", "USD"), cur("90", "USD"), sale.Failed)
	r.clock.Advance(13 * time.Hour)
	rep, err := r.books(0).Report(context.Background(), time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
		eod.CashCount{Float: []money.Money{cur("5000", "YER")}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range rep.Totals {
		m := "-"
		if x.Margin != nil {
			m = x.Margin.String()
		}
		got = append(got, strings.Join([]string{x.Currency, x.CostCurrency, x.Retail.String(), x.Cost.String(), m}, "|"))
	}
	want := []string{"SAR||20.00 SAR|18.00 SAR|2.00 SAR", "USD||15.00 USD|13.50 USD|1.50 USD", "YER|USD|1500.00 YER|1.25 USD|-"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("totals:\n got  %v\n want %v", got, want)
	}
	cash := map[string]string{}
	for _, c := range rep.Cash {
		cash[c.Currency] = c.Expected.String()
	}
	if cash["USD"] != "15" || cash["SAR"] != "20" || cash["YER"] != "6500" || len(cash) != 3 {
		t.Fatalf("cash expected: %v", cash)
	}
	if !strings.Contains(rep.Text(eod.ReceiptWidth), "n/a (currencies differ)") {
		t.Error("text does not say the margin cannot be given")
	}
}
