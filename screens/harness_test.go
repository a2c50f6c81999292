package screens_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/clock"
	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
	"kiosk/ui"
)

// The screens' unit tests run each screen's Update against fakes of the
// services (no HTTP, no bbolt), on a fixed clock, with timers the test
// fires itself. A small stack stands in for the root: it opens and closes
// screens as the root does and gives every other message to all of them.

// harness runs screens against fake services.
type harness struct {
	t       *testing.T
	c       *ui.Common
	sales   *fakeSales
	books   *fakeBooks
	users   *fakeUsers
	printer *fakePrinter
	clock   *clock.Fake
	stack   []ui.Screen
	timers  []timer
	out     []tea.Msg // what the screens told the root: status, navigation, balances, sign-in
}

type timer struct {
	d   time.Duration
	msg tea.Msg
}

// setup changes what the harness starts with.
type setup struct {
	settings ui.Settings
	session  ui.Session
	noBooks  bool
	noPrint  bool
}

func newHarness(t *testing.T, opts ...func(*setup)) *harness {
	t.Helper()
	h := &harness{t: t, sales: newFakeSales(), books: newFakeBooks(), users: &fakeUsers{},
		printer: &fakePrinter{}, clock: clock.NewFake(clock.Start)}
	st := setup{settings: ui.Settings{Terminal: "T001", CatalogMaxAge: time.Hour, StateDir: t.TempDir()},
		session: ui.Session{Clerk: "amal"}}
	for _, o := range opts {
		o(&st)
	}
	svc := ui.Services{Sales: h.sales, Books: h.books, Users: h.users, Print: h.printer}
	if st.noBooks {
		svc.Books = nil
	}
	if st.noPrint {
		svc.Print = nil
	}
	styles := ui.DefaultStyles()
	styles.CursorBlink = false // a blinking cursor is a real-time timer
	h.c = ui.NewCommon(ui.Parts{Ctx: context.Background(), Services: svc, Settings: st.settings, Session: st.session,
		Now: h.clock.Now, After: h.after, Styles: styles})
	return h
}

// signedIn is a session of a signed-in user on a kiosk with clerks.
func signedIn(name string, role sale.Role) func(*setup) {
	return func(s *setup) {
		s.settings.SignIn = true
		s.session = ui.Session{User: &sale.User{Name: name, Role: role}, Clerk: name}
	}
}

func arabic(s *setup) { s.session.Lang = i18n.AR }

// after records a timer; fire delivers it.
func (h *harness) after(d time.Duration, msg tea.Msg) tea.Cmd {
	h.timers = append(h.timers, timer{d, msg})
	return nil
}

// fire delivers the oldest timer and returns how long it was set for.
func (h *harness) fire() time.Duration {
	h.t.Helper()
	if len(h.timers) == 0 {
		h.t.Fatal("no timer is set")
	}
	tm := h.timers[0]
	h.timers = h.timers[1:]
	h.clock.Advance(tm.d)
	h.broadcast(tm.msg)
	return tm.d
}

// open puts s on the stack and starts it.
func (h *harness) open(s ui.Screen) ui.Screen {
	h.stack = append(h.stack, s)
	h.run(s.Init())
	return s
}

// openLater puts s on the stack and returns its Init command unrun, for a
// test that answers the services' calls out of order.
func (h *harness) openLater(s ui.Screen) tea.Cmd {
	h.stack = append(h.stack, s)
	return s.Init()
}

func (h *harness) top() ui.Screen {
	h.t.Helper()
	if len(h.stack) == 0 {
		h.t.Fatal("no screen is open")
	}
	return h.stack[len(h.stack)-1]
}

// key presses keys on the top screen: names as key.Matches knows them
// ("enter", "ctrl+p", "alt+2"), or runes to type.
func (h *harness) key(keys ...tea.KeyPressMsg) {
	for _, k := range keys {
		h.run(h.top().Update(k))
	}
}

// typeText types s on the top screen, one key a character.
func (h *harness) typeText(s string) {
	for _, r := range s {
		k := tea.KeyPressMsg{Code: r, Text: string(r)}
		if r == ' ' {
			k.Code = tea.KeySpace
		}
		h.key(k)
	}
}

// broadcast gives msg to every open screen and runs what they return.
func (h *harness) broadcast(msg tea.Msg) {
	for _, s := range append([]ui.Screen{}, h.stack...) {
		h.run(s.Update(msg))
	}
}

