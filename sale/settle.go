package sale

// Settling: asking a provider about a sale by its reference, judging the
// answer by what the document supports, and the rounds that settle every
// open sale (at start-up and in the background, each with its backoff).

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kiosk/providers"
)

// Settle asks the provider about an open sale by its own reference and
// journals the answer. It never purchases.
func (e *Engine) Settle(ctx context.Context, ref string) (*Sale, error) {
	v, err, _ := e.lookUps.Do(ref, func() (any, error) {
		s, err := e.settle(ctx, ref)
		return s, err
	})
	s, _ := v.(*Sale)
	if s != nil {
		c := *s // each caller gets its own copy of the shared answer
		s = &c
	}
	return s, err
}

func (e *Engine) settle(ctx context.Context, ref string) (*Sale, error) {
	s, err := e.get(ref)
	if err != nil {
		return nil, err
	}
	if !s.State.Open() || s.Alarm != "" {
		return s, nil // an alarmed sale waits for a supervisor: the provider's record is another sale's
	}
	p, err := e.Provider(s.Provider)
	if err != nil {
		return s, err
	}
	sc, ok := p.(providers.StatusChecker)
	if !ok {
		out, err := e.noLookUp(s, p.Info().Name)
		if out != nil && out.State != s.State {
			e.opt.Log.Step("review", out, 0)
		}
		return out, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.opt.Timeout)
	defer cancel()
	start := e.opt.Now()
	res, err := sc.Status(ctx, providers.SaleRef{Ref: s.Ref, Product: s.Product, Prepared: s.Created})
	took := e.since(start)
	if err != nil {
		e.opt.Log.ProviderError("status", s.Provider, s.Ref, err, took)
		out, serr := e.statusFailed(s, err)
		e.opt.Log.Step("status", out, took)
		return out, serr
	}
	to, note, res := e.judge(s, res)
	if to == s.State && to != Prepared || !CanMove(s.State, to) {
		// Nothing to record but the look-up itself (a sale in review waits
		// there for a final answer): one commit.
		out, err := e.touchLookUp(s)
		e.opt.Log.Step("status", out, took)
		return out, err
	}
	out, err := e.recordLookUp(s, to, note, res)
	e.opt.Log.Step("status", out, took)
	return out, err
}

// judge says what a status answer means for an open sale: the state to
// record, its note and the result to record with it.
func (e *Engine) judge(s *Sale, res providers.Result) (State, string, providers.Result) {
	switch res.State {
	case providers.NotFound:
		// Only a provider's documented not-found answer comes here, and
		// even that is believed only once the request cannot be in flight.
		if e.opt.Now().Sub(s.Created) < e.opt.InFlightWindow {
			if s.State == Prepared {
				return InDoubt, "not found yet; the request may still be in flight", providers.Result{}
			}
			return s.State, "", providers.Result{}
		}
		return Failed, "the provider has no sale under this reference: nothing was charged", providers.Result{}
	case providers.Succeeded:
		if res.ProductID != "" && res.ProductID != s.Product.ID {
			return NeedsReview, fmt.Sprintf("the provider reports product %s under this reference, not %s", res.ProductID, s.Product.ID), providers.Result{}
		}
	}
	return stateOf(res.State), res.Message, res
}

// touchLookUp counts a look-up that changed nothing.
func (e *Engine) touchLookUp(s *Sale) (*Sale, error) {
	t, err := e.touch(s.Ref, func(x *Sale) { x.Attempts++ })
	if err != nil {
		return s, fmt.Errorf("status of %s: %w", s.Ref, err)
	}
	return t, nil
}

// recordLookUp records what a look-up found, and counts it, in one commit.
func (e *Engine) recordLookUp(s *Sale, to State, note string, res providers.Result) (*Sale, error) {
	return e.recordWith(s, to, note, res, func(x *Sale) { x.Attempts++ })
}

