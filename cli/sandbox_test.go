package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestSandboxProductsUsage: a number of generated products out of bounds
// is a usage error (exit 2) that says the bounds, before anything listens.
func TestSandboxProductsUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--products", "-1"}, "--products -1: write a number of generated products from 0 to 1000000"},
		{[]string{"--products", "1000001"}, "--products 1000001: write a number of generated products from 0 to 1000000"},
		{[]string{"--products", "50000", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		var out, errw bytes.Buffer
		args := append([]string{"sandbox", "--listen", "127.0.0.1:0"}, tt.args...)
		if code := Main(args, strings.NewReader(""), &out, &errw); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", tt.args, code, errw.String())
		}
		if !strings.Contains(errw.String(), "kiosk sandbox: "+tt.want) {
			t.Errorf("%v: %q, want %q", tt.args, errw.String(), tt.want)
		}
		if out.Len() != 0 {
			t.Errorf("%v: started: %s", tt.args, out.String())
		}
	}
}
