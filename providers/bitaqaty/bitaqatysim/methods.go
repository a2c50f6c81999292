package bitaqatysim

// One handler per seed method. Each reads its parameters under the exact
// keys the seed's request table gives, checks the method's password recipe
// and answers with the fields of the seed's answer table, in its order.

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"kiosk/money"
)

// credentials checks that resellerUsername and password were sent (codes
// 101 and 102 of every table, e.g. seed L120-L121).
func (s *Server) credentials(c *call, t errTable) *reply {
	if u, _ := c.req.text("resellerUsername"); u == "" { // seed L94
		return s.fail(c, t.get("101"))
	}
	if p, _ := c.req.text("password"); p == "" { // seed L95
		return s.fail(c, t.get("102"))
	}
	return nil
}

// signature checks the username exists and the password is the method's
// MD5 (codes 201 and 202, e.g. seed L122-L123).
func (s *Server) signature(c *call, t errTable, fields ...string) *reply {
	user, _ := c.req.text("resellerUsername")
	pw, _ := c.req.text("password")
	switch {
	case user != Username:
		return s.fail(c, t.get("201"))
	case pw != password(Username, SecretKey, fields...):
		return s.fail(c, t.get("202"))
	}
	return nil
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ---- check-balance, seed L75-L161 ----

func (s *Server) checkBalance(c *call) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.credentials(c, errsCheckBalance); r != nil {
		return r
	}
	if r := s.signature(c, errsCheckBalance); r != nil { // seed L96: MD5(resellerUsername + secretKey)
		return r
	}
	o := s.begin(c, true)
	o.amount("balance", s.balance) // seed L113
	o.str("currency", Currency)    // seed L114
	return s.done(o, true)
}

// ---- get-merchant-list, seed L1335-L1435 ----

// flag reads an optional boolean sent as true/false or "true"/"false".
func (p params) flag(key string) (val, set bool) {
	v, ok := p.text(key)
	if !ok {
		return false, false
	}
	switch strings.ToLower(v) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func (s *Server) merchantList(c *call) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.credentials(c, errsMerchantList); r != nil {
		return r
	}
	if r := s.signature(c, errsMerchantList); r != nil { // seed L1356: MD5(ResellerUsername + secretKey)
		return r
	}
	billOnly, billSet := c.req.flag("billMerchantsOnly") // seed L1359
	esimOnly, esimSet := c.req.flag("esimMerchantsOnly") // seed L1360
	keep := func(m *merchant) bool {
		switch {
		case billOnly || esimOnly: // a flag sent as true selects its kind
			return billOnly && m.bill || esimOnly && m.esim
		case billSet && esimSet: // seed L1364: both false → normal merchants only
			return !m.bill && !m.esim
		}
		return true // seed L1365: omitted → all merchants
	}
	o := s.begin(c, true)
	a := o.array("merchantList") // seed L1382
	for _, m := range s.mOrder {
		if !keep(m) {
			continue
		}
		e := a.object()
		e.int("merchantId", int64(m.id)) // seed L1386 (merchantId here, merchantid in products)
		e.str("merchantNameAr", m.ar)    // seed L1387
		e.str("merchantNameEn", m.en)    // seed L1388
		e.end()
	}
	a.end()
	return s.done(o, true)
}

// ---- detailed-products-list (seed L162-L314) and
// ---- detailed-bill-products-list (seed L315-L457) ----

func (s *Server) productsList(c *call) *reply     { return s.list(c, false) }
func (s *Server) billProductsList(c *call) *reply { return s.list(c, true) }

