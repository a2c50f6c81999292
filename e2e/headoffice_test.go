package e2e

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/hq/pgtest"
)

// hqKiosk is one terminal of a chain: the built binary with its own
// journal and terminal number, reporting to the head office whose URL the
// environment holds (config says url = "env:KIOSK_E2E_HQ_URL").
type hqKiosk struct {
	cliKiosk
	url string
}

func newHQKiosk(t *testing.T, bin string, terminal int, url string) *hqKiosk {
	t.Helper()
	k := &hqKiosk{cliKiosk: cliKiosk{bin: bin, data: t.TempDir()}, url: url}
	k.config = filepath.Join(t.TempDir(), "kiosk.toml")
	text := fmt.Sprintf("[terminal]\nnumber = %d\n[journal]\npath = %q\nkey_file = %q\n[head_office]\nurl = \"env:KIOSK_E2E_HQ_URL\"\ntimeout = \"3s\"\n",
		terminal, filepath.Join(k.data, "journal.db"), filepath.Join(k.data, "journal.key"))
	if err := os.WriteFile(k.config, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return k
}

func (k *hqKiosk) hq(t *testing.T, args ...string) (string, int) {
	t.Helper()
	t.Setenv("KIOSK_E2E_HQ_URL", k.url)
	return k.run(t, "", args...)
}

type soldJSON struct {
	Ref      string    `json:"ref"`
	State    string    `json:"state"`
	Created  time.Time `json:"created"`
	Vouchers []struct {
		Serial string `json:"serial"`
		PIN    string `json:"pin"`
	} `json:"vouchers"`
}

// sell sells iTunes 50 on the kiosk's built-in sandbox and returns the
// sale as the journal holds it, PINs revealed.
func (k *hqKiosk) sell(t *testing.T) soldJSON {
	t.Helper()
	out, code := k.hq(t, "sell", "--provider", "bitaqaty", "--product", "2862", "--yes")
	if code != 0 {
		t.Fatalf("sell: exit %d\n%s", code, out)
	}
	var s soldJSON
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &s); err != nil {
		t.Fatalf("sell output: %v\n%s", err, out)
	}
	out, code = k.hq(t, "journal", "show", "--reveal", s.Ref)
	if err := json.Unmarshal([]byte(out), &s); code != 0 || err != nil || len(s.Vouchers) == 0 || s.Vouchers[0].PIN == "" {
		t.Fatalf("journal show %s: exit %d, %v\n%s", s.Ref, code, err, out)
	}
	return s
}

// TestTerminalsShipToHeadOffice: two kiosks (terminals 1 and 2, their own
// journals) sell, ship and are reported by head office exactly; a head
// office out of reach fails `kiosk ship` in one line and loses nothing;
// shipping again sends nothing twice; and head office never holds a PIN
// or a serial.
func TestTerminalsShipToHeadOffice(t *testing.T) {
	db := pgtest.NewDatabase(t)
	bin := buildKiosk(t)
	t1, t2 := newHQKiosk(t, bin, 1, db), newHQKiosk(t, bin, 2, db)
	sold := map[int][]soldJSON{}
	for i := range 3 {
		sold[1] = append(sold[1], t1.sell(t))
		if i < 2 {
			sold[2] = append(sold[2], t2.sell(t))
		}
	}

	// Head office away: one clear line, non-zero, the outbox kept.
	away := *t2
	away.url = "postgres://kiosk:secret-pw@127.0.0.1:1/hq"
	out, code := away.hq(t, "ship")
	if code == 0 || strings.Count(strings.TrimSpace(out), "\n") != 0 || !strings.Contains(out, "entries wait in the outbox") ||
		strings.Contains(out, "secret-pw") {
		t.Fatalf("ship to an unreachable head office: exit %d\n%s", code, out)
	}

	for _, k := range []*hqKiosk{t1, t2} {
		out, code := k.hq(t, "ship")
		if code != 0 || !strings.Contains(out, "nothing left to send") {
			t.Fatalf("ship: exit %d\n%s", code, out)
		}
		if out, _ := k.hq(t, "ship"); !strings.Contains(out, "shipped 0 entries") {
			t.Fatalf("shipping again sent something: %s", out)
		}
	}

	// The report, for every business day the sales fell on (the binary's
	// clock dates them; a run across midnight spans two days).
	days := map[string]bool{}
	for _, ss := range sold {
		for _, s := range ss {
			days[s.Created.Local().Format(time.DateOnly)] = true
		}
	}
	count := map[string]int{}
	for day := range days {
		out, code := t1.hq(t, "hq", "report", "--date", day, "--csv")
		if code != 0 {
			t.Fatalf("hq report: exit %d\n%s", code, out)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(rows) < 1 {
			t.Fatalf("hq report CSV: %v\n%s", err, out)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for _, need := range []string{"terminal", "provider", "currency", "sales"} {
			if _, ok := col[need]; !ok {
				t.Fatalf("hq report CSV has no %q column: %v", need, rows[0])
			}
		}
		for _, r := range rows[1:] {
			if r[col["provider"]] == "" {
				continue // a terminal line without sales
			}
			var n int
			fmt.Sscan(r[col["sales"]], &n)
			count[r[col["terminal"]]+"/"+r[col["provider"]]+"/"+r[col["currency"]]] += n
		}
	}
	if count["1/bitaqaty/SAR"] != 3 || count["2/bitaqaty/SAR"] != 2 || len(count) != 2 {
		t.Fatalf("head office counts %v, want terminal 1: 3 and terminal 2: 2 Bitaqaty sales in SAR", count)
	}
	if n := pgtest.QueryInt(t, db, "select count(*) from sales"); n != 5 {
		t.Fatalf("head office holds %d sales, want 5", n)
	}

	dump := pgtest.Dump(t, db)
	for _, ss := range sold {
		for _, s := range ss {
			if !strings.Contains(dump, s.Ref) {
				t.Errorf("sale %s is not at head office", s.Ref)
			}
			for _, v := range s.Vouchers {
				if strings.Contains(dump, v.PIN) || (v.Serial != "" && strings.Contains(dump, v.Serial)) {
					t.Errorf("head office holds the PIN or serial of %s", s.Ref)
				}
			}
		}
	}
}
