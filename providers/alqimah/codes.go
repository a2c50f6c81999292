package alqimah

import "strings"

// The seed documents no error codes and no HTTP statuses: every refusal is
// {"status": false, "message": "..."} with a free-text message (seed
// L106-110, L145-149, L209-213, L252-256, L360-364, L487-491, L537-541,
// L584-588, L630-634), and the seed gives no message texts ("Error
// Message"). These kinds sort the messages by keyword, in Arabic and
// English, so the clerk gets a clear line and the sale core the right
// outcome. A message that fits no kind is unknown; to a purchase, unknown
// is a doubt, never a refusal.
type errKind string

const (
	kindLogin       errKind = "login"     // the login itself was refused
	kindAuth        errKind = "auth"      // the api-token was refused
	kindDuplicate   errKind = "duplicate" // the TransactionID was used before (seed L513)
	kindNotFound    errKind = "not_found"
	kindNoBalance   errKind = "insufficient_balance"
	kindUnavailable errKind = "unavailable"
	kindBadAmount   errKind = "bad_amount"
	kindBadNumber   errKind = "bad_number"
	kindBadInput    errKind = "bad_input"
	kindInProgress  errKind = "in_progress"
	kindUnknown     errKind = "unknown"
)

// authWords say that the api-token (the session) was refused.
var authWords = []string{"token", "توكن", "رمز الدخول", "الدخول", "session", "الجلسة", "unauthor", "authenticat", "login", "مصرح"}

// kindRules are tried in order; the first rule with a matching keyword wins.
// Order matters: "already exists" is a duplicate and "timed out, try again"
// is in progress before anything else, so neither is ever read as a refusal.
var kindRules = []struct {
	kind  errKind
	words []string
}{
	{kindDuplicate, []string{"duplicate", "already", "exists", "used before", "مكرر", "مسبق"}},
	{kindInProgress, []string{"timeout", "timed out", "try again", "processing", "pending", "in progress", "انتظار", "معالجة", "قيد التنفيذ", "حاول"}},
	{kindAuth, authWords},
	{kindNotFound, []string{"not found", "not exist", "no transaction", "no operation", "غير موجود", "لا توجد", "لا يوجد"}},
	{kindNoBalance, []string{"insufficient", "not enough", "no balance", "low balance", "غير كاف", "لا يكفي"}},
	{kindUnavailable, []string{"not available", "unavailable", "out of stock", "stopped", "disabled", "غير متوفر", "غير متاح", "متوقف", "نفذت", "نفدت"}},
	{kindBadAmount, []string{"amount", "quantity", "المبلغ", "الكمية", "القيمة"}},
	{kindBadNumber, []string{"mobile", "phone", "subscriber", "رقم الهاتف", "رقم الجوال", "المشترك", "الرقم"}},
	{kindBadInput, []string{"invalid", "required", "missing", "wrong", "غير صحيح", "مطلوب", "خطأ", "خاطئ"}},
}

func classify(msg string) errKind {
	m := strings.ToLower(msg)
	for _, r := range kindRules {
		if r.kind == kindDuplicate && strings.Contains(m, "not exist") {
			continue // "does not exist(s)" is no duplicate
		}
		for _, w := range r.words {
			if strings.Contains(m, w) {
				return r.kind
			}
		}
	}
	return kindUnknown
}

// isAuth reports whether a message says the api-token was refused, whatever
// else it says ("Token expired, try again"). Reads sign in again on it.
func isAuth(msg string) bool {
	m := strings.ToLower(msg)
	for _, w := range authWords {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

// clerkText is the English line for each kind.
var clerkText = map[errKind]string{
	kindLogin:       "Al-Qimah refused the login; check account_number, username, password and api_token",
	kindAuth:        "Al-Qimah refused the session token",
	kindDuplicate:   "Al-Qimah already has a transaction under this reference",
	kindNotFound:    "Al-Qimah has no such transaction, subscriber or code",
	kindNoBalance:   "the Al-Qimah account balance is too low for this sale",
	kindUnavailable: "this service is not available at Al-Qimah right now",
	kindBadAmount:   "Al-Qimah refused the amount or quantity",
	kindBadNumber:   "Al-Qimah refused the subscriber number; check it and the network",
	kindBadInput:    "Al-Qimah refused the request as invalid",
	kindInProgress:  "Al-Qimah is still processing or timed out; the outcome is not known yet",
	kindUnknown:     "Al-Qimah answered with an error it does not explain",
}

// message joins the clear English line and the provider's own words, which
// are kept intact (they are often Arabic).
func message(k errKind, provider string) string {
	if provider == "" {
		return clerkText[k]
	}
	return clerkText[k] + " (" + provider + ")"
}

// refusesPurchase reports whether a status:false answer to a payment
// certainly charged nothing. The seed's status field is "the overall status
// of the request. If true, it indicates that the request was successful as
// a whole" (L527), so false is a request not carried out; but the message
// is believed only when it says what was refused. A duplicate is another
// sale's reference, and in-progress and unexplained answers may hide a sale
// the platform is still making: none of those is a refusal.
func refusesPurchase(k errKind) bool {
	switch k {
	case kindDuplicate, kindInProgress, kindUnknown:
		return false
	}
	return true
}
