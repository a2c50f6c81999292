package dtonesim

import (
	"strconv"

	"kiosk/money"
)

// Product categories. The seed's product lists always carry these six keys,
// in this order (seed L63-L108); L21 and L28 name only four of them.
const (
	FixedValueVouchers     = "fixed_value_vouchers"     // seed L63
	FixedValueRecharges    = "fixed_value_recharges"    // seed L64
	FixedValuePayments     = "fixed_value_payments"     // seed L105
	VariableValueVouchers  = "variable_value_vouchers"  // seed L106
	VariableValueRecharges = "variable_value_recharges" // seed L107
	VariableValuePayments  = "variable_value_payments"  // seed L108
)

// categories is the key order of a product list answer (seed L63-L108).
func categories() [6]string {
	return [6]string{FixedValueVouchers, FixedValueRecharges, FixedValuePayments,
		VariableValueVouchers, VariableValueRecharges, VariableValuePayments}
}

func categoryIndex(typ string) int {
	for i, c := range categories() {
		if c == typ {
			return i
		}
	}
	return -1
}

func isVariable(typ string) bool {
	return typ == VariableValueVouchers || typ == VariableValueRecharges || typ == VariableValuePayments
}

func isVoucher(typ string) bool { return typ == FixedValueVouchers || typ == VariableValueVouchers }

type country struct {
	ID   int
	Name string
}

type operator struct {
	ID        int
	Name      string
	CountryID int
}

type service struct {
	ID   int
	Name string
}

// suggestion is one suggested value of a variable-value product (seed L205-L214).
type suggestion struct {
	Value                  money.Decimal // local_value, in the product's currency
	Name, Desc             string
	Info1, Info2, Info3    string
	Wholesale, Retail, Fee money.Decimal // account currency (USD)
}

type product struct {
	Type       string
	ID         int
	Name, Desc string
	OperatorID int
	ServiceID  int
	Currency   string // product and local currency
	// Fixed-value products (seed L42-L49).
	Value, Wholesale, Retail, Fee money.Decimal
	// Variable-value products: sold through their suggested values (seed L193).
	Suggested []suggestion
	// Verify: the product answers account-number checks (seed L242);
	// otherwise the check answers 1000304 (seed L254-L265).
	Verify bool
	// Stock of PINs; 0 means the product needs no stock.
	Stock int
}

func dec(s string) money.Decimal { return money.MustParse(s) }

func fixed(typ string, id int, name, desc string, op, svc int, cur, value, wholesale, retail, fee string, verify bool, stock int) product {
	return product{Type: typ, ID: id, Name: name, Desc: desc, OperatorID: op, ServiceID: svc, Currency: cur,
		Value: dec(value), Wholesale: dec(wholesale), Retail: dec(retail), Fee: dec(fee), Verify: verify, Stock: stock}
}

func sug(value, name, desc, i1, i2, i3, wholesale, retail, fee string) suggestion {
	return suggestion{Value: dec(value), Name: name, Desc: desc, Info1: i1, Info2: i2, Info3: i3,
		Wholesale: dec(wholesale), Retail: dec(retail), Fee: dec(fee)}
}

// The demo catalogue is the old built-in sandbox's (providers/dtone/catalog_demo.go),
// so the app's screens stay the same. Exceptions, recorded in the report:
//   - variable-value products carry no min/max (the seed shows none);
//   - product 1558's first two suggested values carry the seed's own prices
//     (seed L212-L213, L224-L225: retail below wholesale) instead of the old
//     sandbox's invented margin.
func demoCountries() []country {
	return []country{
		{678, "Bangladesh"}, {730, "El Salvador"}, {756, "Guatemala"}, {766, "India"},
		{767, "Indonesia"}, {826, "Nigeria"}, {840, "Philippines"},
	}
}

func demoServices() []service {
	return []service{
		{1, "television"}, {2, "mobile"}, {5, "gift cards"}, {7, "bundles"}, {9, "utilities"},
	}
}

func demoOperators() []operator {
	return []operator{
		{1581, "Claro Guatemala USD", 756},
		{1959, "Claro TV Guatemala USD", 756}, // seed L70-L71
		{2061, "Farmacias Cruz Verde Guatemala", 756},
		{2060, "La Torre Supermercados Guatemala", 756},
		{2184, "Airtel Andhra Pradesh India", 766},
		{1449, "Airtel Bangladesh", 678},
		{1707, "9Mobile Nigeria", 826},
		{177, "Digicel El Salvador", 730},
		{246, "Globe Telecom Philippines", 840},
		{2011, "Generika Philippines", 840},
		{1671, "PLN Indonesia", 767},
		{2431, "BPJS Indonesia", 767},
	}
}