func (s *Server) list(c *call, bills bool) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := errsProductsList
	if r := s.credentials(c, t); r != nil {
		return r
	}
	// seed L192/L345: "The merchant ID field is mandatory, however you can
	// send it with empty value"; absent answers MISSING_MERCHANT_ID (L1613).
	if !c.req.has("merchantId") {
		return s.fail(c, t.get("103"))
	}
	mid, _ := c.req.text("merchantId")
	if r := s.signature(c, t, mid); r != nil { // seed L184, L337: MD5(ResellerUsername + merchantId + secretKey)
		return r
	}
	want := 0
	if mid != "" {
		n, err := strconv.Atoi(mid)
		if err != nil || n <= 0 || !digits(mid) { // seed L187: Long
			return s.fail(c, t.get("203"))
		}
		want = n
	}
	var fields map[string]bool // seed L188, L195: responseParams, comma-separated names
	if rp, ok := c.req.text("responseParams"); ok {
		fields = map[string]bool{}
		for _, f := range strings.Split(rp, ",") {
			if f = strings.TrimSpace(f); f != "" {
				fields[f] = true
			}
		}
	}
	match := func(p *product) bool { return p.bill == bills && (want == 0 || p.merchant.id == want) }
	n := 0
	for _, p := range s.order {
		if match(p) {
			n++
		}
	}
	if n == 0 {
		return s.fail(c, t.get("305")) // seed L276, L419
	}
	o := s.begin(c, true)
	key := "products" // seed L209
	mode := viewList
	if bills {
		key, mode = "billProducts", viewBillList // seed L362
	}
	a := o.array(key)
	for _, p := range s.order {
		if match(p) {
			e := a.object()
			s.writeProduct(e, p, mode, fields)
			e.end()
		}
	}
	a.end()
	return s.done(o, true)
}

type view int

const (
	viewList     view = iota // detailed-products-list, seed L212-L265
	viewBillList             // detailed-bill-products-list, seed L365-L408
	viewInfo                 // product-detailed-info, seed L857-L910
)

// writeProduct writes one product object. fields, when not nil, is the
// responseParams selection (seed L195).
func (s *Server) writeProduct(o *obj, p *product, mode view, fields map[string]bool) {
	f := func(name string) bool { return fields == nil || fields[name] }
	m := p.merchant
	if f("productID") {
		if mode == viewInfo {
			o.num("productID", p.id) // seed L857: long
		} else {
			o.str("productID", p.id) // seed L213, L366: String
		}
	}
	if f("nameAr") {
		o.str("nameAr", p.ar) // seed L214, L367, L858
	}
	if mode == viewInfo {
		if f("nameEr") {
			o.str("nameEr", p.en) // seed L859: the seed's spelling in product-detailed-info
		}
	} else if f("nameEn") {
		o.str("nameEn", p.en) // seed L215, L368
	}
	if f("vatType") {
		o.str("vatType", p.vatType) // seed L216, L369, L860
	}
	if f("vatPercentage") {
		o.num("vatPercentage", vatPercent(p.vatType)) // seed L217, L370, L861
	}
	if !p.bill && mode != viewBillList { // bill products carry no fixed price (L365-L408)
		ps := vatPrices(p.vatType, p.face, p.cost, p.retail)
		if f("faceValue") {
			o.amount("faceValue", p.face) // seed L218, L862
		}
		for _, pf := range []struct {
			name string
			v    int64
		}{
			{"costPriceBeforeVat", ps.costBefore},             // seed L219, L863
			{"costPriceVatAmount", ps.costVat},                // seed L220, L864
			{"costPriceAfterVat", ps.costAfter},               // seed L221, L865
			{"recommendedRetailPriceBeforeVat", ps.rrpBefore}, // seed L222, L866
			{"recommendedRetailPriceVatAmount", ps.rrpVat},    // seed L223, L867
			{"recommendedRetailPriceAfterVat", ps.rrpAfter},   // seed L224, L868
		} {
			if f(pf.name) {
				o.amount(pf.name, pf.v)
			}
		}
	}
	if f("currency") {
		o.str("currency", Currency) // seed L225, L371, L869
	}
	if f("available") {
		o.boolean("available", !p.off) // seed L226-L229, L372, L870
	}
	if f("merchantid") {
		o.int("merchantid", int64(m.id)) // seed L230, L376, L874: lower-case "id"
	}
	if f("merchantNameAr") {
		o.str("merchantNameAr", m.ar) // seed L231
	}
	if f("merchantNameEn") {
		o.str("merchantNameEn", m.en) // seed L232
	}
	if f("categoryNameAr") {
		o.optStr("categoryNameAr", m.catAr) // seed L233
	}
	if f("categoryNameEn") {
		o.str("categoryNameEn", m.catEn) // seed L234 (cardinality 1)
	}
	if f("howToUseAr") {
		o.optStr("howToUseAr", m.howAr) // seed L235
	}
	if f("howToUseEn") {
		o.optStr("howToUseEn", m.howEn) // seed L236
	}
	if f("image") {
		o.str("image", imageURL(p)) // seed L237
	}
	if p.esim != nil && mode != viewBillList && f("esimSpecifications") {
		a := o.array("esimSpecifications") // seed L238-L240: data, calls, duration as strings
		e := a.object()
		e.str("data", p.esim.data)
		e.str("calls", p.esim.calls)
		e.str("duration", p.esim.duration)
		e.end()
		a.end()
	}
	if p.bill { // seed L885-L887: returned only if the product is billable
		if f("inquiryRequired") {
			o.boolean("inquiryRequired", p.inquiry) // seed L241, L384, L885
		}
		if f("dynamicFormList") {
			a := o.array("dynamicFormList") // seed L242, L385, L886
			for _, fd := range p.form {
				writeField(a.object(), fd, m.id)
			}
			a.end()
		}
	}
}

