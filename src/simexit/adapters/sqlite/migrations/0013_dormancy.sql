-- Dormant-line reclamation (docs/dormancy.md).
--
-- line_dormancy holds, per line, the dormancy warnings sent (first and final,
-- when) and the holder's latest "keep my line" (a sign-in), which stops the
-- clock as paid activity does. A line has no row until the sweep warns it or
-- its holder signs in.
CREATE TABLE line_dormancy (
  line_id         INTEGER PRIMARY KEY REFERENCES lines(id),
  operator_id     INTEGER NOT NULL REFERENCES operators(id),
  first_warned_at INTEGER,
  final_warned_at INTEGER,
  kept_at         INTEGER
) STRICT;

-- The sweep reads only the lines idle long enough to be due: one operator's
-- lines by last paid activity.
CREATE INDEX lines_operator_activity ON lines (operator_id, last_paid_activity_at);

-- The sweep closes lines through a channel of its own, `system`. SQLite cannot
-- change a CHECK in place, so terminations is rebuilt with the same columns,
-- rows and indexes. The foreign keys that point at it are deferred while the
-- table is away: dropping it counts its referencing rows as violations, and
-- inserting the same rows back counts them off again, so the commit finds
-- none (and would refuse the migration if a row went missing).
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE terminations_before_0013 AS SELECT * FROM terminations;
DROP TABLE terminations;
CREATE TABLE terminations (
  id                 TEXT    PRIMARY KEY,
  operator_id        INTEGER NOT NULL REFERENCES operators(id),
  line_id            INTEGER NOT NULL REFERENCES lines(id),
  holder_id          INTEGER REFERENCES holders(id),
  msisdn             TEXT    NOT NULL,
  channel            TEXT    NOT NULL
                     CHECK (channel IN ('online', 'store', 'proxy', 'phone', 'mail', 'system')),
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
  review_since       INTEGER,
  reason_code        TEXT    NOT NULL DEFAULT '',
  reviewed_by        TEXT    NOT NULL DEFAULT '',
  postmarked_on      TEXT    NOT NULL DEFAULT '',
  contact_msisdn     TEXT    NOT NULL DEFAULT '',
  CHECK ((refund_method IS NULL) = (refund_destination IS NULL))
) STRICT;
INSERT INTO terminations SELECT * FROM terminations_before_0013;
DROP TABLE terminations_before_0013;
CREATE INDEX terminations_line_state ON terminations (line_id, state);
CREATE INDEX terminations_operator_created ON terminations (operator_id, created_at);
CREATE INDEX terminations_msisdn ON terminations (msisdn);
-- At most one open (not final) termination per line, whatever the caller checks.
CREATE UNIQUE INDEX terminations_one_open ON terminations (line_id)
  WHERE state NOT IN ('terminated', 'rejected', 'cancelled');
CREATE INDEX terminations_review_queue
  ON terminations (operator_id, state, review_since, created_at, id);
