package indiasim

// Demo data kept from the old sandbox (providers/india/catalog_demo.go and
// sandbox.go) so the app's screens stay the same. The seed names no
// credentials, no operator table and no circle table: its only codes are
// the examples operator_code 1 and circle 23 (seed L32, L35).

// Credentials of the extensions (the seed itself has none). Values are the
// old sandbox's.
const (
	// Username and Password sign in with the signin extension
	// (POST /member/signin).
	Username = "kiosk-demo"
	Password = "demo-pass-2024"
	// PartnerID and APIPassword are the legacy-auth extension's
	// partner_id and api_password query parameters.
	PartnerID   = "RKITAPI000001"
	APIPassword = "demo-api-pass"
)

// Entry is one operator or circle code with its name.
type Entry struct {
	Code string
	Name string
}

// Operators is the sample operator table the simulator accepts for
// operator_code (seed L4: "operator code for mobile", a Number). The
// provider's real codes are not public; the seed's example 1 (L32) is first.
func Operators() []Entry {
	return []Entry{
		{"1", "Airtel"},
		{"2", "Vi"}, // Vodafone Idea
		{"3", "Jio"},
		{"4", "BSNL"},
	}
}

// Circles is the sample circle table the simulator accepts for circle
// (seed L7: "Circle code of the mobile no.", a Number), numbered in
// alphabetical order; 23, the seed's example (L35), is West Bengal.
func Circles() []Entry {
	return []Entry{
		{"1", "Andhra Pradesh & Telangana"},
		{"2", "Assam"},
		{"3", "Bihar & Jharkhand"},
		{"4", "Chennai"},
		{"5", "Delhi NCR"},
		{"6", "Gujarat"},
		{"7", "Haryana"},
		{"8", "Himachal Pradesh"},
		{"9", "Jammu & Kashmir"},
		{"10", "Karnataka"},
		{"11", "Kerala"},
		{"12", "Kolkata"},
		{"13", "Maharashtra & Goa"},
		{"14", "Madhya Pradesh & Chhattisgarh"},
		{"15", "Mumbai"},
		{"16", "North East"},
		{"17", "Odisha"},
		{"18", "Punjab"},
		{"19", "Rajasthan"},
		{"20", "Tamil Nadu"},
		{"21", "Uttar Pradesh (East)"},
		{"22", "Uttar Pradesh (West) & Uttarakhand"},
		{"23", "West Bengal"},
	}
}
