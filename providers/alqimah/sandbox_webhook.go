package alqimah

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The sandbox's side of the webhook. The platform calls WebHookURL when an
// operation changes; in the sandbox that happens when a test (or a person)
// finishes a pending sale with Resolve, as the operator would. The sandbox
// computes each sale's WebHookCode with WebhookCode and the key given to
// SetWebhook — exactly the code a client sending the fields would have sent.

// sbWebhook is where and how the sandbox calls back.
type sbWebhook struct {
	url string
	key []byte
	hc  *http.Client
}

// SetWebhook makes the sandbox call rawURL (GET, the documented query)
// whenever Resolve finishes a sale. An empty rawURL switches the calls off.
func (s *Sandbox) SetWebhook(rawURL string, key []byte) error {
	if rawURL != "" {
		u, err := url.Parse(rawURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("webhook URL %q is not an http(s) URL with a host", rawURL)
		}
	}
	if rawURL == "" {
		sbWebhooks.Delete(s)
		return nil
	}
	sbWebhooks.Store(s, &sbWebhook{url: rawURL, key: append([]byte(nil), key...), hc: &http.Client{Timeout: 10 * time.Second}})
	return nil
}

// sbWebhooks holds each sandbox's webhook settings (*Sandbox → *sbWebhook),
// kept beside the Sandbox so its struct stays as it is. An entry is never
// changed, only replaced or deleted.
var sbWebhooks sync.Map

// webhook returns the sandbox's webhook settings; url is "" when none.
func (s *Sandbox) webhook() sbWebhook {
	if w, ok := sbWebhooks.Load(s); ok {
		return *w.(*sbWebhook)
	}
	return sbWebhook{}
}

// ErrNotPending is returned by Resolve for a sale that is not pending.
var ErrNotPending = errors.New("the sale is not pending")

// Resolve finishes a pending sale as the operator would: ok succeeds it
// (delivering its PIN, for a gift card), !ok cancels it and gives the money
// back. Then, when SetWebhook was called, it calls the webhook and returns
// the HTTP status of the answer (0 when no webhook is set).
func (s *Sandbox) Resolve(ref string, ok bool) (int, error) {
	s.mu.Lock()
	sale := s.sales[ref]
	switch {
	case sale == nil:
		s.mu.Unlock()
		return 0, fmt.Errorf("sandbox has no sale %s", ref)
	case sale.state != -1:
		s.mu.Unlock()
		return 0, fmt.Errorf("sale %s: %w", ref, ErrNotPending)
	}
	if ok {
		sale.state, sale.pollsLeft = 1, 0
	} else {
		sale.state, sale.pollsLeft = 0, 0
		s.balance = s.balance.Add(sale.price)
		if s.commits[ref] > 0 {
			s.commits[ref]--
		}
	}
	s.mu.Unlock()
	return s.SendWebhook(ref)
}

// SendWebhook calls the webhook for the sale's current state, as the
// platform does when an operation changes — or once more, as a platform
// that retries does. It returns the HTTP status of the answer; 0 and no
// error when no webhook is set.
func (s *Sandbox) SendWebhook(ref string) (int, error) {
	wh := s.webhook()
	s.mu.Lock()
	sale := s.sales[ref]
	var query string
	if sale != nil {
		msg := map[int]string{1: "Order Sucsses", 0: "Order cancelled", -1: "Order received and under process"}[sale.state]
		query = webhookQuery(sale.state, WebhookCode(wh.key, ref), ref, sale.referenceID, sale.price, msg)
	}
	s.mu.Unlock()
	switch {
	case sale == nil:
		return 0, fmt.Errorf("sandbox has no sale %s", ref)
	case wh.url == "":
		return 0, nil
	}
	target := wh.url
	if strings.Contains(target, "?") {
		target += "&" + query
	} else {
		target += "?" + query
	}
	resp, err := wh.hc.Get(target)
	if err != nil {
		return 0, fmt.Errorf("webhook for %s: %w", ref, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}
