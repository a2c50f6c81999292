package dtonesim

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"kiosk/money"
)

// The purchase and the look-up are not in the seed (it documents product
// discovery only): everything in this file is
// extension: PROVIDERS.md "(extension) Purchase" and "(extension) Look-up",
// with the error codes of PROVIDERS.md's error list.

// Error codes (PROVIDERS.md error list; 1000304 is also seed L263).
const (
	codeUnauthorized      = 1000401
	codeNotFound          = 1000404
	codeNoBalance         = 1000777 // PROVIDERS.md: 1000777/1000888 insufficient balance
	codeDuplicate         = 1000990
	codeInvalidParameter  = 1000999
	codeAccountIncorrect  = 1000204
	codeOutOfStock        = 1000301 // PROVIDERS.md: 1000301–1000304 product problems
	codeProductNotFound   = 1000302
	codeProductNotSold    = 1000303
	codeVerifyUnavailable = 1000304 // seed L263
)

// Transaction status of a look-up or purchase answer.
const (
	StatusSuccess        = "0"
	StatusMessageSuccess = "Transaction successful"
	StatusPending        = "PENDING"
	StatusMessagePending = "Transaction pending"
)

// transactionType reports whether POST /transactions/{typ} exists
// (extension: PROVIDERS.md Purchase, the five types of the brief; the
// public API has no variable-value voucher purchase route).
func transactionType(typ string) bool {
	switch typ {
	case FixedValueVouchers, FixedValueRecharges, VariableValueRecharges, FixedValuePayments, VariableValuePayments:
		return true
	}
	return false
}

// txn is a committed purchase.
type txn struct {
	id                     int64
	typ, ref, account      string
	product                product // as sold
	operator               operator
	country                country
	local                  money.Decimal
	wholesale, retail, fee money.Decimal
	simulation             bool
	at                     time.Time
	operatorRef            string
	pin, pin2              string
	pendingLeft            int
}

// order is a purchase body: account_number, product_id, external_id,
// simulation and local_value (variable products), sent as strings or numbers
// (public clients send both). Keys are matched exactly; other keys (sender,
// recipient, SMS fields) are accepted and ignored.
type order struct {
	account, productID, ref, simulation, localValue string
	hasLocal                                        bool
}

func parseOrder(body []byte) (order, string) {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		return order{}, "Invalid parameter: the body must be a JSON object"
	}
	var o order
	var bad string
	get := func(key string, dst *string) bool {
		raw, ok := m[key]
		if !ok {
			return false
		}
		v, ok := scalar(raw)
		if !ok && bad == "" {
			bad = "Invalid parameter: " + key
		}
		*dst = v
		return true
	}
	get("account_number", &o.account)
	get("product_id", &o.productID)
	get("external_id", &o.ref)
	get("simulation", &o.simulation)
	o.hasLocal = get("local_value", &o.localValue)
	return o, bad
}

// scalar reads a JSON string, number or boolean as text; null is "".
func scalar(raw json.RawMessage) (string, bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", false
	}
	switch t := v.(type) {
	case nil:
		return "", true
	case string:
		return strings.TrimSpace(t), true
	case json.Number:
		return t.String(), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

// servePurchase answers POST /transactions/{typ}.
// extension: PROVIDERS.md "(extension) Purchase"; faults apply here.
func (s *Server) servePurchase(w http.ResponseWriter, r *http.Request, typ string) {
	body, err := readBody(w, r)
	if err != nil {
		writeError(w, http.StatusBadRequest, codeInvalidParameter, "Invalid parameter: unreadable body")
		return
	}
	o, bad := parseOrder(body)
	if bad != "" {
		writeError(w, http.StatusBadRequest, codeInvalidParameter, bad)
		return
	}
	t, status, code, msg := s.prepare(typ, o)
	if code != 0 {
		writeError(w, status, code, msg)
		return
	}
	if s.Faults.BeforeCommit(r, t.ref) {
		return
	}
	pending := s.Faults.PendingPolls()
	if status, code, msg := s.commit(t, pending); code != 0 {
		writeError(w, status, code, msg)
		return
	}
	if s.Faults.AfterCommit(w, r, t.ref) {
		return
	}
	s.mu.Lock()
	answer := s.txnJSON(t, t.pendingLeft > 0)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, answer) // PROVIDERS.md: success is HTTP 201
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(http.MaxBytesReader(w, r.Body, 1<<16))
	return b.Bytes(), err
}

