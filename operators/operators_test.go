package operators

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

func TestDetect(t *testing.T) {
	tables := DefaultTables()
	tests := []struct {
		in      string
		network string
		local   string
		country string
		ok      bool
	}{
		{"771234567", "Yemen Mobile", "771234567", "Yemen", true},
		{"781234567", "Yemen Mobile", "781234567", "Yemen", true},
		{"711234567", "Sabafon", "711234567", "Yemen", true},
		{"731234567", "YOU", "731234567", "Yemen", true},
		{"701234567", "Y Telecom", "701234567", "Yemen", true},
		{"+967 77 123 4567", "Yemen Mobile", "771234567", "Yemen", true},
		{"00967711234567", "Sabafon", "711234567", "Yemen", true},
		{"967731234567", "YOU", "731234567", "Yemen", true},
		{"0771234567", "Yemen Mobile", "771234567", "Yemen", true}, // trunk 0
		{"77-123-4567", "Yemen Mobile", "771234567", "Yemen", true},
		{"٧٧١٢٣٤٥٦٧", "Yemen Mobile", "771234567", "Yemen", true}, // Arabic-Indic digits
		{"751234567", "", "", "", false},                          // Yemen length, no network has 75
		{"77123456", "", "", "", false},                           // 8 digits
		{"7712345678", "Vi", "7712345678", "India", true},         // 10 digits: India's 77
		{"9876543210", "Airtel", "9876543210", "India", true},
		{"+91 98765 43210", "Airtel", "9876543210", "India", true},
		{"919876543210", "Airtel", "9876543210", "India", true},
		{"09876543210", "Airtel", "9876543210", "India", true},
		{"6012345678", "Jio", "6012345678", "India", true},
		{"8912345678", "Jio", "8912345678", "India", true},
		{"9412345678", "BSNL", "9412345678", "India", true},
		{"9123456789", "", "", "", false}, // 10 digits starting 91: a local number, no sample prefix
		{"5123456789", "", "", "", false},
		{"+1 771234567", "", "", "", false}, // another country code
		{"+967 9876543210", "", "", "", false},
		{"77123456x", "", "", "", false},
		{"", "", "", "", false},
		{"+", "", "", "", false},
		{"00", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, ok := Detect(tables, tt.in)
			if ok != tt.ok || s.Network != tt.network || s.Number != tt.local || s.Table.Country != tt.country {
				t.Fatalf("Detect(%q) = %q %q %q %v, want %q %q %q %v", tt.in, s.Network, s.Number, s.Table.Country, ok,
					tt.network, tt.local, tt.country, tt.ok)
			}
			if ok && !strings.HasPrefix(s.Number, s.Prefix) {
				t.Fatalf("prefix %q does not start %q", s.Prefix, s.Number)
			}
		})
	}
}

func TestDetectLongestPrefixWins(t *testing.T) {
	tables := []Table{{Country: "X", CountryCode: "99", Length: 6, Networks: []Network{
		{Name: "Short", Prefixes: []string{"5"}},
		{Name: "Long", Prefixes: []string{"555"}},
		{Name: "Mid", Prefixes: []string{"55"}},
	}}}
	for in, want := range map[string]string{"555123": "Long", "551234": "Mid", "512345": "Short"} {
		if s, ok := Detect(tables, in); !ok || s.Network != want {
			t.Errorf("Detect(%q) = %q %v, want %q", in, s.Network, ok, want)
		}
	}
}

func TestDetectNoTables(t *testing.T) {
	if s, ok := Detect(nil, "771234567"); ok {
		t.Fatalf("Detect with no tables = %+v", s)
	}
}

func TestInternational(t *testing.T) {
	s, ok := Detect(DefaultTables(), "0771234567")
	if !ok || s.International() != "+967771234567" {
		t.Fatalf("International = %q %v", s.International(), ok)
	}
}

