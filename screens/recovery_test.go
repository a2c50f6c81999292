package screens_test

import (
	"reflect"
	"testing"

	"kiosk/providers"
	"kiosk/sale"
	"kiosk/screens"
	"kiosk/ui"
)

const reviewRef = "0010000010000008"

func reviewSale(alarm string) *sale.Sale {
	return &sale.Sale{Ref: reviewRef, Provider: "bitaqaty", Product: itunes50, State: sale.NeedsReview, Alarm: alarm,
		Message: "no answer after 10 look-ups", Quote: providers.Quote{Product: itunes50, Retail: sar("51.00")}}
}

// afterRestore is a sale a restored journal knows only from the support log.
func afterRestore() *sale.Sale {
	s := reviewSale("")
	s.State, s.Message = sale.InDoubt, sale.AfterRestoreMessage
	return s
}

// openRecovery opens the open-sales screen over the sales the core still
// has open and those it settled on the way.
func openRecovery(t *testing.T, still, settled []*sale.Sale, opts ...func(*setup)) *harness {
	h := newHarness(t, opts...)
	h.sales.recoverAll = func() ([]*sale.Sale, []*sale.Sale, error) { return still, settled, nil }
	h.open(screens.NewRecovery(h.c))
	return h
}

func TestRecoveryLists(t *testing.T) {
	tests := []struct {
		name    string
		still   []*sale.Sale
		settled []*sale.Sale
		want    []string
	}{
		{"nothing open", nil, nil, []string{"No open sales: every sale is settled."}},
		{"one in review", []*sale.Sale{reviewSale("")}, nil,
			[]string{"1 sale not settled yet. Never sell it again.", reviewRef, "review", "51.00 SAR"}},
		{"settled meanwhile stay listed", nil, []*sale.Sale{soldSale(0)},
			[]string{"No open sales", "Settled just now (enter shows the PIN, p prints):", ref, "sold"}},
		{"an alarm is shown with its reason", []*sale.Sale{reviewSale("duplicate reference")}, nil,
			[]string{"ALARM", "no answer after 10 look-ups"}},
		{"a sale known only from the log after a restore", []*sale.Sale{afterRestore()}, nil,
			[]string{"ASK", "After restore: ask provider.", "Do not sell it again."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := openRecovery(t, tt.still, tt.settled)
			h.wantView(tt.want...)
		})
	}
}

// TestRecoveryOpensASale: enter shows the sale (a recovered PIN); coming
// back asks the providers again.
func TestRecoveryOpensASale(t *testing.T) {
	asked := 0
	h := newHarness(t)
	h.sales.recoverAll = func() ([]*sale.Sale, []*sale.Sale, error) {
		asked++
		return nil, []*sale.Sale{soldSale(0)}, nil
	}
	h.open(screens.NewRecovery(h.c))
	h.press("enter")
	if h.top().Title() != "Sale "+ref {
		t.Fatalf("%q on top", h.top().Title())
	}
	h.wantView("9999-8888-7777")
	h.run(ui.Pop())
	if asked != 2 {
		t.Errorf("asked the providers %d times, want 2 (on opening and on coming back)", asked)
	}
}

// TestRecoveryDecides: a sale in review is marked sold (with the PIN from
// the provider's portal) or not sold by a supervisor, with a reason.
func TestRecoveryDecides(t *testing.T) {
	clerk := signedIn("amal", sale.RoleClerk)
	super := signedIn("sara", sale.RoleSupervisor)
	tests := []struct {
		name       string
		opts       []func(*setup)
		sale       *sale.Sale
		key        string
		pin        string   // the supervisor's PIN when one is asked for
		typed      []string // reason, PIN, serial
		want       []decideCall
		wantStatus string
		wantErr    bool
		wantAudit  []string
	}{
		{"sold, with the portal's PIN", []func(*setup){super}, reviewSale(""), "s", "", []string{"portal shows it sold", "4444", "S9"},
			[]decideCall{{reviewRef, true, []providers.Voucher{{PIN: "4444", Serial: "S9"}}, "portal shows it sold", "sara"}},
			"Sale " + reviewRef + " succeeded by sara", false, nil},
		{"not sold", []func(*setup){super}, reviewSale("duplicate reference"), "x", "", []string{"not on the portal"},
			[]decideCall{{reviewRef, false, nil, "not on the portal", "sara"}}, "Sale " + reviewRef + " failed by sara", false, nil},
		{"no reason: nothing recorded", []func(*setup){super}, reviewSale(""), "x", "", []string{"  "}, nil, "", false, nil},
		{"a clerk: a supervisor authorises", []func(*setup){clerk}, reviewSale(""), "x", "1234", []string{"not on the portal"},
			[]decideCall{{reviewRef, false, nil, "not on the portal", "sara"}}, "Sale " + reviewRef + " failed by sara", false,
			[]string{"mark sale " + reviewRef + " not sold"}},
		{"no clerks set up: no supervisor", nil, reviewSale(""), "s", "", nil, nil,
			"No supervisor is set up: add one with kiosk users add NAME --role supervisor", true, nil},
		{"a sale that is not in review", []func(*setup){super}, pendingSale(), "s", "", nil, nil,
			"Only sales in review are decided by hand; the others are settled by their provider.", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := openRecovery(t, []*sale.Sale{tt.sale}, nil, tt.opts...)
			h.users.users = []sale.User{{Name: "sara", Role: sale.RoleSupervisor}}
			h.users.pins = map[string]string{"sara": "1234"}
			h.press(tt.key)
			if tt.pin != "" {
				h.typeText("sara")
				h.press("enter")
				h.typeText(tt.pin)
				h.press("enter")
			}
			for i, s := range tt.typed {
				if i > 0 {
					h.press("tab")
				}
				h.typeText(s)
			}
			if tt.typed != nil {
				h.press("enter")
			}
			if !reflect.DeepEqual(h.sales.decided, tt.want) {
				t.Errorf("decided %+v, want %+v", h.sales.decided, tt.want)
			}
			if !reflect.DeepEqual(h.users.authorised, tt.wantAudit) {
				t.Errorf("authorised %q, want %q", h.users.authorised, tt.wantAudit)
			}
			switch {
			case tt.wantStatus != "":
				h.wantStatus(tt.wantStatus, tt.wantErr)
			case tt.typed != nil:
				h.wantView("write the reason (what the provider's portal shows)")
			}
			if tt.want != nil && h.top().Title() != "Open sales" {
				t.Errorf("%q on top after the decision", h.top().Title())
			}
		})
	}
}

func TestDecideWarns(t *testing.T) {
	for _, sold := range []bool{true, false} {
		h := newHarness(t)
		h.open(screens.NewDecide(h.c, reviewSale(""), sold, "sara"))
		want := "Mark NOT SOLD only if the provider's portal shows no sale under this reference."
		if sold {
			want = "Mark SOLD only if the provider's portal shows this reference as sold."
		}
		h.wantView(want, "Supervisor", "sara", "State", "review", "no answer after 10 look-ups")
	}
}
