package screens_test

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"kiosk/eod"
	"kiosk/money"
	"kiosk/sale"
	"kiosk/screens"
	"kiosk/ui"
)

const today = "2026-11-24"

// openEndOfDay opens the end of day as ctrl+e does.
func openEndOfDay(t *testing.T, opts ...func(*setup)) *harness {
	h := newHarness(t, opts...)
	h.open(screens.NewCatalog(h.c))
	h.run(screens.OpenEndOfDay(h.c))
	return h
}

func TestOpenEndOfDay(t *testing.T) {
	tests := []struct {
		name       string
		opts       []func(*setup)
		pin        string // a supervisor's PIN, when one is asked for
		want       string
		wantStatus string
	}{
		{"a supervisor signed in", []func(*setup){signedIn("sara", sale.RoleSupervisor)}, "", "Supervisor: sara", ""},
		{"no clerks set up: the one at the counter", nil, "", "Supervisor: amal", ""},
		{"no clerks and no name", []func(*setup){func(s *setup) { s.session.Clerk = "" }}, "", "Supervisor: supervisor", ""},
		{"a clerk: a supervisor authorises", []func(*setup){signedIn("amal", sale.RoleClerk)}, "1234", "Supervisor: sara", ""},
		{"no books", []func(*setup){func(s *setup) { s.noBooks = true }}, "", "", "End of day: the books are not set up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.opts...)
			withUsers(h)
			h.open(screens.NewCatalog(h.c))
			h.run(screens.OpenEndOfDay(h.c))
			if tt.pin != "" {
				h.wantView("A supervisor must authorise: the end of day")
				h.signIn("sara", tt.pin)
				if !slices.Equal(h.users.authorised, []string{"the end of day"}) {
					t.Errorf("audited %q", h.users.authorised)
				}
			}
			if tt.wantStatus != "" {
				h.wantStatus(tt.wantStatus, true)
				if len(h.stack) != 1 {
					t.Errorf("%q opened", h.top().Title())
				}
				return
			}
			if h.top().Title() != "End of day "+today {
				t.Fatalf("%q on top", h.top().Title())
			}
			h.wantView(tt.want, "DAY REPORT - NOT CLOSED")
		})
	}
}

func TestEndOfDayOtherDays(t *testing.T) {
	h := openEndOfDay(t)
	h.press("left", "left", "right")
	if want := []string{today, "2026-11-23", "2026-11-22", "2026-11-23"}; !slices.Equal(h.books.asked, want) {
		t.Errorf("reports asked for %v, want %v", h.books.asked, want)
	}
	if h.top().Title() != "End of day 2026-11-23" {
		t.Errorf("title %q", h.top().Title())
	}
}

// TestEndOfDayCloses: the cash count closes the day into a Z-report, which
// is never closed again.
func TestEndOfDayCashCountCloses(t *testing.T) {
	tests := []struct {
		name           string
		float, counted string
		wantErr        string
		wantCash       eod.CashCount
	}{
		{"counted", "10", "61", "", eod.CashCount{Float: []money.Money{sar("10")}, Counted: []money.Money{sar("61")}}},
		{"no float is zero", "", "51.00", "", eod.CashCount{Float: []money.Money{sar("0")}, Counted: []money.Money{sar("51.00")}}},
		{"not an amount", "ten", "61", "Float SAR: write an amount like 150 or 150.50", eod.CashCount{}},
		{"a negative amount", "10", "-1", "Counted SAR: write an amount like 150 or 150.50", eod.CashCount{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := openEndOfDay(t, signedIn("sara", sale.RoleSupervisor))
			h.press("c")
			h.wantView("Count the drawer, then close the day", "Sales in SAR today: 51", "Float SAR", "Counted SAR")
			h.typeText(tt.float)
			h.press("tab")
			h.typeText(tt.counted)
			h.press("enter")
			if tt.wantErr != "" {
				h.wantView(tt.wantErr)
				if len(h.books.closed) != 0 {
					t.Fatal("closed with a wrong amount")
				}
				return
			}
			if len(h.books.closed) != 0 {
				t.Fatal("closed before the supervisor confirmed")
			}
			h.wantView("Closing 2026-11-24 writes a Z-report that can never be changed:", "SAR:")
			h.press("enter")
			if len(h.books.closed) != 1 {
				t.Fatalf("closed %d times", len(h.books.closed))
			}
			got := h.books.closed[0]
			if got.day != today || got.by != "sara" || !sameCash(got.cash, tt.wantCash) {
				t.Errorf("closed %+v", got)
			}
			h.wantView("Z-REPORT 1", "Closed by sara")
			h.press("c")
			h.wantStatus("Closed: Z-report 1 can be annotated, never changed.", true)
			if len(h.books.closed) != 1 {
				t.Error("a closed day was closed again")
			}
		})
	}
}

