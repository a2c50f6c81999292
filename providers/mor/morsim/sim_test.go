package morsim

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/providers/sandboxkit"
)

// seedHash is the seed's example hash (seed L41, L45): id=6, quantity=2,
// API Secret Key 456789.
const seedHash = "37086d860581fabc278413cd1a417d5c079f6eba"

var fixed = time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC)

func newSim(t *testing.T, ext ...string) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(Options{Now: func() time.Time { return fixed }, Extensions: ext})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

type answer struct {
	status int
	body   string
	header http.Header
}

func do(t *testing.T, ctx context.Context, method, u string, body io.Reader, hdr map[string]string) (answer, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b), resp.Header}, err
}

// postQuery sends the parameters in the query of a POST, as the seed's
// example does (seed L45).
func postQuery(t *testing.T, base, path string, q url.Values, hdr map[string]string) answer {
	t.Helper()
	a, err := do(t, context.Background(), http.MethodPost, base+path+"?"+q.Encode(), nil, hdr)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func sellParams(id, qty string) url.Values {
	q := url.Values{"u": {User}, "id": {id}, "hash": {Hash(Secret, "", id, qty)}}
	if qty != "" {
		q.Set("quantity", qty)
	}
	return q
}

type xmlPage struct {
	XMLName xml.Name `xml:"page"`
	Cards   []struct {
		PIN      string `xml:"pin"`
		Number   string `xml:"number"`
		Balance  string `xml:"balance_without_vat"`
		Currency string `xml:"currency"`
	} `xml:"cards>card"`
}

func cards(t *testing.T, a answer) xmlPage {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var p xmlPage
	if err := xml.Unmarshal([]byte(a.body), &p); err != nil {
		t.Fatalf("not the seed's <page>: %v\n%s", err, a.body)
	}
	return p
}

func errorBody(text string) string { return xmlDecl + "<error>" + text + "</error>\n" }

func TestHash(t *testing.T) {
	cases := []struct {
		name   string
		secret string
		values []string
		want   string
	}{
		{"seed example id=6 quantity=2 (seed L41-45)", "456789", []string{"", "6", "2"}, seedHash},
		{"calling_cards_get wiki example: secret alone", "secret", nil, "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
	}
	for _, c := range cases {
		if got := Hash(c.secret, c.values...); got != c.want {
			t.Errorf("%s: Hash = %s, want %s", c.name, got, c.want)
		}
	}
}

func TestSellSeedExample(t *testing.T) {
	for _, path := range []string{OldSellPath, SellPath} {
		t.Run(path, func(t *testing.T) {
			s, ts := newSim(t)
			// The seed's request, with the demo user for "username" (seed L45).
			a := postQuery(t, ts.URL, path, url.Values{"u": {User}, "id": {"6"}, "quantity": {"2"}, "hash": {seedHash}}, nil)
			want := xmlDecl + "<page>\n <cards>\n" +
				"  <card>\n    <pin>710000017919</pin>\n    <number>6000001</number>\n" +
				"    <balance_without_vat>5.00</balance_without_vat>\n    <currency>USD</currency>\n  </card>\n" +
				"  <card>\n    <pin>710000025838</pin>\n    <number>6000002</number>\n" +
				"    <balance_without_vat>5.00</balance_without_vat>\n    <currency>USD</currency>\n  </card>\n" +
				" </cards>\n</page>\n"
			if a.status != http.StatusOK || a.body != want {
				t.Fatalf("status %d body:\n%s\nwant:\n%s", a.status, a.body, want)
			}
			if ct := a.header.Get("Content-Type"); !strings.Contains(ct, "xml") {
				t.Errorf("Content-Type %q", ct)
			}
			if s.Sold() != 1 || s.Free("6") != 38 {
				t.Errorf("Sold=%d Free(6)=%d", s.Sold(), s.Free("6"))
			}
		})
	}
}

func TestSellParameterPlacement(t *testing.T) {
	q := sellParams("7", "1")
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	for k := range q {
		_ = mw.WriteField(k, q.Get(k))
	}
	_ = mw.Close()
	cases := []struct {
		name   string
		method string
		query  string
		body   string
		ctype  string
	}{
		{"POST query (seed L45)", http.MethodPost, q.Encode(), "", ""},
		{"GET query (seed L16)", http.MethodGet, q.Encode(), "", ""},
		{"POST form body", http.MethodPost, "", q.Encode(), "application/x-www-form-urlencoded"},
		{"POST multipart body", http.MethodPost, "", mp.String(), mw.FormDataContentType()},
		{"POST split query and body", http.MethodPost, "u=" + User, url.Values{"id": {"7"}, "quantity": {"1"}, "hash": {q.Get("hash")}}.Encode(), "application/x-www-form-urlencoded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ts := newSim(t)
			hdr := map[string]string{}
			if c.ctype != "" {
				hdr["Content-Type"] = c.ctype
			}
			a, err := do(t, context.Background(), c.method, ts.URL+SellPath+"?"+c.query, strings.NewReader(c.body), hdr)
			if err != nil {
				t.Fatal(err)
			}
			p := cards(t, a)
			if len(p.Cards) != 1 || p.Cards[0].Number != "7000001" || p.Cards[0].Balance != "10.00" || p.Cards[0].Currency != "USD" {
				t.Fatalf("cards = %+v", p.Cards)
			}
		})
	}
}

func TestSellErrors(t *testing.T) {
	with := func(q url.Values, k, v string) url.Values {
		q.Set(k, v)
		return q
	}
	cases := []struct {
		name string
		q    url.Values
		want string
	}{
		{"no u (seed L33, L76)", func() url.Values { q := sellParams("6", "1"); q.Del("u"); return q }(), ErrBadLogin},
		{"wrong u (seed L76)", with(sellParams("6", "1"), "u", "admin"), ErrBadLogin},
		{"no hash (seed L32, L77)", func() url.Values { q := sellParams("6", "1"); q.Del("hash"); return q }(), ErrIncorrectHash},
		{"wrong secret (seed L77)", with(sellParams("6", "1"), "hash", Hash("secret", "", "6", "1")), ErrIncorrectHash},
		{"upper-case hex (seed L45 is lower case)", with(sellParams("6", "2"), "hash", strings.ToUpper(seedHash)), ErrIncorrectHash},
		{"order quantity before id (seed L28)", with(sellParams("6", "2"), "hash", Hash(Secret, "", "2", "6")), ErrIncorrectHash},
		{"u hashed (seed L47: it is not)", with(sellParams("6", "1"), "hash", Hash(Secret, User, "6", "1")), ErrIncorrectHash},
		{"number hashed (seed L34: it is not)", with(with(sellParams("6", "1"), "number", "6000003"), "hash", Hash(Secret, "", "6", "1", "6000003")), ErrIncorrectHash},
		{"email sent but not hashed (seed L24)", with(sellParams("6", "1"), "email", "a@b.c"), ErrIncorrectHash},
		{"unknown group (seed L78)", sellParams("99", "1"), ErrNoGroup},
		{"no id (seed L25)", sellParams("", "1"), ErrNoGroup},
		{"more than the stock (seed L79)", sellParams("8", "3"), ErrNoFreeCards},
		{"quantity 0", sellParams("6", "0"), ErrNoFreeCards},
		{"quantity not a number", sellParams("6", "two"), ErrNoFreeCards},
		{"number not in the group", with(sellParams("6", "1"), "number", "7000001"), ErrNoFreeCards},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ts := newSim(t)
			a := postQuery(t, ts.URL, SellPath, c.q, map[string]string{RefHeader: "r1"})
			if a.status != http.StatusOK || a.body != errorBody(c.want) {
				t.Fatalf("status %d body %q, want %q", a.status, a.body, errorBody(c.want))
			}
			if s.Sold() != 0 || s.Charged("r1") != 0 {
				t.Fatalf("an error answer sold: Sold=%d", s.Sold())
			}
		})
	}
}

