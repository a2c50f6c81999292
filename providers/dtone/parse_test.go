package dtone

import (
	"maps"
	"strings"
	"testing"

	"kiosk/money"
	"kiosk/providers"
)

func TestParseProductsSeedExamples(t *testing.T) {
	for name, body := range map[string]string{
		"operator": seedOperatorProducts,
		"country":  seedCountryProducts, // has a trailing comma
		"service":  seedServiceProducts,
	} {
		t.Run(name, func(t *testing.T) {
			list, skipped, err := parseProducts([]byte(body))
			if err != nil || skipped != 0 || len(list) == 0 {
				t.Fatalf("parseProducts: %d products, %d skipped, err %v", len(list), skipped, err)
			}
			p := list[0]
			if p.Type != FixedRecharges || p.ProductID != "64" || p.Operator != "Claro TV Guatemala USD" || p.Country != "Guatemala" {
				t.Fatalf("first product = %+v", p)
			}
			if p.WholesalePrice.String() != "12.5" || p.RetailPrice.String() != "13.5" || p.Fee.String() != "0" || p.AccountCurrency != "USD" {
				t.Fatalf("prices = %s %s %s %s", p.WholesalePrice, p.RetailPrice, p.Fee, p.AccountCurrency)
			}
		})
	}
}

func TestToProductSeedExample(t *testing.T) {
	list, _, err := parseProducts([]byte(seedOperatorProducts))
	if err != nil || len(list) != 2 {
		t.Fatalf("parse: %v, %d", err, len(list))
	}
	p := toProduct(list[1], nil)
	want := providers.Product{Provider: ID, ID: "fvr-65", Name: "$20 Advanced", Brand: "Claro TV", Country: "GT", Category: "television", Kind: providers.KindTopUp, PriceKind: providers.PriceFixed}
	if p.Provider != want.Provider || p.ID != want.ID || p.Name != want.Name || p.Brand != want.Brand || p.Country != want.Country ||
		p.Category != want.Category || p.Kind != want.Kind || p.PriceKind != want.PriceKind || !p.Available {
		t.Fatalf("product = %+v", p)
	}
	if !p.Price.Equal(money.New(money.MustParse("19.3"), "USD")) || !p.Cost.Equal(money.New(money.FromInt(18), "USD")) ||
		!p.FaceValue.Equal(money.New(money.FromInt(20), "USD")) {
		t.Fatalf("price %s cost %s face %s", p.Price, p.Cost, p.FaceValue)
	}
	if p.Extra["type"] != FixedRecharges || productID(p) != "65" || p.Extra["product_id"] != "" || p.Extra["operator_id"] != "1959" || p.Extra["verify"] != "unknown" {
		t.Fatalf("extra = %v", p.Extra)
	}
	// The two products of the seed's operator have the same extras (the id
	// is in ID), so a decoded cache keeps one map for both.
	if q := toProduct(list[0], nil); q.ID == p.ID || !maps.Equal(q.Extra, p.Extra) {
		t.Errorf("extras of one operator's products differ: %v and %v", q.Extra, p.Extra)
	}
	// A TV account is a plain number, not a phone.
	if len(p.Fields) != 1 || p.Fields[0].Name != "account_number" || p.Fields[0].Kind != providers.FieldDigits || !p.Fields[0].Required {
		t.Fatalf("fields = %+v", p.Fields)
	}
}

