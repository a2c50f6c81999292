package providers

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// DefaultTimeout bounds one request when the kiosk gives a client no HTTP
// client of its own.
const DefaultTimeout = 30 * time.Second

// NewHTTPClient is the HTTP client a provider uses when none is given:
// timeout d (DefaultTimeout when 0) and no redirects followed. Go would
// send a redirected POST again as a GET without its body (301, 302) or
// post it once more elsewhere (307, 308); against an API that sells cards
// a redirect is the kiosk's configuration to fix, never a reason to send
// a purchase twice. The 3xx answer comes back to the client as it is.
func NewHTTPClient(d ...time.Duration) *http.Client {
	timeout := DefaultTimeout
	if len(d) > 0 && d[0] > 0 {
		timeout = d[0]
	}
	return &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Answer is a provider's HTTP answer, read whole.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// SendError is a request that got no (whole) answer.
type SendError struct {
	// NotSent is true when no connection to the provider was ever made for
	// this request (refused, no such host, TLS failed, timed out while
	// connecting): not one byte of it left this machine, so nothing can have
	// been charged and the sale may be made again.
	NotSent bool
	Reason  string // a few words for the clerk: "connection refused", "timed out"
	Err     error  // the cause, without the request URL
}

func (e *SendError) Error() string {
	if e.Err != nil {
		return e.Reason + ": " + e.Err.Error()
	}
	return e.Reason
}

func (e *SendError) Unwrap() error { return e.Err }

// Send sends hr once and reads at most max bytes of the answer. It never
// retries. The error, always a *SendError, never holds the URL: some
// providers put credentials in the query string.
func Send(hc *http.Client, hr *http.Request, max int64) (Answer, error) {
	var connected atomic.Bool
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connected.Store(true) }}
	hr = hr.WithContext(httptrace.WithClientTrace(hr.Context(), trace))
	resp, err := hc.Do(hr)
	if err != nil {
		err = StripURL(err)
		return Answer{}, &SendError{NotSent: !connected.Load(), Reason: TransportReason(err), Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		err = StripURL(err)
		return Answer{}, &SendError{Reason: "the answer was cut off (" + TransportReason(err) + ")", Err: err}
	}
	if int64(len(body)) > max {
		return Answer{}, &SendError{Reason: fmt.Sprintf("the answer is over %d bytes", max)}
	}
	return Answer{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// NotSent reports whether err says the request never left this machine.
func NotSent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.NotSent
}

// SendFailure turns an error from Send into the provider error op gets:
// a request that never left is a refusal (nothing sent, nothing charged,
// the sale may be made again); any other is a doubt.
func SendFailure(provider, name, op string, err error) *Error {
	var se *SendError
	if errors.As(err, &se) && se.NotSent {
		e := Refusal(provider, op, "not_sent", fmt.Sprintf("could not reach %s (%s): nothing was sent and nothing was charged", name, se.Reason))
		e.Temporary, e.Err = true, err
		return e
	}
	reason := "no answer"
	if se != nil {
		reason = se.Reason
	}
	return Doubt(provider, op, "", fmt.Sprintf("no answer from %s (%s)", name, reason), err)
}

// RouteMissing reports whether an answer is what a web server gives for a
// path it does not have (HTTP 404, 405 or 501, a redirect elsewhere, or an
// HTML page) rather than an answer of the provider's API. Clients check their provider's own
// documented error bodies first; what is left is a configuration error
// (a wrong base_url or path, or an extension the provider does not have),
// never an outcome of a sale.
func RouteMissing(a Answer) bool {
	switch {
	case a.Status == http.StatusNotFound, a.Status == http.StatusMethodNotAllowed, a.Status == http.StatusNotImplemented,
		a.Status >= 300 && a.Status < 400:
		return true
	}
	mt, _, _ := mime.ParseMediaType(a.Header.Get("Content-Type"))
	if mt == "text/html" {
		return true
	}
	b := strings.TrimSpace(strings.ToLower(string(a.Body[:min(len(a.Body), 64)])))
	return strings.HasPrefix(b, "<!doctype html") || strings.HasPrefix(b, "<html")
}

// RouteError is the error for an answer RouteMissing recognises: the
// outcome of the request is unknown (a proxy may answer so for a request it
// passed on), and the message names the setting to check.
func RouteError(provider, name, op, route, setting string, a Answer) *Error {
	e := Doubt(provider, op, fmt.Sprintf("HTTP %d", a.Status),
		fmt.Sprintf("%s has no %s (HTTP %d): check %s in the configuration", name, route, a.Status, setting), nil)
	e.Config = true
	return e
}

// TransportReason says in a few words why no answer came.
func TransportReason(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &dnsErr):
		return "no such host"
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return "its TLS certificate was not accepted"
	case errors.As(err, &recErr):
		return "it does not speak TLS"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "connection cut"
	}
	var ne interface{ Timeout() bool }
	if errors.As(err, &ne) && ne.Timeout() {
		return "timed out"
	}
	return "connection failed"
}