func TestEmailIsHashed(t *testing.T) {
	s, ts := newSim(t)
	q := url.Values{"u": {User}, "email": {"buyer@example.com"}, "id": {"6"}, "quantity": {"1"},
		"hash": {Hash(Secret, "buyer@example.com", "6", "1")}} // seed L24-28
	p := cards(t, postQuery(t, ts.URL, SellPath, q, nil))
	if len(p.Cards) != 1 {
		t.Fatalf("cards = %+v", p.Cards)
	}
	if sl := s.Sales(); len(sl) != 1 || sl[0].Email != "buyer@example.com" {
		t.Fatalf("sales = %+v", sl)
	}
}

// TestNumber: number sells that card and ignores quantity (seed L34); selling
// it again is "Card is already sold" (seed L80), the seed's only duplicate answer.
func TestNumber(t *testing.T) {
	s, ts := newSim(t)
	q := sellParams("6", "3")
	q.Set("number", "6000005")
	q.Set("curr", "EUR") // seed L35: not hashed
	p := cards(t, postQuery(t, ts.URL, SellPath, q, nil))
	if len(p.Cards) != 1 || p.Cards[0].Number != "6000005" || p.Cards[0].PIN != demoPIN(0, 5) {
		t.Fatalf("cards = %+v", p.Cards)
	}
	a := postQuery(t, ts.URL, SellPath, q, nil)
	if a.body != errorBody(ErrAlreadySold) {
		t.Fatalf("second sale of 6000005: %q", a.body)
	}
	if s.Sold() != 1 || s.Sales()[0].Curr != "EUR" || s.Sales()[0].Number != "6000005" {
		t.Fatalf("sales = %+v", s.Sales())
	}
	// A quantity sale skips the sold card.
	p = cards(t, postQuery(t, ts.URL, SellPath, sellParams("6", "5"), nil))
	var got []string
	for _, c := range p.Cards {
		got = append(got, c.Number)
	}
	if strings.Join(got, ",") != "6000001,6000002,6000003,6000004,6000006" {
		t.Fatalf("numbers = %v", got)
	}
}

