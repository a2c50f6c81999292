package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kiosk/clock"
	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
)

// page is a screen that records what it is given.
type page struct {
	title string
	busy  bool
	lock  bool
	got   []tea.Msg
}

func (p *page) Init() tea.Cmd              { return nil }
func (p *page) Update(msg tea.Msg) tea.Cmd { p.got = append(p.got, msg); return nil }
func (p *page) View() string               { return p.title + " body" }
func (p *page) Title() string              { return p.title }
func (p *page) Keys() help.KeyMap          { return keyList{} }
func (p *page) Busy() bool                 { return p.busy }
func (p *page) Locks() bool                { return p.lock }

// sales is the part of the core the root calls: balances and the
// background round.
type sales struct {
	Sales    // the rest is never called by the root
	rounds   int
	balances map[string][]money.Money
	err      error
	settled  int
}

func (s *sales) ProviderInfos() []providers.Info {
	return []providers.Info{{ID: "bitaqaty", Name: "Bitaqaty Business"}, {ID: "dtone", Name: "DT One Goods & Services", Note: "simulation"}}
}

func (s *sales) RecoverDue(context.Context) (still, settled []*sale.Sale, err error) {
	s.rounds++
	return make([]*sale.Sale, 2), make([]*sale.Sale, s.settled), nil
}

func (s *sales) Balances(context.Context) (map[string][]money.Money, error) { return s.balances, s.err }

// rig is a root over fake sales, on a fixed clock, with timers the test
// fires.
type rig struct {
	app    *App
	c      *Common
	sales  *sales
	clock  *clock.Fake
	timers []tea.Msg
	home   *page
}

func newRig(t *testing.T, set Settings, signIn func() Screen) *rig {
	t.Helper()
	r := &rig{sales: &sales{}, clock: clock.NewFake(clock.Start), home: &page{title: "Home"}}
	set.Terminal = "T001"
	r.c = NewCommon(Parts{Services: Services{Sales: r.sales}, Settings: set, Session: Session{Clerk: "amal"}, Now: r.clock.Now,
		After: func(d time.Duration, msg tea.Msg) tea.Cmd { r.timers = append(r.timers, msg); return nil }})
	r.app = NewApp(r.c, r.home, signIn)
	r.app.Init()
	r.app.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	return r
}

func (r *rig) send(msg tea.Msg) tea.Cmd {
	_, cmd := r.app.Update(msg)
	return cmd
}

// pending counts the timers set for msg's type.
func (r *rig) pending(msg tea.Msg) int {
	n := 0
	for _, m := range r.timers {
		if m == msg {
			n++
		}
	}
	return n
}

func (r *rig) view() string { return ansi.Strip(r.app.View().Content) }

// TestBackgroundRoundSetsTheNextTickWhenItEnds: the next round is set when
// a round ends, never while it runs, so a provider that never answers
// holds one round and no more pile up behind it.
func TestBackgroundRoundSetsTheNextTickWhenItEnds(t *testing.T) {
	r := newRig(t, Settings{}, nil)
	if r.pending(settleTickMsg{}) != 1 {
		t.Fatalf("%d rounds set at start, want 1", r.pending(settleTickMsg{}))
	}
	r.timers = nil
	round := r.send(settleTickMsg{})
	if round == nil || r.pending(settleTickMsg{}) != 0 {
		t.Fatalf("a round started with the next one already set (%d)", r.pending(settleTickMsg{}))
	}
	if more := r.send(settleTickMsg{}); more != nil {
		t.Fatal("a second round started while the first runs")
	}
	done := round()
	if r.sales.rounds != 1 {
		t.Fatalf("%d rounds ran, want 1", r.sales.rounds)
	}
	r.send(done)
	if r.pending(settleTickMsg{}) != 1 {
		t.Fatalf("%d rounds set after the round ended, want 1", r.pending(settleTickMsg{}))
	}
	if v := r.view(); !strings.Contains(v, "T001 · 2 OPEN") {
		t.Errorf("status bar lacks the open sales:\n%s", v)
	}
	r.send(settleTickMsg{})()
	if r.sales.rounds != 2 {
		t.Errorf("the next round did not run (%d)", r.sales.rounds)
	}
}