func demoProducts() []product {
	return []product{
		// Claro Guatemala: airtime, fixed and variable.
		fixed(FixedValueRecharges, 301, "$5 Recarga", "5 USD airtime", 1581, 2, "USD", "5", "4.55", "5", "0", true, 0),
		fixed(FixedValueRecharges, 302, "$10 Recarga", "10 USD airtime", 1581, 2, "USD", "10", "9.1", "10", "0", true, 0),
		{Type: VariableValueRecharges, ID: 303, Name: "Claro Guatemala Recarga", Desc: "Any amount from 1 to 100 USD", OperatorID: 1581, ServiceID: 2, Currency: "USD", Verify: true,
			Suggested: []suggestion{
				sug("5", "Recarga 5 USD", "", "", "", "", "4.55", "5", "0"),
				sug("10", "Recarga 10 USD", "", "", "", "", "9.1", "10", "0"),
				sug("20", "Recarga 20 USD", "", "", "", "", "18.2", "20", "0"),
			}},
		// Claro TV Guatemala: the seed's own products (seed L66-L103); no account checks.
		fixed(FixedValueRecharges, 64, "$14 Basic", "14 USD Basic", 1959, 1, "USD", "14", "12.5", "13.5", "0", false, 0),
		fixed(FixedValueRecharges, 65, "$20 Advanced", "20 USD Advanced", 1959, 1, "USD", "20", "18", "19.3", "0", false, 0),
		// Vouchers with PINs.
		fixed(FixedValueVouchers, 112, "Gift Card 100GTQ", "Pharmacy 100GTQ Voucher", 2061, 5, "GTQ", "100", "14.79", "17.4", "0", false, 200),
		{Type: VariableValueVouchers, ID: 2601, Name: "La Torre Gift Card", Desc: "Supermarket gift card, 50 to 500 GTQ", OperatorID: 2060, ServiceID: 5, Currency: "GTQ", Stock: 200,
			Suggested: []suggestion{
				sug("50", "Gift card 50 GTQ", "", "", "", "", "6.75", "7.5", "0"),
				sug("100", "Gift card 100 GTQ", "", "", "", "", "13.5", "15", "0"),
				sug("200", "Gift card 200 GTQ", "", "", "", "", "27", "30", "0"),
			}},
		fixed(FixedValueVouchers, 2012, "Generika 500 PHP Voucher", "Pharmacy voucher 500 PHP", 2011, 5, "PHP", "500", "9.2", "10.5", "0.25", false, 200),
		// Airtel India: the seed's suggested values (seed L205-L226), with the
		// seed's prices (retail below wholesale).
		{Type: VariableValueRecharges, ID: 1558, Name: "Airtel Andhra Pradesh India Data Plan", Desc: "Airtel data plans", OperatorID: 2184, ServiceID: 7, Currency: "INR", Verify: true,
			Suggested: []suggestion{
				sug("9", "50 MB of 2G Plan for 1 Day", "AIRT / UPE / 9INR / 2G Plan / 50 MB / 1 Day", "type:2G Plan", "validity:1 Day", "data_amount:50 MB", "0.14", "0.06", "0"),        // seed L205-L214
				sug("19", "110 MB of 2G Plan for 3 Days", "AIRT / UPE / 19INR / 2G Plan / 110 MB / 3 Days", "type:2G Plan", "validity:3 Days", "data_amount:110 MB", "0.3", "0.14", "0"), // seed L217-L226
				sug("29", "Data Plan 29 INR", "", "", "", "", "0.5", "0.58", "0"),
			}},
		fixed(FixedValueRecharges, 1601, "50 BDT Airtime", "50 BDT", 1449, 2, "BDT", "50", "0.5", "0.6", "0", true, 0),
		fixed(FixedValueRecharges, 1602, "100 BDT Airtime", "100 BDT", 1449, 2, "BDT", "100", "1", "1.15", "0", true, 0),
		// 9Mobile Nigeria bundles.
		fixed(FixedValueRecharges, 1620, "EasyBlaze - 1.5GB, 30 Days - 1200NGN", "1.5GB/30 Days", 1707, 7, "NGN", "1200", "3.87", "4.3", "0", true, 0),
		fixed(FixedValueRecharges, 138, "EasyBlaze - 1GB, 30 Days - 1,000NGN", "1GB/30 Days", 1707, 7, "NGN", "1000", "3.24", "3.6", "0", true, 0),
		// Digicel El Salvador.
		fixed(FixedValueRecharges, 1771, "$5 Recarga Digicel", "5 USD airtime", 177, 2, "USD", "5", "4.6", "5", "0", true, 0),
		{Type: VariableValueRecharges, ID: 1772, Name: "Digicel El Salvador Recarga", Desc: "Any amount from 1 to 50 USD", OperatorID: 177, ServiceID: 2, Currency: "USD", Verify: true,
			Suggested: []suggestion{
				sug("2", "Recarga 2 USD", "", "", "", "", "1.84", "2", "0"),
				sug("5", "Recarga 5 USD", "", "", "", "", "4.6", "5", "0"),
				sug("10", "Recarga 10 USD", "", "", "", "", "9.2", "10", "0"),
			}},
		fixed(FixedValueRecharges, 2461, "Globe Load 100 PHP", "100 PHP load", 246, 2, "PHP", "100", "1.85", "2.05", "0", true, 0),
		// Bill payments: PLN prepaid electricity (meter number), BPJS health.
		fixed(FixedValuePayments, 2701, "PLN Token 20,000 IDR", "Prepaid electricity token", 1671, 9, "IDR", "20000", "1.4", "1.55", "0", false, 0),
		{Type: VariableValuePayments, ID: 2702, Name: "BPJS Kesehatan", Desc: "Health insurance bill", OperatorID: 2431, ServiceID: 9, Currency: "IDR"},
	}
}