// TestSameRefSellsAgain: MOR has no sale reference, so a repeated
// X-Kiosk-Ref sells again and Charged counts both.
func TestSameRefSellsAgain(t *testing.T) {
	s, ts := newSim(t)
	hdr := map[string]string{RefHeader: "K-1"}
	a1 := cards(t, postQuery(t, ts.URL, SellPath, sellParams("6", ""), hdr))
	a2 := cards(t, postQuery(t, ts.URL, OldSellPath, sellParams("6", ""), hdr))
	if a1.Cards[0].Number == a2.Cards[0].Number {
		t.Fatal("the same card was sold twice")
	}
	cards(t, postQuery(t, ts.URL, SellPath, sellParams("7", "2"), map[string]string{RefHeader: "K-2"}))
	cards(t, postQuery(t, ts.URL, SellPath, sellParams("7", "1"), nil))
	if s.Charged("K-1") != 2 || s.Charged("K-2") != 1 || s.Charged("") != 1 || s.Charged("K-3") != 0 || s.Sold() != 4 {
		t.Fatalf("Charged K-1=%d K-2=%d none=%d Sold=%d", s.Charged("K-1"), s.Charged("K-2"), s.Charged(""), s.Sold())
	}
}

func TestStockRunsOut(t *testing.T) {
	s, ts := newSim(t)
	p := cards(t, postQuery(t, ts.URL, SellPath, sellParams("8", "2"), nil))
	if len(p.Cards) != 2 || p.Cards[0].Currency != "SAR" || p.Cards[0].Balance != "20.00" {
		t.Fatalf("cards = %+v", p.Cards)
	}
	if a := postQuery(t, ts.URL, SellPath, sellParams("8", ""), nil); a.body != errorBody(ErrNoFreeCards) {
		t.Fatalf("empty group: %q", a.body)
	}
	if s.Free("8") != 0 || s.Sold() != 1 || s.Free("nope") != 0 {
		t.Fatalf("Free(8)=%d Sold=%d", s.Free("8"), s.Sold())
	}
}

func TestConcurrentSales(t *testing.T) {
	s, ts := newSim(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	okN, outN := 0, 0
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := do(t, context.Background(), http.MethodPost, ts.URL+SellPath+"?"+sellParams("8", "1").Encode(), nil, nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Error(err)
			case a.body == errorBody(ErrNoFreeCards):
				outN++
			case strings.Contains(a.body, "<card>"):
				okN++
			}
		}()
	}
	wg.Wait()
	if okN != 2 || outN != 8 || s.Sold() != 2 {
		t.Fatalf("ok=%d out=%d Sold=%d", okN, outN, s.Sold())
	}
}

