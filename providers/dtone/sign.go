package dtone

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The authentication headers DT One reads on every call.
const (
	headerKey   = "X-TransferTo-apikey"
	headerNonce = "X-TransferTo-nonce"
	headerHMAC  = "X-TransferTo-hmac"
)

// signature is base64(HMAC-SHA256(key = api secret, message = api key + nonce)).
func signature(apiKey, apiSecret, nonce string) string {
	m := hmac.New(sha256.New, []byte(apiSecret))
	m.Write([]byte(apiKey + nonce))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// nonces hands out strictly increasing nonces. DT One refuses a nonce it has
// seen, so two requests in the same instant must still differ; microseconds
// keep kiosks sharing one key apart, and stay above the milliseconds other
// clients use.
type nonces struct {
	mu   sync.Mutex
	last int64
}

func (n *nonces) next() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	now := time.Now().UnixMicro()
	if now <= n.last {
		now = n.last + 1
	}
	n.last = now
	return strconv.FormatInt(now, 10)
}

// sign sets the three authentication headers on req.
func sign(req *http.Request, apiKey, apiSecret, nonce string) {
	req.Header.Set(headerKey, apiKey)
	req.Header.Set(headerNonce, nonce)
	req.Header.Set(headerHMAC, signature(apiKey, apiSecret, nonce))
}
