package bitaqatysim

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
)

var (
	keysOnce           sync.Once
	bbKey, resellerKey *rsa.PrivateKey
	keysErr            error
)

// testKeys are 1024-bit, the size the seed's samples decode to.
func testKeys(t *testing.T) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	keysOnce.Do(func() {
		if bbKey, keysErr = rsa.GenerateKey(rand.Reader, 1024); keysErr != nil {
			return
		}
		resellerKey, keysErr = rsa.GenerateKey(rand.Reader, 1024)
	})
	if keysErr != nil {
		t.Fatal(keysErr)
	}
	return bbKey, resellerKey
}

// secured sends inner encrypted for Bitaqaty and decrypts the answer.
func (e *env) secured(padding, path string, outerUser string, inner map[string]any) (answer, answer) {
	e.t.Helper()
	bb, rs := testKeys(e.t)
	plain, _ := json.Marshal(inner)
	enc, err := Encrypt(&bb.PublicKey, padding, plain)
	if err != nil {
		e.t.Fatal(err)
	}
	outer := e.post("/secured-integration/"+path, map[string]any{"resellerUsername": outerUser, "encryptedData": enc})
	data, err := Decrypt(rs, padding, outer.str("data"))
	if err != nil {
		e.t.Fatalf("answer data: %v (%s)", err, outer.raw)
	}
	return outer, answer{code: outer.code, raw: data, m: decode(e.t, data)}
}

func TestSeedSamplesAreWhole1024BitBlocks(t *testing.T) {
	for line, sample := range map[int]string{
		1518: "Q2lKjHHzqFCC62WHtM9Lev1oGXoAXZ2wcAO8dKFHhsZv6qkDbCo5IDFFdcK16NEwgW4RxjCvIsgQVUiTMUjt59jQxO82Jq8GzBEVeqiSc2XklrRkO8HeFWlxyEwnVagjQtBpzsgRGxKGCVu8oyDtj8nH2v/m4Xqy1+qCiMgl/mQ=",
		1761: "oy5sHDgofDd9OePdJzxH5XULtQE+75EXHRBXDOkXDEs/CopqtcqsOFqbyWPGzbn/VKcD5o7I+1+/puN9wJfGr84VgSqGMKOGkrGfprZYs9tcwJ5KCoeYX4CxIuCn/wp+uvXXrkiGlNM+vajDpGYE+/YnZJsXeEHPPFrUdQzpFXlPNDif/PKME6lWn4rcDogYW1wJIqfK/e3Kaz1kQ4oC+GNJFGff2Dn8axuLUG4pAorULNR1njv9G0zXQ4P84wkiiZ+M3yH5EPuSheGqHp2KfKv4or89rel6mDkG3bnlVuBA/MN1FHOph0zG5xF7GT5VXFlvAFdczXllGXY9DtBIxA==",
	} {
		b, err := decodeBase64(sample)
		if err != nil || len(b)%128 != 0 {
			t.Errorf("seed L%d: %d bytes, %v", line, len(b), err)
		}
	}
}

func TestEncryptDecryptChunks(t *testing.T) {
	bb, _ := testKeys(t)
	for _, p := range Paddings {
		for _, n := range []int{1, 61, 62, 63, 117, 118, 300, 5000} {
			msg := []byte(strings.Repeat("x", n))
			enc, err := Encrypt(&bb.PublicKey, p, msg)
			if err != nil {
				t.Fatal(p, n, err)
			}
			raw, _ := base64.StdEncoding.DecodeString(enc)
			if len(raw)%128 != 0 {
				t.Errorf("%s %d: %d bytes", p, n, len(raw))
			}
			back, err := Decrypt(bb, p, enc)
			if err != nil || string(back) != string(msg) {
				t.Errorf("%s %d: %v", p, n, err)
			}
		}
	}
	// One padding cannot open another's blocks.
	enc, _ := Encrypt(&bb.PublicKey, PaddingOAEPSHA256, []byte("hello"))
	if _, err := Decrypt(bb, PaddingOAEPSHA256MGFSHA1, enc); err == nil {
		t.Error("oaep-sha256 opened as oaep-sha256-mgf1sha1")
	}
}

