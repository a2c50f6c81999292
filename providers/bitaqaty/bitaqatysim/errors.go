package bitaqatysim

// The seed's error tables, one per method, word for word (including the
// seed's own spelling: "MerchatId", "REFRENECE", "marked ad disabled").
// A code a method's table does not list, but the method still needs, comes
// from the general "Response Codes" list (seed L2245-L2289) with the
// description another table gives it.

type errTable map[string]apiErr

// get returns the row for code from the table, else from the general list.
func (t errTable) get(code string) apiErr {
	if e, ok := t[code]; ok {
		return e
	}
	if e, ok := general[code]; ok {
		return e
	}
	return errInternal
}

var (
	errMissingUser     = apiErr{"101", "MISSING_RESELLER_USERNAME", "Reseller username is missing in the request parameters"}                         // seed L120
	errMissingPassword = apiErr{"102", "MISSING_PASSWORD", "Password is missing in request parameters"}                                               // seed L121
	errInvalidUser     = apiErr{"201", "INVALID_RESELLER_USERNAME", "Reseller username doesn’t exist"}                                                // seed L122
	errInvalidPassword = apiErr{"202", "INVALID_PASSWORD", "Generated password doesn’t match with the expected MD5 hash or is with incorrect format"} // seed L123
	errInternal        = apiErr{"500", "INTERNAL_SYSTEM_ERROR", "Something went wrong"}                                                               // seed L124
)

// general is the seed's "Response Codes" list (L2250-L2289), which gives
// names only; descriptions come from the method tables cited.
var general = errTable{
	"101": errMissingUser,
	"102": errMissingPassword,
	"103": {"103", "MISSING_PRODUCT_CODE", "Product code is missing in request parameters"},              // L2255, desc L918
	"104": {"104", "MISSING_RESELLER_REF_NUM", "Reseller Ref number is missing in request parameters"},   // L2256, desc L1058
	"105": {"105", "MISSING_DATE", "Date is missing in request parameters"},                              // L2257, desc L1286
	"106": {"106", "MISSING_IS_SUCCESSFUL", "Is Successful is missing in request parameters"},            // L2258, desc L1287
	"121": {"121", "MISSING_INQUIRE_REF_NUM_OR_PRODUCT_CODE", "Missing Inquire Ref Num or Product Code"}, // L2259, desc L741
	"123": {"123", "MISSING_INPUT_PARAMETERS", "Missing Input Parameters"},                               // L2260, desc L529
	"124": {"124", "MISSING_AMOUNT", "Missing Top-Up Amount"},                                            // L2261, desc L620
	"122": {"122", "INVALID_INQUIRE_REF_NUM", "Invalid Inquire Ref Num"},                                 // L2267, desc L742
	"126": {"126", "INVALID_AMOUNT", "Invalid Amount"},                                                   // L2268, desc L621
	"201": errInvalidUser,
	"202": errInvalidPassword,
	"203": {"203", "INVALID_PRODUCT_CODE", "Product code is with incorrect format, doesn’t exist or not assigned to reseller"}, // L2271, desc L921
	"204": {"204", "INVALID_RESELLER_REF_NUM", "Reseller ref number is with incorrect format"},                                 // L2272, desc L1062
	"205": {"205", "INVALID_TERMINAL_ID", "Terminal ID is with incorrect format"},                                              // L2273, desc L1063
	"207": {"207", "INVALID_DATE_FORMAT", "Date format should be yyyy-mm-dd hh:mm:ss"},                                         // L2274, desc L1290
	"208": {"208", "INVALID_IS_SUCCESSFUL", "Is successful value should be True or False"},                                     // L2275, desc L1291
	"125": {"125", "DUPLICATE_INQUIRE_REFRENECE_NUMBER", "Duplicate Inquire Reference Number"},                                 // L2279, desc L744
	"206": {"206", "DUPLICATE_RESELLER_REF_NUM", "Reseller ref number already exists for another request"},                     // L2280, desc L1064
	"209": {"209", "REQUEST_NOT_ALLOWED", "Request Not Allowed"},                                                               // L2281, desc L532
	"301": {"301", "OUT_OF_STOCK", "No Vouchers exist in stock"},                                                               // L2282, desc L1065
	"302": {"302", "INSUFFICIENT_BALANCE", "There is no enough balance"},                                                       // L2283, desc L1066
	"303": {"303", "NO_REQUESTS_FOUND", "There is no transaction with this reseller ref number"},                               // L2284, desc L1184
	"305": {"305", "NO_PRODUCTS_FOUND", "No Products Found"},                                                                   // L2285, desc L276
	"400": {"400", "SERVICE_NOT_AVAILABLE", "Service Not Available"},                                                           // L2287, desc L533
	"401": {"401", "SERVICE_PRODUCT_NOT_AVAILABLE", "Can't get service product from onecard"},                                  // L2288, desc L1068
	"500": errInternal,
}