// writeField writes one dynamic form field, seed L246-L265 (L389-L408, L891-L910).
func writeField(e *obj, fd fieldDef, serviceID int) {
	e.str("inputType", fd.inputType)      // L247
	e.str("inputName", fd.name)           // L248
	e.str("inputTitleEn", fd.en)          // L249
	e.str("inputTitleAr", fd.ar)          // L250
	e.str("inputPlaceHolderEn", fd.en)    // L251
	e.str("inputPlaceHolderAr", fd.ar)    // L252
	e.optStr("inputDefaultValue", fd.def) // L253
	if fd.maxLen > 0 {
		e.int("inputLength", int64(fd.maxLen)) // L254
	}
	e.int("serviceId", int64(serviceID))     // L255
	e.int("position", int64(fd.position))    // L256
	e.boolean("visible", !fd.hidden)         // L257
	e.boolean("required", fd.required)       // L258
	e.boolean("clientId", false)             // L259
	e.int("minLength", int64(fd.minLen))     // L260
	e.int("maxLength", int64(fd.maxLen))     // L261
	e.boolean("confirmRequired", fd.confirm) // L262
	e.boolean("isDynamicField", true)        // L263
	if fd.inputType == "RANGE" {
		e.num("minValue", double(money.FromInt(fd.minValue))) // L264
		e.num("maxValue", double(money.FromInt(fd.maxValue))) // L265
	}
	e.end()
}

func imageURL(p *product) string {
	return "https://images.sandbox.test/products/" + p.id + ".png"
}

// ---- product-detailed-info, seed L817-L960 ----

func (s *Server) productInfo(c *call) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := errsProductInfo
	if r := s.credentials(c, t); r != nil {
		return r
	}
	id, _ := c.req.text("productID") // seed L842
	if id == "" && c.secured {
		id, _ = c.req.text("productId") // secured L1680-L1681 spell it productId
	}
	if id == "" {
		return s.fail(c, t.get("103"))
	}
	if r := s.signature(c, t, id); r != nil { // seed L839: MD5(resellerUsername + ProductID + secretKey)
		return r
	}
	p := s.products[id]
	if !digits(id) || p == nil { // seed L842: Long; L921
		return s.fail(c, t.get("203"))
	}
	o := s.begin(c, true)
	s.writeProduct(o, p, viewInfo, nil) // seed L857-L888: the product's fields at the top level
	return s.done(o, true)
}

// ---- calculate-topup-amount, seed L574-L665 ----

// topupPrices prices a top-up of amt SAR, VAT included; the reseller pays
// 98% (the old sandbox's demo terms). The code is "" when amt is good.
func topupPrices(p *product, amt string) (priceSet, string) {
	d, err := money.Parse(amt)
	if err != nil || d.Cmp(d.Round(2)) != 0 || d.Sign() <= 0 {
		return priceSet{}, "126" // seed L621
	}
	h := halalas(d)
	if h < 500 {
		return priceSet{}, "102-minimum" // seed L597 "Minimum value is 5", L618
	}
	for _, f := range p.form {
		if f.inputType == "RANGE" && f.maxValue > 0 && h > f.maxValue*100 {
			return priceSet{}, "126"
		}
	}
	var ps priceSet
	ps.rrpAfter = h
	ps.rrpBefore = divRound(h*100, 115)
	ps.rrpVat = h - ps.rrpBefore
	ps.costBefore = divRound(ps.rrpBefore*98, 100)
	ps.costVat = divRound(ps.costBefore*15, 100)
	ps.costAfter = ps.costBefore + ps.costVat
	return ps, ""
}

