package dtonesim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// seedOperatorProducts is the seed's answer to GET /operators/{id}/products
// (seed L62-L109), copied as written.
const seedOperatorProducts = `{
    "fixed_value_vouchers":[],
    "fixed_value_recharges":
        [
            {
                "product_id":64,
                "product_name":"$14 Basic",
                "product_short_desc":"14 USD Basic",
                "operator_id":1959,
                "operator":"Claro TV Guatemala USD",
                "country_id":756,
                "country":"Guatemala",
                "service_id":1,
                "service":"television",
                "product_value":14,
                "product_currency":"USD",
                "local_value":14,
                "local_currency":"USD",
                "account_currency":"USD",
                "wholesale_price":12.5,
                "retail_price":13.5,
                "fee":0
            },
            {
                "product_id":65,
                "product_name":"$20 Advanced",
                "product_short_desc":"20 USD Advanced",
                "operator_id":1959,
                "operator":"Claro TV Guatemala USD",
                "country_id":756,
                "country":"Guatemala",
                "service_id":1,
                "service":"television",
                "product_value":20,
                "product_currency":"USD",
                "local_value":20,
                "local_currency":"USD",
                "account_currency":"USD",
                "wholesale_price":18,
                "retail_price":19.3,
                "fee":0
            }
        ],
    "fixed_value_payments":[],
    "variable_value_vouchers":[],
    "variable_value_recharges":[],
    "variable_value_payments":[]
}`

// seedSuggestedValues is the seed's answer to the suggested-values call
// (seed L201-L229).
const seedSuggestedValues = `{
    "suggested_values":
        [
            {
                "local_value":9,
                "local_currency":"INR",
                "name":"50 MB of 2G Plan for 1 Day",
                "description":"AIRT / UPE / 9INR / 2G Plan / 50 MB / 1 Day",
                "additional_info_1":"type:2G Plan",
                "additional_info_2":"validity:1 Day",
                "additional_info_3":"data_amount:50 MB",
                "wholesale_price":"0.14",
                "retail_price":"0.06",
                "fee":0
            },
            {
                "local_value":19,
                "local_currency":"INR",
                "name":"110 MB of 2G Plan for 3 Days",
                "description":"AIRT / UPE / 19INR / 2G Plan / 110 MB / 3 Days",
                "additional_info_1":"type:2G Plan",
                "additional_info_2":"validity:3 Days",
                "additional_info_3":"data_amount:110 MB",
                "wholesale_price":"0.3",
                "retail_price":"0.14",
                "fee":0
              }
        ]
}`

// seedProduct64 is product 64 as the country and service samples write it
// (seed L125-L143), typo "Baisc" included.
const seedProduct64 = `{
                "product_id":64,
                "product_name":"$14 Basic",
                "product_short_desc":"14 USD Baisc",
                "operator_id":1959,
                "operator":"Claro TV Guatemala USD",
                "country_id":756,
                "country":"Guatemala",
                "service_id":1,
                "service":"television",
                "product_value":14,
                "product_currency":"USD",
                "local_value":14,
                "local_currency":"USD",
                "account_currency":"USD",
                "wholesale_price":12.5,
                "retail_price":13.5,
                "fee":0
            }`

func TestOperatorProductsIsTheSeedSample(t *testing.T) {
	c := newSim(t)
	a := c.get("/operators/1959/products")
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	sameJSON(t, decodeJSON(t, string(a.body)), decodeJSON(t, seedOperatorProducts))
	// The seed's key order (L63-L108, L67-L83).
	wantOrder := []string{"fixed_value_vouchers", "fixed_value_recharges", "fixed_value_payments", "variable_value_vouchers", "variable_value_recharges", "variable_value_payments"}
	assertKeyOrder(t, a.body, wantOrder)
	assertKeyOrder(t, a.body, []string{"product_id", "product_name", "product_short_desc", "operator_id", "operator", "country_id", "country", "service_id", "service", "product_value", "product_currency", "local_value", "local_currency", "account_currency", "wholesale_price", "retail_price", "fee"})
}

func assertKeyOrder(t *testing.T, body []byte, keys []string) {
	t.Helper()
	last := -1
	for _, k := range keys {
		i := bytes.Index(body, []byte(`"`+k+`":`))
		if i <= last {
			t.Fatalf("key %q out of order in %s", k, body)
		}
		last = i
	}
}

