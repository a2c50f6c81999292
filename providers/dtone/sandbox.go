package dtone

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"kiosk/money"
	"kiosk/providers/sandboxkit"
	"kiosk/secret"
)

// Built-in sandbox credentials (printable: they open nothing real).
const (
	sandboxKey    = "sandbox-dtone-apikey"
	sandboxSecret = "sandbox-dtone-secret"
)

// Sandbox is a DT One Goods & Services API on loopback: it checks the HMAC
// headers and refuses a nonce it has seen, serves the demo catalogue, answers
// account checks (numbers ending in 0000 are invalid; products without
// checks answer 1000304), keeps a USD balance and voucher stock, and stores
// purchases by external_id for the ext- look-up.
type Sandbox struct {
	Faults *sandboxkit.Faults

	mu      sync.Mutex
	seen    map[string]bool // nonces
	balance money.Decimal   // USD
	stock   map[int]int
	txns    map[string]*sandboxTxn // by external_id
	charged map[string]int
	nextID  int64
	now     func() time.Time
}

type sandboxTxn struct {
	id          int64
	typ         string
	ref         string
	account     string
	product     *demoProduct
	local       money.Decimal
	wholesale   money.Decimal
	retail      money.Decimal
	fee         money.Decimal
	simulation  bool
	at          time.Time
	operatorRef string
	pin, pin2   string
	pendingLeft int
}

// NewSandbox returns a sandbox with the demo catalogue and 5000 USD.
func NewSandbox() *Sandbox {
	s := &Sandbox{
		Faults:  &sandboxkit.Faults{},
		seen:    map[string]bool{},
		balance: money.FromInt(5000),
		stock:   map[int]int{},
		txns:    map[string]*sandboxTxn{},
		charged: map[string]int{},
		nextID:  3624298,
		now:     time.Now,
	}
	for _, p := range demoProducts {
		if p.Stock > 0 {
			s.stock[p.ID] = p.Stock
		}
	}
	return s
}

// SandboxConfig is a client config with the sandbox's credentials, in
// simulation mode as a real test account would be.
func SandboxConfig(baseURL string) Config {
	return Config{
		BaseURL:    baseURL,
		APIKey:     secret.New(sandboxKey),
		APISecret:  secret.New(sandboxSecret),
		Simulation: true,
		Sandbox:    true,
	}
}

// SetClock sets the sandbox's clock (transaction times); tests fix it.
func (s *Sandbox) SetClock(now func() time.Time) {
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
}

// Credentials is one line for `kiosk sandbox` to print.
func (s *Sandbox) Credentials() string {
	return fmt.Sprintf("dtone: api_key=%s api_secret=%s (numbers ending in 0000 are invalid; Claro TV, vouchers and PLN skip account checks)", sandboxKey, sandboxSecret)
}

// Charged reports how many purchases were committed under ref.
func (s *Sandbox) Charged(ref string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.charged[ref]
}

