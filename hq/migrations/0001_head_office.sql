-- Head office, first schema: what the kiosks ship (see hq/entry.go) and
-- the terminals that ship it. Every table is keyed so that shipping the
-- same entry again changes nothing: sales and decisions by (terminal,
-- ref), Z-reports by (terminal, z), notes by (terminal, z, seq), settled
-- mismatches by (terminal, ref, provider). `seq` is the kiosk's outbox
-- sequence of the version stored: a row is only replaced by a later one.
--
-- Nothing here can hold a PIN, a serial or a secret: no such column exists.
-- Amounts are numeric(24,6), the scale of kiosk/money, each with its own
-- currency ('' when the kiosk had no amount).

CREATE TABLE terminals (
    terminal     integer     PRIMARY KEY CHECK (terminal BETWEEN 1 AND 999),
    epoch        text        NOT NULL CHECK (epoch <> ''), -- the journal this terminal number belongs to
    name         text        NOT NULL DEFAULT '',          -- terminal id, "T001"
    first_seen   timestamptz NOT NULL,
    last_contact timestamptz NOT NULL,
    last_seq     bigint      NOT NULL DEFAULT 0            -- highest outbox sequence committed
);

CREATE TABLE sales (
    terminal          integer     NOT NULL REFERENCES terminals,
    ref               text        NOT NULL,
    seq               bigint      NOT NULL,
    clerk             text        NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    provider          text        NOT NULL,
    product_id        text        NOT NULL DEFAULT '',
    product           text        NOT NULL DEFAULT '',
    customer_masked   text        NOT NULL DEFAULT '',
    state             text        NOT NULL,
    provider_ref      text        NOT NULL DEFAULT '',
    quantity          integer     NOT NULL DEFAULT 1,
    retail            numeric(24,6) NOT NULL, retail_currency            text NOT NULL,
    retail_vat        numeric(24,6) NOT NULL, retail_vat_currency        text NOT NULL,
    retail_before_vat numeric(24,6) NOT NULL, retail_before_vat_currency text NOT NULL,
    cost              numeric(24,6) NOT NULL, cost_currency              text NOT NULL,
    cost_vat          numeric(24,6) NOT NULL, cost_vat_currency          text NOT NULL,
    cost_before_vat   numeric(24,6) NOT NULL, cost_before_vat_currency   text NOT NULL,
    fee               numeric(24,6) NOT NULL, fee_currency               text NOT NULL,
    charged           numeric(24,6) NOT NULL, charged_currency           text NOT NULL,
    PRIMARY KEY (terminal, ref)
);
-- Reports and reconciliation read a period of one provider's sales.
CREATE INDEX sales_by_time ON sales (created_at, provider);
-- Fleet reconciliation finds a provider's record by our reference alone.
CREATE INDEX sales_by_ref ON sales (ref);

CREATE TABLE decisions (
    terminal   integer     NOT NULL REFERENCES terminals,
    ref        text        NOT NULL,
    seq        bigint      NOT NULL,
    decided_at timestamptz NOT NULL,
    decided_by text        NOT NULL,
    state      text        NOT NULL, -- what the supervisor decided: succeeded or failed
    reason     text        NOT NULL,
    PRIMARY KEY (terminal, ref)
);

CREATE TABLE z_reports (
    terminal    integer     NOT NULL REFERENCES terminals,
    z           bigint      NOT NULL,
    seq         bigint      NOT NULL,
    day         date        NOT NULL,
    from_at     timestamptz NOT NULL,
    to_at       timestamptz NOT NULL,
    closed_at   timestamptz NOT NULL,
    closed_by   text        NOT NULL,
    mismatches  integer     NOT NULL DEFAULT 0,
    not_counted integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (terminal, z)
);

-- A Z-report's totals, one row per provider and currency set, as the
-- kiosk's end of day counted them.
CREATE TABLE z_totals (
    terminal      integer       NOT NULL,
    z             bigint        NOT NULL,
    provider      text          NOT NULL,
    currency      text          NOT NULL,
    cost_currency text          NOT NULL,
    vat_currency  text          NOT NULL,
    sales         integer       NOT NULL,
    retail        numeric(24,6) NOT NULL,
    vat           numeric(24,6) NOT NULL,
    cost          numeric(24,6) NOT NULL,
    PRIMARY KEY (terminal, z, provider, currency, cost_currency, vat_currency),
    FOREIGN KEY (terminal, z) REFERENCES z_reports
);

-- A Z-report's cash drawer, per currency; counted is null when not counted.
CREATE TABLE z_cash (
    terminal integer       NOT NULL,
    z        bigint        NOT NULL,
    currency text          NOT NULL,
    float    numeric(24,6) NOT NULL,
    sales    numeric(24,6) NOT NULL,
    expected numeric(24,6) NOT NULL,
    counted  numeric(24,6),
    PRIMARY KEY (terminal, z, currency),
    FOREIGN KEY (terminal, z) REFERENCES z_reports
);

CREATE TABLE settled_mismatches (
    terminal       integer       NOT NULL REFERENCES terminals,
    ref            text          NOT NULL,
    provider       text          NOT NULL,
    seq            bigint        NOT NULL,
    kind           text          NOT NULL,
    day            date          NOT NULL,
    z              bigint        NOT NULL DEFAULT 0,
    product_id     text          NOT NULL DEFAULT '',
    product        text          NOT NULL DEFAULT '',
    journal_state  text          NOT NULL DEFAULT '',
    provider_state text          NOT NULL DEFAULT '',
    cost           numeric(24,6) NOT NULL, cost_currency    text NOT NULL,
    charged        numeric(24,6) NOT NULL, charged_currency text NOT NULL,
    provider_ref   text          NOT NULL DEFAULT '',
    detail         text          NOT NULL DEFAULT '',
    settled_at     timestamptz   NOT NULL,
    settled_by     text          NOT NULL,
    reason         text          NOT NULL,
    PRIMARY KEY (terminal, ref, provider)
);

CREATE TABLE notes (
    terminal integer     NOT NULL REFERENCES terminals,
    z        bigint      NOT NULL,
    note_seq bigint      NOT NULL, -- the note's number within its Z-report
    seq      bigint      NOT NULL,
    noted_at timestamptz NOT NULL,
    noted_by text        NOT NULL,
    text     text        NOT NULL,
    PRIMARY KEY (terminal, z, note_seq)
);
