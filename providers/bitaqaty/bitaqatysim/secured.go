package bitaqatysim

// The secured-integration variant (seed L1436-L2244): the request is
// {resellerUsername, encryptedData}, encryptedData being the plain method's
// JSON encrypted with Bitaqaty's public key; the answer is {status, data},
// data being the plain answer's JSON encrypted with the reseller's public
// key (seed L1438, L1461-L1475).
//
// The seed does not give the padding, the key size or how a message longer
// than one RSA block is split. Its samples decode to 128 and 256 bytes
// (L1518: one 1024-bit block; L1761, L1892: two), so messages are split
// into chunks that fit one block each, every chunk is encrypted on its own,
// the blocks are concatenated and the whole is base64 (standard alphabet).
// The padding is a setting (PROVIDERS.md).

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1" // registers crypto.SHA1 for OAEP
	_ "crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Paddings accepted by EnableSecured (config.example.toml's `padding`).
const (
	PaddingPKCS1v15          = "pkcs1v15"
	PaddingOAEPSHA1          = "oaep-sha1"
	PaddingOAEPSHA256        = "oaep-sha256"
	PaddingOAEPSHA256MGFSHA1 = "oaep-sha256-mgf1sha1" // OAEP with SHA-256, MGF1 with SHA-1 (Java's default OAEPParameterSpec mix)
)

// Paddings lists every padding EnableSecured takes.
var Paddings = []string{PaddingPKCS1v15, PaddingOAEPSHA1, PaddingOAEPSHA256, PaddingOAEPSHA256MGFSHA1}

type securedKeys struct {
	bitaqaty *rsa.PrivateKey
	reseller *rsa.PublicKey
	padding  string
}

// oaepOptions returns the OAEP options for a padding, or nil for PKCS#1 v1.5.
func oaepOptions(padding string) (*rsa.OAEPOptions, error) {
	switch padding {
	case PaddingPKCS1v15:
		return nil, nil
	case PaddingOAEPSHA1:
		return &rsa.OAEPOptions{Hash: crypto.SHA1}, nil
	case PaddingOAEPSHA256:
		return &rsa.OAEPOptions{Hash: crypto.SHA256}, nil
	case PaddingOAEPSHA256MGFSHA1:
		return &rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA1}, nil
	}
	return nil, fmt.Errorf("unknown padding %q (known: %s)", padding, strings.Join(Paddings, ", "))
}

// encryptBlocks encrypts msg for pub, one RSA block per chunk.
func encryptBlocks(pub *rsa.PublicKey, padding string, msg []byte) ([]byte, error) {
	opts, err := oaepOptions(padding)
	if err != nil {
		return nil, err
	}
	k := pub.Size()
	max := k - 11
	if opts != nil {
		max = k - 2*opts.Hash.Size() - 2
	}
	if max <= 0 {
		return nil, errors.New("key too small for padding")
	}
	out := make([]byte, 0, (len(msg)/max+1)*k)
	for len(msg) > 0 {
		n := min(max, len(msg))
		var blk []byte
		if opts == nil {
			blk, err = rsa.EncryptPKCS1v15(rand.Reader, pub, msg[:n])
		} else {
			blk, err = rsa.EncryptOAEPWithOptions(rand.Reader, pub, msg[:n], opts)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, blk...)
		msg = msg[n:]
	}
	return out, nil
}

// decryptBlocks undoes encryptBlocks with priv.
func decryptBlocks(priv *rsa.PrivateKey, padding string, data []byte) ([]byte, error) {
	opts, err := oaepOptions(padding)
	if err != nil {
		return nil, err
	}
	k := priv.Size()
	if len(data) == 0 || len(data)%k != 0 {
		return nil, fmt.Errorf("encrypted data is %d bytes, not a whole number of %d-byte blocks", len(data), k)
	}
	var out []byte
	for ; len(data) > 0; data = data[k:] {
		var plain []byte
		if opts == nil {
			plain, err = rsa.DecryptPKCS1v15(nil, priv, data[:k])
		} else {
			plain, err = priv.Decrypt(nil, data[:k], opts)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, plain...)
	}
	return out, nil
}

// decodeBase64 reads standard base64, with or without padding, ignoring
// line breaks (Java's MIME encoder adds them); URL-safe is accepted too.
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("encryptedData is not base64")
}

// Encrypt and Decrypt are the simulator's block scheme, exported so tests
// of a client can build or read secured messages the same way.

// Encrypt encrypts msg for pub with padding and returns base64.
func Encrypt(pub *rsa.PublicKey, padding string, msg []byte) (string, error) {
	b, err := encryptBlocks(pub, padding, msg)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// Decrypt reads base64 data encrypted for priv with padding.
func Decrypt(priv *rsa.PrivateKey, padding string, data string) ([]byte, error) {
	raw, err := decodeBase64(data)
	if err != nil {
		return nil, err
	}
	return decryptBlocks(priv, padding, raw)
}