// check-balance, seed L117-L124 (secured L1492-L1499).
var errsCheckBalance = errTable{"101": errMissingUser, "102": errMissingPassword, "201": errInvalidUser, "202": errInvalidPassword, "500": errInternal}

// get-merchant-list, seed L1391-L1398 (secured L2200-L2207).
var errsMerchantList = errsCheckBalance

// detailed-products-list, seed L268-L277; 103 from the secured table L1613.
// detailed-bill-products-list has the same table (L411-L420).
var errsProductsList = errTable{
	"101": errMissingUser, "102": errMissingPassword,
	"103": {"103", "MISSING_MERCHANT_ID", "MerchatId is missing in request parameters"}, // seed L1613
	"201": errInvalidUser, "202": errInvalidPassword,
	"203": {"203", "INVALID_MERCHANT_ID", "MerchantId is with incorrect format"}, // seed L275, L418, L1616
	"305": {"305", "NO_PRODUCTS_FOUND", "No Products Found"},                     // seed L276, L419
	"500": errInternal,
}

// service-bill-inquire, seed L523-L534.
var errsBillInquire = errTable{
	"101": errMissingUser, "102": errMissingPassword,
	"103": {"103", "MISSING_PRODUCT_CODE", "Missing Product Code"},         // seed L528
	"123": {"123", "MISSING_INPUT_PARAMETERS", "Missing Input Parameters"}, // seed L529
	"201": errInvalidUser, "202": errInvalidPassword,
	"209": {"209", "REQUEST_NOT_ALLOWED", "Request Not Allowed"},     // seed L532
	"400": {"400", "SERVICE_NOT_AVAILABLE", "Service Not Available"}, // seed L533
	"500": errInternal,
}

// calculate-topup-amount, seed L615-L623. Its table reuses 102 for
// INVALID_AMOUNT; a missing password still answers the general 102
// MISSING_PASSWORD (L2254) through errMissingPassword below.
var errsTopup = errTable{
	"101":         errMissingUser,
	"102":         errMissingPassword,
	"103":         {"103", "MISSING_PRODUCT_CODE", "Missing Product Code"}, // seed L619
	"124":         {"124", "MISSING_AMOUNT", "Missing Top-Up Amount"},      // seed L620
	"126":         {"126", "INVALID_AMOUNT", "Invalid Amount"},             // seed L621
	"201":         errInvalidUser,
	"202":         {"202", "INVALID_PASSWORD", "Generated password doesn’t match MD5 hash"}, // seed L622
	"209":         {"209", "REQUEST_NOT_ALLOWED", "Request from untrusted IP"},              // seed L623
	"102-minimum": {"102", "INVALID_AMOUNT", "Amount is less than the minimum allowed (5)"}, // seed L618
}

// service-bill-pay, seed L734-L754.
var errsBillPay = errTable{
	"101": errMissingUser, "102": errMissingPassword,
	"104": {"104", "MISSING_RESELLER_REF_NUM", "Missing Reseller Ref Num"},                               // seed L740
	"121": {"121", "MISSING_INQUIRE_REF_NUM_OR_PRODUCT_CODE", "Missing Inquire Ref Num or Product Code"}, // seed L741
	"122": {"122", "INVALID_INQUIRE_REF_NUM", "Invalid Inquire Ref Num"},                                 // seed L742
	"123": {"123", "MISSING_INPUT_PARAMETERS", "Missing Input Parameters"},                               // seed L743
	"125": {"125", "DUPLICATE_INQUIRE_REFRENECE_NUMBER", "Duplicate Inquire Reference Number"},           // seed L744
	"203": {"203", "INVALID_PRODUCT_CODE", "Invalid Product Code"},                                       // seed L745
	"201": errInvalidUser, "202": errInvalidPassword,
	"204": {"204", "INVALID_RESELLER_REF_NUM", "INVALID_RESELLER_REF_NUM"},     // seed L748
	"205": {"205", "INVALID_TERMINAL_ID", "Invalid Terminal Id"},               // seed L749
	"206": {"206", "DUPLICATE_RESELLER_REF_NUM", "Duplicate Reseller Ref Num"}, // seed L750
	"209": {"209", "REQUEST_NOT_ALLOWED", "Request Not Allowed"},               // seed L751
	"302": {"302", "INSUFFICIENT_BALANCE", "Insufficient Balance"},             // seed L752
	"400": {"400", "SERVICE_NOT_AVAILABLE", "Service Not Available"},           // seed L753
	"500": errInternal,
}

