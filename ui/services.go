package ui

import (
	"context"
	"time"

	"kiosk/eod"
	"kiosk/i18n"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
)

// Services are what the screens call: the core's operations, each behind
// the narrow interface the screens need, so a screen can be tested with
// fakes and never reaches the journal or a provider itself. Every call
// runs inside a tea.Cmd, never in Update.
type Services struct {
	Sales Sales
	Books Books   // nil: the end of day is not set up
	Users Users   // sign-in and supervisor authorisation
	Print Printer // nil: receipts cannot be printed or shown
	// HeadOffice ships the outbox; nil: no head office is configured.
	HeadOffice HeadOffice
}

// HeadOffice is the kiosk's shipping to head office (app.Kiosk).
type HeadOffice interface {
	// Backlog is how many entries wait to be shipped, counted only once
	// the oldest has waited past [head_office] warn_after (0 before).
	Backlog() (int, error)
	// Wake ships now rather than at the next interval (after a sale).
	Wake()
}

// Sales is the sale core (*sale.Engine): catalogues, quotes, sales and
// their settling, decisions, history and balances.
type Sales interface {
	// ProviderInfos names the configured providers, in configuration order.
	ProviderInfos() []providers.Info
	CachedCatalogs(maxAge time.Duration) (sale.Catalogs, error)
	RefreshCatalog(ctx context.Context, provider string) ([]providers.Product, error)
	// TopProducts are the best sellers' product keys, best first.
	TopProducts(n int) ([]string, error)
	// RecentCustomers are the last customers' numbers for a brand.
	RecentCustomers(brand string, n int) ([]string, error)
	Suggestions(ctx context.Context, p providers.Product) ([]money.Decimal, error)
	// CatalogPrice is the shop's price of a fixed-price product as the
	// catalogue shows it; the quote gives the price charged.
	CatalogPrice(p providers.Product) money.Money
	// Quote is the provider's price with the shop's price list applied.
	Quote(ctx context.Context, p providers.Product, fields map[string]string, amount money.Decimal) (sale.Quote, error)
	Sell(ctx context.Context, q sale.Quote, clerk string) (*sale.Sale, error)
	Settle(ctx context.Context, ref string) (*sale.Sale, error)
	// RecoverAll asks about every open sale; RecoverDue only about those
	// whose backoff has run out (the background round).
	RecoverAll(ctx context.Context) (still, settled []*sale.Sale, err error)
	RecoverDue(ctx context.Context) (still, settled []*sale.Sale, err error)
	Decide(ref string, sold bool, vouchers []providers.Voucher, reason, supervisor string) (*sale.Sale, error)
	History(q sale.Query) ([]*sale.Sale, error)
	Balances(ctx context.Context) (map[string][]money.Money, error)
}

// Books is the end of day (*eod.Books).
type Books interface {
	Today() (time.Time, error)
	Report(ctx context.Context, day time.Time, cash eod.CashCount) (*eod.Report, error)
	// XReport is the day so far, changing nothing.
	XReport(ctx context.Context, cash eod.CashCount) (*eod.Report, error)
	// PrepareClose is the Z-report a close would write now, for the
	// supervisor to confirm; CloseConfirmed writes it, or returns
	// eod.ErrChanged when a sale of the day changed since.
	PrepareClose(ctx context.Context, day time.Time, cash eod.CashCount) (*eod.Report, error)
	CloseConfirmed(r *eod.Report, by string) (*eod.Report, error)
	Settle(r *eod.Report, ref, provider, reason, by string) (*eod.Mismatch, error)
	Annotate(day time.Time, by, text string) (eod.ZNote, error)
}

// Users checks who is at the counter (*sale.Engine).
type Users interface {
	SignIn(name, pin string) (sale.User, error)
	// Authorise checks a supervisor's PIN for one action; purpose goes
	// into the audit record.
	Authorise(name, pin, purpose string) (sale.User, error)
}

// Printer prints on the kiosk's receipt printer and records each print
// (package printing).
type Printer interface {
	// PrintSale prints a sale's receipt (a reprint after the first) in
	// lang, counted and audited as printed by by. With no printer set up
	// the receipt is shown instead: shown is its text, for the screen, and
	// it is counted and audited the same way (it shows the PIN again).
	PrintSale(ctx context.Context, ref, by string, lang i18n.Lang) (s *sale.Sale, shown string, err error)
	// PrintReport prints a day's report at the paper's width and audits
	// it; printed says whether it reached the printer, so an error after
	// the print (the audit) is told apart from a print that failed.
	PrintReport(ctx context.Context, r *eod.Report, by string, lang i18n.Lang) (printed bool, err error)
}
