package alqimah

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"kiosk/money"
	"kiosk/providers"
)

// queryService is one subscriber query; the numbers are the seed's own
// (L381-392).
type queryService struct{ network, service int }

var (
	qYMBalance = queryService{1, 101} // seed L387, answer L396-408
	qYMLoan    = queryService{1, 102} // seed L388, answer L409-415
	qYMOffers  = queryService{1, 107} // seed L389, answer L416-458
	qADSL      = queryService{5, 501} // seed L390, answer L459-468
	qLandline  = queryService{6, 601} // seed L391, answer L469-475
	qYemen4G   = queryService{7, 701} // seed L392, answer L476-486
)

// queriesFor lists the queries run before selling a product.
func queriesFor(p providers.Product) []queryService {
	switch p.Extra[xNet] {
	case YemenMobile:
		if p.Extra[xType] == typeOffer {
			return []queryService{qYMOffers}
		}
		return []queryService{qYMBalance, qYMLoan}
	case ADSL:
		return []queryService{qADSL}
	case Landline:
		return []queryService{qLandline}
	case Yemen4G:
		return []queryService{qYemen4G}
	}
	return nil
}

// Query runs the subscriber queries that fit product for number and returns
// their answers as text for the clerk ("" when the network has none).
func (c *Client) Query(ctx context.Context, product providers.Product, number string) (string, error) {
	var lines []string
	for _, q := range queriesFor(product) {
		a, err := c.query(ctx, q, number)
		if err != nil {
			return "", err
		}
		lines = append(lines, c.queryText(q, a))
	}
	return strings.Join(lines, "\n"), nil
}

// query sends one subscriber query: seed L366-394, with NetworkNumber,
// ServiceNumber, MobileNumber and a TransactionID unique for every request.
func (c *Client) query(ctx context.Context, q queryService, number string) (queryAnswer, error) {
	req := func() any {
		return map[string]any{
			"NetworkNumber": q.network, "ServiceNumber": q.service,
			"MobileNumber": number, "TransactionID": c.nextQueryID(),
		}
	}
	var a queryAnswer
	err := c.call(ctx, "query", req, func(b []byte) (err error) {
		a, err = parseQuery(b)
		return err
	})
	if err != nil {
		return a, fmt.Errorf("alqimah query %d/%d: %w", q.network, q.service, err)
	}
	return a, nil
}

// queryText writes one answer the way a clerk reads it out.
func (c *Client) queryText(q queryService, a queryAnswer) string {
	var parts []string
	add := func(label string, v flexString) {
		if s := strings.TrimSpace(string(v)); s != "" {
			parts = append(parts, label+" "+s)
		}
	}
	switch q {
	case qYMBalance:
		add("Balance:", a.MobileBalance)
		switch a.MobileType {
		case 1:
			parts = append(parts, "prepaid")
		case 2:
			parts = append(parts, "postpaid")
		}
		if a.MobileTypeName != "" {
			parts = append(parts, a.MobileTypeName)
		}
		add("available credit:", a.AvailableCredit)
	case qYMLoan:
		loan := "Loan: none"
		if a.LoanStatus != nil && bool(*a.LoanStatus) {
			loan = "Loan: the number owes a loan, repaid first from a top-up"
		}
		parts = append(parts, loan)
		if a.LoanStatusString != "" {
			parts = append(parts, a.LoanStatusString)
		}
	case qYMOffers:
		if len(a.Data) == 0 {
			return "Active offers: none"
		}
		var offers []string
		for _, o := range a.Data {
			offers = append(offers, fmt.Sprintf("%s [%s] until %s", o.OfferName, o.OfferID, o.OfferEndDate))
		}
		return "Active offers: " + strings.Join(offers, "; ")
	default:
		add("Balance:", a.MobileBalance)
		add("expires", a.ExpiredDate)
		add("package", a.OfferAmount)
		add("package size", a.OfferSize)
		add("calls", a.CallBalance)
		add("minimum payment", a.MinAmount)
	}
	return strings.Join(parts, ", ")
}

// Offers lists the offers active on a Yemen Mobile number (1/107) as
// products that renew them by OfferCode. An offer whose code has a
// configured price can be sold; the others are listed as not available,
// since the platform gives no price before the sale.
func (c *Client) Offers(ctx context.Context, number string) ([]providers.Product, error) {
	if c.nets[YemenMobile].Disabled || c.nets[YemenMobile].OfferService == 0 {
		return nil, errors.New("alqimah offers: Yemen Mobile offers are not configured")
	}
	a, err := c.query(ctx, qYMOffers, number)
	if err != nil {
		return nil, err
	}
	priced := map[string]Offer{}
	for _, o := range c.cfg.Offers {
		if o.Network == YemenMobile {
			priced[o.Code] = o
		}
	}
	var out []providers.Product
	for _, d := range a.Data {
		o, ok := priced[d.OfferID]
		name := o.Name
		if !ok && !hasArabic(d.OfferName) {
			name = d.OfferName
		}
		p := c.offerProduct(YemenMobile, d.OfferID, name, d.OfferName, o.Price, ok)
		p.HowToUse = fmt.Sprintf("Active from %s until %s.", d.OfferStartDate, d.OfferEndDate)
		if !ok {
			p.HowToUse += " Not sold here: no price is configured for this offer."
		}
		out = append(out, p)
	}
	return out, nil
}

func hasArabic(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			return true
		}
	}
	return false
}

// adslMinimum reads minAmount from an ADSL answer; zero when absent.
func adslMinimum(a queryAnswer) money.Decimal {
	d, err := money.Parse(strings.TrimSpace(string(a.MinAmount)))
	if err != nil {
		return money.Zero
	}
	return d
}

// quoteQueries runs the product's queries for Quote. A refusal about the
// number stops the sale; a query that merely fails is reported in the text
// so a sale is not blocked by a query service being down.
func (c *Client) quoteQueries(ctx context.Context, p providers.Product, number string, amount money.Decimal) (string, error) {
	var lines []string
	for _, q := range queriesFor(p) {
		a, err := c.query(ctx, q, number)
		var pe *providers.Error
		switch {
		case errors.As(err, &pe) && (pe.Code == string(kindBadNumber) || pe.Code == string(kindNotFound)):
			return "", providers.Refusal(ID, "quote", pe.Code, pe.Message)
		case providers.IsConfig(err):
			return "", err // the payment would meet the same missing route
		case err != nil:
			lines = append(lines, "Subscriber query failed: "+providers.ClerkMessage(err))
			continue
		}
		if q == qADSL {
			if m := adslMinimum(a); !m.IsZero() && amount.Cmp(m) < 0 {
				return "", providers.Refusal(ID, "quote", string(kindBadAmount),
					"the minimum ADSL payment for this line is "+m.String()+" "+c.cfg.currency())
			}
		}
		lines = append(lines, c.queryText(q, a))
	}
	return strings.Join(lines, "\n"), nil
}

// itoa is strconv.Itoa for Extra values.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
