package sale

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kiosk/providers"
)

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
		ps, at, err := e.journal.Catalog(id)
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
	ps, err := p.Catalog(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s catalogue: %w", p.Info().Name, err)
	}
	for i := range ps {
		ps[i].Provider = id
	}
	SortProducts(ps)
	if err := e.journal.PutCatalog(id, ps, e.opt.Now()); err != nil {
		return ps, fmt.Errorf("cache %s catalogue: %w", id, err)
	}
	return ps, nil
}
