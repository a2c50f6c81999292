package alqimah

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"kiosk/money"
	"kiosk/providers"
)

// Product.Extra keys.
const (
	xNet       = "net"        // network key: "yemen_mobile"
	xType      = "type"       // typeAmount, typeUnits, typeOffer or typeGame
	xNetwork   = "network"    // NetworkNumber
	xService   = "service"    // ServiceNumber
	xOfferCode = "offer_code" // OfferCode of an offer
	xLinkCode  = "link_code"  // LinkCode of a game or gift card
	xFields    = "fields"     // the category's RequiredFields codes, comma separated
	xFreeQty   = "free_quantity"
	xQuantity  = "quantity" // items per sale of a fixed game category
	xAmount    = "amount"   // Quote.Extra: the Amount sent (amount or unit count)
)

const (
	typeAmount = "amount"
	typeUnits  = "units"
	typeOffer  = "offer"
	typeGame   = "game"
)

// fieldMobile is the wire name of the subscriber number.
const fieldMobile = "MobileNumber"

// netInfo is what the clerk sees of each network and how its numbers look.
// Mobile numbers are checked only as Yemeni mobile numbers here: which
// network a number belongs to is a warning the clerk confirms (the screens'
// operator detection), because ported numbers keep their old prefix.
type netInfo struct {
	brand, brandAr         string
	label, labelAr         string
	pattern, hint, hintKey string
	length                 int
	mobile                 bool // a mobile number: +967 and a trunk 0 may be typed
}

// The number forms are the seed's: "7XXXXXXXX - 0XXXXXXX - 10XXXXXX"
// (L393, L509). The seed does not say which service takes which fixed-line
// form, so ADSL and Yemen 4G take both (the subscriber query refuses a
// number the service does not know), and a landline its 0XXXXXXX.
const (
	mobilePattern = `7[0-9]{8}`
	mobileHint    = "a Yemeni mobile number has 9 digits and starts with 7"
	fixedPattern  = `0[1-7][0-9]{6}|10[0-9]{6}`
	fixedHint     = "8 digits: 10xxxxxx, or the line's number with its area code, 0xxxxxxx"
)

var netInfos = map[string]netInfo{
	YemenMobile: {"Yemen Mobile", "يمن موبايل", "Mobile number", "رقم الجوال", mobilePattern, mobileHint, "yemen_mobile", 9, true},
	Sabafon:     {"Sabafon", "سبأفون", "Mobile number", "رقم الجوال", mobilePattern, mobileHint, "yemen_mobile", 9, true},
	YOU:         {"YOU", "يو", "Mobile number", "رقم الجوال", mobilePattern, mobileHint, "yemen_mobile", 9, true},
	YTelecom:    {"Y Telecom", "واي", "Mobile number", "رقم الجوال", mobilePattern, mobileHint, "yemen_mobile", 9, true},
	ADSL:        {"Yemen Net ADSL", "يمن نت ADSL", "ADSL number", "رقم ADSL", fixedPattern, fixedHint, "yemen_fixed", 8, false},
	Landline:    {"Landline", "الهاتف الثابت", "Landline number", "رقم الهاتف الثابت", `0[1-7][0-9]{6}`, "a landline number has 8 digits with its area code and starts with 0 (01xxxxxx)", "yemen_landline", 8, false},
	Yemen4G:     {"Yemen 4G", "يمن فورجي", "Yemen 4G number", "رقم يمن فورجي", fixedPattern, fixedHint, "yemen_fixed", 8, false},
}

// Yemen's country calling code, for mobile numbers typed as +967 77…,
// 00967 77… or 077…; landline, ADSL and 4G numbers keep their own form
// (the leading 0 of a landline number is part of it).
const callingCode = "967"

// numberField is the subscriber number field of a network.
func numberField(key string) providers.Field {
	in := netInfos[key]
	f := providers.Field{
		Name: fieldMobile, Label: in.label, LabelAr: in.labelAr, Kind: providers.FieldPhone,
		Required: true, MinLen: in.length, MaxLen: in.length,
		Pattern: in.pattern, PatternHint: in.hint, HintKey: in.hintKey, Placeholder: strings.Repeat("x", in.length),
	}
	if in.mobile {
		f.CallingCode, f.NationalLen = callingCode, in.length
	}
	return f
}