func TestBackgroundRoundSaysWhatSettled(t *testing.T) {
	r := newRig(t, Settings{}, nil)
	r.sales.settled = 3
	r.send(r.send(settleTickMsg{})())
	if v := r.view(); !strings.Contains(v, "3 open sale(s) settled in the background") {
		t.Errorf("no word of the settled sales:\n%s", v)
	}
}

// TestSignedInStartsTheSession: the session changes on SignedInMsg only,
// in the clerk's own language, and the lock screen goes.
func TestSignedInStartsTheSession(t *testing.T) {
	lock := &page{title: "Sign in", lock: true}
	r := newRig(t, Settings{SignIn: true, Language: i18n.EN}, func() Screen { return lock })
	if r.app.top() != lock {
		t.Fatal("nobody signed in, and the sign-in screen is not on top")
	}
	r.send(SignedInMsg{User: &sale.User{Name: "huda", Role: sale.RoleClerk, Lang: "ar"}})
	s := r.c.Session()
	if s.Clerk != "huda" || s.Lang != i18n.AR || s.User == nil || s.Supervisor() {
		t.Fatalf("session %+v", s)
	}
	if r.app.top() != r.home {
		t.Error("the sign-in screen stayed")
	}
	if got := r.c.KeyMap().Back.Help().Desc; got != i18n.T(i18n.AR, "key.back") {
		t.Errorf("keys in %q after an Arabic clerk signed in", got)
	}
	if v := r.view(); !strings.Contains(v, "huda") || !strings.Contains(v, i18n.T(i18n.AR, "role.clerk")) {
		t.Errorf("status bar:\n%s", v)
	}
	s.User.Name = "changed"
	if r.c.Session().User.Name != "huda" {
		t.Error("a screen's copy of the session changed the session")
	}
}

func TestLocking(t *testing.T) {
	tests := []struct {
		name     string
		idle     time.Duration
		wait     time.Duration
		ctrlL    bool
		busy     bool
		wantLock bool
	}{
		{"ctrl+l locks", 0, 0, true, false, true},
		{"not while a sale is sent", 0, 0, true, true, false},
		{"idle for the idle lock", time.Minute, time.Minute, false, false, true},
		{"not idle long enough", time.Minute, 30 * time.Second, false, false, false},
		{"no idle lock set", 0, time.Hour, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lock := &page{title: "Sign in", lock: true}
			r := newRig(t, Settings{SignIn: true, IdleLock: tt.idle}, func() Screen { return lock })
			r.send(SignedInMsg{User: &sale.User{Name: "amal", Role: sale.RoleClerk}})
			r.home.busy = tt.busy
			r.send(tea.KeyPressMsg{Code: 'x', Text: "x"}) // a key press: the clerk is there
			r.clock.Advance(tt.wait)
			if tt.ctrlL {
				r.send(tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl})
			} else {
				r.send(idleTickMsg{})
			}
			if locked := r.app.top() == lock; locked != tt.wantLock {
				t.Fatalf("locked = %v, want %v", locked, tt.wantLock)
			}
			if tt.wantLock {
				r.send(tea.KeyPressMsg{Code: tea.KeyEscape})
				if r.app.top() != lock {
					t.Error("esc left the lock screen")
				}
			}
		})
	}
}

func TestBusyScreenIsNotLeft(t *testing.T) {
	r := newRig(t, Settings{}, nil)
	confirm := &page{title: "Confirm", busy: true}
	r.send(PushMsg{confirm})
	for _, k := range []tea.KeyPressMsg{{Code: 'c', Mod: tea.ModCtrl}, {Code: tea.KeyEscape}} {
		if cmd := r.send(k); cmd != nil {
			t.Errorf("%s: a command while a sale is sent", k)
		}
		if r.app.top() != confirm {
			t.Fatalf("%s left a busy screen", k)
		}
	}
	if v := r.view(); !strings.Contains(v, "A sale is being sent") {
		t.Errorf("no word of the sale being sent:\n%s", v)
	}
}

