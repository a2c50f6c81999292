package india

import (
	"errors"
	"fmt"
	"strings"

	"kiosk/money"
	"kiosk/providers"
)

// answer is a recharge or status answer (seed L13-L29), in the seed's
// lower-case keys or the older API's upper-case ones (legacy-auth).
type answer struct {
	Error        string // "0": processed; anything else: not processed
	Msg          string
	Status       string // "1" success, "2" pending, "3" failure
	OrderID      string
	OpTransID    string
	PartnerReqID string
	Commission   string
	UserVars     [3]string
}

// aliases lists the keys each answer field may come under (lower-cased):
// the seed's (L13-L29), then the older API's (legacy-auth: ERROR,
// MESSAGE, USERVAR1…; the others are the seed's names in upper case).
var aliases = map[string][]string{
	"error":        {"error"},
	"msg":          {"msg", "message"},
	"status":       {"status"},
	"orderid":      {"orderid"},
	"optransid":    {"optransid"},
	"partnerreqid": {"partnerreqid"},
	"commission":   {"commission"},
	"user_var1":    {"user_var1", "uservar1"},
	"user_var2":    {"user_var2", "uservar2"},
	"user_var3":    {"user_var3", "uservar3"},
}

func (f fields) get(name string) (string, bool) {
	for _, k := range aliases[name] {
		if v, ok := f[k]; ok {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

func (f fields) val(name string) string { v, _ := f.get(name); return v }

// parseAnswer reads a recharge or status answer. The error field must be
// there: without it the answer says nothing about the sale.
func parseAnswer(body []byte) (answer, error) {
	f, err := parseLoose(body)
	if err != nil {
		return answer{}, err
	}
	e, ok := f.get("error")
	if !ok || e == "" {
		return answer{}, errors.New("answer has no error field")
	}
	return answer{
		Error:        e,
		Msg:          f.val("msg"),
		Status:       f.val("status"),
		OrderID:      f.val("orderid"),
		OpTransID:    f.val("optransid"),
		PartnerReqID: f.val("partnerreqid"),
		Commission:   f.val("commission"),
		UserVars:     [3]string{f.val("user_var1"), f.val("user_var2"), f.val("user_var3")},
	}, nil
}

// processed reports error == 0 (seed L15-L16: 0 processed, anything else
// not processed). An error field that is not a number (L15: Number) is an
// error: it might mean either.
func (a answer) processed() (bool, error) {
	d, err := money.Parse(a.Error)
	if err != nil {
		return false, fmt.Errorf("error field %q is not a number", clip(a.Error, 20))
	}
	return d.IsZero(), nil
}

// state maps the status code (seed L19-L21: '1' SUCCESS, '2' PENDING, '3'
// FAILURE). Any other value, or none, is not read as anything.
func (a answer) state() (providers.State, error) {
	switch a.Status {
	case "1":
		return providers.Succeeded, nil
	case "2":
		return providers.Pending, nil
	case "3":
		return providers.Failed, nil
	case "":
		return "", errors.New("answer has no status")
	}
	return "", fmt.Errorf("status %q is not one the document gives (1, 2, 3)", clip(a.Status, 20))
}

// commission is the partner's commission, or zero when it does not parse
// or is outside 0..amount (it only lowers what we record as charged).
func (a answer) commission(amount money.Decimal) money.Decimal {
	d, err := money.Parse(a.Commission)
	if err != nil || d.Sign() < 0 || d.Cmp(amount) > 0 {
		return money.Zero
	}
	return d
}

// parseBalance reads {"error":0,"wallet_amount":"1234.50"}. The amount
// is strict: a balance that does not parse is an error, not zero.
func parseBalance(body []byte) (money.Decimal, answer, error) {
	f, err := parseLoose(body)
	if err != nil {
		return money.Zero, answer{}, err
	}
	a := answer{Error: f.val("error"), Msg: f.val("msg")}
	if a.Error != "" {
		if ok, _ := a.processed(); !ok {
			return money.Zero, a, nil
		}
	}
	for _, k := range []string{"wallet_amount", "balance", "data.wallet_amount", "data.balance"} {
		if v, ok := f[k]; ok {
			d, err := money.Parse(strings.Trim(v, `"`))
			if err != nil {
				return money.Zero, a, fmt.Errorf("balance %q: %w", v, err)
			}
			if a.Error == "" {
				a.Error = "0"
			}
			return d, a, nil
		}
	}
	return money.Zero, a, errors.New("answer has no wallet_amount")
}

// parseSignin reads the sign-in answer: the token, or the refusal.
func parseSignin(body []byte) (token string, a answer, err error) {
	f, err := parseLoose(body)
	if err != nil {
		return "", answer{}, err
	}
	a = answer{Error: f.val("error"), Msg: f.val("msg")}
	for _, k := range []string{"token", "data.token", "access_token", "data.access_token"} {
		if t := strings.TrimSpace(f[k]); t != "" {
			return t, a, nil
		}
	}
	return "", a, nil
}
