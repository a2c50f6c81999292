package bitaqaty

import (
	"encoding/json"
	"strings"
	"testing"

	"kiosk/money"
	"kiosk/providers"
)

// Answers shaped like the seed's response tables.
const (
	seedProducts = `{"status":true,"errorCode":null,"requestSrvTime":"2024-05-01 10:00:00","products":[
 {"productID":"2862","nameAr":"بطاقة آيتونز 50 ريال","nameEn":"iTunes 50 SAR","vatType":"SM","vatPercentage":15.0,
  "faceValue":50.0,"costPriceBeforeVat":48.5,"costPriceVatAmount":0,"costPriceAfterVat":48.5,
  "recommendedRetailPriceBeforeVat":"50.87","recommendedRetailPriceVatAmount":"0.13","recommendedRetailPriceAfterVat":"51.00",
  "currency":"SAR","available":"true","merchantid":101,"merchantNameAr":"آيتونز","merchantNameEn":"iTunes",
  "categoryNameAr":"بطاقات الهدايا","categoryNameEn":"Gift Cards","howToUseEn":"Redeem in the App Store"},
 {"productID":8101,"nameEn":"eSIM 10 GB","available":false,"isQrCode":true,"costPriceAfterVat":59.8,"recommendedRetailPriceAfterVat":69,
  "esimSpecifications":[{"data":"10 GB","calls":"N/A","duration":"30 days"}]}]}`
	seedBills = `{"status":"true","billProducts":[
 {"productID":"123","nameEn":"SEC Electricity Bill","merchantid":"201","merchantNameEn":"Saudi Electricity Company","inquiryRequired":true,
  "dynamicFormList":[{"inputType":"N","inputName":"accountNumber","inputTitleEn":"Account number","minLength":"11","maxLength":11,"required":true,"confirmRequired":"true","position":1}]},
 {"productID":"333","nameEn":"Mobily Prepaid Top-up","inquiryRequired":"false","dynamicFormList":[
  {"inputType":"RANGE","inputName":"amount","inputTitleEn":"Amount","minValue":5,"maxValue":500.0,"position":2,"required":true},
  {"inputType":"TEXT","inputName":"channel","visible":false,"inputDefaultValue":"POS","position":3},
  {"inputType":"N","inputName":"mobileNumber","inputTitleEn":"Mobile number","minLength":10,"maxLength":10,"position":1,"required":true}]}]}`
	seedInfo        = `{"status":true,"productID":2862,"nameAr":"بطاقة آيتونز","nameEr":"iTunes 50 SAR","costPriceAfterVat":48.5,"recommendedRetailPriceAfterVat":52,"available":true,"currency":"SAR"}`
	seedInfoWrapped = `{"status":true,"product":{"productId":"2862","nameEn":"iTunes 50 SAR","costPriceAfterVat":"48.50","available":"false"}}`
	seedPurchase    = `{"status":true,"purchasingDate":"2024-05-01 10:00:05","bbTrxRefNumber":"BB0004000001","resellerRefNumber":"onecard123",
 "costPriceBeforeVat":48.5,"costPriceVatAmount":0,"costPriceAfterVat":48.5,"recommendedRetailPriceAfterVat":51,"balance":4951.5,"currency":"SAR",
 "productType":2,"serial":"101000000001","pin":"XK4M7P2Q9R3T5V8W","username":"null","itemExpirationDate":"2025-05-01","isQrCode":false}`
	seedESIM = `{"status":true,"bbTrxRefNumber":"BB1","costPriceAfterVat":"59.80","currency":"SAR","productType":"3","serial":"null","username":"null",
 "pin":"https://esim.sandbox.test/qr/1.png","isQrCode":"true","productItemDetails":[{"iccid":"8996601000000000001","lpa":"LPA:1$smdp.test$ABC",
 "matchingId":"ABC","qrcodeUrl":"https://esim.sandbox.test/qr/1.png","qrcode":"LPA:1$smdp.test$ABC","directAppleInstallationUrl":"https://esimsetup.apple.com/x"}]}`
	seedInquiry = `{"status":true,"inquireReferenceNumber":"6556a1b2-0001-4abc-8def-0123456789ab","requestStatus":"Success","serviceHubStatusEnum":"Success",
 "consumerNumber":"30012345678","dueDate":"2024-05-11","billStatus":"UNPAID","billAmount":245.75,"costPriceAfterVat":245.75,"recommendedRetailPriceAfterVat":245.75,
 "inquiryInfoText":"Customer: Noura Al-Shehri\nAccount: 30012345678"}`
	seedTopup     = `{"status":true,"costPriceBeforeVat":85.22,"costPriceVatAmount":12.78,"costPriceAfterVat":98,"recommendedRetailPriceBeforeVat":86.96,"recommendedRetailPriceVatAmount":13.04,"recommendedRetailPriceAfterVat":100}`
	seedReconcile = `{"status":true,"transactions":[{"transactionDate":"2022-05-01 14:00:00","bbTrxRefNumber":"BB1","resellerRefNumber":"onecard123","terminalID":"T1",
 "productID":"2862","productName":"iTunes 50 SAR","costPriceAfterVat":48.5,"currency":"SAR","serial":"101000000001","purchaseStatus":"SUCCESS"}]}`
	seedError   = `{"status":false,"errorCode":"301","errorMessage":"OUT_OF_STOCK","errorDesc":"No Vouchers exist in stock"}`
	seedBalance = `{"status":true,"balance":5000.0,"currency":"SAR"}`
)

