package providers

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// CheckBaseURL checks a provider's base_url setting: http(s), a host, and
// no query or fragment. The error starts with the key's name.
func CheckBaseURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case strings.TrimSpace(raw) == "":
		return errors.New("base_url: is required")
	case err != nil:
		return fmt.Errorf("base_url: %v", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("base_url: %q must start with https:// or http://", raw)
	case u.Host == "":
		return fmt.Errorf("base_url: %q has no host", raw)
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("base_url: %q must not have a query or fragment", raw)
	}
	return nil
}

// StripURL drops the request URL from a transport error, keeping the cause
// (errors.Is still sees context.DeadlineExceeded): some providers put
// credentials in the query string, and a URL has no place on a clerk's screen.
func StripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
