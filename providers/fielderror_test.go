package providers

import (
	"errors"
	"testing"

	"kiosk/money"
)

// TestValidateSaysWhichRule: every refusal is a *FieldError naming its
// rule, and its English text is what the command line prints.
func TestValidateSaysWhichRule(t *testing.T) {
	one, five := money.FromInt(1), money.FromInt(5)
	circle := Field{Name: "circle", Label: "Circle", Kind: FieldChoice, Required: true,
		Choices: []Choice{{Value: "5", Label: "Delhi NCR"}, {Value: "23", Label: "West Bengal"}}}
	tests := []struct {
		f    Field
		v    string
		rule Rule
		text string
	}{
		{Field{Name: "m", Label: "Mobile number", Required: true}, " ", RuleRequired, "Mobile number is required"},
		{Field{Name: "m", MinLen: 9}, "77", RuleMinLen, "m must be at least 9 characters (got 2)"},
		{Field{Name: "m", Label: "Mobile number", MaxLen: 9}, "7712345678", RuleMaxLen, "Mobile number must be at most 9 characters (got 10)"},
		{Field{Label: "Account", Kind: FieldDigits}, "12a", RuleDigits, "Account must contain digits only"},
		{Field{Label: "Cards", Kind: FieldQuantity, Min: &one, Max: &five}, "1.5", RuleWhole, "Cards must be a whole number"},
		{Field{Label: "Cards", Kind: FieldQuantity, Min: &one, Max: &five}, "6", RuleMax, "Cards must be at most 5"},
		{Field{Label: "Cards", Kind: FieldQuantity, Min: &one, Max: &five}, "0", RuleMin, "Cards must be at least 1"},
		{Field{Label: "E-mail", Kind: FieldEmail}, "a@", RuleEmail, "E-mail is not a valid e-mail address"},
		{Field{Label: "Amount", Kind: FieldAmount}, "ten", RuleNumber, "Amount must be a number like 25 or 12.50"},
		{circle, "99", RuleChoice, "Circle must be one of the listed choices"},
		{Field{Label: "Mobile number", Pattern: "7[0-9]{8}", PatternHint: "a Yemeni mobile number has 9 digits and starts with 7"}, "711",
			RuleHint, "Mobile number: a Yemeni mobile number has 9 digits and starts with 7"},
		{Field{Label: "Code", Pattern: "[A-Z]+"}, "abc", RuleFormat, "Code has the wrong format"},
		{Field{Label: "Code", Pattern: "("}, "x", RuleBadPattern, "Code: bad pattern in product definition: error parsing regexp: missing closing ): `^(?:()$`"},
	}
	for _, tt := range tests {
		err := tt.f.Validate(tt.v)
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%q: %v is not a *FieldError", tt.v, err)
			continue
		}
		if fe.Rule != tt.rule || err.Error() != tt.text {
			t.Errorf("%q: rule %s, %q; want %s, %q", tt.v, fe.Rule, err, tt.rule, tt.text)
		}
	}
	if err := circle.Validate("23"); err != nil {
		t.Errorf("a listed choice is refused: %v", err)
	}
}

func TestValidateAmountSaysWhichRule(t *testing.T) {
	rng := Product{PriceKind: PriceRange, MinAmount: money.New(money.FromInt(10), "INR"), MaxAmount: money.New(money.FromInt(5000), "INR")}
	units := Product{PriceKind: PriceUnits, MinAmount: money.New(money.FromInt(1), ""), MaxAmount: money.New(money.FromInt(100), "")}
	tests := []struct {
		p    Product
		a    string
		name string
		rule Rule
		text string
	}{
		{rng, "5", AmountName, RuleMin, "amount must be at least 10"},
		{rng, "6000", AmountName, RuleMax, "amount must be at most 5000"},
		{rng, "0", AmountName, RulePositive, "amount must be more than zero"},
		{units, "2.5", UnitsName, RuleWhole, "number of units must be a whole number"},
		{units, "101", UnitsName, RuleMax, "number of units must be at most 100"},
	}
	for _, tt := range tests {
		err := tt.p.ValidateAmount(money.MustParse(tt.a))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field.Name != tt.name || fe.Rule != tt.rule || err.Error() != tt.text {
			t.Errorf("%s: %v (%+v), want %s %s %q", tt.a, err, fe, tt.name, tt.rule, tt.text)
		}
	}
	if err := rng.ValidateAmount(money.FromInt(10)); err != nil {
		t.Errorf("10 INR in 10–5000: %v", err)
	}
}

func TestShownIsTheChoicesName(t *testing.T) {
	f := Field{Kind: FieldChoice, Choices: []Choice{{Value: "5", Label: "Delhi NCR"}, {Value: "7", Label: ""}}}
	for v, want := range map[string]string{"5": "Delhi NCR", "7": "7", "99": "99", "": ""} {
		if got := f.Shown(v); got != want {
			t.Errorf("Shown(%q) = %q, want %q", v, got, want)
		}
	}
}

// TestCustomerExtrasAreListed: only the listed keys reach the customer;
// a commission (or any key no one listed) never does.
func TestCustomerExtrasAreListed(t *testing.T) {
	v := Voucher{Extra: map[string]string{
		"commission": "0.35", "partner_margin": "2", "qrcode": "LPA:1$x", "qrcodeUrl": "https://qr",
		"iccid": "8996", "lpa": "LPA:1$smdp$1", "info_2": "dial *123#", "info_1": "valid 30 days", "message": "",
	}}
	var got []string
	for _, l := range v.CustomerExtras() {
		got = append(got, l.Key+"="+l.Value+"/"+l.Label)
	}
	want := []string{"lpa=LPA:1$smdp$1/lpa", "iccid=8996/iccid", "info_1=valid 30 days/info", "info_2=dial *123#/info"}
	if len(got) != len(want) {
		t.Fatalf("customer extras %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("customer extras %q, want %q", got, want)
		}
	}
	if len((Voucher{}).CustomerExtras()) != 0 {
		t.Fatal("a voucher without extras has lines")
	}
}
