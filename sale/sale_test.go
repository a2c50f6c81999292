package sale

import (
	"strings"
	"testing"
	"time"

	"kiosk/providers"
)

func TestStateMachine(t *testing.T) {
	s := &Sale{Ref: "1"}
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		to State
		ok bool
	}{
		{Prepared, true}, {InDoubt, true}, {Pending, true}, {NeedsReview, true},
		{Pending, false}, // review waits for a final answer
		{Succeeded, true},
		{Failed, false}, {Pending, false}, // final: never reopened
	}
	for _, st := range steps {
		err := s.move(st.to, at, "test", "")
		if (err == nil) != st.ok {
			t.Fatalf("move to %s: %v, want ok %v", st.to, err, st.ok)
		}
	}
	var states []string
	for _, h := range s.History {
		states = append(states, string(h.State))
	}
	if strings.Join(states, ",") != "prepared,in_doubt,pending,needs_review,succeeded" || s.State.Open() {
		t.Errorf("history = %v, state %s", states, s.State)
	}
}

func TestCustomerIsNeverACount(t *testing.T) {
	s := &Sale{
		Product: providers.Product{Fields: []providers.Field{
			{Name: "quantity", Kind: providers.FieldQuantity},
			{Name: "mobile", Kind: providers.FieldPhone},
		}},
		Quote: providers.Quote{Fields: map[string]string{"quantity": "2", "mobile": "771234567"}},
	}
	if got := s.Customer(); got != "771234567" {
		t.Fatalf("customer %q", got)
	}
	s.Product.Fields = s.Product.Fields[:1]
	if got := s.Customer(); got != "" {
		t.Fatalf("a card count taken for the customer: %q", got)
	}
	if Mask("771234567") != "******567" || Mask("12") != "12" {
		t.Fatalf("mask: %q", Mask("771234567"))
	}
}
