package screens_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/screens"
	"kiosk/shelf"
)

func sar(a string) money.Money { return money.New(money.MustParse(a), "SAR") }

// Products of two providers: vouchers at a fixed price, one unavailable,
// a game top-up that needs a player id, and a range-priced mobile top-up.
var (
	itunes50 = providers.Product{Provider: "bitaqaty", ID: "2862", Name: "iTunes Gift Card 50 SAR", NameAr: "بطاقة آيتونز 50 ريال",
		Brand: "iTunes", Kind: providers.KindVoucher, Available: true, PriceKind: providers.PriceFixed, Price: sar("51.00"), Cost: sar("48.50")}
	itunes100 = providers.Product{Provider: "bitaqaty", ID: "2863", Name: "iTunes Gift Card 100 SAR", Brand: "iTunes",
		Kind: providers.KindVoucher, Available: true, PriceKind: providers.PriceFixed, Price: sar("102.00"), Cost: sar("97.00")}
	googlePlay = providers.Product{Provider: "bitaqaty", ID: "3001", Name: "Google Play 300 SAR", Brand: "Google Play",
		Kind: providers.KindVoucher, Available: false, PriceKind: providers.PriceFixed, Price: sar("306.00")}
	pubg = providers.Product{Provider: "alqimah", ID: "game-pubg_60", Name: "PUBG Mobile 60 UC", Brand: "PUBG",
		Kind: providers.KindGame, Available: true, PriceKind: providers.PriceFixed, Price: money.New(money.MustParse("1000"), "YER"),
		Fields: []providers.Field{{Name: "player_id", Label: "Player ID", Kind: providers.FieldDigits, Required: true, MinLen: 5, MaxLen: 12}}}
	yemenMobile = providers.Product{Provider: "alqimah", ID: "topup-yemen_mobile", Name: "Yemen Mobile top-up", Brand: "Yemen Mobile",
		Kind: providers.KindTopUp, Available: true, PriceKind: providers.PriceRange, Price: money.New(money.Zero, "YER"),
		MinAmount: money.New(money.MustParse("100"), "YER"), MaxAmount: money.New(money.MustParse("5000"), "YER"),
		Fields: []providers.Field{{Name: "mobile", Label: "Mobile number", Kind: providers.FieldPhone, Required: true,
			MinLen: 9, MaxLen: 9, CallingCode: "967", NationalLen: 9}}}
)

func allProducts() []providers.Product {
	ps := []providers.Product{itunes50, itunes100, googlePlay, pubg, yemenMobile}
	sale.SortProducts(ps)
	return ps
}

// openCatalog opens the catalogue over the cached products.
func openCatalog(t *testing.T, opts ...func(*setup)) *harness {
	h := newHarness(t, opts...)
	h.sales.cats.Products = shelf.Of(allProducts())
	h.open(screens.NewCatalog(h.c))
	return h
}

func TestCatalogSearch(t *testing.T) {
	tests := []struct {
		query string
		want  []string
		not   []string
	}{
		{"", []string{"5 of 5 products", "iTunes Gift Card 50 SAR", "Yemen Mobile top-up", "unavailable"}, nil},
		{"itunes", []string{"2 of 5 products", "iTunes Gift Card 50 SAR", "iTunes Gift Card 100 SAR"}, []string{"PUBG"}},
		{"yemen", []string{"1 of 5 products", "Yemen Mobile top-up", "100–5000 YER"}, []string{"iTunes"}},
		{"al-qimah pubg", []string{"1 of 5 products", "PUBG Mobile 60 UC"}, []string{"Yemen"}},
		{"zzz", []string{`No product matches "zzz". Esc clears the search.`}, []string{"iTunes"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			h := openCatalog(t)
			h.typeText(tt.query)
			h.wantView(tt.want...)
			for _, n := range tt.not {
				if strings.Contains(h.view(), n) {
					t.Errorf("screen shows %q:\n%s", n, h.view())
				}
			}
		})
	}
}

func TestCatalogEscClearsTheSearch(t *testing.T) {
	h := openCatalog(t)
	h.typeText("itunes")
	h.press("esc")
	h.wantView("5 of 5 products")
}

