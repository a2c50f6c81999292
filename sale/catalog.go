package sale

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"slices"
	"time"

	"kiosk/providers"
	"kiosk/shelf"
)

// catalogFormat tags the cached catalogue's encoding: package shelf's
// compact binary encoding, which a kiosk with 500,000 cached products
// decodes straight into the table it keeps. The tag is followed by the
// version of the provider's configuration the catalogue was fetched under
// and a line feed. A cache in gob (gobFormat, what kiosks wrote before)
// is still read, so an upgraded kiosk offline keeps its catalogue; it is
// rewritten in this format at its next refresh. A cache in any other
// format (gob1: had no version) is treated as missing, and refetched.
const (
	catalogFormat = "kc1:"
	gobFormat     = "gob2:"
)

// EncodeCatalog is a catalogue as the journal caches it, fetched under no
// configuration version (benchmarks and tools that build a large cache
// use it).
func EncodeCatalog(products []providers.Product) []byte { return encodeCatalog(products, "") }

func encodeCatalog(products []providers.Product, version string) []byte {
	body := shelf.Encode(products)
	out := make([]byte, 0, len(catalogFormat)+len(version)+1+len(body))
	return append(append(append(append(out, catalogFormat...), version...), '\n'), body...)
}

// encodeGob is the catalogue as kiosks cached it before catalogFormat (tests
// of the upgrade write one).
func encodeGob(products []providers.Product, version string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(gobFormat + version + "\n")
	if err := gob.NewEncoder(&buf).Encode(products); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// splitCatalog parts a cached catalogue into its format, the configuration
// version it was fetched under and its body; ok is false for a format not
// read any more.
func splitCatalog(b []byte) (format, version string, body []byte, ok bool) {
	for _, f := range [...]string{catalogFormat, gobFormat} {
		if rest, found := bytes.CutPrefix(b, []byte(f)); found {
			v, body, found := bytes.Cut(rest, []byte("\n"))
			return f, string(v), body, found
		}
	}
	return "", "", nil, false
}

// decodeCatalog appends a cached catalogue's products to t and returns the
// configuration version it was fetched under; a cache it cannot read is
// only a cache: ok is false, t is as it was, and the catalogue is fetched
// again.
func decodeCatalog(b []byte, t *shelf.Table) (version string, ok bool) {
	format, version, body, ok := splitCatalog(b)
	if !ok {
		return "", false
	}
	if format == gobFormat {
		var ps []providers.Product
		if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&ps); err != nil {
			return "", false
		}
		body = shelf.Encode(ps) // once, until the next refresh rewrites the cache
	}
	if shelf.Decode(body, t) != nil {
		return "", false
	}
	return version, true
}

// catalogCount is how many products a cached catalogue holds, when its
// format says without decoding it; 0 otherwise.
func catalogCount(b []byte) int {
	if format, _, body, ok := splitCatalog(b); ok && format == catalogFormat {
		return shelf.Count(body)
	}
	return 0
}

// CachedCatalog is one provider's cached catalogue and when it was fetched.
// A catalogue fetched under another version of the provider's
// configuration (Options.CatalogVersions) is no catalogue: a product the
// configuration dropped (a MOR card group, an Indian operator) must not be
// offered from the cache until it expires. An engine given no versions (a
// tool reading the cache for a product's copy, as the restore does) takes
// the cache as it is.
func (e *Engine) CachedCatalog(id string) ([]providers.Product, time.Time, error) {
	b, at, err := e.store.Catalog(id)
	var t shelf.Table
	version, ok := decodeCatalog(b, &t)
	if !ok || t.Len() == 0 || !e.versionOK(id, version) {
		return nil, time.Time{}, err
	}
	t.Merge([][2]int{{0, t.Len()}}) // a tool's cache may be written unsorted
	return t.All(), at, err
}

