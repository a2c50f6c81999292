package eod

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"kiosk/money"
	"kiosk/sale"
)

// Options configure the books. The zero value is a day from midnight to
// midnight in the local zone.
type Options struct {
	CutoffHour int            // 0–23: when the business day turns, local time
	Location   *time.Location // the terminal's zone; time.Local when nil
	Timeout    time.Duration  // one provider request; 30s when zero
	Parallel   int            // status look-ups in flight at once; 4 when zero
	// Slack widens the period asked of a provider's records on both sides,
	// so a sale prepared here just before the cut-off and recorded there
	// just after it still matches. 10 minutes when zero.
	Slack time.Duration
	Now   func() time.Time
	// Terminal is this kiosk's number, the first three digits of its
	// references. A provider record under another terminal's number is that
	// terminal's sale on a shared account, counted as such and never a
	// mismatch here (head office reconciles the account across the fleet).
	// Zero takes every reference as this kiosk's.
	Terminal int
	// AfterClose runs once a day is closed, with its Z number (the kiosk
	// backs the journal up). Its note, or its error as a warning, is shown
	// with the report; an error never fails the close.
	AfterClose func(z uint64) (note string, err error)
	// BlindCount hides what the drawer should hold until the cash is
	// counted: a live report without a count is Blind.
	BlindCount bool
}

// Books makes the day's reports for one kiosk.
type Books struct {
	e   *sale.Engine
	j   Store
	opt Options
}

