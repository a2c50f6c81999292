package bitaqaty

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"kiosk/money"
	"kiosk/providers"
)

// Quote reads the price right before buying: product-detailed-info for a
// voucher (the seed asks resellers to re-check price and availability),
// service-bill-inquire for a bill, calculate-topup-amount for a top-up.
func (c *Client) Quote(ctx context.Context, req providers.QuoteRequest) (providers.Quote, error) {
	p := req.Product
	if p.ID == "" {
		return providers.Quote{}, providers.Refusal(ID, "quote", "MISSING_PRODUCT_CODE", "no product chosen")
	}
	switch {
	case p.Extra[extraBill] != "true":
		return c.quoteVoucher(ctx, req)
	case p.Extra[extraInquiryRequired] == "false":
		return c.quoteTopUp(ctx, req)
	default:
		return c.quoteBill(ctx, req)
	}
}

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
	p, _ := toProduct(w, false)
	fillFrom(&p, old, w)
	if !p.Available {
		return providers.Quote{}, providers.Refusal(ID, "quote", "NOT_AVAILABLE", "product is not available")
	}
	if w.CostPriceAfterVat.Sign() <= 0 {
		return providers.Quote{}, providers.Refusal(ID, "quote", "NO_PRICE", "Bitaqaty gave no price for this product")
	}
	q := providers.Quote{Product: p, Fields: req.Fields, Quantity: 1}
	setPrices(&q, w.prices)
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
	if a.CostPriceAfterVat.Sign() <= 0 {
		return providers.Quote{}, providers.Refusal(ID, "quote", "NO_PRICE", "Bitaqaty gave no price for this amount")
	}
	q := providers.Quote{Product: p, Fields: req.Fields, Amount: amt, Quantity: 1}
	setPrices(&q, a.prices)
	q.Info = "Top-up of " + money.New(amt, a.currency()).String()
	return q, nil
}

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
	q := providers.Quote{Product: p, Fields: req.Fields, Amount: a.BillAmount, Quantity: 1,
		Extra: map[string]string{extraInquireRef: ref}}
	setPrices(&q, a.prices)
	if q.Cost.IsZero() {
		if a.BillAmount.Sign() <= 0 {
			return providers.Quote{}, providers.Refusal(ID, "quote", "NO_PRICE", "the bill inquiry gave no amount")
		}
		q.Cost, q.Retail = money.New(a.BillAmount, a.currency()), money.New(a.BillAmount, a.currency())
	}
	var info []string
	if t := strings.TrimSpace(a.InquiryInfoText); t != "" {
		info = append(info, t)
	}
	if d := a.DueDate.text(); d != "" {
		info = append(info, "Due date: "+clean(d))
	}
	if !a.BillAmount.IsZero() {
		info = append(info, "Bill amount: "+money.New(a.BillAmount, a.currency()).String())
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

func setPrices(q *providers.Quote, pr prices) {
	cur := pr.currency()
	q.CostBeforeVAT = money.New(pr.CostPriceBeforeVat, cur)
	q.CostVAT = money.New(pr.CostPriceVatAmount, cur)
	q.Cost = money.New(pr.CostPriceAfterVat, cur)
	q.RetailBeforeVAT = money.New(pr.RecommendedRetailPriceBeforeVat, cur)
	q.RetailVAT = money.New(pr.RecommendedRetailPriceVatAmount, cur)
	q.Retail = money.New(pr.RecommendedRetailPriceAfterVat, cur)
	if q.Retail.IsZero() {
		q.Retail = q.Cost // no recommended price: sell at cost rather than at zero
	}
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
	var r providers.Result
	var err error
	switch {
	case p.Extra[extraBill] != "true":
		r, err = c.buyVoucher(ctx, req)
	default:
		r, err = c.payBill(ctx, req)
	}
	if pe, ok := err.(*providers.Error); ok && pe.Err != nil {
		pe.Err = fmt.Errorf("ref %s: %w", req.Ref, pe.Err)
	}
	return r, err
}

func (c *Client) buyVoucher(ctx context.Context, req providers.PurchaseRequest) (providers.Result, error) {
	id := req.Quote.Product.ID
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
	return saleResult(a), nil
}

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
		return saleAnswer{}, apiError("purchase", env)
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

// eSIM facts copied from productItemDetails onto the voucher.
var esimKeys = []string{"iccid", "lpa", "matchingId", "qrcodeUrl", "qrcode", "directAppleInstallationUrl"}

// saleResult maps a purchase or status answer.
func saleResult(a saleAnswer) providers.Result {
	cur := a.currency()
	r := providers.Result{
		State:       providers.Succeeded,
		ProviderRef: a.BbTrxRefNumber.text(),
		ProductID:   a.ProductID.text(),
		Charged:     money.New(a.CostPriceAfterVat, cur),
		At:          parseTime(a.PurchasingDate.text()),
	}
	if a.Balance != nil {
		r.Balance = money.New(*a.Balance, cur)
	}
	v := providers.Voucher{
		Serial:   a.Serial.text(),
		PIN:      a.PIN.text(),
		Username: a.Username.text(),
		Expiry:   a.ItemExpirationDate.text(),
		IsQR:     bool(a.IsQrCode),
	}
	for i, d := range itemDetails(a.ProductItemDetails) {
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
	if v.Serial != "" || v.PIN != "" || v.Username != "" || len(v.Extra) > 0 {
		r.Vouchers = append([]providers.Voucher{v}, r.Vouchers...)
	}
	return r
}

// billResult maps a service-bill-pay answer. It has no bbTrxRefNumber; the
// item ID is Bitaqaty's reference for the payment.
func billResult(a saleAnswer, p providers.Product) providers.Result {
	r := saleResult(a)
	if r.ProductID == "" {
		r.ProductID = p.ID
	}
	ref := firstNonEmpty(a.ItemID.text(), a.BbTrxRefNumber.text())
	if r.ProviderRef == "" {
		r.ProviderRef = ref
	}
	hub, rs := a.ServiceHubStatusEnum.text(), a.RequestStatus.text()
	if strings.EqualFold(rs, "Failed") || hub != "" && !strings.EqualFold(hub, "Success") {
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
