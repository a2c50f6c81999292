package providers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestCheckBaseURL(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"https://apis.example.com", true}, {"http://127.0.0.1:8700/mor", true},
		{"", false}, {"ftp://x", false}, {"https://", false}, {"https://x?a=1", false}, {"https://x#f", false},
	} {
		err := CheckBaseURL(tt.in)
		if (err == nil) != tt.ok || (err != nil && !strings.HasPrefix(err.Error(), "base_url: ")) {
			t.Errorf("CheckBaseURL(%q) = %v", tt.in, err)
		}
	}
}

func TestTransportErrorsHideTheURL(t *testing.T) {
	err := &url.Error{Op: "Post", URL: "https://x.test/api?api_password=hunter2", Err: context.DeadlineExceeded}
	stripped := StripURL(err)
	if strings.Contains(stripped.Error(), "hunter2") || !errors.Is(stripped, context.DeadlineExceeded) {
		t.Fatalf("StripURL = %v", stripped)
	}
	if TransportReason(err) != "timed out" || TransportReason(fmt.Errorf("x: %w", context.Canceled)) != "cancelled" ||
		TransportReason(errors.New("refused")) != "connection failed" {
		t.Fatal("TransportReason misreads errors")
	}
}
