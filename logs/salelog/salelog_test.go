package salelog

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"kiosk/clock"
	"kiosk/journal"
	"kiosk/logs"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/providers/alqimah/alqimahsim"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/bitaqaty/bitaqatysim"
	"kiosk/providers/dtone/dtonesim"
	"kiosk/providers/india/indiasim"
	"kiosk/providers/mor"
	"kiosk/providers/mor/morsim"
	"kiosk/providers/sandboxkit"
	"kiosk/sale"
	"kiosk/sandboxes"
	"kiosk/secret"
	"kiosk/storage"
)

// rig is the real engine over a real journal and the sandboxes on
// loopback, with the support log in a real file beside the journal.
type rig struct {
	t      *testing.T
	clock  *clock.Fake
	set    *sandboxes.Set
	engine *sale.Engine
	log    *logs.Log
	sales  *Logger
	path   string
	provs  map[string]providers.Provider
}

func newRig(t *testing.T) *rig {
	t.Helper()
	dir := t.TempDir()
	r := &rig{t: t, clock: clock.NewFake(clock.Start), provs: map[string]providers.Provider{}}
	set, err := sandboxes.Start("127.0.0.1:0", sandboxes.Options{Extensions: true, Now: r.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	r.set = set
	sealer, _ := storage.NewSealer(make([]byte, storage.KeySize))
	journalPath := filepath.Join(dir, "journal.db")
	sj, err := storage.Open(journalPath, storage.Options{Sealer: sealer, Terminal: 1, Now: r.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	j := journal.New(sj)
	t.Cleanup(func() { j.Close() })
	b, err := bitaqaty.New(sandboxes.BitaqatyConfig(set.BaseURL(bitaqaty.ID), true), nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := alqimah.New(sandboxes.AlQimahConfig(set.BaseURL(alqimah.ID), true), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mor.New(sandboxes.MORConfig(set.BaseURL(mor.ID), true), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []providers.Provider{b, a, m} {
		r.provs[p.Info().ID] = p
	}
	r.engine = sale.New(j, []providers.Provider{b, a, m}, sale.Options{
		Terminal: "T001", Timeout: 500 * time.Millisecond, InFlightWindow: time.Minute, Now: r.clock.Now,
	})
	r.path = logs.PathFor(journalPath)
	l, err := logs.Open(r.path, logs.Options{Now: r.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	r.log, r.sales = l, New(l.Logger)
	return r
}

func (r *rig) product(provider, id string) providers.Product {
	r.t.Helper()
	ps, err := r.engine.RefreshCatalog(context.Background(), provider)
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

func (r *rig) fault(provider, list string) {
	r.t.Helper()
	f, err := r.set.Faults(provider)
	if err != nil {
		r.t.Fatal(err)
	}
	f.Reset()
	if err := f.Parse(list); err != nil {
		r.t.Fatal(err)
	}
}

// sell runs a sale the way the engine will once it logs: prepare,
// purchase, then look-ups until it settles (at most five), each step logged
// where sale/engine.go is to call the logger.
func (r *rig) sell(q sale.Quote) *sale.Sale {
	r.t.Helper()
	ctx := context.Background()
	start := r.clock.Now()
	s, err := r.engine.Prepare(q, "amal")
	if err != nil {
		r.t.Fatal(err)
	}
	r.sales.Step("prepare", s, r.clock.Now().Sub(start))
	start = r.clock.Now()
	s, err = r.engine.Send(ctx, s)
	if err != nil {
		r.t.Fatal(err)
	}
	r.sales.Step("purchase", s, r.clock.Now().Sub(start))
	for i := 0; i < 5 && s.State.Open() && s.State != sale.NeedsReview; i++ {
		r.clock.Advance(2 * time.Minute) // past the in-flight window
		start = r.clock.Now()
		s, err = r.engine.Settle(ctx, s.Ref)
		if err != nil {
			r.sales.ProviderError("status", s.Provider, s.Ref, err, r.clock.Now().Sub(start))
		}
		r.sales.Step("status", s, r.clock.Now().Sub(start))
	}
	return s
}

// providerError makes one provider request fail for real and logs it.
func (r *rig) providerError(op, provider string, call func(context.Context, providers.Provider) error) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if err := call(ctx, r.provs[provider]); err != nil {
		r.sales.ProviderError(op, provider, "", err, 0)
	} else {
		r.t.Fatalf("%s %s did not fail", provider, op)
	}
}

// secrets are every credential the sandboxes' clients hold, and the
// wrong ones the test sends.
var secrets = []string{
	bitaqatysim.SecretKey, alqimahsim.Password, alqimahsim.APIToken,
	alqimahsim.LoginToken(alqimahsim.UserName, alqimahsim.AccountNumber, alqimahsim.Password, alqimahsim.APIToken),
	morsim.Secret, dtonesim.APIKey, dtonesim.APISecret, indiasim.Password, wrongSecret,
}

const wrongSecret = "wr0ng-s3cret-Value"

// TestSaleLogHoldsNoSecret runs sales of every kind against the
// sandboxes (sold, refused, pending, cut after commit, in review, an eSIM
// with its QR link) and provider errors (refusals, bad credentials, a
// timeout), then scans the log file for every PIN, serial, username and
// eSIM detail delivered, every credential and every full customer number.
func TestSaleLogHoldsNoSecret(t *testing.T) {
	r := newRig(t)
	const phone, player = "771234567", "5123456789"
	pubg := r.product(alqimah.ID, "game-pubg_120")
	topup := r.product(alqimah.ID, "topup-yemen_mobile")
	tests := []struct {
		name      string
		provider  string
		product   providers.Product
		fields    map[string]string
		amount    string
		fault     string
		wantState sale.State
	}{
		{"gift card sold", bitaqaty.ID, r.product(bitaqaty.ID, "2862"), nil, "", "", sale.Succeeded},
		{"eSIM with QR link sold", bitaqaty.ID, r.product(bitaqaty.ID, "8102"), nil, "", "", sale.Succeeded},
		{"out of stock", bitaqaty.ID, r.product(bitaqaty.ID, "2862"), nil, "", sandboxkit.FaultOutOfStock, sale.Failed},
		{"insufficient balance", bitaqaty.ID, r.product(bitaqaty.ID, "2862"), nil, "", sandboxkit.FaultNoBalance, sale.Failed},
		{"cut after commit, settled by reference", bitaqaty.ID, r.product(bitaqaty.ID, "2862"), nil, "", sandboxkit.FaultCutAfterCommit, sale.Succeeded},
		{"pending, polled to sold", alqimah.ID, pubg, map[string]string{pubg.Fields[0].Name: player}, "", "pending=2", sale.Succeeded},
		{"top-up of a customer's number", alqimah.ID, topup, map[string]string{topup.Fields[0].Name: "+967 " + phone}, "500", "", sale.Succeeded},
		{"no status call: review", mor.ID, r.product(mor.ID, "6"), map[string]string{"quantity": "1"}, "", sandboxkit.FaultCutAfterCommit, sale.NeedsReview},
	}
	var delivered []string
	var refs []string
	for _, tt := range tests {
		var amount money.Decimal
		if tt.amount != "" {
			amount = money.MustParse(tt.amount)
		}
		r.fault(tt.provider, "")
		q, err := r.engine.Quote(context.Background(), tt.product, tt.fields, amount)
		if err != nil {
			t.Fatalf("%s: quote: %v", tt.name, err)
		}
		r.fault(tt.provider, tt.fault)
		s := r.sell(q)
		if s.State != tt.wantState {
			t.Fatalf("%s: state %s (%s), want %s", tt.name, s.State, s.Message, tt.wantState)
		}
		refs = append(refs, s.Ref+" "+string(s.State))
		for _, v := range s.Vouchers {
			delivered = append(delivered, v.PIN, v.PIN2, v.Username, v.Serial)
			for _, x := range v.Extra {
				// eSIM details (iccid, lpa, matching id) are one long
				// word; info lines ("Operation Notes") are not secrets.
				if utf8.RuneCountInString(x) >= 8 && !strings.Contains(x, " ") {
					delivered = append(delivered, x)
				}
			}
		}
		r.fault(tt.provider, "")
	}
	if len(delivered) < 4 {
		t.Fatalf("the scenarios delivered only %q: nothing to look for", delivered)
	}

	// Provider errors, straight from the clients.
	card := r.product(bitaqaty.ID, "2862")
	bq, err := r.engine.Quote(context.Background(), card, nil, money.Zero)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{sandboxkit.FaultOutOfStock, sandboxkit.FaultNoBalance, sandboxkit.FaultNoAnswer} {
		r.fault(bitaqaty.ID, f)
		r.providerError("purchase", bitaqaty.ID, func(ctx context.Context, p providers.Provider) error {
			_, err := p.Purchase(ctx, providers.PurchaseRequest{Ref: "0019999990000001", Terminal: "T001", Quote: bq.Quote})
			return err
		})
	}
	r.fault(bitaqaty.ID, "")
	wrong := sandboxes.BitaqatyConfig(r.set.BaseURL(bitaqaty.ID), true)
	wrong.SecretKey = secret.New(wrongSecret)
	if r.provs[bitaqaty.ID], err = bitaqaty.New(wrong, nil); err != nil {
		t.Fatal(err)
	}
	r.providerError("balance", bitaqaty.ID, func(ctx context.Context, p providers.Provider) error {
		_, err := p.(providers.BalanceChecker).Balance(ctx)
		return err
	})
	wrongA := sandboxes.AlQimahConfig(r.set.BaseURL(alqimah.ID), true)
	wrongA.Password = secret.New(wrongSecret)
	if r.provs[alqimah.ID], err = alqimah.New(wrongA, nil); err != nil {
		t.Fatal(err)
	}
	r.providerError("balance", alqimah.ID, func(ctx context.Context, p providers.Provider) error {
		_, err := p.(providers.BalanceChecker).Balance(ctx)
		return err
	})
	if err := r.log.Close(); err != nil {
		t.Fatal(err)
	}

	b, err := os.ReadFile(r.path)
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, group := range []struct {
		what   string
		values []string
	}{{"a delivered PIN, serial or eSIM detail", delivered}, {"a credential", secrets}, {"a full customer number", []string{phone, player, "967" + phone}}} {
		for _, v := range group.values {
			if len(v) >= 4 && strings.Contains(out, v) {
				t.Errorf("the log holds %s: %q", group.what, v)
			}
		}
	}
	if m := regexp.MustCompile(`\d{7,}`).FindAllString(out, -1); len(m) > 0 {
		for _, d := range m {
			if !isRef(d) {
				t.Errorf("the log holds the digits %s, which are no sale's reference", d)
			}
		}
	}

	// What support needs is there: every sale's reference with its final
	// state, and the providers' codes.
	for _, rs := range refs {
		ref, state, _ := strings.Cut(rs, " ")
		if !regexp.MustCompile(`ref=` + ref + `\b.*state=` + state + `\b`).MatchString(out) {
			t.Errorf("no line for %s in state %s", ref, state)
		}
	}
	for _, want := range []string{
		"step=prepare", "step=purchase", "step=status", "customer=******567",
		"op=purchase provider=bitaqaty code=OUT_OF_STOCK outcome=refused",
		"op=purchase provider=bitaqaty code=INSUFFICIENT_BALANCE outcome=refused",
		"op=balance provider=bitaqaty code=INVALID_PASSWORD",
		"time=2026-11-24T", "level=WARN msg=\"sale step\" step=purchase",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("log:\n%s", out)
	}
}

// isRef reports whether d is a reference this kiosk makes: terminal 001,
// then a run and a sequence (16 digits).
func isRef(d string) bool { return len(d) == 16 && strings.HasPrefix(d, "001") }

// TestNilLoggerIsSilent: an engine without a log calls a nil *Logger.
func TestNilLoggerIsSilent(t *testing.T) {
	var g *Logger
	g.Step("prepare", &sale.Sale{Ref: "1"}, 0)
	g.ProviderError("purchase", "bitaqaty", "1", providers.Refusal("bitaqaty", "purchase", "X", "no"), 0)
}

// engineLogger is the interface proposed for sale.Options.Log; *Logger
// must keep satisfying it.
type engineLogger interface {
	Step(step string, s *sale.Sale, took time.Duration)
	ProviderError(op, provider, ref string, err error, took time.Duration)
}

var _ engineLogger = (*Logger)(nil)
