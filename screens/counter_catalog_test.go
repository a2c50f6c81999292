package screens_test

import (
	"slices"
	"testing"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/ui"
)

// TestBackToTheCatalogueClearsTheSearch: esc from the next screen comes
// back to the whole list, not the last search.
func TestBackToTheCatalogueClearsTheSearch(t *testing.T) {
	for _, query := range []string{"itunes 50", "pubg"} {
		t.Run(query, func(t *testing.T) {
			h := openCatalog(t)
			h.typeText(query)
			h.press("enter")
			if len(h.stack) != 2 {
				t.Fatalf("enter opened nothing:\n%s", h.view())
			}
			h.run(ui.Pop()) // esc: the root closes the screen and tells the one below
			h.wantView("5 of 5 products", "type a product, brand")
		})
	}
}

// lastIs makes the journal's newest sale s.
func lastIs(h *harness, s *sale.Sale) {
	h.sales.history = func(q sale.Query) ([]*sale.Sale, error) {
		if s == nil {
			return nil, nil
		}
		return []*sale.Sale{s}, nil
	}
}

// TestRepeatLastSale: ctrl+y sells the last sale's product to the same
// customer again, through Confirm; an open sale is never sold again, and a
// product gone from the catalogue is not sold.
func TestRepeatLastSale(t *testing.T) {
	ym := saleOf(yemenMobile, sale.Succeeded, map[string]string{"mobile": "771234567"})
	ym.Quote.Amount = money.FromInt(500)
	badNumber := saleOf(yemenMobile, sale.Failed, map[string]string{"mobile": "7712"})
	badNumber.Quote.Amount = money.FromInt(500)
	gone := saleOf(providers.Product{Provider: "bitaqaty", ID: "9999", Name: "Netflix 100 SAR", Available: true}, sale.Succeeded, nil)
	tests := []struct {
		name       string
		last       *sale.Sale
		wantTitle  string // the screen opened; "" when none
		wantFields map[string]string
		wantAmount string
		wantStatus string
	}{
		{"a voucher: straight to Confirm", soldSale(1), "Confirm", nil, "0", ""},
		{"a top-up: same number and amount, through Confirm", ym, "Confirm", map[string]string{"mobile": "771234567"}, "500", ""},
		{"a NOT SOLD sale may be sold again", badNumber, "Yemen Mobile top-up", nil, "", ""},
		{"an open sale is never sold again", pendingSale(), "", nil, "", "The last sale " + ref + " is not settled: never sell it again"},
		{"a product no longer sold", gone, "", nil, "", "Netflix 100 SAR is no longer in the catalogue."},
		{"an unavailable product", saleOf(googlePlay, sale.Succeeded, nil), "", nil, "", "is not available for sale now"},
		{"no sale yet", nil, "", nil, "", "No sale yet."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := openCatalog(t)
			lastIs(h, tt.last)
			h.press("ctrl+y")
			if len(h.sales.queries) == 0 || h.sales.queries[len(h.sales.queries)-1].Limit != 1 {
				t.Errorf("the last sale was not read as the newest one: %+v", h.sales.queries)
			}
			switch {
			case tt.wantTitle == "" && len(h.stack) != 1:
				t.Fatalf("%q opened", h.top().Title())
			case tt.wantTitle != "" && h.top().Title() != tt.wantTitle:
				t.Fatalf("opened %q, want %q", h.top().Title(), tt.wantTitle)
			}
			if tt.wantStatus != "" {
				h.wantStatus(tt.wantStatus, true)
			}
			if len(h.sales.sold) != 0 {
				t.Fatal("sold without the clerk's enter on Confirm")
			}
			if tt.wantTitle != "Confirm" {
				if tt.wantTitle != "" && len(h.sales.quotes) != 0 {
					t.Fatal("quoted values the product no longer takes")
				}
				return
			}
			q := h.lastQuote()
			if q.product.Key() != tt.last.Product.Key() || q.amount.String() != tt.wantAmount || len(q.fields) != len(tt.wantFields) {
				t.Fatalf("quoted %s %v %s, want %v %s", q.product.Key(), q.fields, q.amount, tt.wantFields, tt.wantAmount)
			}
			for k, v := range tt.wantFields {
				if q.fields[k] != v {
					t.Errorf("quoted %s=%q, want %q", k, q.fields[k], v)
				}
			}
		})
	}
}

// TestReprintLastReceipt: ctrl+t prints the last sale's receipt through
// the printing service; a reprint by a clerk needs a supervisor.
func TestReprintLastReceipt(t *testing.T) {
	clerk := signedIn("amal", sale.RoleClerk)
	tests := []struct {
		name      string
		opts      []func(*setup)
		last      *sale.Sale
		supervise bool
		wantBy    string
		status    string
	}{
		{"never printed: the clerk prints it", []func(*setup){clerk}, soldSale(0), false, "amal", "Printed."},
		{"a reprint by a clerk: a supervisor authorises", []func(*setup){clerk}, soldSale(1), true, "sara", "Printed."},
		{"a reprint by a supervisor", []func(*setup){signedIn("sara", sale.RoleSupervisor)}, soldSale(2), false, "sara", "Printed."},
		{"no printer", []func(*setup){func(s *setup) { s.noPrint = true }}, soldSale(1), false, "", "No printer is set up"},
		{"no sale yet", nil, nil, false, "", "No sale yet."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := openCatalog(t, tt.opts...)
			h.users.users = []sale.User{{Name: "sara", Role: sale.RoleSupervisor}}
			h.users.pins = map[string]string{"sara": "1234"}
			h.printer.sale = tt.last
			lastIs(h, tt.last)
			h.press("ctrl+t")
			if tt.supervise {
				if h.top().Title() != "Supervisor" {
					t.Fatalf("no supervisor asked for; %q on top", h.top().Title())
				}
				h.typeText("sara")
				h.press("enter")
				h.typeText("1234")
				h.press("enter")
			}
			if tt.wantBy == "" {
				if len(h.printer.sales) != 0 {
					t.Fatalf("printed %v", h.printer.sales)
				}
				h.wantStatus(tt.status, true)
				return
			}
			if want := []printCall{{ref, tt.wantBy, "en"}}; !slices.Equal(h.printer.sales, want) {
				t.Fatalf("printed %v, want %v", h.printer.sales, want)
			}
			h.wantStatus(tt.status, false)
		})
	}
}
