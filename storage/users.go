package storage

import (
	"encoding/json"
	"strings"

	bolt "go.etcd.io/bbolt"
)

func userKey(name string) []byte { return []byte(strings.ToLower(strings.TrimSpace(name))) }

// PutUser writes a user record (names are matched without regard to case).
func (j *Journal) PutUser(u UserRecord) error {
	b, err := json.Marshal(u)
	if err != nil {
		return err
	}
	return j.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).Put(userKey(u.Name), b)
	})
}

// UpdateUser reads a user, lets edit change it and writes it back in one
// commit; ok is false (and nothing written) when there is no such user.
// An error from edit writes nothing and is returned.
func (j *Journal) UpdateUser(name string, edit func(*UserRecord) error) (u UserRecord, ok bool, err error) {
	err = j.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		v := b.Get(userKey(name))
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, &u); err != nil {
			return err
		}
		ok = true
		if err := edit(&u); err != nil {
			return err
		}
		nv, err := json.Marshal(u)
		if err != nil {
			return err
		}
		return b.Put(userKey(u.Name), nv)
	})
	return u, ok, err
}

// User reads one user; ok is false when there is none of that name.
func (j *Journal) User(name string) (u UserRecord, ok bool, err error) {
	err = j.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketUsers).Get(userKey(name))
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &u)
	})
	return u, ok, err
}

// Users lists everyone who can sign in, by name.
func (j *Journal) Users() ([]UserRecord, error) {
	var out []UserRecord
	err := j.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
			var u UserRecord
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	})
	return out, err
}
