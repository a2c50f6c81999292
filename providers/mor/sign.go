package mor

import (
	"crypto/sha1"
	"encoding/hex"
)

// Hash is MOR's request hash: lowercase hex SHA1 of the hashed parameters'
// values in the documented order (email, id, quantity), absent ones
// contributing nothing, followed by the API secret key. u, number and curr
// are not hashed.
func Hash(secretKey, email, id, quantity string) string {
	sum := sha1.Sum([]byte(email + id + quantity + secretKey))
	return hex.EncodeToString(sum[:])
}
