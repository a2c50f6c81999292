package bitaqaty

import (
	"crypto"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// password is Bitaqaty's request signature: lowercase hex MD5 of the
// reseller username, the method's fields in the documented order, and the
// secret key, joined with no separator.
func password(username, secretKey string, fields ...string) string {
	h := md5.New()
	h.Write([]byte(username))
	for _, f := range fields {
		h.Write([]byte(f))
	}
	h.Write([]byte(secretKey))
	return hex.EncodeToString(h.Sum(nil))
}

// Paddings for the secured-integration variant. The seed does not say which
// one Bitaqaty uses, so it is a setting. "oaep-sha256-mgf1sha1" is what
// Java's RSA/ECB/OAEPWithSHA-256AndMGF1Padding does by default.
const (
	PaddingPKCS1v15         = "pkcs1v15"
	PaddingOAEPSHA1         = "oaep-sha1"
	PaddingOAEPSHA256       = "oaep-sha256"
	PaddingOAEPSHA256MGF1v1 = "oaep-sha256-mgf1sha1"
)

var paddings = []string{PaddingPKCS1v15, PaddingOAEPSHA1, PaddingOAEPSHA256, PaddingOAEPSHA256MGF1v1}

func validPadding(p string) bool {
	for _, q := range paddings {
		if p == q {
			return true
		}
	}
	return false
}

func oaepOptions(padding string) *rsa.OAEPOptions {
	switch padding {
	case PaddingOAEPSHA1:
		return &rsa.OAEPOptions{Hash: crypto.SHA1, MGFHash: crypto.SHA1}
	case PaddingOAEPSHA256:
		return &rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA256}
	case PaddingOAEPSHA256MGF1v1:
		return &rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA1}
	}
	return nil
}

// maxChunk is the longest plain text one RSA block of k bytes carries.
func maxChunk(k int, padding string) int {
	switch padding {
	case PaddingOAEPSHA1:
		return k - 2*sha1.Size - 2
	case PaddingOAEPSHA256, PaddingOAEPSHA256MGF1v1:
		return k - 2*sha256.Size - 2
	}
	return k - 11
}

// encryptBlocks encrypts msg for pub in as many RSA blocks as it needs and
// returns the blocks concatenated (each exactly the key size), which is what
// the seed's samples decode to: 128 bytes for one 1024-bit block, 256 for two.
func encryptBlocks(pub *rsa.PublicKey, padding string, msg []byte) ([]byte, error) {
	k := pub.Size()
	n := maxChunk(k, padding)
	if n <= 0 {
		return nil, fmt.Errorf("rsa key of %d bits is too small for %s", k*8, padding)
	}
	var out []byte
	for len(msg) > 0 {
		chunk := msg[:min(n, len(msg))]
		msg = msg[len(chunk):]
		var c []byte
		var err error
		if o := oaepOptions(padding); o != nil {
			c, err = rsa.EncryptOAEPWithOptions(rand.Reader, pub, chunk, o)
		} else {
			c, err = rsa.EncryptPKCS1v15(rand.Reader, pub, chunk)
		}
		if err != nil {
			return nil, fmt.Errorf("rsa encrypt: %w", err)
		}
		out = append(out, c...)
	}
	return out, nil
}

// decryptBlocks reverses encryptBlocks with the private key.
func decryptBlocks(priv *rsa.PrivateKey, padding string, data []byte) ([]byte, error) {
	k := priv.Size()
	if len(data) == 0 || len(data)%k != 0 {
		return nil, fmt.Errorf("encrypted data is %d bytes, not a multiple of the %d-byte key size", len(data), k)
	}
	var out []byte
	for i := 0; i < len(data); i += k {
		var p []byte
		var err error
		if o := oaepOptions(padding); o != nil {
			p, err = priv.Decrypt(nil, data[i:i+k], o)
		} else {
			p, err = rsa.DecryptPKCS1v15(nil, priv, data[i:i+k])
		}
		if err != nil {
			return nil, fmt.Errorf("rsa decrypt block %d (padding %s): %w", i/k+1, padding, err)
		}
		out = append(out, p...)
	}
	return out, nil
}

// decodeBase64 accepts standard base64 with or without padding, and with
// line breaks (Java's MIME encoder wraps at 76 characters).
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// keyDER returns the DER bytes of a key file: PEM, or bare base64 as Java
// tools often hand keys out.
func keyDER(b []byte) (der []byte, pemType string, err error) {
	if blk, _ := pem.Decode(b); blk != nil {
		return blk.Bytes, blk.Type, nil
	}
	der, err = decodeBase64(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, "", errors.New("neither PEM nor base64 DER")
	}
	return der, "", nil
}

// loadPublicKey reads Bitaqaty's RSA public key (PKIX, PKCS#1 or an X.509
// certificate).
func loadPublicKey(path string) (*rsa.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	der, typ, err := keyDER(b)
	if err != nil {
		return nil, err
	}
	if typ == "CERTIFICATE" {
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		if k, ok := cert.PublicKey.(*rsa.PublicKey); ok {
			return k, nil
		}
		return nil, errors.New("certificate does not hold an RSA key")
	}
	if k, err := x509.ParsePKIXPublicKey(der); err == nil {
		if rk, ok := k.(*rsa.PublicKey); ok {
			return rk, nil
		}
		return nil, errors.New("not an RSA public key")
	}
	if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("not an RSA public key (expected PKIX or PKCS#1)")
}

// loadPrivateKey reads the reseller's RSA private key (PKCS#8 or PKCS#1).
func loadPrivateKey(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	der, _, err := keyDER(b)
	if err != nil {
		return nil, err
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		if rk, ok := k.(*rsa.PrivateKey); ok {
			return rk, nil
		}
		return nil, errors.New("not an RSA private key")
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("not an RSA private key (expected PKCS#8 or PKCS#1)")
}
