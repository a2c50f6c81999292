package alqimahsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"kiosk/money"
)

// queryKind is one of the seed's query operations (seed L381-392).
type queryKind int

const (
	qYMBalance queryKind = iota // 1/101, seed L387
	qYMLoan                     // 1/102, seed L388
	qYMOffers                   // 1/107, seed L389
	qADSL                       // 5/501, seed L390
	qLandline                   // 6/601, seed L391
	qYemen4G                    // 7/701, seed L392
)

func queryOf(network, service int) (queryKind, bool) {
	switch [2]int{network, service} {
	case [2]int{1, 101}:
		return qYMBalance, true
	case [2]int{1, 102}:
		return qYMLoan, true
	case [2]int{1, 107}:
		return qYMOffers, true
	case [2]int{5, 501}:
		return qADSL, true
	case [2]int{6, 601}:
		return qLandline, true
	case [2]int{7, 701}:
		return qYemen4G, true
	}
	return 0, false
}

// subscriberNumber checks MobileNumber. The seed shows its shapes only as
// "7XXXXXXXX - 0XXXXXXX - 10XXXXXX" (seed L393, L509) and "7XXXXXXXX -
// 73XXXXX - 71XXXXXX - 70XXXXXX" (seed L558), 7 to 9 digits; it documents
// no per-network check, so any number of 7 to 10 digits is taken.
func subscriberNumber(b body) (string, string) {
	v, present, err := b.text("MobileNumber")
	switch {
	case err != nil:
		return "", msgInvalid("MobileNumber")
	case !present:
		return "", msgRequired("MobileNumber")
	}
	if len(v) < 7 || len(v) > 10 {
		return "", msgBadNumber
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return "", msgBadNumber
		}
	}
	return v, ""
}

// transactionID reads the required TransactionID (seed L375, L394, L513,
// L560, L606). The seed's own example is "TXN789" (seed L672), so it is any
// text, not only digits.
func transactionID(b body) (string, string) {
	v, present, err := b.text("TransactionID")
	switch {
	case err != nil:
		return "", msgInvalid("TransactionID")
	case !present:
		return "", msgRequired("TransactionID")
	}
	return v, ""
}

// Query answers, seed L396-486.
type (
	ymBalanceAnswer struct { // seed L397-405
		Status          bool   `json:"status"`          // seed L398
		MobileBalance   number `json:"mobileBalance"`   // seed L399: a number
		AvailableCredit string `json:"availableCredit"` // seed L400
		MobileType      int    `json:"mobileType"`      // seed L401, L406-408
		MobileTypeName  string `json:"mobileTypeName"`  // seed L402
		Message         string `json:"message"`         // seed L403
		TransactionID   int    `json:"transactionID"`   // seed L404: 0, a number
	}
	ymLoanAnswer struct { // seed L410-415
		Status           bool   `json:"status"`           // seed L411
		LoanStatus       bool   `json:"loanStatus"`       // seed L412
		LoanStatusString string `json:"loanStatusString"` // seed L413
		Message          string `json:"message"`          // seed L414
	}
	subscriberOffer struct { // seed L420-425
		OfferID        string `json:"offerID"`        // seed L421
		OfferName      string `json:"offerName"`      // seed L422
		OfferStartDate string `json:"offerStartDate"` // seed L423
		OfferEndDate   string `json:"offerEndDate"`   // seed L424
	}
	ymOffersAnswer struct { // seed L417-458
		Status  bool              `json:"status"`  // seed L418
		Data    []subscriberOffer `json:"data"`    // seed L419
		Message string            `json:"message"` // seed L457
	}
	adslAnswer struct { // seed L460-468: every value a string
		Status        bool   `json:"status"`        // seed L461
		MobileBalance string `json:"mobileBalance"` // seed L462
		ExpiredDate   string `json:"expiredDate"`   // seed L463: dd/mm/yyyy
		OfferAmount   string `json:"offerAmount"`   // seed L464
		MinAmount     string `json:"minAmount"`     // seed L465
		Message       string `json:"message"`       // seed L466
		TransactionID string `json:"transactionID"` // seed L467: a string
	}
	landlineAnswer struct { // seed L470-475
		Status        bool   `json:"status"`        // seed L471
		MobileBalance string `json:"mobileBalance"` // seed L472
		Message       string `json:"message"`       // seed L473
		TransactionID string `json:"transactionID"` // seed L474
	}
	yemen4GAnswer struct { // seed L477-486
		Status        bool   `json:"status"`        // seed L478
		MobileBalance string `json:"mobileBalance"` // seed L479
		ExpiredDate   string `json:"expiredDate"`   // seed L480: yyyy-mm-dd
		OfferAmount   string `json:"offerAmount"`   // seed L481
		OfferSize     string `json:"offerSize"`     // seed L482
		CallBalance   string `json:"callBalance"`   // seed L483
		Message       string `json:"message"`       // seed L484
		TransactionID string `json:"transactionID"` // seed L485
	}
)

