package screens_test

import (
	"strings"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/screens"
	"kiosk/ui"
)

func TestParseQuery(t *testing.T) {
	aden := clock.Start.Location()
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, aden)
	tests := []struct {
		in   string
		want sale.Query
	}{
		{"", sale.Query{Limit: 200}},
		{"771234567", sale.Query{Text: "771234567", Limit: 200}},
		{"2026-11-24", sale.Query{From: day, To: day.AddDate(0, 0, 1), Limit: 200}},
		{"itunes  2026-11-24 50", sale.Query{Text: "itunes 50", From: day, To: day.AddDate(0, 0, 1), Limit: 200}},
		{"2026-13-01", sale.Query{Text: "2026-13-01", Limit: 200}}, // not a date: words
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := screens.ParseQuery(tt.in, aden)
			if got.Text != tt.want.Text || !got.From.Equal(tt.want.From) || !got.To.Equal(tt.want.To) || got.Limit != tt.want.Limit {
				t.Errorf("ParseQuery(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

// historySale is a sold sale of product with its history.
func historySale(r string, p providers.Product) *sale.Sale {
	at := clock.Start
	return &sale.Sale{Ref: r, Provider: p.Provider, Product: p, State: sale.Succeeded, Clerk: "amal", Created: at, Prints: 1,
		Quote: providers.Quote{Product: p, Retail: p.Price},
		History: []sale.Transition{{At: at, State: sale.Prepared, Note: "reference fixed", By: "amal"},
			{At: at.Add(time.Second), State: sale.Succeeded, Note: "provider delivered"}}}
}

// matching answers a history search by product words.
func matching(sales ...*sale.Sale) func(sale.Query) ([]*sale.Sale, error) {
	return func(q sale.Query) ([]*sale.Sale, error) {
		var out []*sale.Sale
		for _, s := range sales {
			if strings.Contains(strings.ToLower(s.Product.Name), strings.ToLower(q.Text)) {
				out = append(out, s)
			}
		}
		return out, nil
	}
}

func TestHistoryFinds(t *testing.T) {
	a, b := historySale("0010000010000011", itunes50), historySale("0010000010000012", pubg)
	tests := []struct {
		query string
		want  []string
		not   string
	}{
		{"", []string{"2 sale(s), newest first", "iTunes Gift Card 50 SAR", "PUBG Mobile 60 UC"}, ""},
		{"pubg", []string{"1 sale(s), newest first", "History of 0010000010000012", "clerk amal · printed 1×",
			"prepared", "reference fixed (amal)", "sold", "provider delivered"}, "iTunes"},
		{"zzz", []string{"No sale matches."}, "PUBG"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			h := newHarness(t)
			h.sales.history = matching(a, b)
			h.open(screens.NewHistory(h.c))
			h.typeText(tt.query)
			h.wantView(tt.want...)
			if tt.not != "" && strings.Contains(h.view(), tt.not) {
				t.Errorf("screen shows %q:\n%s", tt.not, h.view())
			}
			if got := h.sales.queries[len(h.sales.queries)-1].Text; got != tt.query {
				t.Errorf("searched %q, want %q", got, tt.query)
			}
		})
	}
}

// TestHistoryDropsOlderAnswers: the answer to an older search that comes
// after the newer one's is not shown.
func TestHistoryDropsOlderAnswers(t *testing.T) {
	h := newHarness(t)
	h.sales.history = matching(historySale("0010000010000011", itunes50), historySale("0010000010000012", pubg))
	hist := screens.NewHistory(h.c)
	h.open(hist)
	older := hist.Update(keyPress("i")) // "i" matches both (mobile, itunes)
	h.typeText("t")                     // "it": iTunes only
	h.run(older)
	h.wantView("1 sale(s)", "iTunes Gift Card 50 SAR")
}

func TestHistoryOpensTheSale(t *testing.T) {
	h := newHarness(t)
	h.sales.history = matching(historySale("0010000010000011", itunes50), historySale("0010000010000012", pubg))
	h.open(screens.NewHistory(h.c))
	h.press("down", "enter")
	if h.top().Title() != "Sale 0010000010000012" {
		t.Fatalf("%q on top", h.top().Title())
	}
	n := len(h.sales.queries)
	h.run(ui.Pop())
	if len(h.sales.queries) != n+1 {
		t.Error("coming back did not search again (a reprint may have changed the sale)")
	}
}