func TestBrandOf(t *testing.T) {
	tests := []struct{ operator, country, want string }{
		{"Claro TV Guatemala USD", "Guatemala", "Claro TV"},
		{"Claro Guatemala USD", "Guatemala", "Claro"},
		{"Airtel Bangladesh", "Bangladesh", "Airtel"},
		{"Airtel Andhra Pradesh India", "India", "Airtel Andhra Pradesh"},
		{"Digicel El Salvador", "El Salvador", "Digicel"},
		{"Guatemala", "Guatemala", "Guatemala"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := brandOf(tt.operator, tt.country); got != tt.want {
			t.Errorf("brandOf(%q, %q) = %q, want %q", tt.operator, tt.country, got, tt.want)
		}
	}
}

func TestAccountFieldPhonePlan(t *testing.T) {
	f := accountField(FixedRecharges, "mobile", "IN")
	if f.Kind != providers.FieldPhone || f.MinLen != 12 || f.MaxLen != 12 || !f.Required {
		t.Fatalf("field = %+v", f)
	}
	for v, ok := range map[string]bool{"911234567890": true, "921234567890": false, "91123456789": false, "+911234567890": false} {
		if err := f.Validate(v); (err == nil) != ok {
			t.Errorf("Validate(%q) = %v", v, err)
		}
	}
	v := accountField(FixedVouchers, "gift cards", "GT")
	if v.Required || v.Validate("") != nil || v.Validate("50255501234") != nil {
		t.Fatalf("voucher field = %+v", v)
	}
}

// A fixed-value product without a readable price is skipped, never sold
// at zero; a variable-value one carries no price of its own (the seed
// defines none) and is kept, to be priced from its suggested values.
func TestParseProductsSkipsUnpriced(t *testing.T) {
	body := `{"fixed_value_recharges":[
		{"product_id":1,"wholesale_price":"abc","retail_price":2,"account_currency":"USD"},
		{"product_id":2,"retail_price":2,"account_currency":"USD"},
		{"product_id":3,"wholesale_price":"1.5","retail_price":"2","account_currency":"USD"}],
		"variable_value_recharges":[{"product_id":1558,"operator":"Airtel Andhra Pradesh India","country":"India","local_currency":"INR","account_currency":"USD"}]}`
	list, skipped, err := parseProducts([]byte(body))
	if err != nil || skipped != 2 || len(list) != 2 || list[0].ProductID != "3" || list[1].ProductID != "1558" {
		t.Fatalf("list %+v skipped %d err %v", list, skipped, err)
	}
	sugg, err := parseSuggested([]byte(seedSuggestedValues))
	if err != nil {
		t.Fatal(err)
	}
	p := toProduct(list[1], sugg)
	if !p.Available || p.PriceKind != providers.PriceRange || p.Price.Currency != "INR" ||
		!p.MinAmount.Equal(money.New(money.FromInt(9), "INR")) || !p.MaxAmount.Equal(money.New(money.FromInt(19), "INR")) || p.Extra["suggested"] != "9,19" {
		t.Fatalf("variable product %+v", p)
	}
	if p := toProduct(list[1], nil); p.Available || p.Extra["unavailable"] == "" {
		t.Fatalf("a variable product with no suggested values is sellable: %+v", p)
	}
}

func TestParseProductsErrors(t *testing.T) {
	for name, body := range map[string]string{
		"html":      "<html><body>502 Bad Gateway</body></html>",
		"truncated": seedOperatorProducts[:200],
		"empty":     "",
		"no lists":  `{"foo":[]}`,
		"not list":  `{"fixed_value_recharges":{}}`,
	} {
		if _, _, err := parseProducts([]byte(body)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	_, _, err := parseProducts([]byte(seedOperatorProducts[:200]))
	if !strings.Contains(err.Error(), "cut short") {
		t.Errorf("truncated: %v", err)
	}
}

func TestParseSuggestedSeedExample(t *testing.T) {
	s, err := parseSuggested([]byte(seedSuggestedValues))
	if err != nil || len(s) != 2 {
		t.Fatalf("parseSuggested: %v %d", err, len(s))
	}
	// The seed's prices are strings, and retail is below wholesale (L212-L213): read as written.
	if s[0].LocalValue.String() != "9" || s[0].LocalCurrency != "INR" || s[0].Name != "50 MB of 2G Plan for 1 Day" ||
		s[0].WholesalePrice.String() != "0.14" || s[0].RetailPrice.String() != "0.06" || s[1].LocalValue.String() != "19" ||
		s[1].Info3 != "data_amount:110 MB" {
		t.Fatalf("suggestions = %+v", s)
	}
	if _, err := parseSuggested([]byte(`{"suggested_values":[{"local_value":9,"wholesale_price":"cheap"}]}`)); err == nil {
		t.Fatal("a price that does not parse was accepted")
	}
	// A value without both prices, or without a positive value, is no price.
	s, err = parseSuggested([]byte(`{"suggested_values":[{"local_value":9,"wholesale_price":"0.1"},{"local_value":0,"wholesale_price":"0.1","retail_price":"0.2"},{"local_value":5,"wholesale_price":0.1,"retail_price":0.2}]}`))
	if err != nil || len(s) != 1 || s[0].LocalValue.String() != "5" {
		t.Fatalf("suggestions = %+v, %v", s, err)
	}
}

func TestParseVerified(t *testing.T) {
	tests := []struct {
		body string
		want bool
		err  bool
	}{
		{seedVerified, true, false},
		{`{"verified":0}`, false, false},
		{`{"verified":"1"}`, true, false},
		{`{"verified":true}`, true, false},
		{`{"verified":2}`, false, true},
		{`{}`, false, true},
		{seedVerifyUnavailable, false, true},
	}
	for _, tt := range tests {
		got, err := parseVerified([]byte(tt.body))
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("parseVerified(%s) = %v, %v", tt.body, got, err)
		}
	}
}

func TestParseErrorsSeedExample(t *testing.T) {
	e, ok := parseErrors([]byte(seedVerifyUnavailable))
	if !ok || e.Code != "1000304" || e.Message != "Account verification not available for this product" {
		t.Fatalf("parseErrors = %+v %v", e, ok)
	}
	if e, ok := parseErrors([]byte(`{"errors":[{"code":"1000990","message":"x"}]}`)); !ok || e.Code != "1000990" {
		t.Fatalf("string code: %+v %v", e, ok)
	}
	for _, body := range []string{`{}`, `{"errors":[]}`, `<html>`, ``} {
		if _, ok := parseErrors([]byte(body)); ok {
			t.Errorf("parseErrors(%q) ok", body)
		}
	}
}

func TestParseTxn(t *testing.T) {
	tx, err := parseTxn([]byte(simulatedVoucherPurchase))
	if err != nil {
		t.Fatal(err)
	}
	r := tx.result(FixedVouchers)
	if r.State != providers.Succeeded || r.ProviderRef != "5100042" || r.ProductID != "fvv-112" ||
		!r.Charged.Equal(money.New(money.MustParse("14.79"), "USD")) || r.At.IsZero() {
		t.Fatalf("result = %+v", r)
	}
	// Simulation hands over no PIN; a voucher with nothing in it is left out.
	if len(r.Vouchers) != 0 {
		t.Fatalf("vouchers = %+v", r.Vouchers)
	}

	withPIN := strings.Replace(simulatedVoucherPurchase, `"pin":""`, `"pin":1234567890123456`, 1)
	tx, err = parseTxn([]byte(withPIN))
	if err != nil {
		t.Fatal(err)
	}
	r = tx.result(FixedVouchers)
	if len(r.Vouchers) != 1 || r.Vouchers[0].PIN != "1234567890123456" || !r.Vouchers[0].Value.Equal(money.New(money.FromInt(100), "GTQ")) {
		t.Fatalf("voucher = %+v", r.Vouchers)
	}
}

// Only "0" is a documented final status; nothing documents a failure, so
// every other status stays pending (looked up again, never refunded on a guess).
func TestStateOf(t *testing.T) {
	tests := map[string]providers.State{
		"0": providers.Succeeded, " 0 ": providers.Succeeded,
		"PENDING": providers.Pending, "1": providers.Pending, "SUBMITTED": providers.Pending, "": providers.Pending,
		"SUCCESSFUL": providers.Pending, "FAILED": providers.Pending, "declined": providers.Pending,
	}
	for s, want := range tests {
		if got := stateOf(s); got != want {
			t.Errorf("stateOf(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestParseTxnErrors(t *testing.T) {
	for name, body := range map[string]string{
		"no status":    `{"transaction_id":"1"}`,
		"no id":        `{"status":"0"}`,
		"bad price":    `{"transaction_id":"1","status":"0","wholesale_price":"twelve"}`,
		"html":         `<!DOCTYPE html><html></html>`,
		"truncated":    simulatedVoucherPurchase[:120],
		"wrong shapes": `{"transaction_id":{},"status":"0"}`,
	} {
		if _, err := parseTxn([]byte(body)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDropTrailingCommas(t *testing.T) {
	in := `{"a":[1,2,],"b":"x,]", "c":{"d":1,},}`
	want := `{"a":[1,2],"b":"x,]", "c":{"d":1}}`
	if got := string(dropTrailingCommas([]byte(in))); got != want {
		t.Fatalf("got %s", got)
	}
}

// Fuzz targets: the parsers must never panic, and what they accept must
// hold together.

func FuzzParseProducts(f *testing.F) {
	for _, s := range []string{seedOperatorProducts, seedCountryProducts, seedServiceProducts, `{"variable_value_recharges":[{"product_id":"1","local_currency":"INR"}]}`, "<html>", ""} {
		f.Add([]byte(s))
	}
	sugg, _ := parseSuggested([]byte(seedSuggestedValues))
	f.Fuzz(func(t *testing.T, b []byte) {
		list, _, err := parseProducts(b)
		if err != nil {
			return
		}
		for _, tp := range list {
			p := toProduct(tp, sugg)
			if p.PriceKind == providers.PriceFixed && p.Price.Currency == "" {
				t.Fatalf("fixed product without a currency: %+v", p)
			}
			if p.ID == "" || p.Provider != ID || p.Extra["type"] == "" {
				t.Fatalf("product without identity: %+v", p)
			}
			if p.PriceKind == providers.PriceRange && p.MaxAmount.Amount.Cmp(p.MinAmount.Amount) < 0 {
				t.Fatalf("range upside down: %+v", p)
			}
		}
	})
}

func FuzzParseSuggested(f *testing.F) {
	f.Add([]byte(seedSuggestedValues))
	f.Add([]byte(`{"suggested_values":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseSuggested(b)
		for _, v := range s {
			if err != nil || v.LocalValue.Sign() <= 0 || v.WholesalePrice == nil || v.RetailPrice == nil {
				t.Fatalf("unpriced suggestion kept: %+v", v)
			}
			_ = describe(v, "INR")
		}
	})
}

func FuzzParseVerified(f *testing.F) {
	f.Add([]byte(seedVerified))
	f.Add([]byte(seedVerifyUnavailable))
	f.Fuzz(func(t *testing.T, b []byte) { _, _ = parseVerified(b) })
}

func FuzzParseErrors(f *testing.F) {
	f.Add([]byte(seedVerifyUnavailable))
	f.Add([]byte(`{"errors":[{"code":"1000990","message":"External ID already used"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if e, ok := parseErrors(b); ok && e.Code == "" {
			t.Fatal("ok without a code")
		}
	})
}

func FuzzParseTxn(f *testing.F) {
	f.Add([]byte(simulatedVoucherPurchase))
	f.Add([]byte(`{"transaction_id":1,"status":"PENDING"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tx, err := parseTxn(b)
		if err != nil {
			return
		}
		r := tx.result(FixedRecharges)
		if r.State == "" || r.ProviderRef == "" {
			t.Fatalf("result without state or id: %+v", r)
		}
	})
}

func FuzzParseListed(f *testing.F) {
	f.Add([]byte(`{"countries":[{"country_id":756,"country":"Guatemala"}]}`))
	f.Add([]byte(`{"countries":[{"country_id":"756"},{"country":"x"},1]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		list, err := parseListed(b, "countries", "country_id", "country")
		for _, l := range list {
			if err != nil || l.ID == "" {
				t.Fatalf("entry without an id: %+v", l)
			}
		}
	})
}

func TestParseListed(t *testing.T) {
	list, err := parseListed([]byte(`{"operators":[{"operator_id":1959,"operator":"Claro TV Guatemala USD","country_id":756,"country":"Guatemala"},{"operator":"no id"}]}`), "operators", "operator_id", "operator")
	if err != nil || len(list) != 1 || list[0] != (listed{ID: "1959", Name: "Claro TV Guatemala USD", Country: "Guatemala"}) {
		t.Fatalf("%+v, %v", list, err)
	}
	for _, body := range []string{`{"services":{}}`, `{}`, `<html>`, ``, `{"services":[`} {
		if _, err := parseListed([]byte(body), "services", "service_id", "service"); err == nil {
			t.Errorf("%q accepted", body)
		}
	}
}
