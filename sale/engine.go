// Package sale is the core every front end shares (the screens and the
// scriptable commands): quote, prepare, purchase, settle. It owns the one
// rule that makes sales recoverable: write the intent durably before the
// side effect, and record the outcome durably before it is shown.
package sale

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"kiosk/money"
	"kiosk/pricing"
	"kiosk/providers"
	"kiosk/shelf"
)

// Options tune the engine.
type Options struct {
	Terminal string // sent to providers that take a terminal id
	// Timeout bounds one purchase or status request.
	Timeout time.Duration
	// InFlightWindow is how long after a sale was prepared its request might
	// still be in flight at the provider. Until then "not found" is not
	// trusted: the sale stays in doubt.
	InFlightWindow time.Duration
	// CatalogTimeout bounds a catalogue download, which providers warn is
	// slow (default 2 minutes).
	CatalogTimeout time.Duration
	// CatalogVersions is, per provider id, a version of the provider's
	// configuration (app: a hash of its section). A catalogue is cached
	// with it, and a cached catalogue of another version is stale at once.
	// Nil: the cache is taken whatever version it was fetched under.
	CatalogVersions map[string]string
	Now             func() time.Time
	// Log hears every step of a sale and every provider error, for the
	// support log (kiosk/logs/salelog); nil logs nothing.
	Log Logger
}

// Logger is told of each step of a sale and each failed provider request.
// Its methods return at once and cannot fail a sale.
type Logger interface {
	Step(step string, s *Sale, took time.Duration)
	ProviderError(op, provider, ref string, err error, took time.Duration)
}

type noLog struct{}

func (noLog) Step(string, *Sale, time.Duration)                          {}
func (noLog) ProviderError(string, string, string, error, time.Duration) {}

// since is how long ago start was, by the engine's clock.
func (e *Engine) since(start time.Time) time.Duration { return e.opt.Now().Sub(start) }

// Engine runs sales against the providers and the journal.
type Engine struct {
	store     Store
	providers map[string]providers.Provider
	order     []string
	opt       Options

	// unsent holds the references prepared by this process and not yet
	// sent. Only those may be sent: a prepared sale read back from the
	// journal (after a crash) may already have reached the provider, so it
	// is only ever settled by reference.
	mu     sync.Mutex
	unsent map[string]bool
	// lookUps makes concurrent look-ups of one sale (a screen's poll and
	// the background round asking at the same moment) one call whose
	// answer they share; nothing is left behind once it returns. Every
	// change itself is checked against the state machine inside its commit.
	lookUps singleflight.Group
	// prices is the shop's price list (SetPrices); nil sells at the
	// provider's recommended retail price, else at cost.
	prices atomic.Pointer[pricing.List]
	// merged is every provider's cached catalogue as CachedCatalogs last
	// decoded it, by the times they were fetched.
	catMu  sync.Mutex
	merged *mergedCatalogs
}

// New makes an engine over an open journal and the configured providers.
func New(j Store, provs []providers.Provider, opt Options) *Engine {
	if opt.Timeout == 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.InFlightWindow == 0 {
		opt.InFlightWindow = opt.Timeout + time.Minute
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = noLog{}
	}
	if opt.CatalogTimeout == 0 {
		opt.CatalogTimeout = 2 * time.Minute
	}
	e := &Engine{store: j, providers: map[string]providers.Provider{}, opt: opt, unsent: map[string]bool{}}
	for _, p := range provs {
		id := p.Info().ID
		e.providers[id] = p
		e.order = append(e.order, id)
	}
	return e
}

// TerminalID is the terminal's name as sent to providers.
func (e *Engine) TerminalID() string { return e.opt.Terminal }

// Providers returns the providers in configuration order.
func (e *Engine) Providers() []providers.Provider {
	out := make([]providers.Provider, 0, len(e.order))
	for _, id := range e.order {
		out = append(out, e.providers[id])
	}
	return out
}

// Provider finds a provider by id.
func (e *Engine) Provider(id string) (providers.Provider, error) {
	p, ok := e.providers[id]
	if !ok {
		return nil, fmt.Errorf("provider %q is not configured", id)
	}
	return p, nil
}

