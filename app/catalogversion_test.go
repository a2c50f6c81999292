package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"kiosk/config"
)

const morSection = `[terminal]
number = 7
[providers.mor]
base_url = "http://127.0.0.1:1/mor"
username = "kiosk"
secret_key = "%s"
[[providers.mor.card_groups]]
id = 6
name = "Calling card 5 USD"
price = "5.00"
currency = "USD"
[[providers.mor.card_groups]]
id = 7
name = "Calling card 10 USD"
price = "10.00"
currency = "USD"
`

// withoutGroup7 is the section with card group 7 dropped.
const withoutGroup7 = `[terminal]
number = 7
[providers.mor]
base_url = "http://127.0.0.1:1/mor"
username = "kiosk"
secret_key = "%s"
[[providers.mor.card_groups]]
id = 6
name = "Calling card 5 USD"
price = "5.00"
currency = "USD"
`

// reordered is morSection with its keys in another order and a comment.
const reordered = `[terminal]
number = 7
[providers.mor]
# the shop's MOR
username = "kiosk"
secret_key = "%s"
base_url = "http://127.0.0.1:1/mor"
[[providers.mor.card_groups]]
name = "Calling card 5 USD"
id = 6
currency = "USD"
price = "5.00"
[[providers.mor.card_groups]]
id = 7
name = "Calling card 10 USD"
price = "10.00"
currency = "USD"
`

func loadText(t *testing.T, dir, text, secret string) *config.Config {
	t.Helper()
	path := filepath.Join(dir, "kiosk.toml")
	body := []byte(strings.ReplaceAll(text, "%s", secret) + "[journal]\npath = \"" + filepath.Join(dir, "j.db") + "\"\nkey_file = \"" + filepath.Join(dir, "j.key") + "\"\n")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestCatalogVersions(t *testing.T) {
	dir := t.TempDir()
	base := catalogVersions(loadText(t, dir, morSection, "456789"), []string{"mor"})["mor"]
	tests := []struct {
		name, text, secret string
		same               bool
	}{
		{"the same file", morSection, "456789", true},
		{"keys in another order, a comment", reordered, "456789", true},
		{"another secret: no product changes", morSection, "s3cret-2", true},
		{"a card group dropped", withoutGroup7, "456789", false},
	}
	for _, tt := range tests {
		got := catalogVersions(loadText(t, dir, tt.text, tt.secret), []string{"mor"})["mor"]
		if (got == base) != tt.same || got == "" {
			t.Errorf("%s: version %q, first %q; want the same: %v", tt.name, got, base, tt.same)
		}
	}
	// No configuration at all (the built-in sandboxes): one version, the
	// same at every start.
	none := &config.Config{}
	if a, b := catalogVersions(none, []string{"mor"}), catalogVersions(none, []string{"mor"}); a["mor"] == "" || a["mor"] != b["mor"] {
		t.Errorf("versions without a file: %v, %v", a, b)
	}
}

// TestDroppedCardGroupIsNotOffered: the kiosk opened after a card group
// was dropped from the configuration does not offer the cached one.
func TestDroppedCardGroupIsNotOffered(t *testing.T) {
	dir := t.TempDir()
	k, err := Open(loadText(t, dir, morSection, "456789"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Engine.RefreshCatalog(context.Background(), "mor"); err != nil {
		t.Fatal(err)
	}
	k.Close()
	for _, tt := range []struct {
		text      string
		wantStale bool
		wantIDs   []string
	}{{morSection, false, []string{"6", "7"}}, {withoutGroup7, true, nil}} {
		k, err := Open(loadText(t, dir, tt.text, "456789"))
		if err != nil {
			t.Fatal(err)
		}
		cats, err := k.Engine.CachedCatalogs(time.Hour)
		k.Close()
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for i := range cats.Products.Len() {
			ids = append(ids, cats.Products.ID(i))
		}
		slices.Sort(ids)
		if slices.Contains(cats.Stale, "mor") != tt.wantStale || !slices.Equal(ids, tt.wantIDs) {
			t.Errorf("stale %v, products %v; want stale %v, %v", cats.Stale, ids, tt.wantStale, tt.wantIDs)
		}
	}
}