// run runs cmd and everything it leads to, synchronously: messages for
// the root are kept in out (and navigation applied), the others go back
// to the screens. A spinner's tick is dropped: it only animates.
func (h *harness) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if cmds, ok := asCmds(msg); ok {
			queue = append(queue, cmds...)
			continue
		}
		switch m := msg.(type) {
		case nil, spinner.TickMsg:
		case ui.PushMsg:
			h.out = append(h.out, m)
			h.open(m.Screen)
		case ui.PopMsg:
			h.out = append(h.out, m)
			if len(h.stack) > 1 {
				h.stack = h.stack[:len(h.stack)-1]
				h.run(h.top().Update(ui.PopMsg{}))
			}
		case ui.HomeMsg:
			h.out = append(h.out, m)
			h.stack = h.stack[:1]
			if m.Then != nil {
				h.open(m.Then)
			}
		case ui.StatusMsg, ui.RefreshBalanceMsg, ui.SignedInMsg:
			h.out = append(h.out, m)
		default:
			h.broadcast(msg)
		}
	}
}

// asCmds unpacks tea.Batch and tea.Sequence, which carry their commands
// in a message.
func asCmds(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if msg == nil || v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil, false
	}
	out := make([]tea.Cmd, v.Len())
	for i := range out {
		out[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return out, true
}

// view is the top screen's body as plain text.
func (h *harness) view() string { return ansi.Strip(h.top().View()) }

// wantView fails unless the top screen shows every text.
func (h *harness) wantView(texts ...string) {
	h.t.Helper()
	v := h.view()
	for _, text := range texts {
		if !strings.Contains(v, text) {
			h.t.Errorf("screen lacks %q:\n%s", text, v)
		}
	}
}

// lastStatus is the last status line a screen asked for.
func (h *harness) lastStatus() ui.StatusMsg {
	for i := len(h.out) - 1; i >= 0; i-- {
		if s, ok := h.out[i].(ui.StatusMsg); ok {
			return s
		}
	}
	return ui.StatusMsg{}
}

// wantStatus fails unless the last status has text and is an error or not.
func (h *harness) wantStatus(text string, isErr bool) {
	h.t.Helper()
	s := h.lastStatus()
	if !strings.Contains(s.Text, text) || s.Error != isErr {
		h.t.Errorf("status = %q (error %v), want %q (error %v)", s.Text, s.Error, text, isErr)
	}
}

// count is how many of the root's messages are of msg's type.
func (h *harness) count(msg tea.Msg) int {
	n := 0
	for _, m := range h.out {
		if reflect.TypeOf(m) == reflect.TypeOf(msg) {
			n++
		}
	}
	return n
}

func keyPress(name string) tea.KeyPressMsg {
	switch name {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	if mod, r, ok := strings.Cut(name, "+"); ok && len(r) == 1 {
		m := map[string]tea.KeyMod{"ctrl": tea.ModCtrl, "alt": tea.ModAlt}[mod]
		return tea.KeyPressMsg{Code: rune(r[0]), Mod: m}
	}
	if len(name) == 1 {
		return tea.KeyPressMsg{Code: rune(name[0]), Text: name}
	}
	panic("keyPress: unknown key " + name)
}

// press presses named keys on the top screen.
func (h *harness) press(names ...string) {
	for _, n := range names {
		h.key(keyPress(n))
	}
}

// ---- fakes of the services ----

var errFake = errors.New("provider unreachable")

// fakeSales is the sale core: canned answers, and a record of each call.
type fakeSales struct {
	infos      []providers.Info
	cats       sale.Catalogs
	refresh    map[string][]providers.Product
	refreshErr error
	// refreshFails are the providers whose refresh fails, and how.
	refreshFails map[string]error
	cachedReads  int   // CachedCatalogs calls
	rereadErr    error // what CachedCatalogs says after its first call
	refreshed    []string
	top          []string
	recent       map[string][]string
	suggest      []money.Decimal
	quote        func(p providers.Product, fields map[string]string, amount money.Decimal) (sale.Quote, error)
	quotes       []quoteCall
	sold         []sellCall
	sell         func(q sale.Quote) (*sale.Sale, error)
	settle       func(ref string) (*sale.Sale, error)
	settles      []string
	recoverAll   func() (still, settled []*sale.Sale, err error)
	decided      []decideCall
	history      func(q sale.Query) ([]*sale.Sale, error)
	queries      []sale.Query
}

type quoteCall struct {
	product providers.Product
	fields  map[string]string
	amount  money.Decimal
}

type sellCall struct {
	q     sale.Quote
	clerk string
}

type decideCall struct {
	ref                string
	sold               bool
	vouchers           []providers.Voucher
	reason, supervisor string
}

func newFakeSales() *fakeSales {
	return &fakeSales{
		infos:   []providers.Info{{ID: "bitaqaty", Name: "Bitaqaty Business"}, {ID: "alqimah", Name: "Al-Qimah"}},
		cats:    sale.Catalogs{Fetched: map[string]time.Time{"bitaqaty": clock.Start, "alqimah": clock.Start}},
		refresh: map[string][]providers.Product{},
		recent:  map[string][]string{},
	}
}

func (f *fakeSales) ProviderInfos() []providers.Info { return f.infos }

func (f *fakeSales) CachedCatalogs(time.Duration) (sale.Catalogs, error) {
	f.cachedReads++
	if f.cachedReads > 1 && f.rereadErr != nil {
		return sale.Catalogs{}, f.rereadErr
	}
	return f.cats, nil
}

// RefreshCatalog caches what the test gives as id's fresh catalogue, as
// the engine does: CachedCatalogs has it after.
func (f *fakeSales) RefreshCatalog(_ context.Context, id string) ([]providers.Product, error) {
	f.refreshed = append(f.refreshed, id)
	if err := f.refreshFails[id]; err != nil {
		return nil, err
	}
	if f.refreshErr == nil {
		ids := make([]string, len(f.infos))
		for i, info := range f.infos {
			ids[i] = info.ID
		}
		ps := slices.Clone(f.refresh[id])
		for i := range ps {
			ps[i].Provider = id
		}
		f.cats.Products = f.cats.Products.Replaced(ids, id, ps)
	}
	return f.refresh[id], f.refreshErr
}

func (f *fakeSales) TopProducts(n int) ([]string, error) { return f.top, nil }

func (f *fakeSales) RecentCustomers(brand string, n int) ([]string, error) {
	return f.recent[brand], nil
}

func (f *fakeSales) CatalogPrice(p providers.Product) money.Money { return p.Price }

func (f *fakeSales) Suggestions(context.Context, providers.Product) ([]money.Decimal, error) {
	return f.suggest, nil
}

func (f *fakeSales) Quote(_ context.Context, p providers.Product, fields map[string]string, amount money.Decimal) (sale.Quote, error) {
	f.quotes = append(f.quotes, quoteCall{p, fields, amount})
	if f.quote != nil {
		return f.quote(p, fields, amount)
	}
	return quoteOf(p, fields, amount), nil
}

// quoteOf is the quote of a provider whose price has not changed.
func quoteOf(p providers.Product, fields map[string]string, amount money.Decimal) sale.Quote {
	return sale.Quote{Quote: providers.Quote{Product: p, Fields: fields, Amount: amount, Cost: p.Cost, Retail: p.Price}}
}

func (f *fakeSales) Sell(_ context.Context, q sale.Quote, clerk string) (*sale.Sale, error) {
	f.sold = append(f.sold, sellCall{q, clerk})
	if f.sell != nil {
		return f.sell(q)
	}
	return &sale.Sale{Ref: "0010000010000001", Provider: q.Product.Provider, Product: q.Product, Quote: q.Quote, State: sale.Succeeded,
		Vouchers: []providers.Voucher{{PIN: "1111-2222"}}}, nil
}

func (f *fakeSales) Settle(_ context.Context, ref string) (*sale.Sale, error) {
	f.settles = append(f.settles, ref)
	return f.settle(ref)
}

func (f *fakeSales) RecoverAll(context.Context) (still, settled []*sale.Sale, err error) {
	if f.recoverAll == nil {
		return nil, nil, nil
	}
	return f.recoverAll()
}

func (f *fakeSales) RecoverDue(context.Context) (still, settled []*sale.Sale, err error) {
	return nil, nil, nil
}

func (f *fakeSales) Decide(ref string, sold bool, vouchers []providers.Voucher, reason, supervisor string) (*sale.Sale, error) {
	f.decided = append(f.decided, decideCall{ref, sold, vouchers, reason, supervisor})
	state := sale.Failed
	if sold {
		state = sale.Succeeded
	}
	return &sale.Sale{Ref: ref, State: state}, nil
}

func (f *fakeSales) History(q sale.Query) ([]*sale.Sale, error) {
	f.queries = append(f.queries, q)
	if f.history == nil {
		return nil, nil
	}
	return f.history(q)
}

func (f *fakeSales) Balances(context.Context) (map[string][]money.Money, error) { return nil, nil }

// fakeBooks is the end of day: one report per day, kept in memory.
type fakeBooks struct {
	today     time.Time
	reports   map[string]*eod.Report
	asked     []string // days whose report was asked for
	closed    []closeCall
	settled   []string      // ref/provider/reason/by
	annotated []string      // day/by/text
	prepared  eod.CashCount // the count of the last close prepared
	changed   bool          // the next confirmed close finds the day changed
	xReports  int
}

type closeCall struct {
	day  string
	cash eod.CashCount
	by   string
}

func newFakeBooks() *fakeBooks {
	return &fakeBooks{today: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), reports: map[string]*eod.Report{}}
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func (b *fakeBooks) Today() (time.Time, error) { return b.today, nil }

func (b *fakeBooks) report(d time.Time) *eod.Report {
	r, ok := b.reports[day(d)]
	if !ok {
		r = &eod.Report{Day: day(d), From: d, To: d.AddDate(0, 0, 1), Cash: []eod.CashLine{{Currency: "SAR", Sales: money.MustParse("51.00")}}}
		b.reports[day(d)] = r
	}
	return r
}

func (b *fakeBooks) Report(_ context.Context, d time.Time, _ eod.CashCount) (*eod.Report, error) {
	b.asked = append(b.asked, day(d))
	r := *b.report(d) // as read now: a later close does not change it
	return &r, nil
}

func (b *fakeBooks) XReport(_ context.Context, cash eod.CashCount) (*eod.Report, error) {
	b.xReports++
	r := *b.report(b.today)
	r.X = true
	return &r, nil
}

// PrepareClose is the day's report with the count: 51.00 SAR expected.
func (b *fakeBooks) PrepareClose(_ context.Context, d time.Time, cash eod.CashCount) (*eod.Report, error) {
	b.prepared = cash
	r := *b.report(d)
	r.Cash = []eod.CashLine{{Currency: "SAR", Sales: money.MustParse("51.00"), Expected: money.MustParse("51.00")}}
	if len(cash.Counted) > 0 {
		counted := cash.Counted[0].Amount
		if len(cash.Float) > 0 {
			r.Cash[0].Float, r.Cash[0].Expected = cash.Float[0].Amount, cash.Float[0].Amount.Add(money.MustParse("51.00"))
		}
		diff := counted.Sub(r.Cash[0].Expected)
		r.Cash[0].Counted, r.Cash[0].Difference = &counted, &diff
	}
	return &r, nil
}

func (b *fakeBooks) CloseConfirmed(prepared *eod.Report, by string) (*eod.Report, error) {
	if b.changed {
		b.changed = false
		return nil, fmt.Errorf("close %s: %w", prepared.Day, eod.ErrChanged)
	}
	b.closed = append(b.closed, closeCall{prepared.Day, b.prepared, by})
	r := b.reports[prepared.Day]
	r.Number, r.ClosedBy = uint64(len(b.closed)), by
	return r, nil
}

func (b *fakeBooks) Settle(r *eod.Report, ref, provider, reason, by string) (*eod.Mismatch, error) {
	b.settled = append(b.settled, strings.Join([]string{ref, provider, reason, by}, "/"))
	return &eod.Mismatch{Ref: ref, Provider: provider}, nil
}

func (b *fakeBooks) Annotate(d time.Time, by, text string) (eod.ZNote, error) {
	b.annotated = append(b.annotated, strings.Join([]string{day(d), by, text}, "/"))
	return eod.ZNote{}, nil
}

// fakeUsers knows one PIN per name.
type fakeUsers struct {
	users      []sale.User
	pins       map[string]string
	signIns    []string
	authorised []string // purposes
	// refuse, when set, is the core's answer to every try (a wait after
	// wrong PINs, a locked user), as sale.Engine counts them in the journal.
	refuse error
}

func (f *fakeUsers) check(name, pin string) (sale.User, error) {
	if f.refuse != nil {
		return sale.User{}, f.refuse
	}
	for _, u := range f.users {
		if u.Name == name && f.pins[name] == pin {
			return u, nil
		}
	}
	return sale.User{}, sale.ErrBadSignIn
}

func (f *fakeUsers) SignIn(name, pin string) (sale.User, error) {
	f.signIns = append(f.signIns, name)
	return f.check(name, pin)
}

func (f *fakeUsers) Authorise(name, pin, purpose string) (sale.User, error) {
	f.authorised = append(f.authorised, purpose)
	return f.check(name, pin)
}

// fakePrinter records what it printed; sale is the journal's copy of the
// sale it prints, counted as the core counts prints.
type fakePrinter struct {
	err     error
	sale    *sale.Sale
	sales   []printCall
	reports []string // day/by
	shown   string   // the receipt text when "no printer" shows it instead
}

type printCall struct {
	ref, by string
	lang    i18n.Lang
}

func (p *fakePrinter) PrintSale(_ context.Context, ref, by string, lang i18n.Lang) (*sale.Sale, string, error) {
	if p.err != nil {
		return nil, "", p.err
	}
	p.sales = append(p.sales, printCall{ref, by, lang})
	if p.sale == nil {
		return nil, p.shown, nil
	}
	p.sale.Prints++
	s := *p.sale
	return &s, p.shown, nil
}

func (p *fakePrinter) PrintReport(_ context.Context, r *eod.Report, by string, _ i18n.Lang) (bool, error) {
	if p.err != nil {
		return false, p.err
	}
	p.reports = append(p.reports, r.Day+"/"+by)
	return true, nil
}
