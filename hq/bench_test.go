package hq

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// Catching up a backlog of 100,000 sales into the local PostgreSQL (goal:
// at least 5,000 sales/s), at a few batch sizes. Each iteration ships a
// new terminal's sales, so every row is an insert, as a real backlog is.
//
//	go test -run x -bench ShipBacklog -benchtime 3x ./hq
func BenchmarkShipBacklog(b *testing.B) {
	const backlog = 100_000
	for _, batch := range []int{250, 1000, 5000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			r := newRig(b)
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				term := 1 + i%999
				box := &memOutbox{}
				box.add(sales(term, 1, backlog)...)
				sh := &Shipper{Outbox: box, To: r.sender(b, term, fmt.Sprintf("bench-%d", i)), Batch: batch}
				b.StartTimer()
				res, err := sh.Drain(context.Background())
				if err != nil || res.Shipped != backlog {
					b.Fatalf("drain: shipped %d, %v", res.Shipped, err)
				}
			}
			b.ReportMetric(float64(backlog*b.N)/b.Elapsed().Seconds(), "sales/s")
		})
	}
}

// 20 terminals shipping 10,000 sales each at the same time, each with its
// own connection pool, as 20 kiosks would.
//
//	go test -run x -bench ShipTwentyTerminals -benchtime 3x ./hq
func BenchmarkShipTwentyTerminals(b *testing.B) {
	const terminals, each = 20, 10_000
	r := newRig(b)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		shippers := make([]*Shipper, terminals)
		var pools []*DB
		for k := range shippers {
			term := 1 + (i*terminals+k)%999
			db, err := Open(context.Background(), r.options(r.url))
			if err != nil {
				b.Fatal(err)
			}
			pools = append(pools, db)
			s, err := db.Sender(Terminal{Number: term, Epoch: fmt.Sprintf("bench-%d-%d", i, k)})
			if err != nil {
				b.Fatal(err)
			}
			box := &memOutbox{}
			box.add(sales(term, 1, each)...)
			shippers[k] = &Shipper{Outbox: box, To: s}
		}
		b.StartTimer()
		var wg sync.WaitGroup
		errs := make([]error, terminals)
		for k, sh := range shippers {
			wg.Add(1)
			go func() { defer wg.Done(); _, errs[k] = sh.Drain(context.Background()) }()
		}
		wg.Wait()
		b.StopTimer()
		for _, db := range pools {
			db.Close()
		}
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer() // b.Loop wants it running
	}
	b.ReportMetric(float64(terminals*each*b.N)/b.Elapsed().Seconds(), "sales/s")
}
