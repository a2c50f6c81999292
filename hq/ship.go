package hq

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"kiosk/money"
)

// Ship stores a batch of the terminal's outbox entries, in order, in one
// transaction, and returns only after PostgreSQL committed it: a nil error
// means every entry is stored, any error means none may be taken as
// stored (the caller ships them again, which changes nothing).
//
// Every row is an upsert keyed as issue 13 says — sales and decisions by
// (terminal, reference), Z-reports by (terminal, Z number) — and a row is
// replaced only by a later outbox version of itself, so shipping an entry
// twice, or an older one after a newer, leaves head office as it was.
// Each table takes the whole batch in one statement.
//
// An empty batch still tells head office the terminal is alive (its last
// contact). A second shipper of the same terminal waits for the first to
// commit (an advisory lock), and says so through Options.Logf.
func (s *Sender) Ship(ctx context.Context, batch []Entry) error {
	if err := checkBatch(batch); err != nil {
		return err
	}
	var maxSeq uint64
	if len(batch) > 0 {
		maxSeq = batch[len(batch)-1].Seq
	}
	s.at("begin")
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if err := s.lock(ctx, tx); err != nil {
			return err
		}
		if err := s.register(ctx, tx, maxSeq); err != nil {
			return err
		}
		if err := s.store(ctx, tx, batch); err != nil {
			return err
		}
		s.at("commit")
		return nil
	})
	if err != nil {
		return s.db.explain(err, fmt.Sprintf("ship %d entries of terminal %d", len(batch), s.t.Number))
	}
	s.at("committed")
	return nil
}

func (s *Sender) at(step string) {
	if s.step != nil {
		s.step(step)
	}
}

// checkBatch refuses the whole batch, before anything is sent, when one
// entry is malformed or the batch is out of order.
func checkBatch(batch []Entry) error {
	for i := range batch {
		e := &batch[i]
		if err := e.check(); err != nil {
			return &lineError{kind: ErrBadEntry, msg: "head office: " + err.Error()}
		}
		if i > 0 && e.Seq <= batch[i-1].Seq {
			return &lineError{kind: ErrBadEntry, msg: fmt.Sprintf(
				"head office: outbox entry %d follows entry %d: a batch must be in outbox order", e.Seq, batch[i-1].Seq)}
		}
	}
	return nil
}

// lock holds the terminal for this transaction. A shipper that finds it
// held says so, then waits: the other one's entries are the same or
// older, and upserting them again after it is harmless.
func (s *Sender) lock(ctx context.Context, tx pgx.Tx) error {
	var got bool
	if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1, $2)", lockClass, s.t.Number).Scan(&got); err != nil {
		return err
	}
	if got {
		return nil
	}
	s.db.logf("head office: another shipper is sending terminal %d's entries; waiting for it to finish", s.t.Number)
	_, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", lockClass, s.t.Number)
	return err
}

// register records the terminal's contact, or refuses a terminal number
// that another journal already ships under.
func (s *Sender) register(ctx context.Context, tx pgx.Tx, maxSeq uint64) error {
	now := s.db.opt.Now()
	tag, err := tx.Exec(ctx, `
		INSERT INTO terminals AS t (terminal, epoch, name, first_seen, last_contact, last_seq)
		VALUES ($1, $2, $3, $4, $4, $5)
		ON CONFLICT (terminal) DO UPDATE SET
			name = EXCLUDED.name,
			last_contact = greatest(t.last_contact, EXCLUDED.last_contact),
			last_seq = greatest(t.last_seq, EXCLUDED.last_seq)
		WHERE t.epoch = EXCLUDED.epoch`,
		s.t.Number, s.t.Epoch, s.t.Name, now, int64(maxSeq))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var epoch, name string
	var first, last time.Time
	err = tx.QueryRow(ctx, "SELECT epoch, name, first_seen, last_contact FROM terminals WHERE terminal = $1", s.t.Number).
		Scan(&epoch, &name, &first, &last)
	if err != nil {
		return err
	}
	return errTerminalUsed(s.t, epoch, name, first, last)
}

