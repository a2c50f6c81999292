package i18n

import (
	"strings"
	"testing"
)

// TestEODKeysHaveArabic: every end-of-day key has its Arabic (each plural
// form Arabic needs), every Arabic key its English, and none is defined
// twice across the catalogue's files.
func TestEODKeysHaveArabic(t *testing.T) {
	tests := []struct {
		name      string
		from, to  Lang
		forms     []string // what a plural key needs in to
		wantFound int      // at least this many keys checked
	}{
		{"Arabic for every English key", EN, AR, []string{"one", "two", "few", "many", "other"}, 150},
		{"English for every Arabic key", AR, EN, []string{"one", "other"}, 150},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checked := 0
			for k := range eodMessages[tt.from] {
				checked++
				if !strings.HasPrefix(k, "eod.") {
					t.Errorf("%s: end-of-day keys start with eod.", k)
				}
				base := baseKey(k)
				if base == k {
					if _, ok := eodMessages[tt.to][k]; !ok {
						t.Errorf("%s has no %s entry", k, tt.to)
					}
					continue
				}
				for _, f := range tt.forms {
					if _, ok := eodMessages[tt.to][base+"."+f]; !ok {
						t.Errorf("%s.%s has no %s entry", base, f, tt.to)
					}
				}
			}
			if checked < tt.wantFound {
				t.Errorf("only %d keys in %s", checked, tt.from)
			}
		})
	}
	if len(collisions) > 0 {
		t.Errorf("keys defined twice: %v", collisions)
	}
}

// TestMergeKeepsTheFirst: a key a merged file defines again is reported,
// and the catalogue keeps the first definition.
func TestMergeKeepsTheFirst(t *testing.T) {
	saved := collisions
	defer func() {
		collisions = saved
		delete(messages[EN], "test.merged")
	}()
	merge(map[Lang]map[string]string{EN: {"eod.margin": "Profit", "test.merged": "merged"}})
	if T(EN, "eod.margin") != "Margin" || T(EN, "test.merged") != "merged" {
		t.Fatalf("after merge: %q, %q", T(EN, "eod.margin"), T(EN, "test.merged"))
	}
	if len(collisions) != len(saved)+1 || collisions[len(collisions)-1] != "en eod.margin" {
		t.Fatalf("collisions %v", collisions)
	}
}
