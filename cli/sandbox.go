package cli

import (
	"flag"
	"fmt"
	"strings"

	"kiosk/providers/dtone/dtonesim"
	"kiosk/providers/sandboxkit"
	"kiosk/sandboxes"
)

func (e *env) sandbox(args []string) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(e.err)
	listen := fs.String("listen", "127.0.0.1:8700", "loopback address to listen on")
	var faults []string
	fs.Func("fault", "switch a fault on, as PROVIDER:LIST (repeatable), e.g. bitaqaty:latency=300ms,cut-after-commit; faults: "+
		strings.Join(sandboxkit.FaultNames, ", "), func(v string) error {
		faults = append(faults, v)
		return nil
	})
	ext := fs.Bool("extensions", false, "also serve the requests outside each provider's document (see config.example.toml)")
	products := fs.Int("products", 0, fmt.Sprintf("add `N` generated products to the catalogues (0 to %d): half to Bitaqaty, at most %d, the rest to DT One, %d to a country",
		sandboxes.MaxProducts, sandboxes.BitaqatyMaxGenerated, dtonesim.GenPerCountry))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q (flags: --listen, --fault, --extensions, --products)", fs.Arg(0))}
	}
	if *products < 0 || *products > sandboxes.MaxProducts {
		return usageError{fmt.Sprintf("--products %d: write a number of generated products from 0 to %d", *products, sandboxes.MaxProducts)}
	}
	set, err := sandboxes.Start(*listen, sandboxes.Options{Extensions: *ext, Products: *products})
	if err != nil {
		return err
	}
	defer set.Close()
	for _, f := range faults {
		id, list, ok := strings.Cut(f, ":")
		if !ok {
			return usageError{fmt.Sprintf("--fault %q: write PROVIDER:LIST, e.g. bitaqaty:no-answer", f)}
		}
		sw, err := set.Faults(id)
		if err != nil {
			return usageError{err.Error()}
		}
		if err := sw.Parse(list); err != nil {
			return usageError{err.Error()}
		}
	}
	what := "each provider's document only"
	if *ext {
		what = "the documents and every extension"
	}
	fmt.Fprintf(e.out, "Kiosk sandboxes listening on %s, serving %s (Ctrl-C stops)\n\n%s", set.URL, what, set.Credentials())
	if *products > 0 {
		fmt.Fprint(e.out, generatedNote(set))
	}
	ctx, cancel := signalContext()
	defer cancel()
	<-ctx.Done()
	return nil
}

// generatedNote says where the generated products are, and how a
// configuration lists DT One's: its generated countries are not among the
// demo countries config.example.toml names.
func generatedNote(set *sandboxes.Set) string {
	nb, nd := set.Generated()
	var b strings.Builder
	fmt.Fprintf(&b, "\nGenerated products: %d at bitaqaty, %d at dtone.\n", nb, nd)
	if nd == 0 {
		return b.String()
	}
	ids := set.DTOneCountries()
	if set.Extensions() {
		b.WriteString("dtone lists them with the countries extension (no countries in its section), or with\n")
	} else {
		b.WriteString("dtone lists them when its section names their countries:\n")
	}
	fmt.Fprintf(&b, "countries = [\"%s\"]\n", strings.Join(ids, `", "`))
	return b.String()
}