func (s *Server) topupAmount(c *call) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := errsTopup
	if r := s.credentials(c, t); r != nil {
		return r
	}
	id, _ := c.req.text("productId") // seed L596
	if id == "" {
		return s.fail(c, t.get("103"))
	}
	amt, ok := c.req.text("amount") // seed L597
	if !ok {
		return s.fail(c, t.get("124"))
	}
	if r := s.signature(c, t, id); r != nil { // seed L595: MD5(resellerUsername + productId + secretKey)
		return r
	}
	p := s.products[id]
	if p == nil || !p.bill || p.inquiry { // not a top-up product: INVALID_PRODUCT_CODE (general list L2271)
		return s.fail(c, t.get("203"))
	}
	ps, bad := topupPrices(p, amt)
	if bad != "" {
		return s.fail(c, t.get(bad))
	}
	o := s.begin(c, true) // seed L601-L605: no server times in this table
	ps.put(o)             // seed L609-L614
	return s.done(o, true)
}

// ---- service-bill-inquire, seed L458-L573 ----

var billHolders = []string{"Mohammed Al-Qahtani", "Fatimah Al-Harbi", "Abdullah Al-Otaibi", "Noura Al-Shehri", "Khalid Al-Ghamdi"}

// inputs reads inputParameters (seed L484-L486, L695-L696): a JSON object.
func (c *call) inputs() (params, bool) {
	raw, ok := c.req["inputParameters"]
	if !ok {
		return nil, false
	}
	var p params
	if json.Unmarshal(raw, &p) != nil || len(p) == 0 {
		return nil, false
	}
	return p, true
}

func (s *Server) billInquire(c *call) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := errsBillInquire
	if r := s.credentials(c, t); r != nil {
		return r
	}
	id, _ := c.req.text("productId") // seed L483
	if id == "" {
		return s.fail(c, t.get("103"))
	}
	in, ok := c.inputs() // seed L484-L486: 1..*, mandatory
	if !ok {
		return s.fail(c, t.get("123"))
	}
	if r := s.signature(c, t, id); r != nil { // seed L480: MD5(resellerUsername + productId + secretKey)
		return r
	}
	p := s.products[id]
	switch {
	case p == nil || !p.bill:
		return s.fail(c, t.get("203")) // general list L2271
	case !p.inquiry:
		return s.fail(c, t.get("209")) // a top-up has no inquiry step (L691, L700)
	}
	acct := ""
	valid := true
	for _, f := range p.form {
		v, _ := in.text(f.name)
		if f.required && v == "" {
			return s.fail(c, t.get("123")) // keys per dynamicFormList, seed L490
		}
		if f.inputType == "N" && acct == "" {
			acct = v
			valid = digitsLen(v, f.minLen, f.maxLen)
		}
	}
	o := s.begin(c, true)
	if !valid {
		o.str("requestStatus", "Failed")        // seed L508
		o.str("serviceHubStatusEnum", "Failed") // seed L509
		return s.done(o, true)
	}
	if strings.HasSuffix(acct, "0000") { // demo: accounts ending 0000 owe nothing
		o.str("requestStatus", "Success")
		o.str("serviceHubStatusEnum", "No Due Bills") // seed L509
		o.str("consumerNumber", acct)                 // seed L510
		o.str("billStatus", "PAID")                   // seed L512
		return s.done(o, true)
	}
	var h int64
	for _, r := range acct {
		h = (h*31 + int64(r-'0')) % 40000
	}
	bill := 2500 + h // 25.00 to 424.99 SAR
	ps := priceSet{costBefore: bill, costAfter: bill, rrpBefore: bill, rrpAfter: bill}
	s.seq++
	ref := fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", s.rnd.Uint32(), s.seq&0xffff, s.rnd.IntN(0x1000), s.rnd.IntN(0x1000), s.rnd.Int64N(1<<48)) // L691: a UUID
	s.inquiries[ref] = &inquiry{ref: ref, product: p, price: ps}
	now := s.now().In(ksa)
	o.str("inquireReferenceNumber", ref)                     // seed L507
	o.str("requestStatus", "Success")                        // seed L508
	o.str("serviceHubStatusEnum", "Success")                 // seed L509
	o.str("consumerNumber", acct)                            // seed L510
	o.str("dueDate", now.AddDate(0, 0, 10).Format(wireTime)) // seed L511 (Date: L1252's format)
	o.str("billStatus", "UNPAID")                            // seed L512
	o.amount("billAmount", bill)                             // seed L513
	ps.put(o)                                                // seed L514-L519
	holder := billHolders[int(h)%len(billHolders)]
	o.str("inquiryInfoText", fmt.Sprintf("Customer: %s\nAccount: %s\nInvoice: %d\nPeriod: %s", // seed L520 (multiline)
		holder, acct, 700000000+h, now.AddDate(0, -1, 0).Format("January 2006")))
	return s.done(o, true)
}

