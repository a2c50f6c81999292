package cli

import (
	"flag"
	"fmt"
	"strings"

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
	if err := fs.Parse(args); err != nil {
		return err
	}
	set, err := sandboxes.Start(*listen, sandboxes.Options{Extensions: *ext})
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
	ctx, cancel := signalContext()
	defer cancel()
	<-ctx.Done()
	return nil
}
