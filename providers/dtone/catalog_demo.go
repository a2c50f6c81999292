package dtone

// The sandbox's demo catalogue. Operators, ids and most products come from
// the seed's examples (Claro TV Guatemala's "$14 Basic" and "$20 Advanced",
// the Airtel India data plans of the suggested-values example) and from
// public recorded answers of the same API (country and operator ids,
// Farmacias Cruz Verde's gift card, 9Mobile bundles); the rest fills in
// every product type with sensible prices. Account currency is USD.

type demoCountry struct {
	ID   int
	Name string
}

type demoOperator struct {
	ID        int
	Name      string
	CountryID int
}

type demoService struct {
	ID   int
	Name string
}

type demoSuggestion struct {
	Value, Name, Desc      string
	Info1, Info2, Info3    string
	Wholesale, Retail, Fee string
}

type demoProduct struct {
	Type       string
	ID         int
	Name, Desc string
	OperatorID int
	ServiceID  int
	Currency   string // product and local currency
	// Fixed products.
	Value, Wholesale, Retail, Fee string
	// Variable products.
	Min, Max  string
	Suggested []demoSuggestion
	// Verify: the product answers account-number checks; otherwise 1000304.
	Verify bool
	// Stock of PINs for vouchers; 0 means the product needs no stock.
	Stock int
}

var demoCountries = []demoCountry{
	{678, "Bangladesh"}, {730, "El Salvador"}, {756, "Guatemala"}, {766, "India"},
	{767, "Indonesia"}, {826, "Nigeria"}, {840, "Philippines"},
}

var demoServices = []demoService{
	{1, "television"}, {2, "mobile"}, {5, "gift cards"}, {7, "bundles"}, {9, "utilities"},
}

