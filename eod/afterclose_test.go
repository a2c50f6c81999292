package eod_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kiosk/eod"
	"kiosk/money"
	"kiosk/sale"
)

// TestAfterCloseNeverFailsTheClose: what follows the close (the backup)
// is told with the report, its note or its failure as a warning; the day
// is closed either way, and the stored Z-report does not carry it.
func TestAfterCloseNeverFailsTheClose(t *testing.T) {
	for _, tc := range []struct {
		name string
		note string
		err  error
		want string
	}{
		{"backed up", "Backed up to /b/kiosk-T001-x.db", nil, "Backed up to /b/kiosk-T001-x.db"},
		{"backup failed", "", errors.New("backup directory /b is full"), "WARNING: backup directory /b is full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			r.clock.Set(at("2026-11-24 10:00:00"))
			r.journal("bitaqaty", "2862", sar("57.50"), sar("52.90"), sale.Succeeded)
			var gotZ uint64
			b, err := eod.New(r.e, r.j, eod.Options{Location: time.UTC, Timeout: 2 * time.Second, Now: r.now,
				AfterClose: func(z uint64) (string, error) { gotZ = z; return tc.note, tc.err }})
			if err != nil {
				t.Fatal(err)
			}
			r.clock.Set(at("2026-11-25 09:00:00"))
			z, err := b.Close(context.Background(), date("2026-11-24"), eod.CashCount{Counted: []money.Money{sar("57.50")}}, "amal")
			if err != nil {
				t.Fatalf("the close failed: %v", err)
			}
			if gotZ != z.Number || z.Number != 1 {
				t.Errorf("after close got Z %d, the report is Z %d", gotZ, z.Number)
			}
			if text := z.Text(60); !strings.Contains(text, tc.want) {
				t.Errorf("the report does not say %q:\n%s", tc.want, text)
			}
			stored, err := b.Report(context.Background(), date("2026-11-24"), eod.CashCount{})
			if err != nil || !stored.Closed() || len(stored.AfterClose) != 0 {
				t.Errorf("stored Z-report: closed %v, after close %v, %v", stored != nil && stored.Closed(), stored.AfterClose, err)
			}
		})
	}
}