// noLookUp settles what can be settled of an open sale whose provider
// cannot be asked (MOR; a provider whose status request is not in its
// document and not configured as an extension). A pending sale stays
// pending while its provider may still be working on it; after the
// in-flight window, and at once for a sale in doubt, a supervisor must
// look on the provider's portal. Nothing is refunded on a guess.
func (e *Engine) noLookUp(s *Sale, name string) (*Sale, error) {
	switch {
	case s.State == NeedsReview:
		return s, nil
	case s.State == Pending && e.opt.Now().Sub(s.Created) < e.opt.InFlightWindow:
		return s, nil
	case s.State == Pending:
		return e.record(s, NeedsReview, name+" said pending and the kiosk cannot ask it again (no status look-up): check this sale on the provider's portal; do not refund yet", providers.Result{})
	}
	return e.record(s, NeedsReview, name+" has no status look-up: a supervisor must check this sale on the provider's portal; do not refund yet", providers.Result{})
}

// ReviewAfter is how many failed status look-ups put a sale in review: a
// provider that stays unreachable leaves the decision to a supervisor. The
// look-ups go on, so the sale still settles if the provider comes back.
const ReviewAfter = 10

// statusFailed notes a failed look-up. A prepared sale whose look-up failed
// becomes in doubt: it may or may not have reached the provider.
func (e *Engine) statusFailed(s *Sale, err error) (*Sale, error) {
	serr := fmt.Errorf("status of %s: %w", s.Ref, err)
	var out *Sale
	var jerr error
	switch attempts := s.Attempts + 1; {
	case attempts >= ReviewAfter && s.State != NeedsReview:
		note := fmt.Sprintf("the provider could not be asked in %d look-ups (%s): a supervisor must check this sale on the provider's portal", attempts, providers.ClerkMessage(err))
		out, jerr = e.recordLookUp(s, NeedsReview, note, providers.Result{})
	case s.State == Prepared:
		out, jerr = e.recordLookUp(s, InDoubt, "status look-up failed: "+providers.ClerkMessage(err), providers.Result{})
	default:
		out, jerr = e.touchLookUp(s)
	}
	if jerr == nil {
		s = out
	}
	return s, serr
}

// Recover settles every open sale at start-up, oldest first. It returns the
// sales still open afterwards; errors of single look-ups are joined.
func (e *Engine) Recover(ctx context.Context) ([]*Sale, error) {
	still, _, err := e.settleOpen(ctx, func(*Sale) bool { return true })
	return still, err
}

// RecoverAll settles every open sale and also returns the sales this round
// settled, so a screen can show their recovered PINs.
func (e *Engine) RecoverAll(ctx context.Context) (still, settled []*Sale, err error) {
	return e.settleOpen(ctx, func(*Sale) bool { return true })
}

// Backoff is how long after its last look-up an open sale is asked about
// again in the background: 5 s, doubling with every look-up, at most 5 min.
func Backoff(attempts int) time.Duration {
	d := 5 * time.Second
	for i := 0; i < attempts && d < 5*time.Minute; i++ {
		d *= 2
	}
	return min(d, 5*time.Minute)
}

// RecoverDue settles the open sales whose backoff has run out, for the
// background rounds while the clerk sells; it returns every sale still
// open and the sales settled by this round.
func (e *Engine) RecoverDue(ctx context.Context) (still, settled []*Sale, err error) {
	now := e.opt.Now()
	return e.settleOpen(ctx, func(s *Sale) bool { return now.Sub(s.Updated) >= Backoff(s.Attempts) })
}

// settleOpen asks about the open sales that are due, oldest first, and
// sorts them into those still open and those this round settled.
func (e *Engine) settleOpen(ctx context.Context, due func(*Sale) bool) (still, settled []*Sale, err error) {
	open, err := e.OpenSales()
	if err != nil {
		return nil, nil, err
	}
	var errs []error
	for _, s := range open {
		if !due(s) {
			still = append(still, s)
			continue
		}
		out, err := e.Settle(ctx, s.Ref)
		if err != nil {
			errs = append(errs, err)
		}
		switch {
		case out == nil:
		case out.State.Open():
			still = append(still, out)
		default:
			settled = append(settled, out)
		}
	}
	return still, settled, errors.Join(errs...)
}
