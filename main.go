// Command kiosk is a terminal point-of-sale for recharge kiosks.
//
//	kiosk [--config PATH]                 the clerk's screens
//	kiosk sell --provider P --product ID  sell from a script (JSON out)
//	kiosk status REF                      settle a sale by its reference
//	kiosk journal list | show REF         read the journal
//	kiosk catalog [--search Q]            list products and their ids
//	kiosk sandbox [--listen ADDR]         run the provider sandboxes alone
package main

import (
	"os"

	"kiosk/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
