package sale_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/journal"
	"kiosk/providers"
	"kiosk/providers/mor"
	"kiosk/sale"
	"kiosk/sandboxes"
	"kiosk/shelf"
	"kiosk/storage"
)

// TestConfigurationChangeMakesTheCacheStale: a catalogue cached under one
// version of the provider's configuration is stale, and not shown, under
// another — a card group dropped from the configuration is not offered
// from the cache until it would have expired.
func TestConfigurationChangeMakesTheCacheStale(t *testing.T) {
	clk := clock.NewFake(clock.Start)
	path := filepath.Join(t.TempDir(), "journal.db")
	sealer, _ := storage.NewSealer(make([]byte, storage.KeySize))
	open := func(version string, groups int) (*sale.Engine, func()) {
		t.Helper()
		sj, err := storage.Open(path, storage.Options{Sealer: sealer, Terminal: 1, Now: clk.Now})
		if err != nil {
			t.Fatal(err)
		}
		j := journal.New(sj)
		cfg := sandboxes.MORConfig("http://127.0.0.1:1/mor", false) // MOR's catalogue is its configuration: nothing is sent
		cfg.CardGroups = cfg.CardGroups[:groups]
		m, err := mor.New(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		e := sale.New(j, []providers.Provider{m}, sale.Options{Terminal: "T001", Now: clk.Now,
			CatalogVersions: map[string]string{mor.ID: version}})
		return e, func() { j.Close() }
	}
	ids := func(ps *shelf.Table) []string {
		var out []string
		for i := range ps.Len() {
			out = append(out, ps.ID(i))
		}
		slices.Sort(out)
		return out
	}

	e, done := open("v1", 3)
	if _, err := e.RefreshCatalog(context.Background(), mor.ID); err != nil {
		t.Fatal(err)
	}
	done()
	tests := []struct {
		name      string
		version   string
		groups    int
		wantStale bool
		wantIDs   []string
	}{
		{"the same configuration: the cache stands", "v1", 3, false, []string{"6", "7", "8"}},
		{"a group dropped: stale at once, nothing offered", "v2", 2, true, nil},
	}
	for _, tt := range tests {
		e, done := open(tt.version, tt.groups)
		cats, err := e.CachedCatalogs(time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if stale := slices.Contains(cats.Stale, mor.ID); stale != tt.wantStale || !slices.Equal(ids(cats.Products), tt.wantIDs) {
			t.Errorf("%s: stale %v, products %v; want %v, %v", tt.name, stale, ids(cats.Products), tt.wantStale, tt.wantIDs)
		}
		done()
	}
	// An engine given no versions (a tool reading the cache) takes it as
	// it is.
	sj, err := storage.Open(path, storage.Options{Sealer: sealer, Terminal: 1, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	j := journal.New(sj)
	if ps, _, err := sale.New(j, nil, sale.Options{Now: clk.Now}).CachedCatalog(mor.ID); err != nil || len(ps) != 3 {
		t.Errorf("without versions: %d products, %v", len(ps), err)
	}
	j.Close()
	// Refreshed under the new configuration, the cache stands again.
	e, done = open("v2", 2)
	if _, err := e.RefreshCatalog(context.Background(), mor.ID); err != nil {
		t.Fatal(err)
	}
	done()
	e, done = open("v2", 2)
	defer done()
	cats, _ := e.CachedCatalogs(time.Hour)
	if len(cats.Stale) != 0 || !slices.Equal(ids(cats.Products), []string{"6", "7"}) {
		t.Errorf("after the refresh: stale %v, products %v", cats.Stale, ids(cats.Products))
	}
}