// store upserts the batch, one statement per table that has entries.
func (s *Sender) store(ctx context.Context, tx pgx.Tx, batch []Entry) error {
	rows := map[*table][][]any{}
	for i := range batch {
		for t, r := range rowsOf(&batch[i]) {
			rows[t] = append(rows[t], r...)
		}
	}
	// Parents before children: a Z-report's totals refer to it.
	for _, t := range tables {
		if len(rows[t]) == 0 {
			continue
		}
		if _, err := tx.Exec(ctx, t.sql, t.args(s.t.Number, rows[t])...); err != nil {
			return fmt.Errorf("store %d rows in %s: %w", len(rows[t]), t.name, err)
		}
		s.at("stored " + t.name)
	}
	return nil
}

// rowsOf turns an entry into rows of its tables, in the columns' order.
func rowsOf(e *Entry) map[*table][][]any {
	seq := int64(e.Seq)
	switch e.Kind {
	case KindSale:
		return map[*table][][]any{salesTable: {saleRow(seq, e.Sale)}}
	case KindDecision:
		d := e.Decision
		return map[*table][][]any{decisionsTable: {{d.Ref, seq, d.At, d.By, d.State, d.Reason}}}
	case KindZReport:
		return zRows(seq, e.ZReport)
	case KindSettled:
		m := e.Settled
		row := []any{m.Ref, m.Provider, seq, m.Kind, m.Day, int64(m.Z), m.ProductID, m.Product, m.JournalState,
			m.ProviderState}
		row = append(row, moneyCols(m.Cost, m.Charged)...)
		row = append(row, m.ProviderRef, m.Detail, m.SettledAt, m.SettledBy, m.Reason)
		return map[*table][][]any{settledTable: {row}}
	case KindNote:
		n := e.Note
		return map[*table][][]any{notesTable: {{int64(n.Z), int64(n.Seq), seq, n.At, n.By, n.Text}}}
	}
	return nil
}

func saleRow(seq int64, s *Sale) []any {
	q := s.Quantity
	if q == 0 {
		q = 1
	}
	row := []any{s.Ref, seq, s.Clerk, s.Created, s.Updated, s.Provider, s.ProductID, s.Product, s.Customer,
		s.State, s.ProviderRef, int32(q)}
	return append(row, moneyCols(s.Retail, s.RetailVAT, s.RetailBeforeVAT, s.Cost, s.CostVAT, s.CostBeforeVAT,
		s.Fee, s.Charged, s.FeeVAT)...)
}

func zRows(seq int64, z *ZReport) map[*table][][]any {
	n := int64(z.Number)
	out := map[*table][][]any{zTable: {{n, seq, z.Day, z.From, z.To, z.ClosedAt, z.ClosedBy,
		int32(z.Mismatches), int32(z.NotCounted)}}}
	for _, t := range z.Totals {
		out[zTotalsTable] = append(out[zTotalsTable], []any{n, t.Provider, t.Currency, t.CostCurrency, t.VATCurrency,
			int32(t.Sales), t.Retail.String(), t.VAT.String(), t.Cost.String()})
	}
	for _, c := range z.Cash {
		var counted *string
		if c.Counted != nil {
			v := c.Counted.String()
			counted = &v
		}
		out[zCashTable] = append(out[zCashTable], []any{n, c.Currency, c.Float.String(), c.Sales.String(),
			c.Expected.String(), counted})
	}
	return out
}

// moneyCols writes each amount as exact decimal text and its currency.
func moneyCols(ms ...money.Money) []any {
	out := make([]any, 0, 2*len(ms))
	for _, m := range ms {
		out = append(out, m.Amount.String(), m.Currency)
	}
	return out
}

// A table as Ship writes it: every column but terminal, in the order the
// rows give them, with the key rows are upserted by.
type table struct {
	name string
	key  []string // besides terminal
	cols []column
	// versioned tables have a seq column: a row is replaced only by a
	// later version. The others are written once and never replaced.
	versioned bool
	sql       string // the upsert, written at init
}

type column struct{ name, typ string }

// init writes each table's statement once, before any goroutine ships.
func init() {
	for _, t := range tables {
		t.sql = t.upsertSQL()
	}
}

