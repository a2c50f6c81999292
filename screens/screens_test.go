package screens_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"kiosk/clock"
	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/journal"
	"kiosk/money"
	"kiosk/operators"
	"kiosk/pricing"
	"kiosk/providers"
	"kiosk/providers/alqimah"
	"kiosk/providers/bitaqaty"
	"kiosk/providers/india"
	"kiosk/providers/mor"
	"kiosk/sale"
	"kiosk/sandboxes"
	"kiosk/screens"
	"kiosk/storage"
	"kiosk/ui"
)

// kiosk is a real engine over a real journal and the sandboxes on loopback.
type kiosk struct {
	set   *sandboxes.Set
	j     *journal.Journal
	books *eod.Books
	e     *sale.Engine
	clock *clock.Fake // every part reads this clock: no screen depends on the day
}

// newKiosk runs Bitaqaty, Al-Qimah and MOR, and India too when asked.
func newKiosk(t *testing.T, timeout time.Duration, withIndia ...bool) *kiosk {
	t.Helper()
	clk := clock.NewFake(clock.Start)
	set, err := sandboxes.Start("127.0.0.1:0", sandboxes.Options{Extensions: true, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	sealer, _ := storage.NewSealer(make([]byte, storage.KeySize))
	sj, err := storage.Open(filepath.Join(t.TempDir(), "j.db"), storage.Options{Sealer: sealer, Terminal: 1, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	j := journal.New(sj)
	t.Cleanup(func() { j.Close() })
	b, _ := bitaqaty.New(sandboxes.BitaqatyConfig(set.BaseURL(bitaqaty.ID), true), nil)
	a, _ := alqimah.New(sandboxes.AlQimahConfig(set.BaseURL(alqimah.ID), true), nil)
	m, _ := mor.New(sandboxes.MORConfig(set.BaseURL(mor.ID), true), nil)
	provs := []providers.Provider{b, a, m}
	if len(withIndia) > 0 && withIndia[0] {
		in, _ := india.New(sandboxes.IndiaConfig(set.BaseURL(india.ID), true), nil)
		provs = append(provs, in)
	}
	e := sale.New(j, provs, sale.Options{Terminal: "T001", Timeout: timeout, Now: clk.Now})
	// Load the catalogues once so every screen test starts from the cache,
	// as a kiosk does after its first day.
	for _, p := range provs {
		id := p.Info().ID
		if _, err := e.RefreshCatalog(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	books, err := eod.New(e, j, eod.Options{Location: time.UTC, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &kiosk{set: set, j: j, e: e, books: books, clock: clk}
}

// option changes what the app starts with.
type option func(*ui.Settings, *ui.Session)

func (k *kiosk) app(t *testing.T, opts ...option) *ui.App {
	set := ui.Settings{Terminal: k.e.TerminalID(), Sandbox: true, StateDir: t.TempDir(), CatalogMaxAge: time.Hour}
	session := ui.Session{Clerk: "amal"}
	for _, o := range opts {
		o(&set, &session)
	}
	c := ui.NewCommon(ui.Parts{Ctx: context.Background(), Services: ui.Services{Sales: k.e, Books: k.books, Users: k.e},
		Settings: set, Session: session, Now: k.clock.Now})
	var more []ui.Screen
	if open, _ := k.e.OpenSales(); len(open) > 0 {
		more = append(more, screens.NewRecovery(c))
	}
	return ui.NewApp(c, screens.NewCatalog(c), nil, more...)
}

// session is an app running in teatest, with the last screen it drew.
type session struct {
	*teatest.TestModel
	mu   sync.Mutex
	view string
}

// record keeps the screen as the app draws it. It runs as a program
// filter, on the event loop, before each message: so the view it records
// is the one after every earlier message. Waiting on the drawn screen,
// not on the renderer's byte stream, is what makes the waits reliable: the
// renderer writes only changed cells, so a phrase may never appear whole
// in its output.
func (s *session) record(m tea.Model, msg tea.Msg) tea.Msg {
	if a, ok := m.(*ui.App); ok {
		v := ansi.Strip(a.View().Content)
		s.mu.Lock()
		s.view = v
		s.mu.Unlock()
	}
	return msg
}

type probeMsg struct{}

// run starts the app in teatest at 80×24 (or the size given).
func run(t *testing.T, a *ui.App, size ...int) *session {
	w, h := 80, 24
	if len(size) == 2 {
		w, h = size[0], size[1]
	}
	s := &session{}
	s.TestModel = teatest.NewTestModel(t, a, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithFilter(s.record)))
	return s
}

// waitFor waits until the screen shows text.
func waitFor(t *testing.T, s *session, text string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s.Send(probeMsg{}) // lets the filter see the model after everything sent so far
		time.Sleep(20 * time.Millisecond)
		s.mu.Lock()
		v := s.view
		s.mu.Unlock()
		if strings.Contains(v, text) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("screen never showed %q; last screen:\n%s", text, v)
		}
	}
}

// sellFromCatalogue sells the first product matching query, as a clerk
// does: search, enter, confirm, and waits for the result.
func sellFromCatalogue(t *testing.T, tm *session, query string) {
	t.Helper()
	waitFor(t, tm, "products")
	tm.Type(query)
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Customer pays")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "SOLD")
}

func key(code rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: code} }

var refRE = regexp.MustCompile(`\b\d{16}\b`)

// final quits and returns the final screen as plain text, with references
// (which carry the journal's random epoch) made stable.
func final(t *testing.T, tm *session) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*ui.App)
	view := ansi.Strip(m.View().Content)
	lines := strings.Split(view, "\n")
	if len(lines) != m.Height() {
		t.Errorf("view is %d lines, want %d", len(lines), m.Height())
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > m.Width() {
			t.Errorf("line %d is %d cells wide: %q", i, w, l)
		}
	}
	return refRE.ReplaceAllString(view, "<REF>")
}

func TestCatalogFilters(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Type("itunes")
	waitFor(t, tm, "iTunes Gift Card 200 SAR")
	golden.RequireEqual(t, final(t, tm))
}

func TestCatalogRefusesUnavailable(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Type("google play 300")
	waitFor(t, tm, "unavailable")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "is not available for sale now")
	golden.RequireEqual(t, final(t, tm))
}

func TestFieldsRejectAndExplain(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Type("yemen mobile top-up")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Amount")
	tm.Type("71x")
	waitFor(t, tm, "digits only")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "must be")
	golden.RequireEqual(t, final(t, tm))
}

