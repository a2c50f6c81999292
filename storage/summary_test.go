package storage

import (
	"encoding/binary"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"kiosk/money"
)

func TestSummaryRoundTrip(t *testing.T) {
	riyadh := time.FixedZone("", 3*3600)
	sar := func(s string) money.Money { return money.New(money.MustParse(s), "SAR") }
	for _, tc := range []struct {
		name string
		s    SummaryRecord
	}{
		{"empty", SummaryRecord{}},
		{"sold", SummaryRecord{Ref: "0071234560000001", Provider: "bitaqaty", ProductID: "2862", ProductName: "iTunes 50 SAR",
			Brand: "iTunes", Customer: "966500000123", Clerk: "amal", State: "succeeded", Cost: sar("52.9"), Retail: sar("57.5"),
			RetailVAT: sar("7.5"), Fee: sar("0.000001"), FeeVAT: sar("0.3"), CostVAT: sar("6.9"), Charged: sar("52.9"), Prints: 3,
			Created: time.Date(2026, 11, 24, 10, 0, 0, 123456789, time.UTC)}},
		{"arabic, negative, offset", SummaryRecord{ProductName: "بطاقة آيتونز", Message: "refund −1", Charged: sar("-12.345678"),
			Created: time.Date(2026, 11, 24, 10, 0, 0, 0, riyadh)}},
		{"mixed currencies", SummaryRecord{Cost: money.New(money.MustParse("100"), "INR"), Retail: sar("5")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := encodeSummary(tc.s)
			got, err := decodeSummary(b)
			if err != nil {
				t.Fatal(err)
			}
			// The summary must come back as the sale record's JSON time does.
			var viaJSON struct{ T time.Time }
			j, _ := json.Marshal(struct{ T time.Time }{tc.s.Created})
			if err := json.Unmarshal(j, &viaJSON); err != nil {
				t.Fatal(err)
			}
			want := tc.s
			want.Created = viaJSON.T
			if got != want {
				t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestSummaryDamageIsAnError(t *testing.T) {
	b := encodeSummary(SummaryRecord{Ref: "0071234560000001", State: "succeeded", Created: time.Unix(1e9, 0)})
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"nothing", nil, "unknown form"},
		{"JSON of an unmigrated journal", []byte(`{"ref":"1"}`), "not migrated"},
		{"future version", append([]byte{9}, b[1:]...), "unknown form"},
		{"cut short", b[:len(b)/2], "cut short"},
		{"version 1 read as 1: two amounts too many", append([]byte{summaryV1}, b[1:]...), "after the summary"},
		{"trailing bytes", append(append([]byte{}, b...), 0), "after the summary"},
		{"length past the end", []byte{summaryV1, 0xff, 0x7f}, "cut short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := decodeSummary(tc.b); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// Sales of one product share one copy of it; a sale of a changed product
// gets its own, and the older sale keeps the product as it was sold.
func TestSalesShareProductCopies(t *testing.T) {
	j := openTest(t, filepath.Join(t.TempDir(), "j.db"), testKey())
	defer j.Close()
	var refs []string
	for i, name := range []string{"iTunes 50 SAR", "iTunes 50 SAR", "iTunes 50 SAR", "iTunes Card 50 SAR"} {
		s := newSale()
		s.Product.Name = name
		s.Created = s.Created.Add(time.Duration(i) * time.Minute)
		if err := j.Prepare(s); err != nil {
			t.Fatal(err)
		}
		if _, err := setState(j, s.Ref, "succeeded", false, nil); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, s.Ref)
	}
	copies := 0
	if err := j.view(func(tx *bolt.Tx) error {
		copies = tx.Bucket(bucketProductCopies).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if copies != 2 {
		t.Fatalf("%d product copies for two versions of one product", copies)
	}
	first, _ := j.Sale(refs[0])
	last, _ := j.Sale(refs[3])
	if first.Product.Name != "iTunes 50 SAR" || last.Product.Name != "iTunes Card 50 SAR" || first.ProductKey == last.ProductKey {
		t.Fatalf("copies: %q (%s) and %q (%s)", first.Product.Name, first.ProductKey, last.Product.Name, last.ProductKey)
	}
	if len(first.Product.Fields) != 1 || first.Product.Fields[0].Kind != "phone" {
		t.Fatalf("the copy lost the product's fields: %+v", first.Product)
	}

	// A sale whose copy has gone says so, naming the copy.
	if err := j.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketProductCopies).Delete([]byte(first.ProductKey)) }); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Sale(refs[0]); err == nil || !strings.Contains(err.Error(), "product copy "+first.ProductKey+" is missing") {
		t.Fatalf("reading a sale without its product copy: %v", err)
	}
	if problems, err := j.Check(); err != nil || len(problems) != 3 || !strings.Contains(problems[0], first.ProductKey) { // the three sales of that copy
		t.Fatalf("journal check of a sale without its product copy: %q, %v", problems, err)
	}
}

// A summary written in the first form (five amounts) still reads.
func TestSummaryVersion1StillReads(t *testing.T) {
	sar := func(v string) money.Money { return money.New(money.MustParse(v), "SAR") }
	want := SummaryRecord{Ref: "0071234560000001", Provider: "bitaqaty", State: "succeeded", Cost: sar("52.9"), Retail: sar("57.5"),
		RetailVAT: sar("7.5"), Charged: sar("52.9"), Prints: 1, Created: time.Unix(1_800_000_000, 0).UTC()}
	b := []byte{summaryV1}
	for _, f := range []string{want.Ref, want.Provider, "", "", "", "", "", want.State, ""} {
		b = appendString(b, f)
	}
	for _, m := range []money.Money{want.Cost, want.Retail, want.RetailVAT, want.Fee, want.Charged} {
		b = appendString(b, m.Currency)
		b = binary.AppendVarint(b, m.Amount.Micros())
	}
	b = binary.AppendUvarint(b, 1)
	b = binary.AppendVarint(b, want.Created.Unix())
	b = binary.AppendUvarint(b, 0)
	b = binary.AppendVarint(b, 0)
	got, err := decodeSummary(b)
	if err != nil || got != want {
		t.Fatalf("version 1: %+v, %v\nwant %+v", got, err, want)
	}
}
