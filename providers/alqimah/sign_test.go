package alqimah

import (
	"testing"

	"kiosk/providers/alqimah/alqimahsim"
)

// The expected values were computed with Python's hashlib, an independent
// MD5, from the seed's formula; the first uses the seed's own placeholder
// values from its C# example.
func TestLoginToken(t *testing.T) {
	tests := []struct {
		user, account, password, apiToken, want string
	}{
		{"YourUserName", "YourAccountNumber", "YourPassword", "YourApiToken", "faff96f59f943d56a5ed279e82060442"},
		{alqimahsim.UserName, alqimahsim.AccountNumber, alqimahsim.Password, alqimahsim.APIToken, "395be7655906730aadec7d6b46011f79"},
	}
	for _, tt := range tests {
		if got := loginToken(tt.user, tt.account, tt.password, tt.apiToken); got != tt.want {
			t.Errorf("loginToken(%q, %q, …) = %s, want %s", tt.user, tt.account, got, tt.want)
		}
	}
	if got := md5hex(""); got != "d41d8cd98f00b204e9800998ecf8427e" {
		t.Errorf("md5hex(\"\") = %s", got)
	}
}