// demoSubscriberOffers are the old sandbox's 1/107 data: four of the
// seed's six offers (seed L420-455).
var demoSubscriberOffers = [...]subscriberOffer{
	{"A115887147", "شريحه 4G", "2020-01-01 03:00:00", "2037-01-01 00:00:00"},
	{"A4990006", "باقة مزايا فورجي فولتي الشهريه دفع مسبق", "2024-07-21 17:14:06", "2024-08-19 23:59:59"},
	{"A3825", "دفع مسبق باقة نت توفير فورجي 5 جيجا الشهرية", "2024-07-26 18:01:40", "2024-08-24 23:59:59"},
	{"A101045", "خدمة فولتي - VoLTE", "2024-07-09 11:01:20", "2037-01-01 00:00:00"},
}

// query is seed L366-491: MobileNumber and a TransactionID unique for
// every request (seed L375, L394).
func (s *Server) query(w http.ResponseWriter, b body, q queryKind, now time.Time) {
	mobile, msg := subscriberNumber(b) // seed L393
	if msg != "" {
		fail(w, msg)
		return
	}
	id, msg := transactionID(b) // seed L394
	if msg != "" {
		fail(w, msg)
		return
	}
	if mobile == UnknownSubscriber {
		fail(w, msgNoSubscriber) // the seed's generic error (L487-491)
		return
	}
	s.mu.Lock()
	dup := s.usedIDs[id]
	s.usedIDs[id] = true
	s.mu.Unlock()
	if dup { // seed L375: "This number must be unique for every request"
		fail(w, msgDuplicate)
		return
	}
	days := s.dayShift(now)
	const ok = "Balance Query Success"
	switch q {
	case qYMBalance:
		reply(w, ymBalanceAnswer{true, number(money.MustParse("154.15")), "", 1, "دفع مسبق", ok, 0}) // seed L397-405
	case qYMLoan:
		reply(w, ymLoanAnswer{true, false, "الرقم غير متسلف", ok}) // seed L410-415
	case qYMOffers:
		data := make([]subscriberOffer, len(demoSubscriberOffers))
		for i, o := range demoSubscriberOffers {
			o.OfferStartDate = shiftDate(o.OfferStartDate, expiryLayout, days)
			o.OfferEndDate = shiftDate(o.OfferEndDate, expiryLayout, days)
			data[i] = o
		}
		reply(w, ymOffersAnswer{true, data, ok}) // seed L417-458
	case qADSL:
		reply(w, adslAnswer{true, "44.18 جيجابايت", shiftDate("21/10/2024", "02/01/2006", days), "12600", "250", ok, id}) // seed L460-468
	case qLandline:
		reply(w, landlineAnswer{true, "2869", ok, id}) // seed L470-475
	case qYemen4G:
		reply(w, yemen4GAnswer{true, "26.90جيجابايت", shiftDate("2024-11-06", "2006-01-02", days), "2400", "2400", "", ok, id}) // seed L477-486
	}
}