func TestMapProducts(t *testing.T) {
	a, err := parseProducts([]byte(seedProducts))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := toProduct(a.Products[0], false)
	if !ok {
		t.Fatal("product dropped")
	}
	sar := func(s string) money.Money { return money.New(money.MustParse(s), "SAR") }
	if p.ID != "2862" || p.Provider != ID || p.Kind != providers.KindVoucher || p.PriceKind != providers.PriceFixed ||
		!p.Price.Equal(sar("51")) || !p.Cost.Equal(sar("48.5")) || !p.FaceValue.Equal(sar("50")) ||
		p.Brand != "iTunes" || p.BrandAr != "آيتونز" || p.Category != "Gift Cards" || p.NameAr == "" ||
		p.VATType != "SM" || p.VATPercent.Cmp(money.FromInt(15)) != 0 || !p.Available || p.HowToUse == "" ||
		p.Extra[extraMerchantID] != "101" {
		t.Errorf("voucher mapped wrong: %+v", p)
	}
	e, _ := toProduct(a.Products[1], false)
	if e.ID != "8101" || e.Available || e.Extra["isQrCode"] != "true" || e.Extra["esimData"] != "10 GB" || e.Brand != "eSIM 10 GB" {
		t.Errorf("eSIM product mapped wrong: %+v", e)
	}
}

func TestMapBillProducts(t *testing.T) {
	a, err := parseProducts([]byte(seedBills))
	if err != nil {
		t.Fatal(err)
	}
	bill, _ := toProduct(a.BillProducts[0], true)
	if bill.Kind != providers.KindBill || bill.Extra[extraBill] != "true" || bill.Extra[extraInquiryRequired] != "true" || len(bill.Fields) != 1 {
		t.Fatalf("bill mapped wrong: %+v", bill)
	}
	f := bill.Fields[0]
	if f.Name != "accountNumber" || f.Kind != providers.FieldDigits || f.MinLen != 11 || f.MaxLen != 11 || !f.Required || !f.Confirm {
		t.Errorf("account field = %+v", f)
	}
	top, _ := toProduct(a.BillProducts[1], true)
	if top.PriceKind != providers.PriceRange || top.MinAmount.Amount.Cmp(money.FromInt(5)) != 0 ||
		top.MaxAmount.Amount.Cmp(money.FromInt(500)) != 0 || top.Extra[extraAmountField] != "amount" || top.Extra[extraInquiryRequired] != "false" {
		t.Fatalf("top-up mapped wrong: %+v", top)
	}
	// The RANGE field became the sale amount; the rest keep position order.
	if len(top.Fields) != 2 || top.Fields[0].Name != "mobileNumber" || top.Fields[0].Kind != providers.FieldPhone ||
		top.Fields[1].Name != "channel" || !top.Fields[1].Hidden || top.Fields[1].Default != "POS" || top.Fields[1].Required {
		t.Errorf("top-up fields = %+v", top.Fields)
	}
	if got := inputParams(top, map[string]string{"mobileNumber": " 0551234567 "}); got["mobileNumber"] != "0551234567" || got["channel"] != "POS" {
		t.Errorf("inputParams = %v", got)
	}
}