// Catalog lists the top-ups of every enabled network (payments by Amount,
// seed L499-541), the configured offers (by OfferCode, L543-588; the seed
// publishes no offer prices), and the game and gift-card categories read
// from the platform (0/4, L258-364).
func (c *Client) Catalog(ctx context.Context) ([]providers.Product, error) {
	var out []providers.Product
	for _, key := range networkOrder {
		if key == Games || c.nets[key].Disabled {
			continue
		}
		out = append(out, c.topUp(key))
	}
	for _, o := range c.cfg.Offers {
		if !c.nets[o.Network].Disabled {
			out = append(out, c.offerProduct(o.Network, o.Code, o.Name, o.NameAr, o.Price, true))
		}
	}
	if c.nets[Games].Disabled {
		return providers.CleanProducts(out), nil
	}
	cats, err := c.categories(ctx)
	if err != nil {
		return nil, fmt.Errorf("alqimah catalog: %w", err)
	}
	for _, cat := range cats {
		out = append(out, c.gameProduct(cat))
	}
	return providers.CleanProducts(out), nil
}

// extra returns the Extra every product of a network carries.
func (c *Client) extra(key, typ string, service int) map[string]string {
	return map[string]string{
		xNet: key, xType: typ,
		xNetwork: strconv.Itoa(c.nets[key].Network), xService: strconv.Itoa(service),
	}
}

// topUp is the amount (or unit) payment product of a network.
func (c *Client) topUp(key string) providers.Product {
	n, in, cur := c.nets[key], netInfos[key], c.cfg.currency()
	p := providers.Product{
		Provider: ID, ID: "topup-" + key,
		Name: in.brand + " top-up", NameAr: "سداد " + in.brandAr,
		Brand: in.brand, BrandAr: in.brandAr, Category: "Top-up", Country: "YE",
		Kind: providers.KindTopUp, Available: true,
		PriceKind: providers.PriceRange,
		Price:     money.New(money.Zero, cur), Cost: money.New(money.Zero, cur),
		MinAmount: money.New(n.MinAmount, cur), MaxAmount: money.New(n.MaxAmount, cur),
		Fields:   []providers.Field{numberField(key)},
		HowToUse: "The amount is credited to the number at once.",
		Extra:    c.extra(key, typeAmount, n.Service),
	}
	if unitPriced(key) {
		// Amount is a unit count; the platform charges count × unit price.
		p.PriceKind = providers.PriceUnits
		p.Price, p.Cost = money.New(n.UnitPrice, cur), money.New(n.UnitPrice, cur)
		p.MinAmount, p.MaxAmount = money.New(n.MinAmount, ""), money.New(n.MaxAmount, "")
		p.HowToUse = "Enter the number of units; the price is units × " + n.UnitPrice.String() + " " + cur + "."
		p.Extra[xType] = typeUnits
	}
	if key == ADSL || key == Landline {
		p.Kind, p.Category = providers.KindBill, "Bill payment"
		p.Name, p.HowToUse = in.brand+" payment", "Pays the amount into the line's account."
	}
	return p
}

// offerProduct is one operator bundle sold by OfferCode.
func (c *Client) offerProduct(key, code, name, nameAr string, price money.Decimal, available bool) providers.Product {
	in, cur := netInfos[key], c.cfg.currency()
	if name == "" {
		name = in.brand + " offer " + code
	}
	p := providers.Product{
		Provider: ID, ID: "offer-" + key + "-" + code,
		Name: name, NameAr: nameAr, Brand: in.brand, BrandAr: in.brandAr,
		Category: "Offers", Country: "YE", Kind: providers.KindOffer, Available: available,
		PriceKind: providers.PriceFixed, Price: money.New(price, cur), Cost: money.New(price, cur),
		Fields: []providers.Field{numberField(key)},
		Extra:  c.extra(key, typeOffer, c.nets[key].OfferService),
	}
	p.Extra[xOfferCode] = code
	return p
}

// knownFields gives clear labels and rules to the RequiredFields codes the
// seed names; other codes become plain text fields.
var knownFields = map[string]providers.Field{
	"playerid":     {Label: "Player ID", Kind: providers.FieldText, MinLen: 3, MaxLen: 40, Pattern: `[A-Za-z0-9_-]+`, PatternHint: "letters and digits only", HintKey: "letters_digits"},
	"zoneid":       {Label: "Zone ID", Kind: providers.FieldText, MaxLen: 20, Pattern: `[A-Za-z0-9_-]+`, PatternHint: "letters and digits only", HintKey: "letters_digits"},
	"emailaddress": {Label: "E-mail address", Kind: providers.FieldEmail, MaxLen: 120},
}

