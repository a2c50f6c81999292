package storage

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/scrypt"
)

// Role is what a person may do.
type Role string

// Roles. A supervisor can do everything a clerk can.
const (
	RoleClerk      Role = "clerk"
	RoleSupervisor Role = "supervisor"
)

// User is a person who signs in. The PIN is kept only as a slow hash.
type User struct {
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	Lang     string    `json:"lang,omitempty"` // "en" or "ar"; empty: the kiosk's language
	Salt     []byte    `json:"salt"`
	Hash     []byte    `json:"hash"`
	Created  time.Time `json:"created"`
	Disabled bool      `json:"disabled,omitempty"`
}

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
func (j *Journal) PutUser(name string, role Role, pin, lang string) error {
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
	u := User{Name: name, Role: role, Lang: lang, Salt: salt, Hash: h, Created: j.now()}
	b, err := json.Marshal(u)
	if err != nil {
		return err
	}
	return j.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).Put([]byte(strings.ToLower(name)), b)
	})
}

// Users lists everyone who can sign in.
func (j *Journal) Users() ([]User, error) {
	var out []User
	err := j.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	})
	return out, err
}

// SignIn checks a name and PIN. Names are matched without regard to case.
func (j *Journal) SignIn(name, pin string) (User, error) {
	var u User
	err := j.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketUsers).Get([]byte(strings.ToLower(strings.TrimSpace(name))))
		if v == nil {
			return ErrBadSignIn
		}
		return json.Unmarshal(v, &u)
	})
	if errors.Is(err, ErrBadSignIn) {
		// Spend the same time as a real check so timing tells nothing.
		_, _ = hashPIN(pin, make([]byte, 16))
		return User{}, ErrBadSignIn
	}
	if err != nil {
		return User{}, err
	}
	h, err := hashPIN(pin, u.Salt)
	if err != nil {
		return User{}, err
	}
	if subtle.ConstantTimeCompare(h, u.Hash) != 1 || u.Disabled {
		return User{}, ErrBadSignIn
	}
	return u, nil
}
