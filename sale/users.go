package sale

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/scrypt"
)

// Role is what a person may do.
type Role string

// Roles. A supervisor can do everything a clerk can.
const (
	RoleClerk      Role = "clerk"
	RoleSupervisor Role = "supervisor"
)

// User is a person who signs in.
type User struct {
	Name     string
	Role     Role
	Lang     string // "en" or "ar"; empty: the kiosk's language
	Created  time.Time
	Disabled bool
	// Locked is true after LockAfter failed sign-ins in a row, until a
	// supervisor unlocks the user.
	Locked bool
}

// Account is a user as the journal keeps them: with the PIN's slow hash
// and the count of failed sign-ins, so that neither a restart nor a new
// prompt gives a guesser a fresh start.
type Account struct {
	User
	Salt, Hash  []byte
	Failures    int
	LockedUntil time.Time
}

// Supervisor reports whether the user may do a supervisor's work.
func (u User) Supervisor() bool { return u.Role == RoleSupervisor }

// Errors of signing in. ErrBadSignIn does not say whether the name or the
// PIN was wrong (that would tell a guesser which names exist).
var (
	ErrBadSignIn     = errors.New("wrong name or PIN")
	ErrNotSupervisor = errors.New("this needs a supervisor")
)

// LockAfter failed sign-ins in a row lock a user until a supervisor
// unlocks them.
const LockAfter = 10

// WaitAfter is how long a user must wait after n failed sign-ins in a row
// before the next try: nothing for the first two, then 5 s doubling, at
// most 5 minutes. The wait is the journal's, so it survives a restart.
func WaitAfter(n int) time.Duration {
	if n < 3 {
		return 0
	}
	d := 5 * time.Second
	for i := 3; i < n && d < 5*time.Minute; i++ {
		d *= 2
	}
	return min(d, 5*time.Minute)
}

// WaitError says how long to wait before the next try.
type WaitError struct{ Wait time.Duration }

func (e WaitError) Error() string {
	return fmt.Sprintf("too many wrong PINs: try again in %s", e.Wait.Round(time.Second))
}

// LockedError says a user is locked after too many wrong PINs.
type LockedError struct{ Name string }

func (e LockedError) Error() string {
	return fmt.Sprintf("%s is locked after %d wrong PINs in a row: a supervisor must unlock them (kiosk users unlock %s)", e.Name, LockAfter, e.Name)
}

// scrypt cost: about 50 ms on a kiosk, slow enough to make guessing a
// 4–8 digit PIN from a stolen journal expensive, fast enough for a clerk.
const scryptN, scryptR, scryptP, hashLen = 1 << 15, 8, 1, 32

func hashPIN(pin string, salt []byte) ([]byte, error) {
	return scrypt.Key([]byte(pin), salt, scryptN, scryptR, scryptP, hashLen)
}

// CheckNewPIN says what is wrong with a PIN someone wants to set.
func CheckNewPIN(pin string) error {
	if n := utf8.RuneCountInString(pin); n < 4 || n > 12 {
		return fmt.Errorf("a PIN has 4 to 12 digits (got %d)", n)
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return errors.New("a PIN has digits only")
		}
	}
	return nil
}

func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 32 {
		return "", errors.New("a name has 1 to 32 characters")
	}
	for _, r := range name {
		if r < ' ' || r == 0x7f {
			return "", errors.New("a name has no control characters")
		}
	}
	return name, nil
}

func newCredential(pin string) (salt, hash []byte, err error) {
	if err := CheckNewPIN(pin); err != nil {
		return nil, nil, err
	}
	salt = make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, nil, err
	}
	hash, err = hashPIN(pin, salt)
	return salt, hash, err
}

// HasUsers reports whether anyone is set up to sign in: from then on
// every action is someone's, proved by their PIN.
func (e *Engine) HasUsers() (bool, error) {
	as, err := e.store.Accounts()
	return len(as) > 0, err
}

// Users lists everyone who can sign in.
func (e *Engine) Users() ([]User, error) {
	as, err := e.store.Accounts()
	out := make([]User, len(as))
	for i, a := range as {
		out[i] = a.User
		out[i].Locked = a.Failures >= LockAfter
	}
	return out, err
}

