package india

import "kiosk/secret"

// The seed's examples: operator 1, circle 23.
const (
	seedOperator Code = "1"
	seedCircle   Code = "23"
)

// defaultOperators is a sample table of the four national operators. The
// provider's real codes are not public: check them with the provider. The
// seed's example operator 1 is first.
func defaultOperators() []Operator {
	return []Operator{
		{Code: "1", Name: "Airtel"},
		{Code: "2", Name: "Vi"}, // Vodafone Idea
		{Code: "3", Name: "Jio"},
		{Code: "4", Name: "BSNL"},
	}
}

// defaultCircles is a sample table of the telecom circles, numbered in
// alphabetical order as many Indian recharge APIs do; 23 (the seed's
// example, whose number is a West Bengal series) is West Bengal and 5 is
// Delhi NCR. Check the codes with the provider.
func defaultCircles() []Circle {
	return []Circle{
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

// Sandbox credentials for both API styles.
const (
	sandboxUser        = "kiosk-demo"
	sandboxPassword    = "demo-pass-2024"
	sandboxPartnerID   = "RKITAPI000001"
	sandboxAPIPassword = "demo-api-pass"
)

// SandboxConfig is a client configuration (bearer API) for a sandbox at baseURL.
func SandboxConfig(baseURL string) Config {
	return Config{
		BaseURL:  baseURL,
		API:      APIBearer,
		Username: sandboxUser,
		Password: secret.New(sandboxPassword),
		Sandbox:  true,
	}
}

// SandboxLegacyConfig is the same for the older query-parameter API.
func SandboxLegacyConfig(baseURL string) Config {
	return Config{
		BaseURL:     baseURL,
		API:         APILegacy,
		PartnerID:   sandboxPartnerID,
		APIPassword: secret.New(sandboxAPIPassword),
		Sandbox:     true,
	}
}
