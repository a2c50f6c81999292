package bitaqaty

import (
	"context"
	"errors"
	"sort"
	"strings"

	"kiosk/money"
	"kiosk/providers"
)

// minTopUp is Bitaqaty's documented minimum for calculate-topup-amount.
var minTopUp = money.FromInt(5)

// Product.Extra keys this client reads again at quote and purchase time.
const (
	extraBill            = "bill"            // "true" for products paid through service-bill-pay
	extraInquiryRequired = "inquiryRequired" // "true": inquire first; "false": top-up
	extraAmountField     = "amountField"     // top-up: inputName that carries the amount
	extraMerchantID      = "merchantId"
	extraQR              = "isQrCode"               // "true": the PIN is a QR code link (an eSIM, seed L238, L1048)
	extraInquireRef      = "inquireReferenceNumber" // Quote.Extra: the inquiry to pay
)

// Catalog loads the vouchers (detailed-products-list) and the bill and
// top-up products (detailed-bill-products-list) of the account. In secured
// mode there is no bill list to ask (the secured variant, seed
// L1436-L2244, has no bill method), so only vouchers are listed.
func (c *Client) Catalog(ctx context.Context) ([]providers.Product, error) {
	// The merchant list names the merchants (English and Arabic) for
	// products whose own merchant fields are empty. It is a nicety: without
	// it the products still sell.
	merchants, _ := c.merchantNames(ctx)
	vouchers, err := c.productList(ctx, "detailed-products-list")
	if err != nil {
		return nil, err
	}
	var bills []wireProduct
	if c.sec == nil {
		bills, err = c.productList(ctx, "detailed-bill-products-list")
	}
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Outcome == providers.Refused &&
		(pe.Code == codeNotAllowed || pe.Code == codeServiceOff || pe.Code == codeProductOff) {
		// Bills are an extra; an account without them still sells vouchers.
		bills, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]providers.Product, 0, len(vouchers)+len(bills))
	seen := map[string]bool{}
	for i := range vouchers {
		fillMerchant(&vouchers[i], merchants)
	}
	for i := range bills {
		fillMerchant(&bills[i], merchants)
	}
	for _, w := range vouchers {
		if p, ok := toProduct(w, false); ok && !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, p)
		}
	}
	for _, w := range bills {
		if p, ok := toProduct(w, true); ok && !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, p)
		}
	}
	return providers.CleanProducts(out), nil
}