// Generated catalogue layout: every generated operator has genPerOperator
// products, every generated country genOperatorsPerCountry operators.
const (
	genPerOperator         = 25
	genOperatorsPerCountry = 40
	genFirstProductID      = 1_000_001
	genFirstOperatorID     = 100_001
	genFirstCountryID      = 5_001
)

// genCurrency is a generated country's currency and how many units make one USD
// (whole numbers, so face values stay exact).
type genCurrency struct {
	Code string
	Rate int64
}

func genCurrencies() [7]genCurrency {
	return [7]genCurrency{{"USD", 1}, {"GTQ", 8}, {"INR", 83}, {"NGN", 1500}, {"PHP", 56}, {"BDT", 110}, {"IDR", 16000}}
}

// genFaceUSD are the face values (in USD) generated products cycle through.
func genFaceUSD() [7]int64 { return [7]int64{1, 2, 5, 10, 20, 25, 50} }

// Generate adds n generated products, deterministic and shaped like the demo
// ones: fixed-value vouchers (every fourth product, service 5 "gift cards",
// no account checks, no stock limit) and fixed-value recharges (service 2
// "mobile", account checks) across generated operators and countries. Prices
// are exact: wholesale is 92% and retail 100% of the face value in USD.
// Product ids start at 1000001, operator ids at 100001, country ids at 5001.
func (s *Server) Generate(n int) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.products = append(make([]product, 0, len(s.products)+n), s.products...)
	curs, faces := genCurrencies(), genFaceUSD()
	for range n {
		k := s.generated
		s.generated++
		opK, ctK := k/genPerOperator, k/(genPerOperator*genOperatorsPerCountry)
		ctID, opID := genFirstCountryID+ctK, genFirstOperatorID+opK
		cur := curs[ctK%len(curs)]
		if k%(genPerOperator*genOperatorsPerCountry) == 0 {
			s.addCountry(country{ctID, "Genland " + strconv.Itoa(ctK+1)})
		}
		if k%genPerOperator == 0 {
			s.addOperator(operator{opID, "GenTel " + strconv.Itoa(opK+1) + " Genland " + strconv.Itoa(ctK+1), ctID})
		}
		face := faces[k%len(faces)]
		local := strconv.FormatInt(face*cur.Rate, 10)
		p := product{ID: genFirstProductID + k, OperatorID: opID, Currency: cur.Code,
			Value: money.FromInt(face * cur.Rate), Wholesale: money.FromMinor(face*92, 2), Retail: money.FromInt(face), Fee: money.Zero}
		if k%4 == 0 {
			p.Type, p.ServiceID = FixedValueVouchers, 5
			p.Name, p.Desc = local+" "+cur.Code+" Gift Voucher", local+" "+cur.Code+" voucher"
		} else {
			p.Type, p.ServiceID, p.Verify = FixedValueRecharges, 2, true
			p.Name, p.Desc = local+" "+cur.Code+" Top-up", local+" "+cur.Code+" airtime"
		}
		s.addProduct(p)
	}
}

// GenPerCountry is how many generated products each generated country
// holds: every country's catalogue (GET countries/{id}/products, seed L113)
// stays one answer of about a megabyte however many products Generate made.
const GenPerCountry = genPerOperator * genOperatorsPerCountry

// GeneratedCountryIDs are DT One's ids of the countries Generate made, in
// the order it made them: what a configuration lists in countries to see
// the generated products without the countries extension.
func (s *Server) GeneratedCountryIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := (s.generated + GenPerCountry - 1) / GenPerCountry
	ids := make([]string, n)
	for i := range ids {
		ids[i] = strconv.Itoa(genFirstCountryID + i)
	}
	return ids
}

// addCountry, addOperator and addProduct keep the indexes; s.mu is held.
func (s *Server) addCountry(c country) {
	s.countryIdx[c.ID] = len(s.countries)
	s.countries = append(s.countries, c)
}

func (s *Server) addOperator(o operator) {
	s.operatorIdx[o.ID] = len(s.operators)
	s.operators = append(s.operators, o)
	s.opsByCountry[o.CountryID] = append(s.opsByCountry[o.CountryID], o.ID)
}

func (s *Server) addProduct(p product) {
	i := int32(len(s.products))
	s.products = append(s.products, p)
	s.productIdx[p.ID] = i
	s.byOperator[p.OperatorID] = append(s.byOperator[p.OperatorID], i)
	s.byService[p.ServiceID] = append(s.byService[p.ServiceID], i)
	if p.Stock > 0 {
		s.stock[p.ID] = p.Stock
	}
}
