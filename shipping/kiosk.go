package shipping

import (
	"fmt"
	"time"

	"kiosk/config"
	"kiosk/hq"
	"kiosk/storage"
)

// New builds a kiosk's shipper from its [head_office] section: it connects
// at its first shipment (a kiosk starts, and sells, with head office out
// of reach) and reads the outbox of j, which must be opened with
// storage.Options.Outbox. logf hears what the support log should keep (an
// outage, once; head office back); never a password.
func New(cfg *config.Config, j *storage.Journal, now func() time.Time, logf func(string, ...any)) (*hq.Shipper, *hq.Link, error) {
	h := cfg.HeadOffice
	if !h.Enabled() {
		return nil, nil, fmt.Errorf("head office is not configured: add a [head_office] section with its url")
	}
	opt := hq.Options{URL: h.URL, ConnectTimeout: h.Timeout.Duration, Now: now, Logf: logf}
	link := hq.NewLink(opt, hq.Terminal{Number: cfg.Terminal.Number, Epoch: j.Epoch(), Name: cfg.Terminal.ID})
	return &hq.Shipper{Outbox: Outbox{J: j}, To: link, Batch: h.BatchSize, Now: now, Logf: logf}, link, nil
}

// Backlog is how many entries wait for head office, counted only once the
// oldest of them has waited longer than warnAfter (0 before): the status
// bar says "head office: N to send" only for a backlog that lasts.
func Backlog(j *storage.Journal, now time.Time, warnAfter time.Duration) (int, error) {
	n, oldest, err := j.OutboxBacklog()
	if err != nil || n == 0 || now.Sub(oldest) <= warnAfter {
		return 0, err
	}
	return n, nil
}
