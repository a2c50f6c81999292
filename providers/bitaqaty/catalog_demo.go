package bitaqaty

// The sandbox's demo catalogue: what a Saudi reseller account typically
// carries. Amounts are in halalas (1/100 SAR) so the VAT arithmetic is exact.

type demoMerchant struct {
	id           int
	en, ar       string
	catEn, catAr string
	howEn, howAr string
	pin          pinStyle
}

// pinStyle says how the sandbox makes up a PIN: groups of size characters,
// digits only or letters and digits.
type pinStyle struct {
	groups, size int
	digits       bool
}

type demoProduct struct {
	id       string
	merchant int
	en, ar   string
	vatType  string // SG, SM, OS
	face     int64  // halalas
	cost     int64  // cost before VAT, halalas
	retail   int64  // recommended retail after VAT, halalas
	stock    int
	off      bool // listed but not available
	kind     int  // productType: 1 credential, 2 serial, 3 service, 4 priced voucher
	esim     bool

	// bill products
	bill    bool
	inquiry bool
	form    []demoField
}

type demoField struct {
	inputType, name, en, ar string
	minLen, maxLen          int
	position                int
	required, confirm       bool
	hidden                  bool
	def                     string
	minValue, maxValue      int64 // RANGE, whole SAR
}

var demoMerchants = []demoMerchant{
	{101, "iTunes", "آيتونز", "Gift Cards", "بطاقات الهدايا",
		"Open the App Store, tap your photo, choose Redeem Gift Card or Code and enter the code.",
		"افتح متجر التطبيقات، اضغط على صورتك، اختر استرداد بطاقة هدايا وأدخل الرمز.", pinStyle{1, 16, false}},
	{102, "Google Play", "جوجل بلاي", "Gift Cards", "بطاقات الهدايا",
		"Open Google Play, tap your profile, choose Payments & subscriptions, then Redeem code.",
		"افتح جوجل بلاي، اضغط على ملفك، اختر الدفعات والاشتراكات ثم استرداد رمز.", pinStyle{1, 20, false}},
	{103, "PlayStation", "بلايستيشن", "Gaming Cards", "بطاقات الألعاب",
		"On the console open PlayStation Store, choose Redeem Codes and enter the 12-character code.",
		"من الجهاز افتح متجر بلايستيشن، اختر استرداد الرموز وأدخل الرمز المكون من 12 خانة.", pinStyle{3, 4, false}},
	{104, "Xbox", "إكس بوكس", "Gaming Cards", "بطاقات الألعاب",
		"Go to redeem.microsoft.com or the Microsoft Store on the console and enter the 25-character code.",
		"ادخل إلى redeem.microsoft.com أو متجر مايكروسوفت في الجهاز وأدخل الرمز المكون من 25 خانة.", pinStyle{5, 5, false}},
	{105, "PUBG Mobile", "ببجي موبايل", "Games", "الألعاب",
		"Open midasbuy.com, choose PUBG Mobile, enter the player ID and redeem the code.",
		"افتح midasbuy.com، اختر ببجي موبايل، أدخل رقم اللاعب واسترد الرمز.", pinStyle{1, 18, false}},
	{106, "Free Fire", "فري فاير", "Games", "الألعاب",
		"Open the Garena redeem site, log in with the game account and enter the code.",
		"افتح موقع الاسترداد من جارينا، سجل الدخول بحساب اللعبة وأدخل الرمز.", pinStyle{4, 4, false}},
	{107, "STC", "اس تي سي", "Mobile Recharge", "شحن الجوال",
		"Dial *155*code# from the Sawa line.", "اطلب ‎*155*الرمز#‎ من خط سوا.", pinStyle{1, 14, true}},
	{108, "Mobily", "موبايلي", "Mobile Recharge", "شحن الجوال",
		"Dial *1400*code# from the Mobily line.", "اطلب ‎*1400*الرمز#‎ من خط موبايلي.", pinStyle{1, 14, true}},
	{109, "Zain", "زين", "Mobile Recharge", "شحن الجوال",
		"Dial *141*code# from the Zain line.", "اطلب ‎*141*الرمز#‎ من خط زين.", pinStyle{1, 14, true}},
	{110, "Netflix", "نتفليكس", "Entertainment", "الترفيه",
		"Go to netflix.com/redeem and enter the code.", "ادخل إلى netflix.com/redeem وأدخل الرمز.", pinStyle{1, 11, false}},
	{111, "Noon", "نون", "Shopping", "التسوق",
		"In the noon app open Account, Redeem Gift Card, and enter the username and the PIN.",
		"في تطبيق نون افتح الحساب، استرداد بطاقة هدية، وأدخل اسم المستخدم والرقم السري.", pinStyle{1, 12, false}},
	{112, "Travel eSIM", "شريحة السفر الإلكترونية", "eSIM", "الشرائح الإلكترونية",
		"Scan the QR code from Settings, Mobile Service, Add eSIM; on iPhone the direct link installs it.",
		"امسح رمز QR من الإعدادات، خدمة الجوال، إضافة شريحة إلكترونية؛ في الآيفون يثبتها الرابط المباشر.", pinStyle{}},
	{201, "Saudi Electricity Company", "الشركة السعودية للكهرباء", "Bills", "الفواتير", "", "", pinStyle{}},
	{202, "National Water Company", "شركة المياه الوطنية", "Bills", "الفواتير", "", "", pinStyle{}},
}

var demoProducts = []demoProduct{
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
	{id: "8101", merchant: 112, en: "Saudi Arabia eSIM 10 GB 30 Days", ar: "شريحة إلكترونية السعودية 10 جيجا 30 يوم", vatType: "SG", face: 6000, cost: 5200, retail: 6900, stock: 100, kind: 3, esim: true},
	{id: "8102", merchant: 112, en: "GCC eSIM 5 GB 15 Days", ar: "شريحة إلكترونية الخليج 5 جيجا 15 يوم", vatType: "SG", face: 4500, cost: 4000, retail: 5175, stock: 100, kind: 3, esim: true},

	// Bills: IDs 123 and 333 are the seed's examples.
	{id: "123", merchant: 201, en: "SEC Electricity Bill", ar: "فاتورة الكهرباء", vatType: "OS", bill: true, inquiry: true, kind: 3,
		form: []demoField{{inputType: "N", name: "accountNumber", en: "Account number", ar: "رقم الحساب", minLen: 11, maxLen: 11, position: 1, required: true, confirm: true}}},
	{id: "124", merchant: 202, en: "NWC Water Bill", ar: "فاتورة المياه", vatType: "OS", bill: true, inquiry: true, kind: 3,
		form: []demoField{
			{inputType: "TEXT", name: "serviceType", en: "Service", ar: "الخدمة", position: 2, hidden: true, def: "WATER"},
			{inputType: "N", name: "accountNumber", en: "Account number", ar: "رقم الحساب", minLen: 10, maxLen: 10, position: 1, required: true},
		}},
	{id: "333", merchant: 108, en: "Mobily Prepaid Top-up", ar: "شحن رصيد موبايلي مسبق الدفع", vatType: "SG", bill: true, inquiry: false, kind: 3,
		form: []demoField{
			{inputType: "N", name: "mobileNumber", en: "Mobile number", ar: "رقم الجوال", minLen: 10, maxLen: 10, position: 1, required: true, confirm: true},
			{inputType: "RANGE", name: "amount", en: "Amount", ar: "المبلغ", position: 2, required: true, minValue: 5, maxValue: 500},
		}},
}
