package sale

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"slices"
	"time"

	"kiosk/providers"
)

// catalogFormat tags the cached catalogue's encoding: its own compact
// binary encoding (catalogcodec.go), which a kiosk with 50,000 cached
// products decodes within its start-up budget. The tag is followed by the
// version of the provider's configuration the catalogue was fetched under
// and a line feed. A cache in gob (gobFormat, what kiosks wrote before)
// is still read, so an upgraded kiosk offline keeps its catalogue; it is
// rewritten in this format at its next refresh. A cache in any other
// format (gob1: had no version) is treated as missing, and refetched.
const (
	catalogFormat = binaryFormat
	gobFormat     = "gob2:"
)

// EncodeCatalog is a catalogue as the journal caches it, fetched under no
// configuration version (benchmarks and tools that build a large cache
// use it).
func EncodeCatalog(products []providers.Product) ([]byte, error) { return encodeCatalog(products, "") }

func encodeCatalog(products []providers.Product, version string) ([]byte, error) {
	return encodeBinary(products, version), nil
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

// decodeCatalog appends a cached catalogue's products to out and returns
// the configuration version it was fetched under; a cache it cannot read
// is only a cache: ok is false, and the catalogue is fetched again.
func decodeCatalog(b []byte, out []providers.Product) (_ []providers.Product, version string, ok bool) {
	format, version, body, ok := splitCatalog(b)
	if !ok {
		return out, "", false
	}
	if format == gobFormat {
		var ps []providers.Product
		if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&ps); err != nil {
			return out, "", false
		}
		return append(out, ps...), version, true
	}
	all, err := decodeBinary(body, out)
	if err != nil {
		return out, "", false
	}
	return all, version, true
}

// catalogCount is how many products a cached catalogue holds, when its
// format says without decoding it; 0 otherwise.
func catalogCount(b []byte) int {
	if format, _, body, ok := splitCatalog(b); ok && format == catalogFormat {
		return binaryCount(body)
	}
	return 0
}

// CachedCatalog is one provider's cached catalogue and when it was fetched.
// A cache already decoded is decoded once: the products are shared, and no
// caller changes them. A catalogue fetched under another version of the
// provider's configuration (Options.CatalogVersions) is no catalogue:
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
	ps, version, ok := decodeCatalog(b, nil)
	if !ok || len(ps) == 0 || !e.versionOK(id, version) {
		return nil, time.Time{}, err
	}
	if !InCatalogOrder(ps) {
		SortProducts(ps) // a tool's cache written unsorted
	}
	e.catMu.Lock()
	e.decoded[id] = decodedCatalog{at: at, products: ps}
	e.catMu.Unlock()
	return ps, at, err
}

// versionOK reports whether a cache fetched under version may be used.
func (e *Engine) versionOK(id, version string) bool {
	return e.opt.CatalogVersions == nil || version == e.opt.CatalogVersions[id]
}

// decodedCatalog is a provider's cached catalogue as last decoded.
type decodedCatalog struct {
	at       time.Time
	products []providers.Product
}

// mergedCatalogs is every provider's cached catalogue as CachedCatalogs
// last decoded and merged, by when each was fetched (in provider order).
type mergedCatalogs struct {
	ats      []time.Time
	products []providers.Product
}

// Catalogs is the result of loading every provider's catalogue.
type Catalogs struct {
	// Products are every provider's products in catalogue order: by brand,
	// then name; products of equal brand and name in provider order (as
	// SortProducts orders the providers' lists one after the other). They
	// are shared: no caller changes them.
	Products []providers.Product
	// Stale lists providers whose cached catalogue is older than the limit
	// (or missing) and should be refreshed.
	Stale []string
	// Fetched is when each provider's catalogue was loaded.
	Fetched map[string]time.Time
}

