package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestUsersAddReadsTheNewPINTwice: a script that gives the new PIN once is
// told it is read twice, and no user is added; a name already taken is
// refused before any new PIN is read.
func TestUsersAddReadsTheNewPINTwice(t *testing.T) {
	newKioskHome(t)
	tests := []struct {
		name, stdin string
		code        int
		want        string
	}{
		{"once", "4321\n", 2, "read twice"},
		{"twice", "4321\n4321\n", 0, "boss can now sign in as supervisor"},
		// boss's own PIN, then nothing: the name is refused before a new
		// PIN is asked for.
		{"existing name", "4321\n", 1, "boss already exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			args := []string{"users", "add", "boss", "--role", "supervisor"}
			if tt.name == "existing name" {
				args = append([]string{"--as", "boss"}, args...)
			}
			code := Main(args, strings.NewReader(tt.stdin), &out, &errw)
			if code != tt.code || !strings.Contains(out.String()+errw.String(), tt.want) {
				t.Fatalf("exit %d, want %d and %q:\n%s%s", code, tt.code, tt.want, out.String(), errw.String())
			}
		})
	}
	list, _, _ := kiosk(t, "users", "list")
	if n := strings.Count(list, "boss"); n != 1 {
		t.Errorf("boss listed %d times:\n%s", n, list)
	}
}