// Prepare journals the sale (durably, with its reference) before anything
// is sent. On error nothing was sent and nothing is owed.
func (e *Engine) Prepare(q Quote, clerk string) (*Sale, error) {
	now := e.opt.Now()
	price := q.Price
	s := &Sale{
		Terminal: e.opt.Terminal,
		Clerk:    clerk,
		Provider: q.Product.Provider,
		Product:  q.Product,
		Quote:    q.Quote,
		Price:    &price,
		Created:  now,
	}
	if err := s.move(Prepared, now, "", clerk); err != nil {
		return nil, err
	}
	start := e.opt.Now()
	if err := e.store.Prepare(s); err != nil {
		if errors.Is(err, ErrNoKey) {
			return nil, noKey(q.Product.Name)
		}
		return nil, fmt.Errorf("prepare sale of %s: %w; nothing was sent", q.Product.Name, err)
	}
	e.opt.Log.Step("prepare", s, e.since(start))
	e.mu.Lock()
	e.unsent[s.Ref] = true
	e.mu.Unlock()
	return s, nil
}

// Send makes the one purchase request of a prepared sale and journals the
// outcome before returning it. It never sends a sale twice: a sale that is
// no longer prepared is refused.
//
// A non-nil error with a non-nil sale means the outcome could not be
// journaled; the sale (with its vouchers, if any) is returned so the clerk
// still sees what the customer paid for, and recovery will settle it again
// by reference.
func (e *Engine) Send(ctx context.Context, s *Sale) (*Sale, error) {
	e.mu.Lock()
	fresh := e.unsent[s.Ref]
	delete(e.unsent, s.Ref)
	e.mu.Unlock()
	if !fresh {
		return s, fmt.Errorf("sale %s was already sent or was prepared by an earlier run: it is never sent again; settle it by reference", s.Ref)
	}
	p, err := e.Provider(s.Provider)
	if err != nil {
		return s, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.opt.Timeout)
	defer cancel()
	start := e.opt.Now()
	res, perr := p.Purchase(ctx, providers.PurchaseRequest{Ref: s.Ref, Terminal: e.opt.Terminal, Clerk: s.Clerk, Quote: s.Quote})
	took := e.since(start)
	var out *Sale
	if perr != nil {
		e.opt.Log.ProviderError("purchase", s.Provider, s.Ref, perr, took)
		out, err = e.recordSendError(s, perr)
	} else {
		out, err = e.record(s, stateOf(res.State), res.Message, res)
	}
	e.opt.Log.Step("purchase", out, took)
	return out, err
}

// Alarm is the note on a sale whose first send was answered "duplicate
// reference".
const Alarm = "ALARM: the provider already holds a sale under this reference, although this kiosk sent it for the first time — the journal may be a restored older copy, or another kiosk uses the same terminal number. Hand over nothing for it; a supervisor must check it on the provider's portal"

// recordSendError journals what a failed purchase request means:
//   - a duplicate-reference answer to a first send: another sale holds the
//     reference, so this one goes to review with an alarm and is never
//     settled from the provider's record (it would hand over the other
//     customer's PIN);
//   - a documented refusal, or a request that never left: failed, nothing
//     charged;
//   - anything else: in doubt, to be settled by reference.
func (e *Engine) recordSendError(s *Sale, perr error) (*Sale, error) {
	switch {
	case providers.IsDuplicate(perr):
		out, err := e.move(s.Ref, NeedsReview, Alarm, "", func(x *Sale) {
			x.Message, x.Alarm = Alarm+" ("+providers.ClerkMessage(perr)+")", Alarm
		})
		if err != nil {
			mem := *s
			mem.State, mem.Alarm, mem.Message = NeedsReview, Alarm, Alarm
			return &mem, fmt.Errorf("%w — write down reference %s", err, s.Ref)
		}
		return out, nil
	case providers.IsRefused(perr):
		return e.record(s, Failed, providers.ClerkMessage(perr), providers.Result{})
	}
	return e.record(s, InDoubt, "outcome unknown: "+providers.ClerkMessage(perr), providers.Result{})
}

func stateOf(ps providers.State) State {
	switch ps {
	case providers.Succeeded:
		return Succeeded
	case providers.Failed:
		return Failed
	case providers.Pending:
		return Pending
	}
	return InDoubt
}

// record journals an outcome. If the journal write fails, the outcome is
// still returned in memory with the error.
func (e *Engine) record(s *Sale, to State, note string, res providers.Result) (*Sale, error) {
	return e.recordWith(s, to, note, res, nil)
}

