// Package ui is the shared look and wiring of the terminal app: the theme,
// the screen contract and navigation messages, the root model with its
// screen stack, status bar and global keys.
package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles is the one theme. Screens use these and never colour literals.
// Only the 16 ANSI colours are used, so it reads the same on an old
// terminal; with NO_COLOR set Bubble Tea strips colour entirely.
type Styles struct {
	Title     lipgloss.Style
	Subtle    lipgloss.Style
	Dim       lipgloss.Style
	Normal    lipgloss.Style
	Selected  lipgloss.Style
	Error     lipgloss.Style
	Warn      lipgloss.Style
	OK        lipgloss.Style
	Changed   lipgloss.Style // a price that changed since the catalogue was loaded
	PIN       lipgloss.Style
	Label     lipgloss.Style
	Value     lipgloss.Style
	Sandbox   lipgloss.Style
	StatusBar lipgloss.Style
	// StatusError is the status bar when its message is an error.
	StatusError lipgloss.Style
	Key         lipgloss.Style
	Box         lipgloss.Style
	Focused     lipgloss.Style
	// CursorColor and CursorBlink are the text inputs' cursor.
	CursorColor color.Color
	CursorBlink bool
}

// DefaultStyles returns the theme.
func DefaultStyles() *Styles {
	black, red, green, yellow := lipgloss.Black, lipgloss.Red, lipgloss.Green, lipgloss.Yellow
	blue, white, gray := lipgloss.Blue, lipgloss.BrightWhite, lipgloss.BrightBlack
	return &Styles{
		Title:       lipgloss.NewStyle().Bold(true).Foreground(blue),
		Subtle:      lipgloss.NewStyle().Foreground(gray),
		Dim:         lipgloss.NewStyle().Foreground(gray).Faint(true),
		Normal:      lipgloss.NewStyle(),
		Selected:    lipgloss.NewStyle().Bold(true).Reverse(true),
		Error:       lipgloss.NewStyle().Bold(true).Foreground(red),
		Warn:        lipgloss.NewStyle().Bold(true).Foreground(yellow),
		OK:          lipgloss.NewStyle().Bold(true).Foreground(green),
		Changed:     lipgloss.NewStyle().Bold(true).Foreground(black).Background(yellow),
		PIN:         lipgloss.NewStyle().Bold(true).Foreground(white),
		Label:       lipgloss.NewStyle().Foreground(gray),
		Value:       lipgloss.NewStyle().Bold(true),
		Sandbox:     lipgloss.NewStyle().Bold(true).Foreground(black).Background(yellow).Padding(0, 1),
		StatusBar:   lipgloss.NewStyle().Reverse(true),
		StatusError: lipgloss.NewStyle().Reverse(true).Foreground(red),
		Key:         lipgloss.NewStyle().Bold(true),
		Box:         lipgloss.NewStyle().Border(lipgloss.NormalBorder()).Padding(0, 1),
		Focused:     lipgloss.NewStyle().Foreground(blue).Bold(true),
		CursorColor: lipgloss.White,
		CursorBlink: true,
	}
}