func TestConfirmShowsChangedPrice(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Type("itunes 50")
	k.set.Bitaqaty.SetPrice("2862", money.MustParse("53.00"))
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "PRICE CHANGED")
	tm.Send(key(tea.KeyEnter)) // first enter only acknowledges the change
	waitFor(t, tm, "press enter again")
	golden.RequireEqual(t, final(t, tm))
	if n, _ := k.e.CountSales(); n != 0 {
		t.Fatalf("a sale was made on the first enter after a price change (%d)", n)
	}
}

func TestResultShowsPIN(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	sellFromCatalogue(t, tm, "itunes 50")
	waitFor(t, tm, "Bitaqaty 4951.50 SAR") // the balance read again after the sale
	out := final(t, tm)
	golden.RequireEqual(t, out)
	recent, _ := k.e.Recent(1, time.Time{})
	if len(recent) != 1 || recent[0].State != sale.Succeeded || !strings.Contains(out, recent[0].Vouchers[0].PIN) {
		t.Fatalf("the PIN on screen is not the journaled one")
	}
}

func TestResultDrawsQR(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	sellFromCatalogue(t, tm, "esim")
	waitFor(t, tm, "Bitaqaty 4954.00 SAR")
	out := final(t, tm)
	if !strings.Contains(out, "█▀▀▀▀▀█") {
		t.Fatalf("no QR code on screen:\n%s", out)
	}
	golden.RequireEqual(t, out)
}

func TestOpenSalesAtStartup(t *testing.T) {
	k := newKiosk(t, 300*time.Millisecond)
	p, _, _ := k.e.CachedCatalog(bitaqaty.ID)
	var itunes providers.Product
	for _, x := range p {
		if x.ID == "2862" {
			itunes = x
		}
	}
	q, err := k.e.Quote(context.Background(), itunes, nil, money.Zero)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := k.set.Faults(bitaqaty.ID)
	f.Set("no-answer", "on")
	s, _ := k.e.Sell(context.Background(), q, "amal")
	if s.State != sale.InDoubt {
		t.Fatalf("setup: sale is %s", s.State)
	}
	tm := run(t, k.app(t))
	waitFor(t, tm, "not settled yet")
	golden.RequireEqual(t, final(t, tm))
}

func TestHelpOverlay(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Type("?")
	waitFor(t, tm, "Keys on this screen")
	golden.RequireEqual(t, final(t, tm))
}

func TestBrowseByBrand(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Send(key(tea.KeyTab))
	tm.Type("pubg")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "UC 385")
	golden.RequireEqual(t, final(t, tm))
}

func TestHistoryFindsSaleAndShowsItsStates(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	sellFromCatalogue(t, tm, "itunes 50")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "64 of 64 products")
	tm.Send(tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl})
	waitFor(t, tm, "Find:")
	tm.Type("itunes")
	waitFor(t, tm, "Find: itunes")
	waitFor(t, tm, "History of")
	out := final(t, tm)
	for _, want := range []string{"prepared", "sold", "iTunes Gift Card 50 SAR", "1 sale(s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("history screen lacks %q:\n%s", want, out)
		}
	}
}

