package screens

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/fieldtext"
	"kiosk/i18n"
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
	label   string // in the clerk's language, in logical order (shown with Show)
	confirm bool   // the "type it again" twin of a Confirm field
	base    string // the twin's field's own label
	amount  bool
	ti      textinput.Model // the value, or a choice field's filter
	pick    *choiceList     // a choice field's choices
	err     string          // why the value is refused, in logical order
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
	lang := c.Lang()
	for _, f := range p.Fields {
		if f.Hidden {
			continue
		}
		label := fieldtext.Label(lang, f)
		in := &input{field: f, label: label, ti: newInput(c.Styles(), f)}
		if f.Kind == providers.FieldChoice {
			in.pick = newChoiceList(f)
			in.ti.SetValue("")
			in.ti.CharLimit = 30
			in.ti.SetWidth(16)
		}
		m.inputs = append(m.inputs, in)
		if f.Confirm {
			m.inputs = append(m.inputs, &input{field: f, label: i18n.T(lang, "fields.repeat", label), confirm: true, base: label, ti: newInput(c.Styles(), f)})
		}
	}
	if p.PriceKind == providers.PriceRange || p.PriceKind == providers.PriceUnits {
		f := providers.Field{Name: providers.AmountName, Label: i18n.T(lang, "label.amount"), Kind: providers.FieldAmount, Required: true}
		if p.PriceKind == providers.PriceUnits {
			f.Name, f.Label, f.Kind = providers.UnitsName, i18n.T(lang, "label.units"), providers.FieldDigits
		}
		m.inputs = append(m.inputs, &input{field: f, label: f.Label, amount: true, ti: newInput(c.Styles(), f)})
	}
	if len(m.inputs) > 0 {
		m.inputs[0].ti.Focus()
	}
	return m
}

