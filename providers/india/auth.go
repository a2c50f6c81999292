package india

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"kiosk/providers"
)

// token returns the bearer token, signing in when there is none yet
// (extension signin: PROVIDERS.md "POST /member/signin {username,
// password} returns a bearer token"). One sign-in serves every call until
// the provider refuses the token (HTTP 401), which drops it.
//
// The sign-in is a request of its own, sent before the call it is for:
// when it fails, that call was not sent.
func (c *Client) token(ctx context.Context, op string) (string, error) {
	c.mu.Lock()
	t := c.tok
	c.mu.Unlock()
	if t != "" {
		return t, nil
	}
	// extension signin: POST signin_path {username, password}.
	body, _ := json.Marshal(map[string]string{"username": c.cfg.Username, "password": c.cfg.Password.Reveal()})
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+c.paths.signin, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("signin: build request: %w", err)
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	ans, err := providers.Send(c.hc, hr, maxBody)
	if err != nil {
		return "", signinErr(providers.SendFailure(ID, name, op, err))
	}
	t, a, perr := parseSignin(ans.Body)
	switch {
	case success2xx(ans.Status) && perr == nil && t != "":
		c.mu.Lock()
		c.tok = t
		c.mu.Unlock()
		return t, nil
	case success2xx(ans.Status) && perr == nil:
		msg := "the recharge provider refused the sign-in; check username and password in [providers.india]"
		if m := clip(a.Msg, 80); m != "" && !strings.Contains(m, c.cfg.Password.Reveal()) {
			msg += " (" + m + ")"
		}
		return "", providers.Refusal(ID, op, "signin", msg)
	case providers.RouteMissing(ans):
		return "", c.routeError(op, "signin", ans)
	}
	e := providers.Refusal(ID, op, "signin", fmt.Sprintf("the recharge provider's sign-in answered HTTP %d without a token", ans.Status))
	e.Temporary = ans.Status >= 500
	return "", e
}

// signinErr says that what failed was the sign-in.
func signinErr(e *providers.Error) *providers.Error {
	e.Code = "signin"
	e.Message = "sign-in: " + e.Message
	return e
}

// dropToken forgets a token the provider no longer accepts.
func (c *Client) dropToken(t string) {
	c.mu.Lock()
	if c.tok == t {
		c.tok = ""
	}
	c.mu.Unlock()
}
