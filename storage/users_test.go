package storage

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestUsersSignIn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	j := openTest(t, path, nil)
	defer j.Close()
	if err := j.PutUser("Amal", RoleSupervisor, "4821", ""); err != nil {
		t.Fatal(err)
	}
	if err := j.PutUser("Saleh", RoleClerk, "123456", "ar"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, pin string
		ok        bool
		role      Role
	}{
		{"amal", "4821", true, RoleSupervisor},
		{" Saleh ", "123456", true, RoleClerk},
		{"amal", "4822", false, ""},
		{"nobody", "4821", false, ""},
		{"saleh", "", false, ""},
	}
	for _, tt := range tests {
		u, err := j.SignIn(tt.name, tt.pin)
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, ErrBadSignIn)) || u.Role != tt.role {
			t.Errorf("SignIn(%q, %q) = %v, %v", tt.name, tt.pin, u.Role, err)
		}
	}
	for _, bad := range []string{"12", "12a4", "1234567890123"} {
		if err := j.PutUser("x", RoleClerk, bad, ""); err == nil {
			t.Errorf("PIN %q accepted", bad)
		}
	}
	if err := j.PutUser("x", "boss", "1234", ""); err == nil {
		t.Error("unknown role accepted")
	}
	users, _ := j.Users()
	if len(users) != 2 {
		t.Fatalf("%d users", len(users))
	}
	j.Close()
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("123456")) || bytes.Contains(raw, []byte("4821")) {
		t.Fatal("a PIN is stored in clear")
	}
}
