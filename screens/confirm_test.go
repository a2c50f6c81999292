package screens_test

import (
	"testing"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/screens"
	"kiosk/ui"
)

// openConfirm opens the confirm screen for a product without input.
func openConfirm(t *testing.T, p providers.Product, opts ...func(*setup)) *harness {
	h := newHarness(t, opts...)
	h.open(screens.NewConfirm(h.c, p, nil, money.Zero))
	return h
}

// priceNow makes the provider quote p at a new price.
func priceNow(h *harness, price string) {
	h.sales.quote = func(p providers.Product, f map[string]string, a money.Decimal) (sale.Quote, error) {
		p.Price = sar(price)
		return quoteOf(p, f, a), nil
	}
}

// TestConfirmChangedPriceNeedsEnterTwice: a price that changed since the
// catalogue was loaded is shown and sells only on the second enter.
func TestConfirmChangedPriceNeedsEnterTwice(t *testing.T) {
	tests := []struct {
		name     string
		price    string // the provider's price now
		enters   int
		wantSold int
		want     []string
	}{
		{"same price: one enter sells", "51.00", 1, 1, nil},
		{"changed: the first enter only acknowledges", "53.00", 1, 0, []string{"PRICE CHANGED since the catalogue was loaded: was 51.00 SAR, now 53.00 SAR."}},
		{"changed: the second enter sells", "53.00", 2, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			priceNow(h, tt.price)
			h.open(screens.NewConfirm(h.c, itunes50, nil, money.Zero))
			h.wantView("Customer pays", tt.price+" SAR")
			for range tt.enters {
				h.press("enter")
			}
			h.wantView(tt.want...)
			if len(h.sales.sold) != tt.wantSold {
				t.Fatalf("%d sale(s) after %d enter(s), want %d", len(h.sales.sold), tt.enters, tt.wantSold)
			}
			if tt.wantSold == 0 {
				h.wantStatus("The price changed: press enter again to sell at the new price.", true)
				return
			}
			if s := h.sales.sold[0]; s.clerk != "amal" || !s.q.Retail.Equal(sar(tt.price)) {
				t.Errorf("sold %s by %q", s.q.Retail, s.clerk)
			}
			if h.top().Title() != "Sale 0010000010000001" || h.count(ui.RefreshBalanceMsg{}) != 1 {
				t.Errorf("after the sale: %q on top, %d balance refreshes", h.top().Title(), h.count(ui.RefreshBalanceMsg{}))
			}
		})
	}
}

func TestConfirmQuoteFails(t *testing.T) {
	h := newHarness(t)
	calls := 0
	h.sales.quote = func(p providers.Product, f map[string]string, a money.Decimal) (sale.Quote, error) {
		calls++
		if calls == 1 {
			return sale.Quote{}, &providers.Error{Provider: "Bitaqaty", Message: "out of stock", Outcome: providers.Refused}
		}
		return quoteOf(p, f, a), nil
	}
	h.open(screens.NewConfirm(h.c, itunes50, nil, money.Zero))
	h.wantView("Bitaqaty: out of stock", "Nothing was sold. r reads the price again; esc goes back.")
	h.press("enter")
	if len(h.sales.sold) != 0 {
		t.Fatal("sold without a price")
	}
	h.press("r")
	h.wantView("Customer pays  51.00 SAR")
	h.press("enter")
	if len(h.sales.sold) != 1 {
		t.Fatalf("%d sales after the price was read again", len(h.sales.sold))
	}
}

// TestConfirmBusyWhileSending: while the sale is sent the screen cannot
// be left (Busy) and takes no key: a second enter never sells twice.
func TestConfirmBusyWhileSending(t *testing.T) {
	h := openConfirm(t, itunes50)
	c := h.top().(*screens.Confirm)
	send := c.Update(keyPress("enter"))
	if !c.Busy() {
		t.Fatal("not busy while the sale is sent")
	}
	h.press("enter", "r")
	h.run(send)
	if len(h.sales.sold) != 1 || len(h.sales.quotes) != 1 {
		t.Fatalf("%d sales, %d quotes while one sale was sent", len(h.sales.sold), len(h.sales.quotes))
	}
	if c.Busy() {
		t.Error("still busy after the answer")
	}
}

func TestConfirmShowsTheSaleFailed(t *testing.T) {
	h := openConfirm(t, itunes50)
	h.sales.sell = func(q sale.Quote) (*sale.Sale, error) {
		return &sale.Sale{Ref: "0010000010000002", Product: q.Product, Quote: q.Quote, State: sale.Failed, Message: "out of stock"}, nil
	}
	h.press("enter")
	h.wantView("NOT SOLD — nothing was charged. Give the customer's money back.", "out of stock")
}