// ServeHTTP answers the API under any prefix ending in the API paths; a
// leading "v1.1/" is accepted as the real base URL has one.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Faults.Delay(r.Context())
	if code, msg := s.authorize(r); code != "" {
		writeError(w, http.StatusUnauthorized, code, msg)
		return
	}
	path := strings.TrimPrefix(strings.Trim(r.URL.Path, "/"), "v1.1/")
	parts := strings.Split(path, "/")
	get := r.Method == http.MethodGet
	switch {
	case get && path == "ping":
		writeJSON(w, http.StatusOK, map[string]string{"info": "pong"})
	case get && path == "services":
		writeJSON(w, http.StatusOK, map[string]any{"services": demoServiceList()})
	case get && path == "countries":
		writeJSON(w, http.StatusOK, map[string]any{"countries": demoCountryList()})
	case get && path == "operators":
		writeJSON(w, http.StatusOK, map[string]any{"operators": demoOperatorList(0)})
	case get && len(parts) == 3 && parts[0] == "countries" && parts[2] == "operators":
		writeJSON(w, http.StatusOK, map[string]any{"operators": demoOperatorList(atoi(parts[1]))})
	case get && len(parts) == 3 && parts[2] == "products" && (parts[0] == "operators" || parts[0] == "countries" || parts[0] == "services"):
		s.serveProducts(w, r, parts[0], atoi(parts[1]))
	case get && len(parts) == 4 && parts[0] == "product" && parts[3] == "suggested_values":
		s.serveSuggested(w, parts[1], atoi(parts[2]))
	case get && len(parts) == 5 && parts[0] == "products" && parts[2] == "account_number" && parts[4] == "status":
		s.serveAccountStatus(w, atoi(parts[1]), parts[3])
	case r.Method == http.MethodPost && len(parts) == 2 && parts[0] == "transactions":
		s.servePurchase(w, r, parts[1])
	case get && len(parts) == 3 && parts[0] == "transactions" && strings.HasPrefix(parts[2], "ext-"):
		s.serveLookup(w, parts[1], strings.TrimPrefix(parts[2], "ext-"))
	default:
		writeError(w, http.StatusNotFound, "1000404", "Not found")
	}
}

