package dtonesim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
)

func TestNewRefusesUnknownExtension(t *testing.T) {
	if _, err := New(Options{Extensions: []string{"ping", "refunds"}}); err == nil || !strings.Contains(err.Error(), "refunds") {
		t.Fatalf("err = %v", err)
	}
	for _, name := range ExtensionNames {
		if _, err := New(Options{Extensions: []string{name}}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestExtensionsOffAndOn(t *testing.T) {
	purchase := `{"account_number":"50212345678","product_id":301,"external_id":"EXT-ON","simulation":"1"}`
	tests := []struct {
		ext    string
		method string
		path   string
		body   string
		status int
		check  func(t *testing.T, m map[string]any)
	}{
		{ExtPing, "GET", "/ping", "", 200, func(t *testing.T, m map[string]any) {
			if m["info"] != "pong" {
				t.Fatalf("%v", m)
			}
		}},
		{ExtServices, "GET", "/services", "", 200, func(t *testing.T, m map[string]any) {
			if l := m["services"].([]any); len(l) != 5 || l[0].(map[string]any)["service"] != "television" {
				t.Fatalf("%v", m)
			}
		}},
		{ExtCountries, "GET", "/countries", "", 200, func(t *testing.T, m map[string]any) {
			if l := m["countries"].([]any); len(l) != 7 || l[2].(map[string]any)["country_id"].(json.Number) != "756" {
				t.Fatalf("%v", m)
			}
		}},
		{ExtOperators, "GET", "/operators", "", 200, func(t *testing.T, m map[string]any) {
			if l := m["operators"].([]any); len(l) != 12 {
				t.Fatalf("%v", m)
			}
		}},
		{ExtOperators, "GET", "/countries/840/operators", "", 200, func(t *testing.T, m map[string]any) {
			l := m["operators"].([]any)
			if len(l) != 2 || l[0].(map[string]any)["operator"] != "Globe Telecom Philippines" || l[0].(map[string]any)["country"] != "Philippines" {
				t.Fatalf("%v", m)
			}
		}},
		{ExtCountryServices, "GET", "/countries/756/services", "", 200, func(t *testing.T, m map[string]any) {
			var names []string
			for _, s := range m["services"].([]any) {
				names = append(names, s.(map[string]any)["service"].(string))
			}
			if strings.Join(names, ",") != "television,mobile,gift cards" {
				t.Fatalf("%v", names)
			}
		}},
		{ExtTransactions, "POST", "/transactions/fixed_value_recharges", purchase, 201, func(t *testing.T, m map[string]any) {
			if m["external_id"] != "EXT-ON" || m["status"] != StatusSuccess {
				t.Fatalf("%v", m)
			}
		}},
		{ExtLookup, "GET", "/transactions/fixed_value_recharges/ext-NOPE", "", 404, func(t *testing.T, m map[string]any) {
			if m["errors"].([]any)[0].(map[string]any)["code"].(json.Number) != "1000404" {
				t.Fatalf("%v", m)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.ext+" "+tt.path, func(t *testing.T) {
			off := newSim(t)
			if a := off.request(t.Context(), tt.method, tt.path, tt.body, nil); !isWebServer404(t, a) {
				t.Fatalf("off: %d %s", a.status, a.body)
			}
			// Other extensions on, this one off: still absent.
			var others []string
			for _, n := range ExtensionNames {
				if n != tt.ext {
					others = append(others, n)
				}
			}
			if a := newSim(t, others...).request(t.Context(), tt.method, tt.path, tt.body, nil); !isWebServer404(t, a) {
				t.Fatalf("others on: %d %s", a.status, a.body)
			}
			on := newSim(t, tt.ext)
			a := on.request(t.Context(), tt.method, tt.path, tt.body, nil)
			if a.status != tt.status {
				t.Fatalf("on: %d %s", a.status, a.body)
			}
			tt.check(t, a.json(t))
		})
	}
}

type buy struct {
	typ  string
	body string
}

func (b buy) send(c *tclient) answer {
	c.t.Helper()
	return c.post("/transactions/"+b.typ, b.body)
}

func TestPurchases(t *testing.T) {
	tests := []struct {
		name   string
		buy    buy
		status int
		code   int                                  // error code, 0 on success
		check  func(t *testing.T, m map[string]any) // on success
	}{
		{"fixed recharge", buy{FixedValueRecharges, `{"account_number":"50212345678","product_id":"301","external_id":"R1","simulation":"0","sender":{"mobile":"1"}}`}, 201, 0,
			func(t *testing.T, m map[string]any) {
				want := map[string]string{"transaction_id": "3624298", "simulation": "0", "status": "0", "status_message": "Transaction successful",
					"date": "2026-03-14 15:09:26", "account_number": "50212345678", "external_id": "R1", "operator_reference": "OP003624298",
					"product_id": "301", "product": "$5 Recarga", "product_value": "5", "local_value": "5", "local_currency": "USD",
					"operator_id": "1581", "operator": "Claro Guatemala USD", "country_id": "756", "country": "Guatemala",
					"account_currency": "USD", "wholesale_price": "4.55", "retail_price": "5", "fee": "0"}
				for k, v := range want {
					if fmt.Sprint(m[k]) != v {
						t.Errorf("%s = %v, want %s", k, m[k], v)
					}
				}
				if _, ok := m["voucher"]; ok {
					t.Error("a recharge has no voucher")
				}
			}},
		{"fixed voucher without account", buy{FixedValueVouchers, `{"product_id":112,"external_id":"V1","simulation":1}`}, 201, 0,
			func(t *testing.T, m map[string]any) {
				v := m["voucher"].(map[string]any)
				if v["pin"] != demoPIN("V1", 1) || v["pin2"] != demoPIN("V1", 2) || len(v["pin"].(string)) != 16 ||
					v["value"] != "100" || v["currency"] != "GTQ" || v["expiration_date"] != "2027-03-14" ||
					v["info_1"] != "Redeem at any Farmacias Cruz Verde Guatemala branch" || v["info_2"] != "" || v["info_3"] != "" {
					t.Fatalf("voucher %v", v)
				}
				if m["simulation"].(json.Number) != "1" || m["operator_reference"] != "" {
					t.Fatalf("%v", m)
				}
			}},
		{"variable recharge at a suggested value", buy{VariableValueRecharges, `{"account_number":"919876543210","product_id":1558,"external_id":"VR1","local_value":"19"}`}, 201, 0,
			func(t *testing.T, m map[string]any) {
				if fmt.Sprintf("%v %v %v %v", m["local_value"], m["wholesale_price"], m["retail_price"], m["local_currency"]) != "19 0.3 0.14 INR" {
					t.Fatalf("%v", m)
				}
			}},
		{"variable recharge, number local_value", buy{VariableValueRecharges, `{"account_number":"50312345678","product_id":1772,"external_id":"VR2","local_value":5.00}`}, 201, 0, nil},
		{"fixed payment", buy{FixedValuePayments, `{"account_number":"12345678901","product_id":2701,"external_id":"P1"}`}, 201, 0, nil},
		{"variable recharge off the suggested values", buy{VariableValueRecharges, `{"account_number":"919876543210","product_id":1558,"external_id":"VR3","local_value":"20"}`}, 400, 1000999, nil},
		{"variable recharge without local_value", buy{VariableValueRecharges, `{"account_number":"919876543210","product_id":1558,"external_id":"VR4"}`}, 400, 1000999, nil},
		{"variable payment needs a bill", buy{VariableValuePayments, `{"account_number":"0001234567","product_id":2702,"external_id":"VP1","local_value":"10000"}`}, 400, 1000303, nil},
		{"no external_id", buy{FixedValueRecharges, `{"account_number":"50212345678","product_id":301}`}, 400, 1000999, nil},
		{"no product_id", buy{FixedValueRecharges, `{"account_number":"50212345678","external_id":"E1"}`}, 400, 1000999, nil},
		{"no account for a recharge", buy{FixedValueRecharges, `{"product_id":301,"external_id":"E2"}`}, 400, 1000999, nil},
		{"field casing is exact", buy{FixedValueRecharges, `{"Account_Number":"50212345678","product_id":301,"external_id":"E3"}`}, 400, 1000999, nil},
		{"account incorrect", buy{FixedValueRecharges, `{"account_number":"50212340000","product_id":301,"external_id":"E4"}`}, 400, 1000204, nil},
		{"unknown product", buy{FixedValueRecharges, `{"account_number":"50212345678","product_id":4242,"external_id":"E5"}`}, 400, 1000302, nil},
		{"product of another type", buy{FixedValueVouchers, `{"account_number":"50212345678","product_id":301,"external_id":"E6"}`}, 400, 1000302, nil},
		{"bad simulation", buy{FixedValueRecharges, `{"account_number":"50212345678","product_id":301,"external_id":"E7","simulation":"maybe"}`}, 400, 1000999, nil},
		{"not JSON", buy{FixedValueRecharges, `account_number=1`}, 400, 1000999, nil},
		{"object as a value", buy{FixedValueRecharges, `{"account_number":{"n":1},"product_id":301,"external_id":"E8"}`}, 400, 1000999, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newSim(t, ExtTransactions)
			before := c.sim.Balance()
			a := tt.buy.send(c)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
			}
			if tt.code != 0 {
				if a.errorCode(t) != tt.code {
					t.Fatalf("code %d, want %d: %s", a.errorCode(t), tt.code, a.body)
				}
				if c.sim.Balance() != before {
					t.Fatal("a refused purchase changed the balance")
				}
				return
			}
			m := a.json(t)
			if c.sim.Charged(m["external_id"].(string)) != 1 {
				t.Fatal("not charged")
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
}

func TestBalanceAndStock(t *testing.T) {
	c := newSim(t, ExtTransactions)
	// Simulation does not charge the balance; a real sale charges wholesale + fee.
	if a := (buy{FixedValueVouchers, `{"product_id":2012,"external_id":"S1","simulation":"1"}`}).send(c); a.status != 201 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	if got := c.sim.Balance(); got != money.FromInt(InitialBalance) {
		t.Fatalf("simulation charged: %s", got)
	}
	if a := (buy{FixedValueVouchers, `{"product_id":2012,"external_id":"S2"}`}).send(c); a.status != 201 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	if got, want := c.sim.Balance(), money.MustParse("4990.55"); got != want { // 5000 - 9.2 - 0.25
		t.Fatalf("balance %s, want %s", got, want)
	}
	// Real balance exhaustion: 1000777.
	c.sim.mu.Lock()
	c.sim.balance = money.MustParse("4.54")
	c.sim.mu.Unlock()
	a := (buy{FixedValueRecharges, `{"account_number":"50212345678","product_id":301,"external_id":"S3"}`}).send(c)
	if a.status != 400 || a.errorCode(t) != 1000777 || c.sim.Charged("S3") != 0 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	// Real stock exhaustion: 1000301 after the last PIN.
	c.sim.mu.Lock()
	c.sim.stock[112] = 1
	c.sim.mu.Unlock()
	if a := (buy{FixedValueVouchers, `{"product_id":112,"external_id":"S4","simulation":"1"}`}).send(c); a.status != 201 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	if a := (buy{FixedValueVouchers, `{"product_id":112,"external_id":"S5","simulation":"1"}`}).send(c); a.status != 400 || a.errorCode(t) != 1000301 {
		t.Fatalf("%d %s", a.status, a.body)
	}
}

func TestDuplicateExternalID(t *testing.T) {
	c := newSim(t, ExtTransactions)
	first := buy{FixedValueRecharges, `{"account_number":"50212345678","product_id":301,"external_id":"DUP"}`}
	if a := first.send(c); a.status != 201 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	for _, again := range []buy{first, {FixedValueVouchers, `{"product_id":112,"external_id":"DUP"}`}} {
		a := again.send(c)
		if a.status != 400 || a.errorCode(t) != 1000990 {
			t.Fatalf("%d %s", a.status, a.body)
		}
	}
	if c.sim.Charged("DUP") != 1 {
		t.Fatalf("charged %d", c.sim.Charged("DUP"))
	}
	// A refused attempt does not use the reference.
	if a := (buy{FixedValueRecharges, `{"account_number":"50212340000","product_id":301,"external_id":"LATER"}`}).send(c); a.errorCode(t) != 1000204 {
		t.Fatalf("%s", a.body)
	}
	if a := (buy{FixedValueRecharges, `{"account_number":"50212345678","product_id":301,"external_id":"LATER"}`}).send(c); a.status != 201 {
		t.Fatalf("%d %s", a.status, a.body)
	}
}

func TestConcurrentPurchasesOfOneReference(t *testing.T) {
	c := newSim(t, ExtTransactions, ExtLookup)
	const n = 16
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = (buy{FixedValueVouchers, `{"product_id":112,"external_id":"RACE"}`}).send(c).status
		}()
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		if s == 201 {
			created++
		}
	}
	if created != 1 || c.sim.Charged("RACE") != 1 {
		t.Fatalf("created %d, charged %d", created, c.sim.Charged("RACE"))
	}
}

func TestLookup(t *testing.T) {
	c := newSim(t, ExtTransactions, ExtLookup)
	if a := (buy{FixedValueVouchers, `{"product_id":112,"external_id":"L1"}`}).send(c); a.status != 201 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	a := c.get("/transactions/fixed_value_vouchers/ext-L1")
	if a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	m := a.json(t)
	if m["status"] != StatusSuccess || m["voucher"].(map[string]any)["pin"] != demoPIN("L1", 1) {
		t.Fatalf("%v", m)
	}
	for _, path := range []string{"/transactions/fixed_value_vouchers/ext-NOPE", "/transactions/fixed_value_recharges/ext-L1"} {
		a := c.get(path)
		if a.status != 404 || a.errorCode(t) != 1000404 {
			t.Fatalf("%s: %d %s", path, a.status, a.body)
		}
	}
	for _, path := range []string{"/transactions/fixed_value_vouchers/L1", "/transactions/variable_value_vouchers/ext-L1", "/transactions/fixed_value_vouchers/ext-"} {
		if a := c.get(path); !isWebServer404(t, a) {
			t.Fatalf("%s: %d %s", path, a.status, a.body)
		}
	}
	if a := c.post("/transactions/fixed_value_vouchers/ext-L1", "{}"); a.status != http.StatusMethodNotAllowed {
		t.Fatalf("%d", a.status)
	}
	if a := c.get("/transactions/fixed_value_vouchers"); a.status != http.StatusMethodNotAllowed {
		t.Fatalf("%d", a.status)
	}
}

func TestFaultOutOfStockAndNoBalance(t *testing.T) {
	tests := []struct {
		fault string
		code  int
	}{
		{sandboxkit.FaultOutOfStock, 1000301},
		{sandboxkit.FaultNoBalance, 1000777},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			c := newSim(t, ExtTransactions)
			if err := c.sim.Faults.Set(tt.fault, "on"); err != nil {
				t.Fatal(err)
			}
			for _, b := range []buy{
				{FixedValueVouchers, `{"product_id":112,"external_id":"F1","simulation":"1"}`},
				{FixedValueRecharges, `{"account_number":"50212345678","product_id":301,"external_id":"F2"}`},
			} {
				a := b.send(c)
				if a.status != 400 || a.errorCode(t) != tt.code {
					t.Fatalf("%d %s", a.status, a.body)
				}
			}
			if c.sim.Charged("F1")+c.sim.Charged("F2") != 0 {
				t.Fatal("charged")
			}
			c.sim.Faults.Reset()
			if a := (buy{FixedValueVouchers, `{"product_id":112,"external_id":"F1"}`}).send(c); a.status != 201 {
				t.Fatalf("after reset: %d %s", a.status, a.body)
			}
		})
	}
}

// stages records the purchase stages the faults report.
func stages(f *sandboxkit.Faults) chan string {
	ch := make(chan string, 8)
	f.OnStage(func(stage, ref string) { ch <- stage + ":" + ref })
	return ch
}

func TestFaultsAroundCommit(t *testing.T) {
	tests := []struct {
		fault     string
		committed bool
	}{
		{sandboxkit.FaultNoAnswer, false},
		{sandboxkit.FaultHangAfterCommit, true},
		{sandboxkit.FaultCutAfterCommit, true},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			c := newSim(t, ExtTransactions, ExtLookup)
			if err := c.sim.Faults.Set(tt.fault, "on"); err != nil {
				t.Fatal(err)
			}
			seen := stages(c.sim.Faults)
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan answer, 1)
			go func() {
				done <- c.request(ctx, http.MethodPost, "/transactions/fixed_value_vouchers", `{"product_id":112,"external_id":"H1"}`, nil)
			}()
			if s := <-seen; s != sandboxkit.StageReceived+":H1" {
				t.Fatalf("stage %s", s)
			}
			if tt.committed {
				if s := <-seen; s != sandboxkit.StageCommitted+":H1" {
					t.Fatalf("stage %s", s)
				}
			}
			if tt.fault != sandboxkit.FaultCutAfterCommit {
				cancel() // the client gives up waiting
			}
			a := <-done
			cancel()
			if a.err == nil {
				t.Fatalf("want no answer, got %d %s", a.status, a.body)
			}
			if tt.fault != sandboxkit.FaultCutAfterCommit && !errors.Is(a.err, context.Canceled) {
				t.Fatalf("err %v", a.err)
			}
			want := 0
			if tt.committed {
				want = 1
			}
			if got := c.sim.Charged("H1"); got != want {
				t.Fatalf("charged %d, want %d", got, want)
			}
			// The look-up tells what happened.
			c.sim.Faults.Reset()
			a = c.get("/transactions/fixed_value_vouchers/ext-H1")
			if tt.committed && a.status != 200 || !tt.committed && a.errorCode(t) != 1000404 {
				t.Fatalf("look-up: %d %s", a.status, a.body)
			}
		})
	}
}

