package bitaqaty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"kiosk/money"
	"kiosk/providers"
)

// Quote reads the price right before buying: product-detailed-info for a
// voucher (seed L71: call it before purchasing "to validate prices integrity
// and Vouchers availability"), service-bill-inquire for a bill,
// calculate-topup-amount for a top-up. The prices are Bitaqaty's, passed on
// as they come (the engine refuses ones that make no sense).
func (c *Client) Quote(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	p := req.Product
	if p.ID == "" {
		return providers.Quote{}, providers.Refusal(ID, "quote", "MISSING_PRODUCT_CODE", "no product chosen")
	}
	if err := c.billsAllowed("quote", p); err != nil {
		return providers.Quote{}, err
	}
	var q providers.Quote
	var err error
	switch {
	case p.Extra[extraBill] != "true":
		q, err = c.quoteVoucher(ctx, req)
	case p.Extra[extraInquiryRequired] == "false":
		q, err = c.quoteTopUp(ctx, req)
	default:
		q, err = c.quoteBill(ctx, req)
	}
	return providers.CleanQuote(q), err
}

// billsAllowed refuses a bill or top-up in secured mode before anything is
// sent: the secured-integration variant documents no bill method (seed
// L1436-L2244 has check-balance, detailed-products-list,
// product-detailed-info, purchase-product, check-transaction-status,
// reconcile and get-merchant-list only).
func (c *Client) billsAllowed(op string, p providers.Product) error {
	if c.sec == nil || p.Extra[extraBill] != "true" {
		return nil
	}
	return providers.Refusal(ID, op, "NOT_IN_SECURED",
		"bills and top-ups are not part of Bitaqaty's secured integration: set secured = false in [providers.bitaqaty] to sell them")
}

// quoteVoucher asks product-detailed-info, seed L817-L960 (secured
// L1658-L1779): resellerUsername, password = MD5(resellerUsername +
// ProductID + secretKey) (L839), productID (L842).
func (c *Client) quoteVoucher(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	old := req.Product
	body := map[string]string{"resellerUsername": c.cfg.Username, "password": c.sign(old.ID), "productID": old.ID}
	var a productInfoAnswer
	if err := c.call(ctx, "quote", "product-detailed-info", body, &a); err != nil {
		return providers.Quote{}, err
	}
	w := a.product()
	if got := w.ProductID.text(); got != "" && got != old.ID {
		return providers.Quote{}, providers.Doubt(ID, "quote", "", "Bitaqaty answered about another product ("+clean(got)+")", nil)
	}
	w.ProductID = flexString(old.ID)
	if strings.TrimSpace(w.Currency) == "" {
		w.Currency = productCurrency(old) // L869 is 0..1: the catalogue's currency stands
	}
	p, _ := toProduct(w, false)
	fillFrom(&p, old, w)
	if !p.Available { // seed L870-L873
		return providers.Quote{}, providers.Refusal(ID, "quote", "NOT_AVAILABLE", "product is not available")
	}
	q := providers.Quote{Product: p, Fields: req.Fields, Quantity: 1}
	setPrices(&q, w.prices, w.Currency) // L863-L868
	return q, nil
}

// fillFrom keeps what the catalogue knew and product-detailed-info left out.
func fillFrom(p *providers.Product, old providers.Product, w wireProduct) {
	if strings.TrimSpace(w.name()) == "" {
		p.Name = old.Name
	}
	if strings.TrimSpace(w.MerchantNameEn) == "" {
		p.Brand = old.Brand
	}
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&p.NameAr, old.NameAr}, {&p.Brand, old.Brand}, {&p.BrandAr, old.BrandAr},
		{&p.Category, old.Category}, {&p.Country, old.Country}, {&p.HowToUse, old.HowToUse},
		{&p.HowToUseAr, old.HowToUseAr}, {&p.VATType, old.VATType},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	if p.FaceValue.IsZero() {
		p.FaceValue = old.FaceValue
	}
	for k, v := range old.Extra {
		if _, ok := p.Extra[k]; !ok {
			p.Extra[k] = v
		}
	}
}

