package bitaqaty

// The sandbox's handlers, one per Bitaqaty method. Each checks its
// parameters under the exact keys the seed gives and the method's password.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"kiosk/money"
)

func (s *Sandbox) checkBalance(req map[string]json.RawMessage) answer {
	if a := s.auth(req); a != nil {
		return a
	}
	a := s.ok()
	a["balance"], a["currency"] = amount(s.balance), defaultCurrency
	return a
}

func (s *Sandbox) merchantList(req map[string]json.RawMessage) answer {
	if a := s.auth(req); a != nil {
		return a
	}
	billOnly, billSet := param(req, "billMerchantsOnly")
	esimOnly, esimSet := param(req, "esimMerchantsOnly")
	var list []answer
	for _, m := range demoMerchants {
		bill, esim := m.id >= 200, m.id == 112
		switch {
		case billOnly == "true" && !bill, esimOnly == "true" && !esim:
			continue
		case billSet && esimSet && billOnly == "false" && esimOnly == "false" && (bill || esim):
			continue
		}
		list = append(list, answer{"merchantId": m.id, "merchantNameAr": m.ar, "merchantNameEn": m.en})
	}
	a := s.ok()
	a["merchantList"] = list
	return a
}

func (s *Sandbox) productList(req map[string]json.RawMessage, bills bool) answer {
	mid, _ := param(req, "merchantId")
	if a := s.auth(req, mid); a != nil {
		return a
	}
	want := 0
	if mid != "" {
		n, err := strconv.Atoi(mid)
		if err != nil || n <= 0 {
			return fail("203", "INVALID_MERCHANT_ID")
		}
		want = n
	}
	var list []answer
	for _, id := range s.order {
		p := s.products[id]
		if p.bill != bills || want != 0 && p.merchant != want {
			continue
		}
		list = append(list, s.productJSON(p, false))
	}
	if len(list) == 0 {
		return fail("305", codeNoProducts)
	}
	a := s.ok()
	if bills {
		a["billProducts"] = list
	} else {
		a["products"] = list
	}
	return a
}

// productJSON writes a product the way the lists do, or (info) the way
// product-detailed-info does: numeric productID and the seed's "nameEr".
func (s *Sandbox) productJSON(p *sbProduct, info bool) answer {
	m := s.merchants[p.merchant]
	a := answer{
		"productID": p.id, "nameAr": p.ar, "nameEn": p.en,
		"vatType": p.vatType, "vatPercentage": vatPercent(p.vatType), "currency": defaultCurrency,
		"available": !p.off, "merchantid": p.merchant,
		"merchantNameAr": m.ar, "merchantNameEn": m.en,
		"categoryNameAr": m.catAr, "categoryNameEn": m.catEn,
		"howToUseAr": m.howAr, "howToUseEn": m.howEn,
		"image": fmt.Sprintf("https://images.sandbox.test/products/%s.png", p.id),
	}
	if info {
		delete(a, "nameEn")
		a["nameEr"] = p.en
		a["productID"] = json.Number(p.id)
	}
	if !p.bill {
		ps := vatPrices(p.vatType, p.face, p.cost, p.retail)
		ps.put(a)
		a["faceValue"] = amount(p.face)
	}
	if p.esim {
		a["isQrCode"] = true
		a["esimSpecifications"] = []answer{{"data": strings.Fields(p.en)[len(strings.Fields(p.en))-4] + " GB", "calls": "N/A", "duration": strings.Fields(p.en)[len(strings.Fields(p.en))-2] + " days"}}
	}
	if p.bill {
		a["inquiryRequired"] = p.inquiry
		var form []answer
		for _, f := range p.form {
			fa := answer{
				"inputType": f.inputType, "inputName": f.name, "inputTitleEn": f.en, "inputTitleAr": f.ar,
				"inputPlaceHolderEn": f.en, "inputPlaceHolderAr": f.ar, "inputDefaultValue": f.def,
				"position": f.position, "visible": !f.hidden, "required": f.required,
				"minLength": f.minLen, "maxLength": f.maxLen, "confirmRequired": f.confirm,
				"isDynamicField": true, "clientId": false, "serviceId": p.merchant,
			}
			if f.inputType == "RANGE" {
				fa["minValue"], fa["maxValue"] = f.minValue, f.maxValue
			}
			form = append(form, fa)
		}
		a["dynamicFormList"] = form
	}
	return a
}

