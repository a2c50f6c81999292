package dtone

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"kiosk/money"
	"kiosk/providers"
)

// The six product lists of a discovery answer, by the seed's own names. Each
// name is also the path segment of the purchase and look-up calls.
const (
	FixedRecharges    = "fixed_value_recharges"
	VariableRecharges = "variable_value_recharges"
	FixedVouchers     = "fixed_value_vouchers"
	VariableVouchers  = "variable_value_vouchers"
	FixedPayments     = "fixed_value_payments"
	VariablePayments  = "variable_value_payments"
)

// productTypes lists the six in catalogue order, with the short prefix used
// in Product.ID ("fvr-64").
var productTypes = []struct{ name, prefix string }{
	{FixedRecharges, "fvr"},
	{VariableRecharges, "vvr"},
	{FixedVouchers, "fvv"},
	{VariableVouchers, "vvv"},
	{FixedPayments, "fvp"},
	{VariablePayments, "vvp"},
}

func knownType(t string) bool {
	for _, pt := range productTypes {
		if pt.name == t {
			return true
		}
	}
	return false
}

func isVariable(t string) bool { return strings.HasPrefix(t, "variable_") }

// flexString takes a JSON string, number or boolean as text: DT One sends
// ids and statuses both as "0" and 0.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	switch {
	case s == "null":
		*f = ""
		return nil
	case strings.HasPrefix(s, `"`):
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*f = flexString(strings.TrimSpace(v))
		return nil
	case s == "true" || s == "false":
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a string or number, got %.20s", s)
	}
	*f = flexString(n.String())
	return nil
}

func (f flexString) String() string { return string(f) }

// wireProduct is one product of a discovery answer. Prices are pointers so a
// missing price is told apart from a zero one.
type wireProduct struct {
	ProductID       flexString     `json:"product_id"`
	ProductName     string         `json:"product_name"`
	ShortDesc       string         `json:"product_short_desc"`
	OperatorID      flexString     `json:"operator_id"`
	Operator        string         `json:"operator"`
	CountryID       flexString     `json:"country_id"`
	Country         string         `json:"country"`
	ServiceID       flexString     `json:"service_id"`
	Service         string         `json:"service"`
	ProductValue    *money.Decimal `json:"product_value"`
	ProductCurrency string         `json:"product_currency"`
	LocalValue      *money.Decimal `json:"local_value"`
	LocalCurrency   string         `json:"local_currency"`
	AccountCurrency string         `json:"account_currency"`
	WholesalePrice  *money.Decimal `json:"wholesale_price"`
	RetailPrice     *money.Decimal `json:"retail_price"`
	Fee             *money.Decimal `json:"fee"`
}

// typedProduct is a wire product with the list it came from.
type typedProduct struct {
	Type string
	wireProduct
}

// parseProducts reads a discovery answer (operators/{id}/products,
// countries/{id}/products, services/{id}/products). A product that does not
// decode is skipped and counted in skipped: one bad price must not hide the
// rest of the catalogue, and a product without a readable price is never
// offered at price zero.
func parseProducts(body []byte) (list []typedProduct, skipped int, err error) {
	var lists map[string]json.RawMessage
	if err := decodeJSON(body, &lists); err != nil {
		return nil, 0, fmt.Errorf("product lists: %w", err)
	}
	found := false
	for _, pt := range productTypes {
		raw, ok := lists[pt.name]
		if !ok || isNull(raw) {
			continue
		}
		found = true
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, 0, fmt.Errorf("product list %s: %w", pt.name, err)
		}
		for _, it := range items {
			var p wireProduct
			if err := json.Unmarshal(it, &p); err != nil || p.ProductID == "" || p.checkPrices(pt.name) != nil {
				skipped++
				continue
			}
			list = append(list, typedProduct{Type: pt.name, wireProduct: p})
		}
	}
	if !found {
		return nil, 0, errors.New("product lists: none of the six product lists is in the answer")
	}
	return list, skipped, nil
}

// checkPrices says whether the product has what is needed to sell it. A
// fixed-value product carries its prices (seed L47-L49); a variable-value
// one carries none (the seed shows no variable product, and defines no
// range): it is priced from its suggested values (seed L193).
func (p wireProduct) checkPrices(typ string) error {
	if isVariable(typ) {
		return nil
	}
	if p.WholesalePrice == nil || p.RetailPrice == nil || p.AccountCurrency == "" {
		return errors.New("no wholesale or retail price, or no account currency")
	}
	return nil
}

// amountCurrency is the currency a variable product's value is chosen in:
// its local currency (seed L45, L206), else its product currency.
func (p wireProduct) amountCurrency() string {
	return cmp.Or(p.LocalCurrency, p.ProductCurrency)
}