// quoteTopUp asks calculate-topup-amount, seed L574-L665: resellerUsername,
// password = MD5(resellerUsername + productId + secretKey) (L595),
// productId (L596) and amount, a number of at least 5 (L597, the example's
// "amount":100 at L647).
func (c *Client) quoteTopUp(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	p := req.Product
	amt := req.Amount
	if amt.Cmp(minTopUp) < 0 {
		return providers.Quote{}, providers.Refusal(ID, "quote", "INVALID_AMOUNT", "the amount must be at least 5")
	}
	if err := p.ValidateAmount(amt); err != nil {
		return providers.Quote{}, providers.Refusal(ID, "quote", "INVALID_AMOUNT", err.Error())
	}
	body := map[string]any{
		"resellerUsername": c.cfg.Username,
		"password":         c.sign(p.ID),
		"productId":        p.ID,
		"amount":           json.Number(amt.String()), // a number, as in the seed
	}
	var a topupAnswer
	if err := c.call(ctx, "quote", "calculate-topup-amount", body, &a); err != nil {
		return providers.Quote{}, err
	}
	// The answer has no currency (L601-L614): the product's is used.
	cur := a.currencyOr(productCurrency(p))
	q := providers.Quote{Product: p, Fields: req.Fields, Amount: amt, Quantity: 1}
	setPrices(&q, a.prices, cur)
	q.Info = "Top-up of " + money.New(amt, cur).String()
	return q, nil
}

// quoteBill asks service-bill-inquire, seed L458-L573: resellerUsername,
// password = MD5(resellerUsername + productId + secretKey) (L480),
// productId (L483) and inputParameters keyed by the product's
// dynamicFormList (L484-L490).
func (c *Client) quoteBill(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	p := req.Product
	params := inputParams(p, req.Fields)
	if len(params) == 0 {
		return providers.Quote{}, providers.Refusal(ID, "quote", "MISSING_INPUT_PARAMETERS", clerkText["MISSING_INPUT_PARAMETERS"])
	}
	body := map[string]any{
		"resellerUsername": c.cfg.Username,
		"password":         c.sign(p.ID),
		"productId":        p.ID,
		"inputParameters":  params,
	}
	var a inquiryAnswer
	if err := c.call(ctx, "quote", "service-bill-inquire", body, &a); err != nil {
		return providers.Quote{}, err
	}
	hub, rs := a.ServiceHubStatusEnum.text(), a.RequestStatus.text()
	switch {
	case strings.EqualFold(hub, "No Due Bills") || strings.EqualFold(a.BillStatus.text(), "PAID"):
		return providers.Quote{}, providers.Refusal(ID, "quote", "NO_DUE_BILLS", "no bill is due on this account")
	case hub != "" && !strings.EqualFold(hub, "Success"):
		return providers.Quote{}, providers.Refusal(ID, "quote", enumCode(hub), "the bill inquiry failed: "+clean(hub))
	case strings.EqualFold(rs, "Failed"):
		return providers.Quote{}, providers.Refusal(ID, "quote", "INQUIRY_FAILED", "the bill inquiry failed")
	}
	ref := a.InquireReferenceNumber.text()
	if ref == "" {
		return providers.Quote{}, providers.Doubt(ID, "quote", "", "the bill inquiry came back without a reference", nil)
	}
	// The answer has no currency (L506-L520): the product's is used.
	cur := a.currencyOr(productCurrency(p))
	q := providers.Quote{Product: p, Fields: req.Fields, Amount: a.BillAmount, Quantity: 1,
		Extra: map[string]string{extraInquireRef: ref}}
	setPrices(&q, a.prices, cur) // L514-L519
	var info []string
	if t := strings.TrimSpace(a.InquiryInfoText); t != "" {
		info = append(info, t)
	}
	if d := a.DueDate.text(); d != "" {
		info = append(info, "Due date: "+clean(d))
	}
	if !a.BillAmount.IsZero() {
		info = append(info, "Bill amount: "+money.New(a.BillAmount, cur).String())
	}
	q.Info = strings.Join(info, "\n")
	return q, nil
}

