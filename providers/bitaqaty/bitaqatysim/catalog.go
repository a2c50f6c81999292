package bitaqatysim

// The demo catalogue: the same merchants, products, prices and stock as the
// old built-in sandbox, so the app's screens stay the same. Amounts are in
// halalas (1/100 SAR) so the VAT arithmetic is exact. These tables are never
// written to: New copies them into each Server.

import (
	"strconv"
)

// pinStyle says how a PIN is made up: groups of size characters, digits only
// or letters and digits.
type pinStyle struct {
	groups, size int
	digits       bool
}

type merchantDef struct {
	id           int
	en, ar       string
	catEn, catAr string
	howEn, howAr string
	pin          pinStyle
	bill, esim   bool // get-merchant-list filters, seed L1359-L1365
}

type esimSpec struct{ data, calls, duration string } // seed L238-L240

type fieldDef struct {
	inputType, name, en, ar string
	minLen, maxLen          int
	position                int
	required, confirm       bool
	hidden                  bool
	def                     string
	minValue, maxValue      int64 // RANGE, whole SAR
}

type productDef struct {
	id       string
	merchant int
	en, ar   string
	vatType  string // SG, SM, OS (seed L61-L66)
	face     int64  // halalas
	cost     int64  // cost before VAT, halalas
	retail   int64  // recommended retail after VAT, halalas
	stock    int
	off      bool // listed but not available
	kind     int  // productType (seed L1020-L1024): 1 credential, 2 serial, 3 service, 4 priced voucher
	esim     *esimSpec

	// bill products (seed L315-L457)
	bill    bool
	inquiry bool
	form    []fieldDef
}