// authorize checks the three headers and that the nonce is new.
func (s *Sandbox) authorize(r *http.Request) (code, msg string) {
	nonce := r.Header.Get(headerNonce)
	if r.Header.Get(headerKey) == "" || nonce == "" || r.Header.Get(headerHMAC) == "" {
		return "1000401", "Unauthorized: missing authentication headers"
	}
	if !validSignature(r, sandboxKey, sandboxSecret) {
		return "1000401", "Unauthorized"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[nonce] {
		return "1000401", "Unauthorized: nonce already used"
	}
	s.seen[nonce] = true
	return "", ""
}

func (s *Sandbox) serveProducts(w http.ResponseWriter, r *http.Request, by string, id int) {
	q := r.URL.Query()
	filter := func(key string) int { // 0: no filter
		if q.Get(key) == "" {
			return 0
		}
		return atoi(q.Get(key))
	}
	opFilter, svcFilter, ctFilter := filter("operator_id"), filter("service_id"), filter("country_id")
	lists := map[string][]any{}
	for _, pt := range productTypes {
		lists[pt.name] = []any{}
	}
	for i := range demoProducts {
		p := &demoProducts[i]
		op := demoOperatorByID(p.OperatorID)
		keep := by == "operators" && p.OperatorID == id || by == "countries" && op.CountryID == id || by == "services" && p.ServiceID == id
		keep = keep && (opFilter == 0 || p.OperatorID == opFilter) && (svcFilter == 0 || p.ServiceID == svcFilter) && (ctFilter == 0 || op.CountryID == ctFilter)
		if keep {
			lists[p.Type] = append(lists[p.Type], productJSON(p))
		}
	}
	writeJSON(w, http.StatusOK, lists)
}

func (s *Sandbox) serveSuggested(w http.ResponseWriter, typ string, id int) {
	p := demoProductByID(typ, id)
	if p == nil || !isVariable(typ) {
		writeError(w, http.StatusNotFound, "1000404", "Product not found")
		return
	}
	list := []any{}
	for _, sv := range p.Suggested {
		// Prices as strings, numbers as numbers: the seed's own mix.
		list = append(list, map[string]any{
			"local_value": num(sv.Value), "local_currency": p.Currency, "name": sv.Name,
			"description": sv.Desc, "additional_info_1": sv.Info1, "additional_info_2": sv.Info2,
			"additional_info_3": sv.Info3, "wholesale_price": sv.Wholesale, "retail_price": sv.Retail, "fee": num(sv.Fee),
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"suggested_values": list})
}

func (s *Sandbox) serveAccountStatus(w http.ResponseWriter, id int, account string) {
	p := demoProductAnyType(id)
	switch {
	case p == nil:
		writeError(w, http.StatusNotFound, "1000404", "Product not found")
	case !p.Verify:
		writeError(w, http.StatusBadRequest, "1000304", "Account verification not available for this product")
	default:
		verified := 1
		if !validAccount(account) {
			verified = 0
		}
		writeJSON(w, http.StatusOK, map[string]int{"verified": verified})
	}
}

// validAccount is the sandbox's rule for a number the operator knows.
func validAccount(n string) bool {
	if n == "" || strings.HasSuffix(n, "0000") {
		return false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// sandboxOrder is a purchase body, read as loosely as DT One reads it.
type sandboxOrder struct {
	AccountNumber flexString `json:"account_number"`
	ProductID     flexString `json:"product_id"`
	ExternalID    flexString `json:"external_id"`
	Simulation    flexString `json:"simulation"`
	LocalValue    flexString `json:"local_value"`
}

func (s *Sandbox) servePurchase(w http.ResponseWriter, r *http.Request, typ string) {
	var o sandboxOrder
	if !knownType(typ) {
		writeError(w, http.StatusNotFound, "1000404", "Not found")
		return
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&o); err != nil {
		writeError(w, http.StatusBadRequest, "1000999", "Invalid request body")
		return
	}
	p := demoProductByID(typ, atoi(string(o.ProductID)))
	if p == nil {
		writeError(w, http.StatusNotFound, "1000404", "Product not found")
		return
	}
	t, status, code, msg := s.prepare(p, typ, o)
	if code != "" {
		writeError(w, status, code, msg)
		return
	}
	ref := t.ref
	if s.Faults.BeforeCommit(r, ref) {
		return
	}
	if status, code, msg := s.commit(t); code != "" {
		writeError(w, status, code, msg)
		return
	}
	if s.Faults.AfterCommit(w, r, ref) {
		return
	}
	s.mu.Lock()
	body := txnJSON(t, t.pendingLeft > 0)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, body)
}

// prepare checks an order and prices it; it changes nothing.
func (s *Sandbox) prepare(p *demoProduct, typ string, o sandboxOrder) (t *sandboxTxn, status int, code, msg string) {
	t = &sandboxTxn{typ: typ, ref: string(o.ExternalID), account: string(o.AccountNumber), product: p, simulation: o.Simulation == "1" || o.Simulation == "true"}
	needsAccount := !strings.Contains(typ, "voucher")
	switch {
	case t.ref == "":
		return nil, http.StatusBadRequest, "1000999", "external_id is required"
	case needsAccount && t.account == "":
		return nil, http.StatusBadRequest, "1000999", "account_number is required"
	case t.account != "" && !validAccount(t.account):
		return nil, http.StatusBadRequest, "1000204", "Account number incorrect"
	case typ == VariablePayments:
		return nil, http.StatusBadRequest, "1000303", "Bill amount must be retrieved first"
	}
	if isVariable(typ) {
		v, err := money.Parse(string(o.LocalValue))
		if err != nil {
			return nil, http.StatusBadRequest, "1000999", "local_value is required"
		}
		if v.Cmp(money.MustParse(p.Min)) < 0 || v.Cmp(money.MustParse(p.Max)) > 0 {
			return nil, http.StatusBadRequest, "1000207", "Amount limit exceeded"
		}
		t.local = v
		if t.wholesale, t.retail, t.fee, err = demoPrice(p, v); err != nil {
			return nil, http.StatusBadRequest, "1000999", "No price for this amount"
		}
	} else {
		t.local = money.MustParse(p.Value)
		t.wholesale, t.retail, t.fee = money.MustParse(p.Wholesale), money.MustParse(p.Retail), money.MustParse(p.Fee)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if status, code, msg := s.checkLocked(t); code != "" {
		return nil, status, code, msg
	}
	return t, 0, "", ""
}

// checkLocked refuses a duplicate reference, missing stock or balance.
func (s *Sandbox) checkLocked(t *sandboxTxn) (int, string, string) {
	switch {
	case s.txns[t.ref] != nil:
		return http.StatusBadRequest, "1000990", "External ID already used"
	case s.Faults.OutOfStock() || t.product.Stock > 0 && s.stock[t.product.ID] <= 0:
		return http.StatusBadRequest, "1000301", "Product out of stock"
	case s.Faults.NoBalance() || !t.simulation && s.balance.Cmp(t.wholesale.Add(t.fee)) < 0:
		return http.StatusBadRequest, "1000777", "Insufficient balance"
	}
	return 0, "", ""
}

// commit records the sale, checking again what may have changed since prepare.
func (s *Sandbox) commit(t *sandboxTxn) (int, string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if status, code, msg := s.checkLocked(t); code != "" {
		return status, code, msg
	}
	t.id = s.nextID
	s.nextID++
	t.at = s.now().UTC().Truncate(time.Second)
	t.operatorRef = fmt.Sprintf("OP%09d", t.id)
	if strings.Contains(t.typ, "voucher") {
		t.pin, t.pin2 = demoPIN(t.ref, 1), demoPIN(t.ref, 2)
	}
	t.pendingLeft = s.Faults.PendingPolls()
	if t.product.Stock > 0 {
		s.stock[t.product.ID]--
	}
	if !t.simulation {
		s.balance = s.balance.Sub(t.wholesale.Add(t.fee))
	}
	s.txns[t.ref] = t
	s.charged[t.ref]++
	return 0, "", ""
}

func (s *Sandbox) serveLookup(w http.ResponseWriter, typ, ref string) {
	s.mu.Lock()
	t := s.txns[ref]
	if t == nil || t.typ != typ {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "1000404", "Transaction not found")
		return
	}
	pending := t.pendingLeft > 0
	if pending {
		t.pendingLeft--
	}
	body := txnJSON(t, pending)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// txnJSON is a transaction as DT One writes it; pending hides the voucher.
func txnJSON(t *sandboxTxn, pending bool) map[string]any {
	p := t.product
	op := demoOperatorByID(p.OperatorID)
	ct := demoCountryByID(op.CountryID)
	status, msg := "0", "Transaction successful"
	if pending {
		status, msg = "PENDING", "Transaction pending"
	}
	sim := 0
	if t.simulation {
		sim = 1
	}
	m := map[string]any{
		"transaction_id": strconv.FormatInt(t.id, 10), "simulation": sim, "status": status, "status_message": msg,
		"date": t.at.Format(time.DateTime), "account_number": t.account, "external_id": t.ref,
		"operator_reference": "", "product_id": strconv.Itoa(p.ID), "product": p.Name, "product_desc": p.Desc,
		"product_currency": p.Currency, "product_value": num(t.local.String()), "local_currency": p.Currency,
		"local_value": num(t.local.String()), "operator_id": strconv.Itoa(op.ID), "operator": op.Name,
		"country_id": strconv.Itoa(ct.ID), "country": ct.Name, "account_currency": "USD",
		"wholesale_price": num(t.wholesale.String()), "retail_price": num(t.retail.String()), "fee": num(t.fee.String()),
	}
	if !pending && !strings.Contains(t.typ, "voucher") {
		m["operator_reference"] = t.operatorRef
	}
	if strings.Contains(t.typ, "voucher") {
		v := map[string]any{"pin": "", "pin2": "", "value": "", "currency": "", "expiration_date": "", "info_1": "", "info_2": "", "info_3": ""}
		if !pending {
			v["pin"], v["pin2"], v["value"], v["currency"] = t.pin, t.pin2, t.local.String(), p.Currency
			v["expiration_date"] = t.at.AddDate(1, 0, 0).Format(time.DateOnly)
			v["info_1"] = "Redeem at any " + op.Name + " branch"
		}
		m["voucher"] = v
	}
	return m
}

// demoPrice prices an amount of a variable product the way DT One's
// suggested values do: a suggested amount at its price, any other at the
// rate of the largest one.
func demoPrice(p *demoProduct, v money.Decimal) (w, r, fee money.Decimal, err error) {
	var ref *demoSuggestion
	for i := range p.Suggested {
		sv := &p.Suggested[i]
		if money.MustParse(sv.Value).Cmp(v) == 0 {
			return money.MustParse(sv.Wholesale), money.MustParse(sv.Retail), money.MustParse(sv.Fee), nil
		}
		if ref == nil || money.MustParse(sv.Value).Cmp(money.MustParse(ref.Value)) > 0 {
			ref = sv
		}
	}
	if ref == nil {
		return w, r, fee, fmt.Errorf("no rate")
	}
	per := money.MustParse(ref.Value)
	if w, err = scale(money.MustParse(ref.Wholesale), v, per, 2); err != nil {
		return
	}
	if r, err = scale(money.MustParse(ref.Retail), v, per, 2); err != nil {
		return
	}
	return w, r, money.MustParse(ref.Fee), nil
}

// demoPIN makes a 16-digit PIN from the reference, so a re-read shows the same.
func demoPIN(ref string, n int) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("dtone-pin/%d/%s", n, ref)))
	return fmt.Sprintf("%016d", binary.BigEndian.Uint64(h[:8])%10_000_000_000_000_000)
}

func productJSON(p *demoProduct) map[string]any {
	op := demoOperatorByID(p.OperatorID)
	ct := demoCountryByID(op.CountryID)
	svc := demoServiceByID(p.ServiceID)
	m := map[string]any{
		"product_id": p.ID, "product_name": p.Name, "product_short_desc": p.Desc,
		"operator_id": op.ID, "operator": op.Name, "country_id": ct.ID, "country": ct.Name,
		"service_id": svc.ID, "service": svc.Name, "account_currency": "USD",
		"product_currency": p.Currency, "local_currency": p.Currency,
	}
	if isVariable(p.Type) {
		m["product_min_value"], m["product_max_value"] = num(p.Min), num(p.Max)
		m["local_min_value"], m["local_max_value"] = num(p.Min), num(p.Max)
		return m
	}
	m["product_value"], m["local_value"] = num(p.Value), num(p.Value)
	m["wholesale_price"], m["retail_price"], m["fee"] = num(p.Wholesale), num(p.Retail), num(p.Fee)
	return m
}

func demoCountryList() []any {
	var l []any
	for _, c := range demoCountries {
		l = append(l, map[string]any{"country_id": c.ID, "country": c.Name})
	}
	return l
}

func demoServiceList() []any {
	var l []any
	for _, s := range demoServices {
		l = append(l, map[string]any{"service_id": s.ID, "service": s.Name})
	}
	return l
}

func demoOperatorList(countryID int) []any {
	l := []any{}
	for _, o := range demoOperators {
		if countryID == 0 || o.CountryID == countryID {
			l = append(l, map[string]any{"operator_id": o.ID, "operator": o.Name, "country_id": o.CountryID, "country": demoCountryByID(o.CountryID).Name})
		}
	}
	return l
}

func demoOperatorByID(id int) demoOperator {
	for _, o := range demoOperators {
		if o.ID == id {
			return o
		}
	}
	return demoOperator{}
}

func demoCountryByID(id int) demoCountry {
	for _, c := range demoCountries {
		if c.ID == id {
			return c
		}
	}
	return demoCountry{}
}

func demoServiceByID(id int) demoService {
	for _, s := range demoServices {
		if s.ID == id {
			return s
		}
	}
	return demoService{}
}

func demoProductByID(typ string, id int) *demoProduct {
	for i := range demoProducts {
		if demoProducts[i].Type == typ && demoProducts[i].ID == id {
			return &demoProducts[i]
		}
	}
	return nil
}

func demoProductAnyType(id int) *demoProduct {
	for i := range demoProducts {
		if demoProducts[i].ID == id {
			return &demoProducts[i]
		}
	}
	return nil
}

// num writes a decimal string as a bare JSON number, as DT One does.
func num(s string) json.Number { return json.Number(s) }

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	n, _ := strconv.Atoi(code)
	writeJSON(w, status, map[string]any{"errors": []any{map[string]any{"code": n, "message": msg}}})
}