// enumCode turns "Service Hub Not available" into SERVICE_HUB_NOT_AVAILABLE.
func enumCode(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(clean(s)), "_"))
}

// inputParams builds inputParameters from the clerk's values, with the
// defaults of fields the clerk did not fill (hidden ones in particular).
func inputParams(p providers.Product, values map[string]string) map[string]string {
	out := map[string]string{}
	for _, f := range p.Fields {
		v := strings.TrimSpace(values[f.Name])
		if v == "" {
			v = f.Default
		}
		if v != "" {
			out[f.Name] = v
		}
	}
	return out
}

// setPrices copies the six price fields every priced answer repeats (seed
// L219-L224): the cost to the shop and the recommended retail price, which
// Bitaqaty always gives, the reseller's own or else its customer price
// (L222). Nothing is filled in: a missing or zero price reaches the engine,
// which refuses it before the clerk sees it.
func setPrices(q *providers.Quote, pr prices, fallback string) {
	cur := pr.currencyOr(fallback)
	q.CostBeforeVAT = money.New(pr.CostPriceBeforeVat, cur)
	q.CostVAT = money.New(pr.CostPriceVatAmount, cur)
	q.Cost = money.New(pr.CostPriceAfterVat, cur)
	q.RetailBeforeVAT = money.New(pr.RecommendedRetailPriceBeforeVat, cur)
	q.RetailVAT = money.New(pr.RecommendedRetailPriceVatAmount, cur)
	q.Retail = money.New(pr.RecommendedRetailPriceAfterVat, cur)
}

// productCurrency is the currency the catalogue gave a product (its
// list's currency field, seed L225, L371).
func productCurrency(p providers.Product) string {
	for _, m := range []money.Money{p.Price, p.MinAmount, p.Cost} {
		if m.Currency != "" {
			return m.Currency
		}
	}
	return defaultCurrency
}

// Purchase buys under req.Ref with one POST: purchase-product for a
// voucher, service-bill-pay for a bill or top-up.
func (c *Client) Purchase(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	p := req.Quote.Product
	switch {
	case req.Ref == "":
		return providers.Result{}, providers.Refusal(ID, "purchase", "MISSING_RESELLER_REF_NUM", clerkText["MISSING_RESELLER_REF_NUM"])
	case len(req.Ref) > 50:
		return providers.Result{}, providers.Refusal(ID, "purchase", "INVALID_RESELLER_REF_NUM", "the sale reference is longer than 50 characters")
	case p.ID == "" || p.Provider != "" && p.Provider != ID:
		return providers.Result{}, providers.Refusal(ID, "purchase", "INVALID_PRODUCT_CODE", "this is not a Bitaqaty product")
	}
	if err := c.billsAllowed("purchase", p); err != nil {
		return providers.Result{}, err
	}
	var r providers.Result
	var err error
	switch {
	case p.Extra[extraBill] != "true":
		r, err = c.buyVoucher(ctx, req)
	default:
		r, err = c.payBill(ctx, req)
	}
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Err != nil {
		pe.Err = fmt.Errorf("ref %s: %w", req.Ref, pe.Err)
	}
	return providers.CleanResult(r), err
}