var demoMerchants = []merchantDef{
	{id: 101, en: "iTunes", ar: "آيتونز", catEn: "Gift Cards", catAr: "بطاقات الهدايا",
		howEn: "Open the App Store, tap your photo, choose Redeem Gift Card or Code and enter the code.",
		howAr: "افتح متجر التطبيقات، اضغط على صورتك، اختر استرداد بطاقة هدايا وأدخل الرمز.", pin: pinStyle{1, 16, false}},
	{id: 102, en: "Google Play", ar: "جوجل بلاي", catEn: "Gift Cards", catAr: "بطاقات الهدايا",
		howEn: "Open Google Play, tap your profile, choose Payments & subscriptions, then Redeem code.",
		howAr: "افتح جوجل بلاي، اضغط على ملفك، اختر الدفعات والاشتراكات ثم استرداد رمز.", pin: pinStyle{1, 20, false}},
	{id: 103, en: "PlayStation", ar: "بلايستيشن", catEn: "Gaming Cards", catAr: "بطاقات الألعاب",
		howEn: "On the console open PlayStation Store, choose Redeem Codes and enter the 12-character code.",
		howAr: "من الجهاز افتح متجر بلايستيشن، اختر استرداد الرموز وأدخل الرمز المكون من 12 خانة.", pin: pinStyle{3, 4, false}},
	{id: 104, en: "Xbox", ar: "إكس بوكس", catEn: "Gaming Cards", catAr: "بطاقات الألعاب",
		howEn: "Go to redeem.microsoft.com or the Microsoft Store on the console and enter the 25-character code.",
		howAr: "ادخل إلى redeem.microsoft.com أو متجر مايكروسوفت في الجهاز وأدخل الرمز المكون من 25 خانة.", pin: pinStyle{5, 5, false}},
	{id: 105, en: "PUBG Mobile", ar: "ببجي موبايل", catEn: "Games", catAr: "الألعاب",
		howEn: "Open midasbuy.com, choose PUBG Mobile, enter the player ID and redeem the code.",
		howAr: "افتح midasbuy.com، اختر ببجي موبايل، أدخل رقم اللاعب واسترد الرمز.", pin: pinStyle{1, 18, false}},
	{id: 106, en: "Free Fire", ar: "فري فاير", catEn: "Games", catAr: "الألعاب",
		howEn: "Open the Garena redeem site, log in with the game account and enter the code.",
		howAr: "افتح موقع الاسترداد من جارينا، سجل الدخول بحساب اللعبة وأدخل الرمز.", pin: pinStyle{4, 4, false}},
	{id: 107, en: "STC", ar: "اس تي سي", catEn: "Mobile Recharge", catAr: "شحن الجوال",
		howEn: "Dial *155*code# from the Sawa line.", howAr: "اطلب \u200e*155*الرمز#\u200e من خط سوا.", pin: pinStyle{1, 14, true}},
	{id: 108, en: "Mobily", ar: "موبايلي", catEn: "Mobile Recharge", catAr: "شحن الجوال",
		howEn: "Dial *1400*code# from the Mobily line.", howAr: "اطلب \u200e*1400*الرمز#\u200e من خط موبايلي.", pin: pinStyle{1, 14, true}},
	{id: 109, en: "Zain", ar: "زين", catEn: "Mobile Recharge", catAr: "شحن الجوال",
		howEn: "Dial *141*code# from the Zain line.", howAr: "اطلب \u200e*141*الرمز#\u200e من خط زين.", pin: pinStyle{1, 14, true}},
	{id: 110, en: "Netflix", ar: "نتفليكس", catEn: "Entertainment", catAr: "الترفيه",
		howEn: "Go to netflix.com/redeem and enter the code.", howAr: "ادخل إلى netflix.com/redeem وأدخل الرمز.", pin: pinStyle{1, 11, false}},
	{id: 111, en: "Noon", ar: "نون", catEn: "Shopping", catAr: "التسوق",
		howEn: "In the noon app open Account, Redeem Gift Card, and enter the username and the PIN.",
		howAr: "في تطبيق نون افتح الحساب، استرداد بطاقة هدية، وأدخل اسم المستخدم والرقم السري.", pin: pinStyle{1, 12, false}},
	{id: 112, en: "Travel eSIM", ar: "شريحة السفر الإلكترونية", catEn: "eSIM", catAr: "الشرائح الإلكترونية",
		howEn: "Scan the QR code from Settings, Mobile Service, Add eSIM; on iPhone the direct link installs it.",
		howAr: "امسح رمز QR من الإعدادات، خدمة الجوال، إضافة شريحة إلكترونية؛ في الآيفون يثبتها الرابط المباشر.", esim: true},
	{id: 201, en: "Saudi Electricity Company", ar: "الشركة السعودية للكهرباء", catEn: "Bills", catAr: "الفواتير", bill: true},
	{id: 202, en: "National Water Company", ar: "شركة المياه الوطنية", catEn: "Bills", catAr: "الفواتير", bill: true},
}