func TestFaults(t *testing.T) {
	t.Run("out-of-stock answers Free cards was not found (seed L79)", func(t *testing.T) {
		s, ts := newSim(t)
		_ = s.Faults.Set(sandboxkit.FaultOutOfStock, "on")
		for _, q := range []url.Values{sellParams("6", "1"), func() url.Values { q := sellParams("6", "1"); q.Set("number", "6000001"); return q }()} {
			if a := postQuery(t, ts.URL, SellPath, q, nil); a.body != errorBody(ErrNoFreeCards) {
				t.Fatalf("out-of-stock: %q", a.body)
			}
		}
		if s.Sold() != 0 || s.Free("6") != 40 {
			t.Fatal("out-of-stock sold")
		}
		// Checks before it still answer their own texts.
		if a := postQuery(t, ts.URL, SellPath, sellParams("99", "1"), nil); a.body != errorBody(ErrNoGroup) {
			t.Fatalf("unknown group under out-of-stock: %q", a.body)
		}
	})
	for _, f := range []struct{ name, value string }{{sandboxkit.FaultNoBalance, "on"}, {sandboxkit.FaultPending, "2"}} {
		t.Run(f.name+" has no effect (the seed documents neither)", func(t *testing.T) {
			s, ts := newSim(t)
			_ = s.Faults.Set(f.name, f.value)
			p := cards(t, postQuery(t, ts.URL, SellPath, sellParams("6", "1"), map[string]string{RefHeader: "R"}))
			if len(p.Cards) != 1 || s.Charged("R") != 1 {
				t.Fatalf("cards=%+v Charged=%d", p.Cards, s.Charged("R"))
			}
		})
	}
	t.Run("latency", func(t *testing.T) {
		s, ts := newSim(t)
		const d = 30 * time.Millisecond
		_ = s.Faults.Set(sandboxkit.FaultLatency, d.String())
		start := time.Now()
		cards(t, postQuery(t, ts.URL, SellPath, sellParams("6", "1"), nil))
		if el := time.Since(start); el < d {
			t.Fatalf("answered after %v, latency %v", el, d)
		}
	})
	t.Run("no-answer commits nothing", func(t *testing.T) {
		s, ts := newSim(t)
		_ = s.Faults.Set(sandboxkit.FaultNoAnswer, "on")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s.Faults.OnStage(func(stage, ref string) {
			if stage == sandboxkit.StageReceived && ref == "NA" {
				cancel()
			}
		})
		if _, err := do(t, ctx, http.MethodPost, ts.URL+SellPath+"?"+sellParams("6", "1").Encode(), nil, map[string]string{RefHeader: "NA"}); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		if s.Charged("NA") != 0 || s.Free("6") != 40 {
			t.Fatal("no-answer committed")
		}
	})
	t.Run("hang-after-commit commits and answers nothing", func(t *testing.T) {
		s, ts := newSim(t)
		_ = s.Faults.Set(sandboxkit.FaultHangAfterCommit, "on")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s.Faults.OnStage(func(stage, ref string) {
			if stage == sandboxkit.StageCommitted && ref == "H" {
				cancel()
			}
		})
		if _, err := do(t, ctx, http.MethodPost, ts.URL+SellPath+"?"+sellParams("6", "1").Encode(), nil, map[string]string{RefHeader: "H"}); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		if s.Charged("H") != 1 || s.Free("6") != 39 {
			t.Fatalf("Charged=%d", s.Charged("H"))
		}
	})
	t.Run("cut-after-commit commits and drops the connection", func(t *testing.T) {
		s, ts := newSim(t)
		_ = s.Faults.Set(sandboxkit.FaultCutAfterCommit, "on")
		if _, err := do(t, context.Background(), http.MethodPost, ts.URL+SellPath+"?"+sellParams("6", "1").Encode(), nil, map[string]string{RefHeader: "C"}); err == nil {
			t.Fatal("cut-after-commit answered")
		}
		if s.Charged("C") != 1 {
			t.Fatalf("Charged=%d", s.Charged("C"))
		}
	})
}

func TestNotFoundAndMethods(t *testing.T) {
	_, ts := newSim(t)
	cases := []struct {
		name, method, path string
		want               int
	}{
		{"unknown path", http.MethodPost, "/billing/api/user_balance_get", 404},
		{"root", http.MethodGet, "/", 404},
		{"no /billing prefix", http.MethodPost, "/api/card_from_group_sell", 404},
		{"trailing slash", http.MethodPost, SellPath + "/", 404},
		{"calling_cards_get off", http.MethodPost, CardsGetPath, 404},
		{"card_balance_get (not served)", http.MethodPost, "/billing/api/card_balance_get", 404},
		{"PUT (seed L16: POST, GET)", http.MethodPut, SellPath, 405},
		{"DELETE on the old name", http.MethodDelete, OldSellPath, 405},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := do(t, context.Background(), c.method, ts.URL+c.path+"?"+sellParams("6", "1").Encode(), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if a.status != c.want || strings.Contains(a.body, "<error>") || strings.Contains(a.body, "<page>") {
				t.Fatalf("status %d body %q", a.status, a.body)
			}
		})
	}
}