// CanAddUser says whether by may add the user (as AddUser would refuse
// it, the PIN aside), so that a command line refuses an existing name or a
// clerk before it asks for the new PIN twice.
func (e *Engine) CanAddUser(by *User, name string, role Role, lang string) error {
	_, err := e.checkNewUser(by, name, role, lang)
	return err
}

// checkNewUser is every check of AddUser but the PIN's; it returns the
// name as it will be kept.
func (e *Engine) checkNewUser(by *User, name string, role Role, lang string) (string, error) {
	name, err := checkName(name)
	if err != nil {
		return "", err
	}
	if role != RoleClerk && role != RoleSupervisor {
		return "", fmt.Errorf("role must be %q or %q", RoleClerk, RoleSupervisor)
	}
	if lang != "" && lang != "en" && lang != "ar" {
		return "", fmt.Errorf("language must be en or ar, not %q", lang)
	}
	any, err := e.HasUsers()
	if err != nil {
		return "", err
	}
	switch {
	case !any && role != RoleSupervisor:
		return "", errors.New("the first user must be a supervisor (--role supervisor): someone must be able to manage the others")
	case any && (by == nil || !by.Supervisor()):
		return "", e.refuse(by, "add user", name, ErrNotSupervisor)
	}
	if _, ok, err := e.store.Account(name); err != nil {
		return "", err
	} else if ok {
		return "", fmt.Errorf("%s already exists: change a PIN with kiosk users pin %s", name, name)
	}
	return name, nil
}

// AddUser adds a user, as by (a supervisor; anyone for the very first
// user, who must then be a supervisor: a kiosk never has clerks and no one
// to manage them). A name already taken is refused: a PIN is changed with
// ChangePIN, never by adding the user again.
func (e *Engine) AddUser(by *User, name string, role Role, pin, lang string) error {
	name, err := e.checkNewUser(by, name, role, lang)
	if err != nil {
		return err
	}
	salt, hash, err := newCredential(pin)
	if err != nil {
		return err
	}
	if err := e.store.PutAccount(Account{User: User{Name: name, Role: role, Lang: lang, Created: e.opt.Now()}, Salt: salt, Hash: hash}); err != nil {
		return err
	}
	return e.audit(whoOf(by), "user added", "", fmt.Sprintf("%s (%s)", name, role))
}

// ChangePIN sets a new PIN for name, as by: the user themself (who proved
// the old PIN) or a supervisor. It also clears failed sign-ins.
func (e *Engine) ChangePIN(by User, name, pin string) error {
	if !strings.EqualFold(by.Name, strings.TrimSpace(name)) && !by.Supervisor() {
		return e.refuse(&by, "change PIN", name, errors.New("only the user themself or a supervisor changes a PIN"))
	}
	salt, hash, err := newCredential(pin)
	if err != nil {
		return err
	}
	if err := e.updateAccount(name, func(a *Account) error {
		a.Salt, a.Hash, a.Failures, a.LockedUntil = salt, hash, 0, time.Time{}
		return nil
	}); err != nil {
		return err
	}
	return e.audit(by.Name, "PIN changed", "", name)
}

// SetEnabled disables or enables a user, as a supervisor. The last
// enabled supervisor cannot be disabled: someone must be able to manage
// the kiosk.
func (e *Engine) SetEnabled(by User, name string, enabled bool) error {
	action := "user disabled"
	if enabled {
		action = "user enabled"
	}
	if !by.Supervisor() {
		return e.refuse(&by, action, name, ErrNotSupervisor)
	}
	if !enabled {
		as, err := e.store.Accounts()
		if err != nil {
			return err
		}
		others, found := 0, false
		for _, a := range as {
			if strings.EqualFold(a.Name, strings.TrimSpace(name)) {
				found = true
			} else if a.Supervisor() && !a.Disabled {
				others++
			}
		}
		if !found {
			return fmt.Errorf("there is no user %s (kiosk users list)", strings.TrimSpace(name))
		}
		if others == 0 {
			return fmt.Errorf("%s is the last enabled supervisor: add or enable another supervisor first", name)
		}
	}
	if err := e.updateAccount(name, func(a *Account) error { a.Disabled = !enabled; return nil }); err != nil {
		return err
	}
	return e.audit(by.Name, action, "", name)
}

