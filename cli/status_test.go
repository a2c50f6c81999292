package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestStatusMasksTheSettledSalesPINs: kiosk sell hands the PIN over; a
// later kiosk status of that settled sale reads it back masked, saying how
// to reprint, and shows it in full only with --reveal.
func TestStatusMasksTheSettledSalesPINs(t *testing.T) {
	newKioskHome(t)
	type sold struct {
		Ref      string `json:"ref"`
		State    string `json:"state"`
		Vouchers []struct {
			PIN string `json:"pin"`
		} `json:"vouchers"`
	}
	read := func(out string) sold {
		t.Helper()
		var s sold
		if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &s); err != nil || len(s.Vouchers) != 1 {
			t.Fatalf("no sale with one voucher (%v):\n%s", err, out)
		}
		return s
	}
	out, errw, code := kiosk(t, "sell", "--provider", "bitaqaty", "--product", "2862", "--yes")
	if code != 0 {
		t.Fatalf("sell: exit %d\n%s%s", code, out, errw)
	}
	s := read(out)
	pin := s.Vouchers[0].PIN
	if pin == "" || strings.Contains(pin, "*") {
		t.Fatalf("kiosk sell did not hand the PIN over: %q", pin)
	}
	for _, tt := range []struct {
		name string
		args []string
		full bool
	}{
		{"settled before", []string{"status", s.Ref}, false},
		{"--reveal", []string{"status", "--reveal", s.Ref}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errw, code := kiosk(t, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errw)
			}
			got := read(out).Vouchers[0].PIN
			if (got == pin) != tt.full || strings.Contains(errw, "masked") == tt.full {
				t.Errorf("PIN %q (full %v wanted), stderr:\n%s", got, tt.full, errw)
			}
		})
	}
}