// TestRecoveredPINIsShown: a pending sale settled at start-up stays on the
// open-sales screen as sold, and opens to its PIN.
func TestRecoveredPINIsShown(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	ps, _, _ := k.e.CachedCatalog(alqimah.ID)
	var pubg providers.Product
	for _, p := range ps {
		if p.ID == "game-pubg_120" {
			pubg = p
		}
	}
	f, _ := k.set.Faults(alqimah.ID)
	f.Set("pending", "1")
	q, err := k.e.Quote(context.Background(), pubg, map[string]string{pubg.Fields[0].Name: "5123456789"}, money.Zero)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := k.e.Sell(context.Background(), q, "amal")
	if s, _ = k.e.Settle(context.Background(), s.Ref); s.State != sale.Pending {
		t.Fatalf("setup: %s", s.State)
	}
	tm := run(t, k.app(t))
	waitFor(t, tm, "Settled just now")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "SOLD")
	out := final(t, tm)
	got, _ := k.e.Sale(s.Ref)
	if got.State != sale.Succeeded || len(got.Vouchers) == 0 || !strings.Contains(out, got.Vouchers[0].PIN) {
		t.Fatalf("recovered sale %s, PIN not on screen:\n%s", got.State, out)
	}
}

func TestFavouriteHotKey(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t, func(s *ui.Settings, _ *ui.Session) { s.Favourites = []string{"", "bitaqaty/2862"} }))
	waitFor(t, tm, "alt+2 iTunes Gift Card 50")
	tm.Send(tea.KeyPressMsg{Code: '2', Mod: tea.ModAlt})
	waitFor(t, tm, "Customer pays")
	out := final(t, tm)
	if !strings.Contains(out, "Confirm") || !strings.Contains(out, "iTunes Gift Card 50 SAR") {
		t.Fatalf("alt+2 did not open the favourite:\n%s", out)
	}
}

func TestLastCustomersAndPresets(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	ps, _, _ := k.e.CachedCatalog(alqimah.ID)
	var ym providers.Product
	for _, p := range ps {
		if p.ID == "topup-yemen_mobile" {
			ym = p
		}
	}
	q, err := k.e.Quote(context.Background(), ym, map[string]string{ym.Fields[0].Name: "771234567"}, money.MustParse("500"))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := k.e.Sell(context.Background(), q, "amal"); err != nil || s.State != sale.Succeeded {
		t.Fatalf("setup sale: %v %v", s, err)
	}
	tm := run(t, k.app(t, func(s *ui.Settings, _ *ui.Session) { s.Presets = map[string][]string{"Yemen Mobile": {"1000", "2000"}} }))
	waitFor(t, tm, "products")
	tm.Type("yemen mobile top-up")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "suggested 1000, 2000")
	tm.Send(tea.KeyPressMsg{Code: 'p', Mod: tea.ModCtrl})
	waitFor(t, tm, "771234567")
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitFor(t, tm, "2000")
	out := final(t, tm)
	if !strings.Contains(out, "771234567") || !strings.Contains(out, "Amount") {
		t.Fatalf("last customer's number or preset not filled in:\n%s", out)
	}
	golden.RequireEqual(t, out)
}

func TestWideCatalogShowsDetails(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t), 120, 40)
	waitFor(t, tm, "products")
	tm.Type("itunes 50")
	waitFor(t, tm, "How to use")
	golden.RequireEqual(t, final(t, tm))
}

func TestEndOfDayCloses(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	ps, _, _ := k.e.CachedCatalog(bitaqaty.ID)
	for _, p := range ps {
		if p.ID == "2862" {
			q, _ := k.e.Quote(context.Background(), p, nil, money.Zero)
			if s, err := k.e.Sell(context.Background(), q, "amal"); err != nil || s.State != sale.Succeeded {
				t.Fatalf("setup sale: %v %v", s, err)
			}
		}
	}
	k.clock.Advance(time.Second) // the day so far holds the sale
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Send(tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl})
	waitFor(t, tm, "NOT CLOSED")
	tm.Type("c")
	waitFor(t, tm, "Count the drawer")
	tm.Type("10")
	tm.Send(key(tea.KeyTab))
	tm.Type("61")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "SAR: exact (expected 61.00, counted 61.00)")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Z-REPORT 1")
	tm.Type("c")
	waitFor(t, tm, "never changed")
	out := final(t, tm)
	if !strings.Contains(out, "Closed by amal") {
		t.Fatalf("Z-report does not say who closed it:\n%s", out)
	}
}

