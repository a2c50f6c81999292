package hq

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"kiosk/hq/pgtest"
)

// outage is what takes head office away mid-shipment, and brings it back.
type outage struct {
	name    string
	url     func(t *testing.T) string // the head office, as the kiosk reaches it
	cut     func(t *testing.T)
	restore func(t *testing.T)
}

// PostgreSQL crashing, or the network to it cut, in the middle of a
// batch: the batch is not marked, the outbox keeps it, the shipper says
// head office cannot be reached, and once it is back the next drain
// ships everything exactly once.
func TestHeadOfficeLostMidShipment(t *testing.T) {
	var cluster *pgtest.Cluster
	var proxy *cutProxy
	outages := []outage{
		{name: "PostgreSQL crashes and restarts",
			url:     func(t *testing.T) string { cluster = pgtest.NewCluster(t); return cluster.NewDatabase(t) },
			cut:     func(t *testing.T) { cluster.Crash(t) },
			restore: func(t *testing.T) { cluster.Restart(t) }},
		{name: "network cut and restored",
			url: func(t *testing.T) string {
				u := pgtest.NewDatabase(t)
				proxy = newCutProxy(t, u)
				return proxy.url
			},
			cut:     func(t *testing.T) { proxy.cut() },
			restore: func(t *testing.T) { proxy.restore() }},
	}
	for _, o := range outages {
		t.Run(o.name, func(t *testing.T) {
			u := o.url(t)
			r := openRig(t, u)
			s := r.sender(t, 8, "e8")
			box := &memOutbox{}
			box.add(sales(8, 1, 500)...)
			batches := 0
			s.step = func(step string) {
				if step == "stored sales" {
					if batches++; batches == 2 {
						o.cut(t)
					}
				}
			}
			sh := &Shipper{Outbox: box, To: s, Batch: 100}
			res, err := sh.Drain(context.Background())
			if !errors.Is(err, ErrUnreachable) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("drain with head office gone: %v, want one line saying it cannot be reached", err)
			}
			t.Logf("mid-shipment: %v", err)
			if res.Shipped != 100 || box.shipped != 100 {
				t.Errorf("shipped %d, marked up to %d; want the first batch of 100 only", res.Shipped, box.shipped)
			}
			if sh.Status().LastError == "" {
				t.Error("status does not show the failure")
			}
			// Still down: nothing marked, nothing lost.
			if _, err := sh.Drain(context.Background()); !errors.Is(err, ErrUnreachable) {
				t.Fatalf("drain while down: %v", err)
			} else {
				t.Logf("while down: %v", err)
			}
			if box.shipped != 100 || box.left() != 400 {
				t.Errorf("while down: marked %d, %d left; want 100 and 400", box.shipped, box.left())
			}
			o.restore(t)
			s.step = nil
			res, err = sh.Drain(context.Background())
			if err != nil {
				t.Fatalf("drain once head office is back: %v", err)
			}
			if res.Shipped != 400 || box.left() != 0 {
				t.Errorf("after the outage: shipped %d, %d left; want 400 and 0", res.Shipped, box.left())
			}
			if n := r.count(t, "SELECT count(*) FROM sales"); n != 500 {
				t.Errorf("sales = %d, want 500", n)
			}
			if sh.Status().LastError != "" {
				t.Errorf("status still shows %q", sh.Status().LastError)
			}
		})
	}
}

// cutProxy forwards loopback TCP to PostgreSQL until it is cut: then it
// drops every connection and refuses new ones until restored.
type cutProxy struct {
	url    string
	target string
	ln     net.Listener

	mu    sync.Mutex
	down  bool
	conns []net.Conn
}

func newCutProxy(t *testing.T, pgURL string) *cutProxy {
	t.Helper()
	u, err := url.Parse(pgURL)
	if err != nil {
		t.Fatal("test URL does not parse")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{target: u.Host, ln: ln}
	u.Host = ln.Addr().String()
	p.url = u.String()
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.cut() })
	return p
}

func (p *cutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		if !down {
			p.conns = append(p.conns, c)
		}
		p.mu.Unlock()
		if down {
			c.Close()
			continue
		}
		go p.pipe(c)
	}
}

func (p *cutProxy) pipe(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, up)
	p.mu.Unlock()
	go func() { _, _ = io.Copy(up, c); up.Close() }()
	_, _ = io.Copy(c, up)
	c.Close()
}

func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *cutProxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}
