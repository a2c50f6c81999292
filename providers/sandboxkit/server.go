package sandboxkit

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// Server is a sandbox listening on a loopback address.
type Server struct {
	URL  string // "http://127.0.0.1:PORT"
	srv  *http.Server
	done chan struct{}
}

// Start serves h on addr ("127.0.0.1:0" picks a free port). Only loopback
// addresses are accepted: a sandbox is never exposed on a network.
func Start(addr string, h http.Handler) (*Server, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("sandbox listen address %q: only loopback addresses (127.0.0.1, ::1, localhost) are allowed", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox listen %s: %w", addr, err)
	}
	s := &Server{
		URL:  "http://" + ln.Addr().String(),
		srv:  &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener is ours; Serve only fails when it is closed
		}
	}()
	return s, nil
}

// Close stops the server, dropping held requests.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = s.srv.Close()
	}
	<-s.done
	return err
}

// Mount serves several sandboxes on one server under path prefixes:
// Mount(map[string]http.Handler{"/bitaqaty": b}) answers /bitaqaty/integration/...
// with b seeing /integration/....
func Mount(routes map[string]http.Handler) http.Handler {
	mux := http.NewServeMux()
	for prefix, h := range routes {
		p := "/" + strings.Trim(prefix, "/")
		mux.Handle(p+"/", http.StripPrefix(p, h))
	}
	return mux
}
