package alqimah

import (
	"crypto/md5"
	"encoding/hex"
)

// loginToken builds the Token field of the login request as the seed gives
// it: md5(UserName + AccountNumber + md5(Password) + APIToken), every md5
// written as lowercase hex of the UTF-8 bytes.
func loginToken(userName, accountNumber, password, apiToken string) string {
	return md5hex(userName + accountNumber + md5hex(password) + apiToken)
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