func TestBalances(t *testing.T) {
	tests := []struct {
		name       string
		low        map[string]money.Decimal
		err        error
		wantBar    string
		wantStatus string
	}{
		{"balances", nil, nil, "Bitaqaty 40.00 SAR", ""},
		{"under the threshold", map[string]money.Decimal{"bitaqaty": money.MustParse("50")}, nil, "Bitaqaty 40.00 SAR LOW",
			"Balance: Bitaqaty balance 40.00 SAR is below 50: top up the account"},
		{"a provider's error in its words", nil, &providers.Error{Provider: "Bitaqaty", Message: "invalid key", Code: "401"}, "",
			"Balance: Bitaqaty: invalid key (401)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Settings{LowBalance: tt.low}, nil)
			r.sales.balances, r.sales.err = map[string][]money.Money{"bitaqaty": {money.New(money.MustParse("40.00"), "SAR")}}, tt.err
			r.send(r.app.fetchBalances()())
			v := r.view()
			if !strings.Contains(r.app.balances, tt.wantBar) || !strings.Contains(v, tt.wantStatus) {
				t.Errorf("balances %q, want %q; status bar lacks %q:\n%s", r.app.balances, tt.wantBar, tt.wantStatus, v)
			}
			if !strings.Contains(v, "DT One SIMULATION") {
				t.Errorf("the provider's mode is not shown:\n%s", v)
			}
		})
	}
}

// TestHelpIsBuiltFromTheKeys: ? shows the screen's keys and the shared
// ones; any key closes it.
func TestHelpIsBuiltFromTheKeys(t *testing.T) {
	r := newRig(t, Settings{}, nil)
	r.send(PushMsg{&page{title: "Second"}})
	r.send(tea.KeyPressMsg{Code: '?', Text: "?"})
	if v := r.view(); !strings.Contains(v, "Keys on this screen") || !strings.Contains(v, "ctrl+c quit") {
		t.Fatalf("help overlay:\n%s", v)
	}
	r.send(tea.KeyPressMsg{Code: tea.KeyEscape})
	if v := r.view(); strings.Contains(v, "Keys on this screen") || r.app.top().Title() != "Second" {
		t.Errorf("esc did not just close the help:\n%s", v)
	}
}

// the interfaces are the real parts' methods.
var (
	_ Sales = (*sale.Engine)(nil)
	_ Users = (*sale.Engine)(nil)
	_ Books = (*eod.Books)(nil)
)

// guard is the supervisor prompt quitting goes through.
type guard struct{ page }

func (g *guard) GuardsQuit() bool { return true }

// printer is a screen that waits for a receipt to print.
type printer struct {
	page
	printing bool
}

func (p *printer) Waiting() string {
	if p.printing {
		return "A receipt is printing"
	}
	return ""
}

// quits runs cmd (and the commands it batches) and reports whether one of
// them quits the program.
func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.QuitMsg:
		return true
	case tea.BatchMsg:
		for _, c := range msg {
			if quits(c) {
				return true
			}
		}
	}
	return false
}

var ctrlC = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}