// prepare checks an order and prices it; it changes nothing.
func (s *Server) prepare(typ string, o order) (t *txn, status, code int, msg string) {
	bad := func(c int, m string) (*txn, int, int, string) { return nil, http.StatusBadRequest, c, m }
	if o.ref == "" {
		return bad(codeInvalidParameter, "Invalid parameter: external_id is required")
	}
	id, ok := positiveID(o.productID)
	if !ok {
		return bad(codeInvalidParameter, "Invalid parameter: product_id is required")
	}
	var sim bool
	switch o.simulation {
	case "", "0", "false":
	case "1", "true":
		sim = true
	default:
		return bad(codeInvalidParameter, "Invalid parameter: simulation must be 0 or 1")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.txns[o.ref] != nil {
		return bad(codeDuplicate, "External ID already used")
	}
	p := s.productByID(id)
	if p == nil || p.Type != typ {
		return bad(codeProductNotFound, "Product not found for "+typ)
	}
	switch {
	case !isVoucher(typ) && o.account == "":
		return bad(codeInvalidParameter, "Invalid parameter: account_number is required")
	case o.account != "" && !validAccount(o.account):
		return bad(codeAccountIncorrect, "Account number incorrect")
	case typ == VariableValuePayments:
		// Seed L25: a variable value payment needs a request to retrieve the
		// amount to pay first, which neither the seed nor PROVIDERS.md documents.
		return bad(codeProductNotSold, "Bill amount must be retrieved first")
	}
	op := s.operators[s.operatorIdx[p.OperatorID]]
	t = &txn{typ: typ, ref: o.ref, account: o.account, product: *p, operator: op,
		country: s.countries[s.countryIdx[op.CountryID]], simulation: sim}
	if isVariable(typ) {
		// Variable-value products carry no min/max (seed L30-L50 define only
		// fixed-value ones): they are sold at their suggested values (seed L193).
		if !o.hasLocal || o.localValue == "" {
			return bad(codeInvalidParameter, "Invalid parameter: local_value is required")
		}
		v, err := money.Parse(o.localValue)
		if err != nil {
			return bad(codeInvalidParameter, "Invalid parameter: local_value")
		}
		found := false
		for _, sv := range p.Suggested {
			if sv.Value.Cmp(v) == 0 {
				t.local, t.wholesale, t.retail, t.fee, found = v, sv.Wholesale, sv.Retail, sv.Fee, true
				break
			}
		}
		if !found {
			return bad(codeInvalidParameter, "Invalid parameter: local_value is not a suggested value of this product")
		}
	} else {
		t.local, t.wholesale, t.retail, t.fee = p.Value, p.Wholesale, p.Retail, p.Fee
	}
	if status, code, msg := s.checkLocked(t); code != 0 {
		return nil, status, code, msg
	}
	return t, 0, 0, ""
}

// checkLocked refuses a used reference, missing stock or balance; s.mu is held.
// The seed documents no out-of-stock or insufficient-balance answer (it has
// no purchase): the codes are PROVIDERS.md's (1000301 as a product problem,
// 1000777 insufficient balance), and Faults.OutOfStock / Faults.NoBalance
// force them.
func (s *Server) checkLocked(t *txn) (status, code int, msg string) {
	switch {
	case s.txns[t.ref] != nil:
		return http.StatusBadRequest, codeDuplicate, "External ID already used"
	case s.Faults.OutOfStock() || t.product.Stock > 0 && s.stock[t.product.ID] <= 0:
		return http.StatusBadRequest, codeOutOfStock, "Product out of stock"
	case s.Faults.NoBalance() || !t.simulation && s.balance.Cmp(t.wholesale.Add(t.fee)) < 0:
		return http.StatusBadRequest, codeNoBalance, "Insufficient balance"
	}
	return 0, 0, ""
}

// commit records the sale, checking again what may have changed since
// prepare: it takes stock, charges the balance (not in simulation) and
// stores the transaction under its external_id.
func (s *Server) commit(t *txn, pending int) (status, code int, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if status, code, msg := s.checkLocked(t); code != 0 {
		return status, code, msg
	}
	t.id = s.nextTxn
	s.nextTxn++
	t.at = s.now().UTC().Truncate(time.Second)
	t.operatorRef = fmt.Sprintf("OP%09d", t.id)
	if isVoucher(t.typ) {
		t.pin, t.pin2 = demoPIN(t.ref, 1), demoPIN(t.ref, 2)
	}
	t.pendingLeft = pending // the seed has no pending state nor status call: both are the extensions'
	if t.product.Stock > 0 {
		s.stock[t.product.ID]--
	}
	if !t.simulation {
		s.balance = s.balance.Sub(t.wholesale.Add(t.fee))
	}
	s.txns[t.ref] = t
	s.charged[t.ref]++
	return 0, 0, ""
}

// serveLookup answers GET /transactions/{typ}/ext-{ref}
// (extension: PROVIDERS.md "(extension) Look-up by our reference"): the transaction,
// pending for the first Faults.PendingPolls() look-ups after a pending
// purchase; unknown (or of another type): HTTP 404 with 1000404.
func (s *Server) serveLookup(w http.ResponseWriter, r *http.Request, typ, ref string) {
	s.mu.Lock()
	t := s.txns[ref]
	if t == nil || t.typ != typ {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, codeNotFound, "Transaction not found")
		return
	}
	pending := t.pendingLeft > 0
	if pending {
		t.pendingLeft--
	}
	answer := s.txnJSON(t, pending)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, answer)
}

