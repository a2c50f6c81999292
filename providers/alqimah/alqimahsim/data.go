package alqimahsim

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"kiosk/money"
)

// Network is one payment network of the platform: the numbers a payment
// request carries in NetworkNumber and ServiceNumber. The seed's network
// and service tables are empty (seed L70-76) and its examples use 1/103,
// 2/202 and 8/801 (seed L507-508, L556-557, L598-599), so the numbers are
// configuration; DefaultNetworks has the old sandbox's.
type Network struct {
	Key     string // "yemen_mobile", "sabafon", …, "games"
	Network int    // NetworkNumber
	// Service is the ServiceNumber of a payment by Amount (seed L499-541),
	// or, on a Games network, of a payment by LinkCode (seed L590-634).
	Service int
	// OfferService is the ServiceNumber of a payment by OfferCode (seed
	// L543-588); 0 when the network sells no offers.
	OfferService int
	// Units: Amount is a number of units multiplied by UnitPrice (seed
	// L510-511: Sabafon, YOU and Y Telecom); otherwise Amount is the value
	// charged (seed L512).
	Units     bool
	UnitPrice money.Decimal
	// MinAmount and MaxAmount bound Amount (a unit count on a Units
	// network); zero means no bound. The seed gives no limits.
	MinAmount, MaxAmount money.Decimal
	// Games: payments by LinkCode, Fields and Quantity (seed L590-634).
	Games bool
}

// DefaultNetworks returns (a fresh copy of) the old sandbox's payment
// numbers, as config.example.toml lists them: yemen_mobile 1/103 (offers
// 104), sabafon 2/201 (202), you 3/301 (302), y_telecom 4/401 (402), adsl
// 5/502, landline 6/602, yemen_4g 7/702, games 8/801. Unit prices are the
// old sandbox's (1.21 is the seed's example, L511); the Yemen Mobile limits
// are config.example.toml's.
func DefaultNetworks() []Network {
	return []Network{
		{Key: "yemen_mobile", Network: 1, Service: 103, OfferService: 104, MinAmount: money.FromInt(50), MaxAmount: money.FromInt(100000)},
		{Key: "sabafon", Network: 2, Service: 201, OfferService: 202, Units: true, UnitPrice: money.MustParse("1.21")},
		{Key: "you", Network: 3, Service: 301, OfferService: 302, Units: true, UnitPrice: money.MustParse("1.18")},
		{Key: "y_telecom", Network: 4, Service: 401, OfferService: 402, Units: true, UnitPrice: money.MustParse("1.15")},
		{Key: "adsl", Network: 5, Service: 502},
		{Key: "landline", Network: 6, Service: 602},
		{Key: "yemen_4g", Network: 7, Service: 702},
		{Key: "games", Network: 8, Service: 801, Games: true},
	}
}

// Offer is an offer sold by OfferCode (seed L549-550, L559) on a network.
// The seed publishes no offer prices, so they are the simulator's.
type Offer struct {
	Network string // Network.Key
	Code    string // OfferCode
	Price   money.Decimal
}

// DefaultOffers returns the old sandbox's offers: the Yemen Mobile codes of
// the seed's 1/107 answer (seed L427-436) and PREWhatsApp, the seed's offer
// payment example (seed L559).
func DefaultOffers() []Offer {
	return []Offer{
		{Network: "yemen_mobile", Code: "A4990006", Price: money.FromInt(2500)},
		{Network: "yemen_mobile", Code: "A3825", Price: money.FromInt(1600)},
		{Network: "sabafon", Code: "PREWhatsApp", Price: money.FromInt(500)},
	}
}

