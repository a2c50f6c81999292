package bitaqaty

import (
	"strings"
	"unicode"

	"kiosk/providers"
)

// Error names, as Bitaqaty sends them in errorMessage.
const (
	codeDuplicateRef     = "DUPLICATE_RESELLER_REF_NUM"
	codeDuplicateInquiry = "DUPLICATE_INQUIRE_REFRENECE_NUMBER" // sic
	codeInternal         = "INTERNAL_SYSTEM_ERROR"
	codeNoRequests       = "NO_REQUESTS_FOUND"
	codeNoProducts       = "NO_PRODUCTS_FOUND"
	codeExportLimit      = "EXCEED_EXPORT_LIMIT"
	codeOutOfStock       = "OUT_OF_STOCK"
	codeNoBalance        = "INSUFFICIENT_BALANCE"
	codeInvalidPassword  = "INVALID_PASSWORD"
	codeNotAllowed       = "REQUEST_NOT_ALLOWED"
	codeServiceOff       = "SERVICE_NOT_AVAILABLE"
	codeProductOff       = "SERVICE_PRODUCT_NOT_AVAILABLE"
)

// byNumber maps the documented numeric codes to their names. 102 and 203
// mean two things in the seed (calculate-topup-amount answers 102
// INVALID_AMOUNT; the product lists answer 203 INVALID_MERCHANT_ID), so the
// name in errorMessage wins when Bitaqaty sends one.
var byNumber = map[string]string{
	"101": "MISSING_RESELLER_USERNAME",
	"102": "MISSING_PASSWORD",
	"103": "MISSING_PRODUCT_CODE",
	"104": "MISSING_RESELLER_REF_NUM",
	"105": "MISSING_DATE",
	"106": "MISSING_IS_SUCCESSFUL",
	"121": "MISSING_INQUIRE_REF_NUM_OR_PRODUCT_CODE",
	"122": "INVALID_INQUIRE_REF_NUM",
	"123": "MISSING_INPUT_PARAMETERS",
	"124": "MISSING_AMOUNT",
	"125": codeDuplicateInquiry,
	"126": "INVALID_AMOUNT",
	"201": "INVALID_RESELLER_USERNAME",
	"202": codeInvalidPassword,
	"203": "INVALID_PRODUCT_CODE",
	"204": "INVALID_RESELLER_REF_NUM",
	"205": "INVALID_TERMINAL_ID",
	"206": codeDuplicateRef,
	"207": "INVALID_DATE_FORMAT",
	"208": "INVALID_IS_SUCCESSFUL",
	"209": codeNotAllowed,
	"301": codeOutOfStock,
	"302": codeNoBalance,
	"303": codeNoRequests,
	"304": codeExportLimit,
	"305": codeNoProducts,
	"311": codeExportLimit,
	"400": codeServiceOff,
	"401": codeProductOff,
	"500": codeInternal,
}

// clerkText is what the clerk reads for each documented error.
var clerkText = map[string]string{
	"MISSING_RESELLER_USERNAME":               "the reseller username is missing; check the Bitaqaty settings",
	"MISSING_PASSWORD":                        "the request signature is missing; check the Bitaqaty settings",
	"MISSING_PRODUCT_CODE":                    "the product code is missing from the request",
	"MISSING_RESELLER_REF_NUM":                "the sale reference is missing from the request",
	"MISSING_DATE":                            "the report period is missing",
	"MISSING_IS_SUCCESSFUL":                   "the report filter (successful or failed) is missing",
	"MISSING_INQUIRE_REF_NUM_OR_PRODUCT_CODE": "the bill inquiry or product is missing; inquire the bill again",
	"INVALID_INQUIRE_REF_NUM":                 "the bill inquiry is invalid or has expired; inquire the bill again",
	"MISSING_INPUT_PARAMETERS":                "the account details for this bill are missing",
	"MISSING_AMOUNT":                          "the top-up amount is missing",
	codeDuplicateInquiry:                      "this bill inquiry was already used for a payment; check the sale, then inquire again",
	"INVALID_AMOUNT":                          "the amount is not allowed for this product (the minimum is 5)",
	"INVALID_RESELLER_USERNAME":               "Bitaqaty does not know this reseller username; check the Bitaqaty settings",
	codeInvalidPassword:                       "Bitaqaty rejected the credentials (wrong username or secret key); check the Bitaqaty settings",
	"INVALID_PRODUCT_CODE":                    "this product does not exist or is not assigned to this account",
	"INVALID_MERCHANT_ID":                     "the merchant ID is not valid",
	"MISSING_MERCHANT_ID":                     "the merchant ID is missing from the request", // 103 in the secured product list's table, seed L1613
	"INVALID_RESELLER_REF_NUM":                "the sale reference has a format Bitaqaty does not accept",
	"INVALID_TERMINAL_ID":                     "Bitaqaty rejected the terminal ID; check the terminal_id setting",
	codeDuplicateRef:                          "Bitaqaty already holds a sale under this reference (another sale's, not this one's)",
	"INVALID_DATE_FORMAT":                     "Bitaqaty rejected the report dates",
	"INVALID_IS_SUCCESSFUL":                   "Bitaqaty rejected the report filter",
	codeNotAllowed:                            "Bitaqaty does not allow this request from this account or address",
	codeOutOfStock:                            "this product is out of stock at Bitaqaty",
	codeNoBalance:                             "the Bitaqaty account balance is too low for this sale",
	codeNoRequests:                            "Bitaqaty has no sale under this reference",
	codeExportLimit:                           "too many records for one report; choose a shorter period",
	codeNoProducts:                            "no products are assigned to this account",
	codeServiceOff:                            "this service is switched off at Bitaqaty right now",
	codeProductOff:                            "this product is not available from its supplier right now",
	codeInternal:                              "Bitaqaty had an internal error",
}