var demoProducts = []productDef{
	{id: "2862", merchant: 101, en: "iTunes Gift Card 50 SAR", ar: "بطاقة آيتونز 50 ريال", vatType: "SM", face: 5000, cost: 4850, retail: 5100, stock: 100, kind: 2},
	{id: "2863", merchant: 101, en: "iTunes Gift Card 100 SAR", ar: "بطاقة آيتونز 100 ريال", vatType: "SM", face: 10000, cost: 9700, retail: 10200, stock: 100, kind: 2},
	{id: "2864", merchant: 101, en: "iTunes Gift Card 200 SAR", ar: "بطاقة آيتونز 200 ريال", vatType: "SM", face: 20000, cost: 19400, retail: 20400, stock: 50, kind: 2},
	{id: "2865", merchant: 101, en: "iTunes Gift Card 500 SAR", ar: "بطاقة آيتونز 500 ريال", vatType: "SM", face: 50000, cost: 48500, retail: 51000, stock: 25, kind: 2},
	{id: "3101", merchant: 102, en: "Google Play 30 SAR", ar: "بطاقة جوجل بلاي 30 ريال", vatType: "SM", face: 3000, cost: 2910, retail: 3100, stock: 100, kind: 2},
	{id: "3102", merchant: 102, en: "Google Play 50 SAR", ar: "بطاقة جوجل بلاي 50 ريال", vatType: "SM", face: 5000, cost: 4850, retail: 5150, stock: 100, kind: 2},
	{id: "3103", merchant: 102, en: "Google Play 100 SAR", ar: "بطاقة جوجل بلاي 100 ريال", vatType: "SM", face: 10000, cost: 9700, retail: 10300, stock: 100, kind: 2},
	{id: "3104", merchant: 102, en: "Google Play 300 SAR", ar: "بطاقة جوجل بلاي 300 ريال", vatType: "SM", face: 30000, cost: 29100, retail: 30600, stock: 0, off: true, kind: 2},
	{id: "3201", merchant: 103, en: "PlayStation Store 50 SAR", ar: "بطاقة متجر بلايستيشن 50 ريال", vatType: "SG", face: 5000, cost: 4800, retail: 5750, stock: 100, kind: 2},
	{id: "3202", merchant: 103, en: "PlayStation Store 100 SAR", ar: "بطاقة متجر بلايستيشن 100 ريال", vatType: "SG", face: 10000, cost: 9600, retail: 11500, stock: 100, kind: 2},
	{id: "3203", merchant: 103, en: "PlayStation Store 200 SAR", ar: "بطاقة متجر بلايستيشن 200 ريال", vatType: "SG", face: 20000, cost: 19200, retail: 23000, stock: 40, kind: 2},
	{id: "3204", merchant: 103, en: "PlayStation Plus Essential 3 Months", ar: "اشتراك بلايستيشن بلس إسنشال 3 أشهر", vatType: "SG", face: 10500, cost: 10000, retail: 12075, stock: 40, kind: 2},
	{id: "3301", merchant: 104, en: "Xbox Gift Card 50 SAR", ar: "بطاقة إكس بوكس 50 ريال", vatType: "SG", face: 5000, cost: 4800, retail: 5750, stock: 100, kind: 2},
	{id: "3302", merchant: 104, en: "Xbox Gift Card 100 SAR", ar: "بطاقة إكس بوكس 100 ريال", vatType: "SG", face: 10000, cost: 9600, retail: 11500, stock: 100, kind: 2},
	{id: "3303", merchant: 104, en: "Xbox Game Pass Ultimate 1 Month", ar: "اشتراك إكس بوكس جيم باس ألتيميت شهر", vatType: "SG", face: 5500, cost: 5250, retail: 6325, stock: 0, off: true, kind: 2},
	{id: "4101", merchant: 105, en: "PUBG Mobile 60 UC", ar: "ببجي موبايل 60 شدة", vatType: "OS", face: 375, cost: 360, retail: 400, stock: 500, kind: 4},
	{id: "4102", merchant: 105, en: "PUBG Mobile 325 UC", ar: "ببجي موبايل 325 شدة", vatType: "OS", face: 1875, cost: 1800, retail: 1950, stock: 500, kind: 4},
	{id: "4103", merchant: 105, en: "PUBG Mobile 660 UC", ar: "ببجي موبايل 660 شدة", vatType: "OS", face: 3750, cost: 3600, retail: 3900, stock: 300, kind: 4},
	{id: "4104", merchant: 105, en: "PUBG Mobile 1800 UC", ar: "ببجي موبايل 1800 شدة", vatType: "OS", face: 9375, cost: 9000, retail: 9700, stock: 100, kind: 4},
	{id: "4201", merchant: 106, en: "Free Fire 100 Diamonds", ar: "فري فاير 100 جوهرة", vatType: "OS", face: 375, cost: 355, retail: 400, stock: 500, kind: 4},
	{id: "4202", merchant: 106, en: "Free Fire 310 Diamonds", ar: "فري فاير 310 جوهرة", vatType: "OS", face: 1125, cost: 1070, retail: 1200, stock: 300, kind: 4},
	{id: "4203", merchant: 106, en: "Free Fire 520 Diamonds", ar: "فري فاير 520 جوهرة", vatType: "OS", face: 1875, cost: 1780, retail: 2000, stock: 300, kind: 4},
	{id: "4204", merchant: 106, en: "Free Fire 1060 Diamonds", ar: "فري فاير 1060 جوهرة", vatType: "OS", face: 3750, cost: 3560, retail: 4000, stock: 2, kind: 4},
	{id: "5101", merchant: 107, en: "Sawa Recharge 20 SAR", ar: "شحن سوا 20 ريال", vatType: "SG", face: 2000, cost: 1940, retail: 2300, stock: 1000, kind: 2},
	{id: "5102", merchant: 107, en: "Sawa Recharge 50 SAR", ar: "شحن سوا 50 ريال", vatType: "SG", face: 5000, cost: 4850, retail: 5750, stock: 1000, kind: 2},
	{id: "5103", merchant: 107, en: "Sawa Recharge 100 SAR", ar: "شحن سوا 100 ريال", vatType: "SG", face: 10000, cost: 9700, retail: 11500, stock: 1000, kind: 2},
	{id: "5104", merchant: 107, en: "Sawa Recharge 300 SAR", ar: "شحن سوا 300 ريال", vatType: "SG", face: 30000, cost: 29100, retail: 34500, stock: 200, kind: 2},
	{id: "5201", merchant: 108, en: "Mobily Recharge 20 SAR", ar: "شحن موبايلي 20 ريال", vatType: "SG", face: 2000, cost: 1940, retail: 2300, stock: 1000, kind: 2},
	{id: "5202", merchant: 108, en: "Mobily Recharge 50 SAR", ar: "شحن موبايلي 50 ريال", vatType: "SG", face: 5000, cost: 4850, retail: 5750, stock: 1000, kind: 2},
	{id: "5203", merchant: 108, en: "Mobily Recharge 100 SAR", ar: "شحن موبايلي 100 ريال", vatType: "SG", face: 10000, cost: 9700, retail: 11500, stock: 1000, kind: 2},
	{id: "5301", merchant: 109, en: "Zain Recharge 20 SAR", ar: "شحن زين 20 ريال", vatType: "SG", face: 2000, cost: 1940, retail: 2300, stock: 1000, kind: 2},
	{id: "5302", merchant: 109, en: "Zain Recharge 50 SAR", ar: "شحن زين 50 ريال", vatType: "SG", face: 5000, cost: 4850, retail: 5750, stock: 1000, kind: 2},
	{id: "5303", merchant: 109, en: "Zain Recharge 100 SAR", ar: "شحن زين 100 ريال", vatType: "SG", face: 10000, cost: 9700, retail: 11500, stock: 1000, kind: 2},
	{id: "6101", merchant: 110, en: "Netflix Gift Card 100 SAR", ar: "بطاقة نتفليكس 100 ريال", vatType: "SG", face: 10000, cost: 9600, retail: 11500, stock: 100, kind: 2},
	{id: "6102", merchant: 110, en: "Netflix Gift Card 250 SAR", ar: "بطاقة نتفليكس 250 ريال", vatType: "SG", face: 25000, cost: 24000, retail: 28750, stock: 0, off: true, kind: 2},
	{id: "7101", merchant: 111, en: "Noon Gift Card 50 SAR", ar: "بطاقة نون 50 ريال", vatType: "OS", face: 5000, cost: 4875, retail: 5000, stock: 100, kind: 1},
	{id: "7102", merchant: 111, en: "Noon Gift Card 100 SAR", ar: "بطاقة نون 100 ريال", vatType: "OS", face: 10000, cost: 9750, retail: 10000, stock: 100, kind: 1},
	{id: "7103", merchant: 111, en: "Noon Gift Card 250 SAR", ar: "بطاقة نون 250 ريال", vatType: "OS", face: 25000, cost: 24375, retail: 25000, stock: 50, kind: 1},
	{id: "8101", merchant: 112, en: "Saudi Arabia eSIM 10 GB 30 Days", ar: "شريحة إلكترونية السعودية 10 جيجا 30 يوم", vatType: "SG", face: 6000, cost: 5200, retail: 6900, stock: 100, kind: 3,
		esim: &esimSpec{data: "10 GB", calls: "N/A", duration: "30 days"}},
	{id: "8102", merchant: 112, en: "GCC eSIM 5 GB 15 Days", ar: "شريحة إلكترونية الخليج 5 جيجا 15 يوم", vatType: "SG", face: 4500, cost: 4000, retail: 5175, stock: 100, kind: 3,
		esim: &esimSpec{data: "5 GB", calls: "N/A", duration: "15 days"}},

	// Bills: product IDs 123 and 333 are the seed's examples (L553, L647).
	{id: "123", merchant: 201, en: "SEC Electricity Bill", ar: "فاتورة الكهرباء", vatType: "OS", bill: true, inquiry: true, kind: 3,
		form: []fieldDef{{inputType: "N", name: "accountNumber", en: "Account number", ar: "رقم الحساب", minLen: 11, maxLen: 11, position: 1, required: true, confirm: true}}},
	{id: "124", merchant: 202, en: "NWC Water Bill", ar: "فاتورة المياه", vatType: "OS", bill: true, inquiry: true, kind: 3,
		form: []fieldDef{
			{inputType: "TEXT", name: "serviceType", en: "Service", ar: "الخدمة", position: 2, hidden: true, def: "WATER"},
			{inputType: "N", name: "accountNumber", en: "Account number", ar: "رقم الحساب", minLen: 10, maxLen: 10, position: 1, required: true},
		}},
	{id: "333", merchant: 108, en: "Mobily Prepaid Top-up", ar: "شحن رصيد موبايلي مسبق الدفع", vatType: "SG", bill: true, inquiry: false, kind: 3,
		form: []fieldDef{
			{inputType: "N", name: "mobileNumber", en: "Mobile number", ar: "رقم الجوال", minLen: 10, maxLen: 10, position: 1, required: true, confirm: true},
			{inputType: "RANGE", name: "amount", en: "Amount", ar: "المبلغ", position: 2, required: true, minValue: 5, maxValue: 500},
		}},
}

