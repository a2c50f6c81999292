// Package i18n holds the interface and receipt texts in English and Arabic,
// and what a terminal needs to show Arabic: right-to-left reordering for
// terminals that do not do it themselves, and right alignment by display
// width.
//
// Numbers stay in Western digits (0–9) in both languages: PINs, serials,
// references, phone numbers and prices are typed and read back by clerks
// and providers in those digits, and a PIN shown in Arabic-Indic digits
// (٠–٩) would be one more thing to get wrong. Translations therefore use
// %d and %s as they are and never convert digits.
package i18n

import (
	"fmt"
	"slices"
	"strings"
)

// Lang is an interface language.
type Lang string

// The supported languages.
const (
	EN Lang = "en"
	AR Lang = "ar"
)

// Langs lists the supported languages, English first.
func Langs() []Lang { return []Lang{EN, AR} }

// ParseLang reads a language setting: "en", "ar", "English", "Arabic",
// "ar_YE.UTF-8", "ar-SA". The empty string is English.
func ParseLang(s string) (Lang, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(t, "_-.@"); i >= 0 {
		t = t[:i]
	}
	switch t {
	case "", "en", "english":
		return EN, nil
	case "ar", "arabic", "عربي", "العربية":
		return AR, nil
	}
	return "", fmt.Errorf("language %q: want \"en\" or \"ar\"", s)
}

// RTL reports whether the language is written right to left.
func (l Lang) RTL() bool { return l == AR }

// T is the message key in lang, formatted with args as fmt.Sprintf does.
// A key missing in lang falls back to English, and a key missing in English
// too is returned as it is (so a missing translation shows, and is found).
// A message without any % verb ignores args.
func T(lang Lang, key string, args ...any) string {
	msg, ok := messages[lang][key]
	if !ok {
		if msg, ok = messages[EN][key]; !ok {
			msg = key
		}
	}
	return format(msg, args)
}

// T is T(l, key, args...).
func (l Lang) T(key string, args ...any) string { return T(l, key, args...) }

// Has reports whether lang has its own text for key (no fallback).
func Has(lang Lang, key string) bool {
	_, ok := messages[lang][key]
	return ok
}

// Plural is the message key for the count n, in the plural form lang needs:
// it looks up key+".zero", ".one", ".two", ".few", ".many" as the language
// distinguishes them (Arabic has all six, English one and other), then
// key+".other", then falls back as T does. n is the first format argument,
// args follow it; a form that names the count in words ("منتجان") may leave
// the verbs out.
func Plural(lang Lang, key string, n int, args ...any) string {
	all := append([]any{n}, args...)
	for _, l := range []Lang{lang, EN} {
		for _, form := range []string{pluralForm(l, n), "other"} {
			if msg, ok := messages[l][key+"."+form]; ok {
				return format(msg, all)
			}
		}
	}
	return T(lang, key, all...)
}

// pluralForm is the CLDR plural category of n in lang.
func pluralForm(lang Lang, n int) string {
	if n < 0 {
		n = -n
	}
	if lang == AR {
		switch m := n % 100; {
		case n == 0:
			return "zero"
		case n == 1:
			return "one"
		case n == 2:
			return "two"
		case m >= 3 && m <= 10:
			return "few"
		case m >= 11 && m <= 99:
			return "many"
		}
		return "other"
	}
	if n == 1 {
		return "one"
	}
	return "other"
}

func format(msg string, args []any) string {
	if len(args) == 0 || !strings.Contains(msg, "%") {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Keys lists every key of lang's catalogue (plural keys with their form
// suffix), sorted.
func Keys(lang Lang) []string {
	keys := make([]string, 0, len(messages[lang]))
	for k := range messages[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
