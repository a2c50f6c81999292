package eod

import (
	"time"

	"kiosk/providers"
)

// MatchRecords is matchRecords for the benchmarks in package eod_test:
// it returns the mismatches and the sales without a charge.
func MatchRecords(j Store, day, provider string, sales []SaleSummary, recs []providers.Record, from, to time.Time) ([]Mismatch, []SaleSummary, error) {
	m, err := matchRecords(j, day, provider, sales, recs, from, to, 0)
	return m.mismatches, m.noCharge, err
}
