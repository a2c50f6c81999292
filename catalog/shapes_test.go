package catalog

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"kiosk/clock"
	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/bitaqaty/bitaqatysim"
	"kiosk/providers/dtone"
	"kiosk/providers/india"
	"kiosk/providers/mor"
	"kiosk/sandboxes"
)

// providerNames are the names clerks search providers by, as the app hands
// them to New (each provider's Info().Name).
var providerNames = map[string]string{
	"bitaqaty": "Bitaqaty Business", "alqimah": "Al-Qimah", "dtone": "DT One", "india": "India", "mor": "MOR",
}

// genPeriod is how many generated products both simulators make before
// their names repeat. Bitaqaty's product i is brand i%50, face value
// (i/50)%14 and region (i/700)%10, with " #k" appended from the second
// round of 7,000 on; DT One's product k is face k%7, kind k%4 and currency
// (k/1000)%7, with operator "GenTel k/25+1". (bitaqatysim.genProduct,
// dtonesim.Generate; TestShapedCatalogueIsTheSimulators checks it.)
const genPeriod = 7000

// dtoneFirstGenerated is dtonesim's first generated product id.
const dtoneFirstGenerated = 1_000_001

// loaded are catalogues read from the real sandboxes, by how many
// products each simulator generated.
var (
	loadedMu sync.Mutex
	loaded   = map[[2]int][]providers.Product{}
)

