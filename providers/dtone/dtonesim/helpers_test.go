package dtonesim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fixedNow is the test clock: tests never read the wall clock.
var fixedNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

func clock() time.Time { return fixedNow }

// tclient talks to a simulator over real HTTP on loopback, signing every
// request with the demo credentials and a fresh nonce.
type tclient struct {
	t     *testing.T
	sim   *Server
	srv   *httptest.Server
	nonce atomic.Int64
}

func newSim(t *testing.T, ext ...string) *tclient {
	t.Helper()
	return newSimOpts(t, Options{Now: clock, Extensions: ext})
}

func newSimOpts(t *testing.T, opt Options) *tclient {
	t.Helper()
	s, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &tclient{t: t, sim: s, srv: srv}
}

func allExtensions() []string { return append([]string(nil), ExtensionNames...) }

type answer struct {
	status int
	header http.Header
	body   []byte
	err    error
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(a.body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v\n%s", a.status, err, a.body)
	}
	return m
}

// errorCode is the code of a provider error body, or 0.
func (a answer) errorCode(t *testing.T) int {
	t.Helper()
	var e struct {
		Errors []struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(a.body, &e); err != nil || len(e.Errors) != 1 || e.Errors[0].Message == "" {
		return 0
	}
	return e.Errors[0].Code
}

func (c *tclient) nextNonce() string { return "n" + strconv.FormatInt(c.nonce.Add(1), 10) }

// request sends one request; headers nil means "sign it properly".
func (c *tclient) request(ctx context.Context, method, path, body string, headers map[string]string) answer {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.srv.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if headers == nil {
		n := c.nextNonce()
		headers = map[string]string{HeaderAPIKey: APIKey, HeaderNonce: n, HeaderHMAC: Sign(APIKey, APISecret, n)}
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b, err: err}
}

func (c *tclient) get(path string) answer {
	c.t.Helper()
	return c.request(context.Background(), http.MethodGet, path, "", nil)
}

func (c *tclient) post(path, body string) answer {
	c.t.Helper()
	return c.request(context.Background(), http.MethodPost, path, body, nil)
}

// decodeJSON reads a JSON document with numbers kept as written.
func decodeJSON(t *testing.T, s string) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, s)
	}
	return v
}

func sameJSON(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Fatalf("JSON differs\n got: %s\nwant: %s", g, w)
	}
}

// isWebServer404 reports a web server's "no such path" answer: 404 and not
// the provider's error body.
func isWebServer404(t *testing.T, a answer) bool {
	t.Helper()
	return a.status == http.StatusNotFound && !bytes.Contains(a.body, []byte(`"errors"`)) && a.errorCode(t) == 0
}