// buyVoucher sends purchase-product, seed L964-L1107 (secured
// L1783-L1910): resellerUsername, password = MD5(ResellerUsername +
// ProductID + ResellerRefNumber + SecretKey) (L985), productID (L988),
// resellerRefNumber (L989, at most 50) and the optional terminalId (L990).
func (c *Client) buyVoucher(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	p := req.Quote.Product
	id := p.ID
	body := struct {
		ResellerUsername  string `json:"resellerUsername"`
		Password          string `json:"password"`
		ProductID         string `json:"productID"`
		ResellerRefNumber string `json:"resellerRefNumber"`
		TerminalID        string `json:"terminalId,omitempty"`
	}{c.cfg.Username, c.sign(id, req.Ref), id, req.Ref, c.cfg.TerminalID}
	a, err := c.sale(ctx, "purchase-product", req.Ref, body)
	if err != nil {
		return providers.Result{}, err
	}
	return saleResult(a, p), nil
}

// payBill sends service-bill-pay, seed L666-L813: resellerUsername,
// password = MD5(ResellerUsername + resellerRefNumber + secretKey) (L688),
// resellerRefNumber (L692), the optional terminalID (L693), and either the
// inquiry's inquireReferenceNumber (L691) or, for a top-up, productId and
// inputParameters (L694-L696), never both (L698-L702).
func (c *Client) payBill(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	p := req.Quote.Product
	body := struct {
		ResellerUsername       string            `json:"resellerUsername"`
		Password               string            `json:"password"`
		InquireReferenceNumber string            `json:"inquireReferenceNumber,omitempty"`
		ResellerRefNumber      string            `json:"resellerRefNumber"`
		TerminalID             string            `json:"terminalID,omitempty"`
		ProductID              string            `json:"productId,omitempty"`
		InputParameters        map[string]string `json:"inputParameters,omitempty"`
	}{ResellerUsername: c.cfg.Username, Password: c.sign(req.Ref), ResellerRefNumber: req.Ref, TerminalID: c.cfg.TerminalID}
	// Never both: an inquiry bill sends only its inquiry, a top-up only its
	// product and input parameters.
	if p.Extra[extraInquiryRequired] == "false" {
		amt := req.Quote.Amount
		if amt.Cmp(minTopUp) < 0 {
			return providers.Result{}, providers.Refusal(ID, "purchase", "INVALID_AMOUNT", "the amount must be at least 5")
		}
		body.ProductID = p.ID
		body.InputParameters = inputParams(p, req.Quote.Fields)
		field := p.Extra[extraAmountField]
		if field == "" {
			field = "amount"
		}
		body.InputParameters[field] = amt.String()
	} else {
		body.InquireReferenceNumber = req.Quote.Extra[extraInquireRef]
		if body.InquireReferenceNumber == "" {
			return providers.Result{}, providers.Refusal(ID, "purchase", "MISSING_INQUIRE_REF_NUM_OR_PRODUCT_CODE", "inquire the bill before paying it")
		}
	}
	a, err := c.sale(ctx, "service-bill-pay", req.Ref, body)
	if err != nil {
		return providers.Result{}, err
	}
	return billResult(a, p), nil
}

// sale sends a purchase request and reads its answer. Anything but a clear
// answer is a doubt: the sale may have been made.
func (c *Client) sale(ctx context.Context, method, ref string, body any) (saleAnswer, error) {
	raw, err := c.post(ctx, "purchase", method, body)
	if err != nil {
		return saleAnswer{}, err
	}
	env, err := decodeEnvelope(raw)
	if err != nil {
		return saleAnswer{}, badAnswer("purchase", method, raw, err)
	}
	if !env.ok() {
		return saleAnswer{}, apiError("purchase", method, env)
	}
	a, err := parseSale(raw)
	if err != nil {
		return saleAnswer{}, badAnswer("purchase", method, raw, err)
	}
	if got := a.ResellerRefNumber.text(); got != "" && got != ref {
		return saleAnswer{}, providers.Doubt(ID, "purchase", "", "Bitaqaty answered about another sale ("+clean(got)+")", nil)
	}
	return a, nil
}