// TestCatalogChooses: enter opens what the product needs next.
func TestCatalogChooses(t *testing.T) {
	tests := []struct {
		name      string
		query     string
		moves     []string
		wantTitle string // of the screen opened; "" when none opens
		wantQuote string // product quoted at once (a product without input)
		wantErr   string // status
	}{
		{"fixed price: straight to confirm", "itunes 50", nil, "Confirm", "2862", ""},
		{"the first hit", "itunes", nil, "Confirm", "2863", ""}, // by brand, then name: 100 before 50
		{"down picks the next", "itunes", []string{"down"}, "Confirm", "2862", ""},
		{"down stops at the last", "itunes", []string{"down", "down", "down"}, "Confirm", "2862", ""},
		{"up stops at the first", "itunes", []string{"down", "up", "up"}, "Confirm", "2863", ""},
		{"a player id: the fields", "pubg", nil, "PUBG Mobile 60 UC", "", ""},
		{"a range price: the fields", "yemen", nil, "Yemen Mobile top-up", "", ""},
		{"unavailable: refused", "google", nil, "", "", "Google Play 300 SAR is not available for sale now."},
		{"nothing matches: nothing opens", "zzz", nil, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := openCatalog(t)
			h.typeText(tt.query)
			h.press(tt.moves...)
			h.press("enter")
			switch {
			case tt.wantTitle == "" && len(h.stack) != 1:
				t.Fatalf("%s opened", h.top().Title())
			case tt.wantTitle != "" && h.top().Title() != tt.wantTitle:
				t.Fatalf("opened %q, want %q", h.top().Title(), tt.wantTitle)
			}
			var quoted []string
			for _, q := range h.sales.quotes {
				quoted = append(quoted, q.product.ID)
			}
			if want := []string{tt.wantQuote}; tt.wantQuote != "" && !slices.Equal(quoted, want) || tt.wantQuote == "" && len(quoted) > 0 {
				t.Errorf("quoted %v, want %q", quoted, tt.wantQuote)
			}
			if tt.wantErr != "" {
				h.wantStatus(tt.wantErr, true)
			}
		})
	}
}

func TestCatalogFavourites(t *testing.T) {
	tests := []struct {
		name       string
		favourites []string
		top        []string
		wantLine   string
		key        string
		wantTitle  string
		wantErr    string
	}{
		{"configured favourite", []string{"", "bitaqaty/2862"}, nil, "Favourites: alt+2 iTunes Gift Card 50 S…", "alt+2", "Confirm", ""},
		{"no favourite on that key", []string{"", "bitaqaty/2862"}, nil, "Favourites:", "alt+1", "", "No favourite on alt+1."},
		{"configured favourites win over best sellers", []string{"bitaqaty/2863"}, []string{"alqimah/topup-yemen_mobile"}, "Favourites: alt+1 iTunes Gift Card 100 …", "alt+1", "Confirm", ""},
		{"best sellers when none configured", nil, []string{"alqimah/topup-yemen_mobile"}, "Best sellers: alt+1 Yemen Mobile top-up", "alt+1", "Yemen Mobile top-up", ""},
		{"an unavailable favourite is refused", []string{"bitaqaty/3001"}, nil, "alt+1 Google Play 300 SAR", "alt+1", "", "is not available for sale now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(s *setup) { s.settings.Favourites = tt.favourites })
			h.sales.top = tt.top
			h.sales.cats.Products = shelf.Of(allProducts())
			h.open(screens.NewCatalog(h.c))
			h.wantView(tt.wantLine)
			h.press(tt.key)
			if tt.wantTitle == "" && len(h.stack) != 1 || tt.wantTitle != "" && h.top().Title() != tt.wantTitle {
				t.Fatalf("%s opens %q", tt.key, h.top().Title())
			}
			if tt.wantErr != "" {
				h.wantStatus(tt.wantErr, true)
			}
		})
	}
}

