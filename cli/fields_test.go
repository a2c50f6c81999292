package cli

import (
	"bytes"
	"strings"
	"testing"
)

// kiosk runs the command line in-process on the built-in sandboxes (on
// loopback), with its own journal and no configuration file.
func kiosk(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errw bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errw)
	return out.String(), errw.String(), code
}

// newKioskHome gives the test a kiosk of its own: no configuration file
// (the built-in sandboxes) and a fresh journal.
func newKioskHome(t *testing.T) {
	t.Helper()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
}

func TestCatalogFields(t *testing.T) {
	newKioskHome(t)
	tests := []struct {
		key  string
		code int
		want []string
	}{
		{"alqimah/topup-yemen_mobile", 0, []string{"alqimah/topup-yemen_mobile", "--amount:", "FIELD", "MobileNumber", "Mobile number", "phone", "yes",
			"9 digits · a Yemeni mobile number has 9 digits and starts with 7"}},
		{"india/prepaid-1", 0, []string{"mobile_no", "circle", "choice", "one of: ", "23 West Bengal"}},
		{"mor/6", 0, []string{"quantity", "Number of cards", "enter a number of cards from 1 to 5"}},
		{"bitaqaty/2862", 0, []string{"no fields: kiosk sell --provider bitaqaty --product 2862"}},
		{"alqimah/no-such", 1, []string{`product "no-such" not found in the alqimah catalogue`}},
		{"topup-yemen_mobile", 2, []string{"want PROVIDER/ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			out, errw, code := kiosk(t, "catalog", "--fields", tt.key)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out, errw)
			}
			for _, w := range tt.want {
				if !strings.Contains(out+errw, w) {
					t.Errorf("lacks %q:\n%s%s", w, out, errw)
				}
			}
		})
	}
}

// TestSellRefusesAnUnknownField: a misspelt --field is an error naming the
// product's fields, and nothing is sold.
func TestSellRefusesAnUnknownField(t *testing.T) {
	newKioskHome(t)
	_, errw, code := kiosk(t, "sell", "--provider", "alqimah", "--product", "topup-yemen_mobile", "--field", "mobile=771234567", "--amount", "500", "--yes")
	if code != 2 || !strings.Contains(errw, `has no field "mobile"`) || !strings.Contains(errw, "its fields: MobileNumber") {
		t.Fatalf("exit %d:\n%s", code, errw)
	}
	list, errw, code := kiosk(t, "journal", "list")
	if code != 0 || strings.Contains(list, "Yemen Mobile top-up") {
		t.Fatalf("a sale was journaled (exit %d):\n%s%s", code, list, errw)
	}
	out, errw, code := kiosk(t, "sell", "--provider", "alqimah", "--product", "topup-yemen_mobile", "--field", "MobileNumber=+967 771234567", "--amount", "500", "--yes")
	if code != 0 || !strings.Contains(out, `"state": "succeeded"`) {
		t.Fatalf("the right name does not sell (exit %d):\n%s%s", code, out, errw)
	}
	if list, _, _ := kiosk(t, "journal", "list"); !strings.Contains(list, "Yemen Mobile top-up") {
		t.Fatalf("the sale is not in the journal:\n%s", list)
	}
}
