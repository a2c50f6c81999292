package secret

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestValueNeverPrints(t *testing.T) {
	v := New("s3cr3t-key")
	type cfg struct {
		Key Value
	}
	outs := []string{
		fmt.Sprint(v), fmt.Sprintf("%v %+v %#v %s %q %x", v, v, v, v, v, v),
		fmt.Sprintf("%+v", cfg{v}), fmt.Sprintf("%#v", cfg{v}),
	}
	b, _ := json.Marshal(cfg{v})
	outs = append(outs, string(b))
	for _, o := range outs {
		if strings.Contains(o, "s3cr3t") {
			t.Errorf("secret leaked: %s", o)
		}
	}
	if v.Reveal() != "s3cr3t-key" {
		t.Errorf("Reveal = %q", v.Reveal())
	}
}

func TestUnmarshalFromEnv(t *testing.T) {
	t.Setenv("KIOSK_TEST_SECRET", "from-env")
	var v Value
	if err := v.UnmarshalText([]byte("env:KIOSK_TEST_SECRET")); err != nil || v.Reveal() != "from-env" {
		t.Fatalf("got %q, %v", v.Reveal(), err)
	}
	err := v.UnmarshalText([]byte("env:KIOSK_TEST_UNSET_VAR"))
	if err == nil || !strings.Contains(err.Error(), "KIOSK_TEST_UNSET_VAR") {
		t.Fatalf("unset variable error = %v", err)
	}
	if err := v.UnmarshalText([]byte("plain")); err != nil || v.Reveal() != "plain" {
		t.Fatalf("plain = %q, %v", v.Reveal(), err)
	}
}

func TestUnmarshalTOMLWantsAString(t *testing.T) {
	t.Setenv("KIOSK_TEST_SECRET", "from-env")
	tests := []struct {
		name    string
		data    any
		want    string // the secret, when accepted
		wantErr string // part of the error, when refused
	}{
		{"string", "k3y", "k3y", ""},
		{"string from env", "env:KIOSK_TEST_SECRET", "from-env", ""},
		{"integer", int64(987654), "", "not a number"},
		{"float", 98.765, "", "not a number"},
		{"boolean", true, "", "not a boolean"},
		{"date", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), "", "not a date or time"},
		{"array", []any{"a"}, "", "not an array"},
		{"table", map[string]any{"a": "b"}, "", "not a table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v Value
			err := v.UnmarshalTOML(tt.data)
			if tt.wantErr == "" {
				if err != nil || v.Reveal() != tt.want {
					t.Fatalf("got %q, %v; want %q", v.Reveal(), err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "987") || !v.IsZero() {
				t.Fatalf("err = %v, value %q: the refused value must not be kept or shown", err, v.Reveal())
			}
		})
	}
}