// eSIM facts copied from productItemDetails onto the voucher (seed
// L1037-L1043).
var esimKeys = []string{"iccid", "lpa", "matchingId", "qrcodeUrl", "qrcode", "directAppleInstallationUrl"}

// esimNote is said on an eSIM voucher whose answer carried no
// productItemDetails: the status answer (L1140-L1172) and the secured
// purchase answer (L1820-L1852) have none, so only the QR link remains.
const esimNote = "ICCID and LPA are not in this answer from Bitaqaty; open the QR link and scan it to install the eSIM"

// saleResult maps a purchase or status answer (purchase-product L997-L1049,
// check-transaction-status L1138-L1172) for product p.
func saleResult(a saleAnswer, p providers.Product) providers.Result {
	cur := a.currencyOr(productCurrency(p))
	r := providers.Result{
		State:       providers.Succeeded,
		ProviderRef: a.BbTrxRefNumber.text(),
		ProductID:   a.ProductID.text(),
		Charged:     money.New(a.CostPriceAfterVat, cur),
		At:          parseTime(a.PurchasingDate.text()),
	}
	if a.Balance.set {
		r.Balance = money.New(a.Balance.Decimal, cur)
	}
	v := providers.Voucher{
		Serial:   a.Serial.text(),
		PIN:      a.PIN.text(),
		Username: a.Username.text(),
		Expiry:   a.ItemExpirationDate.text(),
		IsQR:     bool(a.IsQrCode), // L1032, L1048
	}
	// An eSIM product's PIN is its QR code link even where the answer has
	// no isQrCode: esimSpecifications come "only if the product is an eSIM
	// (isQrcode = true)" (L238), and then "the pin parameter will carry a
	// URL pointing to the QR code" (L1048).
	esim := p.Extra[extraQR] == "true"
	if esim && isLink(v.PIN) {
		v.IsQR = true
	}
	details := itemDetails(a.ProductItemDetails)
	for i, d := range details {
		extra := map[string]string{}
		for _, k := range esimKeys {
			if s := d[k]; s != "" && len(s) <= 4096 {
				extra[k] = s
			}
		}
		if len(extra) == 0 {
			continue
		}
		if i == 0 {
			v.Extra = extra
		} else {
			r.Vouchers = append(r.Vouchers, providers.Voucher{Extra: extra})
		}
	}
	if esim && len(v.Extra) == 0 && v.PIN != "" {
		v.Extra = map[string]string{"eSIM": esimNote}
	}
	if v.Serial != "" || v.PIN != "" || v.Username != "" || len(v.Extra) > 0 {
		r.Vouchers = append([]providers.Voucher{v}, r.Vouchers...)
	}
	return r
}

func isLink(s string) bool {
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// billResult maps a service-bill-pay answer (L706-L731) or the status of a
// payment. The payment answer has no bbTrxRefNumber; its item ID (L724) is
// Bitaqaty's reference for the payment.
func billResult(a saleAnswer, p providers.Product) providers.Result {
	r := saleResult(a, p)
	ref := firstNonEmpty(a.ItemID.text(), a.BbTrxRefNumber.text())
	if r.ProviderRef == "" {
		r.ProviderRef = ref
	}
	hub, rs := a.ServiceHubStatusEnum.text(), a.RequestStatus.text()
	if strings.EqualFold(rs, "Failed") || hub != "" && !strings.EqualFold(hub, "Success") { // L722-L723
		r.State, r.Vouchers, r.Charged = providers.Failed, nil, money.Money{}
		r.Message = "the payment failed: " + clean(firstNonEmpty(hub, rs))
		return r
	}
	v := providers.Voucher{Reference: ref, Extra: map[string]string{}}
	if s := a.BillStatus.text(); s != "" {
		v.Extra["billStatus"] = s
	}
	if s := a.InquireReferenceNumber.text(); s != "" {
		v.Extra["inquireReferenceNumber"] = s
	}
	r.Vouchers = []providers.Voucher{v}
	return r
}