// upsertSQL is one multi-row upsert from arrays, one array per column: a
// batch of any size is one statement and one round trip.
func (t *table) upsertSQL() string {
	var names, sel, params, alias []string
	for i, c := range t.cols {
		names = append(names, c.name)
		alias = append(alias, c.name)
		// numeric and date travel as text and are cast here: exact, and
		// one array type for both.
		wire := c.typ
		if wire == "numeric" || wire == "date" {
			wire = "text"
		}
		params = append(params, fmt.Sprintf("$%d::%s[]", i+2, wire))
		sel = append(sel, fmt.Sprintf("u.%s::%s", c.name, c.typ))
	}
	var ukey []string
	for _, k := range t.key {
		ukey = append(ukey, "u."+k)
	}
	order := strings.Join(ukey, ", ")
	if t.versioned {
		order += ", u.seq DESC"
	}
	onConflict := "DO NOTHING"
	if t.versioned {
		var set []string
		for _, c := range t.cols {
			set = append(set, c.name+" = EXCLUDED."+c.name)
		}
		onConflict = "DO UPDATE SET " + strings.Join(set, ", ") + " WHERE old.seq < EXCLUDED.seq"
	}
	// DISTINCT ON keeps one row per key (the latest version): one statement
	// may not touch a row twice.
	return fmt.Sprintf(`INSERT INTO %s AS old (terminal, %s)
SELECT DISTINCT ON (%s) $1::integer, %s
FROM unnest(%s) AS u(%s)
ORDER BY %s
ON CONFLICT (terminal, %s) %s`,
		t.name, strings.Join(names, ", "), strings.Join(ukey, ", "), strings.Join(sel, ", "),
		strings.Join(params, ", "), strings.Join(alias, ", "), order, strings.Join(t.key, ", "), onConflict)
}

// args turns rows into one array per column.
func (t *table) args(terminal int, rows [][]any) []any {
	args := make([]any, 1+len(t.cols))
	args[0] = int32(terminal)
	for i := range t.cols {
		col := make([]any, len(rows))
		for r := range rows {
			col[r] = rows[r][i]
		}
		args[i+1] = col
	}
	return args
}

func cols(spec ...string) []column {
	out := make([]column, len(spec))
	for i, s := range spec {
		name, typ, _ := strings.Cut(s, " ")
		out[i] = column{name, typ}
	}
	return out
}

func moneyColumns(names ...string) []string {
	var out []string
	for _, n := range names {
		out = append(out, n+" numeric", n+"_currency text")
	}
	return out
}

var (
	salesTable = &table{name: "sales", key: []string{"ref"}, versioned: true, cols: cols(append([]string{
		"ref text", "seq bigint", "clerk text", "created_at timestamptz", "updated_at timestamptz", "provider text",
		"product_id text", "product text", "customer_masked text", "state text", "provider_ref text",
		"quantity integer"},
		moneyColumns("retail", "retail_vat", "retail_before_vat", "cost", "cost_vat", "cost_before_vat", "fee",
			"charged", "fee_vat")...)...)}
	decisionsTable = &table{name: "decisions", key: []string{"ref"}, versioned: true, cols: cols(
		"ref text", "seq bigint", "decided_at timestamptz", "decided_by text", "state text", "reason text")}
	zTable = &table{name: "z_reports", key: []string{"z"}, cols: cols(
		"z bigint", "seq bigint", "day date", "from_at timestamptz", "to_at timestamptz", "closed_at timestamptz",
		"closed_by text", "mismatches integer", "not_counted integer")}
	zTotalsTable = &table{name: "z_totals", key: []string{"z", "provider", "currency", "cost_currency", "vat_currency"},
		cols: cols("z bigint", "provider text", "currency text", "cost_currency text", "vat_currency text",
			"sales integer", "retail numeric", "vat numeric", "cost numeric")}
	zCashTable = &table{name: "z_cash", key: []string{"z", "currency"}, cols: cols(
		"z bigint", "currency text", "float numeric", "sales numeric", "expected numeric", "counted numeric")}
	settledTable = &table{name: "settled_mismatches", key: []string{"ref", "provider"}, versioned: true,
		cols: cols(append(append([]string{"ref text", "provider text", "seq bigint", "kind text", "day date",
			"z bigint", "product_id text", "product text", "journal_state text", "provider_state text"},
			moneyColumns("cost", "charged")...),
			"provider_ref text", "detail text", "settled_at timestamptz", "settled_by text", "reason text")...)}
	notesTable = &table{name: "notes", key: []string{"z", "note_seq"}, cols: cols(
		"z bigint", "note_seq bigint", "seq bigint", "noted_at timestamptz", "noted_by text", "text text")}

	// tables in the order Ship writes them.
	tables = []*table{salesTable, decisionsTable, zTable, zTotalsTable, zCashTable, settledTable, notesTable}
)
