package sale

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"time"

	"kiosk/providers"
)

// catalogFormat tags the cached catalogue's encoding. The cache is gob,
// not JSON: a kiosk starts with 50,000 cached products within its time
// budget only with the faster decoder. The tag is followed by the version
// of the provider's configuration the catalogue was fetched under and a
// line feed. A cache in any other format (gob1: had no version) is
// treated as missing, and refetched.
const catalogFormat = "gob2:"

// EncodeCatalog is a catalogue as the journal caches it, fetched under no
// configuration version (benchmarks and tools that build a large cache
// use it).
func EncodeCatalog(products []providers.Product) ([]byte, error) { return encodeCatalog(products, "") }

func encodeCatalog(products []providers.Product, version string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(catalogFormat + version + "\n")
	if err := gob.NewEncoder(&buf).Encode(products); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeCatalog reads a cached catalogue and the configuration version it
// was fetched under; a cache it cannot read is only a cache: nil, and the
// catalogue is fetched again.
func decodeCatalog(b []byte) ([]providers.Product, string) {
	rest, ok := bytes.CutPrefix(b, []byte(catalogFormat))
	if !ok {
		return nil, ""
	}
	version, rest, ok := bytes.Cut(rest, []byte("\n"))
	if !ok {
		return nil, ""
	}
	var products []providers.Product
	if err := gob.NewDecoder(bytes.NewReader(rest)).Decode(&products); err != nil {
		return nil, ""
	}
	return products, string(version)
}

// CachedCatalog is one provider's cached catalogue and when it was fetched.
// A cache already decoded (start-up checks the price list against it, then
// the catalogue screen shows it) is decoded once: the products are shared,
// and no caller changes them. A catalogue fetched under another version of
// the provider's configuration (Options.CatalogVersions) is no catalogue:
// a product the configuration dropped (a MOR card group, an Indian
// operator) must not be offered from the cache until it expires. An
// engine given no versions (a tool reading the cache for a product's
// copy, as the restore does) takes the cache as it is.
func (e *Engine) CachedCatalog(id string) ([]providers.Product, time.Time, error) {
	b, at, err := e.store.Catalog(id)
	e.catMu.Lock()
	memo, ok := e.decoded[id]
	e.catMu.Unlock()
	if ok && !at.IsZero() && memo.at.Equal(at) {
		return memo.products, at, err
	}
	ps, version := decodeCatalog(b)
	if ps == nil || e.opt.CatalogVersions != nil && version != e.opt.CatalogVersions[id] {
		return nil, time.Time{}, err
	}
	e.catMu.Lock()
	e.decoded[id] = decodedCatalog{at: at, products: ps}
	e.catMu.Unlock()
	return ps, at, err
}

// decodedCatalog is a provider's cached catalogue as last decoded.
type decodedCatalog struct {
	at       time.Time
	products []providers.Product
}

// Catalogs is the result of loading every provider's catalogue.
type Catalogs struct {
	Products []providers.Product
	// Stale lists providers whose cached catalogue is older than the limit
	// (or missing) and should be refreshed.
	Stale []string
	// Fetched is when each provider's catalogue was loaded.
	Fetched map[string]time.Time
}

// CachedCatalogs reads every provider's cached catalogue from the journal.
// It makes no network call, so the first screen shows at once.
func (e *Engine) CachedCatalogs(maxAge time.Duration) (Catalogs, error) {
	out := Catalogs{Fetched: map[string]time.Time{}}
	var errs []error
	for _, id := range e.order {
		ps, at, err := e.CachedCatalog(id)
		if err != nil {
			errs = append(errs, err)
		}
		if at.IsZero() || e.opt.Now().Sub(at) > maxAge {
			out.Stale = append(out.Stale, id)
		}
		out.Fetched[id] = at
		out.Products = append(out.Products, ps...)
	}
	// Each provider's list was sorted when it was cached; the screen
	// merges them.
	return out, errors.Join(errs...)
}

// RefreshCatalog fetches one provider's catalogue and caches it.
func (e *Engine) RefreshCatalog(ctx context.Context, id string) ([]providers.Product, error) {
	p, err := e.Provider(id)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.opt.CatalogTimeout)
	defer cancel()
	start := e.opt.Now()
	ps, err := p.Catalog(ctx)
	if err != nil {
		e.opt.Log.ProviderError("catalogue", id, "", err, e.since(start))
		return nil, fmt.Errorf("%s catalogue: %w", p.Info().Name, err)
	}
	return ps, e.CacheCatalog(id, ps)
}

// CacheCatalog caches ps as provider id's catalogue, fetched now under the
// provider's configuration version, as RefreshCatalog does with what it
// fetched: it sets each product's Provider and sorts ps in place.
// Benchmarks and tools that build a large cache use it.
func (e *Engine) CacheCatalog(id string, ps []providers.Product) error {
	for i := range ps {
		ps[i].Provider = id
	}
	SortProducts(ps)
	b, err := encodeCatalog(ps, e.opt.CatalogVersions[id])
	if err != nil {
		return fmt.Errorf("cache %s catalogue: %w", id, err)
	}
	if err := e.store.PutCatalog(id, b, e.opt.Now()); err != nil {
		return fmt.Errorf("cache %s catalogue: %w", id, err)
	}
	return nil
}
