package alqimahsim

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The platform's side of the webhook (seed L495-497, L636-675): when an
// operation's status changes, it calls the purchase's WebHookURL with GET
// and the query OperationStatus, WebHookCode, TransactionID, ReferenceID,
// price and message. WebHookCode is echoed as the purchase sent it.
//
// A change is a pending sale becoming final: by Resolve, or by the status
// look-ups of the pending fault running out (that call is made in the
// background). A sale final in its payment answer is not called back.

// ErrNotPending is returned by Resolve for a sale that is not pending.
var ErrNotPending = errors.New("the sale is not pending")

// ErrNotFinal is returned by SendWebhook for a sale that is still pending:
// the seed's webhook carries only 0 or 1 (seed L654-656).
var ErrNotFinal = errors.New("the sale is still pending")

// Resolve finishes a pending sale as the operator would: ok succeeds it,
// !ok cancels it and gives the money back. When the purchase carried a
// WebHookURL it then calls it and returns the HTTP status of the answer (0
// when none was called).
func (s *Server) Resolve(ref string, ok bool) (int, error) {
	s.mu.Lock()
	sl := s.sales[ref]
	switch {
	case sl == nil:
		s.mu.Unlock()
		return 0, fmt.Errorf("alqimahsim: no sale %s", ref)
	case sl.state != -1:
		s.mu.Unlock()
		return 0, fmt.Errorf("alqimahsim: sale %s: %w", ref, ErrNotPending)
	}
	sl.pollsLeft = 0
	if ok {
		sl.state = 1
	} else {
		sl.state = 0
		s.balance = s.balance.Add(sl.price)
		if s.commits[ref] > 0 {
			s.commits[ref]--
		}
	}
	s.mu.Unlock()
	return s.SendWebhook(ref)
}

// SendWebhook calls the sale's WebHookURL (again) with its current final
// state, as a platform that retries does. It returns the HTTP status of
// the answer, or 0 and no error when the purchase carried no WebHookURL.
func (s *Server) SendWebhook(ref string) (int, error) {
	s.mu.Lock()
	sl := s.sales[ref]
	var target string
	var state int
	if sl != nil {
		state = sl.state
		target = webhookTarget(sl)
	}
	s.mu.Unlock()
	switch {
	case sl == nil:
		return 0, fmt.Errorf("alqimahsim: no sale %s", ref)
	case state == -1:
		return 0, fmt.Errorf("alqimahsim: sale %s: %w", ref, ErrNotFinal)
	case target == "":
		return 0, nil
	}
	req, err := http.NewRequest(http.MethodGet, target, nil) // seed L641
	if err != nil {
		return 0, fmt.Errorf("alqimahsim: webhook for %s: %w", ref, err)
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("alqimahsim: webhook for %s: %w", ref, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// webhookTarget is WebHookURL with the seed's query string (seed L643-650,
// L663, L669-675), in the seed's order; "" when the sale has no URL. The
// caller holds s.mu.
func webhookTarget(sl *sale) string {
	if sl.hookURL == "" {
		return ""
	}
	msg := "Order Sucsses" // seed L649, its typo
	if sl.state == 0 {
		msg = "ملغية" // the seed has no failed webhook text; its failed status text (L193)
	}
	q := []string{
		"OperationStatus=" + strconv.Itoa(sl.state),            // seed L644, L654-656, L670
		"WebHookCode=" + url.QueryEscape(sl.hookCode),          // seed L645, L657, L671
		"TransactionID=" + url.QueryEscape(sl.ref),             // seed L646, L658, L672
		"ReferenceID=" + strconv.FormatInt(sl.referenceID, 10), // seed L647, L659, L673
		"price=" + sl.price.String(),                           // seed L648, L660, L674
		"message=" + url.QueryEscape(msg),                      // seed L649, L661, L675
	}
	sep := "?"
	if strings.Contains(sl.hookURL, "?") {
		sep = "&"
	}
	return sl.hookURL + sep + strings.Join(q, "&")
}