func (s *Sandbox) productInfo(req map[string]json.RawMessage) answer {
	id, _ := param(req, "productID")
	if id == "" {
		return fail("103", "MISSING_PRODUCT_CODE")
	}
	if a := s.auth(req, id); a != nil {
		return a
	}
	p := s.products[id]
	if p == nil {
		return fail("203", "INVALID_PRODUCT_CODE")
	}
	a := s.ok()
	for k, v := range s.productJSON(p, true) {
		a[k] = v
	}
	return a
}

func (s *Sandbox) topupAmount(req map[string]json.RawMessage) answer {
	id, _ := param(req, "productId")
	amt, hasAmt := param(req, "amount")
	switch {
	case id == "":
		return fail("103", "MISSING_PRODUCT_CODE")
	case !hasAmt || amt == "":
		return fail("124", "MISSING_AMOUNT")
	}
	if a := s.auth(req, id); a != nil {
		return a
	}
	p := s.products[id]
	if p == nil || !p.bill || p.inquiry {
		return fail("203", "INVALID_PRODUCT_CODE")
	}
	ps, bad := topupPrices(p, amt)
	if bad != nil {
		return bad
	}
	a := s.ok()
	ps.put(a)
	return a
}

// topupPrices prices a top-up of amt (VAT included in the amount; the
// reseller pays 98%).
func topupPrices(p *sbProduct, amt string) (priceSet, answer) {
	d, err := money.Parse(amt)
	if err != nil || d.Cmp(d.Round(2)) != 0 {
		return priceSet{}, fail("126", "INVALID_AMOUNT")
	}
	h := halalas(d)
	if h < 500 {
		return priceSet{}, fail("102", "INVALID_AMOUNT")
	}
	for _, f := range p.form {
		if f.inputType == "RANGE" && f.maxValue > 0 && h > f.maxValue*100 {
			return priceSet{}, fail("126", "INVALID_AMOUNT")
		}
	}
	var ps priceSet
	ps.rrpAfter = h
	ps.rrpBefore = divRound(h*100, 115)
	ps.rrpVat = h - ps.rrpBefore
	ps.costBefore = divRound(ps.rrpBefore*98, 100)
	ps.costVat = divRound(ps.costBefore*15, 100)
	ps.costAfter = ps.costBefore + ps.costVat
	return ps, nil
}

var billHolders = []string{"Mohammed Al-Qahtani", "Fatimah Al-Harbi", "Abdullah Al-Otaibi", "Noura Al-Shehri", "Khalid Al-Ghamdi"}

func (s *Sandbox) billInquire(req map[string]json.RawMessage) answer {
	id, _ := param(req, "productId")
	if id == "" {
		return fail("103", "MISSING_PRODUCT_CODE")
	}
	var params map[string]flexString
	if raw, ok := req["inputParameters"]; !ok || json.Unmarshal(raw, &params) != nil || len(params) == 0 {
		return fail("123", "MISSING_INPUT_PARAMETERS")
	}
	if a := s.auth(req, id); a != nil {
		return a
	}
	p := s.products[id]
	if p == nil || !p.bill || !p.inquiry {
		return fail("203", "INVALID_PRODUCT_CODE")
	}
	a := s.ok()
	acct := ""
	for _, f := range p.form {
		v := params[f.name].text()
		if f.required && v == "" {
			return fail("123", "MISSING_INPUT_PARAMETERS")
		}
		if f.inputType == "N" && f.name == "accountNumber" {
			acct = v
			if !digitsLen(v, f.minLen, f.maxLen) {
				a["requestStatus"], a["serviceHubStatusEnum"] = "Failed", "Failed"
				return a
			}
		}
	}
	if strings.HasSuffix(acct, "0000") {
		a["requestStatus"], a["serviceHubStatusEnum"], a["billStatus"] = "Success", "No Due Bills", "PAID"
		a["consumerNumber"] = acct
		return a
	}
	var h int64
	for _, r := range acct {
		h = (h*31 + int64(r-'0')) % 40000
	}
	bill := 2500 + h // 25.00 to 424.99 SAR
	ps := priceSet{costBefore: bill, costAfter: bill, rrpBefore: bill, rrpAfter: bill}
	s.seq++
	ref := fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", s.rnd.Uint32(), s.seq&0xffff, s.rnd.IntN(0x1000), s.rnd.IntN(0x1000), s.rnd.Int64N(1<<48))
	s.inquiries[ref] = &sbInquiry{ref: ref, productID: id, price: ps}
	now := s.now().In(ksa)
	holder := billHolders[int(h)%len(billHolders)]
	a["inquireReferenceNumber"] = ref
	a["requestStatus"], a["serviceHubStatusEnum"], a["billStatus"] = "Success", "Success", "UNPAID"
	a["consumerNumber"] = acct
	a["dueDate"] = now.AddDate(0, 0, 10).Format("2006-01-02")
	a["billAmount"] = amount(bill)
	a["inquiryInfoText"] = fmt.Sprintf("Customer: %s\nAccount: %s\nInvoice: %d\nPeriod: %s", holder, acct, 700000000+h, now.AddDate(0, -1, 0).Format("January 2006"))
	ps.put(a)
	return a
}

