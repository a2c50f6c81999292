package receipt

import (
	"kiosk/sale"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kiosk/i18n"
	"kiosk/money"
	"kiosk/providers"
)

var (
	riyadh = time.FixedZone("AST", 3*3600)
	soldAt = time.Date(2026, 5, 1, 11, 3, 0, 0, time.UTC)
)

const howTo = "Open the App Store, tap your photo, choose Redeem Gift Card or Code, then enter the PIN printed above. The credit is added to your Apple Account at once and never expires."

func sar(s string) money.Money { return money.New(money.MustParse(s), "SAR") }

// voucherSale is a succeeded Bitaqaty sale with VAT, as the journal keeps it.
func voucherSale(vouchers ...providers.Voucher) *sale.Sale {
	p := providers.Product{
		Provider: "bitaqaty", ID: "2862", Name: "iTunes USA $10", Brand: "iTunes",
		Kind: providers.KindVoucher, PriceKind: providers.PriceFixed, Price: sar("46.00"),
		VATType: "SG", VATPercent: money.MustParse("15"), HowToUse: howTo,
	}
	if len(vouchers) == 0 {
		vouchers = []providers.Voucher{{Serial: "101000000001", PIN: "XK4M-7P2Q-9R3T-5V8W", Expiry: "2027-05-01"}}
	}
	return &sale.Sale{
		Ref: "0010412300000042", Terminal: "001", Clerk: "Huda", Provider: "bitaqaty",
		Product: p,
		Quote: providers.Quote{
			Product: p, Quantity: 1,
			RetailBeforeVAT: sar("40.00"), RetailVAT: sar("6.00"), Retail: sar("46.00"),
		},
		State: sale.Succeeded, ProviderRef: "BQ-998877",
		Created: soldAt.Add(-2 * time.Second), Updated: soldAt.Add(time.Hour),
		History: []sale.Transition{
			{At: soldAt.Add(-2 * time.Second), State: sale.Prepared},
			{At: soldAt, State: sale.Succeeded},
		},
		Vouchers: vouchers,
	}
}

func info(p Paper) Info {
	return Info{Shop: "Al Noor Mobile", Terminal: "001", Paper: p, Now: soldAt.Add(time.Minute).In(riyadh)}
}

func render(t *testing.T, s *sale.Sale, in Info) string {
	t.Helper()
	out, err := Render(s, in)
	if err != nil {
		t.Fatal(err)
	}
	checkWidth(t, out, in.Paper.Columns())
	return out
}

func checkWidth(t *testing.T, out string, w int) {
	t.Helper()
	for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells, paper has %d:\n%s", i+1, n, w, l)
		}
	}
}

func contains(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("receipt lacks %q:\n%s", w, out)
		}
	}
}

// words reports whether every word of text appears, in order, in out: the
// how-to-use text wrapped to any width.
func words(out, text string) bool {
	rest := out
	for _, w := range strings.Fields(text) {
		i := strings.Index(rest, w)
		if i < 0 {
			return false
		}
		rest = rest[i+len(w):]
	}
	return true
}

func TestVoucherReceipt(t *testing.T) {
	for _, p := range []Paper{Paper58, Paper80} {
		t.Run(p.String(), func(t *testing.T) {
			out := render(t, voucherSale(), info(p))
			w := p.Columns()
			contains(t, out,
				"Al Noor Mobile", "Terminal", "001", "Clerk", "Huda",
				"2026-05-01 14:03", // sold at 11:03 UTC, shown in the kiosk's zone
				"iTunes USA $10", "iTunes",
				"Price before VAT", "40.00 SAR", "VAT SG 15%", "6.00 SAR", "TOTAL", "46.00 SAR",
				"101000000001", "XK4M-7P2Q-9R3T-5V8W", "2027-05-01",
				"0010412300000042", "BQ-998877", "How to use",
			)
			if strings.Contains(out, "REPRINT") {
				t.Error("a first print says REPRINT")
			}
			if !words(out, howTo) {
				t.Errorf("how-to-use text is incomplete:\n%s", out)
			}
			// Wrapped, not one long line.
			var howLines int
			for _, l := range strings.Split(out, "\n") {
				if strings.Contains(howTo, strings.TrimSpace(l)) && strings.TrimSpace(l) != "" {
					howLines++
				}
			}
			if min := len(howTo)/w + 1; howLines < min {
				t.Errorf("how-to-use is on %d lines, want at least %d at %d columns", howLines, min, w)
			}
			// Label left, value right.
			if !strings.Contains(out, "TOTAL"+strings.Repeat(" ", w-len("TOTAL")-len("46.00 SAR"))+"46.00 SAR\n") {
				t.Errorf("TOTAL is not a full-width line:\n%s", out)
			}
		})
	}
}

