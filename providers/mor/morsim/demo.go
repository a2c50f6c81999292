package morsim

import (
	"fmt"

	"kiosk/money"
)

// Demo credentials, kept from the old sandbox (providers/mor/catalog_demo.go).
// The secret is the seed's example API_Secret_Key (seed L41), so the seed's
// example hash (seed L45) is what the simulator expects for id=6, quantity=2.
const (
	User   = "kiosk"
	Secret = "456789"
)

// demoGroup is a demo Calling Card Group and the stock it starts with. The
// ids, names, face values, currencies and stock are the old sandbox's.
type demoGroup struct {
	id       string
	name     string
	face     money.Decimal // balance of each card (balance_without_vat)
	currency string
	stock    int
}

// demoGroups follows the seed's example (group 6, seed L41). Group 8 holds
// only two cards, so "Free cards was not found" (seed L79) is easy to reach.
func demoGroups() []demoGroup {
	return []demoGroup{
		{id: "6", name: "International calling card 5 USD", face: money.MustParse("5.00"), currency: "USD", stock: 40},
		{id: "7", name: "International calling card 10 USD", face: money.MustParse("10.00"), currency: "USD", stock: 40},
		{id: "8", name: "Hajj calling card 20 SAR", face: money.MustParse("20.00"), currency: "SAR", stock: 2},
	}
}

// demoNumber and demoPIN are the old sandbox's deterministic patterns: card i
// (from 1) of the gi-th group (from 0) with id gid.
func demoNumber(gid string, i int) string { return fmt.Sprintf("%s%06d", gid, i) }

func demoPIN(gi, i int) string {
	return fmt.Sprintf("%04d%04d%04d", 7100+gi, i, (i*7919+gi*104729)%10000)
}
