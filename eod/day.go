// Package eod is the end of the business day: the day's totals per
// provider and currency, the comparison with what each provider says it
// charged, the cash count, and the Z-report that closes the day in the
// journal for good.
//
// Which sales belong to a day. A business day runs from its cut-off hour to
// the next day's cut-off hour, local time (Day). Closing a day writes a
// Z-report whose period ends at min(day end, closing time), and the next
// business day starts where the previous day's Z-report ended (not at its
// own cut-off), so:
//
//   - a day closed early (22:00 with cut-off 04:00) hands the sales made
//     between the close and the cut-off to the next day, as the counter
//     expects: "after the Z, it is tomorrow";
//   - a day closed late (yesterday closed at 10:00 this morning) keeps only
//     its own sales; this morning's sales stay with today. The tempting rule
//     "start at max(day start, last close)" would lose them: they would be
//     before today's start and after yesterday's end.
//
// Every sale therefore falls in exactly one period, and a Z-report's period
// never changes once written. When the previous day was never closed, the
// day starts at its own cut-off.
package eod

import (
	"fmt"
	"time"
)

// DateLayout is how business days are written: 2026-11-24.
const DateLayout = time.DateOnly

// Day returns the bounds [from, to) of the business day named by date's
// year, month and day, with the given cut-off hour in loc. With cut-off 4,
// 2026-11-24 runs from 04:00 on the 24th to 04:00 on the 25th. Calendar
// arithmetic is done by time.Date, so a day with a daylight-saving change is
// 23 or 25 hours long, as the clock on the wall says.
func Day(date time.Time, cutoffHour int, loc *time.Location) (from, to time.Time) {
	if loc == nil {
		loc = time.Local
	}
	y, m, d := date.Date()
	return time.Date(y, m, d, cutoffHour, 0, 0, 0, loc), time.Date(y, m, d+1, cutoffHour, 0, 0, 0, loc)
}

// DayOf returns the business day a moment falls in (at midnight, in loc).
// Before the cut-off hour it is still the previous day.
func DayOf(t time.Time, cutoffHour int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.Local
	}
	lt := t.In(loc)
	y, m, d := lt.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if from, _ := Day(day, cutoffHour, loc); lt.Before(from) {
		day = time.Date(y, m, d-1, 0, 0, 0, 0, loc)
	}
	return day
}

// ParseDate reads a business day written 2026-11-24.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.Local
	}
	d, err := time.ParseInLocation(DateLayout, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: write it as 2026-11-24", s)
	}
	return d, nil
}

func checkCutoff(h int) error {
	if h < 0 || h > 23 {
		return fmt.Errorf("cut-off hour %d must be between 0 and 23", h)
	}
	return nil
}