func (p Paper) String() string { return map[Paper]string{Paper58: "58mm", Paper80: "80mm"}[p] }

func TestQRReceipt(t *testing.T) {
	link := "https://qr.sandbox.test/esim/ABCD-1234"
	lpa := "LPA:1$smdp.sandbox.test$K2-1ABCD-EFGH23"
	for _, p := range []Paper{Paper58, Paper80} {
		t.Run(p.String(), func(t *testing.T) {
			s := voucherSale(providers.Voucher{PIN: link, IsQR: true, Extra: map[string]string{"lpa": lpa, "iccid": "8966000000000000001"}})
			r, err := Build(s, info(p))
			if err != nil {
				t.Fatal(err)
			}
			var qr *line
			for i := range r.lines {
				if r.lines[i].qr != "" {
					qr = &r.lines[i]
				}
			}
			if qr == nil {
				t.Fatal("no QR code on a QR voucher's receipt")
			}
			if qr.qr != lpa {
				t.Errorf("QR encodes %q, want the LPA code %q", qr.qr, lpa)
			}
			out := r.Text()
			checkWidth(t, out, p.Columns())
			if qr.draw == nil || !strings.Contains(out, strings.Join(qr.draw, "\n")) {
				t.Fatalf("QR block not drawn:\n%s", out)
			}
			if !strings.Contains(out, "███████") && !strings.Contains(out, "█▀▀▀▀▀█") {
				t.Errorf("no finder pattern in the QR block:\n%s", out)
			}
			contains(t, out, "QR link", "8966000000000000001")
			if !strings.Contains(strings.ReplaceAll(out, "\n  ", ""), link) {
				t.Errorf("the QR link is not printed in full:\n%s", out)
			}
		})
	}
}

func TestQRTooBigForTextStillNative(t *testing.T) {
	long := "https://qr.sandbox.test/esim/" + strings.Repeat("A1B2C3D4", 20)
	s := voucherSale(providers.Voucher{PIN: long, IsQR: true})
	r, err := Build(s, info(Paper58))
	if err != nil {
		t.Fatal(err)
	}
	out := r.Text()
	checkWidth(t, out, 32)
	contains(t, out, "QR code too big")
	if !strings.Contains(string(escpos(r)), "1P0"+long) {
		t.Error("ESC/POS lacks the native QR code of a link too long to draw")
	}
}

func TestMultiCardReceipt(t *testing.T) {
	pins := []string{"1111-2222-3333", "4444-5555-6666", "7777-8888-9999"}
	var vs []providers.Voucher
	for i, pin := range pins {
		vs = append(vs, providers.Voucher{Serial: "SER" + string(rune('A'+i)), PIN: pin, Username: "user" + string(rune('a'+i))})
	}
	s := voucherSale(vs...)
	s.Quote.Quantity = 3
	for _, p := range []Paper{Paper58, Paper80} {
		out := render(t, s, info(p))
		contains(t, out, "Card 1 of 3", "Card 2 of 3", "Card 3 of 3", "Quantity")
		for i, pin := range pins {
			contains(t, out, pin, vs[i].Serial, vs[i].Username)
		}
	}
}

func TestReprint(t *testing.T) {
	in := info(Paper58)
	in.Reprint = 2
	out := render(t, voucherSale(), in)
	contains(t, out, "REPRINT #2", "XK4M-7P2Q-9R3T-5V8W", "Printed", "2026-05-01 14:04")
}

func TestNotSoldSlip(t *testing.T) {
	s := voucherSale()
	s.State, s.Vouchers, s.ProviderRef = sale.Failed, nil, ""
	s.Message = "Insufficient balance in the merchant account, please recharge and try again"
	s.History = append(s.History[:1], sale.Transition{At: soldAt, State: sale.Failed})
	for _, p := range []Paper{Paper58, Paper80} {
		out := render(t, s, info(p))
		contains(t, out, "NOT SOLD", "Nothing was charged", "Return the customer's money", "Amount to return", "46.00 SAR", "0010412300000042", "Reason:", "Insufficient", "recharge")
		if !words(out, s.Message) {
			t.Errorf("reason incomplete:\n%s", out)
		}
		if strings.Contains(out, "XK4M") || strings.Contains(out, "How to use") {
			t.Errorf("a NOT SOLD slip looks like a receipt:\n%s", out)
		}
	}
}