// CachedCatalogs reads every provider's cached catalogue from the journal.
// It makes no network call, so the first screen shows at once. The
// catalogues are decoded once, into one slice, and merged there in place:
// start-up checks the price list against them, then the catalogue screen
// shows the very same products.
func (e *Engine) CachedCatalogs(maxAge time.Duration) (Catalogs, error) {
	out := Catalogs{Fetched: make(map[string]time.Time, len(e.order))}
	var errs []error
	blobs := make([][]byte, len(e.order))
	ats := make([]time.Time, len(e.order))
	for i, id := range e.order {
		b, at, err := e.store.Catalog(id)
		if err != nil {
			errs = append(errs, err)
		}
		blobs[i], ats[i] = b, at
	}
	e.catMu.Lock()
	memo := e.merged
	e.catMu.Unlock()
	if memo == nil || !slices.EqualFunc(memo.ats, ats, time.Time.Equal) {
		memo = e.decodeAll(blobs, ats)
		e.catMu.Lock()
		e.merged = memo
		e.catMu.Unlock()
	}
	for i, id := range e.order {
		at := memo.ats[i]
		if at.IsZero() || e.opt.Now().Sub(at) > maxAge {
			out.Stale = append(out.Stale, id)
		}
		out.Fetched[id] = at
	}
	out.Products = memo.products
	return out, errors.Join(errs...)
}

// decodeAll decodes the providers' cached catalogues into one slice and
// merges them in place into catalogue order. A cache that cannot be used
// (unreadable, empty, of another configuration version) counts as not
// fetched: its time in the result is zero.
func (e *Engine) decodeAll(blobs [][]byte, ats []time.Time) *mergedCatalogs {
	m := &mergedCatalogs{ats: slices.Clone(ats)}
	total := 0
	for _, b := range blobs {
		total += catalogCount(b)
	}
	all := make([]providers.Product, 0, total)
	var runs [][2]int // each provider's products in all
	for i, id := range e.order {
		from := len(all)
		var version string
		var ok bool
		all, version, ok = decodeCatalog(blobs[i], all)
		if !ok || len(all) == from || !e.versionOK(id, version) {
			clear(all[from:])
			all = all[:from]
			m.ats[i] = time.Time{}
			continue
		}
		if run := all[from:]; !InCatalogOrder(run) {
			SortProducts(run) // a tool's cache written unsorted
		}
		runs = append(runs, [2]int{from, len(all)})
	}
	if len(runs) > 1 {
		applyOrder(all, mergeOrder(all, runs))
	}
	m.products = all
	return m
}

// productLess is catalogue order: by brand, then name.
func productLess(a, b *providers.Product) bool {
	if a.Brand != b.Brand {
		return a.Brand < b.Brand
	}
	return a.Name < b.Name
}

// InCatalogOrder reports whether ps are in catalogue order (by brand, then
// name), as Catalogs.Products are.
func InCatalogOrder(ps []providers.Product) bool {
	for i := 1; i < len(ps); i++ {
		if productLess(&ps[i], &ps[i-1]) {
			return false
		}
	}
	return true
}

// mergeOrder merges sorted runs of ps: order[i] is the product that goes
// to i. A tie goes to the earlier run, so the order is what a stable sort
// of the runs one after the other gives (SortProducts).
func mergeOrder(ps []providers.Product, runs [][2]int) []int32 {
	order := make([]int32, 0, len(ps))
	heads := make([]int, len(runs))
	for i, r := range runs {
		heads[i] = r[0]
	}
	for len(order) < len(ps) {
		best := -1
		for i, h := range heads {
			if h < runs[i][1] && (best < 0 || productLess(&ps[h], &ps[heads[best]])) {
				best = i
			}
		}
		order = append(order, int32(heads[best]))
		heads[best]++
	}
	return order
}

// applyOrder moves each product to its place, ps[i] = old ps[order[i]],
// following each cycle of the permutation so that every product is moved
// once and no second slice of products is needed. order is used up.
func applyOrder(ps []providers.Product, order []int32) {
	for i := range order {
		if int(order[i]) == i {
			continue
		}
		tmp := ps[i]
		j := i
		for {
			k := int(order[j])
			order[j] = int32(j)
			if k == i {
				ps[j] = tmp
				break
			}
			ps[j] = ps[k]
			j = k
		}
	}
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
