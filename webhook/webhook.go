// Package webhook receives Al-Qimah's status callbacks. A callback is a
// prompt to settle its sale now: the outcome recorded is always Al-Qimah's
// answer to a status look-up by the same reference, never the callback's
// own word.
//
// It is optional and off by default. A callback is
//
//	GET <any path>?OperationStatus=1|0|-1&WebHookCode=…&TransactionID=…&ReferenceID=…&price=…&message=…
//
// and is answered at once with a short JSON object:
//
//	200 the status look-up confirmed the callback and it is recorded, or
//	    nothing to change (a replay, or a sale settled before)
//	202 accepted, the sale stays open: the status look-up made for it did
//	    not give a final answer yet (it is polled as any open sale)
//	400 malformed callback (the message says which parameter)
//	403 wrong WebHookCode: nothing is read or changed
//	404 no Al-Qimah sale under that TransactionID
//	405 not a GET; 413 a body; 414 query too long; 503 too many at once
//	409 the callback contradicts the journal or the status look-up: what
//	    the look-up said is kept and an audit entry is written for a
//	    supervisor
//
// The WebHookCode of a sale is alqimah.WebhookCode(key, ref), which the
// client sends with the payment; without the key no one can forge one.
package webhook

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/sale"
	"kiosk/termtext"
)

// By is who the journal names as the author of a change made by a callback.
const By = "alqimah webhook"

// DefaultListen is the address Listen uses when none is configured.
const DefaultListen = "127.0.0.1:8710"

// Limits.
const (
	MaxQuery       = 2048 // bytes of query string
	maxHeaderBytes = 8 << 10
	maxLookup      = 15 * time.Second // below Listen's write timeout
)

// Options tune a Handler. The zero value is fine.
type Options struct {
	// LookupTimeout bounds the status look-up made for a success callback
	// of a product with a PIN (default 5 s, at most 15 s): the callback is
	// always answered within about this time.
	LookupTimeout time.Duration
	// MaxConcurrent callbacks handled at once; more are answered 503 at
	// once (default 8).
	MaxConcurrent int
	// Logf, if set, receives one line per refused or conflicting callback;
	// wrong WebHookCodes, which anyone who can reach the port can send, at
	// most one line a minute with how many more came (never the audit).
	Logf func(format string, args ...any)
	// Now is the clock the rate limit reads; time.Now when nil.
	Now func() time.Time
}

// wrongCodeEvery is how often a wrong WebHookCode is logged at most.
const wrongCodeEvery = time.Minute

// Handler is the callback endpoint. It is safe for concurrent use.
type Handler struct {
	engine *sale.Engine
	key    []byte
	opt    Options
	sem    chan struct{}

	mu    sync.Mutex
	locks map[string]*refLock // callbacks of one sale are handled one at a time

	// The wrong-code log's rate limit: when a line was last written, and
	// how many refusals came since without a line.
	wrongMu     sync.Mutex
	wrongLogged time.Time
	wrongQuiet  int
}

type refLock struct {
	mu sync.Mutex
	n  int
}

// New returns the handler for engine's Al-Qimah sales. key is the secret the
// WebHookCodes are derived from (at least alqimah.WebhookKeyMin bytes).
func New(e *sale.Engine, key []byte) (*Handler, error) {
	return NewWithOptions(e, key, Options{})
}

// NewWithOptions is New with options.
func NewWithOptions(e *sale.Engine, key []byte, opt Options) (*Handler, error) {
	if e == nil {
		return nil, errors.New("webhook: no sale engine")
	}
	if len(key) < alqimah.WebhookKeyMin {
		return nil, fmt.Errorf("webhook: the key must be at least %d bytes", alqimah.WebhookKeyMin)
	}
	if opt.LookupTimeout <= 0 {
		opt.LookupTimeout = 5 * time.Second
	}
	opt.LookupTimeout = min(opt.LookupTimeout, maxLookup)
	if opt.MaxConcurrent <= 0 {
		opt.MaxConcurrent = 8
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Handler{
		engine: e, key: append([]byte(nil), key...), opt: opt,
		sem: make(chan struct{}, opt.MaxConcurrent), locks: map[string]*refLock{},
	}, nil
}

// ParseKey reads a webhook key written in hex: at least 32 hex digits (16
// bytes); 64 (`openssl rand -hex 32`) is recommended.
func ParseKey(text string) ([]byte, error) {
	key, err := hex.DecodeString(strings.TrimSpace(text))
	if err != nil || len(key) < alqimah.WebhookKeyMin {
		return nil, fmt.Errorf("webhook key must be at least %d hex digits", 2*alqimah.WebhookKeyMin)
	}
	return key, nil
}

// answer is the JSON every response carries.
type answer struct {
	OK      bool       `json:"ok"`
	Ref     string     `json:"ref,omitempty"`
	State   sale.State `json:"state,omitempty"`
	Message string     `json:"message"`
}

func reply(w http.ResponseWriter, code int, a answer) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(a)
}