// Once clerks are set up, ctrl+c anywhere — the lock screen included —
// opens the supervisor prompt instead of quitting, and a second ctrl+c
// does not stack another; without clerks it quits; a printing receipt or
// a sale being sent holds it, with the reason shown.
func TestQuitNeedsASupervisorOnceClerksExist(t *testing.T) {
	lock := &page{title: "Sign in", lock: true}
	r := newRig(t, Settings{SignIn: true}, func() Screen { return lock })
	g := &guard{page{title: "Supervisor"}}
	r.app.SetQuitGuard(func() Screen { return g })
	for _, k := range []tea.KeyPressMsg{ctrlC, {Code: 'z', Mod: tea.ModCtrl}, {Code: '\\', Mod: tea.ModCtrl}} {
		if quits(r.send(k)) {
			t.Fatalf("%s on the lock screen quit", k)
		}
	}
	if r.app.top() != g || r.app.stack[len(r.app.stack)-2] != lock {
		t.Fatalf("ctrl+c on the lock screen did not ask a supervisor above it: top %T", r.app.top())
	}
	r.send(ctrlC)
	if n := len(r.app.stack); r.app.stack[n-2] == g {
		t.Fatal("a second ctrl+c stacked a second prompt")
	}
	r.send(tea.KeyPressMsg{Code: tea.KeyEscape})
	if r.app.top() != lock {
		t.Fatalf("esc on the prompt did not go back to the lock screen: %T", r.app.top())
	}

	open := newRig(t, Settings{}, nil)
	if !quits(open.send(ctrlC)) {
		t.Fatal("a kiosk without clerks did not quit on ctrl+c")
	}
	p := &printer{page: page{title: "Result"}, printing: true}
	open.send(PushMsg{p})
	if quits(open.send(ctrlC)) || !strings.Contains(open.view(), "A receipt is printing") {
		t.Fatalf("quit while a receipt printed:\n%s", open.view())
	}
}

// A stop from outside (SIGTERM) waits for the sale being sent, says so,
// and stops as soon as it is answered; with nothing waiting it stops at
// once, without a supervisor.
func TestStopWaitsForTheSaleInFlight(t *testing.T) {
	r := newRig(t, Settings{SignIn: true}, func() Screen { return &page{title: "Sign in", lock: true} })
	r.app.SetQuitGuard(func() Screen { return &guard{} })
	confirm := &page{title: "Confirm", busy: true}
	r.send(SignedInMsg{User: &sale.User{Name: "amal", Role: sale.RoleClerk}})
	r.send(PushMsg{confirm})
	if quits(r.send(StopMsg{Reason: "terminated"})) {
		t.Fatal("stopped while a sale was being sent")
	}
	if v := r.view(); !strings.Contains(v, "Stopping once this is done") {
		t.Errorf("no word of the stop:\n%s", v)
	}
	if quits(r.send(BalancesMsg{})) {
		t.Fatal("stopped before the sale was answered")
	}
	confirm.busy = false // the answer came
	if !quits(r.send(PopMsg{})) {
		t.Fatal("did not stop once the sale was answered")
	}

	idle := newRig(t, Settings{SignIn: true}, func() Screen { return &page{title: "Sign in", lock: true} })
	idle.app.SetQuitGuard(func() Screen { return &guard{} })
	if !quits(idle.send(StopMsg{Reason: "terminated"})) {
		t.Fatal("an idle kiosk did not stop at once")
	}
}

type office struct {
	backlog int
	wakes   int
}

func (o *office) Backlog() (int, error) { return o.backlog, nil }
func (o *office) Wake()                 { o.wakes++ }

// run runs cmd and hands what it answers to the root, one level of
// batching deep (the idle tick's timer and the backlog's read).
func (r *rig) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			if c != nil {
				r.send(c())
			}
		}
	default:
		r.send(msg)
	}
}

// The status bar says when head office has been waiting too long, and a
// sale wakes the shipper.
func TestHeadOfficeBacklogOnTheStatusBar(t *testing.T) {
	r := newRig(t, Settings{}, nil)
	o := &office{}
	r.c.svc.HeadOffice = o
	r.run(r.send(idleTickMsg{}))
	if strings.Contains(r.view(), "head office") {
		t.Fatalf("a backlog of none is shown:\n%s", r.view())
	}
	o.backlog = 3
	r.run(r.send(idleTickMsg{}))
	if !strings.Contains(r.view(), "head office: 3 to send") {
		t.Fatalf("no backlog on the status bar:\n%s", r.view())
	}
	r.send(RefreshBalanceMsg{}) // after every sale
	if o.wakes != 1 {
		t.Fatalf("%d wakes after a sale", o.wakes)
	}
}
