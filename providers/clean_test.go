package providers

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"kiosk/money"
)

const (
	title  = "\x1b]0;pwned\x07"
	clear  = "\x1b[2J"
	red    = "\x1b[31m"
	reset  = "\x1b[0m"
	rlo    = "\u202e"
	arName = "بطاقة ايتونز امريكي 10 دولار"
)

func TestCleanProduct(t *testing.T) {
	min := money.MustParse("1")
	in := Product{
		Provider: "bitaqaty", ID: "28\x1b62", Kind: KindVoucher,
		Name: title + red + "iTunes 10" + reset, NameAr: rlo + arName + "\u202c",
		Brand: "iTunes\n", BrandAr: clear + "ايتونز", Category: "Gift\tCards",
		HowToUse:   "Open the App Store\r\n" + red + "Redeem" + reset + "\tthe code",
		HowToUseAr: "افتح \x1b[1mالمتجر\x1b[0m\nواستبدل",
		Fields: []Field{{
			Name: "mob\x1bile", Label: red + "Mobile" + reset, LabelAr: "\u200fرقم الجوال", Pattern: `^\d{9}$`,
			PatternHint: "9 digits\n", Placeholder: "\x9b2J771234567", Default: "7\x1b7", Min: &min,
			Choices: []Choice{{Value: "a\x1bb", Label: title + "Choice A"}},
		}},
		Extra: map[string]string{"network": "\x1b[1m0"},
	}
	orig := cloneProduct(in)
	got := CleanProduct(in)
	want := Product{
		Provider: "bitaqaty", ID: "28\x1b62", Kind: KindVoucher,
		Name: "iTunes 10", NameAr: arName, Brand: "iTunes", BrandAr: "ايتونز", Category: "Gift Cards",
		HowToUse:   "Open the App Store\nRedeem the code",
		HowToUseAr: "افتح المتجر\nواستبدل",
		Fields: []Field{{
			Name: "mob\x1bile", Label: "Mobile", LabelAr: "رقم الجوال", Pattern: `^\d{9}$`,
			PatternHint: "9 digits", Placeholder: "771234567", Default: "7\x1b7", Min: &min,
			Choices: []Choice{{Value: "a\x1bb", Label: "Choice A"}},
		}},
		Extra: map[string]string{"network": "\x1b[1m0"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CleanProduct =\n%#v\nwant\n%#v", got, want)
	}
	if !reflect.DeepEqual(in, orig) {
		t.Errorf("CleanProduct changed its argument's fields: %#v", in.Fields)
	}
}

// cloneProduct copies the parts CleanProduct must not write through.
func cloneProduct(p Product) Product {
	p.Fields = append([]Field(nil), p.Fields...)
	for i := range p.Fields {
		p.Fields[i].Choices = append([]Choice(nil), p.Fields[i].Choices...)
	}
	return p
}

func TestCleanResult(t *testing.T) {
	in := Result{
		State: Succeeded, ProviderRef: "BB\x1b[0m0004", ProductID: "28\x1b62",
		Message: title + clear + "Operation done\n",
		Vouchers: []Voucher{{
			Serial: red + "1010" + reset, PIN: "EBC2\x1b]8;;http://evil\x1b\\38AQ", PIN2: "\u202e4321",
			Username: "user\x07", Expiry: "2027-11-24\r\n", Reference: "\x9b31mR1", Value: money.New(money.MustParse("50"), "SAR"),
			Extra: map[string]string{"lpa": "LPA:1$smdp\x1b[5m$8RTU", red + "iccid": "8996\t6017", "\x1b[0m": "gone"},
		}},
	}
	origVoucher := in.Vouchers[0]
	got := CleanResult(in)
	want := Result{
		State: Succeeded, ProviderRef: "BB0004", ProductID: "28\x1b62", Message: "Operation done",
		Vouchers: []Voucher{{
			Serial: "1010", PIN: "EBC238AQ", PIN2: "4321", Username: "user", Expiry: "2027-11-24", Reference: "R1",
			Value: money.New(money.MustParse("50"), "SAR"), Extra: map[string]string{"lpa": "LPA:1$smdp$8RTU", "iccid": "8996 6017"},
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CleanResult =\n%#v\nwant\n%#v", got, want)
	}
	if !reflect.DeepEqual(in.Vouchers[0], origVoucher) {
		t.Errorf("CleanResult wrote through its argument: %#v", in.Vouchers[0])
	}
}

func TestCleanQuoteAndRecords(t *testing.T) {
	q := CleanQuote(Quote{Product: Product{Name: red + "Bill" + reset}, Info: "Holder: " + title + "علي\r\nDue: 100", Extra: map[string]string{"inquiry": "\x1b1"}})
	if q.Product.Name != "Bill" || q.Info != "Holder: علي\nDue: 100" || q.Extra["inquiry"] != "\x1b1" {
		t.Errorf("CleanQuote = %#v", q)
	}
	recs := CleanRecords([]Record{{Ref: "1", ProviderRef: "P\x1b[0m1", ProductName: title + "iTunes", Serial: "S\n1"}})
	if r := recs[0]; r.ProviderRef != "P1" || r.ProductName != "iTunes" || r.Serial != "S 1" || r.Ref != "1" {
		t.Errorf("CleanRecords = %#v", recs)
	}
}

func TestErrorsAreOneCleanLine(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantError string
		wantClerk string
	}{
		{
			"refusal with the provider's escapes",
			Refusal("alqimah", "purchase", "insufficient_balance", title+clear+"رصيدك غير كافي\n- Insufficient balance"+rlo),
			"alqimah purchase [insufficient_balance]: رصيدك غير كافي - Insufficient balance",
			"alqimah: رصيدك غير كافي - Insufficient balance (insufficient_balance)",
		},
		{
			"wrapped, without a code",
			fmt.Errorf("alqimah purchase 1: %w", &Error{Provider: "alqimah", Op: "purchase", Message: red + "busy" + reset}),
			"alqimah purchase 1: alqimah purchase: busy",
			"alqimah: busy",
		},
		{
			"cause quoting the answer",
			&Error{Provider: "mor", Op: "purchase", Code: "HTTP 500", Err: errors.New("answer: \x1b]2;x\x07<h1>oops</h1>")},
			"mor purchase [HTTP 500]: answer: <h1>oops</h1>",
			"mor purchase [HTTP 500]: answer: <h1>oops</h1>",
		},
		{
			"not a provider error",
			fmt.Errorf("dial: %w", errors.New("refused\x1b[2J\r\nagain")),
			"dial: refused\x1b[2J\r\nagain",
			"dial: refused again",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.wantError {
				t.Errorf("Error() = %q, want %q", got, tt.wantError)
			}
			if got := ClerkMessage(tt.err); got != tt.wantClerk {
				t.Errorf("ClerkMessage = %q, want %q", got, tt.wantClerk)
			}
		})
	}
}

// BenchmarkCleanProducts is the cost a catalogue refresh adds: 1,000
// products with English and Arabic names and a how-to-use paragraph.
func BenchmarkCleanProducts(b *testing.B) {
	base := make([]Product, 1000)
	for i := range base {
		base[i] = Product{
			Provider: "bitaqaty", ID: fmt.Sprint(i), Name: fmt.Sprintf("iTunes Gift Card %d SAR", i), NameAr: arName,
			Brand: "iTunes", BrandAr: "ايتونز", Category: "Gift cards",
			HowToUse: "Open the App Store, tap your photo, choose Redeem Gift Card or Code and enter the code.",
			Fields:   []Field{{Name: "mobile", Label: "Mobile number", Kind: FieldPhone}},
		}
	}
	ps := make([]Product, len(base))
	b.ReportAllocs()
	for b.Loop() {
		copy(ps, base)
		CleanProducts(ps)
	}
}