// txnJSON is a transaction answer (extension: PROVIDERS.md: transaction_id, status,
// status_message, operator_reference, prices, and for vouchers a voucher
// object with pin, pin2, value, currency, expiration_date, info_1..3).
// While pending the voucher's fields and the operator reference are empty.
// s.mu is held.
func (s *Server) txnJSON(t *txn, pending bool) object {
	status, msg := StatusSuccess, StatusMessageSuccess
	if pending {
		status, msg = StatusPending, StatusMessagePending
	}
	sim := 0
	if t.simulation {
		sim = 1
	}
	opRef := t.operatorRef
	if pending || isVoucher(t.typ) {
		opRef = ""
	}
	p := &t.product
	o := object{
		{"transaction_id", t.id},
		{"simulation", sim},
		{"status", status},
		{"status_message", msg},
		{"date", t.at.Format(time.DateTime)},
		{"account_number", t.account},
		{"external_id", t.ref},
		{"operator_reference", opRef},
		{"product_id", p.ID},
		{"product", p.Name},
		{"product_desc", p.Desc},
		{"product_currency", p.Currency},
		{"product_value", num(t.local.String())},
		{"local_currency", p.Currency},
		{"local_value", num(t.local.String())},
		{"operator_id", t.operator.ID},
		{"operator", t.operator.Name},
		{"country_id", t.country.ID},
		{"country", t.country.Name},
		{"account_currency", "USD"},
		{"wholesale_price", num(t.wholesale.String())},
		{"retail_price", num(t.retail.String())},
		{"fee", num(t.fee.String())},
	}
	if isVoucher(t.typ) {
		v := object{{"pin", ""}, {"pin2", ""}, {"value", ""}, {"currency", ""},
			{"expiration_date", ""}, {"info_1", ""}, {"info_2", ""}, {"info_3", ""}}
		if !pending {
			v = object{{"pin", t.pin}, {"pin2", t.pin2}, {"value", t.local.String()}, {"currency", p.Currency},
				{"expiration_date", t.at.AddDate(1, 0, 0).Format(time.DateOnly)},
				{"info_1", "Redeem at any " + t.operator.Name + " branch"}, {"info_2", ""}, {"info_3", ""}}
		}
		o = append(o, field{"voucher", v})
	}
	return o
}

// demoPIN makes a 16-digit PIN from the reference (the old sandbox's
// pattern), so a re-read shows the same PIN.
func demoPIN(ref string, n int) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("dtone-pin/%d/%s", n, ref)))
	return fmt.Sprintf("%016d", binary.BigEndian.Uint64(h[:8])%10_000_000_000_000_000)
}