func digitsLen(v string, minLen, maxLen int) bool {
	return digits(v) && (minLen == 0 || len(v) >= minLen) && (maxLen == 0 || len(v) <= maxLen)
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// ---- purchases and the fault switches ----

// twoPhase runs a purchase's checks under the lock, gives BeforeCommit its
// moment without the lock, checks again under the lock (stock or balance
// may have changed meanwhile), commits, and gives AfterCommit its moment.
// It returns nil when the fault switches took the request over.
func (s *Server) twoPhase(c *call, ref string, check func() *reply, commit func() *reply) *reply {
	s.mu.Lock()
	bad := check()
	s.mu.Unlock()
	if bad != nil {
		return bad
	}
	if s.Faults.BeforeCommit(c.r, ref) {
		return nil
	}
	s.mu.Lock()
	if bad = check(); bad != nil {
		s.mu.Unlock()
		return bad
	}
	ans := commit()
	s.mu.Unlock()
	if s.Faults.AfterCommit(c.w, c.r, ref) {
		return nil
	}
	return ans
}

func (s *Server) recordFailed(ref, terminal string, p *product) {
	s.log = append(s.log, &sale{ref: ref, terminal: terminal, product: p, at: s.now(), ok: false})
}

// ---- purchase-product, seed L964-L1107 ----
//
// Faults: OutOfStock answers 301 OUT_OF_STOCK (L1065), NoBalance 302
// INSUFFICIENT_BALANCE (L1066). The seed has no pending state (a purchase
// either answers its voucher or an error, and check-transaction-status
// has no state field), so PendingPolls is not used.

func (s *Server) purchase(c *call) *reply {
	t := errsPurchase
	id, _ := c.req.text("productID")          // seed L988
	ref, _ := c.req.text("resellerRefNumber") // seed L989
	terminal, _ := c.req.text("terminalId")   // seed L990: terminalId here (terminalID in service-bill-pay)
	var p *product
	check := func() *reply {
		if r := s.credentials(c, t); r != nil {
			return r
		}
		switch {
		case id == "":
			return s.fail(c, t.get("103"))
		case ref == "":
			return s.fail(c, t.get("104"))
		}
		if r := s.signature(c, t, id, ref); r != nil { // seed L985: MD5(ResellerUsername + ProductID + ResellerRefNumber + SecretKey)
			return r
		}
		p = s.products[id]
		switch {
		case len(ref) > 50: // seed L989: length 50
			return s.fail(c, t.get("204"))
		case len(terminal) > 255: // seed L990: length 255
			return s.fail(c, t.get("205"))
		case s.sales[ref] != nil:
			return s.fail(c, t.get("206"))
		case !digits(id) || p == nil || p.bill: // seed L988: long; bills go through service-bill-pay
			return s.fail(c, t.get("203"))
		case p.off || p.stockLeft <= 0 || s.Faults.OutOfStock():
			s.recordFailed(ref, terminal, p)
			return s.fail(c, t.get("301"))
		case s.Faults.NoBalance() || s.balance < vatPrices(p.vatType, p.face, p.cost, p.retail).costAfter:
			s.recordFailed(ref, terminal, p)
			return s.fail(c, t.get("302"))
		}
		return nil
	}
	commit := func() *reply {
		sl := s.commitVoucher(ref, terminal, p)
		return s.saleAnswer(c, sl, true)
	}
	return s.twoPhase(c, ref, check, commit)
}

const codeChars = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// code makes a PIN in a merchant's style from the seeded generator.
func (s *Server) code(st pinStyle) string {
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

// commitVoucher records a sale, charges the balance and takes the stock;
// the caller holds the lock and has checked stock and balance. PINs,
// serials and eSIM details follow the old sandbox's deterministic recipe.
func (s *Server) commitVoucher(ref, terminal string, p *product) *sale {
	ps := vatPrices(p.vatType, p.face, p.cost, p.retail)
	s.seq++
	s.balance -= ps.costAfter
	p.stockLeft--
	now := s.now()
	sl := &sale{
		ref: ref, bbRef: fmt.Sprintf("BB%010d", 4000000+s.seq), product: p, terminal: terminal,
		at: now, ok: true, price: ps, balanceAfter: s.balance,
		serial: "null", user: "null", // seed L1046: absent username or serial are "null"
		expiry: now.AddDate(1, 0, 0),
	}
	if p.esim != nil {
		iccid := fmt.Sprintf("8996601%012d", s.rnd.Int64N(1e12))
		match := s.code(pinStyle{1, 20, false})
		lpa := "LPA:1$smdp.sandbox.test$" + match
		qr := "https://esim.sandbox.test/qr/" + iccid + ".png"
		sl.pin, sl.qr = qr, true // seed L1048: the pin carries the QR code URL
		sl.esim = &esimItem{iccid: iccid, lpa: lpa, matchingID: match, qrcodeURL: qr, qrcode: lpa,
			appleURL: "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=" + lpa}
	} else {
		sl.serial = fmt.Sprintf("%d%09d", p.merchant.id, s.seq)
		sl.pin = s.code(p.merchant.pin)
		if p.kind == 1 { // credential: serial, username, secret (seed L19-L22)
			sl.user = fmt.Sprintf("NOON%08d", s.rnd.IntN(1e8))
		}
	}
	s.sales[ref] = sl
	s.log = append(s.log, sl)
	return sl
}

// saleAnswer is the purchase-product answer (purchase: seed L999-L1043) or
// the check-transaction-status answer (seed L1140-L1172, which has no
// isQrCode and no productItemDetails).
func (s *Server) saleAnswer(c *call, sl *sale, purchase bool) *reply {
	o := s.begin(c, true)
	p := sl.product
	o.str("purchasingDate", sl.at.In(ksa).Format(wireTime)) // seed L1009, L1150 (Date: L1252's format)
	o.str("bbTrxRefNumber", sl.bbRef)                       // seed L1010, L1151
	o.str("resellerRefNumber", sl.ref)                      // seed L1011, L1152
	sl.price.put(o)                                         // seed L1012-L1017, L1153-L1158
	o.amount("balance", sl.balanceAfter)                    // seed L1018, L1159: balance after this purchase
	o.str("currency", Currency)                             // seed L1019, L1160
	kind := p.kind
	if sl.bill {
		kind = 3
	}
	o.int("productType", int64(kind)) // seed L1020-L1024, L1161-L1165
	o.str("serial", sl.serial)        // seed L1025, L1166
	o.str("pin", sl.pin)              // seed L1026, L1167
	o.str("username", sl.user)        // seed L1027, L1168
	if !sl.bill {
		o.str("itemExpirationDate", sl.expiry.In(ksa).Format(wireTime)) // seed L1028, L1169
	}
	o.optStr("howToUseAr", p.merchant.howAr) // seed L1029, L1170
	o.optStr("howToUseEn", p.merchant.howEn) // seed L1030, L1171
	o.str("image", imageURL(p))              // seed L1031, L1172
	if purchase {
		o.boolean("isQrCode", sl.qr) // seed L1032
		if sl.esim != nil {
			a := o.array("productItemDetails") // seed L1033-L1043
			e := a.object()
			e.str("iccid", sl.esim.iccid)                         // L1038
			e.str("lpa", sl.esim.lpa)                             // L1039
			e.str("matchingId", sl.esim.matchingID)               // L1040
			e.str("qrcodeUrl", sl.esim.qrcodeURL)                 // L1041
			e.str("qrcode", sl.esim.qrcode)                       // L1042
			e.str("directAppleInstallationUrl", sl.esim.appleURL) // L1043
			e.end()
			a.end()
		}
		// seed L994: the terminal ID "will be retrieved with the purchase
		// response as it's", under the request's key.
		o.optStr("terminalId", sl.terminal)
	}
	return s.done(o, true)
}

// ---- service-bill-pay, seed L666-L813 ----
//
// Faults: NoBalance answers 302 INSUFFICIENT_BALANCE (L752). The table
// has no out-of-stock code (a bill has no stock), so OutOfStock is not
// used here; nor is PendingPolls (no pending state).

func (s *Server) billPay(c *call) *reply {
	t := errsBillPay
	ref, _ := c.req.text("resellerRefNumber")      // seed L692
	inq, _ := c.req.text("inquireReferenceNumber") // seed L691
	id, _ := c.req.text("productId")               // seed L694
	terminal, _ := c.req.text("terminalID")        // seed L693: terminalID here
	in, hasIn := c.inputs()                        // seed L695
	var (
		ps  priceSet
		p   *product
		q   *inquiry
		bad string
	)
	check := func() *reply {
		if r := s.credentials(c, t); r != nil {
			return r
		}
		switch {
		case ref == "":
			return s.fail(c, t.get("104"))
		case inq == "" && id == "":
			return s.fail(c, t.get("121"))
		case inq != "" && (id != "" || c.req.has("inputParameters")): // seed L702: not both
			return s.fail(c, t.get("121"))
		}
		if r := s.signature(c, t, ref); r != nil { // seed L688: MD5(ResellerUsername + resellerRefNumber + secretKey)
			return r
		}
		switch {
		case len(ref) > 255: // seed L692
			return s.fail(c, t.get("204"))
		case len(terminal) > 255: // seed L693
			return s.fail(c, t.get("205"))
		case s.sales[ref] != nil:
			return s.fail(c, t.get("206"))
		}
		if inq != "" { // seed L699: inquiry products send inquireReferenceNumber only
			q = s.inquiries[inq]
			switch {
			case !isUUID(inq) || q == nil: // seed L691: must be a valid UUID
				return s.fail(c, t.get("122"))
			case q.used:
				return s.fail(c, t.get("125"))
			}
			ps, p = q.price, q.product
		} else { // seed L700: top-ups send productId and inputParameters only
			p = s.products[id]
			switch {
			case p == nil || !p.bill:
				return s.fail(c, t.get("203"))
			case p.inquiry: // an inquiry product needs its inquireReferenceNumber
				return s.fail(c, t.get("121"))
			case !hasIn:
				return s.fail(c, t.get("123"))
			}
			amt := ""
			for _, f := range p.form { // seed L701: keys from dynamicFormList
				v, _ := in.text(f.name)
				switch {
				case f.required && v == "" && f.inputType == "RANGE":
					return s.fail(c, t.get("124")) // general list L2261
				case f.required && v == "":
					return s.fail(c, t.get("123"))
				case f.inputType == "RANGE":
					amt = v
				case f.inputType == "N" && !digitsLen(v, f.minLen, f.maxLen):
					return s.fail(c, t.get("123"))
				}
			}
			if ps, bad = topupPrices(p, amt); bad != "" {
				return s.invalidAmount(c)
			}
		}
		if s.Faults.NoBalance() || s.balance < ps.costAfter {
			s.recordFailed(ref, terminal, p)
			return s.fail(c, t.get("302"))
		}
		return nil
	}
	commit := func() *reply {
		if q != nil {
			q.used = true
		}
		s.seq++
		s.balance -= ps.costAfter
		sl := &sale{
			ref: ref, bbRef: fmt.Sprintf("BB%010d", 4000000+s.seq), product: p, terminal: terminal,
			at: s.now(), ok: true, price: ps, balanceAfter: s.balance,
			serial: "null", pin: "null", user: "null",
			bill: true, itemID: 9000000 + s.seq, inquireRef: inq,
		}
		s.sales[ref] = sl
		s.log = append(s.log, sl)
		o := s.begin(c, true)
		o.optStr("inquireReferenceNumber", inq)  // seed L721
		o.str("requestStatus", "Success")        // seed L722
		o.str("serviceHubStatusEnum", "Success") // seed L723
		o.int("itemId", sl.itemID)               // seed L724: Long
		o.str("billStatus", "PAID")              // seed L725
		ps.put(o)                                // seed L726-L731
		return s.done(o, true)
	}
	return s.twoPhase(c, ref, check, commit)
}

// invalidAmount is a refused top-up amount in service-bill-pay: its error
// table has no amount code, its answer has serviceHubStatusEnum "Invalid
// Amount" (L723); INVALID_AMOUNT 126 comes from the general list (L2268).
func (s *Server) invalidAmount(c *call) *reply {
	e := general["126"]
	o := s.begin(c, false)
	o.str("errorCode", e.code)
	o.str("errorMessage", e.msg)
	o.str("errorDesc", e.desc)
	o.str("requestStatus", "Failed")                // seed L722
	o.str("serviceHubStatusEnum", "Invalid Amount") // seed L723
	return s.done(o, false)
}

// ---- check-transaction-status, seed L1111-L1224 ----

func (s *Server) transactionStatus(c *call) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := errsStatus
	if r := s.credentials(c, t); r != nil {
		return r
	}
	ref, _ := c.req.text("resellerRefNumber") // seed L1135
	if ref == "" {
		return s.fail(c, t.get("104"))
	}
	if r := s.signature(c, t, ref); r != nil { // seed L1132: MD5(ResellerUsername + ResellerRefNumber + SecretKey)
		return r
	}
	if len(ref) > 255 {
		return s.fail(c, t.get("204"))
	}
	sl := s.sales[ref]
	if sl == nil {
		return s.fail(c, t.get("303")) // seed L1184: NO_REQUESTS_FOUND
	}
	return s.saleAnswer(c, sl, false)
}

// ---- reconcile, seed L1228-L1334 ----

func (s *Server) reconcile(c *call) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := errsReconcile
	if r := s.credentials(c, t); r != nil {
		return r
	}
	df, okF := c.req.text("dateFrom")       // seed L1252
	dt, okT := c.req.text("dateTo")         // seed L1253
	flag, okS := c.req.text("isSuccessful") // seed L1254
	switch {
	case !okF || !okT:
		return s.fail(c, t.get("105"))
	case !okS:
		return s.fail(c, t.get("106"))
	}
	if r := s.signature(c, t, df, dt, flag); r != nil { // seed L1249: MD5(ResellerUsername + DateFrom + DateTo + IsSuccessful + SecretKey)
		return r
	}
	from, err1 := time.ParseInLocation(wireTime, df, ksa) // seed L1290: yyyy-mm-dd hh:mm:ss
	to, err2 := time.ParseInLocation(wireTime, dt, ksa)
	if err1 != nil || err2 != nil {
		return s.fail(c, t.get("207"))
	}
	var want bool
	switch strings.ToLower(flag) { // seed L1254, L1291: True or False
	case "true":
		want = true
	case "false":
	default:
		return s.fail(c, t.get("208"))
	}
	var list []*sale
	for _, sl := range s.log {
		at := sl.at.Truncate(time.Second)
		if sl.ok == want && !at.Before(from) && !at.After(to) {
			list = append(list, sl)
		}
	}
	switch {
	case len(list) == 0:
		return s.fail(c, t.get("303")) // seed L1292
	case len(list) > s.exportLimit:
		return s.fail(c, t.get("304")) // seed L1293
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].at.Before(list[j].at) })
	o := s.begin(c, true)
	// The seed lists one record's fields (L1269-L1278) but names no list
	// for them; they are sent as "transactions".
	a := o.array("transactions")
	for _, sl := range list {
		e := a.object()
		e.str("transactionDate", sl.at.In(ksa).Format(wireTime)) // seed L1269
		if sl.ok {
			e.str("bbTrxRefNumber", sl.bbRef) // seed L1270: in case of successful transaction
		}
		e.str("resellerRefNumber", sl.ref)  // seed L1271
		e.optStr("terminalID", sl.terminal) // seed L1272
		if sl.product != nil {
			e.str("productID", sl.product.id)   // seed L1273
			e.str("productName", sl.product.en) // seed L1274: name in English
		}
		if sl.ok {
			e.amount("costPriceAfterVat", sl.price.costAfter) // seed L1275
			e.str("currency", Currency)                       // seed L1276
			e.str("serial", sl.serial)                        // seed L1277
		}
		e.str("purchaseStatus", strconv.FormatBool(sl.ok)) // seed L1278: the purchase answer's status (L1002), as text
		e.end()
	}
	a.end()
	return s.done(o, true)
}