// New makes the books over a kiosk's engine (its providers and its audit
// record) and the journal's end-of-day records.
func New(e *sale.Engine, j Store, opt Options) (*Books, error) {
	if err := checkCutoff(opt.CutoffHour); err != nil {
		return nil, err
	}
	if opt.Location == nil {
		opt.Location = time.Local
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.Parallel <= 0 {
		opt.Parallel = 4
	}
	if opt.Slack <= 0 {
		opt.Slack = 10 * time.Minute
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Books{e: e, j: j, opt: opt}, nil
}

// Report is one business day: live while the day is open, and the stored
// Z-report (with its notes) once it is closed.
type Report struct {
	Day        string    `json:"day"` // 2006-01-02
	CutoffHour int       `json:"cutoff_hour"`
	Zone       string    `json:"zone"`
	From       time.Time `json:"from"` // the period covered: [From, To)
	To         time.Time `json:"to"`
	Generated  time.Time `json:"generated"`

	Totals     []Total    `json:"totals"` // succeeded sales only
	Clerks     []Line     `json:"clerks,omitempty"`
	Brands     []Line     `json:"brands,omitempty"`
	Products   []Line     `json:"products,omitempty"`
	Counts     *Counts    `json:"counts,omitempty"` // nil in Z-reports written before there were counts
	NotCounted []SaleLine `json:"not_counted"`      // failed, pending, in doubt, prepared, needs review
	Checks     []Check    `json:"checks"`           // how each provider was compared
	Mismatches []Mismatch `json:"mismatches"`       // found for this day
	Carried    []Mismatch `json:"carried"`          // still open from earlier closed days
	Cash       []CashLine `json:"cash"`

	// Set once the day is closed. Number comes from the Z-report record.
	Number   uint64    `json:"-"`
	ClosedBy string    `json:"closed_by,omitempty"`
	ClosedAt time.Time `json:"closed_at,omitzero"`
	Notes    []ZNote   `json:"-"` // added after the close, never part of the Z-report
	// AfterClose says what followed the close (the backup), or the
	// warning of what failed; shown once, never part of the Z-report.
	AfterClose []string `json:"-"`

	// X marks an X-report: the running day so far, which changed nothing.
	X bool `json:"-"`
	// Blind is set on a live report made under a blind count before the
	// cash was counted: Text and WriteCSV leave out every sum of the
	// succeeded sales (from which the drawer's content follows) and the
	// expected cash. A caller showing figures of its own must hide them
	// too.
	Blind bool `json:"-"`

	// prepared fingerprints the period's sales when PrepareClose made the
	// report, so CloseConfirmed writes only what was confirmed.
	prepared uint64
}

// Closed reports whether the report is a Z-report.
func (r *Report) Closed() bool { return r.Number != 0 }

// SaleLine is a sale listed but not counted in the totals.
type SaleLine struct {
	Ref      string      `json:"ref"`
	Provider string      `json:"provider"`
	Product  string      `json:"product"`
	State    sale.State  `json:"state"`
	Retail   money.Money `json:"retail"`
	Created  time.Time   `json:"created"`
	Message  string      `json:"message,omitempty"`
}

// Report returns the business day of date: the stored Z-report if the day
// is closed, otherwise the live report, compared with the providers now.
// cash may be empty: expected cash is still shown.
func (b *Books) Report(ctx context.Context, date time.Time, cash CashCount) (*Report, error) {
	day := date.Format(DateLayout)
	if z, err := b.j.ZReportOfDay(day); err != nil {
		return nil, fmt.Errorf("end of day %s: %w", day, err)
	} else if z != nil {
		return b.load(z)
	}
	_, to := Day(date, b.opt.CutoffHour, b.opt.Location)
	r, _, err := b.build(ctx, date, to, cash, true)
	return r, err
}

// XReport is the X-report: the business day running now, up to this
// moment, compared with the providers as Report does, with the cash count
// if one is given. It changes nothing: no Z-report, no number, and no
// mismatch stored (Report keeps the PINs a provider issued for sales not
// handed over here; the X-report only shows them). Printing it is the
// caller's, and so is the audit entry saying it was printed.
func (b *Books) XReport(ctx context.Context, cash CashCount) (*Report, error) {
	day, err := b.Today()
	if err != nil {
		return nil, err
	}
	_, end := Day(day, b.opt.CutoffHour, b.opt.Location)
	if now := b.opt.Now(); now.Before(end) {
		end = now
	}
	r, _, err := b.build(ctx, day, end, cash, false)
	if err != nil {
		return nil, err
	}
	r.X = true
	return r, nil
}

// build makes the live report of a day whose period ends at end, and
// returns the period's sales with it. keep stores the mismatches that
// carry a provider's PINs (see keepPINs); the X-report does not.
func (b *Books) build(ctx context.Context, date, end time.Time, cash CashCount, keep bool) (*Report, []SaleSummary, error) {
	day := date.Format(DateLayout)
	from, err := b.start(date)
	if err != nil {
		return nil, nil, err
	}
	r := &Report{Day: day, CutoffHour: b.opt.CutoffHour, Zone: zoneName(b.opt.Location, from), From: from, To: end,
		Generated: b.opt.Now()}
	sales, err := b.j.Summaries(r.From, r.To)
	if err != nil {
		return nil, nil, fmt.Errorf("end of day %s: read the journal: %w", day, err)
	}
	t := tallySales(sales, b.providerName())
	r.Totals, r.Clerks, r.Brands, r.Products, r.Counts = t.totals, t.clerks, t.brands, t.products, &t.counts
	r.NotCounted = notCounted(sales)
	if err := b.compare(ctx, r, sales); err != nil {
		return nil, nil, fmt.Errorf("end of day %s: %w", day, err)
	}
	if keep {
		if err := b.keepPINs(r); err != nil {
			return nil, nil, fmt.Errorf("end of day %s: %w", day, err)
		}
	}
	if err := b.withStored(r); err != nil {
		return nil, nil, fmt.Errorf("end of day %s: %w", day, err)
	}
	if r.Cash, err = cashLines(r.Totals, cash); err != nil {
		return nil, nil, fmt.Errorf("end of day %s: %w", day, err)
	}
	r.Blind = b.opt.BlindCount && len(cash.Counted) == 0
	return r, sales, nil
}

// providerName gives a provider's name from its id: the name it calls
// itself, or the id of a provider no longer configured.
func (b *Books) providerName() func(string) string {
	names := map[string]string{}
	for _, p := range b.e.Providers() {
		names[p.Info().ID] = p.Info().Name
	}
	return func(id string) string { return cmp.Or(names[id], id) }
}

// zoneName names the zone for people: "Local" says nothing on a receipt.
func zoneName(loc *time.Location, t time.Time) string {
	if name := loc.String(); name != "Local" {
		return name
	}
	name, _ := t.In(loc).Zone()
	return name
}

// Today is the business day running now: the day of the clock, or the
// day after it once that has been closed early (and so on: a day closed
// early can be followed by another close before the cut-off).
func (b *Books) Today() (time.Time, error) {
	now := b.opt.Now()
	day := DayOf(now, b.opt.CutoffHour, b.opt.Location)
	for range 7 {
		z, err := b.j.ZReportOfDay(day.Format(DateLayout))
		if err != nil {
			return time.Time{}, fmt.Errorf("end of day: %w", err)
		}
		if z == nil || now.Before(z.To) {
			break
		}
		y, m, d := day.Date()
		day = time.Date(y, m, d+1, 0, 0, 0, 0, b.opt.Location)
	}
	return day, nil
}

// start is where a day's period begins: where the previous day's Z-report
// ended if that day is closed, else at the day's cut-off (see the package
// comment for why).
func (b *Books) start(date time.Time) (time.Time, error) {
	from, _ := Day(date, b.opt.CutoffHour, b.opt.Location)
	y, m, d := date.Date()
	prev := time.Date(y, m, d-1, 0, 0, 0, 0, b.opt.Location).Format(DateLayout)
	z, err := b.j.ZReportOfDay(prev)
	if err != nil {
		return time.Time{}, fmt.Errorf("end of day: read the Z-report of %s: %w", prev, err)
	}
	if z != nil {
		return z.To, nil
	}
	return from, nil
}

func notCounted(sales []SaleSummary) []SaleLine {
	var out []SaleLine
	for i := range sales {
		s := &sales[i]
		if s.State == sale.Succeeded {
			continue
		}
		out = append(out, SaleLine{Ref: s.Ref, Provider: s.Provider, Product: s.ProductName, State: s.State,
			Retail: s.Retail, Created: s.Created, Message: s.Message})
	}
	return out
}
