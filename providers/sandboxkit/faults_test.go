package sandboxkit

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseAndReset(t *testing.T) {
	var f Faults
	if err := f.Parse("latency=5ms, out-of-stock,pending=2"); err != nil {
		t.Fatal(err)
	}
	if !f.OutOfStock() || f.PendingPolls() != 2 || f.NoBalance() {
		t.Fatalf("faults not set: stock=%v pending=%d", f.OutOfStock(), f.PendingPolls())
	}
	f.Reset()
	if f.OutOfStock() || f.PendingPolls() != 0 {
		t.Fatal("Reset left faults on")
	}
	for _, bad := range []string{"latency=fast", "pending=-1", "explode"} {
		if err := f.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	if _, err := Start("0.0.0.0:0", http.NotFoundHandler()); err == nil {
		t.Fatal("listening on all interfaces was allowed")
	}
}

// TestCommitFaults drives the after-commit faults over real HTTP: a cut
// connection and a held request both leave the client without an answer,
// while the stage hook still sees the commit.
func TestCommitFaults(t *testing.T) {
	var f Faults
	stages := make(chan string, 8)
	f.OnStage(func(stage, ref string) { stages <- stage + ":" + ref })
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.BeforeCommit(r, "42") {
			return
		}
		if f.AfterCommit(w, r, "42") {
			return
		}
		_, _ = io.WriteString(w, "ok")
	})
	srv, err := Start("127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	get := func(timeout time.Duration) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader("x"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	if body, err := get(time.Second); err != nil || body != "ok" {
		t.Fatalf("no fault: %q %v", body, err)
	}
	if got := <-stages + " " + <-stages; got != "received:42 committed:42" {
		t.Fatalf("stages = %s", got)
	}

	_ = f.Set(FaultCutAfterCommit, "on")
	if _, err := get(time.Second); err == nil {
		t.Fatal("cut-after-commit answered")
	}
	<-stages
	if s := <-stages; s != "committed:42" {
		t.Fatalf("cut: stage %s", s)
	}

	f.Reset()
	_ = f.Set(FaultNoAnswer, "on")
	if _, err := get(200 * time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("no-answer: err = %v", err)
	}
	if s := <-stages; s != "received:42" {
		t.Fatalf("no-answer: stage %s", s)
	}
	select {
	case s := <-stages:
		t.Fatalf("no-answer committed: %s", s)
	case <-time.After(50 * time.Millisecond):
	}
}
