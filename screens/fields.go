package screens

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kiosk/money"
	"kiosk/operators"
	"kiosk/providers"
	"kiosk/termtext"
	"kiosk/ui"
)

type fieldsKeys struct {
	Next, Prev, Submit, Choice, Suggest, Recent key.Binding
}

func (k fieldsKeys) ShortHelp() []key.Binding { return []key.Binding{k.Submit, k.Next, k.Suggest} }
func (k fieldsKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Submit, k.Next, k.Prev, k.Choice}, {k.Suggest, k.Recent}}
}

// input is one line of the form: a product field, its confirmation, or the amount.
type input struct {
	field   providers.Field
	confirm bool   // the "type it again" twin of a Confirm field
	base    string // the twin's field's own label
	amount  bool
	ti      textinput.Model
	choice  int
	err     string
}

// Fields collects what the product needs: customer number, player id,
// amount. Plain text inputs, not a form library, so a barcode scanner or a
// fast typist never lands keys in the wrong field.
type Fields struct {
	c       *ui.Common
	keys    fieldsKeys
	product providers.Product
	inputs  []*input
	focus   int
	err     string
	// suggested are amounts the provider suggests; ctrl+s puts the next
	// one in the amount field.
	suggested []money.Decimal
	next      int
	// recent are the last customers' numbers for this brand; ctrl+p puts
	// the next one in the number field.
	recent     []string
	nextRecent int
	// recentWanted is a ctrl+p pressed before the numbers were read: a
	// clerk who is quicker than the journal still gets the number.
	recentLoaded, recentWanted bool
	// warned is the number whose network warning the clerk has seen; a
	// second enter with the same number goes on.
	warned string
}

type recentMsg struct {
	to      *Fields
	numbers []string
}

type suggestionsMsg struct {
	to     *Fields
	values []money.Decimal
	err    error
}

// NewFields builds the form for p.
func NewFields(c *ui.Common, p providers.Product) *Fields {
	km := c.KeyMap()
	m := &Fields{c: c, product: p, keys: fieldsKeys{
		Next:    km.Next,
		Prev:    km.Prev,
		Submit:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("key.continue"))),
		Choice:  key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", c.T("key.change_choice"))),
		Suggest: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", c.T("key.suggested"))),
		Recent:  key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", c.T("key.last_customers"))),
	}}
	for _, f := range p.Fields {
		if f.Hidden {
			continue
		}
		in := &input{field: f, ti: newInput(c.Styles(), f)}
		m.inputs = append(m.inputs, in)
		if f.Confirm {
			twin := f
			twin.Label = c.T("fields.repeat", labelOf(f))
			m.inputs = append(m.inputs, &input{field: twin, confirm: true, base: labelOf(f), ti: newInput(c.Styles(), f)})
		}
	}
	if p.PriceKind == providers.PriceRange || p.PriceKind == providers.PriceUnits {
		f := providers.Field{Name: "amount", Label: c.T("label.amount"), Kind: providers.FieldAmount, Required: true}
		if p.PriceKind == providers.PriceUnits {
			f.Label, f.Kind = c.T("label.units"), providers.FieldDigits
		}
		m.inputs = append(m.inputs, &input{field: f, amount: true, ti: newInput(c.Styles(), f)})
	}
	if len(m.inputs) > 0 {
		m.inputs[0].ti.Focus()
	}
	return m
}

func newInput(s *ui.Styles, f providers.Field) textinput.Model {
	ti := ui.NewInput(s)
	ti.Prompt = ""
	ti.Placeholder = termtext.Line(f.Placeholder)
	if f.MaxLen > 0 {
		// Room beyond the rule, so that a number typed too long (or with
		// +967 and spaces in front) is shown and explained, never cut.
		ti.CharLimit = f.MaxLen + 12
	}
	ti.SetValue(f.Default)
	ti.SetWidth(40)
	return ti
}

// labelOf is a field's label as the provider gives it, else its name.
func labelOf(f providers.Field) string {
	if f.Label != "" {
		return termtext.Line(f.Label)
	}
	return termtext.Line(f.Name)
}

