package clock

import (
	"testing"
	"time"
)

func TestFake(t *testing.T) {
	tests := []struct {
		name string
		c    *Fake
		act  func(*Fake)
		want []time.Time
	}{
		{"stands still", NewFake(Start), func(*Fake) {}, []time.Time{Start, Start}},
		{"advance", NewFake(Start), func(f *Fake) { f.Advance(time.Hour) }, []time.Time{Start.Add(time.Hour), Start.Add(time.Hour)}},
		{"set", NewFake(Start), func(f *Fake) { f.Set(Start.AddDate(1, 0, 0)) }, []time.Time{Start.AddDate(1, 0, 0), Start.AddDate(1, 0, 0)}},
		{"ticking", NewTicking(Start, time.Second), func(*Fake) {}, []time.Time{Start, Start.Add(time.Second)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.act(tt.c)
			for i, w := range tt.want {
				if got := tt.c.Now(); !got.Equal(w) {
					t.Errorf("reading %d: %v, want %v", i, got, w)
				}
			}
		})
	}
}