func digitsLen(v string, minLen, maxLen int) bool {
	if v == "" || minLen > 0 && len(v) < minLen || maxLen > 0 && len(v) > maxLen {
		return false
	}
	for _, r := range v {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// purchase is purchase-product. Checks run under the lock, then the fault
// hooks run without it, then the checks run again and the sale commits.
func (s *Sandbox) purchase(w http.ResponseWriter, r *http.Request, req map[string]json.RawMessage) (answer, bool) {
	id, _ := param(req, "productID")
	ref, _ := param(req, "resellerRefNumber")
	terminal, _ := param(req, "terminalId")
	check := func() (*sbProduct, answer) {
		switch {
		case id == "":
			return nil, fail("103", "MISSING_PRODUCT_CODE")
		case ref == "":
			return nil, fail("104", "MISSING_RESELLER_REF_NUM")
		}
		if a := s.auth(req, id, ref); a != nil {
			return nil, a
		}
		p := s.products[id]
		switch {
		case len(ref) > 50:
			return nil, fail("204", "INVALID_RESELLER_REF_NUM")
		case len(terminal) > 255:
			return nil, fail("205", "INVALID_TERMINAL_ID")
		case s.sales[ref] != nil:
			return nil, fail("206", codeDuplicateRef)
		case p == nil || p.bill:
			return nil, fail("203", "INVALID_PRODUCT_CODE")
		case p.off || p.stockLeft <= 0 || s.Faults.OutOfStock():
			s.recordFailed(ref, terminal, p)
			return nil, fail("301", codeOutOfStock)
		case s.Faults.NoBalance() || s.balance < vatPrices(p.vatType, p.face, p.cost, p.retail).costAfter:
			s.recordFailed(ref, terminal, p)
			return nil, fail("302", codeNoBalance)
		}
		return p, nil
	}
	p, bad, held := checkTwice(s, r, ref, check)
	if bad != nil || held {
		return bad, held
	}
	sale := s.commitVoucher(ref, terminal, p)
	a := s.saleJSON(sale)
	s.mu.Unlock()
	if s.Faults.AfterCommit(w, r, ref) {
		return nil, true
	}
	return a, false
}

func (s *Sandbox) recordFailed(ref, terminal string, p *sbProduct) {
	f := &sbSale{ref: ref, terminal: terminal, at: s.now(), ok: false}
	if p != nil {
		f.productID, f.productName = p.id, p.en
	}
	s.failed = append(s.failed, f)
}

// commitVoucher records a sale; the caller holds the lock and has checked
// stock and balance.
func (s *Sandbox) commitVoucher(ref, terminal string, p *sbProduct) *sbSale {
	ps := vatPrices(p.vatType, p.face, p.cost, p.retail)
	s.seq++
	s.balance -= ps.costAfter
	p.stockLeft--
	sale := &sbSale{
		ref: ref, bbRef: fmt.Sprintf("BB%010d", 4000000+s.seq), productID: p.id, productName: p.en,
		terminal: terminal, at: s.now(), ok: true, price: ps, productType: p.kind,
		balanceAfter: s.balance, serial: "null", username: "null",
		expiry: s.now().In(ksa).AddDate(1, 0, 0).Format("2006-01-02"),
	}
	m := s.merchants[p.merchant]
	switch {
	case p.esim:
		iccid := fmt.Sprintf("8996601%012d", s.rnd.Int64N(1e12))
		match := s.code(pinStyle{1, 20, false})
		lpa := "LPA:1$smdp.sandbox.test$" + match
		qr := "https://esim.sandbox.test/qr/" + iccid + ".png"
		sale.pin, sale.qr = qr, true
		sale.details = map[string]string{
			"iccid": iccid, "lpa": lpa, "matchingId": match, "qrcodeUrl": qr, "qrcode": lpa,
			"directAppleInstallationUrl": "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=" + lpa,
		}
	default:
		sale.serial = fmt.Sprintf("%d%09d", p.merchant, s.seq)
		sale.pin = s.code(m.pin)
		if p.kind == 1 {
			sale.username = fmt.Sprintf("NOON%08d", s.rnd.IntN(1e8))
		}
	}
	s.sales[ref] = sale
	return sale
}

const codeChars = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func (s *Sandbox) code(st pinStyle) string {
	if st.groups == 0 {
		st = pinStyle{1, 16, true}
	}
	groups := make([]string, st.groups)
	for g := range groups {
		b := make([]byte, st.size)
		for i := range b {
			if st.digits {
				b[i] = byte('0' + s.rnd.IntN(10))
			} else {
				b[i] = codeChars[s.rnd.IntN(len(codeChars))]
			}
		}
		groups[g] = string(b)
	}
	return strings.Join(groups, "-")
}

func (s *Sandbox) saleJSON(sale *sbSale) answer {
	a := s.ok()
	a["purchasingDate"] = sale.at.In(ksa).Format(wireTime)
	a["bbTrxRefNumber"], a["resellerRefNumber"], a["productID"] = sale.bbRef, sale.ref, sale.productID
	sale.price.put(a)
	a["balance"], a["productType"] = amount(sale.balanceAfter), sale.productType
	a["serial"], a["pin"], a["username"] = sale.serial, sale.pin, sale.username
	a["itemExpirationDate"], a["isQrCode"] = sale.expiry, sale.qr
	if p := s.products[sale.productID]; p != nil {
		m := s.merchants[p.merchant]
		a["howToUseEn"], a["howToUseAr"] = m.howEn, m.howAr
	}
	if sale.details != nil {
		a["productItemDetails"] = []map[string]string{sale.details}
	}
	if sale.bill {
		a["itemId"], a["inquireReferenceNumber"] = sale.itemID, sale.inquireRef
		a["requestStatus"], a["serviceHubStatusEnum"], a["billStatus"] = "Success", "Success", "PAID"
	}
	return a
}

// billPay is service-bill-pay: an inquiry bill sends only its
// inquireReferenceNumber, a top-up only productId and inputParameters.
func (s *Sandbox) billPay(w http.ResponseWriter, r *http.Request, req map[string]json.RawMessage) (answer, bool) {
	ref, _ := param(req, "resellerRefNumber")
	inq, _ := param(req, "inquireReferenceNumber")
	id, _ := param(req, "productId")
	terminal, _ := param(req, "terminalID")
	var params map[string]flexString
	if raw, ok := req["inputParameters"]; ok {
		_ = json.Unmarshal(raw, &params)
	}
	check := func() (priceSet, answer) {
		switch {
		case ref == "":
			return priceSet{}, fail("104", "MISSING_RESELLER_REF_NUM")
		case inq == "" && id == "", inq != "" && (id != "" || params != nil):
			return priceSet{}, fail("121", "MISSING_INQUIRE_REF_NUM_OR_PRODUCT_CODE")
		}
		if a := s.auth(req, ref); a != nil {
			return priceSet{}, a
		}
		switch {
		case len(ref) > 50:
			return priceSet{}, fail("204", "INVALID_RESELLER_REF_NUM")
		case len(terminal) > 255:
			return priceSet{}, fail("205", "INVALID_TERMINAL_ID")
		case s.sales[ref] != nil:
			return priceSet{}, fail("206", codeDuplicateRef)
		}
		var ps priceSet
		if inq != "" {
			q := s.inquiries[inq]
			switch {
			case q == nil:
				return ps, fail("122", "INVALID_INQUIRE_REF_NUM")
			case q.used:
				return ps, fail("125", codeDuplicateInquiry)
			}
			ps = q.price
		} else {
			p := s.products[id]
			if p == nil || !p.bill || p.inquiry {
				return ps, fail("203", "INVALID_PRODUCT_CODE")
			}
			amt := ""
			for _, f := range p.form {
				v := params[f.name].text()
				switch {
				case f.required && v == "" && f.inputType == "RANGE":
					return ps, fail("124", "MISSING_AMOUNT")
				case f.required && v == "":
					return ps, fail("123", "MISSING_INPUT_PARAMETERS")
				case f.inputType == "RANGE":
					amt = v
				case f.inputType == "N" && !digitsLen(v, f.minLen, f.maxLen):
					return ps, fail("123", "MISSING_INPUT_PARAMETERS")
				}
			}
			var bad answer
			if ps, bad = topupPrices(p, amt); bad != nil {
				return ps, bad
			}
		}
		if s.Faults.NoBalance() || s.balance < ps.costAfter {
			s.recordFailed(ref, terminal, s.products[firstNonEmpty(id, s.inquiryProduct(inq))])
			return ps, fail("302", codeNoBalance)
		}
		return ps, nil
	}
	ps, bad, held := checkTwice(s, r, ref, check)
	if bad != nil || held {
		return bad, held
	}
	pid := firstNonEmpty(id, s.inquiryProduct(inq))
	if q := s.inquiries[inq]; q != nil {
		q.used = true
	}
	s.seq++
	s.balance -= ps.costAfter
	sale := &sbSale{
		ref: ref, bbRef: fmt.Sprintf("BB%010d", 4000000+s.seq), productID: pid, terminal: terminal,
		at: s.now(), ok: true, price: ps, productType: 3, balanceAfter: s.balance,
		serial: "null", pin: "null", username: "null", expiry: "null",
		bill: true, itemID: strconv.FormatInt(9000000+s.seq, 10), inquireRef: inq,
	}
	if p := s.products[pid]; p != nil {
		sale.productName = p.en
	}
	s.sales[ref] = sale
	a := s.ok()
	a["inquireReferenceNumber"], a["itemId"] = inq, sale.itemID
	a["requestStatus"], a["serviceHubStatusEnum"], a["billStatus"] = "Success", "Success", "PAID"
	ps.put(a)
	s.mu.Unlock()
	if s.Faults.AfterCommit(w, r, ref) {
		return nil, true
	}
	return a, false
}

func (s *Sandbox) inquiryProduct(ref string) string {
	if q := s.inquiries[ref]; q != nil {
		return q.productID
	}
	return ""
}

func (s *Sandbox) transactionStatus(req map[string]json.RawMessage) answer {
	ref, _ := param(req, "resellerRefNumber")
	if ref == "" {
		return fail("104", "MISSING_RESELLER_REF_NUM")
	}
	if a := s.auth(req, ref); a != nil {
		return a
	}
	sale := s.sales[ref]
	if sale == nil {
		return fail("303", codeNoRequests)
	}
	return s.saleJSON(sale)
}

func (s *Sandbox) reconcile(req map[string]json.RawMessage) answer {
	df, _ := param(req, "dateFrom")
	dt, _ := param(req, "dateTo")
	flag, hasFlag := param(req, "isSuccessful")
	switch {
	case df == "" || dt == "":
		return fail("105", "MISSING_DATE")
	case !hasFlag || flag == "":
		return fail("106", "MISSING_IS_SUCCESSFUL")
	}
	if a := s.auth(req, df, dt, flag); a != nil {
		return a
	}
	from, err1 := time.ParseInLocation(wireTime, df, ksa)
	to, err2 := time.ParseInLocation(wireTime, dt, ksa)
	if err1 != nil || err2 != nil {
		return fail("207", "INVALID_DATE_FORMAT")
	}
	var want bool
	switch strings.ToLower(flag) {
	case "true":
		want = true
	case "false":
	default:
		return fail("208", "INVALID_IS_SUCCESSFUL")
	}
	var list []*sbSale
	pool := s.failed
	if want {
		pool = nil
		for _, sale := range s.sales {
			pool = append(pool, sale)
		}
	}
	for _, sale := range pool {
		at := sale.at.Truncate(time.Second)
		if !at.Before(from) && !at.After(to) {
			list = append(list, sale)
		}
	}
	switch {
	case len(list) == 0:
		return fail("303", codeNoRequests)
	case len(list) > s.exportLimit:
		return fail("304", codeExportLimit)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].at.Before(list[j].at) })
	var out []answer
	for _, sale := range list {
		rec := answer{
			"transactionDate": sale.at.In(ksa).Format(wireTime), "resellerRefNumber": sale.ref,
			"terminalID": sale.terminal, "productID": sale.productID, "productName": sale.productName,
			"purchaseStatus": "FAILED",
		}
		if sale.ok {
			rec["purchaseStatus"], rec["bbTrxRefNumber"], rec["serial"] = "SUCCESS", sale.bbRef, sale.serial
			rec["costPriceAfterVat"], rec["currency"] = amount(sale.price.costAfter), defaultCurrency
		}
		out = append(out, rec)
	}
	a := s.ok()
	a["transactions"] = out
	return a
}

// checkTwice runs a purchase's checks under the lock, gives the fault hook
// its moment before anything is committed, then checks again under the
// lock (the stock or balance may have changed while the request was held).
// On success it returns with s.mu held, for the caller to commit and
// unlock; held is true when the no-answer fault swallowed the request.
func checkTwice[T any](s *Sandbox, r *http.Request, ref string, check func() (T, answer)) (v T, bad answer, held bool) {
	s.mu.Lock()
	_, bad = check()
	s.mu.Unlock()
	if bad != nil {
		return v, bad, false
	}
	if s.Faults.BeforeCommit(r, ref) {
		return v, nil, true
	}
	s.mu.Lock()
	if v, bad = check(); bad != nil {
		s.mu.Unlock()
	}
	return v, bad, false
}