// suggestion is one entry of product/variable_value_recharges/{id}/suggested_values
// (seed L205-L214). The seed writes local_value and fee as numbers and the
// prices as strings ("0.14"); both forms are read. The prices must be
// there: they become the quote.
type suggestion struct {
	LocalValue     money.Decimal  `json:"local_value"`
	LocalCurrency  string         `json:"local_currency"`
	Name           string         `json:"name"`
	Description    string         `json:"description"`
	Info1          string         `json:"additional_info_1"`
	Info2          string         `json:"additional_info_2"`
	Info3          string         `json:"additional_info_3"`
	WholesalePrice *money.Decimal `json:"wholesale_price"`
	RetailPrice    *money.Decimal `json:"retail_price"`
	Fee            money.Decimal  `json:"fee"`
}

// parseSuggested reads a suggested-values answer (seed L201-L229). A value
// without a positive local_value or without both prices is dropped: it
// cannot be sold at a price DT One gave.
func parseSuggested(body []byte) ([]suggestion, error) {
	var v struct {
		Suggested *[]suggestion `json:"suggested_values"`
	}
	if err := decodeJSON(body, &v); err != nil {
		return nil, fmt.Errorf("suggested values: %w", err)
	}
	if v.Suggested == nil {
		return nil, errors.New("suggested values: no suggested_values list in the answer")
	}
	out := make([]suggestion, 0, len(*v.Suggested))
	for _, s := range *v.Suggested {
		if s.LocalValue.Sign() > 0 && s.WholesalePrice != nil && s.RetailPrice != nil {
			out = append(out, s)
		}
	}
	return out, nil
}

// parseVerified reads an account-number status answer: {"verified":1}.
func parseVerified(body []byte) (bool, error) {
	var v struct {
		Verified *flexString `json:"verified"`
	}
	if err := decodeJSON(body, &v); err != nil {
		return false, fmt.Errorf("account status: %w", err)
	}
	if v.Verified == nil {
		return false, errors.New("account status: no verified field in the answer")
	}
	switch strings.ToLower(string(*v.Verified)) {
	case "1", "true", "yes":
		return true, nil
	case "0", "false", "no":
		return false, nil
	}
	return false, fmt.Errorf("account status: verified is %q, not 0 or 1", string(*v.Verified))
}

// apiError is one entry of {"errors":[{"code":N,"message":"..."}]}.
type apiError struct {
	Code    string
	Message string
}

// parseErrors reads an error answer; ok is false when the body is not one.
func parseErrors(body []byte) (apiError, bool) {
	var v struct {
		Errors []struct {
			Code    flexString `json:"code"`
			Message string     `json:"message"`
		} `json:"errors"`
	}
	if decodeJSON(body, &v) != nil || len(v.Errors) == 0 || v.Errors[0].Code == "" {
		return apiError{}, false
	}
	return apiError{Code: string(v.Errors[0].Code), Message: strings.TrimSpace(v.Errors[0].Message)}, true
}

// wireTxn is a transaction as a purchase or a look-up returns it.
type wireTxn struct {
	TransactionID     flexString     `json:"transaction_id"`
	Simulation        flexString     `json:"simulation"`
	Status            *flexString    `json:"status"`
	StatusMessage     string         `json:"status_message"`
	Date              string         `json:"date"`
	AccountNumber     flexString     `json:"account_number"`
	ExternalID        flexString     `json:"external_id"`
	OperatorReference flexString     `json:"operator_reference"`
	ProductID         flexString     `json:"product_id"`
	Product           string         `json:"product"`
	ProductCurrency   string         `json:"product_currency"`
	ProductValue      money.Decimal  `json:"product_value"`
	LocalCurrency     string         `json:"local_currency"`
	LocalValue        money.Decimal  `json:"local_value"`
	Operator          string         `json:"operator"`
	AccountCurrency   string         `json:"account_currency"`
	WholesalePrice    *money.Decimal `json:"wholesale_price"`
	RetailPrice       money.Decimal  `json:"retail_price"`
	Fee               money.Decimal  `json:"fee"`
	Voucher           *wireVoucher   `json:"voucher"`
}

type wireVoucher struct {
	PIN            flexString    `json:"pin"`
	PIN2           flexString    `json:"pin2"`
	Value          money.Decimal `json:"value"`
	Currency       string        `json:"currency"`
	ExpirationDate string        `json:"expiration_date"`
	Info1          string        `json:"info_1"`
	Info2          string        `json:"info_2"`
	Info3          string        `json:"info_3"`
}

// parseTxn reads a transaction answer. The status must be there: without
// it nothing can be said about the money.
func parseTxn(body []byte) (wireTxn, error) {
	var t wireTxn
	if err := decodeJSON(body, &t); err != nil {
		return t, fmt.Errorf("transaction: %w", err)
	}
	if t.Status == nil || *t.Status == "" {
		return t, errors.New("transaction: no status in the answer")
	}
	if t.TransactionID == "" {
		return t, errors.New("transaction: no transaction_id in the answer")
	}
	return t, nil
}

// stateOf maps DT One's transaction status to a sale state. Only "0"
// ("Transaction successful", the answers PROVIDERS.md's public clients
// show) is final. No failure status is documented anywhere, so every other
// status stays pending: the sale is looked up again (or reviewed) rather
// than called failed, or done, on a guess.
func stateOf(status string) providers.State {
	if strings.TrimSpace(status) == "0" {
		return providers.Succeeded
	}
	return providers.Pending
}