func TestFits(t *testing.T) {
	tables := DefaultTables()
	tests := []struct {
		network, number string
		problem         Problem // 0: fits
		msg             string  // the error, when it is checked exactly
	}{
		{"Yemen Mobile", "771234567", 0, ""},
		{"Yemen Mobile", "781234567", 0, ""},
		{"yemen mobile", "+967771234567", 0, ""},
		{"yemen_mobile", "771234567", 0, ""},
		{"Sabafon", "711234567", 0, ""},
		{"YOU", "731234567", 0, ""},
		{"You", "731234567", 0, ""},
		{"you", "731234567", 0, ""},
		{"MTN", "731234567", 0, ""},
		{"Y Telecom", "701234567", 0, ""},
		{"Y-Telecom", "701234567", 0, ""},
		{"y_telecom", "701234567", 0, ""},
		{"يمن موبايل", "771234567", 0, ""},
		{"سبافون", "711234567", 0, ""}, // without the hamza
		{"Sabafon", "771234567", OtherNetwork, "771234567 is a Yemen Mobile number (prefix 77), not Sabafon (71)"},
		{"Yemen Mobile", "711234567", OtherNetwork, "711234567 is a Sabafon number (prefix 71), not Yemen Mobile (77/78)"},
		{"YOU", "+967 70 123 4567", OtherNetwork, "701234567 is a Y Telecom number (prefix 70), not YOU (73)"},
		{"Sabafon", "751234567", UnknownPrefix, "751234567 does not start with a Sabafon prefix (71)"},
		{"Sabafon", "7112345", WrongLength, "7112345 has 7 digits; Sabafon numbers have 9"},
		{"Sabafon", "+91 711234567", OtherCountry, "+91 711234567 is not a Yemen number; Sabafon is a Yemen network"},
		{"Sabafon", "71123456a", NotDigits, "71123456a is not a phone number (digits only)"},
		{"Jio", "9876543210", OtherNetwork, "9876543210 is an Airtel number (prefix 98), not Jio (6/70/79/89)"},
		{"Vodafone Idea", "9612345678", 0, ""},
		{"Vi", "7712345678", 0, ""},
		// No table knows the network: nothing to check against.
		{"Etisalat", "771234567", 0, ""},
		{"", "771234567", 0, ""},
		// Nothing typed yet: whether a number is required is the field's rule.
		{"Sabafon", "", 0, ""},
		{"Sabafon", "   ", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.network+"/"+tt.number, func(t *testing.T) {
			err := Fits(tables, tt.network, tt.number)
			if tt.problem == 0 {
				if err != nil {
					t.Fatalf("Fits(%q, %q) = %v, want nil", tt.network, tt.number, err)
				}
				return
			}
			var me *MismatchError
			if !errors.As(err, &me) {
				t.Fatalf("Fits(%q, %q) = %v, want a *MismatchError", tt.network, tt.number, err)
			}
			if me.Problem != tt.problem {
				t.Errorf("problem %d, want %d (%v)", me.Problem, tt.problem, err)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("error\n got %q\nwant %q", err.Error(), tt.msg)
			}
		})
	}
}

func TestFitsAgreesWithDetect(t *testing.T) {
	tables := DefaultTables()
	for _, number := range []string{"771234567", "711234567", "731234567", "701234567", "9876543210", "6012345678", "9412345678", "9612345678"} {
		s, ok := Detect(tables, number)
		if !ok {
			t.Fatalf("Detect(%q) found nothing", number)
		}
		if err := Fits(tables, s.Network, number); err != nil {
			t.Errorf("Fits(%q, %q) = %v for the network Detect suggested", s.Network, number, err)
		}
		for _, tb := range tables {
			for _, n := range tb.Networks {
				if n.Name != s.Network && tb.Country == s.Table.Country && Fits(tables, n.Name, number) == nil {
					t.Errorf("Fits(%q, %q) = nil, but it is %s's", n.Name, number, s.Network)
				}
			}
		}
	}
}

func TestSameNetwork(t *testing.T) {
	for _, p := range [][2]string{{"YOU", "You"}, {"Y Telecom", "Y-Telecom"}, {"y_telecom", "Y TELECOM"}, {"Yemen Mobile", "yemen-mobile"}} {
		if !SameNetwork(p[0], p[1]) {
			t.Errorf("SameNetwork(%q, %q) = false", p[0], p[1])
		}
	}
	for _, p := range [][2]string{{"YOU", "Y Telecom"}, {"", ""}, {"Vi", "Jio"}} {
		if SameNetwork(p[0], p[1]) {
			t.Errorf("SameNetwork(%q, %q) = true", p[0], p[1])
		}
	}
}

