package dtonesim

import (
	"net/http"
	"strconv"
)

// serveProducts answers the three product-list calls:
// GET /operators/{id}/products (seed L54), GET /countries/{id}/products with
// optional operator_id and service_id filters (seed L113), and
// GET /services/{id}/products with optional operator_id and country_id
// filters (seed L153). An id nobody has gives the six empty lists.
func (s *Server) serveProducts(w http.ResponseWriter, r *http.Request, by, rawID string) {
	id, ok := positiveID(rawID)
	if !ok {
		writeError(w, http.StatusBadRequest, codeInvalidParameter, "Invalid parameter: "+by+" id") // PROVIDERS.md: 1000999 invalid parameter
		return
	}
	var f filter
	switch by {
	case "operators":
		f.operator = id // seed L54: no filters
	case "countries":
		f.country = id
		ok = f.query(r, "operator_id", &f.operator) && f.query(r, "service_id", &f.service) // seed L113
	case "services":
		f.service = id
		ok = f.query(r, "operator_id", &f.operator) && f.query(r, "country_id", &f.country) // seed L153
	}
	if !ok {
		writeError(w, http.StatusBadRequest, codeInvalidParameter, "Invalid parameter: filter must be a numeric id")
		return
	}
	s.mu.Lock()
	body := s.appendProductLists(make([]byte, 0, 1024), s.selectProducts(f), by == "countries")
	s.mu.Unlock()
	writeRaw(w, http.StatusOK, body)
}

// filter is a product selection; 0 means "any".
type filter struct{ operator, country, service int }

// query reads one optional numeric filter; an empty value is no filter
// (the seed writes them as ?operator_id=XXX&service_id=YYY).
func (f *filter) query(r *http.Request, key string, dst *int) bool {
	v := r.URL.Query().Get(key)
	if v == "" {
		return true
	}
	n, ok := positiveID(v)
	*dst = n
	return ok
}

// selectProducts lists the indexes of the products f selects, from the
// narrowest index; s.mu is held.
func (s *Server) selectProducts(f filter) []int32 {
	keep := func(i int32) bool {
		p := &s.products[i]
		return (f.operator == 0 || p.OperatorID == f.operator) &&
			(f.service == 0 || p.ServiceID == f.service) &&
			(f.country == 0 || s.operators[s.operatorIdx[p.OperatorID]].CountryID == f.country)
	}
	var cand [][]int32
	switch {
	case f.operator != 0:
		cand = [][]int32{s.byOperator[f.operator]}
	case f.country != 0:
		for _, op := range s.opsByCountry[f.country] {
			cand = append(cand, s.byOperator[op])
		}
	default:
		cand = [][]int32{s.byService[f.service]}
	}
	var out []int32
	for _, list := range cand {
		for _, i := range list {
			if keep(i) {
				out = append(out, i)
			}
		}
	}
	return out
}

// appendProductLists writes the product-list answer: an object with the six
// category keys in the seed's order, each a list (seed L62-L109). The
// country answer ends with the trailing comma of the seed's own sample
// (seed L148: `"variable_value_payments":[],` then `}`): it is not valid
// JSON, and a client must cope with what the document shows. s.mu is held.
func (s *Server) appendProductLists(b []byte, idx []int32, trailingComma bool) []byte {
	var lists [6][]int32
	for _, i := range idx {
		c := categoryIndex(s.products[i].Type)
		lists[c] = append(lists[c], i)
	}
	b = append(b, '{')
	for c, name := range categories() {
		if c > 0 {
			b = append(b, ',')
		}
		b = appendString(b, name)
		b = append(b, ':', '[')
		for j, i := range lists[c] {
			if j > 0 {
				b = append(b, ',')
			}
			b = s.appendProduct(b, &s.products[i])
		}
		b = append(b, ']')
	}
	if trailingComma {
		b = append(b, ',') // seed L148
	}
	return append(b, '}')
}