// Unlock clears a user's failed sign-ins, as a supervisor.
func (e *Engine) Unlock(by User, name string) error {
	if !by.Supervisor() {
		return e.refuse(&by, "unlock user", name, ErrNotSupervisor)
	}
	if err := e.updateAccount(name, func(a *Account) error { a.Failures, a.LockedUntil = 0, time.Time{}; return nil }); err != nil {
		return err
	}
	return e.audit(by.Name, "user unlocked", "", name)
}

func (e *Engine) updateAccount(name string, edit func(*Account) error) error {
	_, ok, err := e.store.UpdateAccount(name, edit)
	if err == nil && !ok {
		err = fmt.Errorf("there is no user %s (kiosk users list)", strings.TrimSpace(name))
	}
	return err
}

// SignIn checks a name and PIN (names without regard to case) and audits
// the attempt, whichever way it goes.
func (e *Engine) SignIn(name, pin string) (User, error) {
	u, err := e.Authenticate(name, pin, "sign in")
	if err != nil {
		return User{}, err
	}
	return u, e.audit(u.Name, "signed in", "", "")
}

// Authorise checks that a supervisor's name and PIN are right, for one
// action (purpose), and audits the attempt either way: a clerk's PIN is
// refused as not a supervisor's.
func (e *Engine) Authorise(name, pin, purpose string) (User, error) {
	u, err := e.Authenticate(name, pin, purpose)
	if err != nil {
		return User{}, err
	}
	if !u.Supervisor() {
		return User{}, e.refuse(&u, purpose, "", ErrNotSupervisor)
	}
	return u, e.audit(u.Name, "supervisor authorised", "", purpose)
}

// Authenticate proves who someone is, for purpose (said in the audit).
// Wrong PINs are counted in the journal: after the third the next try
// waits (WaitAfter), after LockAfter in a row the user is locked until a
// supervisor unlocks them. Every failure is audited. A disabled user
// cannot sign in.
func (e *Engine) Authenticate(name, pin, purpose string) (User, error) {
	name = strings.TrimSpace(name)
	a, ok, err := e.store.Account(name)
	if err != nil {
		return User{}, err
	}
	now := e.opt.Now()
	switch {
	case !ok:
		// Spend the same time as a real check so timing tells nothing.
		_, _ = hashPIN(pin, make([]byte, 16))
		return User{}, e.failed(name, purpose, "no such user", ErrBadSignIn)
	case a.Failures >= LockAfter:
		return User{}, e.failed(name, purpose, "locked", LockedError{a.Name})
	case now.Before(a.LockedUntil):
		return User{}, e.failed(name, purpose, "tried while waiting", WaitError{a.LockedUntil.Sub(now)})
	}
	h, err := hashPIN(pin, a.Salt)
	if err != nil {
		return User{}, err
	}
	if subtle.ConstantTimeCompare(h, a.Hash) != 1 {
		n := a.Failures + 1
		if err := e.updateAccount(a.Name, func(x *Account) error {
			x.Failures, x.LockedUntil = n, now.Add(WaitAfter(n))
			return nil
		}); err != nil {
			return User{}, err
		}
		why := fmt.Sprintf("wrong PIN (%d in a row)", n)
		if n >= LockAfter {
			return User{}, e.failed(a.Name, purpose, why+": locked", LockedError{a.Name})
		}
		return User{}, e.failed(a.Name, purpose, why, ErrBadSignIn)
	}
	if a.Disabled {
		return User{}, e.failed(a.Name, purpose, "disabled", fmt.Errorf("%s is disabled: a supervisor can enable them", a.Name))
	}
	if a.Failures > 0 {
		if err := e.updateAccount(a.Name, func(x *Account) error { x.Failures, x.LockedUntil = 0, time.Time{}; return nil }); err != nil {
			return User{}, err
		}
	}
	return a.User, nil
}

// failed audits a failed proof of identity and returns the error for it.
func (e *Engine) failed(name, purpose, why string, err error) error {
	if aerr := e.audit(name, "sign-in failed", "", purpose+": "+why); aerr != nil {
		return errors.Join(err, aerr)
	}
	return err
}

// refuse audits an action refused to someone and returns the error.
func (e *Engine) refuse(by *User, action, detail string, err error) error {
	if aerr := e.audit(whoOf(by), "refused: "+action, "", detail); aerr != nil {
		return errors.Join(err, aerr)
	}
	return fmt.Errorf("%s: %w", action, err)
}

func whoOf(u *User) string {
	if u == nil {
		return ""
	}
	return u.Name
}