// versionOK reports whether a cache fetched under version may be used.
func (e *Engine) versionOK(id, version string) bool {
	return e.opt.CatalogVersions == nil || version == e.opt.CatalogVersions[id]
}

// mergedCatalogs is every provider's cached catalogue as CachedCatalogs
// last decoded and merged, by when each was fetched (in provider order).
type mergedCatalogs struct {
	ats      []time.Time
	products *shelf.Table
}

// Catalogs is the result of loading every provider's catalogue.
type Catalogs struct {
	// Products are every provider's products in catalogue order: by brand,
	// then name; products of equal brand and name in provider order (as
	// a stable sort of the providers' lists one after the other orders
	// them). The table is shared: no caller changes it.
	Products *shelf.Table
	// Stale lists providers whose cached catalogue is older than the limit
	// (or missing) and should be refreshed.
	Stale []string
	// Fetched is when each provider's catalogue was loaded.
	Fetched map[string]time.Time
}

// CachedCatalogs reads every provider's cached catalogue from the journal.
// It makes no network call, so the first screen shows at once. The
// catalogues are decoded once, into one table, and merged there in place:
// start-up checks the price list against them, then the catalogue screen
// shows the very same table.
func (e *Engine) CachedCatalogs(maxAge time.Duration) (Catalogs, error) {
	out := Catalogs{Fetched: make(map[string]time.Time, len(e.order))}
	// When each was fetched and how many products it holds first (nothing
	// is decoded), then, if that is not what was last decoded, the
	// catalogues themselves.
	ats := make([]time.Time, len(e.order))
	total := 0
	err := e.store.ReadCatalogs(e.order, func(i int, data []byte, at time.Time) error {
		ats[i] = at
		total += catalogCount(data)
		return nil
	})
	e.catMu.Lock()
	memo := e.merged
	e.catMu.Unlock()
	if err == nil && (memo == nil || !slices.EqualFunc(memo.ats, ats, time.Time.Equal)) {
		memo, err = e.decodeAll(total)
		e.catMu.Lock()
		e.merged = memo
		e.catMu.Unlock()
	}
	if err != nil {
		return out, fmt.Errorf("cached catalogues: %w", err)
	}
	for i, id := range e.order {
		at := memo.ats[i]
		if at.IsZero() || e.opt.Now().Sub(at) > maxAge {
			out.Stale = append(out.Stale, id)
		}
		out.Fetched[id] = at
	}
	out.Products = memo.products
	return out, nil
}

// decodeAll decodes the providers' cached catalogues (total products, as
// their headers said), in place in the journal, into one table and merges
// them there into catalogue order. A cache that cannot be used (unreadable, empty, of another configuration
// version) counts as not fetched: its time in the result is zero.
func (e *Engine) decodeAll(total int) (*mergedCatalogs, error) {
	m := &mergedCatalogs{ats: make([]time.Time, len(e.order))}
	t := shelf.New(total) // room for them all; more is grown, should a refresh come between
	var runs [][2]int     // each provider's products in t
	err := e.store.ReadCatalogs(e.order, func(i int, data []byte, at time.Time) error {
		from := t.Len()
		ok := false
		if _, version, _, known := splitCatalog(data); known && e.versionOK(e.order[i], version) {
			_, ok = decodeCatalog(data, t)
		}
		if ok && t.Len() > from {
			m.ats[i] = at
			runs = append(runs, [2]int{from, t.Len()})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	t.Merge(runs)
	m.products = t
	return m, nil
}

// productLess is catalogue order: by brand, then name.
func productLess(a, b *providers.Product) bool {
	if a.Brand != b.Brand {
		return a.Brand < b.Brand
	}
	return a.Name < b.Name
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
	b := encodeCatalog(ps, e.opt.CatalogVersions[id])
	if err := e.store.PutCatalog(id, b, e.opt.Now()); err != nil {
		return fmt.Errorf("cache %s catalogue: %w", id, err)
	}
	return nil
}
