package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"kiosk/fieldtext"
	"kiosk/i18n"
	"kiosk/providers"
)

// splitKey reads PROVIDER/ID.
func splitKey(key string) (provider, id string, err error) {
	provider, id, ok := strings.Cut(strings.TrimSpace(key), "/")
	if !ok || provider == "" || id == "" {
		return "", "", usageError{fmt.Sprintf("--fields %q: want PROVIDER/ID, e.g. alqimah/topup-yemen_mobile (kiosk catalog lists them)", key)}
	}
	return provider, id, nil
}

// writeFields lists a product's fields with what each takes, so that
// `kiosk sell --field NAME=VALUE` can be written without reading code.
func writeFields(w io.Writer, p providers.Product) error {
	fmt.Fprintf(w, "%s  %s\n", p.Key(), p.Name)
	switch p.PriceKind {
	case providers.PriceRange:
		fmt.Fprintf(w, "--amount: %s to %s %s\n", p.MinAmount.Amount, p.MaxAmount.Amount, p.MinAmount.Currency)
	case providers.PriceUnits:
		fmt.Fprintf(w, "--amount: %s to %s units of %s\n", p.MinAmount.Amount, p.MaxAmount.Amount, p.Price)
	}
	if len(p.Fields) == 0 {
		fmt.Fprintln(w, "no fields: kiosk sell --provider "+p.Provider+" --product "+p.ID)
		return nil
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tLABEL\tKIND\tREQUIRED\tRULE")
	for _, f := range p.Fields {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Name, fieldtext.Label(i18n.EN, f), f.Kind, yesNo(f.Required), fieldRule(f))
	}
	return tw.Flush()
}

// fieldRule is what a value of f must be, for the command line: the
// screens' rule, a choice's codes with their names, a hidden field's
// default.
func fieldRule(f providers.Field) string {
	rule := fieldtext.Rule(i18n.EN, f)
	var more []string
	if f.Kind == providers.FieldChoice {
		codes := make([]string, len(f.Choices))
		for i, c := range f.Choices {
			codes[i] = c.Value + " " + c.Label
		}
		more = append(more, "one of: "+strings.Join(codes, ", "))
	}
	if f.Hidden {
		more = append(more, fmt.Sprintf("hidden, set by the provider to %q", f.Default))
	}
	return strings.Join(slices.DeleteFunc(append([]string{rule}, more...), func(s string) bool { return s == "" }), " · ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// checkFieldNames refuses a --field the product does not have, naming the
// ones it has: a misspelt name would otherwise be dropped, and the sale
// refused for a missing field, or sent without it.
func checkFieldNames(p providers.Product, values map[string]string) error {
	known := make([]string, 0, len(p.Fields))
	for _, f := range p.Fields {
		known = append(known, f.Name)
	}
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if slices.Contains(known, name) {
			continue
		}
		has := "it takes no field"
		if len(known) > 0 {
			has = "its fields: " + strings.Join(known, ", ")
		}
		return usageError{fmt.Sprintf("--field %s: %s has no field %q (%s; kiosk catalog --fields %s lists them)", name, p.Key(), name, has, p.Key())}
	}
	return nil
}
