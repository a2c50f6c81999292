package sandboxes

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"kiosk/clock"
	"kiosk/providers"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/bitaqaty/bitaqatysim"
	"kiosk/providers/dtone"
	"kiosk/providers/dtone/dtonesim"
)

func TestSplit(t *testing.T) {
	tests := []struct{ n, bitaqaty, dtone int }{
		{-5, 0, 0},
		{0, 0, 0},
		{1, 0, 1},
		{2, 1, 1},
		{7, 3, 4},
		{40_000, 20_000, 20_000},
		{50_000, 20_000, 30_000},
		{500_000, 20_000, 480_000},
		{MaxProducts, 20_000, MaxProducts - 20_000},
	}
	for _, tt := range tests {
		b, d := Split(tt.n)
		if b != tt.bitaqaty || d != tt.dtone {
			t.Errorf("Split(%d) = %d, %d; want %d, %d", tt.n, b, d, tt.bitaqaty, tt.dtone)
		}
		if tt.n > 0 && b+d != tt.n {
			t.Errorf("Split(%d) shares %d", tt.n, b+d)
		}
	}
}

func TestStartRefusesAbsurdProducts(t *testing.T) {
	for _, n := range []int{-1, MaxProducts + 1} {
		set, err := Start("127.0.0.1:0", Options{Products: n})
		if err == nil {
			set.Close()
			t.Fatalf("Products %d: started", n)
		}
		if !strings.Contains(err.Error(), strconv.Itoa(MaxProducts)) {
			t.Errorf("Products %d: %v does not say the bound", n, err)
		}
	}
}

// read starts the sandboxes with n generated products and reads the
// Bitaqaty and DT One catalogues through the real clients over loopback,
// as the kiosk does. Without extensions DT One's configuration names the
// demo and generated countries (seed L113); with them the client lists
// every country first.
func read(t *testing.T, n int, extensions bool) (set *Set, bt, dt []providers.Product, bc, dc providers.Provider) {
	t.Helper()
	set, err := Start("127.0.0.1:0", Options{Now: clock.NewFake(clock.Start).Now, Extensions: extensions, Products: n})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	bcl, err := bitaqaty.New(BitaqatyConfig(set.BaseURL(Bitaqaty), extensions), nil)
	if err != nil {
		t.Fatal(err)
	}
	dcfg := DTOneConfig(set.BaseURL(DTOne), extensions)
	if !extensions {
		dcfg.Countries = set.DTOneCountries()
	}
	dcl, err := dtone.New(dcfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if bt, err = bcl.Catalog(ctx); err != nil {
		t.Fatalf("bitaqaty catalogue: %v", err)
	}
	if dt, err = dcl.Catalog(ctx); err != nil {
		t.Fatalf("dtone catalogue: %v", err)
	}
	return set, bt, dt, bcl, dcl
}

// generated picks the generated products: Bitaqaty's ids from
// bitaqatysim.GenProductBase, DT One's from 1000001.
func generated(ps []providers.Product) []providers.Product {
	var out []providers.Product
	for _, p := range ps {
		if isGenerated(p) {
			out = append(out, p)
		}
	}
	return out
}

func isGenerated(p providers.Product) bool {
	switch p.Provider {
	case bitaqaty.ID:
		id, err := strconv.Atoi(p.ID)
		return err == nil && id >= bitaqatysim.GenProductBase
	case dtone.ID:
		_, num, _ := strings.Cut(p.ID, "-") // "fvr-1000001": DT One's id after the type's prefix
		id, err := strconv.Atoi(num)
		return err == nil && id >= 1_000_001
	}
	return false
}

// checkProduct is what every generated product must be: named, branded,
// listed under a category, priced at a fixed positive price in a currency,
// and costing the shop less than it sells for.
func checkProduct(p providers.Product) error {
	switch {
	case p.Name == "" || p.Brand == "" || p.Category == "":
		return fmt.Errorf("name %q, brand %q, category %q", p.Name, p.Brand, p.Category)
	case p.PriceKind != providers.PriceFixed:
		return fmt.Errorf("price kind %q", p.PriceKind)
	case len(p.Price.Currency) != 3 || p.Price.Currency != p.Cost.Currency:
		return fmt.Errorf("price %v, cost %v", p.Price, p.Cost)
	case p.Price.Amount.Sign() <= 0 || p.Cost.Amount.Sign() <= 0 || p.Cost.Amount.Cmp(p.Price.Amount) >= 0:
		return fmt.Errorf("price %v, cost %v", p.Price, p.Cost)
	case p.FaceValue.IsZero():
		return fmt.Errorf("no face value")
	}
	switch p.Provider {
	case bitaqaty.ID:
		if p.Kind != providers.KindVoucher || p.NameAr == "" || p.BrandAr == "" {
			return fmt.Errorf("kind %q, Arabic name %q, Arabic brand %q", p.Kind, p.NameAr, p.BrandAr)
		}
	case dtone.ID:
		if (p.Kind != providers.KindVoucher && p.Kind != providers.KindTopUp) || !p.Available || len(p.Fields) != 1 {
			return fmt.Errorf("kind %q, available %v, %d fields", p.Kind, p.Available, len(p.Fields))
		}
	}
	return nil
}

func TestGeneratedCatalogues(t *testing.T) {
	_, demoB, demoD, _, _ := read(t, 0, false)
	_, demoBx, demoDx, _, _ := read(t, 0, true)
	tests := []struct {
		name       string
		n          int
		extensions bool
		long       bool
	}{
		{"none", 0, false, false},
		{"one goes to DT One", 1, false, false},
		{"odd", 7, true, false},
		{"DT One past one country", 2*dtonesim.GenPerCountry + 3, false, false},
		{"DT One past one country, countries extension", 2*dtonesim.GenPerCountry + 3, true, false},
		{"Bitaqaty at its share's bound: one answer under 16 MiB", 2*BitaqatyMaxGenerated + 2*dtonesim.GenPerCountry, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.long && testing.Short() {
				t.Skip("short")
			}
			_, bt, dt, _, _ := read(t, tt.n, tt.extensions)
			wantB, wantD := Split(tt.n)
			db, dd := len(demoB), len(demoD)
			if tt.extensions {
				db, dd = len(demoBx), len(demoDx)
			}
			gb, gd := generated(bt), generated(dt)
			if len(gb) != wantB || len(bt) != db+wantB {
				t.Errorf("bitaqaty: %d products, %d generated; want %d and %d", len(bt), len(gb), db+wantB, wantB)
			}
			if len(gd) != wantD || len(dt) != dd+wantD {
				t.Errorf("dtone: %d products, %d generated; want %d and %d", len(dt), len(gd), dd+wantD, wantD)
			}
			brands, off := map[string]bool{}, 0
			for _, p := range slices.Concat(gb, gd) {
				if err := checkProduct(p); err != nil {
					t.Fatalf("%s/%s %q: %v", p.Provider, p.ID, p.Name, err)
				}
				brands[p.Provider+"/"+p.Brand] = true
				if !p.Available {
					off++
				}
			}
			// Like a real catalogue: many brands, and the odd voucher out of
			// sale (Bitaqaty's 97th).
			if wantB >= 100 && (len(brands) < 50 || off == 0 || off > wantB/90) {
				t.Errorf("%d brands, %d of %d Bitaqaty vouchers not available", len(brands), off, wantB)
			}
		})
	}
}

