package journal

import (
	"kiosk/pricing"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/storage"
	"kiosk/termtext"
)

// The sale core's types as the journal keeps them. storage owns its
// records (storage/records.go); this file maps a Sale to its record and
// back, field by field, so neither side's structs are the other's format.

func toRecord(s *sale.Sale) storage.SaleRecord {
	r := storage.SaleRecord{
		Ref: s.Ref, Terminal: s.Terminal, Clerk: s.Clerk, Provider: s.Provider,
		State: string(s.State), Open: s.State.Open(), Customer: s.Customer(),
		ProviderRef: s.ProviderRef, Message: s.Message, Alarm: s.Alarm, Charged: s.Charged,
		Attempts: s.Attempts, Prints: s.Prints, Created: s.Created, Updated: s.Updated,
		Product: productRecord(s.Product), Quote: quoteRecord(s.Quote), Price: priceRecord(s.Price),
	}
	for _, t := range s.History {
		r.History = append(r.History, storage.TransitionRecord{At: t.At, State: string(t.State), Note: t.Note, By: t.By})
	}
	for _, v := range s.Vouchers {
		r.Vouchers = append(r.Vouchers, voucherRecord(v))
	}
	return r
}

// fromRecord reads a sale back. What a provider wrote passes through the
// sanitiser again: the clients clean every answer as it comes in, and this
// covers sales journaled before they did.
func fromRecord(r storage.SaleRecord) *sale.Sale {
	s := &sale.Sale{
		Ref: r.Ref, Terminal: r.Terminal, Clerk: r.Clerk, Provider: r.Provider,
		State: sale.State(r.State), ProviderRef: termtext.Line(r.ProviderRef), Message: termtext.Line(r.Message), Alarm: r.Alarm,
		Charged: r.Charged, Attempts: r.Attempts, Prints: r.Prints, Created: r.Created, Updated: r.Updated,
		VoucherErr: r.VoucherErr,
	}
	s.Product = providers.CleanProduct(product(r.Provider, r.Product))
	s.Quote = providers.CleanQuote(quote(r.Quote, s.Product))
	s.Price = price(r.Price, s.Quote)
	for _, t := range r.History {
		s.History = append(s.History, sale.Transition{At: t.At, State: sale.State(t.State), Note: t.Note, By: t.By})
	}
	for _, v := range r.Vouchers {
		s.Vouchers = append(s.Vouchers, providers.CleanVoucher(voucher(v)))
	}
	return s
}

func fromRecords(rs []storage.SaleRecord) []*sale.Sale {
	out := make([]*sale.Sale, len(rs))
	for i, r := range rs {
		out[i] = fromRecord(r)
	}
	return out
}

func productRecord(p providers.Product) storage.ProductRecord {
	r := storage.ProductRecord{
		ID: p.ID, Name: p.Name, NameAr: p.NameAr, Brand: p.Brand, BrandAr: p.BrandAr, Category: p.Category,
		Country: p.Country, Kind: string(p.Kind), PriceKind: string(p.PriceKind), Price: p.Price, Cost: p.Cost,
		FaceValue: p.FaceValue, MinAmount: p.MinAmount, MaxAmount: p.MaxAmount, Step: p.Step,
		VATType: p.VATType, VATPercent: p.VATPercent, HowToUse: p.HowToUse, HowToUseAr: p.HowToUseAr, Extra: p.Extra,
	}
	for _, f := range p.Fields {
		fr := storage.FieldRecord{
			Name: f.Name, Label: f.Label, LabelAr: f.LabelAr, Kind: string(f.Kind), Required: f.Required,
			MinLen: f.MinLen, MaxLen: f.MaxLen, Pattern: f.Pattern, PatternHint: f.PatternHint, Min: f.Min, Max: f.Max,
			Default: f.Default, Placeholder: f.Placeholder, Confirm: f.Confirm, Hidden: f.Hidden,
			CallingCode: f.CallingCode, NationalLen: f.NationalLen, International: f.International,
		}
		for _, c := range f.Choices {
			fr.Choices = append(fr.Choices, storage.ChoiceRecord{Value: c.Value, Label: c.Label})
		}
		r.Fields = append(r.Fields, fr)
	}
	return r
}

