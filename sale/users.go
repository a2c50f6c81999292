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
}

// Account is a user as the journal keeps them: with the PIN's slow hash
// and the count of failed sign-ins.
type Account struct {
	User
	Salt, Hash  []byte
	Failures    int
	LockedUntil time.Time
}

// Supervisor reports whether the user may do a supervisor's work.
func (u User) Supervisor() bool { return u.Role == RoleSupervisor }

// ErrBadSignIn is returned for an unknown name or a wrong PIN, without
// saying which (that would tell a guesser which names exist).
var ErrBadSignIn = errors.New("wrong name or PIN")

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

// PutUser adds a user or replaces one (a new PIN, role or language).
func (e *Engine) PutUser(name string, role Role, pin, lang string) error {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 32 {
		return errors.New("a name has 1 to 32 characters")
	}
	if role != RoleClerk && role != RoleSupervisor {
		return fmt.Errorf("role must be %q or %q", RoleClerk, RoleSupervisor)
	}
	if err := CheckNewPIN(pin); err != nil {
		return err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return err
	}
	h, err := hashPIN(pin, salt)
	if err != nil {
		return err
	}
	return e.store.PutAccount(Account{User: User{Name: name, Role: role, Lang: lang, Created: e.opt.Now()}, Salt: salt, Hash: h})
}

// Users lists everyone who can sign in.
func (e *Engine) Users() ([]User, error) {
	as, err := e.store.Accounts()
	out := make([]User, len(as))
	for i, a := range as {
		out[i] = a.User
	}
	return out, err
}

// SignIn checks a name and PIN (names without regard to case) and audits
// the attempt, whichever way it goes.
func (e *Engine) SignIn(name, pin string) (User, error) {
	u, err := e.checkPIN(name, pin)
	if err != nil {
		if aerr := e.audit(strings.TrimSpace(name), "failed sign-in", "", ""); aerr != nil {
			return User{}, errors.Join(err, aerr)
		}
		return User{}, err
	}
	if err := e.audit(u.Name, "signed in", "", ""); err != nil {
		return u, err
	}
	return u, nil
}

// Authorise checks that a supervisor's name and PIN are right, for one
// action (purpose), and audits the attempt either way: a clerk's PIN is
// refused as not a supervisor's.
func (e *Engine) Authorise(name, pin, purpose string) (User, error) {
	u, err := e.checkPIN(name, pin)
	if err == nil && !u.Supervisor() {
		err = fmt.Errorf("%s is not a supervisor", u.Name)
	}
	if err != nil {
		if aerr := e.audit(strings.TrimSpace(name), "supervisor authorisation refused", "", purpose); aerr != nil {
			return User{}, errors.Join(err, aerr)
		}
		return User{}, err
	}
	return u, e.audit(u.Name, "supervisor authorised", "", purpose)
}

func (e *Engine) checkPIN(name, pin string) (User, error) {
	r, ok, err := e.store.Account(name)
	if err != nil {
		return User{}, err
	}
	if !ok {
		// Spend the same time as a real check so timing tells nothing.
		_, _ = hashPIN(pin, make([]byte, 16))
		return User{}, ErrBadSignIn
	}
	h, err := hashPIN(pin, r.Salt)
	if err != nil {
		return User{}, err
	}
	if subtle.ConstantTimeCompare(h, r.Hash) != 1 || r.Disabled {
		return User{}, ErrBadSignIn
	}
	return r.User, nil
}
