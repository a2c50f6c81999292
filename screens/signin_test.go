package screens_test

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"kiosk/sale"
	"kiosk/screens"
	"kiosk/ui"
)

func withUsers(h *harness) {
	h.users.users = []sale.User{{Name: "amal", Role: sale.RoleClerk, Lang: "ar"}, {Name: "sara", Role: sale.RoleSupervisor}}
	h.users.pins = map[string]string{"amal": "1111", "sara": "1234"}
}

// signIn types a name and a PIN and presses enter after each.
func (h *harness) signIn(name, pin string) {
	h.typeText(name)
	h.press("enter")
	h.typeText(pin)
	h.press("enter")
}

func signedInUsers(h *harness) []string {
	var names []string
	for _, m := range h.out {
		if s, ok := m.(ui.SignedInMsg); ok {
			names = append(names, s.User.Name)
		}
	}
	return names
}

func TestSignIn(t *testing.T) {
	tests := []struct {
		name, user, pin string
		wantIn          string // who signed in; "" for nobody
		wantErr         string
	}{
		{"right PIN", "amal", "1111", "amal", ""},
		{"wrong PIN", "amal", "2222", "", "wrong name or PIN"},
		{"unknown name", "zaid", "1111", "", "wrong name or PIN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, func(s *setup) { s.settings.SignIn = true; s.session.Clerk = "" })
			withUsers(h)
			h.open(screens.NewSignIn(h.c))
			h.wantView("Sign in to sell")
			h.signIn(tt.user, tt.pin)
			if got := signedInUsers(h); tt.wantIn == "" && len(got) > 0 || tt.wantIn != "" && (len(got) != 1 || got[0] != tt.wantIn) {
				t.Fatalf("signed in %v, want %q", got, tt.wantIn)
			}
			if tt.wantErr != "" {
				h.wantView(tt.wantErr)
			}
		})
	}
}

func TestSignInRefusesALetterInThePIN(t *testing.T) {
	h := newHarness(t, func(s *setup) { s.settings.SignIn = true; s.session.Clerk = "" })
	withUsers(h)
	h.open(screens.NewSignIn(h.c))
	h.typeText("amal")
	h.press("enter")
	h.typeText("11a")
	h.wantView("the PIN has digits only")
	h.typeText("11")
	h.press("enter")
	if got := signedInUsers(h); len(got) != 1 {
		t.Fatalf("the PIN typed around the letter did not sign in: %v", got)
	}
}

// TestSignInSaysWhatTheCoreRefused: the core counts wrong PINs in the
// journal, and the screen says why it refused in the clerk's words — a
// wait after wrong PINs, a user locked — and keeps no count of its own.
func TestSignInSaysWhatTheCoreRefused(t *testing.T) {
	tests := []struct {
		refuse error
		want   string
	}{
		{sale.WaitError{Wait: 5 * time.Second}, "too many wrong PINs: wait 5s"},
		{sale.LockedError{Name: "amal"}, "amal is locked after too many wrong PINs: a supervisor must unlock them"},
		{sale.ErrBadSignIn, "wrong name or PIN"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			h := newHarness(t, func(s *setup) { s.settings.SignIn = true; s.session.Clerk = "" })
			withUsers(h)
			h.users.refuse = tt.refuse
			h.open(screens.NewSignIn(h.c))
			h.signIn("amal", "1111")
			h.wantView(tt.want)
			h.users.refuse = nil
			h.typeText("1111")
			h.press("enter")
			if got := signedInUsers(h); len(got) != 1 || got[0] != "amal" || len(h.users.signIns) != 2 {
				t.Fatalf("the next try, once the core allows it: signed in %v after %d tries", got, len(h.users.signIns))
			}
		})
	}
}

// TestLockScreen: a locked kiosk starts on an empty name — whoever comes to
// the counter signs in as themselves — and shift+tab moves between fields.
func TestLockScreen(t *testing.T) {
	h := newHarness(t, signedIn("amal", sale.RoleClerk))
	withUsers(h)
	s := screens.NewSignIn(h.c)
	h.open(s)
	if !s.Locks() {
		t.Error("esc could leave the lock screen")
	}
	h.wantView("Locked. Sign in to go on; the sale in progress is kept.")
	h.typeText("sara")
	h.press("tab")
	h.press("shift+tab")
	h.typeText("h")
	h.press("shift+tab")
	h.typeText("1234")
	h.press("enter")
	if got := signedInUsers(h); len(got) != 0 {
		t.Fatalf("signed in %v as %q", got, "sarah")
	}
	if len(h.users.signIns) != 1 || h.users.signIns[0] != "sarah" {
		t.Fatalf("tried %v, want the name typed across shift+tab", h.users.signIns)
	}
}

// TestSupervisorAuth: only a supervisor's PIN authorises, and the action
// runs with that supervisor.
func TestSupervisorAuth(t *testing.T) {
	tests := []struct {
		user, pin string
		wantBy    string
		wantErr   string
	}{
		{"sara", "1234", "sara", ""},
		{"amal", "1111", "", "amal is not a supervisor"},
		{"sara", "9999", "", "wrong name or PIN"},
	}
	for _, tt := range tests {
		t.Run(tt.user+"/"+tt.pin, func(t *testing.T) {
			h := newHarness(t, signedIn("amal", sale.RoleClerk))
			withUsers(h)
			h.open(screens.NewRecovery(h.c))
			var by string
			auth := screens.NewSupervisorAuth(h.c, screens.AuthPurpose{Shown: "test shown", Audit: "test audit"}, func(u sale.User) tea.Cmd {
				by = u.Name
				return nil
			})
			h.open(auth)
			if auth.Locks() {
				t.Error("esc cannot leave a supervisor prompt")
			}
			h.wantView("A supervisor must authorise: test shown")
			h.signIn(tt.user, tt.pin)
			if by != tt.wantBy {
				t.Errorf("authorised by %q, want %q", by, tt.wantBy)
			}
			if h.users.authorised[0] != "test audit" {
				t.Errorf("audited %q", h.users.authorised)
			}
			if tt.wantErr != "" {
				h.wantView(tt.wantErr)
			} else if len(h.stack) != 1 {
				t.Error("the prompt stayed open")
			}
		})
	}
}
