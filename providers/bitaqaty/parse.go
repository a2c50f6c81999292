package bitaqaty

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"kiosk/money"
	"kiosk/providers"
)

// Bitaqaty's JSON is loose: booleans and numbers arrive as strings, IDs as
// numbers or strings, and key casing varies between methods. Go's decoder
// already matches keys case-insensitively (productID/productId/productid,
// terminalId/terminalID, merchantid/merchantId), so only the value types need
// tolerant helpers. Prices use money.Decimal, which accepts numbers and numeric
// strings but rejects anything that is not exactly a number.

// flexBool accepts true, "true", "True", 1, "1" and null.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	s := strings.ToLower(strings.Trim(strings.TrimSpace(string(data)), `"`))
	switch s {
	case "true", "1", "yes", "y":
		*b = true
	case "false", "0", "no", "n", "", "null":
		*b = false
	default:
		return fmt.Errorf("not a boolean: %.40s", data)
	}
	return nil
}

// flexString accepts a string, a number or a boolean literal, and null.
type flexString string

func (s *flexString) UnmarshalJSON(data []byte) error {
	d := bytes.TrimSpace(data)
	switch {
	case len(d) == 0 || string(d) == "null":
		*s = ""
	case d[0] == '"':
		var v string
		if err := json.Unmarshal(d, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case d[0] == '{' || d[0] == '[':
		return fmt.Errorf("expected a text value, got %.40s", d)
	default:
		*s = flexString(d)
	}
	return nil
}

// text returns the value with Bitaqaty's "null" placeholder read as empty:
// the seed says fields a product does not have come back as "null".
func (s flexString) text() string {
	t := strings.TrimSpace(string(s))
	if strings.EqualFold(t, "null") {
		return ""
	}
	return t
}

// flexInt is providers.FlexInt: a whole number written as a number or a string.
type flexInt = providers.FlexInt

// envelope is what every answer carries (e.g. seed L104-L112), and the
// two status fields of the bill answers (L508-L509, L722-L723), which say
// why a bill request failed.
type envelope struct {
	Status          *flexBool  `json:"status"`
	ErrorCode       flexString `json:"errorCode"`
	ErrorMessage    flexString `json:"errorMessage"`
	ErrorDesc       flexString `json:"errorDesc"`
	RequestSrvTime  flexString `json:"requestSrvTime"`
	ResponseSrvTime flexString `json:"responseSrvTime"`

	RequestStatus        flexString `json:"requestStatus"`
	ServiceHubStatusEnum flexString `json:"serviceHubStatusEnum"`
}

func (e envelope) ok() bool { return e.Status != nil && bool(*e.Status) }

// prices are the six price fields every priced answer repeats.
type prices struct {
	CostPriceBeforeVat              money.Decimal `json:"costPriceBeforeVat"`
	CostPriceVatAmount              money.Decimal `json:"costPriceVatAmount"`
	CostPriceAfterVat               money.Decimal `json:"costPriceAfterVat"`
	RecommendedRetailPriceBeforeVat money.Decimal `json:"recommendedRetailPriceBeforeVat"`
	RecommendedRetailPriceVatAmount money.Decimal `json:"recommendedRetailPriceVatAmount"`
	RecommendedRetailPriceAfterVat  money.Decimal `json:"recommendedRetailPriceAfterVat"`
	Currency                        string        `json:"currency"`
}

// currencyOr is the answer's currency, or fallback where the answer has
// none (calculate-topup-amount and the bill answers carry no currency).
func (p prices) currencyOr(fallback string) string {
	if c := strings.TrimSpace(p.Currency); c != "" {
		return strings.ToUpper(c)
	}
	if fallback != "" {
		return fallback
	}
	return defaultCurrency
}

// looseAmount reads an amount that is only shown, never charged or
// compared (the balance, seed L113, L1018): Bitaqaty writes doubles, and a
// real answer carried binary noise ("balance": 99858.96671999992) that an
// exact money.Decimal refuses. It is rounded, half away from zero, to
// money.Scale places, with exact rational arithmetic (no float64). Prices
// are never read this way: an inexact price is an unreadable answer.
type looseAmount struct {
	money.Decimal
	set bool // the field was there and not null
}

func (l *looseAmount) UnmarshalJSON(data []byte) error {
	s := strings.TrimSpace(string(data))
	if s == "null" {
		*l = looseAmount{}
		return nil
	}
	var d money.Decimal
	err := d.UnmarshalJSON(data)
	if errors.Is(err, money.ErrPrecision) {
		t := strings.TrimSpace(strings.Trim(s, `"`))
		r, ok := new(big.Rat).SetString(t)
		if !ok {
			return err
		}
		d, err = money.Parse(r.FloatString(money.Scale))
	}
	if err != nil {
		return err
	}
	*l = looseAmount{Decimal: d, set: true}
	return nil
}

// wireField is one entry of a product's dynamicFormList.
type wireField struct {
	InputType          string         `json:"inputType"`
	InputName          string         `json:"inputName"`
	InputTitleEn       string         `json:"inputTitleEn"`
	InputTitleAr       string         `json:"inputTitleAr"`
	InputPlaceHolderEn string         `json:"inputPlaceHolderEn"`
	InputPlaceHolderAr string         `json:"inputPlaceHolderAr"`
	InputDefaultValue  flexString     `json:"inputDefaultValue"`
	InputLength        flexInt        `json:"inputLength"`
	Position           flexInt        `json:"position"`
	Visible            *flexBool      `json:"visible"`
	Required           flexBool       `json:"required"`
	MinLength          flexInt        `json:"minLength"`
	MaxLength          flexInt        `json:"maxLength"`
	ConfirmRequired    flexBool       `json:"confirmRequired"`
	MinValue           *money.Decimal `json:"minValue"`
	MaxValue           *money.Decimal `json:"maxValue"`
}

type esimSpec struct {
	Data     flexString `json:"data"`
	Calls    flexString `json:"calls"`
	Duration flexString `json:"duration"`
}

// wireProduct is a product of detailed-products-list,
// detailed-bill-products-list and product-detailed-info.
type wireProduct struct {
	prices
	ProductID          flexString    `json:"productID"`
	NameAr             string        `json:"nameAr"`
	NameEn             string        `json:"nameEn"`
	NameEr             string        `json:"nameEr"` // the seed's spelling in product-detailed-info
	VATType            string        `json:"vatType"`
	VATPercentage      money.Decimal `json:"vatPercentage"`
	FaceValue          money.Decimal `json:"faceValue"`
	Available          *flexBool     `json:"available"`
	MerchantID         flexString    `json:"merchantid"`
	MerchantNameAr     string        `json:"merchantNameAr"`
	MerchantNameEn     string        `json:"merchantNameEn"`
	CategoryNameAr     string        `json:"categoryNameAr"`
	CategoryNameEn     string        `json:"categoryNameEn"`
	HowToUseAr         string        `json:"howToUseAr"`
	HowToUseEn         string        `json:"howToUseEn"`
	Image              string        `json:"image"`
	IsQrCode           flexBool      `json:"isQrCode"`
	EsimSpecifications []esimSpec    `json:"esimSpecifications"`
	InquiryRequired    *flexBool     `json:"inquiryRequired"`
	DynamicFormList    []wireField   `json:"dynamicFormList"`
}

func (w wireProduct) name() string {
	if w.NameEn != "" {
		return w.NameEn
	}
	return w.NameEr
}

type productsAnswer struct {
	envelope
	Products     []wireProduct `json:"products"`
	BillProducts []wireProduct `json:"billProducts"`
}

// productInfoAnswer is product-detailed-info: the product's fields sit at
// the top level in the seed, but public clients suggest some deployments
// wrap them in "product"; both are read.
type productInfoAnswer struct {
	envelope
	wireProduct
	Product *wireProduct `json:"product"`
}

func (a productInfoAnswer) product() wireProduct {
	if a.Product != nil && a.Product.ProductID != "" {
		return *a.Product
	}
	return a.wireProduct
}

type balanceAnswer struct {
	envelope
	Balance  looseAmount `json:"balance"`
	Currency string      `json:"currency"`
}

type merchant struct {
	MerchantID     flexString `json:"merchantId"`
	MerchantNameAr string     `json:"merchantNameAr"`
	MerchantNameEn string     `json:"merchantNameEn"`
}

type merchantsAnswer struct {
	envelope
	MerchantList []merchant `json:"merchantList"`
}

// saleAnswer covers purchase-product, check-transaction-status and
// service-bill-pay, which share most fields.
type saleAnswer struct {
	envelope
	prices
	PurchasingDate     flexString      `json:"purchasingDate"`
	BbTrxRefNumber     flexString      `json:"bbTrxRefNumber"`
	ResellerRefNumber  flexString      `json:"resellerRefNumber"`
	ProductID          flexString      `json:"productID"`
	Balance            looseAmount     `json:"balance"`
	ProductType        flexInt         `json:"productType"`
	Serial             flexString      `json:"serial"`
	PIN                flexString      `json:"pin"`
	Username           flexString      `json:"username"`
	ItemExpirationDate flexString      `json:"itemExpirationDate"`
	IsQrCode           flexBool        `json:"isQrCode"`
	ProductItemDetails json.RawMessage `json:"productItemDetails"`
	PurchaseStatus     flexString      `json:"purchaseStatus"`

	// service-bill-pay (L720-L725; requestStatus and serviceHubStatusEnum
	// are in the envelope)
	InquireReferenceNumber flexString `json:"inquireReferenceNumber"`
	ItemID                 flexString `json:"itemId"`
	BillStatus             flexString `json:"billStatus"`
}

type inquiryAnswer struct {
	envelope
	prices
	InquireReferenceNumber flexString    `json:"inquireReferenceNumber"`
	ConsumerNumber         flexString    `json:"consumerNumber"`
	DueDate                flexString    `json:"dueDate"`
	BillStatus             flexString    `json:"billStatus"`
	BillAmount             money.Decimal `json:"billAmount"`
	InquiryInfoText        string        `json:"inquiryInfoText"`
}

type topupAnswer struct {
	envelope
	prices
}

type wireRecord struct {
	TransactionDate   flexString    `json:"transactionDate"`
	BbTrxRefNumber    flexString    `json:"bbTrxRefNumber"`
	ResellerRefNumber flexString    `json:"resellerRefNumber"`
	TerminalID        flexString    `json:"terminalID"`
	ProductID         flexString    `json:"productID"`
	ProductName       string        `json:"productName"`
	CostPriceAfterVat money.Decimal `json:"costPriceAfterVat"`
	Currency          string        `json:"currency"`
	Serial            flexString    `json:"serial"`
	PurchaseStatus    flexString    `json:"purchaseStatus"`
}

// decodeEnvelope reads the common fields; an answer without "status" is
// not a Bitaqaty answer.
func decodeEnvelope(body []byte) (envelope, error) {
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return e, err
	}
	if e.Status == nil {
		return e, errors.New(`no "status" field`)
	}
	return e, nil
}