// product-detailed-info, seed L913-L922 (secured L1733-L1742).
var errsProductInfo = errTable{
	"101": errMissingUser, "102": errMissingPassword,
	"103": {"103", "MISSING_PRODUCT_CODE", "Product code is missing in request parameters"}, // seed L918
	"201": errInvalidUser, "202": errInvalidPassword,
	"203": {"203", "INVALID_PRODUCT_CODE", "Product code is with incorrect format, doesn’t exist or not assigned to reseller"}, // seed L921
	"500": errInternal,
}

// purchase-product, seed L1052-L1069 (secured L1858-L1873).
var errsPurchase = errTable{
	"101": errMissingUser, "102": errMissingPassword,
	"103": {"103", "MISSING_PRODUCT_CODE", "Product code is missing in request parameters"},            // seed L1057
	"104": {"104", "MISSING_RESELLER_REF_NUM", "Reseller Ref number is missing in request parameters"}, // seed L1058
	"201": errInvalidUser, "202": errInvalidPassword,
	"203": {"203", "INVALID_PRODUCT_CODE", "Product code is with incorrect format, doesn’t exist or not assigned to reseller"}, // seed L1061
	"204": {"204", "INVALID_RESELLER_REF_NUM", "Reseller ref number is with incorrect format"},                                 // seed L1062
	"205": {"205", "INVALID_TERMINAL_ID", "Terminal ID is with incorrect format"},                                              // seed L1063
	"206": {"206", "DUPLICATE_RESELLER_REF_NUM", "Reseller ref number already exists for another request"},                     // seed L1064
	"301": {"301", "OUT_OF_STOCK", "No Vouchers exist in stock"},                                                               // seed L1065
	"302": {"302", "INSUFFICIENT_BALANCE", "There is no enough balance"},                                                       // seed L1066
	"400": {"400", "SERVICE_NOT_AVAILABLE", "System setting marked ad disabled for this function"},                             // seed L1067
	"401": {"401", "SERVICE_PRODUCT_NOT_AVAILABLE", "Can't get service product from onecard"},                                  // seed L1068
	"500": errInternal,
}

// check-transaction-status, seed L1175-L1185 (secured L1986-L1996).
var errsStatus = errTable{
	"101": errMissingUser, "102": errMissingPassword,
	"104": {"104", "MISSING_RESELLER_REF_NUM", "Reseller Ref number is missing in request parameters"}, // seed L1180
	"201": errInvalidUser, "202": errInvalidPassword,
	"204": {"204", "INVALID_RESELLER_REF_NUM", "Reseller ref number is with incorrect format"},   // seed L1183
	"303": {"303", "NO_REQUESTS_FOUND", "There is no transaction with this reseller ref number"}, // seed L1184
	"500": errInternal,
}

// reconcile, seed L1281-L1294 (secured L2097-L2110). EXCEED_EXPORT_LIMIT is
// 304 in both method tables (L1293, L2109) but 311 in the general list
// (L2286); the method tables win.
var errsReconcile = errTable{
	"101": errMissingUser, "102": errMissingPassword,
	"105": {"105", "MISSING_DATE", "Date is missing in request parameters"},                   // seed L1286
	"106": {"106", "MISSING_IS_SUCCESSFUL", "Is Successful is missing in request parameters"}, // seed L1287
	"201": errInvalidUser, "202": errInvalidPassword,
	"207": {"207", "INVALID_DATE_FORMAT", "Date format should be yyyy-mm-dd hh:mm:ss"},           // seed L1290
	"208": {"208", "INVALID_IS_SUCCESSFUL", "Is successful value should be True or False"},       // seed L1291
	"303": {"303", "NO_REQUESTS_FOUND", "There is no transaction with this reseller ref number"}, // seed L1292
	"304": {"304", "EXCEED_EXPORT_LIMIT", "Number of returned records exceeds server limit"},     // seed L1293
	"500": errInternal,
}