func TestProductInfoShapes(t *testing.T) {
	for _, body := range []string{seedInfo, seedInfoWrapped} {
		a, err := parseProductInfo([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		w := a.product()
		if w.ProductID.text() != "2862" || w.name() != "iTunes 50 SAR" || w.CostPriceAfterVat.Cmp(money.MustParse("48.5")) != 0 {
			t.Errorf("%s: read %+v", body, w)
		}
	}
	a, _ := parseProductInfo([]byte(seedInfoWrapped))
	if p, _ := toProduct(a.product(), false); p.Available {
		t.Error(`"available":"false" read as available`)
	}
}

func TestSaleResult(t *testing.T) {
	a, err := parseSale([]byte(seedPurchase))
	if err != nil {
		t.Fatal(err)
	}
	r := saleResult(a)
	if r.State != providers.Succeeded || r.ProviderRef != "BB0004000001" || !r.Charged.Equal(money.New(money.MustParse("48.5"), "SAR")) ||
		!r.Balance.Equal(money.New(money.MustParse("4951.5"), "SAR")) || r.At.IsZero() || len(r.Vouchers) != 1 {
		t.Fatalf("result = %+v", r)
	}
	v := r.Vouchers[0]
	if v.Serial != "101000000001" || v.PIN != "XK4M7P2Q9R3T5V8W" || v.Username != "" || v.Expiry != "2025-05-01" || v.IsQR {
		t.Errorf("voucher = %+v", v)
	}
	a, err = parseSale([]byte(seedESIM))
	if err != nil {
		t.Fatal(err)
	}
	v = saleResult(a).Vouchers[0]
	if !v.IsQR || v.Serial != "" || v.Username != "" || !strings.HasPrefix(v.PIN, "https://") ||
		v.Extra["iccid"] != "8996601000000000001" || v.Extra["matchingId"] != "ABC" || v.Extra["directAppleInstallationUrl"] == "" {
		t.Errorf("eSIM voucher = %+v", v)
	}
	// productItemDetails as a single object is read too.
	one := strings.Replace(strings.Replace(seedESIM, `[{"iccid"`, `{"iccid"`, 1), `}]}`, `}}`, 1)
	if a, err := parseSale([]byte(one)); err != nil || saleResult(a).Vouchers[0].Extra["lpa"] == "" {
		t.Errorf("object productItemDetails: %v", err)
	}
}

func TestStrictPrices(t *testing.T) {
	for _, bad := range []string{
		`{"status":true,"costPriceAfterVat":"forty"}`,
		`{"status":true,"costPriceAfterVat":48.1234567}`,
		`{"status":true,"costPriceAfterVat":true}`,
	} {
		if _, err := parseSale([]byte(bad)); err == nil {
			t.Errorf("price accepted in %s", bad)
		}
	}
}

func TestFlexValues(t *testing.T) {
	var v struct {
		B1, B2, B3, B4 flexBool
		S1, S2, S3     flexString
		N1, N2         flexInt
	}
	err := json.Unmarshal([]byte(`{"B1":true,"B2":"True","B3":1,"B4":null,"S1":2862,"S2":"null","S3":"x","N1":"7","N2":3}`), &v)
	if err != nil {
		t.Fatal(err)
	}
	if !v.B1 || !v.B2 || !v.B3 || v.B4 || v.S1.text() != "2862" || v.S2.text() != "" || v.S3.text() != "x" || v.N1 != 7 || v.N2 != 3 {
		t.Errorf("flex values = %+v", v)
	}
	if json.Unmarshal([]byte(`{"B1":"maybe"}`), &v) == nil {
		t.Error(`"maybe" accepted as a boolean`)
	}
}

func TestParseReconcile(t *testing.T) {
	recs, err := parseReconcile([]byte(seedReconcile))
	if err != nil || len(recs) != 1 || recs[0].ResellerRefNumber.text() != "onecard123" || recs[0].TerminalID.text() != "T1" {
		t.Fatalf("records = %+v, %v", recs, err)
	}
	if got := parseTime(recs[0].TransactionDate.text()); got.UTC().Format(wireTime) != "2022-05-01 11:00:00" {
		t.Errorf("transactionDate read as %v (want KSA time)", got)
	}
	// Another list name, and a single record at the top level.
	for _, body := range []string{
		`{"status":true,"reconcileList":[{"resellerRefNumber":"1","costPriceAfterVat":"1.5"}],"notes":["a","b"]}`,
		`{"status":true,"resellerRefNumber":"1","costPriceAfterVat":1.5}`,
	} {
		if recs, err := parseReconcile([]byte(body)); err != nil || len(recs) != 1 || recs[0].ResellerRefNumber.text() != "1" {
			t.Errorf("%s: %+v, %v", body, recs, err)
		}
	}
}

// Every documented code has a clerk message, and the purchase outcomes are
// the documented ones: refusals, except a duplicate reference, a re-used
// inquiry and an internal error, which leave the sale in doubt.
func TestErrorCodes(t *testing.T) {
	doubt := map[string]bool{"206": true, "125": true, "500": true}
	for code, name := range byNumber {
		if clerkText[name] == "" {
			t.Errorf("%s %s has no clerk message", code, name)
		}
		e := apiError("purchase", envelope{ErrorCode: flexString(code)})
		if e.Code != name || e.Message == "" || strings.Contains(e.Message, name) {
			t.Errorf("%s: error = %+v", code, e)
		}
		if got := !providers.IsRefused(e); got != doubt[code] {
			t.Errorf("%s %s: doubt = %v, want %v", code, name, got, doubt[code])
		}
	}
	// The name wins over a number with two meanings.
	if e := apiError("quote", envelope{ErrorCode: "102", ErrorMessage: "INVALID_AMOUNT"}); e.Code != "INVALID_AMOUNT" {
		t.Errorf("102 INVALID_AMOUNT read as %s", e.Code)
	}
	if e := apiError("catalog", envelope{ErrorCode: "203", ErrorMessage: "INVALID_MERCHANT_ID"}); e.Code != "INVALID_MERCHANT_ID" {
		t.Errorf("203 INVALID_MERCHANT_ID read as %s", e.Code)
	}
	// Outside a purchase a duplicate is just a refusal; undocumented is doubt.
	if e := apiError("status", envelope{ErrorCode: "206"}); !providers.IsRefused(e) {
		t.Error("206 outside purchase is not a refusal")
	}
	if e := apiError("purchase", envelope{ErrorCode: "999", ErrorDesc: "strange\nthing"}); providers.IsRefused(e) || e.Code != "999" || strings.Contains(e.Message, "\n") {
		t.Errorf("undocumented code: %+v", e)
	}
}

// Fuzz targets: every parser must fail cleanly, never panic.

func FuzzEnvelope(f *testing.F) {
	for _, s := range []string{seedError, seedBalance, `{"status":"True"}`, `<html>`, `{"status":`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if e, err := decodeEnvelope(b); err == nil && !e.ok() {
			_ = apiError("purchase", e).Error()
		}
	})
}

func FuzzProducts(f *testing.F) {
	for _, s := range []string{seedProducts, seedBills, `{"status":true,"products":[{"productID":null}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := parseProducts(b)
		if err != nil {
			return
		}
		for _, w := range append(a.Products, a.BillProducts...) {
			if p, ok := toProduct(w, true); ok && p.ID == "" {
				t.Fatal("product without ID")
			}
		}
	})
}

func FuzzProductInfo(f *testing.F) {
	for _, s := range []string{seedInfo, seedInfoWrapped, `{"product":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := parseProductInfo(b); err == nil {
			toProduct(a.product(), false)
		}
	})
}

func FuzzSale(f *testing.F) {
	for _, s := range []string{seedPurchase, seedESIM, `{"status":true,"productItemDetails":{"iccid":1}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := parseSale(b); err == nil {
			saleResult(a)
			billResult(a, providers.Product{ID: "1"})
		}
	})
}

func FuzzInquiry(f *testing.F) {
	f.Add([]byte(seedInquiry))
	f.Add([]byte(seedTopup))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parseInquiry(b)
		_, _ = parseTopup(b)
	})
}

func FuzzBalance(f *testing.F) {
	f.Add([]byte(seedBalance))
	f.Add([]byte(`{"status":true,"merchantList":[{"merchantId":101,"merchantNameEn":"iTunes"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := parseBalance(b); err == nil && a.ok() && a.Balance == nil {
			t.Fatal("balance answer without balance accepted")
		}
		_, _ = parseMerchants(b)
	})
}

func FuzzReconcile(f *testing.F) {
	f.Add([]byte(seedReconcile))
	f.Add([]byte(`{"status":true,"resellerRefNumber":"1"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if recs, err := parseReconcile(b); err == nil {
			for _, r := range recs {
				parseTime(r.TransactionDate.text())
			}
		}
	})
}
