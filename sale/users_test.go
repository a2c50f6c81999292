package sale_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/journal"
	"kiosk/sale"
	"kiosk/storage"
)

// usersRig is an engine over a real journal file, reopened as a restart
// would, with no provider: users are the journal's alone.
type usersRig struct {
	t     *testing.T
	path  string
	clock *clock.Fake
	j     *journal.Journal
	e     *sale.Engine
}

func newUsersRig(t *testing.T) *usersRig {
	r := &usersRig{t: t, path: filepath.Join(t.TempDir(), "j.db"), clock: clock.NewFake(clock.Start)}
	r.restart()
	return r
}

func (r *usersRig) restart() {
	r.t.Helper()
	if r.j != nil {
		r.j.Close()
	}
	sj, err := storage.Open(r.path, storage.Options{Terminal: 1, Now: r.clock.Now})
	if err != nil {
		r.t.Fatal(err)
	}
	r.j = journal.New(sj)
	r.t.Cleanup(func() { r.j.Close() })
	r.e = sale.New(r.j, nil, sale.Options{Now: r.clock.Now})
}

func (r *usersRig) audit() string {
	log, err := r.e.AuditLog()
	if err != nil {
		r.t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range log {
		b.WriteString(e.Who + ":" + e.Action + ":" + e.Detail + "\n")
	}
	return b.String()
}

func TestFirstUserMustBeASupervisor(t *testing.T) {
	r := newUsersRig(t)
	if err := r.e.AddUser(nil, "amal", sale.RoleClerk, "2468", ""); err == nil || !strings.Contains(err.Error(), "first user must be a supervisor") {
		t.Fatalf("a clerk as first user: %v", err)
	}
	if err := r.e.AddUser(nil, "boss", sale.RoleSupervisor, "9999", ""); err != nil {
		t.Fatal(err)
	}
	boss, err := r.e.Authenticate("boss", "9999", "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.e.AddUser(nil, "mallory", sale.RoleSupervisor, "1234", ""); err == nil {
		t.Fatal("a second user added by no one")
	}
	if err := r.e.AddUser(&boss, "amal", sale.RoleClerk, "2468", "ar"); err != nil {
		t.Fatal(err)
	}
	amal, _ := r.e.Authenticate("amal", "2468", "test")
	if err := r.e.AddUser(&amal, "mallory", sale.RoleSupervisor, "1234", ""); !errors.Is(err, sale.ErrNotSupervisor) {
		t.Fatalf("a clerk adding a supervisor: %v", err)
	}
	if err := r.e.AddUser(&boss, "BOSS", sale.RoleClerk, "1111", ""); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("adding an existing name replaced its PIN: %v", err)
	}
	if _, err := r.e.Authenticate("boss", "9999", "test"); err != nil {
		t.Fatalf("boss's PIN changed: %v", err)
	}
	a := r.audit()
	for _, want := range []string{":user added:boss (supervisor)", "boss:user added:amal (clerk)", "amal:refused: add user:mallory"} {
		if !strings.Contains(a, want) {
			t.Errorf("audit lacks %q:\n%s", want, a)
		}
	}
}

