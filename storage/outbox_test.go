package storage

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/money"
)

func openOutbox(t *testing.T, path string, outbox bool, clock *time.Time) *Journal {
	t.Helper()
	j, err := Open(path, Options{Terminal: 7, Sealer: mustSealer(t), Outbox: outbox, Now: func() time.Time { return *clock }})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// kinds lists the pending entries as kind:subject, in outbox order.
func kinds(t *testing.T, j *Journal) []string {
	t.Helper()
	items, err := j.OutboxPending(1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		switch {
		case it.Decision != nil:
			out = append(out, it.Kind+":"+it.Sale.Ref[len(it.Sale.Ref)-1:]+"/"+it.Decision.By)
		case it.Sale != nil:
			out = append(out, it.Kind+":"+it.Sale.Ref[len(it.Sale.Ref)-1:]+"/"+it.Sale.State)
		case it.ZReport != nil:
			out = append(out, it.Kind+":"+it.ZReport.Day)
		case it.Mismatch != nil:
			out = append(out, it.Kind+":"+it.Mismatch.Ref)
		case it.Note != nil:
			out = append(out, it.Kind+":"+it.Note.Text)
		}
	}
	return out
}

// Every change head office must learn is queued with it, and nothing else:
// not an open sale, not a look-up or a print.
func TestOutboxQueuesWhatHeadOfficeMustLearn(t *testing.T) {
	clock := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	j := openOutbox(t, filepath.Join(t.TempDir(), "j.db"), true, &clock)
	defer j.Close()
	sold, review := newSale(), newSale()
	for _, s := range []*SaleRecord{sold, review} {
		if err := j.Prepare(s); err != nil {
			t.Fatal(err)
		}
	}
	step := func(ref, state string, open bool, edit func(*SaleRecord)) {
		t.Helper()
		if _, err := setState(j, ref, state, open, edit); err != nil {
			t.Fatal(err)
		}
	}
	step(sold.Ref, "in_doubt", true, nil)
	if got := kinds(t, j); len(got) != 0 {
		t.Fatalf("open sales were queued: %v", got)
	}
	step(sold.Ref, "succeeded", false, func(r *SaleRecord) {
		r.Vouchers, r.Charged = []VoucherRecord{{Serial: "SER-1", PIN: "1111-2222"}}, money.New(money.MustParse("52.9"), "SAR")
	})
	if _, err := j.UpdateSale(sold.Ref, func(r *SaleRecord) error { r.Prints++; return nil }); err != nil {
		t.Fatal(err)
	}
	step(review.Ref, "needs_review", true, nil)
	if _, err := j.UpdateSale(review.Ref, func(r *SaleRecord) error { r.Attempts++; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := j.UpdateSale(review.Ref, func(r *SaleRecord) error { // a supervisor's decision names its maker
		r.State, r.Open = "failed", false
		r.History = append(r.History, TransitionRecord{At: clock, State: "failed", Note: "supervisor: not sold", By: "sara"})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	z := &ZRecord{Day: "2026-11-24", ClosedBy: "sara", From: clock.Add(-9 * time.Hour), To: clock, ClosedAt: clock, Report: json.RawMessage(`{}`)}
	m := MismatchRecord{Kind: "charged_not_sold", Provider: "bitaqaty", Ref: "0079999990000001", Day: "2026-11-24", Serial: "SER-X",
		PINMasked: "****9999", Vouchers: []VoucherRecord{{PIN: "9999-9999"}}, Detail: "not ours"}
	if err := j.CloseDay(z, []MismatchRecord{m}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.SettleMismatch(m, SettlementRecord{By: "sara", Reason: "refunded by provider"}, "settled: refunded"); err != nil {
		t.Fatal(err)
	}
	// The review sale was queued when it reached needs_review, and again
	// when decided; each entry reads it as it is now.
	want := "sale:1/succeeded sale:2/failed sale:2/failed decision:2/sara zreport:2026-11-24 settled:0079999990000001 note:settled: refunded"
	if got := strings.Join(kinds(t, j), " "); got != want {
		t.Fatalf("outbox:\n got %s\nwant %s", got, want)
	}

	items, err := j.OutboxPending(100)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Sale != nil && (len(it.Sale.Vouchers) != 0 || len(it.Sale.SealedVouchers) != 0) {
			t.Errorf("entry %d carries the sale's PINs", it.Seq)
		}
		if it.Mismatch != nil && (it.Mismatch.Serial != "" || it.Mismatch.PINMasked != "" || len(it.Mismatch.Vouchers)+len(it.Mismatch.SealedVouchers) != 0) {
			t.Errorf("entry %d carries the mismatch's serial or PIN: %+v", it.Seq, it.Mismatch)
		}
		if it.Sale != nil && it.Sale.Product.ID == "" {
			t.Errorf("entry %d: the sale without its product", it.Seq)
		}
	}
	// The sale itself still has its PIN: the outbox only left it out.
	if r, _ := j.Sale(sold.Ref); len(r.Vouchers) != 1 || r.Vouchers[0].PIN != "1111-2222" {
		t.Fatalf("the sold sale's PIN: %+v", r.Vouchers)
	}

	clock = clock.Add(time.Hour)
	n, oldest, err := j.OutboxBacklog()
	if err != nil || n != len(items) || !oldest.Equal(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("backlog: %d since %v (%v), want %d", n, oldest, err, len(items))
	}
	if err := j.OutboxShipped(items[2].Seq); err != nil {
		t.Fatal(err)
	}
	if err := j.OutboxShipped(items[1].Seq); err != nil { // marking less changes nothing
		t.Fatal(err)
	}
	if n, _, _ := j.OutboxBacklog(); n != len(items)-3 {
		t.Fatalf("after shipping three: %d left of %d", n, len(items))
	}
	if rest, _ := j.OutboxPending(100); len(rest) != len(items)-3 || rest[0].Seq != items[3].Seq {
		t.Fatalf("after shipping three: %d pending, first %d", len(rest), rest[0].Seq)
	}
	if err := j.OutboxShipped(items[len(items)-1].Seq); err != nil {
		t.Fatal(err)
	}
	if n, oldest, _ := j.OutboxBacklog(); n != 0 || !oldest.IsZero() {
		t.Fatalf("after shipping all: %d since %v", n, oldest)
	}
}

// Without head office nothing is queued; the first opening with it queues
// the history once.
func TestOutboxStartsWithTheHistory(t *testing.T) {
	clock := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "j.db")
	j := openOutbox(t, path, false, &clock)
	for i := range 3 {
		s := newSale()
		if err := j.Prepare(s); err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			if _, err := setState(j, s.Ref, "succeeded", false, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := j.OutboxPending(10); !errors.Is(err, errOutboxOff) {
		t.Fatalf("outbox of a journal without head office: %v", err)
	}
	z := &ZRecord{Day: "2026-11-24", ClosedBy: "sara", From: clock.Add(-time.Hour), To: clock, ClosedAt: clock, Report: json.RawMessage(`{}`)}
	if err := j.CloseDay(z, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := j.AddZNote(z.Number, "sara", "counted twice"); err != nil {
		t.Fatal(err)
	}
	j.Close()

	j = openOutbox(t, path, true, &clock)
	if got := strings.Join(kinds(t, j), " "); got != "sale:1/succeeded sale:2/succeeded zreport:2026-11-24 note:counted twice" {
		t.Fatalf("history queued: %s", got)
	}
	j.Close()
	j = openOutbox(t, path, true, &clock)
	defer j.Close()
	if n, _, err := j.OutboxBacklog(); err != nil || n != 4 {
		t.Fatalf("reopening queued the history again: %d entries (%v)", n, err)
	}
}

// Head office keeps the entry with the higher number: a journal restored
// from an older copy must go on numbering above what the lost one sent.
func TestOutboxNumbersNeverGoBackAfterARestore(t *testing.T) {
	clock := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	path, backup := filepath.Join(dir, "j.db"), filepath.Join(dir, "backup.db")
	sellOne := func(j *Journal) uint64 {
		t.Helper()
		s := newSale()
		if err := j.Prepare(s); err != nil {
			t.Fatal(err)
		}
		if _, err := setState(j, s.Ref, "succeeded", false, nil); err != nil {
			t.Fatal(err)
		}
		items, err := j.OutboxPending(1 << 20)
		if err != nil || len(items) == 0 {
			t.Fatalf("outbox: %d, %v", len(items), err)
		}
		return items[len(items)-1].Seq
	}
	j := openOutbox(t, path, true, &clock)
	sellOne(j)
	j.Close()
	copyFile(t, path, backup)
	j = openOutbox(t, path, true, &clock)
	var lost uint64
	for range 3 {
		clock = clock.Add(time.Minute)
		lost = sellOne(j)
	}
	j.Close()
	copyFile(t, backup, path) // the older copy comes back
	clock = clock.Add(time.Minute)
	j = openOutbox(t, path, true, &clock)
	defer j.Close()
	if got := sellOne(j); got <= lost {
		t.Fatalf("after the restore the outbox numbers %d, at or below %d the lost journal sent", got, lost)
	}
	if n, _, _ := j.OutboxBacklog(); n != 2 {
		t.Fatalf("backlog %d, want the copy's sale and the new one", n)
	}
}