var demoOperators = []demoOperator{
	{1581, "Claro Guatemala USD", 756},
	{1959, "Claro TV Guatemala USD", 756},
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

var demoProducts = []demoProduct{
	// Claro Guatemala: airtime, fixed and variable.
	{Type: FixedRecharges, ID: 301, Name: "$5 Recarga", Desc: "5 USD airtime", OperatorID: 1581, ServiceID: 2, Currency: "USD", Value: "5", Wholesale: "4.55", Retail: "5", Fee: "0", Verify: true},
	{Type: FixedRecharges, ID: 302, Name: "$10 Recarga", Desc: "10 USD airtime", OperatorID: 1581, ServiceID: 2, Currency: "USD", Value: "10", Wholesale: "9.1", Retail: "10", Fee: "0", Verify: true},
	{Type: VariableRecharges, ID: 303, Name: "Claro Guatemala Recarga", Desc: "Any amount from 1 to 100 USD", OperatorID: 1581, ServiceID: 2, Currency: "USD", Min: "1", Max: "100", Verify: true,
		Suggested: []demoSuggestion{
			{Value: "5", Name: "Recarga 5 USD", Wholesale: "4.55", Retail: "5", Fee: "0"},
			{Value: "10", Name: "Recarga 10 USD", Wholesale: "9.1", Retail: "10", Fee: "0"},
			{Value: "20", Name: "Recarga 20 USD", Wholesale: "18.2", Retail: "20", Fee: "0"},
		}},
	// Claro TV Guatemala: the seed's own products; no account checks.
	{Type: FixedRecharges, ID: 64, Name: "$14 Basic", Desc: "14 USD Basic", OperatorID: 1959, ServiceID: 1, Currency: "USD", Value: "14", Wholesale: "12.5", Retail: "13.5", Fee: "0"},
	{Type: FixedRecharges, ID: 65, Name: "$20 Advanced", Desc: "20 USD Advanced", OperatorID: 1959, ServiceID: 1, Currency: "USD", Value: "20", Wholesale: "18", Retail: "19.3", Fee: "0"},
	// Vouchers with PINs.
	{Type: FixedVouchers, ID: 112, Name: "Gift Card 100GTQ", Desc: "Pharmacy 100GTQ Voucher", OperatorID: 2061, ServiceID: 5, Currency: "GTQ", Value: "100", Wholesale: "14.79", Retail: "17.4", Fee: "0", Stock: 200},
	{Type: VariableVouchers, ID: 2601, Name: "La Torre Gift Card", Desc: "Supermarket gift card, 50 to 500 GTQ", OperatorID: 2060, ServiceID: 5, Currency: "GTQ", Min: "50", Max: "500", Stock: 200,
		Suggested: []demoSuggestion{
			{Value: "50", Name: "Gift card 50 GTQ", Wholesale: "6.75", Retail: "7.5", Fee: "0"},
			{Value: "100", Name: "Gift card 100 GTQ", Wholesale: "13.5", Retail: "15", Fee: "0"},
			{Value: "200", Name: "Gift card 200 GTQ", Wholesale: "27", Retail: "30", Fee: "0"},
		}},
	{Type: FixedVouchers, ID: 2012, Name: "Generika 500 PHP Voucher", Desc: "Pharmacy voucher 500 PHP", OperatorID: 2011, ServiceID: 5, Currency: "PHP", Value: "500", Wholesale: "9.2", Retail: "10.5", Fee: "0.25", Stock: 200},
	// Airtel India: the seed's suggested values (the seed's retail prices
	// are below wholesale; the demo sells at a margin instead).
	{Type: VariableRecharges, ID: 1558, Name: "Airtel Andhra Pradesh India Data Plan", Desc: "Airtel data plans", OperatorID: 2184, ServiceID: 7, Currency: "INR", Min: "9", Max: "1000", Verify: true,
		Suggested: []demoSuggestion{
			{Value: "9", Name: "50 MB of 2G Plan for 1 Day", Desc: "AIRT / UPE / 9INR / 2G Plan / 50 MB / 1 Day", Info1: "type:2G Plan", Info2: "validity:1 Day", Info3: "data_amount:50 MB", Wholesale: "0.14", Retail: "0.16", Fee: "0"},
			{Value: "19", Name: "110 MB of 2G Plan for 3 Days", Desc: "AIRT / UPE / 19INR / 2G Plan / 110 MB / 3 Days", Info1: "type:2G Plan", Info2: "validity:3 Days", Info3: "data_amount:110 MB", Wholesale: "0.3", Retail: "0.34", Fee: "0"},
			{Value: "29", Name: "Data Plan 29 INR", Wholesale: "0.5", Retail: "0.58", Fee: "0"},
		}},
	{Type: FixedRecharges, ID: 1601, Name: "50 BDT Airtime", Desc: "50 BDT", OperatorID: 1449, ServiceID: 2, Currency: "BDT", Value: "50", Wholesale: "0.5", Retail: "0.6", Fee: "0", Verify: true},
	{Type: FixedRecharges, ID: 1602, Name: "100 BDT Airtime", Desc: "100 BDT", OperatorID: 1449, ServiceID: 2, Currency: "BDT", Value: "100", Wholesale: "1", Retail: "1.15", Fee: "0", Verify: true},
	// 9Mobile Nigeria bundles.
	{Type: FixedRecharges, ID: 1620, Name: "EasyBlaze - 1.5GB, 30 Days - 1200NGN", Desc: "1.5GB/30 Days", OperatorID: 1707, ServiceID: 7, Currency: "NGN", Value: "1200", Wholesale: "3.87", Retail: "4.3", Fee: "0", Verify: true},
	{Type: FixedRecharges, ID: 138, Name: "EasyBlaze - 1GB, 30 Days - 1,000NGN", Desc: "1GB/30 Days", OperatorID: 1707, ServiceID: 7, Currency: "NGN", Value: "1000", Wholesale: "3.24", Retail: "3.6", Fee: "0", Verify: true},
	// Digicel El Salvador.
	{Type: FixedRecharges, ID: 1771, Name: "$5 Recarga Digicel", Desc: "5 USD airtime", OperatorID: 177, ServiceID: 2, Currency: "USD", Value: "5", Wholesale: "4.6", Retail: "5", Fee: "0", Verify: true},
	{Type: VariableRecharges, ID: 1772, Name: "Digicel El Salvador Recarga", Desc: "Any amount from 1 to 50 USD", OperatorID: 177, ServiceID: 2, Currency: "USD", Min: "1", Max: "50", Verify: true,
		Suggested: []demoSuggestion{
			{Value: "2", Name: "Recarga 2 USD", Wholesale: "1.84", Retail: "2", Fee: "0"},
			{Value: "5", Name: "Recarga 5 USD", Wholesale: "4.6", Retail: "5", Fee: "0"},
			{Value: "10", Name: "Recarga 10 USD", Wholesale: "9.2", Retail: "10", Fee: "0"},
		}},
	{Type: FixedRecharges, ID: 2461, Name: "Globe Load 100 PHP", Desc: "100 PHP load", OperatorID: 246, ServiceID: 2, Currency: "PHP", Value: "100", Wholesale: "1.85", Retail: "2.05", Fee: "0", Verify: true},
	// Bill payments: PLN prepaid electricity (meter number), BPJS health.
	{Type: FixedPayments, ID: 2701, Name: "PLN Token 20,000 IDR", Desc: "Prepaid electricity token", OperatorID: 1671, ServiceID: 9, Currency: "IDR", Value: "20000", Wholesale: "1.4", Retail: "1.55", Fee: "0"},
	{Type: VariablePayments, ID: 2702, Name: "BPJS Kesehatan", Desc: "Health insurance bill", OperatorID: 2431, ServiceID: 9, Currency: "IDR", Min: "10000", Max: "5000000"},
}
