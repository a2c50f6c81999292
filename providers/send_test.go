package providers

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSendSaysWhetherTheRequestLeft checks, on loopback, that Send tells a
// request that never left (nothing can have been charged) from one that
// reached the server and got no answer (anything may have happened).
func TestSendSaysWhetherTheRequestLeft(t *testing.T) {
	closedPort := func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		return "http://" + addr + "/buy"
	}
	serve := func(t *testing.T, h http.HandlerFunc) string {
		s := httptest.NewServer(h)
		t.Cleanup(s.Close)
		return s.URL + "/buy"
	}
	tests := []struct {
		name       string
		url        func(t *testing.T) string
		client     func(t *testing.T) *http.Client
		notSent    bool
		reason     string
		wantAnswer int
	}{
		{name: "connection refused", url: closedPort, notSent: true, reason: "connection refused"},
		{name: "TLS refused before the request", url: func(t *testing.T) string {
			s := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("request reached the server") }))
			s.Config.ErrorLog = nil
			t.Cleanup(s.Close)
			return s.URL + "/buy"
		}, notSent: true, reason: "TLS"},
		{name: "cut after the request was read", url: func(t *testing.T) string {
			return serve(t, func(w http.ResponseWriter, r *http.Request) {
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
			})
		}, notSent: false, reason: "connection cut"},
		{name: "no answer in time", url: func(t *testing.T) string {
			return serve(t, func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body) // a read body lets the server see the client go
				select {
				case <-r.Context().Done():
				case <-time.After(10 * time.Second): // bound, should the close go unseen
				}
			})
		}, client: func(*testing.T) *http.Client { return &http.Client{Timeout: 100 * time.Millisecond} }, notSent: false, reason: "timed out"},
		{name: "answer too large", url: func(t *testing.T) string {
			return serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(strings.Repeat("x", 200))) })
		}, notSent: false, reason: "over 100 bytes"},
		{name: "an answer", url: func(t *testing.T) string {
			return serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
		}, wantAnswer: http.StatusAccepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hc := NewHTTPClient()
			if tt.client != nil {
				hc = tt.client(t)
			}
			hr, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, tt.url(t), strings.NewReader(`{"ref":"1"}`))
			a, err := Send(hc, hr, 100)
			if tt.wantAnswer != 0 {
				if err != nil || a.Status != tt.wantAnswer {
					t.Fatalf("answer %d, %v", a.Status, err)
				}
				return
			}
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SendError", err)
			}
			if se.NotSent != tt.notSent || !strings.Contains(se.Reason, tt.reason) {
				t.Fatalf("NotSent %v reason %q, want %v %q", se.NotSent, se.Reason, tt.notSent, tt.reason)
			}
			if strings.Contains(err.Error(), "/buy") {
				t.Errorf("error shows the URL: %v", err)
			}
			pe := SendFailure("p", "Provider", "purchase", err)
			if IsRefused(pe) != tt.notSent {
				t.Errorf("SendFailure refused = %v, want %v", IsRefused(pe), tt.notSent)
			}
		})
	}
}

// TestRedirectIsNotFollowed: a POST answered with a redirect is not sent
// again (Go would resend it as a GET, or post it twice).
func TestRedirectIsNotFollowed(t *testing.T) {
	var hits int
	var mu sync.Mutex
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer s.Close()
	hr, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL+"/buy", strings.NewReader("x"))
	a, err := Send(NewHTTPClient(), hr, 1000)
	if err != nil || a.Status != http.StatusFound || !RouteMissing(a) {
		t.Fatalf("answer %d, %v", a.Status, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if hits != 1 {
		t.Fatalf("server saw %d requests", hits)
	}
}

func TestRouteMissing(t *testing.T) {
	h := func(ct string) http.Header { return http.Header{"Content-Type": {ct}} }
	tests := []struct {
		name string
		a    Answer
		want bool
	}{
		{"404 json", Answer{Status: 404, Header: h("application/json"), Body: []byte(`{"msg":"Not Found"}`)}, true},
		{"405", Answer{Status: 405, Header: h("text/plain")}, true},
		{"302 to https", Answer{Status: 302, Header: http.Header{"Location": {"https://x/"}}}, true},
		{"200 html page", Answer{Status: 200, Header: h("text/html; charset=utf-8"), Body: []byte("<html>")}, true},
		{"200 html without type", Answer{Status: 200, Header: h(""), Body: []byte(" <!DOCTYPE html><p>proxy")}, true},
		{"200 json", Answer{Status: 200, Header: h("application/json"), Body: []byte(`{"error":0}`)}, false},
		{"400 json", Answer{Status: 400, Header: h("application/json"), Body: []byte(`{"errors":[]}`)}, false},
	}
	for _, tt := range tests {
		if got := RouteMissing(tt.a); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
