package pricing

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"kiosk/config"
	"kiosk/money"
	"kiosk/providers"
)

// Rules are the [[prices]] and [[fees]] of a configuration, read and checked
// on their own; Check then validates them against a catalogue.
type Rules struct {
	File   string
	Prices []Rule
	Fees   []Fee
}

// Load reads the price list from a configuration file.
func Load(path string) (*Rules, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("price list %s: %w", path, err)
	}
	return Parse(path, string(text))
}

// Parse reads the [[prices]] and [[fees]] tables of a configuration text
// (path is only for messages) and ignores every other key. Every problem is
// reported, all at once, as "file:line: key: reason".
func Parse(path, text string) (*Rules, error) {
	var raw struct {
		Prices rawTables `toml:"prices"`
		Fees   rawTables `toml:"fees"`
	}
	if _, err := toml.Decode(text, &raw); err != nil {
		var pe toml.ParseError
		switch {
		case errors.As(err, &pe) && pe.LastKey != "":
			return nil, &config.KeyError{File: path, Line: pe.Position.Line, Key: pe.LastKey, Msg: pe.Message}
		case errors.As(err, &pe):
			return nil, fmt.Errorf("%s:%d: %s", path, pe.Position.Line, pe.Message)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p := &parser{file: path, text: text}
	rules := &Rules{File: path}
	for _, t := range p.tables("prices", raw.Prices) {
		if r, ok := p.rule(t); ok {
			rules.Prices = append(rules.Prices, r)
		}
	}
	for _, t := range p.tables("fees", raw.Fees) {
		if f, ok := p.fee(t); ok {
			rules.Fees = append(rules.Fees, f)
		}
	}
	p.ties(rules)
	if err := errors.Join(p.errs...); err != nil {
		return nil, err
	}
	return rules, nil
}

// rawTables keeps a TOML value as decoded, so that every key and type is
// checked here, with its line, rather than by the decoder's reflection.
type rawTables struct{ v any }

// UnmarshalTOML keeps the value.
func (r *rawTables) UnmarshalTOML(v any) error {
	r.v = v
	return nil
}

// parser collects every problem of one text.
type parser struct {
	file string
	text string
	errs []error
}

// table is one [[prices]] or [[fees]] table with the line of each key.
type table struct {
	p     *parser
	name  string // "prices" or "fees"
	data  map[string]any
	lines map[string]int
	ok    bool // false once a problem was reported
}

// tables splits an array of tables, pointing each at its own lines.
func (p *parser) tables(name string, raw rawTables) []*table {
	if raw.v == nil {
		return nil
	}
	list, isList := raw.v.([]map[string]any)
	if !isList {
		p.errs = append(p.errs, p.keyErr(p.firstLine(name), name, "must be written as [[%s]] tables, one per rule", name))
		return nil
	}
	lines := config.TableLines(p.text, name)
	out := make([]*table, len(list))
	for i, data := range list {
		t := &table{p: p, name: name, data: data, ok: true}
		if i < len(lines) {
			t.lines = lines[i]
		} else {
			// Should the line scan miss a header, point at the first mention.
			t.lines = map[string]int{"": p.firstLine(name)}
		}
		out[i] = t
	}
	return out
}

// firstLine is the first line that mentions a top-level key, for problems
// with the key itself.
func (p *parser) firstLine(name string) int {
	for i, l := range strings.Split(p.text, "\n") {
		l = strings.TrimLeft(strings.TrimSpace(l), "[ ")
		if strings.HasPrefix(l, name) {
			return i + 1
		}
	}
	return 0
}

func (p *parser) keyErr(line int, key, format string, args ...any) error {
	return &config.KeyError{File: p.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// errorf reports a problem at a key of the table (or at its header when
// key is not written in it).
func (t *table) errorf(key, format string, args ...any) {
	line, ok := t.lines[key]
	if !ok {
		line = t.lines[""]
	}
	full := t.name
	if key != "" {
		full += "." + key
	}
	t.p.errs = append(t.p.errs, t.p.keyErr(line, full, format, args...))
	t.ok = false
}

func (t *table) pos() Pos { return Pos{File: t.p.file, Line: t.lines[""]} }

// known reports every key that is not one of names.
func (t *table) known(names ...string) {
	keys := make([]string, 0, len(t.data))
	for k := range t.data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(names, k) {
			t.errorf(k, "unknown key (a [[%s]] table takes %s)", t.name, strings.Join(names, ", "))
		}
	}
}

// str reads a string key; "" when it is not set.
func (t *table) str(key string) string {
	v, set := t.data[key]
	if !set {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		t.errorf(key, "must be a string in quotes, got %s", typeName(v))
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "" {
		t.errorf(key, "is empty; remove the line or give a value")
	}
	return s
}

// dec reads a decimal written as a string ("10.5") or a TOML integer; what
// says what the number is, for the message.
func (t *table) dec(key, what, example string) (money.Decimal, bool) {
	v, set := t.data[key]
	if !set {
		return money.Zero, false
	}
	switch n := v.(type) {
	case string:
		d, err := money.Parse(n)
		if err != nil {
			t.errorf(key, "%q is not a number; write %s like %q", n, what, example)
			return money.Zero, false
		}
		return d, true
	case int64:
		if n > 1<<40 || n < -(1<<40) {
			t.errorf(key, "%d is out of range", n)
			return money.Zero, false
		}
		return money.FromInt(n), true
	case float64:
		t.errorf(key, "write %v in quotes (%q): a TOML float is not exact", n, fmt.Sprint(n))
		return money.Zero, false
	}
	t.errorf(key, "must be %s in quotes like %q, got %s", what, example, typeName(v))
	return money.Zero, false
}

// boolean reads a true/false key; false when not set.
func (t *table) boolean(key string) bool {
	v, set := t.data[key]
	if !set {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		t.errorf(key, "must be true or false, got %s", typeName(v))
	}
	return b
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "true/false"
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "a list"
	}
	return fmt.Sprintf("%T", v)
}

// kinds are the product kinds a rule may name.
var kinds = []providers.Kind{
	providers.KindVoucher, providers.KindTopUp, providers.KindBill,
	providers.KindGame, providers.KindCallingCard, providers.KindOffer,
}

// match reads the keys that say which products a table is for.
func (t *table) match() Match {
	m := Match{
		Provider: t.str("provider"), Brand: t.str("brand"),
		Product: t.str("product"), Kind: providers.Kind(t.str("kind")),
	}
	if m.Kind != "" && !slices.Contains(kinds, m.Kind) {
		t.errorf("kind", "%q is not a product kind; use one of %s", m.Kind, kindList())
	}
	if m.Product != "" {
		prov, id, ok := strings.Cut(m.Product, "/")
		switch {
		case !ok || prov == "" || id == "":
			t.errorf("product", "%q is not a product key; write provider/id like \"alqimah/game-pubg_60\"", m.Product)
		case m.Provider != "" && prov != m.Provider:
			t.errorf("product", "%q is not a product of provider %q named in the same table", m.Product, m.Provider)
		}
	}
	if t.ok && m.rank() == 0 {
		t.errorf("", "names no products: set at least one of provider, brand, product or kind")
	}
	return m
}

func kindList() string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = fmt.Sprintf("%q", k)
	}
	return strings.Join(s, ", ")
}

// rule reads one [[prices]] table.
func (p *parser) rule(t *table) (Rule, bool) {
	t.known("provider", "brand", "product", "kind", "markup_percent", "markup", "retail",
		"round", "rounding", "below_cost", "mode")
	r := Rule{Pos: t.pos(), Match: t.match(), Rounding: money.RoundUp, BelowCost: t.boolean("below_cost"), lines: t.lines}
	p.method(t, &r)
	if d, set := t.dec("round", "a step", "5"); set {
		if d.Sign() <= 0 {
			t.errorf("round", "must be more than zero, got %s", d)
		}
		r.Round = d
	}
	switch s := t.str("rounding"); s {
	case "", "up":
	case "nearest":
		r.Rounding = money.RoundNearest
	case "down":
		r.Rounding = money.RoundDown
	default:
		t.errorf("rounding", "%q is not a rounding rule; use \"up\", \"nearest\" or \"down\"", s)
	}
	switch m := Mode(t.str("mode")); m {
	case "", PayMore, LessCredit:
		r.Mode = m
	default:
		t.errorf("mode", "%q is not a mode; use %q (the customer pays the price of the amount) or %q (the customer pays the amount and gets less credit)", m, PayMore, LessCredit)
	}
	return r, t.ok
}

// method reads the one key that sets the price.
func (p *parser) method(t *table, r *Rule) {
	var given []Method
	for _, m := range []Method{Percent, Markup, Fixed} {
		if _, set := t.data[string(m)]; set {
			given = append(given, m)
		}
	}
	switch len(given) {
	case 0:
		t.errorf("", "sets no price: give one of markup_percent, markup or retail")
		return
	case 1:
	default:
		t.errorf(string(given[1]), "%s and %s both set the price; keep one", given[0], given[1])
		return
	}
	r.Method = given[0]
	hint := map[Method][2]string{Percent: {"a percentage", "10"}, Markup: {"an amount", "50"}, Fixed: {"a price", "550"}}[r.Method]
	v, ok := t.dec(string(r.Method), hint[0], hint[1])
	if !ok {
		return
	}
	r.Value = v
	switch {
	case r.Method == Fixed && v.Sign() <= 0:
		t.errorf(string(r.Method), "must be more than zero, got %s", v)
	case r.Method != Fixed && v.Sign() < 0 && !r.BelowCost:
		t.errorf(string(r.Method), "%s is below cost; add below_cost = true to the rule if that is meant", v)
	case r.Method == Percent && v.Cmp(money.FromInt(-100)) <= 0:
		t.errorf(string(r.Method), "%s%% would make the price zero or less", v)
	}
}

// fee reads one [[fees]] table.
func (p *parser) fee(t *table) (Fee, bool) {
	t.known("provider", "brand", "product", "kind", "amount", "currency", "vat_percent")
	f := Fee{Pos: t.pos(), Match: t.match(), lines: t.lines}
	cur := strings.ToUpper(t.str("currency"))
	if _, set := t.data["currency"]; !set {
		t.errorf("currency", "missing: the fee's currency, like \"SAR\"")
	} else if len(cur) != 3 || strings.Trim(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		t.errorf("currency", "%q is not a currency code like \"SAR\"", cur)
	}
	amt, _ := t.dec("amount", "an amount", "2.00")
	_, present := t.data["amount"]
	switch {
	case !present:
		t.errorf("amount", "missing: the fee the customer pays, VAT included, like \"2.00\"")
	case amt.Sign() < 0:
		t.errorf("amount", "must not be negative, got %s", amt)
	}
	f.Amount = money.New(amt, cur)
	if v, set := t.dec("vat_percent", "a percentage", "15"); set {
		if v.Sign() < 0 || v.Cmp(money.FromInt(100)) > 0 {
			t.errorf("vat_percent", "must be from 0 to 100, got %s", v)
		}
		f.VATPercent = v
	}
	if t.ok && amt.Round(money.Places(cur)).Cmp(amt) != 0 {
		t.errorf("amount", "%s has more decimal places than %s has (%d)", amt, cur, money.Places(cur))
	}
	return f, t.ok
}

// ties reports two rules (or two fees) that would tie on every product
// they match, naming both lines.
func (p *parser) ties(r *Rules) {
	rules := make([]placed, len(r.Prices))
	for i, x := range r.Prices {
		rules[i] = placed{x.Pos, x.Match}
	}
	fees := make([]placed, len(r.Fees))
	for i, x := range r.Fees {
		fees[i] = placed{x.Pos, x.Match}
	}
	p.tie("prices", "rule", rules)
	p.tie("fees", "fee", fees)
}

// placed is a table's match and where it is written.
type placed struct {
	pos   Pos
	match Match
}

func (p *parser) tie(table, what string, items []placed) {
	for i, b := range items {
		for _, a := range items[:i] {
			if a.match.same(b.match) {
				p.errs = append(p.errs, p.keyErr(b.pos.Line, table,
					"matches the same products as the %s at %s (%s) with equal precedence: remove one, or name more keys in one", what, a.pos, a.match))
				break
			}
		}
	}
}