// sandboxCatalogue starts every provider's sandbox on loopback, lets the
// Bitaqaty and DT One simulators generate nb and nd products, and reads
// all five catalogues through the real clients, as the app does.
func sandboxCatalogue(tb testing.TB, nb, nd int) []providers.Product {
	tb.Helper()
	loadedMu.Lock()
	defer loadedMu.Unlock()
	if ps, ok := loaded[[2]int{nb, nd}]; ok {
		return ps
	}
	set, err := sandboxes.Start("127.0.0.1:0", sandboxes.Options{Now: clock.NewFake(clock.Start).Now, Extensions: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer set.Close()
	set.Bitaqaty.Generate(nb)
	set.DTOne.Generate(nd)
	var all []providers.Product
	for _, p := range clients(tb, set) {
		ps, err := p.Catalog(context.Background())
		if err != nil {
			tb.Fatalf("%s catalogue: %v", p.Info().ID, err)
		}
		all = append(all, ps...)
	}
	loaded[[2]int{nb, nd}] = all
	return all
}

func clients(tb testing.TB, set *sandboxes.Set) []providers.Provider {
	b, err := bitaqaty.New(sandboxes.BitaqatyConfig(set.BaseURL(bitaqaty.ID), true), nil)
	if err != nil {
		tb.Fatal(err)
	}
	a, err := alqimah.New(sandboxes.AlQimahConfig(set.BaseURL(alqimah.ID), true), nil)
	if err != nil {
		tb.Fatal(err)
	}
	d, err := dtone.New(sandboxes.DTOneConfig(set.BaseURL(dtone.ID), true), nil)
	if err != nil {
		tb.Fatal(err)
	}
	i, err := india.New(sandboxes.IndiaConfig(set.BaseURL(india.ID), true), nil)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := mor.New(sandboxes.MORConfig(set.BaseURL(mor.ID), true), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return []providers.Provider{b, a, d, i, m}
}

var (
	shapedMu sync.Mutex
	shaped   = map[int][]providers.Product{}
)

// shapedCatalogue is the catalogue a kiosk sees when the Bitaqaty and DT
// One simulators each generate half of n products: the five demo
// catalogues (86 products) plus n generated ones ("Steam 50 USD (KSA) #3"
// with its Arabic name, brand and category; "1660 INR Top-up" of "GenTel
// 84"; unique numeric ids), sorted by brand then name as the screen shows
// them (sale.SortProducts).
//
// The clients refuse a catalogue answer over 16 MB (about 20,000 Bitaqaty
// products), so one period of each simulator's pattern is read over
// loopback and the rest continues it by the simulators' own numbering.
func shapedCatalogue(tb testing.TB, n int) []providers.Product {
	tb.Helper()
	shapedMu.Lock()
	defer shapedMu.Unlock()
	if ps, ok := shaped[n]; ok {
		return ps
	}
	nb, nd := n/2, n-n/2
	base := sandboxCatalogue(tb, min(nb, genPeriod), min(nd, genPeriod))
	all := slices.Clone(base)
	var bt, dt []providers.Product // the first period, by generated number
	for _, p := range base {
		if k, ok := generatedNumber(p); ok {
			if p.Provider == bitaqaty.ID {
				bt = growTo(bt, k)
				bt[k] = p
			} else {
				dt = growTo(dt, k)
				dt[k] = p
			}
		}
	}
	for i := genPeriod; i < nb; i++ {
		all = append(all, bitaqatyGenerated(bt[i%genPeriod], i))
	}
	for k := genPeriod; k < nd; k++ {
		all = append(all, dtoneGenerated(dt[k%genPeriod], k))
	}
	sortAsScreen(all)
	shaped[n] = all
	return all
}

// generatedNumber is the simulator's running number of a generated product
// (its i in Generate), and false for a demo product.
func generatedNumber(p providers.Product) (int, bool) {
	switch p.Provider {
	case bitaqaty.ID:
		id, err := strconv.Atoi(p.ID)
		if err != nil || id < bitaqatysim.GenProductBase {
			return 0, false
		}
		return id - bitaqatysim.GenProductBase, true
	case dtone.ID:
		_, num, ok := strings.Cut(p.ID, "-")
		id, err := strconv.Atoi(num)
		if !ok || err != nil || id < dtoneFirstGenerated {
			return 0, false
		}
		return id - dtoneFirstGenerated, true
	}
	return 0, false
}

func growTo(ps []providers.Product, k int) []providers.Product {
	if k >= len(ps) {
		ps = append(ps, make([]providers.Product, k+1-len(ps))...)
	}
	return ps
}

// bitaqatyGenerated is Bitaqaty's generated product i made from the product
// of its pattern in the first period.
func bitaqatyGenerated(t providers.Product, i int) providers.Product {
	t.ID = strconv.Itoa(bitaqatysim.GenProductBase + i)
	t.Name += " #" + strconv.Itoa(i/genPeriod+1)
	return t
}

// dtoneGenerated is DT One's generated product k made from the product of
// its pattern in the first period.
func dtoneGenerated(t providers.Product, k int) providers.Product {
	prefix, _, _ := strings.Cut(t.ID, "-")
	t.ID = prefix + "-" + strconv.Itoa(dtoneFirstGenerated+k)
	t.Brand = "GenTel " + strconv.Itoa(k/25+1)
	return t
}

// sortAsScreen orders products as sale.SortProducts does: by brand, then
// name, stable. It sorts positions, not the large structs.
func sortAsScreen(ps []providers.Product) {
	order := make([]int32, len(ps))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		x, y := &ps[a], &ps[b]
		if c := strings.Compare(x.Brand, y.Brand); c != 0 {
			return c
		}
		return strings.Compare(x.Name, y.Name)
	})
	sorted := make([]providers.Product, len(ps))
	for i, k := range order {
		sorted[i] = ps[k]
	}
	copy(ps, sorted)
}

// TestShapedCatalogueIsTheSimulators reads 2½ periods of generated products
// from the real simulators and checks that continuing the first period
// gives every later product exactly: the same searched text and prices.
func TestShapedCatalogueIsTheSimulators(t *testing.T) {
	const n = 2*genPeriod + genPeriod/2
	real := sandboxCatalogue(t, n, n)
	made := shapedCatalogue(t, 2*n)
	if len(real) != len(made) {
		t.Fatalf("%d products from the simulators, %d made", len(real), len(made))
	}
	key := func(p providers.Product) string { return p.Provider + "/" + p.ID }
	byKey := map[string]providers.Product{}
	for _, p := range made {
		byKey[key(p)] = p
	}
	later := 0
	for _, r := range real {
		m, ok := byKey[key(r)]
		if !ok {
			t.Fatalf("%s: not made", key(r))
		}
		got := []string{m.Name, m.NameAr, m.Brand, m.BrandAr, m.Category, m.Country, m.Price.String(), m.Cost.String(), string(m.Kind)}
		want := []string{r.Name, r.NameAr, r.Brand, r.BrandAr, r.Category, r.Country, r.Price.String(), r.Cost.String(), string(r.Kind)}
		if !slices.Equal(got, want) {
			t.Fatalf("%s: made %q, the simulator says %q", key(r), got, want)
		}
		if k, ok := generatedNumber(r); ok && k >= genPeriod {
			later++
		}
	}
	if later != 2*(n-genPeriod) {
		t.Fatalf("%d products past the first period compared, want %d", later, 2*(n-genPeriod))
	}
}
