package bitaqatysim

import (
	"context"
	"net/http"
	"testing"
	"time"

	"kiosk/providers/sandboxkit"
)

func buyBody(product, ref string) map[string]any {
	return signed([]string{product, ref}, "productID", product, "resellerRefNumber", ref)
}

func topupBody(ref string) map[string]any {
	return signed([]string{ref}, "resellerRefNumber", ref, "productId", "333", "inputParameters", map[string]any{"mobileNumber": "0551234567", "amount": "20"})
}

// held sends a purchase that a fault holds, waits for the stage the hook
// reports, then abandons the request the way a client timeout would.
func held(t *testing.T, e *env, path string, body map[string]any, stage string) error {
	t.Helper()
	reached := make(chan struct{}, 1)
	e.s.Faults.OnStage(func(st, ref string) {
		if st == stage {
			select {
			case reached <- struct{}{}:
			default:
			}
		}
	})
	defer e.s.Faults.OnStage(nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := e.do(ctx, http.MethodPost, path, body)
		done <- err
	}()
	select {
	case <-reached:
	case err := <-done:
		cancel()
		t.Fatalf("answered before the %s stage: %v", stage, err)
	}
	cancel()
	return <-done
}

func TestFaults(t *testing.T) {
	const buy = "/integration/purchase-product"
	const pay = "/integration/service-bill-pay"
	cases := []struct {
		name, fault, path string
		body              map[string]any
		run               func(t *testing.T, e *env, path string, body map[string]any)
	}{
		{"latency", "latency=40ms", "/integration/check-balance", signed(nil), func(t *testing.T, e *env, path string, body map[string]any) {
			t0 := time.Now()
			wantOK(t, e.post(path, body))
			if d := time.Since(t0); d < 40*time.Millisecond {
				t.Errorf("answered after %v", d)
			}
		}},
		{"no-answer: nothing committed", sandboxkit.FaultNoAnswer, buy, buyBody("2862", "na-1"), func(t *testing.T, e *env, path string, body map[string]any) {
			if err := held(t, e, path, body, sandboxkit.StageReceived); err == nil {
				t.Fatal("the request was answered")
			}
			if e.s.Charged("na-1") != 0 {
				t.Fatal("charged without commit")
			}
			e.s.Faults.Reset()
			wantErr(t, e.post("/integration/check-transaction-status", signed([]string{"na-1"}, "resellerRefNumber", "na-1")), "303", "NO_REQUESTS_FOUND")
			wantOK(t, e.post(path, body)) // the same reference can be sold now
		}},
		{"no-answer on service-bill-pay", sandboxkit.FaultNoAnswer, pay, topupBody("na-2"), func(t *testing.T, e *env, path string, body map[string]any) {
			if err := held(t, e, path, body, sandboxkit.StageReceived); err == nil {
				t.Fatal("the request was answered")
			}
			if e.s.Charged("na-2") != 0 {
				t.Fatal("charged without commit")
			}
		}},
		{"hang-after-commit", sandboxkit.FaultHangAfterCommit, buy, buyBody("2862", "hang-1"), func(t *testing.T, e *env, path string, body map[string]any) {
			if err := held(t, e, path, body, sandboxkit.StageCommitted); err == nil {
				t.Fatal("the request was answered")
			}
			if e.s.Charged("hang-1") != 1 {
				t.Fatal("not committed")
			}
			e.s.Faults.Reset()
			wantOK(t, e.post("/integration/check-transaction-status", signed([]string{"hang-1"}, "resellerRefNumber", "hang-1")))
			wantErr(t, e.post(path, body), "206", "DUPLICATE_RESELLER_REF_NUM")
		}},
		{"cut-after-commit", sandboxkit.FaultCutAfterCommit, buy, buyBody("2862", "cut-1"), func(t *testing.T, e *env, path string, body map[string]any) {
			if _, err := e.do(context.Background(), http.MethodPost, path, body); err == nil {
				t.Fatal("the connection was not cut")
			}
			if e.s.Charged("cut-1") != 1 {
				t.Fatal("not committed")
			}
		}},
		{"cut-after-commit on service-bill-pay", sandboxkit.FaultCutAfterCommit, pay, topupBody("cut-2"), func(t *testing.T, e *env, path string, body map[string]any) {
			if _, err := e.do(context.Background(), http.MethodPost, path, body); err == nil {
				t.Fatal("the connection was not cut")
			}
			if e.s.Charged("cut-2") != 1 {
				t.Fatal("not committed")
			}
		}},
		{"out-of-stock", sandboxkit.FaultOutOfStock, buy, buyBody("2862", "oos-1"), func(t *testing.T, e *env, path string, body map[string]any) {
			wantErr(t, e.post(path, body), "301", "OUT_OF_STOCK")
			if e.s.Charged("oos-1") != 0 {
				t.Fatal("charged")
			}
			// The seed documents no out-of-stock answer for bills.
			wantOK(t, e.post(pay, topupBody("oos-2")))
		}},
		{"no-balance", sandboxkit.FaultNoBalance, buy, buyBody("2862", "nb-1"), func(t *testing.T, e *env, path string, body map[string]any) {
			wantErr(t, e.post(path, body), "302", "INSUFFICIENT_BALANCE")
			wantErr(t, e.post(pay, topupBody("nb-2")), "302", "INSUFFICIENT_BALANCE")
			if e.s.Charged("nb-1")+e.s.Charged("nb-2") != 0 {
				t.Fatal("charged")
			}
		}},
		{"pending: the seed has no pending state", "pending=2", buy, buyBody("2862", "pend-1"), func(t *testing.T, e *env, path string, body map[string]any) {
			a := e.post(path, body)
			wantOK(t, a)
			st := e.post("/integration/check-transaction-status", signed([]string{"pend-1"}, "resellerRefNumber", "pend-1"))
			wantOK(t, st)
			if st.str("pin") != a.str("pin") {
				t.Errorf("status pin %q, purchase %q", st.str("pin"), a.str("pin"))
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := start(t)
			if err := e.s.Faults.Parse(c.fault); err != nil {
				t.Fatal(err)
			}
			c.run(t, e, c.path, c.body)
		})
	}
}