func checkNetworks(nets []Network) error {
	keys := map[string]bool{}
	used := map[[2]int]string{}
	take := func(key string, n, svc int) error {
		if _, q := queryOf(n, svc); q || n == 0 {
			return fmt.Errorf("alqimahsim: network %s: %d/%d is a query or global service", key, n, svc)
		}
		if other, dup := used[[2]int{n, svc}]; dup {
			return fmt.Errorf("alqimahsim: networks %s and %s both use %d/%d", other, key, n, svc)
		}
		used[[2]int{n, svc}] = key
		return nil
	}
	for _, n := range nets {
		switch {
		case n.Key == "" || keys[n.Key]:
			return fmt.Errorf("alqimahsim: network key %q is empty or repeated", n.Key)
		case n.Network <= 0 || n.Service <= 0 || n.OfferService < 0:
			return fmt.Errorf("alqimahsim: network %s: numbers must be positive", n.Key)
		case n.Units && n.UnitPrice.Sign() <= 0:
			return fmt.Errorf("alqimahsim: network %s: a unit network needs a unit price", n.Key)
		}
		keys[n.Key] = true
		if err := take(n.Key, n.Network, n.Service); err != nil {
			return err
		}
		if n.OfferService != 0 {
			if err := take(n.Key, n.Network, n.OfferService); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Server) network(key string) *Network {
	for i := range s.nets {
		if s.nets[i].Key == key {
			return &s.nets[i]
		}
	}
	return nil
}

// number writes a decimal as a bare JSON number, as the seed's answers do
// (seed L141, L181, L282, L284, L521-522).
type number money.Decimal

func (n number) MarshalJSON() ([]byte, error) { return []byte(money.Decimal(n).String()), nil }

// field is a RequiredFields entry (seed L289-294).
type field struct {
	FieldCode string `json:"FieldCode"` // seed L291
	FieldName string `json:"FieldName"` // seed L292
}

// category is one element of the 0/4 answer (seed L276-295).
type category struct {
	TheNumber         int     `json:"TheNumber"`         // seed L277
	ServiceName       string  `json:"ServiceName"`       // seed L278
	CategoryName      string  `json:"CategoryName"`      // seed L279
	GameUnitsCount    int     `json:"GameUnitsCount"`    // seed L280
	LinkCode          string  `json:"LinkCode"`          // seed L281
	Price             number  `json:"Price"`             // seed L282: a number (0.9)
	CurrencyName      string  `json:"CurrencyName"`      // seed L283
	LocalPrice        number  `json:"LocalPrice"`        // seed L284: a number (495, 995.5)
	LocalCurrencyName string  `json:"LocalCurrencyName"` // seed L285
	AllowFreeQuantity bool    `json:"AllowFreeQuantity"` // seed L286
	MinQuantity       int     `json:"MinQuantity"`       // seed L287
	MaxQuantity       int     `json:"MaxQuantity"`       // seed L288
	RequiredFields    []field `json:"RequiredFields"`    // seed L289-294
	giftCard          bool    // the sale delivers a code (in the status answer's details)
}

var (
	fPlayer = field{"PlayerID", "رقم ايدي - اللاعب"} // seed L291-292
	fZone   = field{"ZoneID", "رقم المنطقة - السيرفر"}
	fEmail  = field{"EmailAddress", "البريد الالكتروني"}
)

func pubg(n, units int, usd, yer string) category {
	u := strconv.Itoa(units)
	return category{
		TheNumber: n, ServiceName: "شدات بوبجي - Pubg UC", CategoryName: "شدات بوبجي ( " + u + " شدة )",
		GameUnitsCount: units, LinkCode: "pubg_" + u, Price: number(money.MustParse(usd)), CurrencyName: "دولار",
		LocalPrice: number(money.MustParse(yer)), LocalCurrencyName: "ريال يمني", MinQuantity: 1, MaxQuantity: 1,
		RequiredFields: []field{fPlayer},
	}
}

// demoCategories are the old sandbox's: the seed's four PUBG packs (seed
// L276-355), then Free Fire, a free-quantity Free Fire category, Mobile
// Legends (PlayerID and ZoneID) and an iTunes gift card sent to an e-mail
// address.
func demoCategories() []category {
	return []category{
		pubg(968, 60, "0.9", "495"),
		pubg(969, 120, "1.81", "995.5"),
		pubg(970, 325, "4.38", "2409"),
		pubg(971, 385, "5.2", "2860"),
		{TheNumber: 980, ServiceName: "جواهر فري فاير - Free Fire", CategoryName: "فري فاير ( 100 جوهرة )", GameUnitsCount: 100,
			LinkCode: "freefire_100", Price: number(money.FromInt(1)), CurrencyName: "دولار", LocalPrice: number(money.FromInt(550)), LocalCurrencyName: "ريال يمني",
			MinQuantity: 1, MaxQuantity: 1, RequiredFields: []field{fPlayer}},
		{TheNumber: 981, ServiceName: "جواهر فري فاير - Free Fire", CategoryName: "فري فاير ( كمية حرة - جوهرة )", GameUnitsCount: 1,
			LinkCode: "freefire_free", Price: number(money.MustParse("0.01")), CurrencyName: "دولار", LocalPrice: number(money.MustParse("5.5")), LocalCurrencyName: "ريال يمني",
			AllowFreeQuantity: true, MinQuantity: 100, MaxQuantity: 10000, RequiredFields: []field{fPlayer}},
		{TheNumber: 990, ServiceName: "ماسات موبايل ليجندز - Mobile Legends", CategoryName: "موبايل ليجندز ( 86 ماسة )", GameUnitsCount: 86,
			LinkCode: "mlbb_86", Price: number(money.MustParse("1.6")), CurrencyName: "دولار", LocalPrice: number(money.FromInt(880)), LocalCurrencyName: "ريال يمني",
			MinQuantity: 1, MaxQuantity: 1, RequiredFields: []field{fPlayer, fZone}},
		{TheNumber: 1001, ServiceName: "بطاقات ايتونز - iTunes", CategoryName: "بطاقة ايتونز امريكي 10 دولار", GameUnitsCount: 10,
			LinkCode: "itunes_us_10", Price: number(money.MustParse("10.4")), CurrencyName: "دولار", LocalPrice: number(money.FromInt(5720)), LocalCurrencyName: "ريال يمني",
			MinQuantity: 1, MaxQuantity: 1, RequiredFields: []field{fEmail}, giftCard: true},
	}
}

// addCategory appends c; the caller holds s.mu (or owns s).
func (s *Server) addCategory(c category) {
	s.catIndex[c.LinkCode] = len(s.cats)
	s.cats = append(s.cats, c)
}

// Generate adds n generated game categories, shaped like the demo ones
// (one PlayerID field, quantity 1), for load tests. They are deterministic:
// the k-th generated category (k from 1, counting every call) has
// TheNumber 100000+k, LinkCode "gen_k", a USD price of 0.01×(1+(k-1)%1000)
// and a local price 550 times that.
func (s *Server) Generate(n int) {
	if n <= 0 {
		return
	}
	fields := []field{fPlayer} // shared and never changed
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cats = slices.Grow(s.cats, n)
	for range n {
		s.genNext++
		k := s.genNext
		ks := strconv.Itoa(k)
		usd := money.FromMinor(int64(1+(k-1)%1000), 2)
		s.addCategory(category{
			TheNumber: 100000 + k, ServiceName: "بطاقات مولدة - Generated", CategoryName: "فئة مولدة " + ks,
			GameUnitsCount: 1 + (k-1)%1000, LinkCode: "gen_" + ks, Price: number(usd), CurrencyName: "دولار",
			LocalPrice: number(usd.MulInt(550)), LocalCurrencyName: "ريال يمني", MinQuantity: 1, MaxQuantity: 1,
			RequiredFields: fields,
		})
	}
}

// seedDay is the day of the seed's examples: its login answer expires at
// "2024-08-05 19:31:45" (seed L104). Dates in the demo answers (feed,
// subscriber offers, expiry dates) are the seed's, moved by as many days as
// the server's clock is past this day, so a clock on 2024-08-05 gives the
// seed's own values.
var seedDay = time.Date(2024, 8, 5, 0, 0, 0, 0, time.UTC)

// dayShift is how many calendar days now (in the server's zone) is after
// seedDay.
func (s *Server) dayShift(now time.Time) int {
	y, m, d := now.In(s.zone).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(seedDay) / (24 * time.Hour))
}

// neverEnds is the seed's "no end" date of a subscriber offer (seed L424);
// it is not moved.
const neverEnds = "2037-01-01 00:00:00"

func shiftDate(v, layout string, days int) string {
	if v == neverEnds {
		return v
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		panic("alqimahsim: bad demo date " + v)
	}
	return t.AddDate(0, 0, days).Format(layout)
}

// demoFeed is the old sandbox's 0/3 data (the seed's, L237-248, with a
// note on the first entry).
var demoFeed = [...]feedEntry{
	{Date: "2024-08-03", Amount: "70000.00000", Currency: "ريال يمني", Notes: "تغذية حساب - Notes"},
	{Date: "2024-08-01", Amount: "100000.00000", Currency: "ريال يمني", Notes: "Notes"},
}

// body is a request's JSON object. Keys are matched exactly: the seed
// spells every field (NetworkNumber, TransactionID, …) and a server reading
// $body['NetworkNumber'] does not find "networkNumber".
type body map[string]json.RawMessage

// text returns a field sent as a JSON string or number (the seed shows
// values, never their JSON type). present is false when the field is
// absent, null or blank.
func (b body) text(k string) (v string, present bool, err error) {
	raw, ok := b[k]
	if !ok {
		return "", false, nil
	}
	t := strings.TrimSpace(string(raw))
	switch {
	case t == "null":
		return "", false, nil
	case strings.HasPrefix(t, `"`):
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", false, err
		}
		if strings.TrimSpace(v) == "" {
			return "", false, nil
		}
		return v, true, nil
	case json.Valid(raw) && (t[0] == '-' || t[0] >= '0' && t[0] <= '9'):
		return t, true, nil
	}
	return "", false, fmt.Errorf("%s is not a string or a number", k)
}

// number reads a required whole number; msg is the refusal, if any.
func (b body) number(k string) (int, string) {
	v, present, err := b.text(k)
	switch {
	case err != nil:
		return 0, msgInvalid(k)
	case !present:
		return 0, msgRequired(k)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, msgInvalid(k)
	}
	return n, ""
}

// decimal reads a decimal sent as a JSON number or string.
func (b body) decimal(k string) (d money.Decimal, present bool, err error) {
	v, present, err := b.text(k)
	if err != nil || !present {
		return money.Zero, present, err
	}
	err = d.UnmarshalJSON([]byte(strconv.Quote(v)))
	return d, true, err
}
