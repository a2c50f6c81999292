package storage

// The journal's layout in one place, in the style of etcd's
// server/storage/schema: every bucket, the schema version, and the
// migrations from each older version. Buckets are created, and migrations
// run, only when a writable opening finds them missing or the version
// old: opening a current journal writes nothing.

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the journal layout this build writes. A journal with a
// higher version was written by a newer kiosk and is refused, untouched.
const SchemaVersion = 2

// Every bucket, declared once.
var (
	bucketMeta    = []byte("meta")    // schema version, journal epoch, sale sequence
	bucketSales   = []byte("sales")   // ref → SaleRecord
	bucketOpen    = []byte("open")    // ref → nothing: sales still to settle
	bucketByTime  = []byte("by_time") // 8-byte created unix-nanos + ref → SummaryRecord (summary.go)
	bucketCatalog = []byte("catalog") // provider → cached catalogue; "at:"+provider → time
	bucketAudit   = []byte("audit")   // 8-byte sequence → AuditRecord
	bucketUsers   = []byte("users")   // lower-case name → UserRecord
	// History indexes: digits of the customer number, or a product key,
	// then '|', 8-byte created unix-nanos and the ref → nothing.
	bucketByCustomer = []byte("by_customer")
	bucketByProduct  = []byte("by_product")
	bucketProducts   = []byte("products_sold") // provider/id → product name, for history search
	// bucketProductCopies: provider/id#hash of the copy → ProductRecord, shared by its sales.
	bucketProductCopies = []byte("product_copies")
	// bucketOutbox: 8-byte outbox sequence → OutboxRecord, what head office must learn (outbox.go).
	bucketOutbox   = []byte("outbox")
	bucketZReports = []byte("zreports") // 8-byte Z number → ZRecord, never rewritten
	bucketZNotes   = []byte("znotes")   // 8-byte Z number + 8-byte seq → NoteRecord
	// bucketRecon: "day/"+day → 8-byte Z number; "mis/"+ref+"/"+provider → MismatchRecord.
	bucketRecon = []byte("recon")

	allBuckets = [][]byte{bucketMeta, bucketSales, bucketOpen, bucketByTime, bucketCatalog, bucketAudit,
		bucketUsers, bucketZReports, bucketZNotes, bucketRecon, bucketByCustomer, bucketByProduct, bucketProducts, bucketProductCopies, bucketOutbox}

	keySchema = []byte("schema")
	keyEpoch  = []byte("epoch")
	keySeq    = []byte("sale_seq")
)

// migration moves a journal from version From to From+1. It may be run
// again on a journal it already (partly) migrated: a crash during a
// migration leaves the old version key, and the next opening runs it again.
type migration struct {
	From int
	What string
	Run  func(j *Journal) error
}

// migrations, oldest first. Each ends by writing its new version.
var migrations = []migration{
	{From: 1, What: "sales share product copies and the time index holds a summary", Run: migrate1to2},
}

// schemaVersion reads the version key (0 for a journal without one).
func schemaVersion(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0, nil
	}
	v, err := strconv.Atoi(string(meta.Get(keySchema)))
	if err != nil {
		return 0, fmt.Errorf("unreadable schema version %q", meta.Get(keySchema))
	}
	return v, nil
}

// migrate runs the migrations from version v up to SchemaVersion.
func (j *Journal) migrate(v int) error {
	for _, m := range migrations {
		if m.From < v {
			continue
		}
		if m.From != v {
			return fmt.Errorf("journal %s: no migration from schema %d", j.path, v)
		}
		if err := m.Run(j); err != nil {
			return fmt.Errorf("journal %s: migrate schema %d → %d (%s): %w", j.path, m.From, m.From+1, m.What, err)
		}
		v++
	}
	return nil
}

func putVersion(tx *bolt.Tx, v int) error {
	return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(v)))
}

// v1OpenStates were the open states of schema 1.
var v1OpenStates = map[string]bool{"prepared": true, "pending": true, "in_doubt": true, "needs_review": true}

// migrate1to2 rewrites every sale record: schema 1 wrote the sale core's
// structs, the product twice (the sale's and the quote's copy) in every
// record and nothing in the time index. A schema-1 sale decodes into a
// SaleRecord (the JSON names were kept); the migration adds what schema 2
// derives (the version, whether it is open, the customer's number), moves
// the product to the shared copies bucket and writes the summary the time
// index now holds. It works in batches of a few thousand sales a commit,
// so a large journal does not need its whole size in memory; a batch
// already migrated is skipped when it runs again.
func migrate1to2(j *Journal) error {
	const batch = 5000
	var after []byte
	for {
		done := false
		err := j.update(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketSales).Cursor()
			k, v := c.First()
			if after != nil {
				k, v = c.Seek(after)
				if k != nil && string(k) == string(after) {
					k, v = c.Next()
				}
			}
			var puts []SaleRecord
			for n := 0; k != nil && n < batch; k, v = c.Next() {
				n++
				var r SaleRecord
				if err := json.Unmarshal(v, &r); err != nil {
					return fmt.Errorf("sale %s: unreadable record: %w", k, err)
				}
				after = append(after[:0], k...)
				if r.V >= 2 {
					continue
				}
				r.V, r.Open, r.Customer = SaleVersion, v1OpenStates[r.State], v1Customer(&r)
				puts = append(puts, r)
			}
			done = k == nil
			for i := range puts { // after the walk: a Put under an open cursor moves it
				if err := j.putMigrated(tx, &puts[i]); err != nil {
					return err
				}
			}
			if done {
				return putVersion(tx, 2)
			}
			return nil
		})
		if err != nil || done {
			return err
		}
	}
}

// putMigrated writes a schema-1 sale as schema 2 does (its product to the
// copies bucket, its summary to the time index), keeping its sealed PINs
// as they were: the reference they are bound to does not change.
func (j *Journal) putMigrated(tx *bolt.Tx, r *SaleRecord) error {
	sum := encodeSummary(r.Summary())
	key, err := putProductCopy(tx, r.Provider, &r.Product)
	if err != nil {
		return err
	}
	rec := *r
	rec.ProductKey, rec.Product = key, ProductRecord{}
	val, err := json.Marshal(&rec)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketSales).Put([]byte(r.Ref), val); err != nil {
		return err
	}
	return tx.Bucket(bucketByTime).Put(timeKey(r.Created, r.Ref), sum)
}

// v1Customer is the customer's number as schema 1 found it: the first
// phone or digits field with a value.
func v1Customer(r *SaleRecord) string {
	for _, f := range r.Product.Fields {
		if r.Provider == "mor" && f.Name == "quantity" {
			continue // schema 1 wrote MOR's card count as digits: it is no customer's number
		}
		if f.Kind == "phone" || f.Kind == "digits" {
			if v := r.Quote.Fields[f.Name]; v != "" {
				return v
			}
		}
	}
	return ""
}

func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

// U64 encodes n as an 8-byte big-endian key, the form of every sequence key.
func U64(n uint64) []byte { return u64(n) }
