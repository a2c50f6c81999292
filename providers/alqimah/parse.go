package alqimah

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"kiosk/money"
	"kiosk/providers"
)

// maxBody bounds an answer. Answers are small but for the category list
// (0/4), which grows with the platform's catalogue; anything longer than
// this is not an Al-Qimah answer.
const maxBody = 32 << 20

// expiryLayout is token_expires: "2024-08-05 19:31:45".
const expiryLayout = "2006-01-02 15:04:05"

var (
	errEmpty     = errors.New("empty answer")
	errHTML      = errors.New("an HTML page instead of JSON")
	errMalformed = errors.New("malformed answer")
)

// apiError is a {"status": false, "message": ...} answer.
type apiError struct {
	Message string
}

func (e *apiError) Error() string { return "refused: " + e.Message }

// flexBool accepts true, "true", 1 and "1" (and their false forms).
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	s := strings.ToLower(strings.Trim(strings.TrimSpace(string(data)), `"`))
	switch s {
	case "true", "1":
		*b = true
	case "false", "0", "", "null":
		*b = false
	default:
		return fmt.Errorf("%q is not a boolean", data)
	}
	return nil
}

// flexInt is providers.FlexInt: a whole number written as a number or a string.
type flexInt = providers.FlexInt

// flexString accepts a string or a number ("1234", 1234) and keeps the text.
type flexString string

func (f *flexString) UnmarshalJSON(data []byte) error {
	s := strings.TrimSpace(string(data))
	switch {
	case s == "null":
		*f = ""
	case strings.HasPrefix(s, `"`):
		var v string
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		*f = flexString(strings.TrimSpace(v))
	case strings.HasPrefix(s, "{") || strings.HasPrefix(s, "["):
		return fmt.Errorf("%.20q is not a string or number", s)
	default:
		*f = flexString(s)
	}
	return nil
}

// envelope is what every answer carries.
type envelope struct {
	Status  *flexBool `json:"status"`
	Message string    `json:"message"`
}

// decodeAnswer checks the envelope and decodes an answer into v. A
// status:false answer comes back as *apiError.
func decodeAnswer(body []byte, v any) error {
	b := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if len(b) == 0 {
		return errEmpty
	}
	if b[0] == '<' {
		return errHTML
	}
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return fmt.Errorf("%w: %v", errMalformed, err)
	}
	if env.Status == nil {
		return fmt.Errorf("%w: no status field", errMalformed)
	}
	if !*env.Status {
		return &apiError{Message: strings.TrimSpace(env.Message)}
	}
	if v == nil {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%w: %v", errMalformed, err)
	}
	return nil
}

// loginAnswer is the answer to /rest-api/login (seed L100-105).
type loginAnswer struct {
	AccessToken  string `json:"access_token"`  // seed L103
	TokenExpires string `json:"token_expires"` // seed L104
	// ExpiresWall is token_expires as written: the server's local time
	// with no zone (see tokenLife), held as a time in UTC.
	ExpiresWall time.Time
}

func parseLogin(body []byte) (loginAnswer, error) {
	var a loginAnswer
	if err := decodeAnswer(body, &a); err != nil {
		return a, err
	}
	if a.AccessToken == "" {
		return a, fmt.Errorf("%w: no access_token", errMalformed)
	}
	t, err := time.ParseInLocation(expiryLayout, strings.TrimSpace(a.TokenExpires), time.UTC)
	if err != nil {
		return a, fmt.Errorf("%w: token_expires %q is not yyyy-mm-dd hh:mm:ss", errMalformed, a.TokenExpires)
	}
	a.ExpiresWall = t
	return a, nil
}

// parseBalance reads the 0/1 answer (seed L139-144): {"agentBalance": 100}.
func parseBalance(body []byte) (money.Decimal, error) {
	var a struct {
		AgentBalance *money.Decimal `json:"agentBalance"`
	}
	if err := decodeAnswer(body, &a); err != nil {
		return money.Zero, err
	}
	if a.AgentBalance == nil {
		return money.Zero, fmt.Errorf("%w: no agentBalance", errMalformed)
	}
	return *a.AgentBalance, nil
}

// operation is a payment answer (seed L518-536) and a 0/2 status answer
// (seed L157-208). The seed has no PIN or serial field in either.
type operation struct {
	OperationStatus *flexInt       `json:"operationStatus"` // seed L160, L528-531
	AgentBalance    *money.Decimal `json:"agentBalance"`    // seed L532 (payments only)
	Price           *money.Decimal `json:"price"`           // seed L162, L533
	Message         string         `json:"message"`         // seed L163, L534
	Details         flexString     `json:"details"`         // seed L164 (status only)
	MobileNumber    flexString     `json:"mobileNumber"`    // seed L161 (status only)
	TransactionID   flexString     `json:"transactionID"`   // seed L165, L535
	ReferenceID     flexString     `json:"referenceID"`     // seed L166, L536
}

