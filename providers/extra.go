package providers

// customerExtras are the keys of a voucher's Extra that the customer is
// given — on the result screen, which faces the customer, and on the
// receipt — in the order shown, each with the name of its label
// (translated by package i18n as "extra."+label). It is a list of what
// may be shown, not of what may not: anything else a provider puts in
// Extra (a partner's commission, an internal code) stays in the journal
// and reaches no customer. The eSIM's qrcode and qrcodeUrl are not here:
// the QR code drawn beside them is their line.
var customerExtras = []struct{ key, label string }{
	{"lpa", "lpa"},               // Bitaqaty eSIM: the activation code
	{"iccid", "iccid"},           // Bitaqaty eSIM
	{"matchingId", "matchingId"}, // Bitaqaty eSIM
	{"directAppleInstallationUrl", "directAppleInstallationUrl"},
	{"eSIM", "eSIM"},       // Bitaqaty: how to install an eSIM whose answer had no details
	{"info_1", "info"},     // DT One: the voucher's instructions
	{"info_2", "info"},     //
	{"info_3", "info"},     //
	{"message", "message"}, // Al-Qimah: the operator's message
	{"details", "details"}, // Al-Qimah: the operator's details
	{"billStatus", "billStatus"},
	{"inquireReferenceNumber", "inquireReferenceNumber"}, // Bitaqaty bill payment
	{"balance", "balance"},                               // MOR: the card's balance
}

// ExtraAccessNumber is the Product.Extra key of the number a calling card's
// customer dials (MOR's access_number of the card group): printed on the
// receipt and shown with the PIN.
const ExtraAccessNumber = "access_number"

// ExtraLine is one customer-facing line of a voucher's Extra.
type ExtraLine struct {
	Key   string // the provider's key
	Label string // the label's name: "extra."+Label in package i18n
	Value string
}

// CustomerExtras are the lines of v's Extra the customer is given, in the
// order they are shown; empty values are left out.
func (v Voucher) CustomerExtras() []ExtraLine {
	var out []ExtraLine
	for _, e := range customerExtras {
		if val := v.Extra[e.key]; val != "" {
			out = append(out, ExtraLine{Key: e.key, Label: e.label, Value: val})
		}
	}
	return out
}
