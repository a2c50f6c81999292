package cli

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"kiosk/app"
	"kiosk/catalog"
	"kiosk/providers"
)

// findProduct looks a product up in the cached catalogue, fetching the
// provider's catalogue when it is not cached yet.
func findProduct(ctx context.Context, k *app.Kiosk, provider, id string) (providers.Product, error) {
	ps, _, err := k.Engine.CachedCatalog(provider)
	if err != nil {
		return providers.Product{}, err
	}
	if len(ps) == 0 {
		if ps, err = k.Engine.RefreshCatalog(ctx, provider); err != nil {
			return providers.Product{}, err
		}
	}
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
	}
	return providers.Product{}, fmt.Errorf("product %q not found in the %s catalogue (kiosk catalog --provider %s lists them)", id, provider, provider)
}

func (e *env) catalog(args []string) error {
	fs := flag.NewFlagSet("catalog", flag.ContinueOnError)
	fs.SetOutput(e.err)
	provider := fs.String("provider", "", "only this provider")
	search := fs.String("search", "", "only products matching these words")
	refresh := fs.Bool("refresh", false, "fetch the catalogues from the providers first")
	fields := fs.String("fields", "", "list one product's fields and what each takes, as PROVIDER/ID (for sell --field)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	k, err := e.open()
	if err != nil {
		return err
	}
	defer k.Close()
	ctx, cancel := signalContext()
	defer cancel()
	if *fields != "" {
		prov, id, err := splitKey(*fields)
		if err != nil {
			return err
		}
		p, err := findProduct(ctx, k, prov, id)
		if err != nil {
			return err
		}
		return writeFields(e.out, p)
	}
	cats, err := k.Engine.CachedCatalogs(k.Config.Sale.CatalogMaxAge.Duration)
	if err != nil {
		return err
	}
	if *refresh || len(cats.Stale) > 0 {
		for _, p := range k.Engine.Providers() {
			id := p.Info().ID
			if *provider != "" && id != *provider {
				continue
			}
			if _, err := k.Engine.RefreshCatalog(ctx, id); err != nil {
				fmt.Fprintf(e.err, "kiosk: %v\n", err)
			}
		}
		if cats, err = k.Engine.CachedCatalogs(k.Config.Sale.CatalogMaxAge.Duration); err != nil {
			return err
		}
	}
	ix := catalog.New(cats.Products, nil)
	tw := tabwriter.NewWriter(e.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tPRODUCT\tNAME\tBRAND\tCOST\tPRICE\tAVAILABLE")
	for _, i := range ix.Filter(*search) {
		p := ix.Product(int(i))
		if *provider != "" && p.Provider != *provider {
			continue
		}
		// The shop's price (the price list over the cost) beside what the
		// shop pays; a product priced by the amount is priced at the quote.
		cost, price := "-", k.Engine.CatalogPrice(*p).String()
		if !p.Cost.IsZero() {
			cost = p.Cost.String()
		}
		if p.PriceKind != providers.PriceFixed {
			price = fmt.Sprintf("%s %s–%s", p.PriceKind, p.MinAmount.Amount, p.MaxAmount.Amount)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%v\n", p.Provider, p.ID, p.Name, p.Brand, cost, price, p.Available)
	}
	return tw.Flush()
}
