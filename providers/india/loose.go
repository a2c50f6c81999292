package india

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// fields is a flat view of a JSON-like object: lower-case key → value text.
// Nested objects appear as "parent.child"; arrays keep their raw text.
type fields map[string]string

// maxDepth bounds nesting so a hostile answer cannot recurse deeply.
const maxDepth = 8

// parseLoose reads one JSON-like object the way the provider writes them:
// valid JSON, and also the sloppy forms its documentation shows — bare
// string values (`"msg":order in queue,`), trailing commas, unquoted keys —
// with keys in any case (the older API answers "ERROR", "MESSAGE").
//
// It stays strict where sloppiness would hide a cut-off answer: the object
// must be closed, strings must be terminated, and nothing but white space
// may follow.
func parseLoose(b []byte) (fields, error) {
	p := &looseParser{s: string(b)}
	p.s = strings.TrimPrefix(p.s, "\ufeff")
	out := fields{}
	p.ws()
	if !p.eat('{') {
		return nil, p.errorf("answer is not a JSON object")
	}
	if err := p.object(out, "", 1); err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.s) {
		return nil, p.errorf("text after the object")
	}
	return out, nil
}

type looseParser struct {
	s string
	i int
}

func (p *looseParser) errorf(format string, a ...any) error {
	return fmt.Errorf("answer at byte %d: %s", p.i, fmt.Sprintf(format, a...))
}

func (p *looseParser) ws() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *looseParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *looseParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// object reads members after '{' up to and including '}'.
func (p *looseParser) object(out fields, prefix string, depth int) error {
	if depth > maxDepth {
		return p.errorf("nested too deeply")
	}
	for {
		p.ws()
		if p.eat('}') {
			return nil
		}
		key, err := p.key()
		if err != nil {
			return err
		}
		p.ws()
		if !p.eat(':') {
			return p.errorf("missing ':' after key %q", key)
		}
		p.ws()
		key = prefix + strings.ToLower(key)
		switch p.peek() {
		case '{':
			p.i++
			if err := p.object(out, key+".", depth+1); err != nil {
				return err
			}
		case '[':
			raw, err := p.array()
			if err != nil {
				return err
			}
			out[key] = raw
		case '"':
			v, err := p.str()
			if err != nil {
				return err
			}
			out[key] = v
		default:
			v, err := p.bare()
			if err != nil {
				return err
			}
			out[key] = v
		}
		p.ws()
		switch {
		case p.eat(','):
			// A trailing comma before '}' is allowed: the seed has one.
		case p.peek() == '}':
		case p.i >= len(p.s):
			return p.errorf("object is not closed (answer cut off?)")
		default:
			return p.errorf("unexpected %q after value of %q", p.peek(), key)
		}
	}
}

func (p *looseParser) key() (string, error) {
	if p.peek() == '"' {
		k, err := p.str()
		if err != nil {
			return "", err
		}
		if k == "" {
			return "", p.errorf("empty key")
		}
		return k, nil
	}
	start := p.i
	for p.i < len(p.s) && isKeyByte(p.s[p.i]) {
		p.i++
	}
	if p.i == start {
		if p.i >= len(p.s) {
			return "", p.errorf("object is not closed (answer cut off?)")
		}
		return "", p.errorf("unexpected %q where a key should be", p.s[p.i])
	}
	return p.s[start:p.i], nil
}

func isKeyByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// str reads a double-quoted string. Proper JSON escapes are decoded; a
// string JSON would refuse only for raw control characters is kept as
// written.
func (p *looseParser) str() (string, error) {
	start := p.i
	p.i++ // opening quote
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '\\':
			p.i += 2
			continue
		case '"':
			p.i++
			raw := p.s[start:p.i]
			var v string
			if err := json.Unmarshal([]byte(raw), &v); err != nil {
				if strings.Contains(raw, `\`) {
					return "", p.errorf("bad escape in string %s", raw)
				}
				v = raw[1 : len(raw)-1]
			}
			return v, nil
		}
		p.i++
	}
	return "", p.errorf("string is not closed (answer cut off?)")
}

// bare reads an unquoted value: a number, true/false/null, or text the
// provider forgot to quote. It runs to the ',' that starts the next member
// (a ',' followed by a key or '}') or to the '}' that closes the object.
// Commas inside the text are kept: "msg":Duplicate order, Order ID must be unique,
func (p *looseParser) bare() (string, error) {
	start := p.i
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ',':
			if p.memberFollows(p.i + 1) {
				return p.bareValue(start)
			}
		case '}':
			if p.closeFollows(p.i + 1) {
				return p.bareValue(start)
			}
		case '"', '{', '[':
			// A quote or bracket inside bare text means this is not a
			// value we can read with confidence (a missing comma, say).
			return "", p.errorf("cannot read the value starting %q", clip(p.s[start:], 20))
		}
		p.i++
	}
	return "", p.errorf("object is not closed (answer cut off?)")
}

func (p *looseParser) bareValue(start int) (string, error) {
	v := strings.TrimSpace(p.s[start:p.i])
	if v == "" {
		return "", p.errorf("missing value")
	}
	if v == "null" {
		return "", nil
	}
	return v, nil
}

// memberFollows reports whether a new member (or the end of the object)
// starts at j, after white space: '"', '}', or a bare key and ':'.
func (p *looseParser) memberFollows(j int) bool {
	j = skipWS(p.s, j)
	if j >= len(p.s) {
		return false
	}
	switch c := p.s[j]; {
	case c == '"' || c == '}':
		return true
	case isKeyByte(c):
		k := j
		for k < len(p.s) && isKeyByte(p.s[k]) {
			k++
		}
		k = skipWS(p.s, k)
		return k < len(p.s) && p.s[k] == ':'
	}
	return false
}

// closeFollows reports whether a '}' just before j really closes an
// object: it is followed by the end of the text, ',' or another '}'.
func (p *looseParser) closeFollows(j int) bool {
	j = skipWS(p.s, j)
	return j >= len(p.s) || p.s[j] == ',' || p.s[j] == '}'
}

func skipWS(s string, j int) int {
	for j < len(s) && strings.IndexByte(" \t\r\n", s[j]) >= 0 {
		j++
	}
	return j
}

// array keeps an array's raw text; nothing the client needs is in one.
func (p *looseParser) array() (string, error) {
	start, depth := p.i, 0
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '"':
			if _, err := p.str(); err != nil {
				return "", err
			}
			continue
		case '[', '{':
			depth++
			if depth > maxDepth {
				return "", p.errorf("nested too deeply")
			}
		case ']', '}':
			depth--
			if depth == 0 {
				p.i++
				return p.s[start:p.i], nil
			}
		}
		p.i++
	}
	return "", errors.New("array is not closed (answer cut off?)")
}

func clip(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}
