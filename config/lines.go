package config

import (
	"strings"
)

// keyLines maps each dotted key of a TOML text to its line number, so that
// errors about a key (unknown, missing, wrong) can point at it. It reads
// table headers and "key = value" lines; that is all our files use.
func keyLines(text string) map[string]int {
	lines := map[string]int{}
	table := ""
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		n := i + 1
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[["):
			table = cleanKey(strings.TrimSuffix(strings.TrimPrefix(line, "[["), "]]"))
			if _, seen := lines[table]; !seen {
				lines[table] = n
			}
		case strings.HasPrefix(line, "["):
			end := strings.Index(line, "]")
			if end < 0 {
				continue
			}
			table = cleanKey(line[1:end])
			lines[table] = n
		default:
			k, _, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			full := cleanKey(k)
			if table != "" {
				full = table + "." + full
			}
			if _, seen := lines[full]; !seen {
				lines[full] = n
			}
		}
	}
	return lines
}

func cleanKey(k string) string {
	parts := strings.Split(strings.TrimSpace(k), ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

// TableLines returns, for each [[name]] table of a TOML text in order, the
// line of each of its keys and, under "", the line of its header. keyLines
// keeps only a key's first line, which points every problem in the third
// [[prices]] table at the first one; this keeps each table apart.
func TableLines(text, name string) []map[string]int {
	var out []map[string]int
	var cur map[string]int
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			cur = nil
			if strings.HasPrefix(line, "[[") {
				end := strings.Index(line, "]]")
				if end > 0 && cleanKey(line[2:end]) == name {
					cur = map[string]int{"": i + 1}
					out = append(out, cur)
				}
			}
		case cur != nil:
			if k, _, ok := strings.Cut(line, "="); ok {
				if key := cleanKey(k); cur[key] == 0 {
					cur[key] = i + 1
				}
			}
		}
	}
	return out
}