// product is the product as it was sold (available then).
func product(provider string, r storage.ProductRecord) providers.Product {
	p := providers.Product{
		Provider: provider, Available: true, ID: r.ID, Name: r.Name, NameAr: r.NameAr, Brand: r.Brand, BrandAr: r.BrandAr,
		Category: r.Category, Country: r.Country, Kind: providers.Kind(r.Kind), PriceKind: providers.PriceKind(r.PriceKind),
		Price: r.Price, Cost: r.Cost, FaceValue: r.FaceValue, MinAmount: r.MinAmount, MaxAmount: r.MaxAmount,
		Step: r.Step, VATType: r.VATType, VATPercent: r.VATPercent, HowToUse: r.HowToUse, HowToUseAr: r.HowToUseAr,
		Extra: r.Extra,
	}
	for _, f := range r.Fields {
		pf := providers.Field{
			Name: f.Name, Label: f.Label, LabelAr: f.LabelAr, Kind: providers.FieldKind(f.Kind), Required: f.Required,
			MinLen: f.MinLen, MaxLen: f.MaxLen, Pattern: f.Pattern, PatternHint: f.PatternHint, Min: f.Min, Max: f.Max,
			Default: f.Default, Placeholder: f.Placeholder, Confirm: f.Confirm, Hidden: f.Hidden,
			CallingCode: f.CallingCode, NationalLen: f.NationalLen, International: f.International,
		}
		for _, c := range f.Choices {
			pf.Choices = append(pf.Choices, providers.Choice{Value: c.Value, Label: c.Label})
		}
		p.Fields = append(p.Fields, pf)
	}
	return p
}

func quoteRecord(q providers.Quote) storage.QuoteRecord {
	return storage.QuoteRecord{
		Fields: q.Fields, Amount: q.Amount, Quantity: q.Quantity, CostBeforeVAT: q.CostBeforeVAT, CostVAT: q.CostVAT,
		Cost: q.Cost, RetailBeforeVAT: q.RetailBeforeVAT, RetailVAT: q.RetailVAT, Retail: q.Retail, Fee: q.Fee,
		Info: q.Info, Extra: q.Extra,
	}
}

func quote(r storage.QuoteRecord, p providers.Product) providers.Quote {
	return providers.Quote{
		Product: p, Fields: r.Fields, Amount: r.Amount, Quantity: r.Quantity, CostBeforeVAT: r.CostBeforeVAT,
		CostVAT: r.CostVAT, Cost: r.Cost, RetailBeforeVAT: r.RetailBeforeVAT, RetailVAT: r.RetailVAT,
		Retail: r.Retail, Fee: r.Fee, Info: r.Info, Extra: r.Extra,
	}
}

func priceRecord(p *pricing.Record) *storage.PriceRecord {
	if p == nil {
		return nil
	}
	return &storage.PriceRecord{Retail: p.Retail, RetailVAT: p.RetailVAT, Fee: p.Fee, FeeVAT: p.FeeVAT, Total: p.Total,
		VAT: p.VAT, Margin: p.Margin, Mode: string(p.Mode), Credit: p.Credit, Source: string(p.Source), Rule: p.Rule,
		FeeRule: p.FeeRule}
}

// price reads a sale's price back; its cost is the quote's (one figure,
// kept once).
func price(r *storage.PriceRecord, q providers.Quote) *pricing.Record {
	if r == nil {
		return nil
	}
	return &pricing.Record{Cost: q.Cost, CostVAT: q.CostVAT, Retail: r.Retail, RetailVAT: r.RetailVAT, Fee: r.Fee,
		FeeVAT: r.FeeVAT, Total: r.Total, VAT: r.VAT, Margin: r.Margin, Mode: pricing.Mode(r.Mode), Credit: r.Credit,
		Source: pricing.Source(r.Source), Rule: termtext.Line(r.Rule), FeeRule: termtext.Line(r.FeeRule)}
}

func voucherRecord(v providers.Voucher) storage.VoucherRecord {
	return storage.VoucherRecord{Serial: v.Serial, PIN: v.PIN, PIN2: v.PIN2, Username: v.Username, Expiry: v.Expiry,
		IsQR: v.IsQR, Reference: v.Reference, Value: v.Value, Extra: v.Extra}
}

func voucher(r storage.VoucherRecord) providers.Voucher {
	return providers.Voucher{Serial: r.Serial, PIN: r.PIN, PIN2: r.PIN2, Username: r.Username, Expiry: r.Expiry,
		IsQR: r.IsQR, Reference: r.Reference, Value: r.Value, Extra: r.Extra}
}

// voucherRecords and vouchers map PINs for the end-of-day records, which
// carry a provider's PINs for sales it charged but this kiosk did not hand
// over.
func voucherRecords(vs []providers.Voucher) []storage.VoucherRecord {
	var out []storage.VoucherRecord
	for _, v := range vs {
		out = append(out, voucherRecord(v))
	}
	return out
}

func vouchers(rs []storage.VoucherRecord) []providers.Voucher {
	var out []providers.Voucher
	for _, r := range rs {
		out = append(out, voucher(r))
	}
	return out
}