// sale is a payment the platform recorded, by the kiosk's TransactionID.
type sale struct {
	ref         string // TransactionID
	referenceID int64  // the platform's number (seed L166, L536)
	mobile      string
	price       money.Decimal
	state       int // operationStatus: 1, 0, -1 (seed L160, L528-531)
	pollsLeft   int // status look-ups still to say pending
	pin, serial string
	hookURL     string // WebHookURL (seed L496, L514)
	hookCode    string // WebHookCode (seed L497, L515), echoed, never computed
}

// order is a checked payment request.
type order struct {
	price    money.Decimal
	mobile   string
	giftCard bool
}

// paymentAnswer is seed L518-526 (also L565-573, L611-619).
type paymentAnswer struct {
	Status          bool   `json:"status"`          // seed L519, L527
	OperationStatus int    `json:"operationStatus"` // seed L520, L528-531
	AgentBalance    number `json:"agentBalance"`    // seed L521, L532: the balance after the sale
	Price           number `json:"price"`           // seed L522, L533
	Message         string `json:"message"`         // seed L523, L534
	TransactionID   string `json:"transactionID"`   // seed L524, L535: a string
	ReferenceID     int64  `json:"referenceID"`     // seed L525, L536: a number
}

// paymentMessage: the seed shows only the success text, with its typo
// (seed L523); a cancelled or pending sale takes the status call's texts
// (seed L193, L204).
func paymentMessage(state int) string {
	switch state {
	case 1:
		return "Payment succcess" // seed L523
	case 0:
		return "ملغية" // seed L193
	}
	return "في الانتظار" // seed L204
}

// pay is seed L493-634: a payment by Amount, by OfferCode or by LinkCode.
func (s *Server) pay(w http.ResponseWriter, r *http.Request, b body, network, service int) {
	var net *Network
	offer := false
	for i := range s.nets {
		n := &s.nets[i]
		if n.Network != network {
			continue
		}
		if n.Service == service {
			net = n
		} else if n.OfferService != 0 && n.OfferService == service {
			net, offer = n, true
		}
	}
	if net == nil {
		fail(w, msgService) // seed L70-76: no table; the generic error
		return
	}
	ref, msg := transactionID(b) // seed L513, L560, L606
	if msg != "" {
		fail(w, msg)
		return
	}
	var o order
	switch {
	case net.Games:
		o, msg = s.checkGame(b) // seed L590-608
	case offer:
		o, msg = s.checkOffer(b, net) // seed L543-562
	default:
		o, msg = checkAmount(b, net) // seed L499-515
	}
	if msg != "" {
		fail(w, msg)
		return
	}
	hookURL, _, err := b.text("WebHookURL") // optional, seed L496, L514
	if err != nil {
		fail(w, msgInvalid("WebHookURL"))
		return
	}
	hookCode, _, err := b.text("WebHookCode") // optional, seed L497, L515
	if err != nil {
		fail(w, msgInvalid("WebHookCode"))
		return
	}
	s.mu.Lock()
	dup := s.usedIDs[ref]
	s.mu.Unlock()
	switch {
	case dup: // seed L513: "the same ID cannot be used for multiple transactions"
		fail(w, msgDuplicate)
		return
	case s.Faults.OutOfStock():
		// The seed documents no out-of-stock answer: its generic error.
		fail(w, msgUnavailable)
		return
	case s.Faults.NoBalance():
		// The seed documents no insufficient-balance answer: its generic error.
		fail(w, msgNoBalance)
		return
	}
	if s.Faults.BeforeCommit(r, ref) {
		return
	}
	answer, msg := s.commit(ref, o, hookURL, hookCode)
	if msg != "" {
		fail(w, msg)
		return
	}
	if s.Faults.AfterCommit(w, r, ref) {
		return
	}
	reply(w, answer)
}

