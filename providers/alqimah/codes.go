package alqimah

import "strings"

// The seed documents no error codes: every refusal is
// {"status": false, "message": "..."} with a free-text message, in Arabic
// or English. These kinds sort the messages by keyword so the clerk gets a
// clear line and the sale core gets the right outcome. A message that fits
// no kind is treated as ambiguous.
type errKind string

const (
	kindAuth        errKind = "auth"
	kindDuplicate   errKind = "duplicate"
	kindNotFound    errKind = "not_found"
	kindNoBalance   errKind = "insufficient_balance"
	kindUnavailable errKind = "unavailable"
	kindBadAmount   errKind = "bad_amount"
	kindBadNumber   errKind = "bad_number"
	kindBadInput    errKind = "bad_input"
	kindInProgress  errKind = "in_progress"
	kindUnknown     errKind = "unknown"
)

// kindRules are tried in order; the first rule with a matching keyword wins.
// Order matters: "already exists" is a duplicate before it is anything else.
var kindRules = []struct {
	kind  errKind
	words []string
}{
	{kindDuplicate, []string{"duplicate", "already", "exists", "used before", "مكرر", "مسبق"}},
	{kindInProgress, []string{"timeout", "timed out", "try again", "processing", "pending", "انتظار", "معالجة", "قيد التنفيذ", "حاول"}},
	{kindAuth, []string{"token", "unauthor", "login", "authenticat", "session", "credential", "password", "توكن", "مصرح", "الدخول", "الجلسة", "كلمة المرور"}},
	{kindNotFound, []string{"not found", "does not exist", "no transaction", "no operation", "غير موجود", "لا توجد", "لا يوجد"}},
	{kindNoBalance, []string{"insufficient", "not enough", "no balance", "low balance", "غير كاف", "لا يكفي"}},
	{kindUnavailable, []string{"not available", "unavailable", "out of stock", "stopped", "disabled", "غير متوفر", "غير متاح", "متوقف", "نفذت", "نفدت"}},
	{kindBadAmount, []string{"amount", "quantity", "المبلغ", "الكمية", "القيمة"}},
	{kindBadNumber, []string{"mobile", "phone", "subscriber", "رقم الهاتف", "رقم الجوال", "المشترك", "الرقم"}},
	{kindBadInput, []string{"invalid", "required", "missing", "wrong", "غير صحيح", "مطلوب", "خطأ", "خاطئ"}},
}

func classify(msg string) errKind {
	m := strings.ToLower(msg)
	for _, r := range kindRules {
		for _, w := range r.words {
			if strings.Contains(m, w) {
				return r.kind
			}
		}
	}
	return kindUnknown
}

// clerkText is the English line for each kind.
var clerkText = map[errKind]string{
	kindAuth:        "Al-Qimah refused the login or session; check account_number, username, password and api_token",
	kindDuplicate:   "Al-Qimah already has a transaction under this reference; check its status before selling again",
	kindNotFound:    "Al-Qimah has no such transaction or subscriber",
	kindNoBalance:   "the Al-Qimah account balance is too low for this sale",
	kindUnavailable: "this service is not available at Al-Qimah right now",
	kindBadAmount:   "Al-Qimah refused the amount or quantity",
	kindBadNumber:   "Al-Qimah refused the subscriber number; check it and the network",
	kindBadInput:    "Al-Qimah refused the request as invalid",
	kindInProgress:  "Al-Qimah is still processing or timed out; the outcome is not known yet",
	kindUnknown:     "Al-Qimah answered with an unrecognised refusal",
}

// message joins the clear English line and the provider's own words, which
// are kept intact (they are often Arabic).
func message(k errKind, provider string) string {
	if provider == "" {
		return clerkText[k]
	}
	return clerkText[k] + " (" + provider + ")"
}

// refusesPurchase reports whether a status:false purchase answer certainly
// charged nothing. Duplicates, in-progress and unrecognised answers do not.
func refusesPurchase(k errKind) bool {
	switch k {
	case kindDuplicate, kindInProgress, kindUnknown:
		return false
	}
	return true
}
