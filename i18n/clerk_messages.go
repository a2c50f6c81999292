package i18n

// clerkMessages are the texts of the clerk's fields and slips: the rules a
// field's value must follow (field.rule.*, one per providers.Rule, the
// field's label first), the hints the kiosk writes for a provider's number
// fields (hint.*, named by providers.Field.HintKey), choice lists, the
// customer-facing extra lines of a voucher (extra.*), the NOT SOLD and NOT
// SETTLED slips, and the catalogue's repeat and reprint keys. They live
// apart from messages.go and are added to the catalogue at start.
//
// Each English field.rule text is word for word what providers.FieldError
// says, and each hint what the provider's PatternHint says (tests check
// both), so the command line and the English screens read the same.
var clerkMessages = map[Lang]map[string]string{
	EN: {
		"field.rule.required":    "%s is required",
		"field.rule.min_len":     "%s must be at least %d characters (got %d)",
		"field.rule.max_len":     "%s must be at most %d characters (got %d)",
		"field.rule.digits":      "%s must contain digits only",
		"field.rule.whole":       "%s must be a whole number",
		"field.rule.positive":    "%s must be more than zero",
		"field.rule.email":       "%s is not a valid e-mail address",
		"field.rule.number":      "%s must be a number like 25 or 12.50",
		"field.rule.min":         "%s must be at least %s",
		"field.rule.max":         "%s must be at most %s",
		"field.rule.choice":      "%s must be one of the listed choices",
		"field.rule.hint":        "%s: %s",
		"field.rule.format":      "%s has the wrong format",
		"field.rule.bad_pattern": "%s: bad pattern in product definition: %v",

		"hint.yemen_mobile":     "a Yemeni mobile number has 9 digits and starts with 7",
		"hint.yemen_fixed":      "8 digits: 10xxxxxx, or the line's number with its area code, 0xxxxxxx",
		"hint.yemen_landline":   "a landline number has 8 digits with its area code and starts with 0 (01xxxxxx)",
		"hint.letters_digits":   "letters and digits only",
		"hint.india_mobile":     "enter the 10-digit mobile number; it starts with 6, 7, 8 or 9",
		"hint.mor_cards":        "enter a number of cards from 1 to %s",
		"hint.dtone_intl":       "enter the number in international form without + or 00",
		"hint.dtone_intl_exact": "enter the number as %s followed by %s digits, without + or 00",
		"hint.dtone_intl_range": "enter the number as %s followed by %s to %s digits, without + or 00",

		"fields.choose":          "type to filter · ←/→ choose",
		"fields.no_choice":       "— choose —",
		"fields.choices_shown":   "%d of %d",
		"fields.no_choice_match": "nothing matches \"%s\"",

		"label.access_number": "Access number",
		"label.number_units":  "number of units",

		"extra.iccid":                      "ICCID",
		"extra.lpa":                        "eSIM code",
		"extra.matchingId":                 "Matching ID",
		"extra.directAppleInstallationUrl": "iPhone link",
		"extra.eSIM":                       "eSIM",
		"extra.info":                       "Info",
		"extra.message":                    "Message",
		"extra.details":                    "Details",
		"extra.billStatus":                 "Bill status",
		"extra.inquireReferenceNumber":     "Inquiry ref",
		"extra.balance":                    "Card balance",

		"receipt.nothing_charged":  "Nothing was charged.",
		"receipt.return_money":     "Return the customer's money.",
		"receipt.amount_to_return": "Amount to return",
		"receipt.do_not_sell":      "Do not sell again.",
		"receipt.keep_slip":        "Keep this slip.",
		"receipt.settled_by_ref":   "The sale is settled by its reference; the customer brings this slip back.",
		"receipt.qr_too_big":       "(QR code too big to draw on this paper)",

		"key.repeat_last":      "repeat last sale",
		"key.reprint_last":     "reprint last receipt",
		"catalog.no_last_sale": "No sale yet.",
		"catalog.last_open":    "The last sale %s is not settled: never sell it again (ctrl+o shows it).",
		"catalog.product_gone": "%s is no longer in the catalogue.",
	},

	AR: {
		"field.rule.required":    "حقل %s مطلوب",
		"field.rule.min_len":     "يجب ألا يقل %s عن %d حرفًا (أُدخل %d)",
		"field.rule.max_len":     "يجب ألا يزيد %s عن %d حرفًا (أُدخل %d)",
		"field.rule.digits":      "يجب أن يحتوي %s على أرقام فقط",
		"field.rule.whole":       "يجب أن يكون %s عددًا صحيحًا",
		"field.rule.positive":    "يجب أن يكون %s أكبر من صفر",
		"field.rule.email":       "%s ليس عنوان بريد إلكتروني صحيحًا",
		"field.rule.number":      "يجب أن يكون %s رقمًا مثل 25 أو 12.50",
		"field.rule.min":         "يجب ألا يقل %s عن %s",
		"field.rule.max":         "يجب ألا يزيد %s عن %s",
		"field.rule.choice":      "اختر %s من القائمة",
		"field.rule.hint":        "حقل %s: %s",
		"field.rule.format":      "صيغة %s غير صحيحة",
		"field.rule.bad_pattern": "%s: نمط غير صالح في تعريف المنتج: %v",

		"hint.yemen_mobile":     "رقم الجوال اليمني من 9 أرقام ويبدأ بـ 7",
		"hint.yemen_fixed":      "8 أرقام: 10xxxxxx، أو رقم الخط مع رمز المنطقة 0xxxxxxx",
		"hint.yemen_landline":   "رقم الهاتف الثابت من 8 أرقام مع رمز المنطقة ويبدأ بـ 0 (01xxxxxx)",
		"hint.letters_digits":   "حروف وأرقام فقط",
		"hint.india_mobile":     "أدخل رقم الجوال المكوّن من 10 أرقام؛ يبدأ بـ 6 أو 7 أو 8 أو 9",
		"hint.mor_cards":        "أدخل عدد البطاقات من 1 إلى %s",
		"hint.dtone_intl":       "أدخل الرقم بالصيغة الدولية بدون + أو 00",
		"hint.dtone_intl_exact": "أدخل الرقم بالصيغة %s ثم %s أرقام، بدون + أو 00",
		"hint.dtone_intl_range": "أدخل الرقم بالصيغة %s ثم من %s إلى %s رقمًا، بدون + أو 00",

		"fields.choose":          "اكتب للتصفية · ←/→ للاختيار",
		"fields.no_choice":       "— اختر —",
		"fields.choices_shown":   "%d من أصل %d",
		"fields.no_choice_match": "لا شيء يطابق «%s»",

		"label.access_number": "رقم الوصول",
		"label.number_units":  "عدد الوحدات",

		"extra.iccid":                      "رقم ICCID",
		"extra.lpa":                        "رمز تفعيل eSIM",
		"extra.matchingId":                 "معرّف المطابقة",
		"extra.directAppleInstallationUrl": "رابط iPhone",
		"extra.eSIM":                       "شريحة eSIM",
		"extra.info":                       "معلومات",
		"extra.message":                    "رسالة",
		"extra.details":                    "تفاصيل",
		"extra.billStatus":                 "حالة الفاتورة",
		"extra.inquireReferenceNumber":     "مرجع الاستعلام",
		"extra.balance":                    "رصيد البطاقة",

		"receipt.nothing_charged":  "لم يُخصم أي مبلغ.",
		"receipt.return_money":     "أعِد للعميل نقوده.",
		"receipt.amount_to_return": "المبلغ المُعاد",
		"receipt.do_not_sell":      "لا تبع مرة أخرى.",
		"receipt.keep_slip":        "احتفظ بهذا الإيصال.",
		"receipt.settled_by_ref":   "تُسوّى العملية برقم مرجعها؛ ويعيد العميل هذا الإيصال.",
		"receipt.qr_too_big":       "(رمز QR أكبر من أن يُرسم على هذا الورق)",

		"key.repeat_last":      "تكرار آخر عملية",
		"key.reprint_last":     "إعادة طباعة آخر إيصال",
		"catalog.no_last_sale": "لا توجد عملية بيع بعد.",
		"catalog.last_open":    "آخر عملية %s لم تُسوَّ بعد: لا تبعها مرة أخرى أبدًا (ctrl+o يعرضها).",
		"catalog.product_gone": "%s لم يعد في قائمة المنتجات.",
	},
}

// clerkCollisions lists the keys of clerkMessages that messages.go has
// already; the first definition stands, and a test fails on any.
var clerkCollisions []string

func init() {
	for lang, msgs := range clerkMessages {
		for k, v := range msgs {
			if _, dup := messages[lang][k]; dup {
				clerkCollisions = append(clerkCollisions, string(lang)+" "+k)
				continue
			}
			messages[lang][k] = v
		}
	}
}
