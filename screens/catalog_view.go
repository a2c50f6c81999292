package screens

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/providers"
	"kiosk/termtext"
	"kiosk/ui"
)

// wideFrom is the width from which the selected product's details are
// shown beside the list.
const wideFrom = 110

// View draws the search line, the list window and a summary line; on a
// wide terminal the selected product's details stand beside the list.
func (m *Catalog) View() string {
	if m.c.Width() < wideFrom || m.brandMode || m.current() == nil {
		return m.listView(m.c.Width())
	}
	listW := m.c.Width() * 3 / 5
	list := lipgloss.NewStyle().Width(listW).Render(m.listView(listW))
	return lipgloss.JoinHorizontal(lipgloss.Top, list, " ", m.details(m.current(), m.c.Width()-listW-1))
}

// details describes a product: what it costs, what the clerk must enter,
// and how the customer uses it.
func (m *Catalog) details(p *providers.Product, w int) string {
	s := m.c.Styles()
	var b strings.Builder
	b.WriteString(s.Title.Render(clip(termtext.Line(p.Name), w)) + "\n")
	if p.NameAr != "" {
		b.WriteString(clip(termtext.Line(p.NameAr), w) + "\n")
	}
	b.WriteString(s.Subtle.Render(clip(termtext.Line(p.Brand)+" · "+providerName(m.c, p.Provider), w)) + "\n\n")
	b.WriteString(kv(s, m.c.T("label.price"), priceLabel(m.c, p)))
	if !p.Cost.IsZero() && p.PriceKind == providers.PriceFixed {
		b.WriteString(kv(s, m.c.T("label.cost"), p.Cost.String()))
	}
	if p.VATType != "" {
		b.WriteString(kv(s, m.c.T("label.vat"), vatLabel(m.c, p.VATType)+" "+p.VATPercent.String()+"%"))
	}
	if !p.Available {
		b.WriteString(s.Error.Render(m.c.T("catalog.not_available_now")) + "\n")
	}
	for _, f := range p.Fields {
		if !f.Hidden {
			b.WriteString(kv(s, m.c.T("label.needs"), clip(labelOf(m.c, f), max(w-15, 8))))
		}
	}
	if p.HowToUse != "" {
		b.WriteString("\n" + s.Label.Render(m.c.T("label.how_to_use")) + "\n" + lipgloss.NewStyle().Width(w).Render(termtext.Text(p.HowToUse)) + "\n")
	}
	return b.String()
}

// listView draws the search line, the list window and a summary line in w cells.
func (m *Catalog) listView(w int) string {
	s := m.c.Styles()
	var b strings.Builder
	b.WriteString(m.filter.View())
	b.WriteString("\n")
	switch {
	case m.index == nil:
		b.WriteString(s.Subtle.Render(m.c.T("catalog.loading")))
		return b.String()
	case m.index.Len() == 0 && len(m.loading) > 0:
		b.WriteString(s.Subtle.Render(m.c.T("catalog.fetching")))
		return b.String()
	case m.brandMode:
		return b.String() + m.brandView()
	case len(m.hits) == 0:
		b.WriteString(s.Warn.Render(m.c.T("catalog.no_match", m.filter.Value())))
		return b.String()
	}
	h := m.listHeight()
	if fav := m.favouritesLine(); fav != "" && m.filter.Value() == "" {
		b.WriteString(clip(fav, w) + "\n")
		h--
	}
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	w = max(w, 40)
	for i := m.offset; i < min(m.offset+h, len(m.hits)); i++ {
		b.WriteString(m.row(m.index.Product(int(m.hits[i])), i == m.cursor, w))
		b.WriteString("\n")
	}
	b.WriteString(clip(m.summary(), w))
	return b.String()
}

// brandView lists networks and brands with their product count and the
// providers that sell them.
func (m *Catalog) brandView() string {
	s := m.c.Styles()
	var b strings.Builder
	h := m.listHeight()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	w := max(m.c.Width(), 40)
	for i := m.offset; i < min(m.offset+h, len(m.brandHits)); i++ {
		r := m.brands[m.brandHits[i]]
		line := fmt.Sprintf("%s %-*s %5d  %s", marker(i == m.cursor), max(w-40, 16), clip(r.name, max(w-40, 16)), r.count,
			clip(strings.Join(r.providers, ", "), 30))
		if i == m.cursor {
			line = s.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	b.WriteString(s.Subtle.Render(m.c.T("catalog.brands_shown", len(m.brandHits), len(m.brands))))
	return b.String()
}

func (m *Catalog) row(p *providers.Product, selected bool, w int) string {
	s := m.c.Styles()
	price := priceLabel(m.c, p)
	if !p.Available {
		price = m.c.T("catalog.unavailable")
	}
	provW, brandW, priceW := 10, 14, 16
	if w >= 110 {
		provW, brandW = 18, 22
	}
	nameW := max(w-provW-brandW-priceW-6, 10)
	line := fmt.Sprintf("%s %-*s %-*s %-*s %*s",
		marker(selected), nameW, clip(displayName(m.c, p), nameW), brandW, clip(termtext.Line(p.Brand), brandW),
		provW, ui.ShortName(providerName(m.c, p.Provider), provW), priceW, clip(price, priceW))
	switch {
	case selected:
		return s.Selected.Render(line)
	case !p.Available:
		return s.Dim.Render(line)
	}
	return line
}

func (m *Catalog) summary() string {
	s := m.c.Styles()
	parts := []string{m.c.T("catalog.shown", len(m.hits), m.index.Len())}
	for _, id := range m.providerIDs() {
		if m.loading[id] {
			parts = append(parts, m.c.T("catalog.refreshing", ui.ShortName(providerName(m.c, id), 10)))
		} else if at := m.fetched[id]; !at.IsZero() && m.c.Now().Sub(at) > time.Hour {
			parts = append(parts, m.c.T("catalog.age", ui.ShortName(providerName(m.c, id), 10), age(m.c, m.c.Now().Sub(at))))
		}
	}
	line := s.Subtle.Render(strings.Join(parts, " · "))
	if m.err != "" {
		line = s.Error.Render(m.err)
	}
	return line
}

func marker(selected bool) string {
	if selected {
		return "›"
	}
	return " "
}

// clip cuts s to w cells with an ellipsis.
func clip(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// priceLabel is what a product costs the customer, as the list shows it.
func priceLabel(c *ui.Common, p *providers.Product) string {
	switch p.PriceKind {
	case providers.PriceRange:
		return fmt.Sprintf("%s–%s %s", p.MinAmount.Amount, p.MaxAmount.Amount, p.Price.Currency)
	case providers.PriceUnits:
		return c.T("catalog.per_unit", p.Price.String())
	}
	if p.Price.IsZero() && p.Kind == providers.KindBill {
		return c.T("catalog.amount_due")
	}
	return c.Sales().CatalogPrice(*p).String()
}

// age is how old something is, in a few cells: <1m, 5m, 3h, 2d.
func age(c *ui.Common, d time.Duration) string {
	switch {
	case d < time.Minute:
		return c.T("age.now")
	case d < time.Hour:
		return c.T("age.minutes", int(d.Minutes()))
	case d < 48*time.Hour:
		return c.T("age.hours", int(d.Hours()))
	}
	return c.T("age.days", int(d.Hours()/24))
}