// NewFilledFields builds the form for p with values already in it (the
// last sale's, repeated): the clerk checks them, mends what the product no
// longer takes, and goes on.
func NewFilledFields(c *ui.Common, p providers.Product, values map[string]string, amount money.Decimal) *Fields {
	m := NewFields(c, p)
	for _, in := range m.inputs {
		switch {
		case in.amount:
			if !amount.IsZero() {
				in.ti.SetValue(amount.String())
			}
		case in.pick != nil:
			in.pick.choose(values[in.field.Name])
		default:
			in.ti.SetValue(values[in.field.Name])
		}
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

// labelOf is a field's label in the clerk's language, for the screen.
func labelOf(c *ui.Common, f providers.Field) string { return c.Show(fieldtext.Label(c.Lang(), f)) }

// Title names the screen.
func (m *Fields) Title() string { return displayName(m.c, &m.product) }

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
	case cur.pick != nil && key.Matches(k, m.keys.Choice):
		cur.err = ""
		if k.String() == "left" {
			cur.pick.step(-1)
		} else {
			cur.pick.step(1)
		}
		return nil
	}
	if r := k.Text; r != "" && !accepts(cur.field.Kind, r) {
		cur.err = i18n.T(m.c.Lang(), "fields.takes", cur.label, kindHint(m.c, cur.field.Kind))
		return nil
	}
	cur.err = ""
	var cmd tea.Cmd
	cur.ti, cmd = cur.ti.Update(k)
	if cur.pick != nil {
		cur.pick.filter(cur.ti.Value())
	}
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

// kindHint says what a number field takes, in logical order.
func kindHint(c *ui.Common, k providers.FieldKind) string {
	if k == providers.FieldAmount {
		return i18n.T(c.Lang(), "fields.hint_amount")
	}
	return i18n.T(c.Lang(), "fields.hint_digits")
}

func (m *Fields) setFocus(i int) tea.Cmd {
	i = min(max(i, 0), len(m.inputs)-1)
	m.inputs[m.focus].ti.Blur()
	m.focus = i
	return m.inputs[i].ti.Focus()
}

func (in *input) value() string {
	if in.pick != nil {
		return in.pick.value()
	}
	return in.field.Normalize(in.ti.Value())
}

// checkOne validates a single input and keeps its error for display, in
// the clerk's language.
func (m *Fields) checkOne(in *input) bool {
	in.err = ""
	lang := m.c.Lang()
	switch {
	case in.amount:
		d, err := money.Parse(in.value())
		if err != nil {
			in.err = i18n.T(lang, "fields.must_be_number", in.label)
		} else if err := m.product.ValidateAmount(d); err != nil {
			in.err = fieldtext.Error(lang, err)
		}
	case in.confirm:
		if in.value() != m.valueOf(in.field.Name, false) {
			in.err = i18n.T(lang, "fields.entries_differ", in.base)
		}
	default:
		if err := in.field.Validate(in.value()); err != nil {
			in.err = fieldtext.Error(lang, err)
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
			in.err = fieldtext.Error(m.c.Lang(), err) + "\n" + i18n.T(m.c.Lang(), "fields.ported")
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
	b.WriteString(s.Title.Render(displayName(m.c, &m.product)) + s.Subtle.Render("  "+termtext.Line(m.product.Brand)) + "\n")
	if m.product.PriceKind == providers.PriceFixed {
		b.WriteString(s.Subtle.Render(m.c.T("fields.price", m.c.Sales().CatalogPrice(m.product).String())) + "\n")
	}
	b.WriteString("\n")
	labelW := m.labelWidth()
	indent := strings.Repeat(" ", labelW+1)
	textW := max(m.c.Width()-labelW-1, 20)
	for i, in := range m.inputs {
		label := padCell(m.c.Show(in.label), labelW)
		if i == m.focus {
			label = s.Focused.Render(label)
		} else {
			label = s.Label.Render(label)
		}
		b.WriteString(label + " " + m.valueView(in, i == m.focus) + "\n")
		if hint := m.networkHint(in); hint != "" && in.err == "" {
			b.WriteString(indent + s.OK.Render(hint) + "\n")
		}
		for _, l := range wrapLines(m.c, m.rule(in, i == m.focus), textW) {
			b.WriteString(indent + s.Subtle.Render(l) + "\n")
		}
		for _, l := range wrapLines(m.c, in.err, textW) {
			b.WriteString(indent + s.Error.Render(l) + "\n")
		}
	}
	return b.String()
}

// maxLabelShare bounds the label column to a third of the screen: a long
// label (DT One's "Customer mobile (PIN also sent by SMS, optional)") is
// cut short rather than push its value off the screen.
const maxLabelShare = 3

// labelWidth is the label column's width: the widest label and a space,
// at least 8 cells and at most a third of the screen.
func (m *Fields) labelWidth() int {
	w := 8
	for _, in := range m.inputs {
		w = max(w, ansi.StringWidth(m.c.Show(in.label))+1)
	}
	return min(w, max(m.c.Width()/maxLabelShare, 12))
}

// valueView is what an input holds: the typed value, or a choice field's
// chosen name between arrows and, while it has the focus, its filter.
func (m *Fields) valueView(in *input, focused bool) string {
	if in.pick == nil {
		return in.ti.View()
	}
	name := in.pick.name()
	if name == "" {
		name = m.c.T("fields.no_choice")
	} else {
		name = m.c.Show(name)
	}
	v := "◀ " + name + " ▶"
	if focused {
		v += "  " + in.ti.View()
	}
	return v
}

// padCell pads or cuts s to w cells, so a label never runs into its value.
func padCell(s string, w int) string {
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}

// wrapLines word-wraps text in logical order to w cells, then puts each
// line in display order, so a long rule or refusal is wrapped, never cut,
// and an Arabic one still reads from its first line on.
func wrapLines(c *ui.Common, text string, w int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		if para == "" {
			continue
		}
		for _, l := range strings.Split(ansi.Wrap(para, w, ""), "\n") {
			if l = strings.TrimRight(l, " "); l != "" {
				out = append(out, c.Show(l))
			}
		}
	}
	return out
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

// rule says what a field takes, so the clerk knows before typing, in
// logical order; a focused choice field lists the choices its filter
// leaves.
func (m *Fields) rule(in *input, focused bool) string {
	lang := m.c.Lang()
	if in.amount {
		p := m.product
		cur := p.Price.Currency
		if p.PriceKind == providers.PriceUnits {
			return i18n.T(lang, "fields.units_range", p.MinAmount.Amount, p.MaxAmount.Amount, p.Price)
		}
		if cur == "" {
			cur = p.MinAmount.Currency
		}
		rule := i18n.T(lang, "fields.amount_range", p.MinAmount.Amount, p.MaxAmount.Amount, cur)
		if len(m.suggested) > 0 {
			vals := make([]string, len(m.suggested))
			for i, v := range m.suggested {
				vals[i] = v.String()
			}
			rule += i18n.T(lang, "fields.suggested", strings.Join(vals, ", "))
		}
		return rule
	}
	if in.confirm {
		return ""
	}
	rule := fieldtext.Rule(lang, in.field)
	if in.pick == nil || !focused {
		return rule
	}
	return strings.Join(nonEmpty(rule, m.choicesLine(in)), " · ")
}

// choicesLine is the choice field's help and what its filter leaves: "2 of
// 23: Delhi NCR · Delhi", or that nothing matches.
func (m *Fields) choicesLine(in *input) string {
	lang := m.c.Lang()
	q, l := strings.TrimSpace(in.ti.Value()), in.pick
	switch {
	case q == "":
		return i18n.T(lang, "fields.choose")
	case len(l.shown) == 0:
		return i18n.T(lang, "fields.no_choice_match", termtext.Line(q))
	}
	return i18n.T(lang, "fields.choices_shown", len(l.shown), len(l.choices)) + ": " + strings.Join(l.names(), " · ")
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