// key is what the screen shows and searches of a product, and its prices.
func key(p providers.Product) string {
	return strings.Join([]string{p.Provider, p.ID, p.Name, p.NameAr, p.Brand, p.BrandAr, p.Category, p.Country,
		string(p.Kind), p.Price.String(), p.Cost.String(), p.FaceValue.String(), strconv.FormatBool(p.Available)}, "|")
}

func TestGeneratedCataloguesAreDeterministic(t *testing.T) {
	const n = 3*dtonesim.GenPerCountry + 11
	_, b1, d1, _, _ := read(t, n, true)
	_, b2, d2, _, _ := read(t, n, true)
	a, b := slices.Concat(b1, d1), slices.Concat(b2, d2)
	if len(a) != len(b) {
		t.Fatalf("%d products, then %d", len(a), len(b))
	}
	for i := range a {
		if key(a[i]) != key(b[i]) {
			t.Fatalf("product %d: %s, then %s", i, key(a[i]), key(b[i]))
		}
	}
}

// TestGeneratedProductsSell buys a generated product of each provider
// through the real clients: a Bitaqaty voucher gets its PIN, a DT One
// top-up its confirmation.
func TestGeneratedProductsSell(t *testing.T) {
	set, bt, dt, bc, dc := read(t, 2*dtonesim.GenPerCountry+5, true)
	ctx := context.Background()
	buy := func(c providers.Provider, p providers.Product, fields map[string]string, ref string) providers.Result {
		t.Helper()
		if err := p.ValidateFields(fields); err != nil {
			t.Fatalf("%s/%s fields: %v", p.Provider, p.ID, err)
		}
		q, err := c.Quote(ctx, providers.QuoteRequest{Product: p, Fields: fields})
		if err != nil {
			t.Fatalf("%s/%s quote: %v", p.Provider, p.ID, err)
		}
		if q.Retail.Amount.Sign() <= 0 && q.Cost.Amount.Sign() <= 0 {
			t.Fatalf("%s/%s quote without a price: %+v", p.Provider, p.ID, q)
		}
		r, err := c.Purchase(ctx, providers.PurchaseRequest{Ref: ref, Terminal: "T001", Clerk: "test", Quote: q})
		if err != nil {
			t.Fatalf("%s/%s purchase: %v", p.Provider, p.ID, err)
		}
		if r.State != providers.Succeeded || len(r.Vouchers) == 0 {
			t.Fatalf("%s/%s purchase: %+v", p.Provider, p.ID, r)
		}
		if set.Charged(p.Provider, ref) != 1 {
			t.Fatalf("%s/%s: charged %d times", p.Provider, p.ID, set.Charged(p.Provider, ref))
		}
		return r
	}
	var voucher, topup providers.Product
	for _, p := range generated(bt) {
		if p.Available {
			voucher = p
			break
		}
	}
	for _, p := range generated(dt) {
		if p.Kind == providers.KindTopUp && p.Price.Currency == "USD" {
			topup = p
			break
		}
	}
	if voucher.ID == "" || topup.ID == "" {
		t.Fatalf("no generated voucher (%q) or top-up (%q)", voucher.ID, topup.ID)
	}
	if r := buy(bc, voucher, nil, "100000000001"); r.Vouchers[0].PIN == "" {
		t.Errorf("bitaqaty voucher without a PIN: %+v", r)
	}
	buy(dc, topup, map[string]string{"account_number": "15550123456"}, "100000000002")
}