func sameCash(a, b eod.CashCount) bool {
	same := func(x, y []money.Money) bool {
		return slices.EqualFunc(x, y, func(m, n money.Money) bool { return m.Equal(n) })
	}
	return same(a.Float, b.Float) && same(a.Counted, b.Counted)
}

func TestEndOfDayNotes(t *testing.T) {
	h := openEndOfDay(t, signedIn("sara", sale.RoleSupervisor))
	h.press("n")
	h.wantStatus("Notes are for closed days; an open day's report changes until it is closed.", true)
	h.books.report(h.books.today).Number = 4 // closed elsewhere
	h.press("r", "n")
	if h.top().Title() != "Note on "+today {
		t.Fatalf("%q on top", h.top().Title())
	}
	h.press("enter")
	h.wantView("write the note")
	h.typeText("drawer short by 2 SAR")
	h.press("enter")
	if want := []string{today + "/sara/drawer short by 2 SAR"}; !slices.Equal(h.books.annotated, want) {
		t.Errorf("annotated %v, want %v", h.books.annotated, want)
	}
	h.wantStatus("Note added.", false)
}

func TestEndOfDaySettlesAMismatch(t *testing.T) {
	h := newHarness(t, signedIn("sara", sale.RoleSupervisor))
	r := h.books.report(h.books.today)
	r.Mismatches = []eod.Mismatch{
		{Ref: "0010000010000020", Provider: "bitaqaty", Detail: "charged by provider, not sold here"},
		{Ref: "0010000010000021", Provider: "alqimah", Detail: "amounts differ\x1b[2J"},
	}
	h.open(screens.NewCatalog(h.c))
	h.run(screens.OpenEndOfDay(h.c))
	h.press("s")
	h.wantView("0010000010000020", "charged by provider, not sold here", "amounts differ")
	if strings.Contains(h.top().View(), "\x1b[2J") {
		t.Error("a provider's escape sequence reached the screen")
	}
	h.press("down", "enter")
	h.wantView("write the reason for settling it")
	h.typeText("refunded by the provider")
	h.press("enter")
	if want := []string{"0010000010000021/alqimah/refunded by the provider/sara"}; !slices.Equal(h.books.settled, want) {
		t.Errorf("settled %v, want %v", h.books.settled, want)
	}
	h.wantStatus("Mismatch settled by sara", false)
}

func TestEndOfDayNoMismatch(t *testing.T) {
	h := openEndOfDay(t)
	h.press("s")
	h.wantView("No open mismatch.")
}

func TestEndOfDayExportsCSV(t *testing.T) {
	tests := []struct {
		name    string
		dir     func(t *testing.T) string
		wantErr bool
	}{
		{"written beside the journal", func(t *testing.T) string { return t.TempDir() }, false},
		{"a directory that is not there", func(t *testing.T) string { return filepath.Join(t.TempDir(), "gone") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.dir(t)
			h := openEndOfDay(t, func(s *setup) { s.settings.StateDir = dir })
			h.press("e")
			path := filepath.Join(dir, "eod-"+today+".csv")
			if tt.wantErr {
				h.wantStatus("CSV not written:", true)
				return
			}
			h.wantStatus("CSV written to "+path, false)
			if b, err := os.ReadFile(path); err != nil || len(b) == 0 {
				t.Errorf("CSV %s: %v, %d bytes", path, err, len(b))
			}
		})
	}
}

