-- Conventions: money is INTEGER tiyn, times are INTEGER Unix seconds (UTC),
-- enums are TEXT in their ToString() form and CHECKed. STRICT tables refuse a
-- value of the wrong type instead of silently storing it. Optional references
-- are NULL (never 0) so that foreign keys hold.

CREATE TABLE operators (
  id               INTEGER PRIMARY KEY,
  code             TEXT    NOT NULL UNIQUE,
  name             TEXT    NOT NULL,
  policy_json      TEXT    NOT NULL,
  default_language TEXT    NOT NULL,
  created_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE holders (
  id               INTEGER PRIMARY KEY,
  operator_id      INTEGER NOT NULL REFERENCES operators(id),
  full_name        TEXT    NOT NULL,
  document_kind    TEXT    NOT NULL CHECK (document_kind IN ('iin', 'id_card', 'passport')),
  document_number  TEXT    NOT NULL,
  document_country TEXT    NOT NULL,
  iin              TEXT    NOT NULL,
  language         TEXT    NOT NULL,
  time_zone        TEXT    NOT NULL,
  created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX holders_document ON holders (operator_id, document_kind, document_number);

CREATE TABLE lines (
  id                    INTEGER PRIMARY KEY,
  operator_id           INTEGER NOT NULL REFERENCES operators(id),
  holder_id             INTEGER REFERENCES holders(id),
  msisdn                TEXT    NOT NULL UNIQUE,
  iccid                 TEXT    UNIQUE,
  imsi                  TEXT    UNIQUE,
  kind                  TEXT    NOT NULL CHECK (kind IN ('physical', 'esim')),
  status                TEXT    NOT NULL
                        CHECK (status IN ('active', 'barred', 'terminated', 'quarantined',
                                          'available')),
  main_balance          INTEGER NOT NULL,
  bonus_balance         INTEGER NOT NULL,
  outstanding_charges   INTEGER NOT NULL,
  last_paid_activity_at INTEGER NOT NULL,
  quarantine_until      INTEGER,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
) STRICT;
CREATE INDEX lines_operator ON lines (operator_id, id);
CREATE INDEX lines_holder ON lines (holder_id);

CREATE TABLE terminations (
  id                 TEXT    PRIMARY KEY,
  operator_id        INTEGER NOT NULL REFERENCES operators(id),
  line_id            INTEGER NOT NULL REFERENCES lines(id),
  holder_id          INTEGER REFERENCES holders(id),
  msisdn             TEXT    NOT NULL,
  channel            TEXT    NOT NULL
                     CHECK (channel IN ('online', 'store', 'proxy', 'phone', 'mail')),
  state              TEXT    NOT NULL
                     CHECK (state IN ('submitted', 'verified', 'in_review', 'approved',
                                      'scheduled', 'settling', 'awaiting_payment',
                                      'deprovisioning', 'terminated', 'rejected',
                                      'cancelled')),
  scheduled_for      INTEGER,
  refund_method      TEXT    CHECK (refund_method IN ('bank_card', 'iban', 'other_line')),
  refund_destination TEXT,
  settlement_json    TEXT,
  requested_by       TEXT    NOT NULL,
  reason             TEXT    NOT NULL,
  certificate_serial TEXT    NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  CHECK ((refund_method IS NULL) = (refund_destination IS NULL))
) STRICT;
CREATE INDEX terminations_line_state ON terminations (line_id, state);
CREATE INDEX terminations_operator_created ON terminations (operator_id, created_at);
CREATE INDEX terminations_msisdn ON terminations (msisdn);
-- At most one open (not final) termination per line, whatever the caller checks.
CREATE UNIQUE INDEX terminations_one_open ON terminations (line_id)
  WHERE state NOT IN ('terminated', 'rejected', 'cancelled');

CREATE TABLE termination_events (
  id             INTEGER PRIMARY KEY,
  termination_id TEXT    NOT NULL REFERENCES terminations(id),
  event          TEXT    NOT NULL,
  from_state     TEXT    NOT NULL,
  to_state       TEXT    NOT NULL,
  actor          TEXT    NOT NULL,
  channel        TEXT    NOT NULL,
  detail         TEXT    NOT NULL,
  at             INTEGER NOT NULL
) STRICT;
CREATE INDEX termination_events_termination ON termination_events (termination_id, id);

-- A posting is a set of ledger entries that sum to zero (checked by the store
-- before insert; SQL cannot check a sum per row). UNIQUE(termination_id, kind)
-- makes each kind of posting exactly-once per termination; opening balances
-- have no termination (NULLs never conflict).
CREATE TABLE postings (
  id             INTEGER PRIMARY KEY,
  operator_id    INTEGER NOT NULL REFERENCES operators(id),
  line_id        INTEGER REFERENCES lines(id),
  termination_id TEXT    REFERENCES terminations(id),
  kind           TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  UNIQUE (termination_id, kind)
) STRICT;
CREATE INDEX postings_line ON postings (line_id, id);

CREATE TABLE ledger_entries (
  id         INTEGER PRIMARY KEY,
  posting_id INTEGER NOT NULL REFERENCES postings(id),
  account    TEXT    NOT NULL,
  amount     INTEGER NOT NULL
) STRICT;
CREATE INDEX ledger_entries_posting ON ledger_entries (posting_id, id);
CREATE INDEX ledger_entries_account ON ledger_entries (account);

CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT    NOT NULL,
  payload      TEXT    NOT NULL,
  dedupe_key   TEXT    UNIQUE,
  state        TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead')),
  run_at       INTEGER NOT NULL,
  attempts     INTEGER NOT NULL CHECK (attempts >= 0),
  max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
  lease_owner  TEXT    NOT NULL,
  lease_until  INTEGER NOT NULL,
  last_error   TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  CHECK (state <> 'running' OR lease_owner <> '')
) STRICT;
CREATE INDEX jobs_due ON jobs (state, run_at);

CREATE TABLE idempotency_keys (
  scope         TEXT    NOT NULL,
  "key"         TEXT    NOT NULL,
  request_hash  TEXT    NOT NULL,
  status        INTEGER NOT NULL,
  response_body TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (scope, "key")
) STRICT;

CREATE TABLE otp_challenges (
  id           INTEGER PRIMARY KEY,
  msisdn       TEXT    NOT NULL,
  code_hash    TEXT    NOT NULL,
  salt         TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  attempts     INTEGER NOT NULL CHECK (attempts >= 0),
  max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
  consumed_at  INTEGER
) STRICT;
CREATE INDEX otp_challenges_msisdn ON otp_challenges (msisdn, created_at);

CREATE TABLE sessions (
  token_hash TEXT    PRIMARY KEY,
  holder_id  INTEGER NOT NULL REFERENCES holders(id),
  msisdn     TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
  id          INTEGER PRIMARY KEY,
  key_hash    TEXT    NOT NULL UNIQUE,
  prefix      TEXT    NOT NULL,
  role        TEXT    NOT NULL CHECK (role IN ('operator', 'admin')),
  operator_id INTEGER REFERENCES operators(id),
  label       TEXT    NOT NULL,
  disabled    INTEGER NOT NULL CHECK (disabled IN (0, 1)),
  created_at  INTEGER NOT NULL,
  CHECK ((role = 'admin') = (operator_id IS NULL))
) STRICT;

CREATE TABLE certificates (
  serial         TEXT    PRIMARY KEY,
  termination_id TEXT    NOT NULL UNIQUE REFERENCES terminations(id),
  operator_id    INTEGER NOT NULL REFERENCES operators(id),
  document       TEXT    NOT NULL,
  created_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE sequences (
  name  TEXT    PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;
