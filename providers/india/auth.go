package india

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"kiosk/providers"
)

// token returns the bearer token, signing in when there is none yet.
// Sign-in is a separate request before the sale: when it fails nothing was
// sent for the sale, so every sign-in failure is a refusal of op.
func (c *Client) token(ctx context.Context, op string) (string, error) {
	c.mu.Lock()
	t := c.tok
	c.mu.Unlock()
	if t != "" {
		return t, nil
	}
	body, _ := json.Marshal(map[string]string{"username": c.cfg.Username, "password": c.cfg.Password.Reveal()})
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+c.paths.signin, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("signin: %w", err)
	}
	hr.Header.Set("Content-Type", "application/json")
	resp, err := c.send(hr)
	if err != nil {
		e := providers.Refusal(ID, op, "signin", "could not sign in to the recharge provider ("+providers.TransportReason(err)+"); nothing was sent")
		e.Temporary, e.Err = true, err
		return "", e
	}
	if resp.status >= 500 {
		e := providers.Refusal(ID, op, "signin", fmt.Sprintf("the recharge provider's sign-in answered HTTP %d; nothing was sent", resp.status))
		e.Temporary = true
		return "", e
	}
	t, a, err := parseSignin(resp.body)
	if err != nil || t == "" {
		msg := "the recharge provider refused the sign-in; check username and password in the india settings"
		if a.Msg != "" && !isAuthProblem(a.Msg) {
			msg += " (" + clip(a.Msg, 80) + ")"
		}
		return "", providers.Refusal(ID, op, "signin", msg)
	}
	c.mu.Lock()
	c.tok = t
	c.mu.Unlock()
	return t, nil
}

// dropToken forgets a token the provider no longer accepts.
func (c *Client) dropToken(t string) {
	c.mu.Lock()
	if c.tok == t {
		c.tok = ""
	}
	c.mu.Unlock()
}