// appendProduct writes one product in the seed's key order (seed L32-L50,
// L66-L84): ids as numbers, prices as bare numbers. A variable-value
// product has no value or price of its own (the seed gives no shape for it
// and no min/max): it carries the same keys without product_value,
// local_value, wholesale_price, retail_price and fee; its prices are its
// suggested values' (seed L193). s.mu is held.
func (s *Server) appendProduct(b []byte, p *product) []byte {
	op := s.operators[s.operatorIdx[p.OperatorID]]
	ct := s.countries[s.countryIdx[op.CountryID]]
	sv := s.services[s.serviceIdx[p.ServiceID]]
	b = append(b, `{"product_id":`...)                         // seed L33, L67
	b = strconv.AppendInt(b, int64(p.ID), 10)                  //
	b = appendString(append(b, `,"product_name":`...), p.Name) // seed L34, L68
	b = appendString(append(b, `,"product_short_desc":`...), p.Desc)
	b = strconv.AppendInt(append(b, `,"operator_id":`...), int64(op.ID), 10) // seed L36, L70
	b = appendString(append(b, `,"operator":`...), op.Name)
	b = strconv.AppendInt(append(b, `,"country_id":`...), int64(ct.ID), 10) // seed L38, L72
	b = appendString(append(b, `,"country":`...), ct.Name)
	b = strconv.AppendInt(append(b, `,"service_id":`...), int64(sv.ID), 10) // seed L40, L74
	b = appendString(append(b, `,"service":`...), sv.Name)
	if isVariable(p.Type) {
		b = appendString(append(b, `,"product_currency":`...), p.Currency)
		b = appendString(append(b, `,"local_currency":`...), p.Currency)
		b = append(b, `,"account_currency":"USD"}`...)
		return b
	}
	b = append(append(b, `,"product_value":`...), p.Value.String()...) // seed L42, L76
	b = appendString(append(b, `,"product_currency":`...), p.Currency)
	b = append(append(b, `,"local_value":`...), p.Value.String()...) // seed L44, L78
	b = appendString(append(b, `,"local_currency":`...), p.Currency)
	b = append(b, `,"account_currency":"USD"`...)                            // seed L46, L80
	b = append(append(b, `,"wholesale_price":`...), p.Wholesale.String()...) // seed L47, L81
	b = append(append(b, `,"retail_price":`...), p.Retail.String()...)       // seed L48, L82
	b = append(append(b, `,"fee":`...), p.Fee.String()...)                   // seed L49, L83
	return append(b, '}')
}

// productByID finds a product; s.mu is held.
func (s *Server) productByID(id int) *product {
	i, ok := s.productIdx[id]
	if !ok {
		return nil
	}
	return &s.products[i]
}

