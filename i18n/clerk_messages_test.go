package i18n

import "testing"

// TestClerkMessagesAreNew: the clerk's catalogue adds keys, it never
// redefines one of messages.go (the first definition would stand, and the
// new text would silently not show).
func TestClerkMessagesAreNew(t *testing.T) {
	for _, c := range clerkCollisions {
		t.Errorf("%s is defined in messages.go and clerk_messages.go", c)
	}
	for lang, msgs := range clerkMessages {
		for k, v := range msgs {
			if messages[lang][k] != v {
				t.Errorf("%s %s: the catalogue has %q, not the clerk's %q", lang, k, messages[lang][k], v)
			}
		}
	}
}
