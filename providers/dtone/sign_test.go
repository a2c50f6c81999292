package dtone

import (
	"net/http"
	"strconv"
	"testing"

	"kiosk/providers/dtone/dtonesim"
)

// The expected values were computed independently with
// `printf '%s' KEY+NONCE | openssl dgst -sha256 -hmac SECRET -binary | base64`.
func TestSignature(t *testing.T) {
	tests := []struct{ key, secret, nonce, want string }{
		{"sandbox-dtone-apikey", "sandbox-dtone-secret", "1478078334", "TPIlPE7Qxoh7bxuAlTkqGbe3Lv4gdKXCeE24EaD9HoM="},
		{"00000000-0000-0000-0000-000000000000", "secret", "1478078334", "179ocAaCAZbKmIWKY5EprxOXDPHHBqzekuL+ci4yJFU="},
		{"key", "", "", "BSuRZ+TUe4hlEYJYOJEjd2N8QxF7CJCRGgkR5c6Tuvc="},
	}
	for _, tt := range tests {
		if got := signature(tt.key, tt.secret, tt.nonce); got != tt.want {
			t.Errorf("signature(%q, secret, %q) = %s, want %s", tt.key, tt.nonce, got, tt.want)
		}
	}
}

func TestSignSetsHeadersTheSimulatorAccepts(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/ping", nil)
	sign(req, dtonesim.APIKey, dtonesim.APISecret, "1478078334")
	if req.Header.Get("X-TransferTo-apikey") != dtonesim.APIKey || req.Header.Get("X-TransferTo-nonce") != "1478078334" ||
		req.Header.Get("X-TransferTo-hmac") != "TPIlPE7Qxoh7bxuAlTkqGbe3Lv4gdKXCeE24EaD9HoM=" {
		t.Fatalf("headers = %v", req.Header)
	}
	// The simulator, written apart from the client, computes the same.
	if dtonesim.Sign(dtonesim.APIKey, dtonesim.APISecret, "1478078334") != req.Header.Get("X-TransferTo-hmac") || !validSignature(req) {
		t.Fatal("the simulator's signature differs")
	}
	sign(req, dtonesim.APIKey, "other", "1478078334")
	if validSignature(req) {
		t.Fatal("validSignature accepted a wrong secret")
	}
}

func TestNoncesStrictlyIncrease(t *testing.T) {
	var n nonces
	last := int64(0)
	for range 1000 {
		v, err := strconv.ParseInt(n.next(), 10, 64)
		if err != nil || v <= last {
			t.Fatalf("nonce %d after %d (err %v)", v, last, err)
		}
		last = v
	}
}
