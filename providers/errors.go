package providers

import (
	"errors"
	"fmt"

	"kiosk/termtext"
)

// Outcome says what an error means for the money.
type Outcome int

const (
	// Unknown: the request may have been carried out (timeout, cut
	// connection, unreadable answer, a duplicate reference). The sale is in
	// doubt until a status look-up settles it.
	Unknown Outcome = iota
	// Refused: the provider declined and charged nothing (out of stock,
	// insufficient balance, bad input). Safe to tell the clerk it failed.
	Refused
)

// Error is a provider's error with its documented code. Message is written
// for the clerk; it never holds a secret.
type Error struct {
	Provider string
	Op       string // "purchase", "status", "quote", …
	Code     string // the provider's code: "OUT_OF_STOCK", "1000404", "Bad login"
	Message  string
	Outcome  Outcome
	// Temporary marks errors worth retrying later (network down, provider busy).
	Temporary bool
	// Duplicate marks the provider's documented answer that the reference
	// was used before. To a sale sent for the first time it means another
	// sale holds this reference (a restored journal copy): the sale goes to
	// review with an alarm and is never settled from the other sale's record.
	Duplicate bool
	// Config marks an answer that says the kiosk is set up wrong (a route
	// that does not exist): shown as a configuration error, never as an
	// outcome of a sale.
	Config bool
	Err    error // underlying cause, if any
}

// Error is one line, cleaned of control and escape sequences: the message
// and the cause often quote the provider's own words.
func (e *Error) Error() string {
	s := e.Provider + " " + e.Op
	if e.Code != "" {
		s += " [" + e.Code + "]"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil && e.Message == "" {
		s += ": " + e.Err.Error()
	}
	return termtext.Line(s)
}

func (e *Error) Unwrap() error { return e.Err }

// Refusal builds an error for a documented "no, nothing charged" answer.
func Refusal(provider, op, code, msg string) *Error {
	return &Error{Provider: provider, Op: op, Code: code, Message: msg, Outcome: Refused}
}

// Doubt builds an error whose outcome is unknown.
func Doubt(provider, op, code, msg string, cause error) *Error {
	return &Error{Provider: provider, Op: op, Code: code, Message: msg, Outcome: Unknown, Temporary: true, Err: cause}
}

// IsDuplicate reports whether err is a provider's duplicate-reference answer.
func IsDuplicate(err error) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Duplicate
}

// IsConfig reports whether err says the kiosk's configuration is wrong.
func IsConfig(err error) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Config
}

// IsRefused reports whether err is a provider refusal, that is a failure
// that certainly charged nothing. Any other error leaves the outcome unknown.
func IsRefused(err error) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Outcome == Refused
}

// ClerkMessage turns any error from a provider call into one line for the
// screen: the provider's documented message where there is one, otherwise a
// plain description of the transport problem. The line is cleaned of
// control and escape sequences whatever the error is.
func ClerkMessage(err error) string {
	var pe *Error
	if errors.As(err, &pe) {
		if pe.Message != "" {
			if pe.Code != "" {
				return termtext.Line(fmt.Sprintf("%s: %s (%s)", pe.Provider, pe.Message, pe.Code))
			}
			return termtext.Line(pe.Provider + ": " + pe.Message)
		}
	}
	return termtext.Line(err.Error())
}
