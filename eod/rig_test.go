package eod_test

import (
	"context"
	"kiosk/eod"
	"kiosk/journal"
	"path/filepath"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/dtone"
	"kiosk/providers/india"
	"kiosk/providers/mor"
	"kiosk/sale"
	"kiosk/sandboxes"
	"kiosk/storage"
)

// rig is the kiosk's core as the app builds it: a real journal file, the
// five provider clients and the engine, over the real sandboxes on
// loopback. clock drives the journal (when sales are created), the books
// (when a day is closed) and the sandboxes (when they record a sale): it
// starts at clock.Start and ticks a millisecond a read, and a test sets it
// where it needs. No test reads the real time.
type rig struct {
	t     *testing.T
	set   *sandboxes.Set
	j     *journal.Journal
	path  string // the journal file
	e     *sale.Engine
	clock *clock.Fake
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, clock: clock.NewTicking(clock.Start, time.Millisecond)}
	set, err := sandboxes.Start("127.0.0.1:0", sandboxes.Options{Extensions: true, Now: r.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	r.set = set
	sealer, err := storage.NewSealer(make([]byte, storage.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	r.path = filepath.Join(t.TempDir(), "journal.db")
	sj, err := storage.Open(r.path, storage.Options{Sealer: sealer, Terminal: 1, Now: r.now})
	if err != nil {
		t.Fatal(err)
	}
	r.j = journal.New(sj)
	t.Cleanup(func() { r.j.Close() })
	r.e = sale.New(r.j, r.clients(set.BaseURL), sale.Options{Terminal: "T001", Timeout: 2 * time.Second, InFlightWindow: time.Minute, Now: r.now})
	return r
}

func (r *rig) now() time.Time {
	return r.clock.Now()
}

// clients builds the five providers the way app.Open does on sandboxes.
func (r *rig) clients(base func(string) string) []providers.Provider {
	r.t.Helper()
	must := func(p providers.Provider, err error) providers.Provider {
		if err != nil {
			r.t.Fatal(err)
		}
		return p
	}
	b, err := bitaqaty.New(sandboxes.BitaqatyConfig(base(bitaqaty.ID), true), nil)
	must(b, err)
	a, err := alqimah.New(sandboxes.AlQimahConfig(base(alqimah.ID), true), nil)
	must(a, err)
	d, err := dtone.New(sandboxes.DTOneConfig(base(dtone.ID), true), nil)
	must(d, err)
	i, err := india.New(sandboxes.IndiaConfig(base(india.ID), true), nil)
	must(i, err)
	m, err := mor.New(sandboxes.MORConfig(base(mor.ID), true), nil)
	must(m, err)
	return []providers.Provider{b, a, d, i, m}
}

func (r *rig) books(cutoff int) *eod.Books {
	r.t.Helper()
	b, err := eod.New(r.e, r.j, eod.Options{CutoffHour: cutoff, Location: time.UTC, Timeout: 2 * time.Second, Now: r.now})
	if err != nil {
		r.t.Fatal(err)
	}
	return b
}

func (r *rig) product(provider, id string) providers.Product {
	r.t.Helper()
	ps, err := r.e.RefreshCatalog(context.Background(), provider)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, p := range ps {
		if p.ID == id {
			return p
		}
	}
	r.t.Fatalf("no product %s/%s", provider, id)
	return providers.Product{}
}

// sell buys for real through the engine, with the sandbox faults given.
func (r *rig) sell(provider, id string, fields map[string]string, faults string) *sale.Sale {
	r.t.Helper()
	return r.sellAmount(provider, id, "", fields, faults)
}

// sellAmount sells a product priced by the amount the clerk enters.
func (r *rig) sellAmount(provider, id, amount string, fields map[string]string, faults string) *sale.Sale {
	r.t.Helper()
	p := r.product(provider, id)
	a := money.Zero
	if amount != "" {
		a = money.MustParse(amount)
	}
	q, err := r.e.Quote(context.Background(), p, fields, a)
	if err != nil {
		r.t.Fatal(err)
	}
	f, _ := r.set.Faults(provider)
	f.Reset()
	if err := f.Parse(faults); err != nil {
		r.t.Fatal(err)
	}
	defer f.Reset()
	s, err := r.e.Sell(context.Background(), q, "amal")
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

// journal records a sale by hand, as if sold, without asking any
// provider: the journal's word against the provider's.
func (r *rig) journal(provider, productID string, retail, cost money.Money, to sale.State) *sale.Sale {
	r.t.Helper()
	now := r.now()
	s := &sale.Sale{Terminal: "T001", Clerk: "amal", Provider: provider, State: sale.Prepared, Created: now, Updated: now,
		History: []sale.Transition{{At: now, State: sale.Prepared}},
		Product: providers.Product{Provider: provider, ID: productID, Name: provider + " " + productID},
		Quote:   providers.Quote{Retail: retail, Cost: cost}}
	s.Quote.Product = s.Product
	if err := r.j.Prepare(s); err != nil {
		r.t.Fatal(err)
	}
	if to == sale.Prepared {
		return s
	}
	return r.setState(s.Ref, to, "by hand")
}

// setState records a state by hand, as the journal's word.
func (r *rig) setState(ref string, to sale.State, note string) *sale.Sale {
	r.t.Helper()
	out, err := r.j.Update(ref, func(s *sale.Sale) error {
		s.State, s.Updated = to, r.now()
		s.History = append(s.History, sale.Transition{At: s.Updated, State: to, Note: note, By: "test"})
		return nil
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

func sar(s string) money.Money { return money.New(money.MustParse(s), "SAR") }

func cur(s, c string) money.Money { return money.New(money.MustParse(s), c) }