func TestCatalogRefresh(t *testing.T) {
	tests := []struct {
		name      string
		stale     []string
		key       bool // ctrl+r pressed
		err       error
		wantAsked []string
		wantMsg   string
		wantErr   bool
	}{
		{"nothing stale: nothing fetched", nil, false, nil, nil, "", false},
		{"a stale catalogue is fetched at start", []string{"alqimah"}, false, nil, []string{"alqimah"}, "Al-Qimah catalogue refreshed: 2 products", false},
		{"ctrl+r fetches every provider", nil, true, nil, []string{"bitaqaty", "alqimah"}, "Catalogues refreshed: Bitaqaty 3 · Al-Qimah 2", false},
		{"a failure is said, the cache stays", nil, true, errFake, []string{"bitaqaty", "alqimah"}, "Catalogue not refreshed: provider unreachable", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.sales.cats.Products = shelf.Of(allProducts())
			h.sales.cats.Stale = tt.stale
			h.sales.refresh["alqimah"] = []providers.Product{pubg, yemenMobile}
			h.sales.refresh["bitaqaty"] = []providers.Product{googlePlay, itunes100, itunes50}
			h.sales.refreshErr = tt.err
			h.open(screens.NewCatalog(h.c))
			if tt.key {
				h.press("ctrl+r")
			}
			if !slices.Equal(h.sales.refreshed, tt.wantAsked) {
				t.Errorf("fetched %v, want %v", h.sales.refreshed, tt.wantAsked)
			}
			if tt.wantMsg != "" {
				h.wantStatus(tt.wantMsg, tt.wantErr)
			}
			if tt.err == nil && tt.wantAsked != nil {
				h.wantView("5 of 5 products")
				// One list for the refreshes together: the start's read and one more.
				if h.sales.cachedReads != 2 {
					t.Errorf("the cached catalogues were read %d times, want 2", h.sales.cachedReads)
				}
			}
			if tt.err != nil {
				h.wantView("provider unreachable", "iTunes Gift Card 50 SAR", "Yemen Mobile top-up")
			}
		})
	}
}

// TestCatalogRefreshOneFails: when one provider's refresh fails and
// another's succeeds, the list shows the new products once both are done,
// and the failure stays said under it.
func TestCatalogRefreshOneFails(t *testing.T) {
	h := newHarness(t)
	h.sales.cats.Products = shelf.Of(allProducts())
	h.sales.refresh["bitaqaty"] = []providers.Product{googlePlay, itunes50}
	h.sales.refresh["alqimah"] = []providers.Product{pubg, yemenMobile}
	h.sales.refreshFails = map[string]error{"alqimah": errFake}
	h.open(screens.NewCatalog(h.c))
	h.press("ctrl+r")
	h.wantStatus("Catalogues refreshed: Bitaqaty 2", false)
	h.wantView("Google Play", "PUBG Mobile 60 UC", "iTunes Gift Card 50 SAR", "provider unreachable")
	if v := h.view(); strings.Contains(v, "iTunes Gift Card 100 SAR") {
		t.Errorf("Bitaqaty's old product is still listed:\n%s", v)
	}
}

// TestCatalogRefreshUnreadable: when the refreshed catalogues cannot be
// read back from the journal, the list on screen stays and the failure is
// said.
func TestCatalogRefreshUnreadable(t *testing.T) {
	h := newHarness(t)
	h.sales.cats.Products = shelf.Of(allProducts())
	h.sales.refresh["bitaqaty"] = []providers.Product{googlePlay}
	h.sales.refresh["alqimah"] = []providers.Product{pubg}
	h.sales.rereadErr = errors.New("journal damaged")
	h.open(screens.NewCatalog(h.c))
	h.press("ctrl+r")
	h.wantStatus("Catalogue not refreshed: journal damaged", true)
	h.wantView("5 of 5 products", "iTunes Gift Card 50 SAR", "Yemen Mobile top-up")
}

func TestCatalogBrowsesBrands(t *testing.T) {
	h := openCatalog(t)
	h.press("tab")
	h.wantView("iTunes", "PUBG", "Yemen Mobile", "networks and brands")
	h.typeText("pub")
	h.press("enter")
	h.wantView("Search: PUBG", "1 of 5 products", "PUBG Mobile 60 UC")
}