func TestNetworkDetectedAndMismatchFlagged(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t, func(s *ui.Settings, _ *ui.Session) { s.Operators = operators.DefaultTables() }))
	waitFor(t, tm, "products")
	tm.Type("yemen mobile top-up")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Amount")
	tm.Type("711234567")
	tm.Send(key(tea.KeyTab))
	tm.Type("500")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Press enter again")
	if n, _ := k.e.CountSales(); n != 0 {
		t.Fatal("a sale was journaled before the clerk confirmed the network")
	}
	golden.RequireEqual(t, final(t, tm))

	tm = run(t, k.app(t, func(s *ui.Settings, _ *ui.Session) { s.Operators = operators.DefaultTables() }))
	waitFor(t, tm, "products")
	tm.Type("yemen mobile top-up")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Amount")
	tm.Type("711234567")
	tm.Send(key(tea.KeyTab))
	tm.Type("500")
	tm.Send(key(tea.KeyEnter)) // flags the number
	tm.Send(key(tea.KeyEnter)) // the clerk confirms: a ported number
	waitFor(t, tm, "Customer pays")
	if out := final(t, tm); !strings.Contains(out, "711234567") {
		t.Fatalf("confirm screen lacks the number:\n%s", out)
	}
}

func TestArabicCatalog(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t, func(_ *ui.Settings, s *ui.Session) { s.Lang = i18n.AR }))
	waitFor(t, tm, "ريال")
	tm.Type("itunes")
	waitFor(t, tm, "آيتونز 500")
	out := final(t, tm)
	for _, want := range []string{"قائمة المنتجات", "بطاقة آيتونز 50 ريال"} {
		if !strings.Contains(out, want) {
			t.Errorf("Arabic catalogue lacks %q:\n%s", want, out)
		}
	}
	golden.RequireEqual(t, out)
}

// TestArabicSaleWideAppReorders sells at 120×40 in Arabic for a terminal
// that does not reorder right-to-left text: the app puts it in display order.
func TestArabicSaleWideAppReorders(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t, func(set *ui.Settings, s *ui.Session) { s.Lang, set.Bidi = i18n.AR, i18n.AppReorders }), 120, 40)
	waitFor(t, tm, "Bitaqaty")
	tm.Type("itunes 50")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, i18n.VisualDir(i18n.Shape("يدفع العميل"), i18n.LTR))
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "✓")
	waitFor(t, tm, "Bitaqaty 4951.50 SAR")
	out := final(t, tm)
	if !strings.Contains(out, i18n.VisualDir(i18n.Shape("تم البيع"), i18n.LTR)) {
		t.Errorf("no SOLD banner in display order:\n%s", out)
	}
	golden.RequireEqual(t, out)
}

// setPrices gives the engine a price list checked against the cached
// catalogues, as the app does at start-up.
func (k *kiosk) setPrices(t *testing.T, text string) {
	t.Helper()
	rules, err := pricing.Parse("kiosk.toml", text)
	if err != nil {
		t.Fatal(err)
	}
	cats, err := k.e.CachedCatalogs(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	list, err := rules.Check(pricing.Catalogue{Providers: []string{bitaqaty.ID, alqimah.ID, mor.ID}, Products: cats.Products})
	if err != nil {
		t.Fatal(err)
	}
	k.e.SetPrices(list)
}

// The shop's price: 10% over a cost of 495 YER rounded up to 5 rials, and
// a service fee on its own line, in the total the customer pays.
func TestConfirmShowsFeeAndRoundedPrice(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	k.setPrices(t, `
[[prices]]
provider = "alqimah"
brand = "PUBG"
markup_percent = "10"
round = "5"

[[fees]]
provider = "alqimah"
kind = "game"
amount = "100"
currency = "YER"
`)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Type("pubg 60")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Player")
	tm.Type("5123456789")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "Customer pays")
	golden.RequireEqual(t, final(t, tm))
}

// A provider price under the shop's cost is shown in warning colours and
// needs enter twice.
func TestConfirmBelowCostNeedsEnterTwice(t *testing.T) {
	k := newKiosk(t, 2*time.Second)
	tm := run(t, k.app(t))
	waitFor(t, tm, "products")
	tm.Type("itunes 50")
	k.set.Bitaqaty.SetPrice("2862", money.MustParse("45.00")) // below its cost of 48.50
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "BELOW COST")
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "press enter again")
	if n, _ := k.e.CountSales(); n != 0 {
		t.Fatalf("a sale was made on the first enter at a price below cost (%d)", n)
	}
	tm.Send(key(tea.KeyEnter))
	waitFor(t, tm, "SOLD")
	s, err := k.e.Recent(1, time.Time{})
	if err != nil || len(s) != 1 || s[0].Paid().String() != "45.00 SAR" || s[0].Price == nil || s[0].Price.Margin.Amount.Sign() >= 0 {
		t.Fatalf("the sale below cost: %+v, %v", s, err)
	}
}