// commit records the sale and charges the balance, atomically with the
// duplicate and balance checks.
func (s *Server) commit(ref string, o order, hookURL, hookCode string) (paymentAnswer, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usedIDs[ref] {
		return paymentAnswer{}, msgDuplicate
	}
	if s.balance.Cmp(o.price) < 0 {
		return paymentAnswer{}, msgNoBalance
	}
	s.usedIDs[ref] = true
	s.nextRef++
	sl := &sale{ref: ref, referenceID: s.nextRef, mobile: o.mobile, price: o.price, state: 1, hookURL: hookURL, hookCode: hookCode}
	switch {
	case o.mobile == FailingNumber:
		sl.state = 0 // the operator cancelled it (seed L530); nothing is charged
	case s.Faults.PendingPolls() > 0:
		sl.state, sl.pollsLeft = -1, s.Faults.PendingPolls() // seed L531
	}
	if sl.state != 0 {
		s.balance = s.balance.Sub(o.price)
		s.commits[ref]++
	}
	if o.giftCard {
		sl.pin = fmt.Sprintf("X%04d-GIFT-%06d", s.nextRef%10000, s.nextRef)
		sl.serial = fmt.Sprintf("SN%d", s.nextRef)
	}
	s.sales[ref] = sl
	return paymentAnswer{
		Status: true, OperationStatus: sl.state, AgentBalance: number(s.balance), Price: number(sl.price),
		Message: paymentMessage(sl.state), TransactionID: ref, ReferenceID: sl.referenceID,
	}, ""
}

// checkAmount is a payment by Amount (seed L507-512).
func checkAmount(b body, net *Network) (order, string) {
	mobile, msg := subscriberNumber(b) // seed L509
	if msg != "" {
		return order{}, msg
	}
	amount, present, err := b.decimal("Amount") // seed L510
	switch {
	case err != nil:
		return order{}, msgBadAmount
	case !present:
		return order{}, msgRequired("Amount")
	case amount.Sign() <= 0,
		!net.MinAmount.IsZero() && amount.Cmp(net.MinAmount) < 0,
		!net.MaxAmount.IsZero() && amount.Cmp(net.MaxAmount) > 0:
		return order{}, msgBadAmount
	}
	price := amount // seed L512: the value charged
	if net.Units {
		// seed L511: a number of units times the unit price (10 × 1.21 = 12.1).
		units, whole := amount.IntPart()
		if !whole {
			return order{}, msgBadAmount
		}
		price = net.UnitPrice.MulInt(units)
	}
	return order{price: price, mobile: mobile}, ""
}

// checkOffer is a payment by OfferCode (seed L549-559).
func (s *Server) checkOffer(b body, net *Network) (order, string) {
	mobile, msg := subscriberNumber(b) // seed L558
	if msg != "" {
		return order{}, msg
	}
	code, present, err := b.text("OfferCode") // seed L549-550, L559
	switch {
	case err != nil:
		return order{}, msgBadOffer
	case !present:
		return order{}, msgRequired("OfferCode")
	}
	o, ok := s.offer[offerKey{net.Key, code}]
	if !ok {
		return order{}, msgBadOffer
	}
	return order{price: o.Price, mobile: mobile}, ""
}

// checkGame is a payment by LinkCode, Fields and Quantity (seed L598-606).
func (s *Server) checkGame(b body) (order, string) {
	link, present, err := b.text("LinkCode") // seed L601
	switch {
	case err != nil:
		return order{}, msgBadLinkCode
	case !present:
		return order{}, msgRequired("LinkCode")
	}
	s.mu.Lock()
	i, ok := s.catIndex[link]
	var cat category
	if ok {
		cat = s.cats[i]
	}
	s.mu.Unlock()
	if !ok {
		return order{}, msgBadLinkCode
	}
	// seed L600: "Mobile number to recharge"; not required of a game.
	mobile, _, _ := b.text("MobileNumber")
	fields, msg := gameFields(b)
	if msg != "" {
		return order{}, msg
	}
	for _, f := range cat.RequiredFields { // seed L289-294, L604
		if fields[f.FieldCode] == "" {
			return order{}, msgRequired(f.FieldCode)
		}
	}
	// seed L605: Quantity is for categories that allow free quantities;
	// absent means 1. seed L286-288: AllowFreeQuantity, MinQuantity,
	// MaxQuantity.
	qty := 1
	if _, present, _ := b.text("Quantity"); present {
		n, msg := b.number("Quantity")
		if msg != "" {
			return order{}, msgBadQuantity
		}
		qty = n
	}
	switch {
	case cat.AllowFreeQuantity && (qty < cat.MinQuantity || qty > cat.MaxQuantity),
		!cat.AllowFreeQuantity && qty != max(cat.MinQuantity, 1):
		return order{}, msgBadQuantity
	}
	price := money.Decimal(cat.LocalPrice).MulInt(int64(qty))
	return order{price: price, mobile: mobile, giftCard: cat.giftCard}, ""
}

