package ui

import (
	"errors"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/providers"
	"kiosk/termtext"
)

// The status bar: the terminal, the open sales, the providers' modes, the
// clerk, the balances, and a message.

// fetchBalances reads every provider's balance; the answer is laid out in
// Update, in the clerk's language.
func (a *App) fetchBalances() tea.Cmd {
	e, ctx := a.c.Sales(), a.c.Context()
	return func() tea.Msg {
		bals, err := e.Balances(ctx)
		return BalancesMsg{Balances: bals, Err: err}
	}
}

// showBalances puts the balances in the status bar, each marked LOW under
// its threshold, and says which accounts need topping up.
func (a *App) showBalances(msg BalancesMsg) {
	names := map[string]string{}
	for _, info := range a.c.Sales().ProviderInfos() {
		names[info.ID] = info.Name
	}
	ids := make([]string, 0, len(msg.Balances))
	for id := range msg.Balances {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var parts, lowWarn []string
	for _, id := range ids {
		name := id
		if n, ok := names[id]; ok {
			name = n
		}
		for _, m := range msg.Balances[id] {
			part := ShortName(name, 10) + " " + m.String()
			if low, ok := a.c.Settings().LowBalance[id]; ok && m.Amount.Cmp(low) < 0 {
				part += " " + a.c.T("app.low")
				lowWarn = append(lowWarn, a.c.T("app.low_balance", ShortName(name, 10), m, low))
			}
			parts = append(parts, part)
		}
	}
	if len(parts) > 0 {
		a.balances = strings.Join(parts, " · ")
	}
	switch {
	case msg.Err != nil:
		a.setStatus(a.c.T("app.balance_error", errLine(msg.Err)), true)
	case len(lowWarn) > 0:
		a.setStatus(a.c.T("app.balance_error", a.c.T("app.top_up", strings.Join(lowWarn, "; "))), true)
	}
}

// errLine is an error's first line, in the provider's own words when a
// provider gave it.
func errLine(err error) string {
	var pe *providers.Error
	if errors.As(err, &pe) {
		return providers.ClerkMessage(pe)
	}
	return firstLine(err.Error())
}

// ShortName shortens a provider name to whole words that fit w cells:
// "Bitaqaty Business" → "Bitaqaty", "DT One Goods & Services" → "DT One".
func ShortName(name string, w int) string {
	if lipgloss.Width(name) <= w {
		return name
	}
	out := ""
	for _, word := range strings.Fields(name) {
		next := strings.TrimSpace(out + " " + word)
		if lipgloss.Width(next) > w {
			break
		}
		out = next
	}
	if out == "" {
		return ansi.Truncate(name, w, "…")
	}
	return out
}

func (a *App) statusBar() string {
	s := a.c.Styles()
	left := " " + a.c.Settings().Terminal + " "
	if a.open > 0 {
		left += "· " + a.c.T("app.open_count", a.open) + " "
	}
	// A provider's mode the clerk must know about (DT One in simulation).
	for _, info := range a.c.Sales().ProviderInfos() {
		if info.Note != "" {
			left += "· " + ShortName(termtext.Line(info.Name), 10) + " " + strings.ToUpper(termtext.Line(info.Note)) + " "
		}
	}
	if clerk := a.c.session.Clerk; clerk != "" {
		left += "· " + termtext.Line(clerk) + " "
	}
	if a.backlog > 0 {
		left += "· " + a.c.T("app.head_office", a.backlog) + " "
	}
	if a.balances != "" {
		left += "· " + a.balances + " "
	}
	right := ""
	if a.status.Text != "" {
		right = " " + termtext.Line(a.status.Text) + " " // a status may quote a provider
	}
	// A message matters more than the balances: when both do not fit,
	// the balances are cut, never the message.
	room := a.width - lipgloss.Width(right)
	if lipgloss.Width(left) > room {
		left = truncate(left, max(room, 0))
	}
	line := left + strings.Repeat(" ", max(a.width-lipgloss.Width(left)-lipgloss.Width(right), 0)) + right
	st := s.StatusBar
	if a.status.Error {
		st = s.StatusError
	}
	return st.Width(a.width).MaxWidth(a.width).Render(line)
}