func (h *Handler) logf(format string, args ...any) {
	if h.opt.Logf != nil {
		h.opt.Logf(format, args...)
	}
}

// wrongCode logs a refused WebHookCode, at most once a wrongCodeEvery: a
// flood of forged callbacks must not flood the support log either.
func (h *Handler) wrongCode(txID, from string) {
	h.wrongMu.Lock()
	now := h.opt.Now()
	if !h.wrongLogged.IsZero() && now.Sub(h.wrongLogged) < wrongCodeEvery {
		h.wrongQuiet++
		h.wrongMu.Unlock()
		return
	}
	quiet := h.wrongQuiet
	h.wrongLogged, h.wrongQuiet = now, 0
	h.wrongMu.Unlock()
	more := ""
	if quiet > 0 {
		more = fmt.Sprintf(" (and %d more wrong codes since the last line)", quiet)
	}
	h.logf("alqimah webhook: wrong WebHookCode for TransactionID %s from %s: refused%s", termtext.Line(txID), from, more)
}

// ServeHTTP handles one callback.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method != http.MethodGet:
		w.Header().Set("Allow", http.MethodGet)
		reply(w, http.StatusMethodNotAllowed, answer{Message: "a webhook call is a GET"})
		return
	case len(r.URL.RawQuery) > MaxQuery:
		reply(w, http.StatusRequestURITooLong, answer{Message: fmt.Sprintf("query longer than %d bytes", MaxQuery)})
		return
	case r.ContentLength != 0:
		// -1 (chunked or unknown) counts too: a callback has no body.
		w.Header().Set("Connection", "close")
		reply(w, http.StatusRequestEntityTooLarge, answer{Message: "a webhook call has no body"})
		return
	}
	select {
	case h.sem <- struct{}{}:
		defer func() { <-h.sem }()
	default:
		w.Header().Set("Retry-After", "5")
		reply(w, http.StatusServiceUnavailable, answer{Message: "busy; call again"})
		return
	}

	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		reply(w, http.StatusBadRequest, answer{Message: "malformed query string"})
		return
	}
	cb, err := alqimah.ParseWebhook(q)
	if err != nil {
		reply(w, http.StatusBadRequest, answer{Message: err.Error()})
		return
	}
	ref, ok := cb.Ref(h.key)
	if !ok {
		h.wrongCode(cb.TransactionID, r.RemoteAddr)
		reply(w, http.StatusForbidden, answer{Message: "wrong WebHookCode"})
		return
	}

	unlock := h.lock(ref)
	defer unlock()
	code, a := h.handle(r.Context(), ref, cb)
	a.Ref = ref
	reply(w, code, a)
}

// lock serialises the callbacks of one sale (a platform that retries may
// send the same one twice at once).
func (h *Handler) lock(ref string) func() {
	h.mu.Lock()
	l := h.locks[ref]
	if l == nil {
		l = &refLock{}
		h.locks[ref] = l
	}
	l.n++
	h.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		h.mu.Lock()
		if l.n--; l.n == 0 {
			delete(h.locks, ref)
		}
		h.mu.Unlock()
	}
}

// handle settles sale ref with the callback and says how to answer.
func (h *Handler) handle(ctx context.Context, ref string, cb alqimah.Webhook) (int, answer) {
	s, err := h.engine.Sale(ref)
	switch {
	case errors.Is(err, sale.ErrNotFound):
		return http.StatusNotFound, answer{Message: "no sale under this TransactionID"}
	case err != nil:
		return http.StatusInternalServerError, answer{Message: "the journal could not be read"}
	case s.Provider != alqimah.ID:
		return http.StatusNotFound, answer{Message: "no Al-Qimah sale under this TransactionID"}
	}
	res := cb.Result(currencyOf(s))

	if !s.State.Open() {
		return h.settled(s, res)
	}
	// A callback is only ever a prompt to ask: its code binds the reference
	// alone and travels in URLs that end up in proxy logs, so a forged
	// "failed" must not make a sold sale look failed (the clerk would
	// refund what the provider charged). What is recorded is Al-Qimah's
	// answer to a status look-up by the same reference.
	return h.lookUp(ctx, s, res)
}

