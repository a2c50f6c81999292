package india

import (
	"strings"

	"kiosk/providers"
)

// The seed documents no error codes: "error" non-zero means "not
// processed, in this case you have to process again" (L15-L16) and msg is
// the "Error message from API provider" (L18). Clerk messages are chosen
// from the words in msg; the code is the error value as sent.

// isDuplicate is the seed's answer for a reference already used
// (L65-L68: "Duplicate order, Order ID must be unique"). Only that answer
// counts: another "duplicate" (a number recharged twice within minutes,
// say) is an ordinary refusal.
func isDuplicate(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "duplicate order") || strings.Contains(m, "order id must be unique")
}

// isAuthProblem spots answers about the token or the credentials.
func isAuthProblem(msg string) bool {
	return containsAny(strings.ToLower(msg), "token", "unauthori", "password", "login", "credential", "authenticat", "partner id", "partner_id")
}

// clerkText is what the clerk reads for a refused recharge.
func clerkText(msg string) string {
	m := strings.ToLower(msg)
	shown := clip(msg, 100)
	switch {
	case containsAny(m, "balance", "insufficient", "fund"):
		return "not enough balance in the recharge wallet; top it up (nothing was charged)"
	case isAuthProblem(msg):
		return "the recharge provider rejected our login; check the india settings (nothing was charged)"
	case strings.Contains(m, "circle"):
		return "the circle was refused: " + shown + " (nothing was charged)"
	case strings.Contains(m, "operator"):
		return "the operator was refused or is down: " + shown + " (nothing was charged)"
	case containsAny(m, "mobile", "number"):
		return "the mobile number was refused: " + shown + " (nothing was charged)"
	case strings.Contains(m, "amount"):
		return "the amount is not allowed: " + shown + " (nothing was charged)"
	case shown == "":
		return "the recharge was refused without a reason (nothing was charged)"
	}
	return "the recharge was refused: " + shown + " (nothing was charged)"
}

func refusal(op string, a answer) *providers.Error {
	return providers.Refusal(ID, op, "error "+a.Error, clerkText(a.Msg))
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