func TestFaultLatency(t *testing.T) {
	c := newSim(t)
	if err := c.sim.Faults.Set(sandboxkit.FaultLatency, "1h"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if a := c.request(ctx, http.MethodGet, "/operators/1959/products", "", nil); !errors.Is(a.err, context.DeadlineExceeded) {
		t.Fatalf("want the delay to outlast the client, got %v %d", a.err, a.status)
	}
	c.sim.Faults.Reset()
	if a := c.get("/operators/1959/products"); a.status != 200 {
		t.Fatalf("%d", a.status)
	}
}

func TestFaultPending(t *testing.T) {
	c := newSim(t, ExtTransactions, ExtLookup)
	if err := c.sim.Faults.Set(sandboxkit.FaultPending, "2"); err != nil {
		t.Fatal(err)
	}
	a := (buy{FixedValueVouchers, `{"product_id":112,"external_id":"PEND"}`}).send(c)
	if a.status != 201 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	m := a.json(t)
	if m["status"] != StatusPending || m["status_message"] != StatusMessagePending || m["voucher"].(map[string]any)["pin"] != "" {
		t.Fatalf("purchase: %v", m)
	}
	if c.sim.Charged("PEND") != 1 {
		t.Fatal("a pending purchase is committed")
	}
	for i, want := range []string{StatusPending, StatusPending, StatusSuccess, StatusSuccess} {
		m := c.get("/transactions/fixed_value_vouchers/ext-PEND").json(t)
		pin := m["voucher"].(map[string]any)["pin"]
		if m["status"] != want || (want == StatusSuccess) != (pin == demoPIN("PEND", 1)) {
			t.Fatalf("look-up %d: status %v pin %v", i, m["status"], pin)
		}
	}
	// A recharge's operator reference appears once it succeeds.
	a = (buy{FixedValueRecharges, `{"account_number":"50212345678","product_id":301,"external_id":"PEND2"}`}).send(c)
	if m := a.json(t); m["status"] != StatusPending || m["operator_reference"] != "" {
		t.Fatalf("%v", m)
	}
	c.sim.Faults.Reset()
	for i, want := range []string{StatusPending, StatusPending, StatusSuccess} {
		m := c.get("/transactions/fixed_value_recharges/ext-PEND2").json(t)
		if m["status"] != want || (want == StatusSuccess) != (m["operator_reference"] != "") {
			t.Fatalf("look-up %d: %v", i, m)
		}
	}
	// With the fault off, a new purchase succeeds at once.
	if m := (buy{FixedValueVouchers, `{"product_id":112,"external_id":"NOW"}`}).send(c).json(t); m["status"] != StatusSuccess {
		t.Fatalf("%v", m)
	}
}

func TestClock(t *testing.T) {
	now := time.Date(2031, 12, 31, 23, 59, 58, 700_000_000, time.FixedZone("X", 3*3600))
	c := newSimOpts(t, Options{Now: func() time.Time { return now }, Extensions: []string{ExtTransactions, ExtLookup, ExtPing}})
	for _, path := range []string{"/ping", "/operators/1959/products", "/nothing"} {
		if a := c.get(path); a.header.Get("Date") != "Wed, 31 Dec 2031 20:59:58 GMT" {
			t.Fatalf("%s: Date %q", path, a.header.Get("Date"))
		}
	}
	m := (buy{FixedValueVouchers, `{"product_id":112,"external_id":"CLK"}`}).send(c).json(t)
	if m["date"] != "2031-12-31 20:59:58" || m["voucher"].(map[string]any)["expiration_date"] != "2032-12-31" {
		t.Fatalf("%v", m)
	}
	now = now.Add(48 * time.Hour) // the record keeps its time
	if m := c.get("/transactions/fixed_value_vouchers/ext-CLK").json(t); m["date"] != "2031-12-31 20:59:58" {
		t.Fatalf("%v", m)
	}
	if a := c.get("/ping"); a.header.Get("Date") != "Fri, 02 Jan 2032 20:59:58 GMT" {
		t.Fatalf("Date %q", a.header.Get("Date"))
	}
}

func TestGenerate(t *testing.T) {
	c := newSim(t, ExtTransactions, ExtCountries, ExtOperators)
	c.sim.Generate(2500)
	c.sim.Generate(2500) // continues the numbering
	if len(c.sim.products) != 5000+len(demoProducts()) {
		t.Fatalf("%d products", len(c.sim.products))
	}
	// 200 operators of 25 products, 5 countries of 40 operators.
	if n := len(c.sim.countries); n != 7+5 {
		t.Fatalf("%d countries", n)
	}
	lists, _ := productLists(t, c.get("/operators/100001/products").body)
	if len(lists[FixedValueVouchers]) != 7 || len(lists[FixedValueRecharges]) != 18 {
		t.Fatalf("%v", ids(lists))
	}
	p := lists[FixedValueVouchers][0]
	if p["product_id"].(json.Number) != "1000001" || p["product_value"].(json.Number) != "1" || p["wholesale_price"].(json.Number) != "0.92" || p["country"] != "Genland 1" {
		t.Fatalf("%v", p)
	}
	lists, _ = productLists(t, c.get("/countries/5002/products?service_id=2").body)
	if len(lists[FixedValueRecharges]) != 750 || len(lists[FixedValueVouchers]) != 0 {
		t.Fatalf("country 5002: %d recharges", len(lists[FixedValueRecharges]))
	}
	r := lists[FixedValueRecharges][0]
	if r["local_currency"] != "GTQ" {
		t.Fatalf("%v", r)
	}
	if a := c.get("/products/1000002/account_number/50212345678/status"); string(a.body) != `{"verified":1}` {
		t.Fatalf("%s", a.body)
	}
	if a := (buy{FixedValueVouchers, `{"product_id":1000005,"external_id":"G1"}`}).send(c); a.status != 201 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	// Deterministic: a second simulator generates the same catalogue.
	d := newSim(t)
	d.sim.Generate(5000)
	for _, path := range []string{"/operators/100150/products", "/services/5/products?country_id=5004"} {
		if a, b := c.get(path).body, d.get(path).body; string(a) != string(b) {
			t.Fatalf("%s differs", path)
		}
	}
}

func TestGeneratedCountryIDs(t *testing.T) {
	tests := []struct {
		n    []int // Generate calls
		want []string
	}{
		{nil, []string{}},
		{[]int{1}, []string{"5001"}},
		{[]int{GenPerCountry}, []string{"5001"}},
		{[]int{GenPerCountry, 1}, []string{"5001", "5002"}},
		{[]int{2*GenPerCountry + 3}, []string{"5001", "5002", "5003"}},
	}
	for _, tt := range tests {
		c := newSim(t)
		for _, n := range tt.n {
			c.sim.Generate(n)
		}
		got := c.sim.GeneratedCountryIDs()
		if !slices.Equal(got, tt.want) {
			t.Errorf("Generate%v: countries %v, want %v", tt.n, got, tt.want)
		}
		// Each is a country of the document's catalogue call (seed L113).
		for _, id := range got {
			if a := c.get("/countries/" + id + "/products"); a.status != 200 {
				t.Errorf("country %s: %d %s", id, a.status, a.body)
			}
		}
	}
}

func TestGenerateHalfAMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	c := newSim(t)
	c.sim.Generate(500_000)
	if len(c.sim.products) != 500_000+len(demoProducts()) {
		t.Fatalf("%d", len(c.sim.products))
	}
	lists, _ := productLists(t, c.get("/operators/120000/products").body)
	if n := len(lists[FixedValueVouchers]) + len(lists[FixedValueRecharges]); n != 25 {
		t.Fatalf("%d", n)
	}
	if a := c.get("/products/1500000/account_number/50212345678/status"); a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
}

func BenchmarkGenerate500k(b *testing.B) {
	for b.Loop() {
		s, _ := New(Options{Now: clock})
		s.Generate(500_000)
	}
}