// serveSuggested answers GET /product/variable_value_recharges/{id}/suggested_values
// (seed L193-L229): numbers as numbers, prices as strings, as the seed shows
// (L205, L212-L214). A product that is not a variable-value recharge is not
// documented; it answers 404 with 1000404 (PROVIDERS.md: not found).
func (s *Server) serveSuggested(w http.ResponseWriter, r *http.Request, rawID string) {
	id, ok := positiveID(rawID)
	if !ok {
		writeError(w, http.StatusBadRequest, codeInvalidParameter, "Invalid parameter: product id")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.productByID(id)
	if p == nil || p.Type != VariableValueRecharges {
		writeError(w, http.StatusNotFound, codeNotFound, "Product not found")
		return
	}
	list := []any{}
	for _, sv := range p.Suggested {
		list = append(list, object{
			{"local_value", num(sv.Value.String())},    // seed L205: number
			{"local_currency", p.Currency},             // seed L206
			{"name", sv.Name},                          // seed L207
			{"description", sv.Desc},                   // seed L208
			{"additional_info_1", sv.Info1},            // seed L209
			{"additional_info_2", sv.Info2},            // seed L210
			{"additional_info_3", sv.Info3},            // seed L211
			{"wholesale_price", sv.Wholesale.String()}, // seed L212: string
			{"retail_price", sv.Retail.String()},       // seed L213: string
			{"fee", num(sv.Fee.String())},              // seed L214: number
		})
	}
	writeJSON(w, http.StatusOK, object{{"suggested_values", list}}) // seed L201-L229
}

// serveAccountStatus answers GET /products/{id}/account_number/{n}/status
// (seed L238-L265): {"verified":1|0} when the product checks accounts,
// HTTP 400 with error 1000304 when it does not. An unknown product is not
// documented; it answers 404 with 1000404 (PROVIDERS.md: not found).
func (s *Server) serveAccountStatus(w http.ResponseWriter, r *http.Request, rawID, account string) {
	id, ok := positiveID(rawID)
	if !ok {
		writeError(w, http.StatusBadRequest, codeInvalidParameter, "Invalid parameter: product id")
		return
	}
	s.mu.Lock()
	p := s.productByID(id)
	verify := p != nil && p.Verify
	s.mu.Unlock()
	switch {
	case p == nil:
		writeError(w, http.StatusNotFound, codeNotFound, "Product not found")
	case !verify:
		writeError(w, http.StatusBadRequest, codeVerifyUnavailable, "Account verification not available for this product") // seed L256-L265
	default:
		verified := 0 // seed L252: 0 when not valid
		if validAccount(account) {
			verified = 1 // seed L249, L252
		}
		writeJSON(w, http.StatusOK, object{{"verified", verified}}) // seed L244-L250
	}
}

// servePing answers GET /ping. extension: PROVIDERS.md ping.
func (s *Server) servePing(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, object{{"info", "pong"}})
}

// serveServices answers GET /services. extension: PROVIDERS.md services.
func (s *Server) serveServices(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	list := make([]any, 0, len(s.services))
	for _, sv := range s.services {
		list = append(list, object{{"service_id", sv.ID}, {"service", sv.Name}})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, object{{"services", list}})
}

// serveCountries answers GET /countries. extension: PROVIDERS.md countries.
func (s *Server) serveCountries(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	list := make([]any, 0, len(s.countries))
	for _, c := range s.countries {
		list = append(list, object{{"country_id", c.ID}, {"country", c.Name}})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, object{{"countries", list}})
}

// serveOperators answers GET /operators (rawCountry "") and
// GET /countries/{id}/operators. extension: PROVIDERS.md operators.
func (s *Server) serveOperators(w http.ResponseWriter, r *http.Request, rawCountry string) {
	countryID := 0
	if rawCountry != "" {
		var ok bool
		if countryID, ok = positiveID(rawCountry); !ok {
			writeError(w, http.StatusBadRequest, codeInvalidParameter, "Invalid parameter: country id")
			return
		}
	}
	s.mu.Lock()
	list := []any{}
	for _, o := range s.operators {
		if countryID == 0 || o.CountryID == countryID {
			list = append(list, object{{"operator_id", o.ID}, {"operator", o.Name},
				{"country_id", o.CountryID}, {"country", s.countries[s.countryIdx[o.CountryID]].Name}})
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, object{{"operators", list}})
}

// serveCountryServices answers GET /countries/{id}/services: the services
// with at least one product in the country. extension: PROVIDERS.md
// countries/{id}/services.
func (s *Server) serveCountryServices(w http.ResponseWriter, r *http.Request, rawCountry string) {
	countryID, ok := positiveID(rawCountry)
	if !ok {
		writeError(w, http.StatusBadRequest, codeInvalidParameter, "Invalid parameter: country id")
		return
	}
	s.mu.Lock()
	has := map[int]bool{}
	for _, op := range s.opsByCountry[countryID] {
		for _, i := range s.byOperator[op] {
			has[s.products[i].ServiceID] = true
		}
	}
	list := []any{}
	for _, sv := range s.services {
		if has[sv.ID] {
			list = append(list, object{{"service_id", sv.ID}, {"service", sv.Name}})
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, object{{"services", list}})
}
