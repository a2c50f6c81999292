package ui

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// NewInput returns a text input in the theme's 16 colours (bubbles'
// default uses 256-colour greys).
func NewInput(s *Styles) textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	state := textinput.StyleState{Text: lipgloss.NewStyle(), Placeholder: s.Subtle, Suggestion: s.Subtle, Prompt: s.Label}
	ti.SetStyles(textinput.Styles{
		Focused: state,
		Blurred: state,
		Cursor:  textinput.CursorStyle{Color: s.CursorColor, Shape: tea.CursorBlock, Blink: s.CursorBlink},
	})
	return ti
}
