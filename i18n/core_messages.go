package i18n

// The sale core's own refusals (sale/quote.go), worded here so a screen
// says them in the clerk's language; the command line prints the English.
// %[1]s is the provider's name, which the texts repeat.
var coreMessages = map[Lang]map[string]string{
	EN: {
		"sale.not_available":               "%s is not available for sale now",
		"sale.err_no_key":                  "the journal key is not available, so a PIN bought now could not be kept",
		"sale.no_key":                      "cannot sell %s: %s. Nothing was sent. Put the journal key file back from the copy kept apart from the kiosk (or set journal.key_env), then start again",
		"sale.price_not_above_zero.cost":   "%[1]s quoted a cost of %[2]s for %[3]s: refused, nothing was sold; ask %[1]s to check the product",
		"sale.price_not_above_zero.retail": "%[1]s quoted a retail price of %[2]s for %[3]s: refused, nothing was sold; ask %[1]s to check the product",
		"sale.prices_apart":                "%[1]s quoted %[2]s for %[3]s at a cost of %[4]s: the prices are more than %[5]d times apart, refused; ask %[1]s to check the product",
	},
	AR: {
		"sale.not_available":               "%s غير متاح للبيع الآن",
		"sale.err_no_key":                  "مفتاح السجل غير متاح، فلا يمكن حفظ رقم سري يُشترى الآن",
		"sale.no_key":                      "لا يمكن بيع %s: %s. لم يُرسل شيء. أعِد ملف مفتاح السجل من النسخة المحفوظة بعيدًا عن الجهاز (أو اضبط journal.key_env)، ثم شغّل البرنامج من جديد",
		"sale.price_not_above_zero.cost":   "أعطى %[1]s تكلفة %[2]s لـ %[3]s: رُفضت، ولم يُبع شيء؛ اطلب من %[1]s مراجعة المنتج",
		"sale.price_not_above_zero.retail": "أعطى %[1]s سعر بيع %[2]s لـ %[3]s: رُفض، ولم يُبع شيء؛ اطلب من %[1]s مراجعة المنتج",
		"sale.prices_apart":                "أعطى %[1]s سعر %[2]s لـ %[3]s بتكلفة %[4]s: بين السعرين أكثر من %[5]d ضعفًا، فرُفض؛ اطلب من %[1]s مراجعة المنتج",
	},
}

func init() { merge(coreMessages) }
