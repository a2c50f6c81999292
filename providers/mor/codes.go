package mor

import (
	"strings"

	"kiosk/providers"
)

// The <error> texts card_from_group_sell documents. Each means MOR sold
// nothing, so each is a refusal.
const (
	errBadLogin      = "Bad login"                // seed L76
	errIncorrectHash = "Incorrect hash"           // seed L77
	errNoGroup       = "Cardgroup was not found"  // seed L78
	errNoFreeCards   = "Free cards was not found" // seed L79
	errAlreadySold   = "Card is already sold"     // seed L80
)

// clerkText is what the clerk reads for each documented error.
var clerkText = map[string]string{
	errBadLogin:      "MOR rejected the login (username); check the MOR settings",
	errIncorrectHash: "MOR rejected the request signature; check secret_key in the MOR settings",
	errNoGroup:       "MOR does not know this card group; check card_groups in the MOR settings",
	errNoFreeCards:   "no cards left in this card group (out of stock); nothing was sold",
	// Only answered when a specific card number is asked for (seed L34,
	// which the kiosk never sends); the card was sold earlier, nothing was
	// sold now.
	errAlreadySold: "this card was already sold earlier; nothing was sold now",
}

// apiError turns an <error> answer into a *providers.Error. The documented
// texts are refusals; an undocumented one leaves the sale in doubt, because
// we cannot tell what MOR did.
func apiError(op, text string) *providers.Error {
	for code, msg := range clerkText {
		if strings.EqualFold(strings.TrimSpace(text), code) {
			return providers.Refusal(ID, op, code, msg)
		}
	}
	return providers.Doubt(ID, op, text, "MOR answered an undocumented error: "+clip(text, 120), nil)
}

func clip(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}