func parseProducts(body []byte) (productsAnswer, error) {
	var a productsAnswer
	err := json.Unmarshal(body, &a)
	return a, err
}

func parseProductInfo(body []byte) (productInfoAnswer, error) {
	var a productInfoAnswer
	err := json.Unmarshal(body, &a)
	return a, err
}

func parseBalance(body []byte) (balanceAnswer, error) {
	var a balanceAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return a, err
	}
	if a.ok() && !a.Balance.set {
		return a, errors.New("no balance in the answer")
	}
	return a, nil
}

func parseMerchants(body []byte) (merchantsAnswer, error) {
	var a merchantsAnswer
	err := json.Unmarshal(body, &a)
	return a, err
}

func parseSale(body []byte) (saleAnswer, error) {
	var a saleAnswer
	err := json.Unmarshal(body, &a)
	return a, err
}

func parseInquiry(body []byte) (inquiryAnswer, error) {
	var a inquiryAnswer
	err := json.Unmarshal(body, &a)
	return a, err
}

func parseTopup(body []byte) (topupAnswer, error) {
	var a topupAnswer
	err := json.Unmarshal(body, &a)
	return a, err
}

// parseReconcile reads a reconcile answer. The seed lists the record fields
// but not the name of the list, so any array of objects in the answer is
// taken ("transactions" in public clients), and a single record at the top
// level is accepted too.
func parseReconcile(body []byte) ([]wireRecord, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, err
	}
	var out []wireRecord
	for _, raw := range top {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || raw[0] != '[' {
			continue
		}
		var list []wireRecord
		if err := json.Unmarshal(raw, &list); err != nil {
			var any []json.RawMessage
			if json.Unmarshal(raw, &any) == nil && allScalars(any) {
				continue // a list of something else, not records
			}
			return nil, fmt.Errorf("reconcile records: %w", err)
		}
		out = append(out, list...)
	}
	if len(out) == 0 {
		if _, ok := top["resellerRefNumber"]; ok {
			var r wireRecord
			if err := json.Unmarshal(body, &r); err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

func allScalars(list []json.RawMessage) bool {
	for _, r := range list {
		r = bytes.TrimSpace(r)
		if len(r) > 0 && r[0] == '{' {
			return false
		}
	}
	return true
}

// itemDetails reads productItemDetails (eSIM facts), which the seed calls a
// list but which may also come as one object. Scalar values become strings.
func itemDetails(raw json.RawMessage) []map[string]string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var objs []map[string]json.RawMessage
	if raw[0] == '{' {
		var one map[string]json.RawMessage
		if json.Unmarshal(raw, &one) != nil {
			return nil
		}
		objs = append(objs, one)
	} else if json.Unmarshal(raw, &objs) != nil {
		return nil
	}
	var out []map[string]string
	for _, o := range objs {
		m := map[string]string{}
		for k, v := range o {
			var s flexString
			if json.Unmarshal(v, &s) == nil && s.text() != "" {
				m[k] = s.text()
			}
		}
		if len(m) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// ksa is the time zone of Bitaqaty's dates (Saudi Arabia, UTC+3, no DST).
// A fixed zone needs no tz database on the terminal.
var ksa = time.FixedZone("AST", 3*60*60)

const wireTime = "2006-01-02 15:04:05"

// parseTime reads the date formats Bitaqaty's answers use; a date that does
// not parse is left zero rather than guessed.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{wireTime, "2006-01-02 15:04:05.0", "2006-01-02 15:04:05.000", "2006-01-02T15:04:05", "2006-01-02T15:04:05.000"} {
		if t, err := time.ParseInLocation(layout, s, ksa); err == nil {
			return t
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, ksa); err == nil {
		return t
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms > 1e11 {
		return time.UnixMilli(ms).In(ksa) // Java epoch milliseconds
	}
	return time.Time{}
}
