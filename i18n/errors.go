package i18n

import "errors"

// Error is an error the kiosk itself words (not a provider's text): its
// message is a catalogue key with arguments, so a screen can say it in the
// clerk's language while logs, the command line and errors.Is see the
// English. Err, when set, is what it wraps.
type Error struct {
	Key  string
	Args []any
	Err  error
}

// Errorf makes an Error of key with args; a wrapped error among the args
// is kept for errors.Is (the message itself says it in words).
func Errorf(key string, args ...any) error {
	e := &Error{Key: key, Args: args}
	for _, a := range args {
		if err, ok := a.(error); ok {
			e.Err = err
		}
	}
	return e
}

func (e *Error) Error() string { return T(EN, e.Key, e.args(EN)...) }

func (e *Error) Unwrap() error { return e.Err }

// args are the arguments as lang shows them: a wrapped error is given as
// its own words (a kiosk Error in lang, another error as it reads).
func (e *Error) args(lang Lang) []any {
	out := make([]any, len(e.Args))
	for i, a := range e.Args {
		if err, ok := a.(error); ok {
			out[i] = In(lang, err)
			continue
		}
		out[i] = a
	}
	return out
}

// In says err in lang when the kiosk worded it (an Error, anywhere in its
// chain), else as it reads.
func In(lang Lang, err error) string {
	var e *Error
	if errors.As(err, &e) {
		return T(lang, e.Key, e.args(lang)...)
	}
	return err.Error()
}