// ---- generated catalogue (Generate) ----

// genBrand is one generated merchant: what it sells, in which currency its
// face values are printed, and how its PINs look.
type genBrand struct {
	en, ar       string
	catEn, catAr string
	kind         int
	vatType      string
	cur          string // face-value currency in the product name
	pin          pinStyle
}

const (
	catGift  = "Gift Cards"
	catGame  = "Gaming Cards"
	catGames = "Games"
	catTopup = "Mobile Recharge"
	catEnt   = "Entertainment"
	catShop  = "Shopping"
)

var catAr = map[string]string{
	catGift: "بطاقات الهدايا", catGame: "بطاقات الألعاب", catGames: "الألعاب",
	catTopup: "شحن الجوال", catEnt: "الترفيه", catShop: "التسوق",
}

var genBrands = []genBrand{
	{"Steam", "ستيم", catGame, "", 2, "SG", "USD", pinStyle{3, 5, false}},
	{"Amazon", "أمازون", catGift, "", 2, "SM", "SAR", pinStyle{3, 4, false}},
	{"Razer Gold", "ريزر جولد", catGame, "", 2, "SG", "USD", pinStyle{1, 16, false}},
	{"Roblox", "روبلوكس", catGames, "", 4, "OS", "USD", pinStyle{1, 10, true}},
	{"Spotify", "سبوتيفاي", catEnt, "", 2, "SG", "SAR", pinStyle{1, 12, false}},
	{"Shahid VIP", "شاهد VIP", catEnt, "", 1, "SG", "SAR", pinStyle{1, 12, false}},
	{"OSN+", "أو إس إن بلس", catEnt, "", 1, "SG", "SAR", pinStyle{1, 12, false}},
	{"Fortnite", "فورتنايت", catGames, "", 4, "OS", "USD", pinStyle{4, 4, false}},
	{"Minecraft", "ماينكرافت", catGames, "", 2, "SG", "USD", pinStyle{5, 5, false}},
	{"Nintendo eShop", "متجر نينتندو", catGame, "", 2, "SG", "USD", pinStyle{4, 4, false}},
	{"Apple Gift Card", "بطاقة أبل", catGift, "", 2, "SM", "USD", pinStyle{1, 16, false}},
	{"Careem Pay", "كريم باي", catShop, "", 2, "SM", "SAR", pinStyle{1, 12, true}},
	{"Jahez", "جاهز", catShop, "", 2, "SM", "SAR", pinStyle{1, 12, true}},
	{"HungerStation", "هنقرستيشن", catShop, "", 2, "SM", "SAR", pinStyle{1, 12, true}},
	{"Lebara", "ليبارا", catTopup, "", 2, "SG", "SAR", pinStyle{1, 14, true}},
	{"Virgin Mobile", "فيرجن موبايل", catTopup, "", 2, "SG", "SAR", pinStyle{1, 14, true}},
	{"Salam Mobile", "سلام موبايل", catTopup, "", 2, "SG", "SAR", pinStyle{1, 14, true}},
	{"Friendi", "فرندي", catTopup, "", 2, "SG", "SAR", pinStyle{1, 14, true}},
	{"Yalla Ludo", "يلا لودو", catGames, "", 4, "OS", "USD", pinStyle{1, 12, false}},
	{"Mobile Legends", "موبايل ليجندز", catGames, "", 4, "OS", "USD", pinStyle{1, 14, false}},
	{"Valorant", "فالورانت", catGames, "", 4, "OS", "USD", pinStyle{1, 15, false}},
	{"League of Legends", "ليج أوف ليجندز", catGames, "", 4, "OS", "USD", pinStyle{1, 15, false}},
	{"Genshin Impact", "جنشن إمباكت", catGames, "", 4, "OS", "USD", pinStyle{1, 16, false}},
	{"Call of Duty Mobile", "كول أوف ديوتي موبايل", catGames, "", 4, "OS", "USD", pinStyle{1, 16, false}},
	{"EA FC Points", "نقاط إي إيه إف سي", catGame, "", 2, "SG", "USD", pinStyle{5, 5, false}},
	{"STARZPLAY", "ستارز بلاي", catEnt, "", 1, "SG", "SAR", pinStyle{1, 12, false}},
	{"Anghami Plus", "أنغامي بلس", catEnt, "", 2, "SG", "SAR", pinStyle{1, 12, false}},
	{"Deezer", "ديزر", catEnt, "", 2, "SG", "USD", pinStyle{1, 12, false}},
	{"YouTube Premium", "يوتيوب بريميوم", catEnt, "", 2, "SG", "SAR", pinStyle{1, 16, false}},
	{"Microsoft 365", "مايكروسوفت 365", catEnt, "", 2, "SG", "USD", pinStyle{5, 5, false}},
	{"Xbox Game Pass", "إكس بوكس جيم باس", catGame, "", 2, "SG", "USD", pinStyle{5, 5, false}},
	{"PlayStation Plus", "بلايستيشن بلس", catGame, "", 2, "SG", "USD", pinStyle{3, 4, false}},
	{"Namshi", "نمشي", catShop, "", 2, "SM", "SAR", pinStyle{1, 12, false}},
	{"Jarir Bookstore", "مكتبة جرير", catShop, "", 2, "SM", "SAR", pinStyle{1, 12, true}},
	{"eXtra", "إكسترا", catShop, "", 2, "SM", "SAR", pinStyle{1, 12, true}},
	{"IKEA", "ايكيا", catShop, "", 2, "SM", "SAR", pinStyle{1, 12, true}},
	{"Centrepoint", "سنتربوينت", catShop, "", 2, "SM", "AED", pinStyle{1, 12, true}},
	{"Nike", "نايكي", catShop, "", 2, "SM", "USD", pinStyle{1, 12, false}},
	{"Sephora", "سيفورا", catShop, "", 2, "SM", "AED", pinStyle{1, 12, false}},
	{"Uber", "أوبر", catShop, "", 2, "SM", "SAR", pinStyle{1, 12, false}},
	{"Talabat", "طلبات", catShop, "", 2, "SM", "AED", pinStyle{1, 12, true}},
	{"Noon Minutes", "نون دقائق", catShop, "", 1, "OS", "SAR", pinStyle{1, 12, false}},
	{"Ubisoft Connect", "يوبيسوفت كونكت", catGame, "", 2, "SG", "USD", pinStyle{4, 4, false}},
	{"Battle.net", "باتل نت", catGame, "", 2, "SG", "USD", pinStyle{4, 4, false}},
	{"Riot Access", "رايوت", catGame, "", 2, "SG", "USD", pinStyle{1, 15, false}},
	{"Jawaker", "جواكر", catGames, "", 4, "OS", "USD", pinStyle{1, 12, false}},
	{"Ludo Star", "لودو ستار", catGames, "", 4, "OS", "USD", pinStyle{1, 12, false}},
	{"Clash of Clans", "كلاش أوف كلانس", catGames, "", 4, "OS", "USD", pinStyle{1, 12, false}},
	{"Candy Crush", "كاندي كراش", catGames, "", 4, "OS", "USD", pinStyle{1, 12, false}},
	{"Zain KSA Data", "زين بيانات", catTopup, "", 2, "SG", "SAR", pinStyle{1, 14, true}},
}

