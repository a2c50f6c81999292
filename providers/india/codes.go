package india

import (
	"strings"

	"kiosk/providers"
)

// The provider documents no error codes: only "error" non-zero means "not
// processed" and msg says why. Clerk messages are chosen from the words
// in msg; the code is the error value as sent.

// isDuplicate is the "reference already used" answer ("Duplicate order,
// Order ID must be unique"). It says nothing about the earlier sale, so a
// purchase that gets it is in doubt, never a new sale or a refusal.
func isDuplicate(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "duplicate")
}

// isAuthProblem spots answers about the token or the credentials.
func isAuthProblem(msg string) bool {
	return containsAny(strings.ToLower(msg), "token", "unauthori", "password", "login", "credential", "authenticat", "partner id", "partner_id")
}

// isNotFound spots a status answer for a reference the provider never saw.
// The wording is not documented, so a few likely phrasings are accepted;
// anything else stays an error rather than a wrong "never sold".
func isNotFound(msg string) bool {
	return containsAny(strings.ToLower(msg), "not found", "no record", "no data found", "no transaction", "does not exist", "not exist", "invalid partner request id", "invalid partner_request_id")
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
