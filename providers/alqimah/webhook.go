package alqimah

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"kiosk/money"
	"kiosk/providers"
)

// Al-Qimah's webhook (seed L495-497, L636-675): with a payment the client
// may send WebHookURL and WebHookCode; when the operation changes, the
// platform calls
//
//	GET WebHookURL?OperationStatus=1&WebHookCode=…&TransactionID=…&ReferenceID=…&price=…&message=…
//
// OperationStatus is 1 (ready) or 0 (failed) (seed L654-656; -1, pending,
// is taken too, as the status answer has it). WebHookCode is
// the code we sent with the payment, echoed back. The kiosk derives it per
// sale from a key only it knows (WebhookCode), so a caller that does not
// hold the key cannot forge a callback, and a code seen for one sale is
// worth nothing for another.
//
// For the callbacks to come, the purchase request must carry both fields:
//
//	body["WebHookURL"] = cfg.WebhookURL
//	body["WebHookCode"] = WebhookCode(key, req.Ref)

// WebhookKeyMin is the shortest key WebhookCode accepts, in bytes.
const WebhookKeyMin = 16

// webhookCodeBytes is how much of the HMAC the code keeps: 128 bits, written
// as 32 lowercase hex digits (letters and digits only, safe in any URL).
const webhookCodeBytes = 16

// RefDigits is the length of a kiosk sale reference. The platform may echo
// a TransactionID as a number, losing its leading zeros; such an ID is read
// back padded to this length.
const RefDigits = 16

// Limits of the callback's parameters.
const (
	maxWebhookCode    = 128
	maxWebhookRef     = 64
	maxWebhookMessage = 500
)

// WebhookCode is the WebHookCode sent with the payment of sale ref:
// HMAC-SHA256(key, ref), the first 16 bytes in hex. It is empty when the
// key is shorter than WebhookKeyMin, so a missing key never yields a code
// anyone could compute.
func WebhookCode(key []byte, ref string) string {
	if len(key) < WebhookKeyMin {
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(ref))
	return hex.EncodeToString(m.Sum(nil)[:webhookCodeBytes])
}

// Webhook is one status callback as Al-Qimah sends it.
type Webhook struct {
	OperationStatus int    // 1 ready, 0 failed, -1 pending
	Code            string // WebHookCode, as we sent it
	TransactionID   string // our reference, as the platform echoes it
	ReferenceID     string // the platform's own number
	Price           *money.Decimal
	Message         string
}

// ParseWebhook reads a callback's query parameters. Names are matched
// without regard to case (the platform writes "price" and "OperationStatus");
// each may appear once; unknown parameters are ignored. The error says
// which parameter is wrong.
func ParseWebhook(q url.Values) (Webhook, error) {
	var w Webhook
	got := map[string]string{}
	for k, vs := range q {
		name := strings.ToLower(k)
		switch name {
		case "operationstatus", "webhookcode", "transactionid", "referenceid", "price", "message":
		default:
			continue
		}
		if _, dup := got[name]; dup || len(vs) != 1 {
			return w, fmt.Errorf("%s is given more than once", k)
		}
		got[name] = vs[0]
	}

	status, ok := got["operationstatus"]
	if !ok {
		return w, errors.New("OperationStatus is missing")
	}
	switch strings.TrimSpace(status) {
	case "1":
		w.OperationStatus = 1
	case "0":
		w.OperationStatus = 0
	case "-1":
		w.OperationStatus = -1
	default:
		return w, fmt.Errorf("OperationStatus %q is not 1, 0 or -1", clip(status, 20))
	}

	w.Code = strings.TrimSpace(got["webhookcode"])
	switch {
	case w.Code == "":
		return w, errors.New("WebHookCode is missing")
	case len(w.Code) > maxWebhookCode || !printable(w.Code):
		return w, errors.New("WebHookCode is not a code this kiosk sends")
	}

	// TransactionID is ours, as the purchase sent it: any text (the seed's
	// example is "TXN789", L672), so only its length and characters are
	// checked here; the journal says whether it is one of our sales.
	w.TransactionID = strings.TrimSpace(got["transactionid"])
	switch {
	case w.TransactionID == "":
		return w, errors.New("TransactionID is missing")
	case !validRef(w.TransactionID):
		return w, fmt.Errorf("TransactionID %q is too long or holds spaces or control characters", clip(w.TransactionID, 24))
	}

	w.ReferenceID = strings.TrimSpace(got["referenceid"])
	if len(w.ReferenceID) > maxWebhookRef || !printable(w.ReferenceID) {
		return w, errors.New("ReferenceID is too long or holds control characters")
	}

	if p := strings.TrimSpace(got["price"]); p != "" {
		d, err := money.Parse(p)
		if err != nil || d.Sign() < 0 {
			return w, fmt.Errorf("price %q is not an amount", clip(p, 24))
		}
		w.Price = &d
	}

	msg := got["message"]
	if !utf8.ValidString(msg) {
		return w, errors.New("message is not UTF-8 text")
	}
	w.Message = clip(strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, msg)), maxWebhookMessage)
	return w, nil
}

// Ref checks the callback's code with key and returns the sale reference it
// is for: the TransactionID as sent, or padded back to RefDigits when the
// platform dropped its leading zeros. ok is false when the code is wrong
// (or the key is too short): the callback must be refused.
func (w Webhook) Ref(key []byte) (ref string, ok bool) {
	cands := []string{w.TransactionID}
	if len(w.TransactionID) < RefDigits && digits(w.TransactionID) {
		cands = append(cands, strings.Repeat("0", RefDigits-len(w.TransactionID))+w.TransactionID)
	}
	for _, c := range cands {
		want := WebhookCode(key, c)
		if want != "" && hmac.Equal([]byte(want), []byte(strings.ToLower(w.Code))) {
			return c, true
		}
	}
	return "", false
}

// Result is what the callback says about the sale, as a status look-up
// would say it. A success carries the platform's ReferenceID as the
// voucher's reference; it carries no PIN (see WebhookNeedsLookup).
// currency is the sale's currency, for the price.
func (w Webhook) Result(currency string) providers.Result {
	r := providers.Result{ProviderRef: w.ReferenceID, Message: w.Message}
	switch w.OperationStatus {
	case 1:
		r.State = providers.Succeeded
		if w.Price != nil {
			r.Charged = money.New(*w.Price, currency)
		}
		v := providers.Voucher{Reference: w.ReferenceID}
		if w.Message != "" {
			v.Extra = map[string]string{"message": w.Message}
		}
		r.Vouchers = []providers.Voucher{v}
	case 0:
		r.State = providers.Failed
	default:
		r.State = providers.Pending
	}
	return providers.CleanResult(r)
}

// WebhookNeedsLookup reports whether a success callback for product p lacks
// what the customer is owed: gift cards and game products may deliver a PIN,
// which the callback does not carry, so such a sale is settled by a status
// look-up, never closed by the callback alone. Top-ups, bills and offers
// deliver nothing but the platform's reference.
func WebhookNeedsLookup(p providers.Product) bool {
	return p.Kind == providers.KindVoucher || p.Kind == providers.KindGame || p.Extra[xType] == typeGame
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return utf8.ValidString(s)
}

// clip shortens s to at most n bytes on a rune boundary, for messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