// result turns a transaction into a sale result. typ decides whether an
// operator reference is the customer's proof (top-ups, payments).
func (t wireTxn) result(typ string) providers.Result {
	r := providers.Result{
		State:       stateOf(string(*t.Status)),
		ProviderRef: string(t.TransactionID),
		Message:     t.StatusMessage,
	}
	// The kiosk's product ids carry the product type ("fvr-64"), so the
	// core's check that a look-up found the same product compares like ids.
	if id := string(t.ProductID); id != "" {
		r.ProductID = prefixOf(typ) + "-" + id
	}
	if at, err := time.Parse(time.DateTime, strings.TrimSpace(t.Date)); err == nil {
		r.At = at.UTC()
	}
	if t.WholesalePrice != nil && t.AccountCurrency != "" {
		r.Charged = money.New(t.WholesalePrice.Add(t.Fee), t.AccountCurrency)
	}
	if r.State != providers.Succeeded {
		return r
	}
	if v := t.voucher(typ); v != nil {
		r.Vouchers = []providers.Voucher{*v}
	}
	return r
}

func (t wireTxn) voucher(typ string) *providers.Voucher {
	v := providers.Voucher{Reference: string(t.OperatorReference)}
	if w := t.Voucher; w != nil {
		v.PIN, v.PIN2, v.Expiry = string(w.PIN), string(w.PIN2), w.ExpirationDate
		if cur := cmp.Or(w.Currency, t.LocalCurrency); !w.Value.IsZero() && cur != "" {
			v.Value = money.New(w.Value, cur)
		}
		for k, s := range map[string]string{"info_1": w.Info1, "info_2": w.Info2, "info_3": w.Info3} {
			if s = strings.TrimSpace(s); s != "" {
				if v.Extra == nil {
					v.Extra = map[string]string{}
				}
				v.Extra[k] = s
			}
		}
	}
	if v.Value.IsZero() && !t.LocalValue.IsZero() && t.LocalCurrency != "" {
		v.Value = money.New(t.LocalValue, t.LocalCurrency)
	}
	if strings.Contains(typ, "voucher") && v.PIN == "" && v.PIN2 == "" && v.Reference == "" && v.Extra == nil {
		return nil // a voucher sale with nothing to hand over (DT One's simulation answers so)
	}
	return &v
}

// decodeJSON decodes one JSON value and refuses HTML, empty and cut bodies
// with a message a clerk's supervisor can act on.
func decodeJSON(body []byte, v any) error {
	b := bytes.TrimSpace(body)
	switch {
	case len(b) == 0:
		return errors.New("empty answer")
	case b[0] == '<':
		return errors.New("answer is HTML, not JSON (a proxy or error page?)")
	}
	err := json.Unmarshal(b, v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// One of the seed's own examples ends a list with a comma; forgive that.
		if fixed := dropTrailingCommas(b); !bytes.Equal(fixed, b) {
			err = json.Unmarshal(fixed, v)
		}
	}
	if err != nil {
		switch {
		case strings.Contains(err.Error(), "unexpected end of JSON input"):
			return fmt.Errorf("answer is cut short: %w", err)
		case errors.As(err, &se):
			return fmt.Errorf("answer is not valid JSON: %w", err)
		}
		return fmt.Errorf("answer has a value of the wrong kind: %w", err)
	}
	return nil
}

// dropTrailingCommas removes a comma that comes right before a closing
// bracket or brace, outside strings.
func dropTrailingCommas(b []byte) []byte {
	out := make([]byte, 0, len(b))
	inString, escaped := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == ',':
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\n' || b[j] == '\r' || b[j] == '\t') {
				j++
			}
			if j < len(b) && (b[j] == '}' || b[j] == ']') {
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// listed is one entry of a discovery list (extensions countries, services,
// operators): an id and a name, plus the country of an operator.
type listed struct {
	ID      string
	Name    string
	Country string
}

// parseListed reads a discovery list: {"countries":[{"country_id":756,
// "country":"Guatemala"}]}, {"services":[{"service_id":1,"service":"television"}]}
// or {"operators":[{"operator_id":1959,"operator":"Claro TV Guatemala USD",
// "country":"Guatemala"}]}. The shapes are the public API's (extensions,
// PROVIDERS.md), not the seed's.
func parseListed(body []byte, list, idKey, nameKey string) ([]listed, error) {
	var v map[string]json.RawMessage
	if err := decodeJSON(body, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", list, err)
	}
	raw, ok := v[list]
	if !ok || isNull(raw) {
		return nil, fmt.Errorf("%s: no %s list in the answer", list, list)
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("%s: answer has a value of the wrong kind: %w", list, err)
	}
	var out []listed
	for _, it := range items {
		var id flexString
		var name, country string
		if json.Unmarshal(it[idKey], &id) != nil || id == "" {
			continue
		}
		_ = json.Unmarshal(it[nameKey], &name)
		_ = json.Unmarshal(it["country"], &country)
		out = append(out, listed{ID: string(id), Name: strings.TrimSpace(name), Country: strings.TrimSpace(country)})
	}
	return out, nil
}