func TestEndOfDayPrints(t *testing.T) {
	tests := []struct {
		name       string
		opts       []func(*setup)
		err        error
		wantStatus string
		wantErr    bool
		want       []string
	}{
		{"printed", nil, nil, "Day report printed.", false, []string{today + "/amal"}},
		{"no printer", []func(*setup){func(s *setup) { s.noPrint = true }}, nil, "No printer is set up.", true, nil},
		{"the printer fails", nil, errFake, "Not printed: provider unreachable", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := openEndOfDay(t, tt.opts...)
			h.printer.err = tt.err
			h.press("p")
			h.wantStatus(tt.wantStatus, tt.wantErr)
			if !reflect.DeepEqual(h.printer.reports, tt.want) {
				t.Errorf("printed %v, want %v", h.printer.reports, tt.want)
			}
		})
	}
}

// TestEndOfDayShowsTheNewestReport: closing the cash form reloads the
// report and closes the day at once; the reload's answer, older, must
// not be shown over the Z-report even when it comes last.
func TestEndOfDayShowsTheNewestReport(t *testing.T) {
	h := openEndOfDay(t, signedIn("sara", sale.RoleSupervisor))
	e := h.top()
	h.press("c")
	h.typeText("10")
	h.press("tab")
	h.typeText("61")
	done, ok := asCmds(h.top().Update(keyPress("enter"))())
	if !ok || len(done) != 2 {
		t.Fatalf("the cash form ends with %d commands, want pop then the count", len(done))
	}
	h.stack = h.stack[:len(h.stack)-1] // the pop, as the root does it …
	reload := e.Update(ui.PopMsg{})()  // … whose reload is read now
	h.run(done[1])                     // the count prepares the close
	h.press("enter")                   // the supervisor confirms it
	h.wantView("Z-REPORT 1")
	h.broadcast(reload) // and the reload's answer comes last
	h.wantView("Z-REPORT 1", "Closed by sara")
}

// The confirmation says what is over or short; esc goes back without
// closing; a day that changed while the supervisor confirmed is not
// closed, and the report shown is the day as it is now.
func TestEndOfDayCloseIsConfirmed(t *testing.T) {
	h := openEndOfDay(t, signedIn("sara", sale.RoleSupervisor))
	count := func(counted string) {
		h.press("c")
		h.typeText("10")
		h.press("tab")
		h.typeText(counted)
		h.press("enter")
	}
	count("50")
	h.wantView("SAR: short 11.00 (expected 61.00, counted 50.00)")
	h.press("esc")
	if len(h.books.closed) != 0 {
		t.Fatal("esc on the confirmation closed the day")
	}
	h.books.changed = true
	count("61")
	h.press("enter")
	h.wantStatus("Not closed: a sale of the day changed while you confirmed. Here is the day as it is now: count and close again.", true)
	if len(h.books.closed) != 0 {
		t.Fatal("a changed day was closed")
	}
	count("61")
	h.press("enter")
	if len(h.books.closed) != 1 {
		t.Fatalf("closed %d times after confirming", len(h.books.closed))
	}
}

// x shows the X-report, which changes nothing.
func TestEndOfDayXReport(t *testing.T) {
	h := openEndOfDay(t, signedIn("sara", sale.RoleSupervisor))
	h.press("x")
	if h.books.xReports != 1 || len(h.books.closed) != 0 {
		t.Fatalf("x: %d X-reports, %d closes", h.books.xReports, len(h.books.closed))
	}
	h.wantView("X-REPORT - NOT A CLOSING")
}