// TestGuessingPINsDoesNotPay: failures are counted in the journal (a
// restart gives no fresh start), waits grow, and the tenth in a row locks
// the user until a supervisor unlocks them.
func TestGuessingPINsDoesNotPay(t *testing.T) {
	r := newUsersRig(t)
	if err := r.e.AddUser(nil, "boss", sale.RoleSupervisor, "9999", ""); err != nil {
		t.Fatal(err)
	}
	boss, _ := r.e.Authenticate("boss", "9999", "test")
	if err := r.e.AddUser(&boss, "amal", sale.RoleClerk, "2468", ""); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= sale.LockAfter; i++ {
		r.restart() // every try from a fresh process
		_, err := r.e.Authenticate("amal", "0000", "sign in")
		var wait sale.WaitError
		var locked sale.LockedError
		switch {
		case i < sale.LockAfter && !errors.Is(err, sale.ErrBadSignIn):
			t.Fatalf("try %d: %v", i, err)
		case i == sale.LockAfter && !errors.As(err, &locked):
			t.Fatalf("try %d should lock: %v", i, err)
		}
		if i >= 3 && i < sale.LockAfter {
			// The right PIN too must wait its turn.
			if _, err := r.e.Authenticate("amal", "2468", "sign in"); !errors.As(err, &wait) || wait.Wait != sale.WaitAfter(i) {
				t.Fatalf("after %d wrong PINs: %v, want a wait of %v", i, err, sale.WaitAfter(i))
			}
		}
		r.clock.Advance(sale.WaitAfter(i) + time.Second)
	}
	r.restart()
	if _, err := r.e.Authenticate("amal", "2468", "sign in"); !errors.As(err, new(sale.LockedError)) {
		t.Fatalf("locked user signed in: %v", err)
	}
	if us, _ := r.e.Users(); !us[0].Locked && !us[1].Locked {
		t.Fatalf("users list does not show the lock: %+v", us)
	}
	amal := sale.User{Name: "amal", Role: sale.RoleClerk}
	if err := r.e.Unlock(amal, "amal"); !errors.Is(err, sale.ErrNotSupervisor) {
		t.Fatalf("a clerk unlocked: %v", err)
	}
	if err := r.e.Unlock(boss, "amal"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.e.Authenticate("amal", "2468", "sign in"); err != nil {
		t.Fatalf("after the unlock: %v", err)
	}
	if n := strings.Count(r.audit(), "amal:sign-in failed:"); n < sale.LockAfter+1 {
		t.Errorf("%d failures audited", n)
	}
}

func TestDisableAndChangePIN(t *testing.T) {
	r := newUsersRig(t)
	if err := r.e.AddUser(nil, "boss", sale.RoleSupervisor, "9999", ""); err != nil {
		t.Fatal(err)
	}
	boss, _ := r.e.Authenticate("boss", "9999", "test")
	if err := r.e.SetEnabled(boss, "boss", false); err == nil || !strings.Contains(err.Error(), "last enabled supervisor") {
		t.Fatalf("the last supervisor disabled: %v", err)
	}
	if err := r.e.SetEnabled(boss, "nobody", false); err == nil || !strings.Contains(err.Error(), "there is no user nobody") {
		t.Fatalf("disabling a name no one has: %v", err)
	}
	if err := r.e.AddUser(&boss, "amal", sale.RoleClerk, "2468", ""); err != nil {
		t.Fatal(err)
	}
	if err := r.e.SetEnabled(boss, "amal", false); err != nil {
		t.Fatal(err)
	}
	if _, err := r.e.Authenticate("amal", "2468", "sign in"); err == nil || !strings.Contains(err.Error(), "disabled") {
		t.Fatalf("a disabled user signed in: %v", err)
	}
	if err := r.e.SetEnabled(boss, "amal", true); err != nil {
		t.Fatal(err)
	}
	amal, err := r.e.Authenticate("amal", "2468", "sign in")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.e.ChangePIN(amal, "boss", "1111"); err == nil {
		t.Fatal("a clerk changed a supervisor's PIN")
	}
	if err := r.e.ChangePIN(amal, "amal", "13579"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.e.Authenticate("amal", "13579", "sign in"); err != nil {
		t.Fatalf("the new PIN: %v", err)
	}
	if err := r.e.ChangePIN(boss, "amal", "2468"); err != nil {
		t.Fatal(err)
	}
	a := r.audit()
	for _, want := range []string{"boss:user disabled:amal", "boss:user enabled:amal", "amal:PIN changed:amal", "boss:PIN changed:amal", "amal:refused: change PIN:boss"} {
		if !strings.Contains(a, want) {
			t.Errorf("audit lacks %q:\n%s", want, a)
		}
	}
}