// gameFields reads Fields: "field in JSON format" (seed L602-604), so it is
// taken either as a JSON object or as a string holding one. Values may be
// strings or numbers.
func gameFields(b body) (map[string]string, string) {
	raw, ok := b["Fields"]
	if !ok || string(raw) == "null" {
		return map[string]string{}, ""
	}
	var text string
	if json.Unmarshal(raw, &text) == nil {
		raw = json.RawMessage(text)
	}
	var obj body
	if json.Unmarshal(raw, &obj) != nil || obj == nil {
		return nil, msgBadFields
	}
	out := map[string]string{}
	for k := range obj {
		v, present, err := obj.text(k)
		if err != nil {
			return nil, msgBadFields
		}
		if present {
			out[k] = v
		}
	}
	return out, ""
}

// statusAnswer is seed L177-186 (failed L188-197, pending L199-208).
type statusAnswer struct {
	Status          bool            `json:"status"`          // seed L159, L178
	OperationStatus int             `json:"operationStatus"` // seed L160, L179
	MobileNumber    string          `json:"mobileNumber"`    // seed L161, L180
	Price           number          `json:"price"`           // seed L162, L181
	Message         string          `json:"message"`         // seed L163, L182
	Details         string          `json:"details"`         // seed L164, L183
	TransactionID   json.RawMessage `json:"transactionID"`   // seed L165, L184: a number (1234)
	ReferenceID     int64           `json:"referenceID"`     // seed L166, L185
}

// statusMessage is seed L182, L193, L204.
func statusMessage(state int) string {
	switch state {
	case 1:
		return "جاهزة" // seed L182
	case 0:
		return "ملغية" // seed L193
	}
	return "في الانتظار" // seed L204
}

// status is 0/2, seed L151-213.
func (s *Server) status(w http.ResponseWriter, b body) {
	ref, msg := transactionID(b) // seed L174
	if msg != "" {
		fail(w, msg)
		return
	}
	s.mu.Lock()
	sl := s.sales[ref]
	var a statusAnswer
	became := false
	if sl != nil {
		if sl.state == -1 {
			if sl.pollsLeft > 0 {
				sl.pollsLeft--
			} else {
				sl.state, became = 1, true // the operator finished it
			}
		}
		a = s.statusOf(sl)
	}
	s.mu.Unlock()
	if sl == nil {
		// The seed documents no not-found answer for an unknown
		// TransactionID: its generic error (seed L209-213).
		fail(w, msgNoOperation)
		return
	}
	if became {
		go func() { _, _ = s.SendWebhook(ref) }() // seed L496, L638: the platform calls back on a change
	}
	reply(w, a)
}

// statusOf is the 0/2 answer for a sale; the caller holds s.mu.
func (s *Server) statusOf(sl *sale) statusAnswer {
	details := "Operation Notes" // seed L183
	if sl.pin != "" && sl.state == 1 {
		// The seed has no PIN field; a gift card's code goes in details,
		// "Additional transaction notes" (seed L164).
		details = "Code: " + sl.pin + " - Serial: " + sl.serial
	}
	return statusAnswer{
		Status: true, OperationStatus: sl.state, MobileNumber: sl.mobile, Price: number(sl.price),
		Message: statusMessage(sl.state), Details: details, TransactionID: idJSON(sl.ref), ReferenceID: sl.referenceID,
	}
}

// idJSON writes the kiosk's TransactionID as the seed's status answer does,
// a bare number (seed L184), when it is one; otherwise a string.
func idJSON(ref string) json.RawMessage {
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil && strconv.FormatInt(n, 10) == ref {
		return json.RawMessage(ref)
	}
	q, _ := json.Marshal(ref)
	return q
}
