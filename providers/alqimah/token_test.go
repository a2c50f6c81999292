package alqimah

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"kiosk/clock"
	"kiosk/providers"
	"kiosk/providers/alqimah/alqimahsim"
)

func TestTokenLife(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation(expiryLayout, s, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	server := at("2024-08-05 18:31:45") // the Date header, in UTC
	tests := []struct {
		name    string
		expires string // token_expires as written
		want    time.Duration
	}{
		{"1 h, server on UTC", "2024-08-05 19:31:45", 15 * time.Minute},
		{"1 h, server on UTC+3 (the seed's example, L104)", "2024-08-05 22:31:45", 15 * time.Minute},
		{"1 h, server on UTC-5", "2024-08-05 14:31:45", 15 * time.Minute},
		{"10 min, server on UTC", "2024-08-05 18:41:45", 10 * time.Minute},
		{"10 min, server on UTC+3", "2024-08-05 21:41:45", 10 * time.Minute},
		{"10 min, server on UTC+5:45", "2024-08-06 00:26:45", 10 * time.Minute},
		{"1 min 30 s, server on UTC-12", "2024-08-05 06:33:15", 90 * time.Second},
		{"24 h, server on UTC+3: at least 13 h", "2024-08-06 21:31:45", 13 * time.Hour},
		{"written 1 s less than 12 h before the server's UTC time", "2024-08-05 06:31:46", time.Second},
		{"written 12 h before: expired in every zone", "2024-08-05 06:31:45", 0},
		{"expired long ago", "2020-01-01 00:00:00", 0},
	}
	for _, tt := range tests {
		if got := tokenLife(at(tt.expires), server); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	// Whatever the zone and the lifetime, the least lifetime is never more
	// than the true one: a token is never used after it expired.
	for off := -12 * time.Hour; off <= 14*time.Hour; off += 15 * time.Minute {
		for _, ttl := range []time.Duration{time.Second, 59 * time.Second, 10 * time.Minute, time.Hour, 25 * time.Hour} {
			wall := server.Add(ttl + off)
			if life := tokenLife(wall, server); life > ttl || life <= 0 {
				t.Fatalf("offset %v, lifetime %v: least lifetime %v", off, ttl, life)
			}
		}
	}
}

// TestOneSignInPerSale: against a server on UTC and on UTC+3, one sign-in
// serves a whole sale (catalogue, quote with its subscriber queries,
// purchase, status); before, the UTC server's one-hour token looked expired
// at once and the kiosk signed in before every call.
func TestOneSignInPerSale(t *testing.T) {
	for _, zone := range []*time.Location{time.UTC, time.FixedZone("+03", 3*3600)} {
		t.Run(zone.String(), func(t *testing.T) {
			r := newRig(t, inZone(zone))
			q := r.quote("topup-yemen_mobile", mobile("771234567"), "500")
			res, err := r.buy("1201000010000001", q)
			if err != nil || res.State != providers.Succeeded {
				t.Fatalf("%+v %v", res, err)
			}
			if st, err := r.status("1201000010000001", q.Product); err != nil || st.State != providers.Succeeded {
				t.Fatalf("%+v %v", st, err)
			}
			logins, api := r.gate.counts()
			if logins != 1 || r.sim.Logins() != 1 || api != 5 { // 0/4, 1/101, 1/102, 1/103, 0/2
				t.Fatalf("logins %d, requests %d", logins, api)
			}
			// Ten minutes on, the next sale still uses the token.
			r.clk.Advance(10 * time.Minute)
			if _, err := r.buy("1201000010000002", q); err != nil {
				t.Fatal(err)
			}
			if logins, _ := r.gate.counts(); logins != 1 {
				t.Fatalf("logins %d", logins)
			}
		})
	}
}

// TestRenewedByTheServersClock: the token is renewed before it expires by
// the server's clock, so no request is sent with an expired token.
func TestRenewedByTheServersClock(t *testing.T) {
	for _, zone := range []*time.Location{time.UTC, time.FixedZone("+03", 3*3600)} {
		t.Run(zone.String(), func(t *testing.T) {
			r := newRig(t, inZone(zone))
			r.sim.TokenTTL = 10 * time.Minute
			if _, err := r.c.Balance(r.ctx()); err != nil {
				t.Fatal(err)
			}
			r.clk.Advance(9 * time.Minute)
			if _, err := r.c.Balance(r.ctx()); err != nil {
				t.Fatal(err)
			}
			if logins, api := r.gate.counts(); logins != 1 || api != 2 {
				t.Fatalf("logins %d, requests %d", logins, api)
			}
			// 28 s before the server's expiry: signed in again first, and
			// the purchase goes once, with the new token.
			r.clk.Advance(32 * time.Second)
			q := providers.Quote{Product: r.c.topUp(YemenMobile), Fields: mobile("771234567"), Extra: map[string]string{xAmount: "500"}}
			if res, err := r.buy("1301000010000001", q); err != nil || res.State != providers.Succeeded {
				t.Fatalf("%+v %v", res, err)
			}
			if logins, api := r.gate.counts(); logins != 2 || api != 3 {
				t.Fatalf("logins %d, requests %d", logins, api)
			}
		})
	}
}

// TestServerClockAhead: the kiosk's clock stands still while the server's
// runs on; the Date header of the last answer says the token is nearly
// over, and the next request signs in first.
func TestServerClockAhead(t *testing.T) {
	server := clock.NewFake(clock.Start)
	r := newRig(t, func(o *rigOptions) { o.sim = func(so *alqimahsim.Options) { so.Now = server.Now } })
	r.sim.TokenTTL = 10 * time.Minute
	if _, err := r.c.Balance(r.ctx()); err != nil {
		t.Fatal(err)
	}
	server.Advance(9*time.Minute + 40*time.Second)
	if _, err := r.c.Balance(r.ctx()); err != nil { // still valid; its Date says 20 s left
		t.Fatal(err)
	}
	if _, err := r.c.Balance(r.ctx()); err != nil {
		t.Fatal(err)
	}
	if logins, api := r.gate.counts(); logins != 2 || api != 3 {
		t.Fatalf("logins %d, requests %d: want a sign-in before the third, and no refused request", logins, api)
	}
}

// TestRefusedToken: a token the server refuses before its time (a restart
// of the platform). A read signs in again and is sent once more; a
// purchase is never sent twice: it is refused, nothing charged, and the
// next sale signs in.
func TestRefusedToken(t *testing.T) {
	r := newRig(t)
	q := r.quote("topup-yemen_mobile", mobile("771234567"), "500")
	r.sim.RevokeTokens()
	if _, err := r.c.Balance(r.ctx()); err != nil {
		t.Fatal(err)
	}
	logins, api := r.gate.counts()
	if logins != 2 {
		t.Fatalf("logins %d", logins)
	}

	r.sim.RevokeTokens()
	_, err := r.buy("7001000010000001", q)
	pe := wantErr(t, err, true, string(kindAuth))
	if r.sim.Charged("7001000010000001") != 0 || !strings.Contains(pe.Message, "nothing was sold") {
		t.Fatalf("%v", err)
	}
	if l, a := r.gate.counts(); l != 2 || a != api+1 {
		t.Fatalf("logins %d, requests %d: the purchase was sent again", l, a-api)
	}
	res, err := r.buy("7001000010000002", q)
	if err != nil || res.State != providers.Succeeded {
		t.Fatalf("%+v %v", res, err)
	}
	if l, _ := r.gate.counts(); l != 3 {
		t.Fatalf("logins %d", l)
	}

	// Refused twice: the read gives up after one more sign-in.
	r.gate.set(func(rec record) (int, string, string, bool) {
		return 200, "application/json", `{"status": false, "message": "` + simBadToken + `"}`, rec.Path == apiPath
	})
	_, before := r.gate.counts()
	if _, err := r.c.Balance(r.ctx()); err == nil || !strings.Contains(providers.ClerkMessage(err), "session token") {
		t.Fatalf("%v", err)
	}
	if l, a := r.gate.counts(); l != 4 || a != before+2 {
		t.Fatalf("logins %d, requests %d", l, a-before)
	}
}

// TestNoDateHeader: without the server's Date the kiosk's clock stands in.
func TestNoDateHeader(t *testing.T) {
	r := newRig(t, inZone(time.FixedZone("+03", 3*3600)))
	inner := r.gate.sim
	r.gate.sim = http.HandlerFunc(func(w http.ResponseWriter, q *http.Request) {
		inner.ServeHTTP(noDate{w}, q)
	})
	for range 3 {
		if _, err := r.c.Balance(r.ctx()); err != nil {
			t.Fatal(err)
		}
	}
	if logins, _ := r.gate.counts(); logins != 1 {
		t.Fatalf("logins %d", logins)
	}
}

// noDate drops the Date header of an answer.
type noDate struct{ http.ResponseWriter }

func (w noDate) WriteHeader(code int) {
	w.Header()["Date"] = nil
	w.ResponseWriter.WriteHeader(code)
}

func (w noDate) Write(b []byte) (int, error) {
	w.Header()["Date"] = nil
	return w.ResponseWriter.Write(b)
}