func TestSecuredVariant(t *testing.T) {
	for _, padding := range Paddings {
		t.Run(padding, func(t *testing.T) {
			e := start(t)
			bb, rs := testKeys(t)
			e.s.EnableSecured(bb, &rs.PublicKey, padding)

			outer, a := e.secured(padding, "check-balance", Username, signed(nil)) // seed L1461-L1463
			wantOK(t, a)
			if outer.m["status"] != true || len(outer.m) != 2 || a.num("balance") != "5000.0" {
				t.Errorf("check-balance: outer %s inner %s", outer.raw, a.raw)
			}
			_, a = e.secured(padding, "purchase-product", Username, signed([]string{"2862", "sec-1"}, "productID", "2862", "resellerRefNumber", "sec-1", "terminalId", "K1")) // L1804-L1805
			wantOK(t, a)
			if a.str("pin") == "" || a.str("terminalId") != "K1" || e.s.Charged("sec-1") != 1 {
				t.Errorf("purchase: %s", a.raw)
			}
			_, st := e.secured(padding, "check-transaction-status", Username, signed([]string{"sec-1"}, "resellerRefNumber", "sec-1")) // L1935-L1936
			if st.str("pin") != a.str("pin") {
				t.Errorf("status: %s", st.raw)
			}
			_, info := e.secured(padding, "product-detailed-info", Username, signed([]string{"2862"}, "productId", "2862")) // L1680-L1681 spell productId
			if info.str("nameEr") == "" {
				t.Errorf("product info: %s", info.raw)
			}
			_, list := e.secured(padding, "detailed-products-list", Username, signed([]string{""}, "merchantId", "")) // L1559-L1560
			if n := len(list.m["products"].([]any)); n != 40 {
				t.Errorf("list: %d products", n)
			}
			_, miss := e.secured(padding, "detailed-products-list", Username, signed([]string{""}))
			wantErr(t, miss, "103", "MISSING_MERCHANT_ID")                          // L1613
			_, ml := e.secured(padding, "get-merchant-list", Username, signed(nil)) // L2171-L2172
			wantOK(t, ml)
			_, rec := e.secured(padding, "reconcile", Username, signed([]string{"2025-03-10 00:00:00", "2025-03-10 23:59:59", "true"}, "dateFrom", "2025-03-10 00:00:00", "dateTo", "2025-03-10 23:59:59", "isSuccessful", "true")) // L2059-L2060
			if n := len(rec.m["transactions"].([]any)); n != 1 {
				t.Errorf("reconcile: %s", rec.raw)
			}
			outer, bad := e.secured(padding, "check-balance", Username, map[string]any{"resellerUsername": Username, "password": "0"})
			if outer.m["status"] != false {
				t.Errorf("outer status of an error: %s", outer.raw)
			}
			wantErr(t, bad, "202", "INVALID_PASSWORD")
			_, other := e.secured(padding, "check-balance", Username, map[string]any{"resellerUsername": "someone@else", "password": md5hex("someone@else", SecretKey)})
			wantErr(t, other, "201", "INVALID_RESELLER_USERNAME")
			// Plain routes keep working beside the secured ones.
			wantOK(t, e.post("/integration/check-balance", signed(nil)))
		})
	}
}

func TestSecuredRefusals(t *testing.T) {
	e := start(t)
	bb, rs := testKeys(t)
	e.s.EnableSecured(bb, &rs.PublicKey, "")
	open := func(outer answer) answer {
		data, err := Decrypt(rs, PaddingPKCS1v15, outer.str("data"))
		if err != nil {
			t.Fatalf("%v: %s", err, outer.raw)
		}
		return answer{raw: data, m: decode(t, data)}
	}
	enc, _ := Encrypt(&rs.PublicKey, PaddingPKCS1v15, []byte(`{"resellerUsername":"kiosk@sandbox.test"}`)) // wrong key
	wantErr(t, open(e.post("/secured-integration/check-balance", map[string]any{"resellerUsername": Username, "encryptedData": enc})), "500", "INTERNAL_SYSTEM_ERROR")
	wantErr(t, open(e.post("/secured-integration/check-balance", map[string]any{"encryptedData": enc})), "101", "MISSING_RESELLER_USERNAME")
	wantErr(t, open(e.post("/secured-integration/check-balance", map[string]any{"resellerUsername": "x", "encryptedData": enc})), "201", "INVALID_RESELLER_USERNAME")
	wantErr(t, open(e.post("/secured-integration/check-balance", map[string]any{"resellerUsername": Username, "encryptedData": "%%%"})), "500", "INTERNAL_SYSTEM_ERROR")
	// The seed has no secured bill methods.
	for _, m := range []string{"detailed-bill-products-list", "service-bill-inquire", "calculate-topup-amount", "service-bill-pay"} {
		a, err := e.do(context.Background(), http.MethodPost, "/secured-integration/"+m, map[string]any{"resellerUsername": Username, "encryptedData": enc})
		if err != nil || a.code != http.StatusNotFound {
			t.Errorf("%s: HTTP %d %v", m, a.code, err)
		}
	}
	e.s.EnableSecured(bb, &rs.PublicKey, "rsa-none")
	a, err := e.do(context.Background(), http.MethodPost, "/secured-integration/check-balance", map[string]any{"resellerUsername": Username, "encryptedData": enc})
	if err != nil || a.code != http.StatusInternalServerError {
		t.Errorf("unknown padding: HTTP %d %v", a.code, err)
	}
}