// productLists decodes a product-list answer, tolerating the seed's
// trailing comma (seed L148), and returns product ids per category.
func productLists(t *testing.T, body []byte) (map[string][]map[string]any, bool) {
	t.Helper()
	s := strings.TrimSpace(string(body))
	trailing := strings.HasSuffix(s, ",}")
	if trailing {
		s = strings.TrimSuffix(s, ",}") + "}"
	}
	var m map[string][]map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("product lists: %v\n%s", err, body)
	}
	if len(m) != 6 {
		t.Fatalf("want the six category keys, got %d: %s", len(m), body)
	}
	for _, k := range categories() {
		if m[k] == nil {
			t.Fatalf("category %q missing or not a list: %s", k, body)
		}
	}
	return m, trailing
}

func ids(m map[string][]map[string]any) map[string][]string {
	out := map[string][]string{}
	for k, list := range m {
		for _, p := range list {
			out[k] = append(out[k], p["product_id"].(json.Number).String())
		}
	}
	return out
}

func TestProductLists(t *testing.T) {
	c := newSim(t)
	tests := []struct {
		name     string
		path     string
		trailing bool                // seed L148: only the country sample has it
		want     map[string][]string // ids per category
	}{
		{"operator", "/operators/1581/products", false, map[string][]string{FixedValueRecharges: {"301", "302"}, VariableValueRecharges: {"303"}}},
		{"operator unknown", "/operators/999999/products", false, map[string][]string{}},
		{"country seed filter", "/countries/756/products?operator_id=1959&service_id=1", true, map[string][]string{FixedValueRecharges: {"64", "65"}}},
		{"country all", "/countries/756/products", true, map[string][]string{FixedValueRecharges: {"301", "302", "64", "65"}, VariableValueRecharges: {"303"}, FixedValueVouchers: {"112"}, VariableValueVouchers: {"2601"}}},
		{"country by service", "/countries/756/products?service_id=5", true, map[string][]string{FixedValueVouchers: {"112"}, VariableValueVouchers: {"2601"}}},
		{"country empty filters", "/countries/767/products?operator_id=&service_id=", true, map[string][]string{FixedValuePayments: {"2701"}, VariableValuePayments: {"2702"}}},
		{"country unknown", "/countries/1/products", true, map[string][]string{}},
		{"service seed filter", "/services/1/products?country_id=756", false, map[string][]string{FixedValueRecharges: {"64", "65"}}},
		{"service by operator", "/services/2/products?operator_id=177", false, map[string][]string{FixedValueRecharges: {"1771"}, VariableValueRecharges: {"1772"}}},
		{"service by country and operator", "/services/2/products?country_id=756&operator_id=177", false, map[string][]string{}},
		{"service all", "/services/7/products", false, map[string][]string{VariableValueRecharges: {"1558"}, FixedValueRecharges: {"1620", "138"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := c.get(tt.path)
			if a.status != http.StatusOK {
				t.Fatalf("status %d: %s", a.status, a.body)
			}
			lists, trailing := productLists(t, a.body)
			if trailing != tt.trailing {
				t.Fatalf("trailing comma %v, want %v: %s", trailing, tt.trailing, a.body)
			}
			if tt.trailing && json.Valid(a.body) {
				t.Fatal("the country answer should keep the seed's trailing comma")
			}
			got := ids(lists)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, w := range tt.want {
				if strings.Join(got[k], ",") != strings.Join(w, ",") {
					t.Fatalf("%s: got %v, want %v", k, got[k], w)
				}
			}
		})
	}
}

func TestCountryAndServiceSamplesMatchTheSeed(t *testing.T) {
	c := newSim(t)
	want := decodeJSON(t, seedProduct64).(map[string]any)
	for _, path := range []string{"/countries/756/products?operator_id=1959&service_id=1", "/services/1/products?operator_id=1959&country_id=756"} {
		a := c.get(path)
		lists, _ := productLists(t, a.body)
		got := lists[FixedValueRecharges][0]
		// The seed's country and service samples spell the description
		// "Baisc" (L128, L168), its operator sample "Basic" (L69); the demo
		// keeps "Basic".
		if got["product_short_desc"] != "14 USD Basic" {
			t.Fatalf("%s: desc %v", path, got["product_short_desc"])
		}
		got["product_short_desc"] = want["product_short_desc"]
		sameJSON(t, any(got), any(want))
	}
}

func TestVariableProductHasNoMinMaxNorPrice(t *testing.T) {
	c := newSim(t)
	lists, _ := productLists(t, c.get("/operators/2184/products").body)
	p := lists[VariableValueRecharges][0]
	for _, k := range []string{"product_min_value", "product_max_value", "local_min_value", "local_max_value", "product_value", "local_value", "wholesale_price", "retail_price", "fee"} {
		if _, ok := p[k]; ok {
			t.Fatalf("variable product carries %q: %v", k, p)
		}
	}
	if p["product_id"].(json.Number) != "1558" || p["local_currency"] != "INR" || p["service"] != "bundles" {
		t.Fatalf("product %v", p)
	}
}

func TestSuggestedValues(t *testing.T) {
	c := newSim(t)
	a := c.get("/product/variable_value_recharges/1558/suggested_values")
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	got := decodeJSON(t, string(a.body)).(map[string]any)["suggested_values"].([]any)
	want := decodeJSON(t, seedSuggestedValues).(map[string]any)["suggested_values"].([]any)
	if len(got) != 3 {
		t.Fatalf("want 3 suggested values, got %d", len(got))
	}
	sameJSON(t, got[:2], want) // the seed's own two, prices as strings, retail below wholesale
	assertKeyOrder(t, a.body, []string{"local_value", "local_currency", "name", "description", "additional_info_1", "additional_info_2", "additional_info_3", "wholesale_price", "retail_price", "fee"})

	tests := []struct {
		name   string
		path   string
		status int
		code   int // 0: web server 404
	}{
		{"other variable recharge", "/product/variable_value_recharges/303/suggested_values", 200, -1},
		{"fixed product", "/product/variable_value_recharges/64/suggested_values", 404, 1000404},
		{"variable voucher as recharge", "/product/variable_value_recharges/2601/suggested_values", 404, 1000404},
		{"unknown product", "/product/variable_value_recharges/4242/suggested_values", 404, 1000404},
		{"not a number", "/product/variable_value_recharges/abc/suggested_values", 400, 1000999},
		{"voucher path not in the seed", "/product/variable_value_vouchers/2601/suggested_values", 404, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := c.get(tt.path)
			switch {
			case a.status != tt.status:
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
			case tt.code == 0 && !isWebServer404(t, a):
				t.Fatalf("want a web server 404: %s", a.body)
			case tt.code > 0 && a.errorCode(t) != tt.code:
				t.Fatalf("code %d, want %d: %s", a.errorCode(t), tt.code, a.body)
			}
		})
	}
}

