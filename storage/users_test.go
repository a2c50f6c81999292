package storage

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestUserRecords(t *testing.T) {
	j := openTest(t, filepath.Join(t.TempDir(), "j.db"), nil)
	defer j.Close()
	if _, ok, err := j.User("boss"); ok || err != nil {
		t.Fatalf("no users yet: %v %v", ok, err)
	}
	if err := j.PutUser(UserRecord{Name: "Boss", Role: "supervisor", Hash: []byte{1}, Salt: []byte{2}}); err != nil {
		t.Fatal(err)
	}
	u, ok, err := j.User("  BOSS ")
	if !ok || err != nil || u.Name != "Boss" || u.Role != "supervisor" {
		t.Fatalf("names match without regard to case: %+v %v %v", u, ok, err)
	}
	u, ok, err = j.UpdateUser("boss", func(u *UserRecord) error { u.Failures = 3; return nil })
	if !ok || err != nil || u.Failures != 3 {
		t.Fatalf("update: %+v %v %v", u, ok, err)
	}
	boom := errors.New("no")
	if _, _, err := j.UpdateUser("boss", func(u *UserRecord) error { u.Failures = 9; return boom }); !errors.Is(err, boom) {
		t.Fatalf("failed edit: %v", err)
	}
	if u, _, _ := j.User("boss"); u.Failures != 3 {
		t.Fatalf("a failed edit wrote %d", u.Failures)
	}
	if _, ok, err := j.UpdateUser("nobody", func(*UserRecord) error { return nil }); ok || err != nil {
		t.Fatalf("update of nobody: %v %v", ok, err)
	}
	if us, err := j.Users(); err != nil || len(us) != 1 {
		t.Fatalf("users: %v %v", us, err)
	}
}
