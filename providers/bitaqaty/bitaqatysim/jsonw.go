package bitaqatysim

// A small ordered JSON writer. Answers are written field by field in the
// order the seed's tables list them, straight into one buffer, so a product
// list of half a million entries costs no maps and no reflection.

import (
	"strconv"
	"unicode/utf8"

	"kiosk/money"
)

type obj struct {
	buf *[]byte
	n   int
}

type arr struct {
	buf *[]byte
	n   int
}

func newObj() *obj {
	b := make([]byte, 0, 1024)
	b = append(b, '{')
	return &obj{buf: &b}
}

func (o *obj) key(k string) {
	if o.n > 0 {
		*o.buf = append(*o.buf, ',')
	}
	o.n++
	*o.buf = appendJSONString(*o.buf, k)
	*o.buf = append(*o.buf, ':')
}

// str writes a JSON string.
func (o *obj) str(k, v string) {
	o.key(k)
	*o.buf = appendJSONString(*o.buf, v)
}

// optStr writes a JSON string unless it is empty (the seed's 0..1 fields).
func (o *obj) optStr(k, v string) {
	if v != "" {
		o.str(k, v)
	}
}

// num writes v, already JSON number text.
func (o *obj) num(k, v string) {
	o.key(k)
	*o.buf = append(*o.buf, v...)
}

func (o *obj) int(k string, v int64) {
	o.key(k)
	*o.buf = strconv.AppendInt(*o.buf, v, 10)
}

func (o *obj) boolean(k string, v bool) {
	o.key(k)
	*o.buf = strconv.AppendBool(*o.buf, v)
}

// amount writes halalas as a JSON number the way a Java double prints
// (48.5, 10.0): the seed's amounts are doubles (e.g. L113, L219).
func (o *obj) amount(k string, halalas int64) {
	o.num(k, double(money.FromMinor(halalas, 2)))
}

func (o *obj) object(k string) *obj {
	o.key(k)
	*o.buf = append(*o.buf, '{')
	return &obj{buf: o.buf}
}

func (o *obj) array(k string) *arr {
	o.key(k)
	*o.buf = append(*o.buf, '[')
	return &arr{buf: o.buf}
}

func (o *obj) end() { *o.buf = append(*o.buf, '}') }

// bytes closes the top-level object and returns its text.
func (o *obj) bytes() []byte {
	o.end()
	return *o.buf
}

func (a *arr) object() *obj {
	if a.n > 0 {
		*a.buf = append(*a.buf, ',')
	}
	a.n++
	*a.buf = append(*a.buf, '{')
	return &obj{buf: a.buf}
}

func (a *arr) end() { *a.buf = append(*a.buf, ']') }

// double writes d as Java prints a double: at least one decimal place.
func double(d money.Decimal) string {
	s := d.String()
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return s
		}
	}
	return s + ".0"
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as a JSON string, keeping UTF-8 as it is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