func TestDefaultTablesAreValid(t *testing.T) {
	for _, tb := range DefaultTables() {
		if err := tb.Validate(); err != nil {
			t.Errorf("%s: %v", tb.Country, err)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		t    Table
		want []string
	}{
		{"empty", Table{}, []string{"country: missing", "country_code", "length", "networks: none"}},
		{"bad prefixes", Table{Country: "X", CountryCode: "99", Length: 6, Networks: []Network{
			{Name: "A", Prefixes: []string{"5", "x"}},
			{Name: "B", Prefixes: []string{"5", "123456"}},
			{Name: "", Prefixes: nil},
		}}, []string{`"x" is not digits`, `"5" is also A's`, `"123456" is as long as a whole number`, "networks[2].name: missing", "networks[2].prefixes: none"}},
		{"duplicate names", Table{Country: "X", CountryCode: "99", Length: 6, Networks: []Network{
			{Name: "Y Telecom", Prefixes: []string{"1"}},
			{Name: "Y-Telecom", Prefixes: []string{"2"}},
		}}, []string{`the name "Y-Telecom" is also Y Telecom's`}},
		{"country code", Table{Country: "X", CountryCode: "+967", Length: 9, Networks: []Network{{Name: "A", Prefixes: []string{"7"}}}}, []string{"country_code"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.t.Validate()
			if err == nil {
				t.Fatal("Validate = nil")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate = %v\nwant it to mention %q", err, w)
				}
			}
		})
	}
}

func TestMerge(t *testing.T) {
	india := Table{Country: "India", CountryCode: "91", Length: 10, Networks: []Network{{Name: "Jio", Prefixes: []string{"7"}}}}
	egypt := Table{Country: "Egypt", CountryCode: "20", Length: 10, Networks: []Network{{Name: "Vodafone", Prefixes: []string{"10"}}}}
	got := Merge(DefaultTables(), []Table{india, egypt})
	var countries []string
	for _, tb := range got {
		countries = append(countries, tb.Country)
	}
	if strings.Join(countries, ",") != "Yemen,India,Egypt" {
		t.Fatalf("Merge countries = %v", countries)
	}
	if s, ok := Detect(got, "7912345678"); !ok || s.Network != "Jio" || len(s.Table.Networks) != 1 {
		t.Fatalf("the configured India table did not replace the sample: %+v %v", s, ok)
	}
}

// TestTOMLShape decodes the configuration shape the report documents.
func TestTOMLShape(t *testing.T) {
	const doc = `
[[operators]]
country = "India"
country_code = "91"
length = 10

  [[operators.networks]]
  name = "Jio"
  prefixes = ["6", "70", "79"]
  aliases = ["Reliance Jio"]

  [[operators.networks]]
  name = "Airtel"
  prefixes = ["98", "99"]
`
	var cfg struct {
		Operators []Table `toml:"operators"`
	}
	md, err := toml.Decode(doc, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		t.Fatalf("undecoded keys: %v", u)
	}
	if len(cfg.Operators) != 1 || cfg.Operators[0].Length != 10 || len(cfg.Operators[0].Networks) != 2 {
		t.Fatalf("decoded %+v", cfg.Operators)
	}
	if err := cfg.Operators[0].Validate(); err != nil {
		t.Fatal(err)
	}
	if s, ok := Detect(cfg.Operators, "+91 79 1234 5678"); !ok || s.Network != "Jio" {
		t.Fatalf("Detect = %+v %v", s, ok)
	}
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"771234567", "+967 71 123 4567", "00967731234567", "0701234567", "9876543210",
		"+91 98765 43210", "٧٧١٢٣٤٥٦٧", "", "+", "00", "0", "(77) 123-4567", "7\u00a07", "+967+967", "x"} {
		f.Add(s)
	}
	tables := DefaultTables()
	f.Fuzz(func(t *testing.T, number string) {
		s, ok := Detect(tables, number)
		if !ok {
			if s.Network != "" || s.Number != "" || s.Prefix != "" {
				t.Fatalf("not ok but %+v", s)
			}
			return
		}
		if len(s.Number) != s.Table.Length || !allDigits(s.Number) {
			t.Fatalf("Detect(%q) number %q is not %d digits", number, s.Number, s.Table.Length)
		}
		if !strings.HasPrefix(s.Number, s.Prefix) || s.Prefix == "" {
			t.Fatalf("Detect(%q) prefix %q does not start %q", number, s.Prefix, s.Number)
		}
		if !utf8.ValidString(s.Network) || s.Network == "" {
			t.Fatalf("Detect(%q) network %q", number, s.Network)
		}
		// What Detect suggests always fits, and detecting the normalised
		// number again gives the same answer.
		if err := Fits(tables, s.Network, number); err != nil {
			t.Fatalf("Fits(%q, %q) = %v after Detect suggested it", s.Network, number, err)
		}
		again, ok := Detect(tables, s.International())
		if !ok || again.Network != s.Network || again.Number != s.Number {
			t.Fatalf("Detect(%q) = %+v, Detect(%q) = %+v", number, s, s.International(), again)
		}
	})
}
