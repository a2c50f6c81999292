package receipt

import (
	"bytes"
	"strings"
	"testing"

	"kiosk/providers"
	"kiosk/sale"
)

// poisoned is how a sale's text would look had a provider (or an old
// journal record written before the clients cleaned their answers) put
// terminal and printer commands into it.
func poisoned(s *sale.Sale) *sale.Sale {
	h := func(v string) string { return "\x1b]0;pwned\x07\x1b[2J\x1b[31m" + v + "\x1b[0m\u202e" }
	p := s.Quote.Product
	p.Name, p.Brand = h(p.Name), "\u2067"+p.Brand+"\u2069"
	p.HowToUse = "\x1b]0;spans\nlines\x07" + p.HowToUse + "&#27;[5m"
	if p.HowToUse != "" {
		p.HowToUse = "<p>" + p.HowToUse + "</p>" // HTML, so its entities are read
	}
	s.Quote.Product = p
	s.Message = h(s.Message)
	s.ProviderRef = "\x9b31m" + s.ProviderRef
	for i, v := range s.Vouchers {
		v.Serial, v.PIN, v.Expiry = h(v.Serial), "\x1bc"+v.PIN+"\x1d", v.Expiry+"\r\n"
		s.Vouchers[i] = v
	}
	return s
}

// TestPoisonedSalePrintsAsTheCleanOne: each slip of a poisoned sale is, byte
// for byte, the slip of the same sale without the poison, as text and as
// ESC/POS. No command of the provider's reaches the printer.
func TestPoisonedSalePrintsAsTheCleanOne(t *testing.T) {
	failed := func() *sale.Sale {
		s := voucherSale()
		s.State, s.Vouchers, s.ProviderRef = sale.Failed, nil, ""
		s.Message = "رصيدك غير كافي - Insufficient balance"
		s.History = append(s.History[:1], sale.Transition{At: soldAt, State: sale.Failed})
		return s
	}
	pending := func() *sale.Sale {
		s := voucherSale()
		s.State, s.Vouchers, s.Message = sale.Pending, nil, "Operator is processing"
		return s
	}
	tests := []struct {
		name string
		sale func() *sale.Sale
	}{
		{"sold", func() *sale.Sale { return voucherSale() }},
		{"sold, QR", func() *sale.Sale {
			return voucherSale(providers.Voucher{PIN: "https://qr.sandbox.test/esim/ABCD-1234", IsQR: true, Serial: "77"})
		}},
		{"not sold", failed},
		{"not settled", pending},
	}
	for _, tt := range tests {
		for _, p := range []Paper{Paper58, Paper80} {
			t.Run(tt.name+" "+p.String(), func(t *testing.T) {
				want, err := Build(tt.sale(), info(p))
				if err != nil {
					t.Fatal(err)
				}
				got, err := Build(poisoned(tt.sale()), info(p))
				if err != nil {
					t.Fatal(err)
				}
				if got.Text() != want.Text() {
					t.Errorf("poisoned receipt:\n%q\nclean receipt:\n%q", got.Text(), want.Text())
				}
				if !bytes.Equal(escpos(got), escpos(want)) {
					t.Errorf("ESC/POS of the poisoned sale differs from the clean one")
				}
				if strings.Contains(got.Text(), "pwned") || strings.Contains(got.Text(), "spans") {
					t.Errorf("text of an escape sequence printed:\n%s", got.Text())
				}
			})
		}
	}
}

func TestFromTextIsCleaned(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"layout spaces kept", "  Z-REPORT 1\nSales        3", []string{"  Z-REPORT 1", "Sales        3"}},
		{"escapes go", "\x1b]0;x\x07Mismatch \x1b[31miTunes\x1b[0m\n\x1bd\x09cut", []string{"Mismatch iTunes", " cut"}},
		{"crlf", "a\r\nb\r\n", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := FromText(tt.in, Paper80)
			got := strings.Split(strings.TrimSuffix(r.Text(), "\n"), "\n")
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("FromText(%q) lines = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