// Title names the screen.
func (m *Fields) Title() string { return termtext.Line(m.product.Name) }

// Keys lists the bindings.
func (m *Fields) Keys() help.KeyMap { return m.keys }

// Init focuses the first field, and reads the last customers' numbers and
// the suggested amounts (configured presets first, then the provider's).
func (m *Fields) Init() tea.Cmd {
	e, brand := m.c.Sales(), m.product.Brand
	cmds := []tea.Cmd{textinput.Blink, func() tea.Msg {
		nums, _ := e.RecentCustomers(brand, 10)
		return recentMsg{m, nums}
	}}
	if m.product.PriceKind == providers.PriceRange {
		m.suggested = m.presets()
		e, ctx, p := m.c.Sales(), m.c.Context(), m.product
		cmds = append(cmds, func() tea.Msg {
			v, err := e.Suggestions(ctx, p)
			return suggestionsMsg{m, v, err}
		})
	}
	return tea.Batch(cmds...)
}

// fillRecent puts the next of the last customers' numbers in the number
// field and focuses it.
func (m *Fields) fillRecent() tea.Cmd {
	if len(m.recent) == 0 {
		return nil
	}
	for i, in := range m.inputs {
		if in.field.Kind == providers.FieldPhone || in.field.Kind == providers.FieldDigits && !in.amount {
			in.ti.SetValue(m.recent[m.nextRecent%len(m.recent)])
			in.ti.CursorEnd()
			in.err = ""
			m.nextRecent++
			return m.setFocus(i)
		}
	}
	return nil
}

// presets are the configured amounts for this product or its brand, in
// the product's range.
func (m *Fields) presets() []money.Decimal {
	var out []money.Decimal
	for _, k := range []string{m.product.Key(), m.product.Brand} {
		for _, a := range m.c.Settings().Presets[k] {
			if d, err := money.Parse(a); err == nil && m.product.ValidateAmount(d) == nil {
				out = append(out, d)
			}
		}
	}
	return out
}

// Update takes the last customers' numbers and the suggested amounts as
// they arrive, and the clerk's keys.
func (m *Fields) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case suggestionsMsg:
		if msg.to == m {
			// A provider that cannot suggest is no error for the clerk.
			m.suggested = append(m.presets(), msg.values...)
		}
	case recentMsg:
		if msg.to != m {
			return nil
		}
		m.recent, m.recentLoaded = msg.numbers, true
		if m.recentWanted {
			m.recentWanted = false
			return m.fillRecent()
		}
	case tea.KeyPressMsg:
		if len(m.inputs) > 0 {
			return m.key(msg)
		}
	}
	return nil
}

// key moves between fields, fills in suggestions, submits, and types into
// the focused field what it takes.
func (m *Fields) key(k tea.KeyPressMsg) tea.Cmd {
	cur := m.inputs[m.focus]
	switch {
	case key.Matches(k, m.keys.Next):
		return m.setFocus(m.focus + 1)
	case key.Matches(k, m.keys.Prev):
		return m.setFocus(m.focus - 1)
	case key.Matches(k, m.keys.Suggest) && len(m.suggested) > 0:
		return m.fillSuggested()
	case key.Matches(k, m.keys.Recent):
		if !m.recentLoaded {
			m.recentWanted = true
			return nil
		}
		return m.fillRecent()
	case key.Matches(k, m.keys.Submit):
		if m.focus < len(m.inputs)-1 && m.checkOne(cur) {
			return m.setFocus(m.focus + 1)
		}
		return m.submit()
	case cur.field.Kind == providers.FieldChoice:
		if key.Matches(k, m.keys.Choice) && len(cur.field.Choices) > 0 {
			n, d := len(cur.field.Choices), 1
			if k.String() == "left" {
				d = n - 1
			}
			cur.choice = (cur.choice + d) % n
		}
		return nil
	}
	if r := k.Text; r != "" && !accepts(cur.field.Kind, r) {
		cur.err = m.c.T("fields.takes", labelOf(cur.field), kindHint(m.c, cur.field.Kind))
		return nil
	}
	cur.err = ""
	var cmd tea.Cmd
	cur.ti, cmd = cur.ti.Update(k)
	cur.normalize()
	return cmd
}