// lookUp settles the sale by a status look-up and compares the answer with
// the callback: a look-up that agrees is recorded (with the PIN, which a
// callback never carries); one that disagrees is recorded too, and the
// contradiction is kept for a supervisor; no final answer leaves the sale
// open, to be polled.
func (h *Handler) lookUp(ctx context.Context, s *sale.Sale, res providers.Result) (int, answer) {
	ctx, cancel := context.WithTimeout(ctx, h.opt.LookupTimeout)
	defer cancel()
	out, err := h.engine.Settle(ctx, s.Ref)
	if out == nil {
		out = s
	}
	agrees := (res.State == providers.Succeeded && out.State == sale.Succeeded) ||
		(res.State == providers.Failed && out.State == sale.Failed)
	switch {
	case res.State == providers.Pending && out.State.Open():
		return http.StatusOK, answer{OK: true, State: out.State, Message: "pending noted; nothing to change"}
	case agrees:
		return http.StatusOK, answer{OK: true, State: out.State, Message: "recorded: " + string(out.State) + " (confirmed by status look-up)"}
	case !out.State.Open():
		return h.conflict(out, res, "the status look-up says "+string(out.State))
	}
	msg := "accepted; the status look-up did not confirm it yet: the sale stays open and is polled"
	if err != nil {
		msg = "accepted; the status look-up failed: the sale stays open and is polled"
	}
	return http.StatusAccepted, answer{OK: true, State: out.State, Message: msg}
}

// settled answers a callback for a sale already settled: the same outcome
// is a harmless replay; a different one is a conflict.
func (h *Handler) settled(s *sale.Sale, res providers.Result) (int, answer) {
	same := (res.State == providers.Succeeded && s.State == sale.Succeeded) ||
		(res.State == providers.Failed && s.State == sale.Failed)
	if same || res.State == providers.Pending {
		return http.StatusOK, answer{OK: true, State: s.State, Message: "already " + string(s.State) + "; nothing changed"}
	}
	return h.conflict(s, res, "the journal says "+string(s.State))
}

func (h *Handler) conflict(s *sale.Sale, res providers.Result, what string) (int, answer) {
	detail := fmt.Sprintf("Al-Qimah webhook says %s (ReferenceID %s, %q) but %s: left as it is, check it on the portal",
		res.State, res.ProviderRef, res.Message, what)
	h.logf("alqimah webhook: sale %s: %s", s.Ref, detail)
	if err := h.engine.Audit(By, "webhook conflicts", s.Ref, detail); err != nil {
		h.logf("alqimah webhook: sale %s: %v", s.Ref, err)
		detail += " (and the audit entry could not be written: " + err.Error() + ")"
	}
	return http.StatusConflict, answer{State: s.State, Message: detail}
}

// currencyOf is the currency the sale was charged in.
func currencyOf(s *sale.Sale) string {
	for _, c := range []string{s.Quote.Cost.Currency, s.Product.Cost.Currency, s.Quote.Retail.Currency} {
		if c != "" {
			return c
		}
	}
	return "YER"
}

// Server is a running listener.
type Server struct {
	URL  string // "http://HOST:PORT"
	srv  *http.Server
	done chan struct{}

	mu     sync.Mutex
	closed bool
	active sync.WaitGroup
}

// Listen serves h on addr (DefaultListen when empty) with tight limits:
// small headers, short read and write deadlines, idle connections closed.
// The address is taken as configured; loopback behind a TLS reverse proxy
// is the intended set-up, so Al-Qimah's calls reach it only through the
// proxy.
func Listen(addr string, h http.Handler) (*Server, error) {
	if addr == "" {
		addr = DefaultListen
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("webhook listen address %q: %w", addr, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("webhook listen %s: %w", addr, err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), done: make(chan struct{})}
	s.srv = &http.Server{
		Handler:           s.track(h),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      20 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln) // returns when closed
	}()
	return s, nil
}

// track counts the callbacks being handled, so Close can wait for them.
func (s *Server) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			reply(w, http.StatusServiceUnavailable, answer{Message: "shutting down; call again"})
			return
		}
		s.active.Add(1)
		s.mu.Unlock()
		defer s.active.Done()
		h.ServeHTTP(w, r)
	})
}

// Close stops the listener and drops its connections, then waits for the
// callbacks being handled to finish (a status look-up in progress is
// cancelled; its sale stays open and is polled). Close it before the journal.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	err := s.srv.Close()
	<-s.done
	s.active.Wait()
	return err
}