func TestAccountStatus(t *testing.T) {
	c := newSim(t)
	tests := []struct {
		name   string
		path   string
		status int
		body   string
	}{
		{"valid", "/products/1558/account_number/919876543210/status", 200, `{"verified":1}`},                // seed L248-L250
		{"invalid ends in 0000", "/products/1558/account_number/919876540000/status", 200, `{"verified":0}`}, // seed L252
		{"invalid letters", "/products/301/account_number/5021ABC/status", 200, `{"verified":0}`},            // seed L252
		{"not available", "/products/64/account_number/50212345678/status", 400, seedNotAvailable},           // seed L256-L265
		{"voucher not available", "/products/112/account_number/50212345678/status", 400, seedNotAvailable},  // seed L256-L265
		{"unknown product", "/products/4242/account_number/50212345678/status", 404, `{"errors":[{"code":1000404,"message":"Product not found"}]}`},
		{"bad product id", "/products/x/account_number/50212345678/status", 400, `{"errors":[{"code":1000999,"message":"Invalid parameter: product id"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := c.get(tt.path)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
			}
			sameJSON(t, decodeJSON(t, string(a.body)), decodeJSON(t, tt.body))
		})
	}
}

// seedNotAvailable is seed L260-L265.
const seedNotAvailable = `{
        "errors":[
            {
                "code":1000304,
                "message":"Account verification not available for this product"
            }]
    }`

func TestUnknownPathsAnswerLikeAWebServer(t *testing.T) {
	c := newSim(t)
	for _, path := range []string{
		"/", "/v1.1/operators/1959/products", "/operators/1959/products/", "/operators//products",
		"/operators/1959", "/product/variable_value_payments/2702/suggested_values", "/products/64",
		"/ping", "/services", "/countries", "/operators", "/countries/756/operators", "/countries/756/services",
		"/transactions/fixed_value_recharges", "/transactions/fixed_value_recharges/ext-R1",
	} {
		a := c.get(path)
		if !isWebServer404(t, a) {
			t.Errorf("GET %s: %d %s", path, a.status, a.body)
		}
		a = c.post(path, `{}`)
		if !isWebServer404(t, a) {
			t.Errorf("POST %s: %d %s", path, a.status, a.body)
		}
	}
	// Not even authentication is looked at for a path the server lacks.
	a := c.request(t.Context(), http.MethodGet, "/nothing", "", map[string]string{})
	if !isWebServer404(t, a) {
		t.Fatalf("unsigned unknown path: %d %s", a.status, a.body)
	}
	// A known path asked with another method.
	a = c.post("/operators/1959/products", `{}`)
	if a.status != http.StatusMethodNotAllowed || a.errorCode(t) != 0 || a.header.Get("Allow") != http.MethodGet {
		t.Fatalf("POST on a GET route: %d %v %s", a.status, a.header, a.body)
	}
}

func TestAuthentication(t *testing.T) {
	c := newSim(t)
	const path = "/operators/1959/products"
	good := func(n string) map[string]string {
		return map[string]string{HeaderAPIKey: APIKey, HeaderNonce: n, HeaderHMAC: Sign(APIKey, APISecret, n)}
	}
	without := func(h map[string]string, k string) map[string]string { delete(h, k); return h }
	with := func(h map[string]string, k, v string) map[string]string { h[k] = v; return h }
	tests := []struct {
		name    string
		headers map[string]string
		ok      bool
	}{
		{"good", good("a1"), true},
		{"lower-case header names", map[string]string{"x-transferto-apikey": APIKey, "x-transferto-nonce": "a2", "x-transferto-hmac": Sign(APIKey, APISecret, "a2")}, true},
		{"nonce used twice", good("a1"), false},
		{"no key", without(good("a3"), HeaderAPIKey), false},
		{"no nonce", without(good("a4"), HeaderNonce), false},
		{"no hmac", without(good("a5"), HeaderHMAC), false},
		{"wrong key", with(good("a6"), HeaderAPIKey, "someone-else"), false},
		{"wrong hmac", with(good("a7"), HeaderHMAC, Sign(APIKey, "wrong-secret", "a7")), false},
		{"hmac of another nonce", with(good("a8"), HeaderHMAC, Sign(APIKey, APISecret, "a9")), false},
		{"hex instead of base64", with(good("a10"), HeaderHMAC, "0123456789abcdef"), false},
		{"nonce refused once is still new", good("a7"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := c.request(t.Context(), http.MethodGet, path, "", tt.headers)
			if tt.ok {
				if a.status != http.StatusOK {
					t.Fatalf("status %d: %s", a.status, a.body)
				}
				return
			}
			if a.status != http.StatusUnauthorized || a.errorCode(t) != 1000401 {
				t.Fatalf("want 401 with 1000401, got %d %s", a.status, a.body)
			}
		})
	}
}

func TestSign(t *testing.T) {
	// Values computed independently with
	//   printf %s "$key$nonce" | openssl dgst -sha256 -hmac "$secret" -binary | base64
	tests := []struct{ key, secret, nonce, want string }{
		{APIKey, APISecret, "1478078334", "TPIlPE7Qxoh7bxuAlTkqGbe3Lv4gdKXCeE24EaD9HoM="},
		{"00000000-0000-0000-0000-000000000000", "secret", "1478078334", "179ocAaCAZbKmIWKY5EprxOXDPHHBqzekuL+ci4yJFU="},
	}
	for _, tt := range tests {
		if got := Sign(tt.key, tt.secret, tt.nonce); got != tt.want {
			t.Errorf("Sign(%q, %q, %q) = %q, want %q", tt.key, tt.secret, tt.nonce, got, tt.want)
		}
	}
}

func TestBadIDs(t *testing.T) {
	c := newSim(t)
	for _, path := range []string{
		"/operators/abc/products", "/countries/0/products", "/services/-1/products",
		"/countries/756/products?operator_id=x", "/services/1/products?country_id=1.5",
	} {
		a := c.get(path)
		if a.status != http.StatusBadRequest || a.errorCode(t) != 1000999 {
			t.Errorf("%s: %d %s", path, a.status, a.body)
		}
	}
}