func TestNotSettledSlip(t *testing.T) {
	for _, st := range []sale.State{sale.Pending, sale.InDoubt, sale.NeedsReview, sale.Prepared} {
		s := voucherSale()
		s.State, s.Vouchers = st, nil
		out := render(t, s, info(Paper58))
		contains(t, out, "NOT SETTLED", "Do not sell again", "Keep this slip", "0010412300000042", "46.00 SAR")
		if strings.Contains(out, "NOT SOLD") {
			t.Errorf("%s: an open sale says NOT SOLD:\n%s", st, out)
		}
	}
}

func TestArabicWithinWidth(t *testing.T) {
	s := voucherSale()
	s.Quote.Product.Name = "بطاقة آيتونز الولايات المتحدة الأمريكية عشرة دولارات للمتجر"
	s.Quote.Product.BrandAr = "آيتونز"
	s.Quote.Product.HowToUseAr = "افتح متجر التطبيقات واضغط على صورتك ثم اختر استرداد بطاقة هدية وأدخل الرمز المطبوع أعلاه"
	s.Clerk = "هدى عبدالرحمن"
	for _, p := range []Paper{Paper58, Paper80} {
		out := render(t, s, info(p))
		contains(t, out, "بطاقة", "آيتونز", "هدى عبدالرحمن")
		if !words(out, s.Quote.Product.Name) || !words(out, s.Quote.Product.HowToUseAr) {
			t.Errorf("Arabic text lost:\n%s", out)
		}
	}
}

func TestProviderTextCannotSendCommands(t *testing.T) {
	s := voucherSale()
	s.Quote.Product.Name = "Gift\x1dV\x00card\x1b@"
	s.Quote.Product.HowToUse = "<p>Step one.</p><p>Step&nbsp;two &amp; three<br/>done</p>"
	r, err := Build(s, info(Paper80))
	if err != nil {
		t.Fatal(err)
	}
	out := r.Text()
	if strings.ContainsAny(out, "\x1b\x1d\x00") {
		t.Errorf("control bytes from provider text reached the receipt: %q", out)
	}
	contains(t, out, "GiftVcard", "Step one.\nStep two & three\ndone\n")
	if strings.Contains(out, "GiftVcard@") {
		t.Errorf("ESC @ (the printer's reset) left its @ behind: %q", out)
	}
	if n := strings.Count(string(escpos(r)), "\x1dV"); n != 1 {
		t.Errorf("%d cut commands, want exactly the final one", n)
	}
}

func TestRenderErrors(t *testing.T) {
	if _, err := Render(nil, info(Paper58)); err == nil {
		t.Error("nil sale rendered")
	}
	if _, err := Render(voucherSale(), Info{Paper: 57}); err == nil || !strings.Contains(err.Error(), "57") {
		t.Errorf("unknown paper: %v", err)
	}
	s := voucherSale()
	s.Vouchers, s.VoucherErr = nil, "journal key missing"
	if _, err := Render(s, info(Paper58)); err == nil || !strings.Contains(err.Error(), "journal key missing") {
		t.Errorf("unreadable PINs: %v", err)
	}
	before := *voucherSale()
	s = voucherSale()
	if _, err := Render(s, info(Paper80)); err != nil || s.Prints != before.Prints || s.State != before.State || len(s.Vouchers) != 1 {
		t.Errorf("Render changed the sale or failed: %v", err)
	}
}

func TestParsePaper(t *testing.T) {
	for in, want := range map[string]Paper{"58": Paper58, "58mm": Paper58, " 80MM ": Paper80} {
		if p, err := ParsePaper(in); err != nil || p != want {
			t.Errorf("ParsePaper(%q) = %v, %v", in, p, err)
		}
	}
	for _, in := range []string{"", "57", "a4", "80 cm"} {
		if _, err := ParsePaper(in); err == nil {
			t.Errorf("ParsePaper(%q) accepted", in)
		}
	}
}

// TestShow prints both papers with -v, for eyes.
func TestShow(t *testing.T) {
	s := voucherSale(providers.Voucher{PIN: "https://qr.sandbox.test/esim/ABCD-1234", IsQR: true, Serial: "77"})
	for _, p := range []Paper{Paper58, Paper80} {
		t.Logf("%s:\n%s", p, render(t, s, info(p)))
	}
}

func TestArabicReceipt(t *testing.T) {
	for _, p := range []Paper{Paper58, Paper80} {
		in := info(p)
		in.Lang = i18n.AR
		out := render(t, voucherSale(providers.Voucher{Serial: "S-1", PIN: "1234-5678"}), in)
		checkWidth(t, out, p.Columns())
		contains(t, out, "المرجع", "الرقم السري", "الإجمالي", "1234-5678")
		if strings.Contains(out, "TOTAL") {
			t.Errorf("%s: English label on an Arabic receipt:\n%s", p, out)
		}
	}
}
