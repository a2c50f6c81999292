package secret

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
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