// fillSuggested puts the next suggested amount in the amount field and
// focuses it.
func (m *Fields) fillSuggested() tea.Cmd {
	for i, in := range m.inputs {
		if in.amount {
			in.ti.SetValue(m.suggested[m.next%len(m.suggested)].String())
			in.err = ""
			m.next++
			return m.setFocus(i)
		}
	}
	return nil
}

// normalize shows a phone number in the provider's form as soon as what
// was typed is a whole valid number in another form: "+967 771234567"
// becomes "771234567" once its last digit is in.
func (in *input) normalize() {
	if in.field.Kind != providers.FieldPhone {
		return
	}
	raw := in.ti.Value()
	if n := in.field.Normalize(raw); n != raw && in.field.Validate(n) == nil {
		in.ti.SetValue(n)
		in.ti.CursorEnd()
	}
}

// accepts filters keystrokes for number fields, so a slip of the finger
// never reaches the value.
func accepts(kind providers.FieldKind, text string) bool {
	for _, r := range text {
		switch kind {
		case providers.FieldDigits, providers.FieldQuantity:
			if r < '0' || r > '9' {
				return false
			}
		case providers.FieldPhone: // +967 77-123-4567 is how people write numbers
			if (r < '0' || r > '9') && !strings.ContainsRune("+ -().", r) {
				return false
			}
		case providers.FieldAmount:
			if (r < '0' || r > '9') && r != '.' {
				return false
			}
		}
	}
	return true
}

func kindHint(c *ui.Common, k providers.FieldKind) string {
	if k == providers.FieldAmount {
		return c.T("fields.hint_amount")
	}
	return c.T("fields.hint_digits")
}

func (m *Fields) setFocus(i int) tea.Cmd {
	i = min(max(i, 0), len(m.inputs)-1)
	m.inputs[m.focus].ti.Blur()
	m.focus = i
	return m.inputs[i].ti.Focus()
}

func (in *input) value() string {
	if in.field.Kind == providers.FieldChoice {
		if len(in.field.Choices) == 0 {
			return ""
		}
		return in.field.Choices[in.choice].Value
	}
	return in.field.Normalize(in.ti.Value())
}

// checkOne validates a single input and keeps its error for display.
func (m *Fields) checkOne(in *input) bool {
	in.err = ""
	switch {
	case in.amount:
		d, err := money.Parse(in.value())
		if err != nil {
			in.err = m.c.T("fields.must_be_number", labelOf(in.field))
		} else if err := m.product.ValidateAmount(d); err != nil {
			in.err = err.Error()
		}
	case in.confirm:
		if in.value() != m.valueOf(in.field.Name, false) {
			in.err = m.c.T("fields.entries_differ", in.base)
		}
	default:
		if err := in.field.Validate(in.value()); err != nil {
			in.err = err.Error()
		}
	}
	return in.err == ""
}

func (m *Fields) valueOf(name string, confirm bool) string {
	for _, in := range m.inputs {
		if in.field.Name == name && in.confirm == confirm && !in.amount {
			return in.value()
		}
	}
	return ""
}

func (m *Fields) submit() tea.Cmd {
	for i, in := range m.inputs {
		if !m.checkOne(in) {
			m.err = in.err
			return m.setFocus(i)
		}
	}
	// A number from another network's series is flagged, not refused: the
	// focus stays put so the next enter goes on (a ported number).
	for _, in := range m.inputs {
		if in.field.Kind != providers.FieldPhone || in.confirm {
			continue
		}
		if err := operators.Fits(m.c.Settings().Operators, m.product.Brand, in.value()); err != nil && m.warned != in.value() {
			m.warned = in.value()
			in.err = err.Error() + "\n" + m.c.T("fields.ported")
			return nil
		}
	}
	m.err = ""
	values := map[string]string{}
	for _, f := range m.product.Fields {
		if f.Hidden {
			values[f.Name] = f.Default
		}
	}
	var amount money.Decimal
	for _, in := range m.inputs {
		switch {
		case in.amount:
			amount = money.MustParse(in.value())
		case !in.confirm:
			values[in.field.Name] = in.value()
		}
	}
	return ui.Push(NewConfirm(m.c, m.product, values, amount))
}

