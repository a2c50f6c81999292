package providers

import "testing"

func TestNormalizeCustomerNumbers(t *testing.T) {
	yemen := Field{Name: "m", Kind: FieldPhone, CallingCode: "967", NationalLen: 9, MinLen: 9, MaxLen: 9, Pattern: "7[0-9]{8}"}
	india := Field{Name: "m", Kind: FieldPhone, CallingCode: "91", NationalLen: 10, MinLen: 10, MaxLen: 10, Pattern: "[6-9][0-9]{9}"}
	dtone := Field{Name: "account_number", Kind: FieldPhone, CallingCode: "91", International: true, Pattern: "91[0-9]{10}"}
	guatemala := Field{Name: "account_number", Kind: FieldPhone, CallingCode: "502", NationalLen: 8, International: true, Pattern: "502[0-9]{8}"}
	landline := Field{Name: "m", Kind: FieldPhone, MinLen: 8, MaxLen: 8}
	qty := Field{Name: "quantity", Kind: FieldQuantity}
	tests := []struct {
		f       Field
		in, out string
		valid   bool
	}{
		{yemen, "+967 771234567", "771234567", true},
		{yemen, "00967771234567", "771234567", true},
		{yemen, "967771234567", "771234567", true},
		{yemen, "0771234567", "771234567", true},
		{yemen, "771-234-567", "771234567", true},
		{yemen, " 771234567 ", "771234567", true},
		{yemen, "7712345678", "7712345678", false},       // one digit too many: kept, and refused
		{yemen, "+44 7700900123", "447700900123", false}, // another country's number
		{yemen, "77123456x", "77123456x", false},
		{india, "+91 98765 43210", "9876543210", true},
		{india, "09876543210", "9876543210", true},
		{india, "919876543210", "9876543210", true},
		{dtone, "+91 98765 43210", "919876543210", true},
		{dtone, "0091 9876543210", "919876543210", true},
		{dtone, "919876543210", "919876543210", true},
		{dtone, "09876543210", "919876543210", true},
		{landline, "01 234 567", "01234567", true},         // no country: the trunk 0 of a landline stays
		{guatemala, "919876543210", "919876543210", false}, // an Indian number typed in a Guatemalan field is not prefixed
		{guatemala, "55512345", "50255512345", true},
		{qty, " 2 ", "2", true},
	}
	for _, tt := range tests {
		got := tt.f.Normalize(tt.in)
		if got != tt.out {
			t.Errorf("%+q: %q, want %q", tt.in, got, tt.out)
		}
		if err := tt.f.Validate(got); (err == nil) != tt.valid {
			t.Errorf("%+q → %q: valid %v, want %v", tt.in, got, err == nil, tt.valid)
		}
	}
}
