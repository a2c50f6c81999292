package eod

import (
	"strings"

	"kiosk/i18n"
	"kiosk/money"
	"kiosk/providers"
	"kiosk/sale"
)

// The report's words come from the i18n catalogue (i18n/eod_messages.go),
// in English and Arabic. What the books record in English (a mismatch's
// Detail, a check's Error) is written from the same English messages, and
// kept as it was written: an English report of an old Z-report reads as it
// did. Another language rebuilds the sentence from the record's fields.

// words formats the report's messages in one language.
type words struct{ lang i18n.Lang }

func wordsIn(lang i18n.Lang) words {
	if lang == "" {
		lang = i18n.EN
	}
	return words{lang}
}

func (w words) t(key string, args ...any) string { return i18n.T(w.lang, key, args...) }

func (w words) n(key string, n int, args ...any) string { return i18n.Plural(w.lang, key, n, args...) }

func (w words) english() bool { return w.lang == i18n.EN }

// upper writes a heading in capitals where the script has them.
func (w words) upper(s string) string {
	if w.lang.RTL() {
		return s
	}
	return strings.ToUpper(s)
}

// state names a sale's state: the state itself in English, as the
// report always wrote it.
func (w words) state(s sale.State) string {
	if s == "" {
		return ""
	}
	return w.t("eod.state." + string(s))
}

// verdict names a cash line's verdict.
func (w words) verdict(c CashLine) string {
	switch c.Verdict() {
	case "over":
		return w.t("eod.verdict.over")
	case "short":
		return w.t("eod.verdict.short")
	case "exact":
		return w.t("eod.verdict.exact")
	}
	return w.t("eod.verdict.not_counted")
}

// KindLabel names a mismatch kind for people, in English.
func KindLabel(k MismatchKind) string { return KindLabelIn(i18n.EN, k) }

// KindLabelIn names a mismatch kind in lang.
func KindLabelIn(lang i18n.Lang, k MismatchKind) string {
	switch k {
	case UnknownToProvider, ChargedNotSold, AmountDiffers, OpenAtClose:
		return wordsIn(lang).t("eod.kind." + string(k))
	}
	return string(k)
}

// Where a mismatch's amounts came from (Mismatch.Via).
const (
	viaRecords  = "records"
	viaStatus   = "status"
	viaPurchase = "purchase"
)

// DetailIn is what the mismatch is about, in lang. English is the Detail
// the books wrote; another language is made from the mismatch's fields
// (a mismatch stored before the fields existed says a little less).
func (m *Mismatch) DetailIn(lang i18n.Lang) string {
	w := wordsIn(lang)
	if w.english() && m.Detail != "" {
		return m.Detail
	}
	return w.detail(m)
}

// detail writes a mismatch's explanation from its fields.
func (w words) detail(m *Mismatch) string {
	switch m.Kind {
	case UnknownToProvider:
		var s string
		switch {
		case m.ProviderState == providers.NotFound:
			s = w.t("eod.detail.not_found")
		case m.ProviderState == providers.Failed && m.Via == viaRecords:
			s = w.t("eod.detail.records_failed")
		case m.ProviderState == providers.Failed:
			s = w.t("eod.detail.reported_failed")
		default:
			s = w.t("eod.detail.not_in_records")
		}
		if m.LookupErr != "" {
			s = w.t("eod.detail.lookup_failed", s, m.LookupErr)
		}
		return s
	case AmountDiffers:
		key := "eod.detail.amount"
		args := []any{m.Cost.String(), m.Charged.String()}
		if m.Charged.Currency != m.Cost.Currency {
			key = "eod.detail.amount_currencies"
		} else {
			args = append(args, money.New(m.Charged.Amount.Sub(m.Cost.Amount), m.Charged.Currency).String())
		}
		if m.Via == "" {
			return w.t(key+"_plain", args...)
		}
		return w.t(key, append(args, w.t("eod.via."+m.Via))...)
	case ChargedNotSold:
		if m.JournalState == "" {
			return w.t("eod.detail.charged_missing")
		}
		return w.t("eod.detail.charged_failed")
	case OpenAtClose:
		switch {
		case m.StateNow != "":
			return w.t("eod.detail.open_now", w.state(m.JournalState), m.Day, w.state(m.StateNow))
		case m.Retail.Currency != "":
			return w.t("eod.detail.open_at_close", w.state(m.JournalState), m.Retail.String())
		}
		return w.t("eod.detail.open_at_close_plain", w.state(m.JournalState))
	}
	return m.Detail
}

// Why a check could not be made (Check.Failure).
const (
	failUnreachable = "unreachable" // the provider did not answer the first request
	failPartial     = "partial"     // some look-ups failed
	failGone        = "gone"        // the provider is not configured any more
)

// Summary is the check as one sentence for the report, in English.
func (c Check) Summary() string { return c.SummaryIn(i18n.EN) }

// SummaryIn is the check as one sentence in lang.
func (c Check) SummaryIn(lang i18n.Lang) string {
	w := wordsIn(lang)
	switch {
	case c.Error != "" && (w.english() || c.Failure == ""):
		return c.Error
	case c.Error != "":
		return w.checkError(c)
	case c.Sales == 0 && c.Records == 0:
		return w.t("eod.check.no_sales", c.Name)
	case c.Method == ByRecords && c.OtherTerminals > 0:
		return w.t("eod.check.records_others", c.Name, w.n("eod.sales_of", c.Sales), w.n("eod.records", c.Records), c.OtherTerminals)
	case c.Method == ByRecords:
		return w.t("eod.check.records", c.Name, w.n("eod.sales_of", c.Sales), w.n("eod.records", c.Records))
	case c.Method == ByStatus:
		return w.t("eod.check.status", c.Name, c.LookedUp, w.n("eod.sales_of", c.Sales))
	}
	return w.t("eod.check.journal", c.Name, w.n("eod.sales_of", c.Sales))
}

// checkError says why a check could not be made, from its fields.
func (w words) checkError(c Check) string {
	switch c.Failure {
	case failUnreachable:
		return w.t("eod.check.unreachable", c.Name, c.Reason)
	case failPartial:
		return w.t("eod.check.partial", c.Failed, c.LookedUp, c.Name, c.Reason)
	case failGone:
		return w.t("eod.check.gone", c.Name)
	}
	return c.Error
}
