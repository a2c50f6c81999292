package dtonesim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// field and object write a JSON object with its keys in a fixed order, so
// answers keep the seed's key order (encoding/json sorts map keys).
type field struct {
	k string
	v any
}

type object []field

func (o object) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, f := range o {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, f.k)
		b = append(b, ':')
		v, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// num writes a decimal as a bare JSON number.
func num(s string) json.Number { return json.Number(s) }

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, b)
}

// writeError writes the provider's error body. Seed L260-L265 shows its
// shape; PROVIDERS.md says every error has it.
func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, object{{"errors", []any{object{{"code", code}, {"message", msg}}}}})
}

// writeNotFound is a web server's answer for a path it does not have: not
// the provider's error body.
func writeNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"))
}

// writeMethodNotAllowed is a web server's answer for a known path asked with
// another method.
func writeMethodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusMethodNotAllowed)
	_, _ = w.Write([]byte("<html>\r\n<head><title>405 Not Allowed</title></head>\r\n<body>\r\n<center><h1>405 Not Allowed</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"))
}
