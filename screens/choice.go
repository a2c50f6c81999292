package screens

import (
	"strings"

	"kiosk/providers"
	"kiosk/termtext"
)

// choiceList is a choice field's list as the clerk narrows it: what was
// typed filters the choices (India's 23 circles), ←/→ move among those
// left, and nothing is chosen until the clerk chooses — unless the
// configuration named a default that is one of the choices.
type choiceList struct {
	choices []providers.Choice
	shown   []int // indexes of the choices the filter leaves, in order
	at      int   // the chosen choice's index; -1: none yet
}

func newChoiceList(f providers.Field) *choiceList {
	l := &choiceList{choices: f.Choices, at: -1}
	for i, c := range f.Choices {
		if f.Default != "" && c.Value == f.Default {
			l.at = i
		}
	}
	l.filter("")
	return l
}

// filter keeps the choices whose name holds q, or whose code starts with
// it, ignoring case. A choice the filter leaves out is given up for the
// first one it keeps, so enter takes what the clerk sees first.
func (l *choiceList) filter(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	l.shown = l.shown[:0]
	kept := false
	for i, c := range l.choices {
		if q == "" || strings.Contains(strings.ToLower(c.Label), q) || strings.HasPrefix(strings.ToLower(c.Value), q) {
			l.shown = append(l.shown, i)
			kept = kept || i == l.at
		}
	}
	switch {
	case q == "" || kept:
	case len(l.shown) > 0:
		l.at = l.shown[0]
	default:
		l.at = -1
	}
}

// choose chooses the choice whose code is v, if there is one.
func (l *choiceList) choose(v string) {
	for i, c := range l.choices {
		if c.Value == v {
			l.at = i
		}
	}
}

// step moves d places among the choices shown, wrapping round; from no
// choice, right takes the first and left the last.
func (l *choiceList) step(d int) {
	n := len(l.shown)
	if n == 0 {
		return
	}
	pos := -1
	for i, c := range l.shown {
		if c == l.at {
			pos = i
		}
	}
	switch {
	case pos < 0 && d > 0:
		pos = 0
	case pos < 0:
		pos = n - 1
	default:
		pos = ((pos+d)%n + n) % n
	}
	l.at = l.shown[pos]
}

// value is the chosen choice's code, "" when none is chosen.
func (l *choiceList) value() string {
	if l.at < 0 {
		return ""
	}
	return l.choices[l.at].Value
}

// name is the chosen choice's name, "" when none is chosen.
func (l *choiceList) name() string {
	if l.at < 0 {
		return ""
	}
	c := l.choices[l.at]
	if c.Label == "" {
		return termtext.Line(c.Value)
	}
	return termtext.Line(c.Label)
}

// names are the names of the choices shown.
func (l *choiceList) names() []string {
	out := make([]string, len(l.shown))
	for i, c := range l.shown {
		out[i] = termtext.Line(l.choices[c].Label)
	}
	return out
}