// productList asks for every product of the account: detailed-products-list
// (seed L162-L314, secured L1537-L1654) or detailed-bill-products-list
// (L315-L457). resellerUsername, password = MD5(ResellerUsername +
// merchantId + secretKey) (L184, L337), and merchantId, which "is
// mandatory, however you can send it with empty value to retrieve the full
// product list" (L192, L345): sent empty and signed as the empty string.
func (c *Client) productList(ctx context.Context, method string) ([]wireProduct, error) {
	req := map[string]string{"resellerUsername": c.cfg.Username, "password": c.sign(""), "merchantId": ""}
	var a productsAnswer
	err := c.call(ctx, "catalog", method, req, &a)
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Code == codeNoProducts {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return append(a.Products, a.BillProducts...), nil
}

// toProduct maps a Bitaqaty product; bill says it came from the bill list.
func toProduct(w wireProduct, bill bool) (providers.Product, bool) {
	id := w.ProductID.text()
	if id == "" {
		return providers.Product{}, false
	}
	cur := w.currencyOr(defaultCurrency)
	p := providers.Product{
		Provider:   ID,
		ID:         id,
		Name:       strings.TrimSpace(w.name()),
		NameAr:     strings.TrimSpace(w.NameAr),
		Brand:      strings.TrimSpace(w.MerchantNameEn),
		BrandAr:    strings.TrimSpace(w.MerchantNameAr),
		Category:   strings.TrimSpace(w.CategoryNameEn),
		Kind:       providers.KindVoucher,
		Available:  w.Available == nil || bool(*w.Available),
		PriceKind:  providers.PriceFixed,
		Price:      money.New(w.RecommendedRetailPriceAfterVat, cur),
		Cost:       money.New(w.CostPriceAfterVat, cur),
		VATType:    strings.ToUpper(strings.TrimSpace(w.VATType)),
		VATPercent: w.VATPercentage,
		HowToUse:   strings.TrimSpace(w.HowToUseEn),
		HowToUseAr: strings.TrimSpace(w.HowToUseAr),
		Extra:      map[string]string{},
	}
	if p.Name == "" {
		p.Name = p.NameAr
	}
	if p.Brand == "" {
		p.Brand = p.Name
	}
	if !w.FaceValue.IsZero() {
		p.FaceValue = money.New(w.FaceValue, cur)
	}
	if m := w.MerchantID.text(); m != "" {
		p.Extra[extraMerchantID] = m
	}
	if w.IsQrCode {
		p.Extra[extraQR] = "true"
	}
	// esimSpecifications come "only if the product is an eSIM (isQrcode =
	// true)" (seed L238-L240).
	if len(w.EsimSpecifications) > 0 {
		s := w.EsimSpecifications[0]
		p.Extra[extraQR] = "true"
		p.Extra["esimData"], p.Extra["esimCalls"], p.Extra["esimDuration"] = s.Data.text(), s.Calls.text(), s.Duration.text()
	}
	if bill || len(w.DynamicFormList) > 0 {
		billProduct(&p, w)
	}
	return p, true
}

// billProduct makes p a bill: its fields come from dynamicFormList. A bill
// with inquiryRequired is priced by the inquiry at quote time; one without
// is a top-up whose amount the clerk chooses (at least 5), priced by
// calculate-topup-amount.
func billProduct(p *providers.Product, w wireProduct) {
	inquiry := w.InquiryRequired == nil || bool(*w.InquiryRequired)
	p.Kind = providers.KindBill
	p.Extra[extraBill] = "true"
	p.Extra[extraInquiryRequired] = boolText(inquiry)
	p.Fields = fieldsOf(w.DynamicFormList)
	if inquiry {
		return
	}
	p.PriceKind = providers.PriceRange
	p.Price = money.Money{Currency: p.Price.Currency}
	p.MinAmount = money.New(minTopUp, p.Price.Currency)
	p.Extra[extraAmountField] = "amount"
	// The amount is chosen as the sale's amount, not typed as a field, so the
	// RANGE field leaves Fields and lends its bounds to the product.
	for i, f := range p.Fields {
		if f.Kind != providers.FieldAmount {
			continue
		}
		p.Extra[extraAmountField] = f.Name
		if f.Min != nil && f.Min.Cmp(minTopUp) > 0 {
			p.MinAmount = money.New(*f.Min, p.Price.Currency)
		}
		if f.Max != nil {
			p.MaxAmount = money.New(*f.Max, p.Price.Currency)
		}
		p.Fields = append(p.Fields[:i:i], p.Fields[i+1:]...)
		break
	}
}

// fieldsOf maps dynamicFormList to fields in the form's position order.
func fieldsOf(list []wireField) []providers.Field {
	sorted := append([]wireField(nil), list...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Position < sorted[j].Position })
	var out []providers.Field
	for _, w := range sorted {
		name := strings.TrimSpace(w.InputName)
		if name == "" {
			continue
		}
		visible := w.Visible == nil || bool(*w.Visible)
		f := providers.Field{
			Name:        name,
			Label:       firstNonEmpty(w.InputTitleEn, name),
			LabelAr:     strings.TrimSpace(w.InputTitleAr),
			Kind:        providers.FieldText,
			Required:    bool(w.Required) && visible,
			MinLen:      int(w.MinLength),
			MaxLen:      int(w.MaxLength),
			Default:     w.InputDefaultValue.text(),
			Placeholder: strings.TrimSpace(w.InputPlaceHolderEn),
			Confirm:     bool(w.ConfirmRequired),
			Hidden:      !visible,
		}
		if f.MaxLen == 0 && w.InputLength > 0 {
			f.MaxLen = int(w.InputLength)
		}
		switch strings.ToUpper(strings.TrimSpace(w.InputType)) {
		case "N", "NUMBER", "NUMERIC": // seed L247: "N for number"
			f.Kind = providers.FieldDigits
			// A number field named for a mobile is the customer's number
			// (masked in lists, offered again with ctrl+p). Neither the seed
			// nor the product says its country or national form (the demo's
			// Mobily top-up takes ten digits with the trunk 0, 05XXXXXXXX),
			// so no CallingCode is set: spaces and dashes go, the digits stay
			// as typed, and a number in international form is refused by the
			// field's own lengths, never cut.
			if looksLikePhone(name + " " + w.InputTitleEn) {
				f.Kind = providers.FieldPhone
			}
		case "RANGE":
			f.Kind = providers.FieldAmount
			f.Min, f.Max = w.MinValue, w.MaxValue
			f.MinLen, f.MaxLen = 0, 0
		}
		out = append(out, f)
	}
	return out
}

func looksLikePhone(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "mobile") || strings.Contains(s, "phone") || strings.Contains(s, "msisdn")
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// merchantName is a merchant's names from get-merchant-list.
type merchantName struct{ en, ar string }

// merchantNames reads get-merchant-list into id → names. get-merchant-list,
// seed L1335-L1435 (secured L2150-L2244): resellerUsername, password =
// MD5(ResellerUsername + secretKey) (L1356); billMerchantsOnly and
// esimMerchantsOnly are left out, which lists every merchant (L1365).
func (c *Client) merchantNames(ctx context.Context) (map[string]merchantName, error) {
	req := map[string]string{"resellerUsername": c.cfg.Username, "password": c.sign()}
	var a merchantsAnswer
	if err := c.call(ctx, "merchants", "get-merchant-list", req, &a); err != nil {
		return nil, err
	}
	out := make(map[string]merchantName, len(a.MerchantList))
	for _, m := range a.MerchantList {
		out[m.MerchantID.text()] = merchantName{strings.TrimSpace(m.MerchantNameEn), strings.TrimSpace(m.MerchantNameAr)}
	}
	return out, nil
}

// fillMerchant names a product's merchant from the merchant list where the
// product's own fields leave it out.
func fillMerchant(w *wireProduct, merchants map[string]merchantName) {
	m, ok := merchants[w.MerchantID.text()]
	if !ok {
		return
	}
	if strings.TrimSpace(w.MerchantNameEn) == "" {
		w.MerchantNameEn = m.en
	}
	if strings.TrimSpace(w.MerchantNameAr) == "" {
		w.MerchantNameAr = m.ar
	}
}
