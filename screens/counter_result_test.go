package screens_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/screens"
)

var (
	callingCard = providers.Product{Provider: "mor", ID: "6", Name: "International calling card 5 USD", Brand: "Calling cards",
		Kind: providers.KindCallingCard, Available: true, PriceKind: providers.PriceFixed, Price: money.New(money.FromInt(5), "USD"),
		Extra: map[string]string{"group_id": "6", providers.ExtraAccessNumber: "+1 800 555 0100"},
		// Quantity as a schema-1 journal kept it: digits, which made it
		// look like the customer's number.
		Fields: []providers.Field{{Name: "quantity", Label: "Number of cards", Kind: providers.FieldDigits, Required: true, Default: "1"}}}
	gameTopUp = providers.Product{Provider: "alqimah", ID: "game-freefire_100", Name: "Free Fire 100 diamonds", Brand: "Free Fire",
		Kind: providers.KindGame, Available: true, PriceKind: providers.PriceFixed, Price: money.New(money.FromInt(1500), "YER"),
		Fields: []providers.Field{{Name: "playerid", Label: "Player ID", Kind: providers.FieldText, Required: true},
			{Name: "zoneid", Label: "Zone ID", Kind: providers.FieldText}}}
)

func saleOf(p providers.Product, state sale.State, fields map[string]string) *sale.Sale {
	return &sale.Sale{Ref: ref, Provider: p.Provider, Product: p, State: state,
		Quote: providers.Quote{Product: p, Fields: fields, Retail: p.Price}}
}

// TestResultShowsWhatTheCustomerGets: what is on the result screen, which
// faces the customer, for each kind of sale — and what never is.
func TestResultShowsWhatTheCustomerGets(t *testing.T) {
	notSold := saleOf(itunes50, sale.Failed, nil)
	notSold.Message = "The provider refused the sale: the account has no balance left for this product; top up the account with the provider and try again later."
	card := saleOf(callingCard, sale.Succeeded, map[string]string{"quantity": "1"})
	card.Vouchers = []providers.Voucher{{PIN: "4455667788", Extra: map[string]string{"balance": "5.00 USD"}}}
	game := saleOf(gameTopUp, sale.Succeeded, map[string]string{"playerid": "5123456789", "zoneid": "2101"})
	game.Vouchers = []providers.Voucher{{Reference: "OP-77"}}
	esim := soldSale(0)
	esim.Vouchers[0].Extra = map[string]string{"commission": "0.35", "iccid": "8996601", "qrcodeUrl": "https://qr.test/1", "internal_code": "X9"}
	tests := []struct {
		name string
		s    *sale.Sale
		want []string
		not  []string
	}{
		{"NOT SOLD: no Paid, the reason whole", notSold, []string{"NOT SOLD", "top up the account with the provider and try again later."}, []string{"Paid"}},
		{"a calling card: the access number, no customer", card, []string{"Access number  +1 800 555 0100", "4455667788", "Card balance   5.00 USD"}, []string{"Customer"}},
		{"a game top-up: the player id and zone", game, []string{"Player ID      5123456789", "Zone ID        2101", "Paid"}, nil},
		{"only the customer's extras", esim, []string{"ICCID          8996601"}, []string{"commission", "0.35", "internal_code", "X9", "qrcodeUrl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.open(screens.NewResult(h.c, tt.s, nil))
			h.wantView(tt.want...)
			v := h.view()
			for _, n := range tt.not {
				if strings.Contains(v, n) {
					t.Errorf("the screen shows %q:\n%s", n, v)
				}
			}
			for _, l := range strings.Split(v, "\n") {
				if ansi.StringWidth(l) > h.c.Width() {
					t.Errorf("%d cells: %q", ansi.StringWidth(l), l)
				}
			}
		})
	}
}

// TestResultOpensEndOfDay: ctrl+e works from the result screen as from the
// catalogue (a supervisor signed in goes straight to the books).
func TestResultOpensEndOfDay(t *testing.T) {
	h := newHarness(t, signedIn("sara", sale.RoleSupervisor))
	h.open(screens.NewResult(h.c, soldSale(0), nil))
	h.press("ctrl+e")
	if got := h.top().Title(); !strings.HasPrefix(got, "End of day") {
		t.Fatalf("ctrl+e opened %q", got)
	}
	if !slices.Equal(h.books.asked, []string{"2026-11-24"}) {
		t.Errorf("the day asked for: %v", h.books.asked)
	}
}
