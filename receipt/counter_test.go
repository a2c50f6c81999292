package receipt

import (
	"strings"
	"testing"
	"unicode"

	"kiosk/i18n"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
)

// latinWords are the words an Arabic slip may hold in Latin letters: what
// the sale's own data says (references, the product, the provider's
// message), never a sentence of the kiosk's.
func latinWords(out string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(out, func(r rune) bool { return !unicode.IsLetter(r) || r > unicode.MaxLatin1 }) {
		if len(w) > 2 {
			words = append(words, w)
		}
	}
	return words
}

// TestSlipsInArabic: the NOT SOLD and NOT SETTLED slips are Arabic word
// for word; only the product's name, the currency and the provider's
// message (as the provider wrote it) stay Latin.
func TestSlipsInArabic(t *testing.T) {
	allowed := map[string]bool{"iTunes": true, "USA": true, "SAR": true, "Al": true, "Noor": true, "Mobile": true, "Huda": true,
		"Insufficient": true, "balance": true, "the": true, "merchant": true, "account": true}
	tests := []struct {
		state sale.State
		want  []string
	}{
		{sale.Failed, []string{"لم يتم البيع", "لم يُخصم أي مبلغ.", "أعِد للعميل نقوده.", "المبلغ المُعاد", "السبب: Insufficient balance in the merchant account"}},
		{sale.Pending, []string{"لم تُسوَّ بعد", "لا تبع مرة أخرى.", "احتفظ بهذا الإيصال.", "تُسوّى العملية برقم مرجعها"}},
	}
	for _, tt := range tests {
		for _, p := range []Paper{Paper58, Paper80} {
			s := voucherSale()
			s.State, s.Vouchers = tt.state, nil
			s.Message = "Insufficient balance in the merchant account"
			s.History = append(s.History[:1], sale.Transition{At: soldAt, State: tt.state})
			in := info(p)
			in.Lang = i18n.AR
			out := render(t, s, in)
			for _, w := range tt.want {
				if !words(out, w) {
					t.Errorf("%s %s: lacks %q:\n%s", tt.state, p, w, out)
				}
			}
			for _, w := range latinWords(out) {
				if !allowed[w] {
					t.Errorf("%s %s: the Arabic slip says %q:\n%s", tt.state, p, w, out)
				}
			}
		}
	}
}

// TestReceiptPrintsWhatWasEntered: a game top-up prints the player id and
// zone; a circle prints by its name; a calling card prints its access
// number and no customer number; no extra outside the customer's list is
// printed (a partner's commission).
func TestReceiptPrintsWhatWasEntered(t *testing.T) {
	game := voucherSale(providers.Voucher{Reference: "OP-77", Extra: map[string]string{"commission": "0.35", "message": "Credited"}})
	game.Product.Kind = providers.KindGame
	game.Product.Fields = []providers.Field{{Name: "playerid", Label: "Player ID", LabelAr: "معرّف اللاعب"}, {Name: "zoneid", Label: "Zone ID"}}
	game.Quote.Product = game.Product
	game.Quote.Fields = map[string]string{"playerid": "5123456789", "zoneid": "2101"}

	india := voucherSale(providers.Voucher{Reference: "OPX1"})
	india.Product.Fields = []providers.Field{{Name: "mobile_no", Label: "Mobile number", Kind: providers.FieldPhone},
		{Name: "circle", Label: "Circle", Kind: providers.FieldChoice, Choices: []providers.Choice{{Value: "5", Label: "Delhi NCR"}}}}
	india.Quote.Product = india.Product
	india.Quote.Fields = map[string]string{"mobile_no": "9876543210", "circle": "5"}

	card := voucherSale(providers.Voucher{PIN: "4455667788"})
	card.Product = providers.Product{Provider: "mor", ID: "6", Name: "International calling card 5 USD", Kind: providers.KindCallingCard,
		PriceKind: providers.PriceFixed, Price: money.New(money.FromInt(5), "USD"),
		Extra:  map[string]string{providers.ExtraAccessNumber: "+1 800 555 0100"},
		Fields: []providers.Field{{Name: "quantity", Label: "Number of cards", Kind: providers.FieldDigits}}}
	card.Quote = providers.Quote{Product: card.Product, Fields: map[string]string{"quantity": "1"}, Retail: money.New(money.FromInt(5), "USD")}

	tests := []struct {
		name string
		s    *sale.Sale
		lang i18n.Lang
		want []string
		not  []string
	}{
		{"game", game, i18n.EN, []string{"Player ID", "5123456789", "Zone ID", "2101", "Message", "Credited"}, []string{"commission", "0.35"}},
		{"game in Arabic", game, i18n.AR, []string{"معرّف اللاعب", "5123456789", "Zone ID", "2101", "رسالة"}, []string{"commission", "0.35"}},
		{"a circle by its name", india, i18n.EN, []string{"Number", "9876543210", "Circle", "Delhi NCR"}, []string{"Mobile number"}},
		{"calling card", card, i18n.EN, []string{"Access number", "+1 800 555 0100", "4455667788"}, []string{"Number  ", "Number of cards"}},
		{"calling card in Arabic", card, i18n.AR, []string{"رقم الوصول", "+1 800 555 0100"}, []string{"الرقم  "}},
	}
	for _, tt := range tests {
		for _, p := range []Paper{Paper58, Paper80} {
			in := info(p)
			in.Lang = tt.lang
			out := render(t, tt.s, in)
			contains(t, out, tt.want...)
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("%s %s: prints %q:\n%s", tt.name, p, n, out)
				}
			}
			if strings.Contains(out, "Circle") && strings.Contains(out, "  5\n") {
				t.Errorf("%s: the circle is printed by its code:\n%s", tt.name, out)
			}
		}
	}
}
