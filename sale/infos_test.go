package sale_test

import (
	"slices"
	"testing"
	"time"

	"kiosk/providers/alqimah"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/mor"
)

func TestProviderInfosInConfigurationOrder(t *testing.T) {
	r := newRig(t, time.Second)
	var ids []string
	for _, info := range r.e.ProviderInfos() {
		if info.Name == "" {
			t.Errorf("provider %s has no name", info.ID)
		}
		ids = append(ids, info.ID)
	}
	if want := []string{bitaqaty.ID, alqimah.ID, mor.ID}; !slices.Equal(ids, want) {
		t.Fatalf("ProviderInfos = %v, want %v", ids, want)
	}
}
