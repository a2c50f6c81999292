package alqimah

import "kiosk/money"

// Sandbox credentials; printed by `kiosk sandbox`, never real.
const (
	demoAccount  = "100200"
	demoUser     = "kiosk_demo"
	demoPassword = "demo-pass"
	demoAPIToken = "demo-api-token-123"
)

// Sandbox subscriber numbers with special answers.
const (
	demoUnknownSubscriber = "770000000" // queries: subscriber not found
	demoFailingNumber     = "770000001" // payments: the operator cancels it (operationStatus 0)
)

// demoUnitPrices are the sandbox's unit prices; 1.21 is the seed's example.
var demoUnitPrices = map[string]string{Sabafon: "1.21", YOU: "1.18", YTelecom: "1.15"}

// demoOffers are sold in the sandbox; the Yemen Mobile names and codes are
// from the seed's 1/107 answer, PREWhatsApp from its offer payment example.
var demoOffers = []Offer{
	{Network: YemenMobile, Code: "A4990006", Name: "Mazaya 4G VoLTE monthly (prepaid)", NameAr: "باقة مزايا فورجي فولتي الشهريه دفع مسبق", Price: money.MustParse("2500")},
	{Network: YemenMobile, Code: "A3825", Name: "Tawfeer 4G 5 GB monthly (prepaid)", NameAr: "دفع مسبق باقة نت توفير فورجي 5 جيجا الشهرية", Price: money.MustParse("1600")},
	{Network: Sabafon, Code: "PREWhatsApp", Name: "WhatsApp monthly bundle", NameAr: "باقة واتساب الشهرية", Price: money.MustParse("500")},
}

// demoField is a RequiredFields entry.
type demoField struct {
	FieldCode string `json:"FieldCode"`
	FieldName string `json:"FieldName"`
}

// demoCategory is a 0/4 category as the platform sends it.
type demoCategory struct {
	TheNumber         int         `json:"TheNumber"`
	ServiceName       string      `json:"ServiceName"`
	CategoryName      string      `json:"CategoryName"`
	GameUnitsCount    int         `json:"GameUnitsCount"`
	LinkCode          string      `json:"LinkCode"`
	Price             wireNum     `json:"Price"`
	CurrencyName      string      `json:"CurrencyName"`
	LocalPrice        wireNum     `json:"LocalPrice"`
	LocalCurrencyName string      `json:"LocalCurrencyName"`
	AllowFreeQuantity bool        `json:"AllowFreeQuantity"`
	MinQuantity       int         `json:"MinQuantity"`
	MaxQuantity       int         `json:"MaxQuantity"`
	RequiredFields    []demoField `json:"RequiredFields"`
	giftCard          bool        // the sale delivers a code
}

var (
	fPlayer = demoField{"PlayerID", "رقم ايدي - اللاعب"}
	fZone   = demoField{"ZoneID", "رقم المنطقة - السيرفر"}
	fEmail  = demoField{"EmailAddress", "البريد الالكتروني"}
)

func pubg(n, units int, usd, yer string) demoCategory {
	return demoCategory{
		TheNumber: n, ServiceName: "شدات بوبجي - Pubg UC", CategoryName: "شدات بوبجي ( " + itoa(int64(units)) + " شدة )",
		GameUnitsCount: units, LinkCode: "pubg_" + itoa(int64(units)), Price: wireNum(usd), CurrencyName: "دولار",
		LocalPrice: wireNum(yer), LocalCurrencyName: "ريال يمني", MinQuantity: 1, MaxQuantity: 1,
		RequiredFields: []demoField{fPlayer},
	}
}

// demoCategories: the seed's four PUBG packs, then Free Fire, Mobile
// Legends (PlayerID and ZoneID), free-quantity Free Fire diamonds and an
// iTunes gift card delivered to an e-mail address.
func demoCategories() []demoCategory {
	return []demoCategory{
		pubg(968, 60, "0.9", "495"),
		pubg(969, 120, "1.81", "995.5"),
		pubg(970, 325, "4.38", "2409"),
		pubg(971, 385, "5.2", "2860"),
		{TheNumber: 980, ServiceName: "جواهر فري فاير - Free Fire", CategoryName: "فري فاير ( 100 جوهرة )", GameUnitsCount: 100,
			LinkCode: "freefire_100", Price: "1", CurrencyName: "دولار", LocalPrice: "550", LocalCurrencyName: "ريال يمني",
			MinQuantity: 1, MaxQuantity: 1, RequiredFields: []demoField{fPlayer}},
		{TheNumber: 981, ServiceName: "جواهر فري فاير - Free Fire", CategoryName: "فري فاير ( كمية حرة - جوهرة )", GameUnitsCount: 1,
			LinkCode: "freefire_free", Price: "0.01", CurrencyName: "دولار", LocalPrice: "5.5", LocalCurrencyName: "ريال يمني",
			AllowFreeQuantity: true, MinQuantity: 100, MaxQuantity: 10000, RequiredFields: []demoField{fPlayer}},
		{TheNumber: 990, ServiceName: "ماسات موبايل ليجندز - Mobile Legends", CategoryName: "موبايل ليجندز ( 86 ماسة )", GameUnitsCount: 86,
			LinkCode: "mlbb_86", Price: "1.6", CurrencyName: "دولار", LocalPrice: "880", LocalCurrencyName: "ريال يمني",
			MinQuantity: 1, MaxQuantity: 1, RequiredFields: []demoField{fPlayer, fZone}},
		{TheNumber: 1001, ServiceName: "بطاقات ايتونز - iTunes", CategoryName: "بطاقة ايتونز امريكي 10 دولار", GameUnitsCount: 10,
			LinkCode: "itunes_us_10", Price: "10.4", CurrencyName: "دولار", LocalPrice: "5720", LocalCurrencyName: "ريال يمني",
			MinQuantity: 1, MaxQuantity: 1, RequiredFields: []demoField{fEmail}, giftCard: true},
	}
}

// wireNum writes a decimal as a bare JSON number, as the platform does.
type wireNum string

func (n wireNum) MarshalJSON() ([]byte, error) { return []byte(n), nil }

// demoFeed is the seed's 0/3 answer.
var demoFeed = []map[string]string{
	{"Date": "2024-08-03", "Amount": "70000.00000", "Currency": "ريال يمني", "Notes": "تغذية حساب - Notes"},
	{"Date": "2024-08-01", "Amount": "100000.00000", "Currency": "ريال يمني", "Notes": "Notes"},
}
