// Package salelog is the sale engine's support log: one line per step of
// a sale (reference, provider, product, state, timings, masked customer)
// and one per provider error (with the provider's code and what it means
// for the money).
//
// A line is built from a sale's identifying fields only. The vouchers, the
// quote's fields and the product's text are never read, so a PIN cannot
// reach the log through here; what free text there is (the clerk's note,
// an error) goes through the logs package's scrubber.
package salelog

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"kiosk/logs"
	"kiosk/providers"
	"kiosk/sale"
)

// Logger writes sale steps and provider errors. It is safe for concurrent
// use. A nil *Logger logs nothing, so an engine without a log needs no
// checks.
type Logger struct {
	l *slog.Logger
}

// New logs through l (a logs.Log's Logger).
func New(l *slog.Logger) *Logger { return &Logger{l: l} }

// Step logs one step of a sale: "prepare", "purchase", "status",
// "decide"… with the state it left the sale in and how long it took.
func (g *Logger) Step(step string, s *sale.Sale, took time.Duration) {
	if g == nil || s == nil {
		return
	}
	attrs := []slog.Attr{
		logs.Step(step), logs.Ref(s.Ref), logs.Provider(s.Provider), logs.Product(s.Product.ID),
		logs.State(string(s.State)), logs.Took(took),
	}
	if !s.Created.IsZero() && !s.Updated.IsZero() {
		attrs = append(attrs, logs.Age(s.Updated.Sub(s.Created)))
	}
	if s.Attempts > 0 {
		attrs = append(attrs, slog.Int("lookups", s.Attempts))
	}
	if n := len(s.Vouchers); n > 0 {
		attrs = append(attrs, slog.Int("cards", n)) // how many, never what
	}
	if c := s.Customer(); c != "" {
		attrs = append(attrs, logs.Customer(c))
	}
	if s.Clerk != "" {
		attrs = append(attrs, logs.Clerk(s.Clerk))
	}
	if by := lastBy(s); by != "" && by != s.Clerk {
		attrs = append(attrs, logs.By(by))
	}
	level := slog.LevelInfo
	if s.Alarm != "" {
		attrs = append(attrs, slog.Bool("alarm", true))
		level = slog.LevelError
	} else if s.State == sale.NeedsReview || s.State == sale.InDoubt {
		level = slog.LevelWarn
	}
	if s.Message != "" {
		attrs = append(attrs, logs.Note(s.Message))
	}
	g.l.LogAttrs(context.Background(), level, "sale step", attrs...)
}

// lastBy is who made the sale's last change, when someone did (a
// supervisor's decision), logged when it is not the clerk.
func lastBy(s *sale.Sale) string {
	if n := len(s.History); n > 0 {
		return s.History[n-1].By
	}
	return ""
}

// ProviderError logs a provider request that returned an error: op is the
// request ("purchase", "status", "quote", "balance", "catalogue"), ref the
// sale's reference when there is a sale.
func (g *Logger) ProviderError(op, provider, ref string, err error, took time.Duration) {
	if g == nil || err == nil {
		return
	}
	attrs := []slog.Attr{logs.Op(op), logs.Provider(provider)}
	if ref != "" {
		attrs = append(attrs, logs.Ref(ref))
	}
	outcome := "unknown"
	if providers.IsRefused(err) {
		outcome = "refused"
	}
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Code != "" {
		attrs = append(attrs, logs.Code(pe.Code))
	}
	attrs = append(attrs, logs.Outcome(outcome))
	for _, flag := range []struct {
		key string
		on  bool
	}{
		{"temporary", pe != nil && pe.Temporary},
		{"duplicate", providers.IsDuplicate(err)},
		{"config", providers.IsConfig(err)},
		{"timeout", errors.Is(err, context.DeadlineExceeded)},
	} {
		if flag.on {
			attrs = append(attrs, slog.Bool(flag.key, true))
		}
	}
	attrs = append(attrs, logs.Took(took), logs.Err(err))
	level := slog.LevelWarn
	if providers.IsDuplicate(err) || providers.IsConfig(err) {
		level = slog.LevelError
	}
	g.l.LogAttrs(context.Background(), level, "provider error", attrs...)
}