// gameProduct turns a 0/4 category (seed L276-295) into a product: its
// LinkCode (L281) is what the payment sends, RequiredFields (L289-294) the
// fields the clerk fills in, LocalPrice in LocalCurrencyName (L284-285) the
// price, and AllowFreeQuantity, MinQuantity and MaxQuantity (L286-288) the
// quantity the payment's Quantity (L605) may take.
func (c *Client) gameProduct(cat category) providers.Product {
	cur := c.cfg.currency()
	brand, brandAr, latin := splitServiceName(cat.ServiceName)
	p := providers.Product{
		Provider: ID, ID: "game-" + cat.LinkCode,
		Name: gameName(latin, cat), NameAr: cat.CategoryName,
		Brand: brand, BrandAr: brandAr, Category: cat.ServiceName,
		Kind: providers.KindVoucher, Available: true,
		PriceKind: providers.PriceFixed,
		Extra:     c.extra(Games, typeGame, c.nets[Games].Service),
	}
	var codes []string
	for _, rf := range cat.RequiredFields {
		f := knownFields[strings.ToLower(rf.FieldCode)]
		if f.Kind == "" {
			f = providers.Field{Label: rf.FieldCode, Kind: providers.FieldText, MaxLen: 100}
		}
		f.Name, f.LabelAr, f.Required = rf.FieldCode, rf.FieldName, true
		p.Fields = append(p.Fields, f)
		codes = append(codes, rf.FieldCode)
		if k := strings.ToLower(rf.FieldCode); k == "playerid" || k == "zoneid" {
			p.Kind = providers.KindGame
		}
	}
	p.Extra[xLinkCode] = cat.LinkCode
	p.Extra[xFields] = strings.Join(codes, ",")
	p.Extra[xFreeQty] = strconv.FormatBool(bool(cat.AllowFreeQuantity))

	// The platform charges LocalPrice per item, in its local currency; a
	// price in another currency or a missing one cannot be sold.
	lc := currencyCode(cat.LocalCurrencyName)
	if cat.LocalCurrencyName == "" {
		lc = cur
	}
	if lc != cur || cat.LocalPrice.Sign() <= 0 {
		p.Available = false
		p.HowToUse = "Not sold: the price is not given in " + cur + "."
	}
	minQ, maxQ := max(int64(cat.MinQuantity), 1), int64(cat.MaxQuantity)
	if cat.AllowFreeQuantity {
		p.PriceKind = providers.PriceUnits
		p.Price, p.Cost = money.New(cat.LocalPrice, cur), money.New(cat.LocalPrice, cur)
		p.MinAmount = money.New(money.FromInt(minQ), "")
		if maxQ >= minQ {
			p.MaxAmount = money.New(money.FromInt(maxQ), "")
		}
		return p
	}
	total := cat.LocalPrice.MulInt(minQ)
	p.Price, p.Cost = money.New(total, cur), money.New(total, cur)
	p.Extra[xQuantity] = strconv.FormatInt(minQ, 10)
	return p
}

// splitServiceName reads "شدات بوبجي - Pubg UC" into a brand the clerk
// knows ("PUBG"), the Arabic part and the Latin part.
func splitServiceName(s string) (brand, brandAr, latin string) {
	for _, part := range strings.Split(s, " - ") {
		part = strings.TrimSpace(part)
		if hasLatin(part) && latin == "" {
			latin = part
		} else if brandAr == "" {
			brandAr = part
		}
	}
	l := strings.ToLower(latin + " " + s)
	for _, b := range knownBrands {
		if strings.Contains(l, b.match) {
			return b.brand, brandAr, latin
		}
	}
	if latin != "" {
		return latin, brandAr, latin
	}
	return s, brandAr, latin
}

var knownBrands = []struct{ match, brand string }{
	{"pubg", "PUBG"}, {"free fire", "Free Fire"}, {"freefire", "Free Fire"},
	{"mobile legends", "Mobile Legends"}, {"itunes", "iTunes"}, {"google play", "Google Play"},
	{"playstation", "PlayStation"}, {"psn", "PlayStation"}, {"xbox", "Xbox"}, {"steam", "Steam"},
	{"بوبجي", "PUBG"}, {"فري فاير", "Free Fire"}, {"ايتونز", "iTunes"},
}

func hasLatin(s string) bool {
	for _, r := range s {
		if r < unicode.MaxASCII && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// gameName is an English name such as "Pubg UC 60".
func gameName(latin string, cat category) string {
	switch {
	case latin == "":
		return cat.CategoryName
	case cat.GameUnitsCount != "" && cat.GameUnitsCount != "0" && !bool(cat.AllowFreeQuantity):
		return latin + " " + string(cat.GameUnitsCount)
	}
	return latin
}