// recordWith is record with more bookkeeping (more, if not nil) in the
// same commit.
func (e *Engine) recordWith(s *Sale, to State, note string, res providers.Result, more func(*Sale)) (*Sale, error) {
	edit := func(x *Sale) {
		if more != nil {
			more(x)
		}
		x.Message = note
		if res.ProviderRef != "" {
			x.ProviderRef = res.ProviderRef
		}
		if len(res.Vouchers) > 0 {
			x.Vouchers = res.Vouchers
		}
		if !res.Charged.IsZero() {
			x.Charged = res.Charged
		}
	}
	out, err := e.move(s.Ref, to, note, "", edit)
	if err != nil {
		mem := *s
		edit(&mem)
		mem.State = to
		return &mem, fmt.Errorf("%w — the sale is %s; write down reference %s", err, to, s.Ref)
	}
	return out, nil
}

// Sell prepares, sends, and if the outcome is in doubt asks the provider
// once by the same reference (a cut connection after the sale was committed
// is settled at once this way).
func (e *Engine) Sell(ctx context.Context, q Quote, clerk string) (*Sale, error) {
	s, err := e.Prepare(q, clerk)
	if err != nil {
		return nil, err
	}
	s, err = e.Send(ctx, s)
	if err != nil || s.State != InDoubt {
		return s, err
	}
	settled, serr := e.Settle(ctx, s.Ref)
	if serr != nil {
		return s, nil // still in doubt; recovery will ask again
	}
	return settled, nil
}

// Decide is a supervisor's decision on an open sale no provider could
// settle: sold (with the PIN typed from the provider's portal, if any) or
// not sold, always with a reason. The decision and its author go into the
// sale's history and the audit record.
func (e *Engine) Decide(ref string, sold bool, vouchers []providers.Voucher, reason, supervisor string) (*Sale, error) {
	if reason == "" || supervisor == "" {
		return nil, errors.New("a supervisor decision needs the supervisor's name and a reason")
	}
	s, err := e.get(ref)
	if err != nil {
		return nil, err
	}
	if !s.State.Open() {
		return s, fmt.Errorf("sale %s is already %s", ref, s.State)
	}
	to, action := Failed, "marked not sold"
	if sold {
		to, action = Succeeded, "marked sold"
	}
	out, err := e.move(ref, to, "supervisor: "+reason, supervisor, func(x *Sale) {
		x.Message = "supervisor " + supervisor + ": " + reason
		if sold && len(vouchers) > 0 {
			x.Vouchers = vouchers
		}
	})
	if err != nil {
		return nil, err
	}
	e.opt.Log.Step("decide", out, 0)
	if err := e.audit(supervisor, action, ref, reason); err != nil {
		return out, fmt.Errorf("sale recorded, audit not written: %w", err)
	}
	return out, nil
}

// Suggestions returns the amounts a provider suggests for a product with a
// price range, or nil when it has none.
func (e *Engine) Suggestions(ctx context.Context, p providers.Product) ([]money.Decimal, error) {
	prov, err := e.Provider(p.Provider)
	if err != nil {
		return nil, err
	}
	sg, ok := prov.(providers.Suggester)
	if !ok || p.PriceKind != providers.PriceRange {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, e.opt.Timeout)
	defer cancel()
	return sg.SuggestedValues(ctx, p)
}

// Balances asks every provider that reports a balance. Providers that
// failed are left out and their errors joined.
func (e *Engine) Balances(ctx context.Context) (map[string][]money.Money, error) {
	out := map[string][]money.Money{}
	var errs []error
	for _, id := range e.order {
		bc, ok := e.providers[id].(providers.BalanceChecker)
		if !ok {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, e.opt.Timeout)
		start := e.opt.Now()
		b, err := bc.Balance(cctx)
		cancel()
		if err != nil {
			e.opt.Log.ProviderError("balance", id, "", err, e.since(start))
			errs = append(errs, err)
			continue
		}
		out[id] = b
	}
	return out, errors.Join(errs...)
}

// SortProducts orders a catalogue for the clerk: by brand, then name. It
// sorts an index and moves each product once: products are large, and
// swapping them in place costs more than the comparisons.
func SortProducts(ps []providers.Product) {
	idx := make([]int32, len(ps))
	for i := range idx {
		idx[i] = int32(i)
	}
	sort.SliceStable(idx, func(a, b int) bool { return productLess(&ps[idx[a]], &ps[idx[b]]) })
	shelf.Permute(ps, idx)
}