func parseOperation(body []byte) (operation, error) {
	var o operation
	if err := decodeAnswer(body, &o); err != nil {
		return o, err
	}
	if o.OperationStatus == nil {
		return o, fmt.Errorf("%w: no operationStatus", errMalformed)
	}
	switch *o.OperationStatus {
	case 1, 0, -1:
	default:
		return o, fmt.Errorf("%w: operationStatus %d is not 1, 0 or -1", errMalformed, *o.OperationStatus)
	}
	return o, nil
}

// FeedEntry is one credit added to the account (0/3).
type FeedEntry struct {
	Date         string        // as sent: "2024-08-03"
	Amount       money.Decimal // "70000.00000"
	Currency     string        // ISO code where known ("YER"), else as sent
	CurrencyName string        // as sent: "ريال يمني"
	Notes        string
}

func parseFeed(body []byte) ([]FeedEntry, error) {
	var a struct {
		Data []struct {
			Date     flexString    `json:"Date"`
			Amount   money.Decimal `json:"Amount"`
			Currency string        `json:"Currency"`
			Notes    flexString    `json:"Notes"`
		} `json:"data"`
	}
	if err := decodeAnswer(body, &a); err != nil {
		return nil, err
	}
	out := make([]FeedEntry, 0, len(a.Data))
	for _, d := range a.Data {
		code := currencyCode(d.Currency)
		if code == "" {
			code = d.Currency
		}
		out = append(out, FeedEntry{Date: string(d.Date), Amount: d.Amount, Currency: code, CurrencyName: d.Currency, Notes: string(d.Notes)})
	}
	return out, nil
}

// currencyCode maps the platform's currency names to ISO codes; "" when unknown.
func currencyCode(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	switch {
	case n == "":
		return ""
	case strings.Contains(n, "يمني") || n == "yer" || strings.Contains(n, "yemeni"):
		return "YER"
	case strings.Contains(n, "سعودي") || n == "sar" || strings.Contains(n, "saudi"):
		return "SAR"
	case strings.Contains(n, "دولار") || n == "usd" || strings.Contains(n, "dollar"):
		return "USD"
	}
	return ""
}

// category is one game or gift-card category (0/4).
type category struct {
	TheNumber         flexString    `json:"TheNumber"`
	ServiceName       string        `json:"ServiceName"`
	CategoryName      string        `json:"CategoryName"`
	GameUnitsCount    flexString    `json:"GameUnitsCount"`
	LinkCode          string        `json:"LinkCode"`
	Price             money.Decimal `json:"Price"`
	CurrencyName      string        `json:"CurrencyName"`
	LocalPrice        money.Decimal `json:"LocalPrice"`
	LocalCurrencyName string        `json:"LocalCurrencyName"`
	AllowFreeQuantity flexBool      `json:"AllowFreeQuantity"`
	MinQuantity       flexInt       `json:"MinQuantity"`
	MaxQuantity       flexInt       `json:"MaxQuantity"`
	RequiredFields    []struct {
		FieldCode string `json:"FieldCode"`
		FieldName string `json:"FieldName"`
	} `json:"RequiredFields"`
}

func parseCategories(body []byte) ([]category, error) {
	var a struct {
		Data []category `json:"data"`
	}
	if err := decodeAnswer(body, &a); err != nil {
		return nil, err
	}
	for i, c := range a.Data {
		if strings.TrimSpace(c.LinkCode) == "" {
			return nil, fmt.Errorf("%w: category %d has no LinkCode", errMalformed, i)
		}
	}
	return a.Data, nil
}

// queryAnswer covers every subscriber query answer (1/101, 1/102, 1/107,
// 5/501, 6/601, 7/701); each fills the fields it has.
type queryAnswer struct {
	MobileBalance    flexString `json:"mobileBalance"`
	AvailableCredit  flexString `json:"availableCredit"`
	MobileType       flexInt    `json:"mobileType"`
	MobileTypeName   string     `json:"mobileTypeName"`
	LoanStatus       *flexBool  `json:"loanStatus"`
	LoanStatusString string     `json:"loanStatusString"`
	ExpiredDate      flexString `json:"expiredDate"`
	OfferAmount      flexString `json:"offerAmount"`
	MinAmount        flexString `json:"minAmount"`
	OfferSize        flexString `json:"offerSize"`
	CallBalance      flexString `json:"callBalance"`
	Data             []struct {
		OfferID        string     `json:"offerID"`
		OfferName      string     `json:"offerName"`
		OfferStartDate flexString `json:"offerStartDate"`
		OfferEndDate   flexString `json:"offerEndDate"`
	} `json:"data"`
	Message string `json:"message"`
}

func parseQuery(body []byte) (queryAnswer, error) {
	var a queryAnswer
	err := decodeAnswer(body, &a)
	return a, err
}
