package providers

import "kiosk/termtext"

// The Clean functions pass every piece of provider text a person will read
// (names, messages, PINs, how-to-use) through termtext, so that what a
// provider sends cannot drive the terminal, a log or the printer. Each
// client calls them where its answer leaves the client, so the sale core,
// the journal and everything that shows a sale get clean text.
//
// Identifiers the kiosk sends back or compares (product ids, field names,
// choice values, patterns, defaults, Extra of products and quotes) are left
// exactly as the provider gave them: changing one would change the request.

// CleanProducts cleans each product of a catalogue, in place, and returns it.
func CleanProducts(ps []Product) []Product {
	for i := range ps {
		ps[i] = CleanProduct(ps[i])
	}
	return ps
}

// CleanProduct returns p with its names, brand, category, how-to-use text
// and field labels cleaned.
func CleanProduct(p Product) Product {
	p.Name = termtext.Line(p.Name)
	p.NameAr = termtext.Line(p.NameAr)
	p.Brand = termtext.Line(p.Brand)
	p.BrandAr = termtext.Line(p.BrandAr)
	p.Category = termtext.Line(p.Category)
	p.HowToUse = termtext.Text(p.HowToUse)
	p.HowToUseAr = termtext.Text(p.HowToUseAr)
	if p.Fields != nil {
		fields := make([]Field, len(p.Fields))
		for i, f := range p.Fields {
			fields[i] = cleanField(f)
		}
		p.Fields = fields
	}
	return p
}

func cleanField(f Field) Field {
	f.Label = termtext.Line(f.Label)
	f.LabelAr = termtext.Line(f.LabelAr)
	f.PatternHint = termtext.Line(f.PatternHint)
	f.Placeholder = termtext.Line(f.Placeholder)
	if f.Choices != nil {
		choices := make([]Choice, len(f.Choices))
		for i, c := range f.Choices {
			choices[i] = Choice{Value: c.Value, Label: termtext.Line(c.Label)}
		}
		f.Choices = choices
	}
	return f
}

// CleanQuote returns q with its product and the text for the clerk cleaned.
func CleanQuote(q Quote) Quote {
	q.Product = CleanProduct(q.Product)
	q.Info = termtext.Text(q.Info)
	return q
}

// CleanResult returns r with its message, provider reference and vouchers
// cleaned. ProductID is kept as given: the engine compares it.
func CleanResult(r Result) Result {
	r.ProviderRef = termtext.Line(r.ProviderRef)
	r.Message = termtext.Line(r.Message)
	if r.Vouchers != nil {
		vs := make([]Voucher, len(r.Vouchers))
		for i, v := range r.Vouchers {
			vs[i] = CleanVoucher(v)
		}
		r.Vouchers = vs
	}
	return r
}

// CleanVoucher returns v with every text cleaned, PINs included: a PIN is
// shown on screen and printed, and a control character in it is not
// something the customer could type anyway.
func CleanVoucher(v Voucher) Voucher {
	v.Serial = termtext.Line(v.Serial)
	v.PIN = termtext.Line(v.PIN)
	v.PIN2 = termtext.Line(v.PIN2)
	v.Username = termtext.Line(v.Username)
	v.Expiry = termtext.Line(v.Expiry)
	v.Reference = termtext.Line(v.Reference)
	if v.Extra != nil {
		extra := make(map[string]string, len(v.Extra))
		for k, val := range v.Extra {
			if k = termtext.Line(k); k != "" {
				extra[k] = termtext.Line(val)
			}
		}
		v.Extra = extra
	}
	return v
}

// CleanRecords cleans reconciliation records in place and returns them, as
// CleanResult does a result: the end-of-day report shows their text.
func CleanRecords(rs []Record) []Record {
	for i := range rs {
		rs[i].ProviderRef = termtext.Line(rs[i].ProviderRef)
		rs[i].ProductName = termtext.Line(rs[i].ProductName)
		rs[i].Serial = termtext.Line(rs[i].Serial)
	}
	return rs
}
