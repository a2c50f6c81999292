package storage

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Sealer encrypts voucher PINs at rest. The key lives apart from the journal
// (a key file or an environment variable), so a copied journal file alone
// does not give away PINs.
type Sealer struct{ aead cipher.AEAD }

// KeySize is the length of a sealing key in bytes (AES-256).
const KeySize = 32

// NewSealer makes a Sealer from a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("journal key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain; ad binds the ciphertext to one sale reference.
func (s *Sealer) Seal(plain, ad []byte) ([]byte, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return s.aead.Seal(nonce, nonce, plain, ad), nil
}

// Open decrypts what Seal wrote.
func (s *Sealer) Open(sealed, ad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealed vouchers too short")
	}
	return s.aead.Open(nil, sealed[:n], sealed[n:], ad)
}

// ParseKey reads a key written as 64 hex digits; spaces and line breaks
// between them (the groups kiosk key show prints) are ignored.
func ParseKey(text string) ([]byte, error) {
	key, err := hex.DecodeString(strings.Join(strings.Fields(text), ""))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("journal key must be %d hex digits", 2*KeySize)
	}
	return key, nil
}

// writeKeyFile writes a new key beside path, fsyncs it and links it into
// place, so a crash never leaves an empty or half-written key file, and an
// existing key is never replaced.
func writeKeyFile(path string, key []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".journal-key-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, werr := f.WriteString(hex.EncodeToString(key) + "\n")
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return err
	}
	// os.Link fails if path exists: a key already there is never replaced.
	if err := os.Link(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// LoadKeyFile reads a key file. With create set, a missing file is made with
// a fresh random key (mode 0600) — the first start of a new kiosk.
//
// The key is refused when its file is not a regular file (a symlink could
// point anyone's file at the kiosk) or when group or others may read it,
// with the command that mends it.
func LoadKeyFile(path string, create bool) ([]byte, error) {
	if st, err := os.Lstat(path); err == nil {
		switch {
		case !st.Mode().IsRegular():
			return nil, fmt.Errorf("journal key %s is not a regular file (%s): refusing it", path, st.Mode().Type())
		case st.Mode().Perm()&0o077 != 0:
			return nil, fmt.Errorf("journal key %s can be read by others (mode %04o): run chmod 600 %s", path, st.Mode().Perm(), path)
		}
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		key := make([]byte, KeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := writeKeyFile(path, key); err != nil {
			return nil, fmt.Errorf("journal key %s: %w", path, err)
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("journal key %s: %w", path, err)
	}
	key, err := ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("journal key %s: %w", path, err)
	}
	return key, nil
}
