package dtone

import (
	"fmt"
	"strings"

	"kiosk/providers"
)

// DT One names countries ("Guatemala") and numbers them with its own ids
// (756), never with ISO codes, so the ISO code is found by name here.
var isoByName = map[string]string{
	"afghanistan": "AF", "algeria": "DZ", "argentina": "AR", "bahrain": "BH",
	"bangladesh": "BD", "bolivia": "BO", "brazil": "BR", "cameroon": "CM",
	"china": "CN", "colombia": "CO", "costa rica": "CR", "cote d'ivoire": "CI",
	"cuba": "CU", "dominican republic": "DO", "ecuador": "EC", "egypt": "EG",
	"el salvador": "SV", "ethiopia": "ET", "ghana": "GH", "guatemala": "GT",
	"haiti": "HT", "honduras": "HN", "india": "IN", "indonesia": "ID",
	"iraq": "IQ", "jamaica": "JM", "jordan": "JO", "kenya": "KE", "kuwait": "KW",
	"lebanon": "LB", "malaysia": "MY", "mexico": "MX", "morocco": "MA",
	"nepal": "NP", "nicaragua": "NI", "nigeria": "NG", "oman": "OM",
	"pakistan": "PK", "palestine": "PS", "panama": "PA", "peru": "PE",
	"philippines": "PH", "qatar": "QA", "saudi arabia": "SA", "senegal": "SN",
	"somalia": "SO", "south africa": "ZA", "sri lanka": "LK", "sudan": "SD",
	"syria": "SY", "tanzania": "TZ", "thailand": "TH", "tunisia": "TN",
	"turkey": "TR", "uganda": "UG", "ukraine": "UA", "united arab emirates": "AE",
	"united kingdom": "GB", "united states": "US", "vietnam": "VN", "yemen": "YE",
	"zimbabwe": "ZW",
}

// isoOf returns the ISO 3166 alpha-2 code of a DT One country name, or "".
func isoOf(country string) string {
	return isoByName[strings.ToLower(strings.TrimSpace(country))]
}

// phonePlan is a country's calling code and national number length: DT One
// takes mobile numbers in international form without "+" (911234567890).
type phonePlan struct {
	code     string
	min, max int // national digits after the code
}

var phonePlans = map[string]phonePlan{
	"AE": {"971", 9, 9}, "BD": {"880", 10, 10}, "DO": {"1", 10, 10},
	"EG": {"20", 10, 10}, "GT": {"502", 8, 8}, "HN": {"504", 8, 8},
	"HT": {"509", 8, 8}, "ID": {"62", 9, 12}, "IN": {"91", 10, 10},
	"JM": {"1", 10, 10}, "JO": {"962", 9, 9}, "KE": {"254", 9, 9},
	"MX": {"52", 10, 10}, "NG": {"234", 10, 10}, "NI": {"505", 8, 8},
	"NP": {"977", 10, 10}, "PH": {"63", 10, 10}, "PK": {"92", 10, 10},
	"QA": {"974", 8, 8}, "SA": {"966", 9, 9}, "SV": {"503", 8, 8},
	"YE": {"967", 9, 9}, "ZA": {"27", 9, 9},
}

// accountField is what the clerk types for a product of type typ in country
// iso. Mobile services get a phone field checked against the country's
// numbering; other accounts (TV decoders, meters) are plain digits.
func accountField(typ, service, iso string) providers.Field {
	voucher := strings.Contains(typ, "voucher")
	f := providers.Field{
		Name: "account_number", Label: "Customer mobile number", LabelAr: "رقم جوال العميل", Kind: providers.FieldPhone,
		Required: !voucher, Placeholder: "international, no +",
		PatternHint: "enter the number in international form without + or 00", HintKey: "dtone_intl",
	}
	if voucher {
		f.Label, f.LabelAr = "Customer mobile (PIN also sent by SMS, optional)", "جوال العميل (يُرسل الرقم السري برسالة أيضًا، اختياري)"
	}
	svc := strings.ToLower(service)
	mobile := voucher || svc == "" || strings.Contains(svc, "mobile") || strings.Contains(svc, "bundle") ||
		strings.Contains(svc, "data") || strings.Contains(svc, "airtime")
	if !mobile {
		f.Label, f.LabelAr, f.Kind, f.Placeholder, f.PatternHint, f.HintKey = "Account number", "رقم الحساب", providers.FieldDigits, "", "", ""
		f.MinLen, f.MaxLen = 4, 30
		return f
	}
	f.International = true // 919876543210: the calling code, no + or 00
	if p, ok := phonePlans[iso]; ok {
		f.CallingCode = p.code
		if p.min == p.max {
			f.NationalLen = p.min
		}
		f.MinLen, f.MaxLen = len(p.code)+p.min, len(p.code)+p.max
		f.Pattern = fmt.Sprintf("%s[0-9]{%d,%d}", p.code, p.min, p.max)
		f.PatternHint = fmt.Sprintf("enter the number as %s followed by %s digits, without + or 00", p.code, digitsRange(p.min, p.max))
		f.HintKey, f.HintArgs = "dtone_intl_exact", []string{p.code, fmt.Sprint(p.min)}
		if p.min != p.max {
			f.HintKey, f.HintArgs = "dtone_intl_range", []string{p.code, fmt.Sprint(p.min), fmt.Sprint(p.max)}
		}
	} else {
		f.MinLen, f.MaxLen = 8, 15
	}
	return f
}

func digitsRange(min, max int) string {
	if min == max {
		return fmt.Sprint(min)
	}
	return fmt.Sprintf("%d to %d", min, max)
}
