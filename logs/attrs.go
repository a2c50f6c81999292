package logs

import (
	"log/slog"
	"time"
)

// The keys of the typed attributes. A caller logs a sale with these, never
// with a struct: what a line may hold is decided here, once.
const (
	KeyStep     = "step"     // what was done: prepare, purchase, status, decide…
	KeyRef      = "ref"      // the kiosk's reference of the sale
	KeyProvider = "provider" // provider id
	KeyProduct  = "product"  // the provider's product id
	KeyState    = "state"    // the sale's state after the step
	KeyOp       = "op"       // the provider request: purchase, status, quote…
	KeyCode     = "code"     // the provider's documented error code
	KeyOutcome  = "outcome"  // what an error means for the money: refused, unknown
	KeyTook     = "took_ms"  // how long the step took
	KeyAge      = "age_ms"   // how long since the sale was prepared
	KeyCustomer = "customer" // the customer's number, masked
	KeyClerk    = "clerk"    // who sold
	KeyBy       = "by"       // who decided (a supervisor)
	KeyErr      = "err"      // an error's text, scrubbed
	KeyNote     = "note"     // a message for the clerk, scrubbed
)

// Step names what was done.
func Step(name string) slog.Attr { return slog.String(KeyStep, name) }

// Ref is a sale's reference.
func Ref(ref string) slog.Attr { return slog.String(KeyRef, ref) }

// Provider is a provider id.
func Provider(id string) slog.Attr { return slog.String(KeyProvider, id) }

// Product is a provider's product id.
func Product(id string) slog.Attr { return slog.String(KeyProduct, id) }

// State is a sale's state.
func State(s string) slog.Attr { return slog.String(KeyState, s) }

// Op is the provider request an error came from.
func Op(op string) slog.Attr { return slog.String(KeyOp, op) }

// Code is a provider's error code.
func Code(code string) slog.Attr { return slog.String(KeyCode, code) }

// Outcome says what an error means for the money.
func Outcome(o string) slog.Attr { return slog.String(KeyOutcome, o) }

// Took is a step's duration, in milliseconds with microseconds kept.
func Took(d time.Duration) slog.Attr { return millis(KeyTook, d) }

// Age is the time since the sale was prepared.
func Age(d time.Duration) slog.Attr { return millis(KeyAge, d) }

func millis(key string, d time.Duration) slog.Attr {
	return slog.Float64(key, float64(d.Microseconds())/1000)
}

// Customer is a customer's number, masked to its last three digits here
// (and again by the handler, should a caller build the attribute by hand).
func Customer(number string) slog.Attr { return slog.String(KeyCustomer, mask(number)) }

// Clerk is who sold.
func Clerk(name string) slog.Attr { return slog.String(KeyClerk, name) }

// By is who decided.
func By(name string) slog.Attr { return slog.String(KeyBy, name) }

// Err is an error's text; the handler scrubs it.
func Err(err error) slog.Attr {
	if err == nil {
		return slog.Attr{}
	}
	return slog.String(KeyErr, err.Error())
}

// Note is a message meant for the clerk; the handler scrubs it.
func Note(s string) slog.Attr { return slog.String(KeyNote, s) }