// errorName picks the documented name of an error answer.
func errorName(e envelope) string {
	name := strings.ToUpper(strings.TrimSpace(e.ErrorMessage.text()))
	if _, ok := clerkText[name]; ok {
		return name
	}
	if n, ok := byNumber[strings.TrimSpace(e.ErrorCode.text())]; ok {
		return n
	}
	return ""
}

// refusals are the documented answers of the two purchase methods that
// say "no, nothing was done": the rows of each method's error table
// (purchase-product seed L1052-L1069, service-bill-pay L734-L754), less the
// duplicate reference (206), the re-used inquiry (125) and the internal
// error (500), whose outcome is unknown. An answer outside its method's
// table is not a refusal.
var refusals = map[string]map[string]bool{
	"purchase-product": set("MISSING_RESELLER_USERNAME", "MISSING_PASSWORD", "MISSING_PRODUCT_CODE",
		"MISSING_RESELLER_REF_NUM", "INVALID_RESELLER_USERNAME", codeInvalidPassword, "INVALID_PRODUCT_CODE",
		"INVALID_RESELLER_REF_NUM", "INVALID_TERMINAL_ID", codeOutOfStock, codeNoBalance, codeServiceOff, codeProductOff),
	"service-bill-pay": set("MISSING_RESELLER_USERNAME", "MISSING_PASSWORD", "MISSING_RESELLER_REF_NUM",
		"MISSING_INQUIRE_REF_NUM_OR_PRODUCT_CODE", "INVALID_INQUIRE_REF_NUM", "MISSING_INPUT_PARAMETERS",
		"INVALID_PRODUCT_CODE", "INVALID_RESELLER_USERNAME", codeInvalidPassword, "INVALID_RESELLER_REF_NUM",
		"INVALID_TERMINAL_ID", codeNotAllowed, codeNoBalance, codeServiceOff),
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// apiError turns an answer with status false to method into a provider
// error. In a purchase only a row of the method's own error table is a
// refusal; the duplicate reference (206, seed L1064, L750) is a doubt marked
// Duplicate; a re-used inquiry, an internal error or anything undocumented
// leaves the sale in doubt. Outside a purchase the outcome is moot (nothing
// is sold), and a documented answer is reported as a refusal of the request.
func apiError(op, method string, e envelope) *providers.Error {
	name := errorName(e)
	if name == "" {
		code := e.ErrorCode.text()
		if code == "" {
			code = e.ErrorMessage.text()
		}
		msg := "Bitaqaty refused the request without a documented reason"
		if d := clean(firstNonEmpty(e.ErrorDesc.text(), e.ErrorMessage.text())); d != "" {
			msg = "Bitaqaty said: " + d
		}
		return providers.Doubt(ID, op, clean(code), msg, nil)
	}
	msg := clerkText[name]
	if name == codeInternal {
		return providers.Doubt(ID, op, name, msg, nil)
	}
	if op != "purchase" {
		return providers.Refusal(ID, op, name, msg)
	}
	if name == codeDuplicateRef {
		pe := providers.Doubt(ID, op, name, msg, nil)
		pe.Duplicate, pe.Temporary = true, false
		return pe
	}
	if refusals[method][name] {
		return providers.Refusal(ID, op, name, msg)
	}
	if method == "service-bill-pay" && name != codeDuplicateInquiry && strings.EqualFold(e.RequestStatus.text(), "Failed") {
		// A payment the service hub turned down says so: requestStatus
		// "Failed" and a serviceHubStatusEnum other than Success (seed
		// L722-L723, e.g. "Invalid Amount"). Nothing was paid.
		if hub := e.ServiceHubStatusEnum.text(); hub != "" && !strings.EqualFold(hub, "Success") {
			return providers.Refusal(ID, op, name, msg+" ("+clean(hub)+")")
		}
	}
	return providers.Doubt(ID, op, name, msg, nil)
}

// clean keeps a provider-supplied text short and printable before it goes
// on screen.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > 160 {
		s = string(r[:160]) + "…"
	}
	return s
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}