// genDenoms are the face values (whole units of the brand's currency).
var genDenoms = []int64{5, 10, 15, 20, 25, 30, 50, 75, 100, 150, 200, 250, 300, 500}

// genRegions make names vary the way real catalogues do ("… (KSA)").
var genRegions = []string{"KSA", "UAE", "US", "UK", "KW", "BH", "QA", "OM", "EG", "Global"}

var genRegionsAr = []string{"السعودية", "الإمارات", "أمريكا", "بريطانيا", "الكويت", "البحرين", "قطر", "عمان", "مصر", "عالمي"}

var curAr = map[string]string{"SAR": "ريال", "USD": "دولار", "AED": "درهم"}

// sarPerUnit is the face value of one unit of a currency, in halalas.
var sarPerUnit = map[string]int64{"SAR": 100, "USD": 375, "AED": 102}

// GenMerchantBase is the first merchant id Generate uses (demo ids stay below it).
const GenMerchantBase = 1001

// GenProductBase is the first product id Generate uses.
const GenProductBase = 1_000_000

// genProduct fills p as the i-th generated product (i counts from 0 across
// all Generate calls, so ids never repeat).
func genProduct(i int, p *product, merchants []*merchant, buf []byte) []byte {
	nb := len(genBrands)
	bi := i % nb
	b := &genBrands[bi]
	round := i / nb
	d := genDenoms[round%len(genDenoms)]
	ri := (round / len(genDenoms)) % len(genRegions)
	batch := round / (len(genDenoms) * len(genRegions))

	face := d * sarPerUnit[b.cur]
	var cost, retail int64
	switch b.vatType {
	case "SG":
		cost = face * 96 / 100
		retail = face * 115 / 100
	case "SM":
		cost = face * 97 / 100
		retail = face * 102 / 100
	default:
		cost = face * 95 / 100
		retail = face * 104 / 100
	}

	buf = buf[:0]
	buf = append(buf, b.en...)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, d, 10)
	buf = append(buf, ' ')
	buf = append(buf, b.cur...)
	buf = append(buf, " ("...)
	buf = append(buf, genRegions[ri]...)
	buf = append(buf, ')')
	if batch > 0 {
		buf = append(buf, " #"...)
		buf = strconv.AppendInt(buf, int64(batch+1), 10)
	}
	en := string(buf)
	buf = buf[:0]
	buf = append(buf, b.ar...)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, d, 10)
	buf = append(buf, ' ')
	buf = append(buf, curAr[b.cur]...)
	buf = append(buf, " - "...)
	buf = append(buf, genRegionsAr[ri]...)
	ar := string(buf)

	*p = product{
		id:       strconv.Itoa(GenProductBase + i),
		merchant: merchants[bi],
		en:       en, ar: ar,
		vatType: b.vatType,
		face:    face, cost: cost, retail: retail,
		stockLeft: 1000,
		off:       i%97 == 96,
		kind:      b.kind,
	}
	return buf
}