// View draws one labelled line per input with its rule and error.
func (m *Fields) View() string {
	s := m.c.Styles()
	var b strings.Builder
	b.WriteString(s.Title.Render(termtext.Line(m.product.Name)) + s.Subtle.Render("  "+termtext.Line(m.product.Brand)) + "\n")
	if m.product.PriceKind == providers.PriceFixed {
		b.WriteString(s.Subtle.Render(m.c.T("fields.price", m.c.Sales().CatalogPrice(m.product).String())) + "\n")
	}
	b.WriteString("\n")
	labelW := 8
	for _, in := range m.inputs {
		labelW = max(labelW, len([]rune(labelOf(in.field)))+1)
	}
	for i, in := range m.inputs {
		label := fmt.Sprintf("%-*s", labelW, labelOf(in.field))
		if i == m.focus {
			label = s.Focused.Render(label)
		} else {
			label = s.Label.Render(label)
		}
		val := in.ti.View()
		if in.field.Kind == providers.FieldChoice && len(in.field.Choices) > 0 {
			val = "◀ " + termtext.Line(in.field.Choices[in.choice].Label) + " ▶"
		}
		b.WriteString(label + " " + val + "\n")
		if hint := m.networkHint(in); hint != "" && in.err == "" {
			b.WriteString(strings.Repeat(" ", labelW+1) + s.OK.Render(hint) + "\n")
		}
		if rule := m.rule(in); rule != "" {
			b.WriteString(strings.Repeat(" ", labelW+1) + s.Subtle.Render(rule) + "\n")
		}
		for _, l := range strings.Split(in.err, "\n") {
			if l != "" {
				b.WriteString(strings.Repeat(" ", labelW+1) + s.Error.Render(l) + "\n")
			}
		}
	}
	return b.String()
}

// networkHint suggests the network from a phone number's prefix.
func (m *Fields) networkHint(in *input) string {
	if in.field.Kind != providers.FieldPhone || in.confirm {
		return ""
	}
	sg, ok := operators.Detect(m.c.Settings().Operators, in.value())
	if !ok {
		return ""
	}
	if operators.SameNetwork(sg.Network, m.product.Brand) {
		return m.c.T("fields.network_ok", sg.Network)
	}
	return m.c.T("fields.network_other", sg.Network, sg.Prefix)
}

// rule says what a field takes, so the clerk knows before typing.
func (m *Fields) rule(in *input) string {
	f := in.field
	if in.amount {
		p := m.product
		cur := p.Price.Currency
		if p.PriceKind == providers.PriceUnits {
			return m.c.T("fields.units_range", p.MinAmount.Amount, p.MaxAmount.Amount, p.Price)
		}
		if cur == "" {
			cur = p.MinAmount.Currency
		}
		rule := m.c.T("fields.amount_range", p.MinAmount.Amount, p.MaxAmount.Amount, cur)
		if len(m.suggested) > 0 {
			vals := make([]string, len(m.suggested))
			for i, v := range m.suggested {
				vals[i] = v.String()
			}
			rule += m.c.T("fields.suggested", strings.Join(vals, ", "))
		}
		return rule
	}
	if in.confirm {
		return ""
	}
	var parts []string
	exact, span := "fields.chars_exact", "fields.chars_range"
	if f.Kind == providers.FieldDigits || f.Kind == providers.FieldPhone || f.Kind == providers.FieldQuantity {
		exact, span = "fields.digits_exact", "fields.digits_range"
	}
	switch {
	case f.MinLen > 0 && f.MinLen == f.MaxLen:
		parts = append(parts, m.c.Plural(exact, f.MinLen))
	case f.MaxLen > 0:
		parts = append(parts, m.c.T(span, max(f.MinLen, 1), f.MaxLen))
	}
	if f.PatternHint != "" {
		parts = append(parts, termtext.Line(f.PatternHint))
	}
	if !f.Required {
		parts = append(parts, m.c.T("fields.optional"))
	}
	return strings.Join(parts, " · ")
}