type xmlCards struct {
	Cards []struct {
		ID     string `xml:"card_id"`
		Number string `xml:"card_number"`
		Name   string `xml:"card_name"`
		PIN    string `xml:"card_pin"`
		Batch  string `xml:"card_batch_number"`
		Sold   string `xml:"card_sold"`
		Curr   string `xml:"card_currency"`
	} `xml:"cards>card"`
}

func TestCallingCardsGet(t *testing.T) {
	if _, err := New(Options{Extensions: []string{"card_balance_get"}}); err == nil {
		t.Fatal("unknown extension accepted")
	}
	s, ts := newSim(t, ExtCallingCardsGet)
	cards(t, postQuery(t, ts.URL, SellPath, sellParams("8", "1"), nil)) // sells 8000001
	get := func(q url.Values) xmlCards {
		t.Helper()
		a := postQuery(t, ts.URL, CardsGetPath, q, nil)
		var c xmlCards
		if a.status != 200 || xml.Unmarshal([]byte(a.body), &c) != nil || !strings.HasPrefix(a.body, xmlDecl+"<page>") {
			t.Fatalf("status %d body %q", a.status, a.body)
		}
		return c
	}
	base := func(kv ...string) url.Values {
		q := url.Values{"u": {User}, "hash": {Hash(Secret)}}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return q
	}
	cases := []struct {
		name string
		q    url.Values
		n    int
		sold string // of the first card, "" to skip
	}{
		{"all cards", base(), 82, "0"},
		{"batch 8", base("batch_number", "8"), 2, "1"},
		{"sold=yes", base("sold", "yes"), 1, "1"},
		{"sold=1", base("sold", "1"), 1, "1"},
		{"sold=no", base("sold", "no", "batch_number", "8"), 1, "0"},
		{"sold=all", base("sold", "all", "batch_number", "8"), 2, ""},
		{"by number", base("number", "7000003"), 1, "0"},
		{"by pin", base("pin", demoPIN(1, 3)), 1, "0"},
		{"nothing matches", base("number", "123"), 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := get(c.q)
			if len(got.Cards) != c.n || c.sold != "" && got.Cards[0].Sold != c.sold {
				t.Fatalf("%d cards %+v", len(got.Cards), got.Cards)
			}
		})
	}
	one := get(base("number", "7000003")).Cards[0]
	if one.ID != "43" || one.Batch != "7" || one.Curr != "USD" || one.PIN != demoPIN(1, 3) || one.Name == "" {
		t.Fatalf("card = %+v", one)
	}
	for _, c := range []struct {
		name string
		q    url.Values
		want string
	}{
		{"bad login", func() url.Values { q := base(); q.Set("u", "x"); return q }(), ErrBadLogin},
		{"hash with filters in it", func() url.Values { q := base("number", "7000003"); q.Set("hash", Hash(Secret, "7000003")); return q }(), ErrIncorrectHash},
	} {
		if a := postQuery(t, ts.URL, CardsGetPath, c.q, nil); a.body != errorBody(c.want) {
			t.Errorf("%s: %q", c.name, a.body)
		}
	}
	if s.Sold() != 1 {
		t.Fatalf("calling_cards_get sold something: %d", s.Sold())
	}
}

func TestClock(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.FixedZone("AST", 3*3600))
	s, err := New(Options{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	check := func(path string, q url.Values) {
		t.Helper()
		a := postQuery(t, ts.URL, path, q, nil)
		mu.Lock()
		want := now.UTC().Format(http.TimeFormat)
		mu.Unlock()
		if got := a.header.Get("Date"); got != want {
			t.Fatalf("%s: Date %q, want %q", path, got, want)
		}
	}
	check(SellPath, sellParams("6", "1"))
	check("/nowhere", nil)
	check(SellPath, url.Values{"u": {"bad"}})
	mu.Lock()
	now = now.Add(36 * time.Hour)
	mu.Unlock()
	check(OldSellPath, sellParams("6", "1"))
	sl := s.Sales()
	if len(sl) != 2 || !sl[0].Time.Equal(time.Date(2030, 1, 2, 0, 4, 5, 0, time.UTC)) || sl[1].Time.Sub(sl[0].Time) != 36*time.Hour {
		t.Fatalf("sale times %v", sl)
	}
}

func TestCredentials(t *testing.T) {
	s, _ := newSim(t)
	if c := s.Credentials(); !strings.Contains(c, "u="+User) || !strings.Contains(c, Secret) {
		t.Fatalf("Credentials = %q", c)
	}
	if s.Faults == nil {
		t.Fatal("no Faults")
	}
}
