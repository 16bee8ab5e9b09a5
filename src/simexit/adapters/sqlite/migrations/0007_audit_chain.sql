-- The tamper-evident audit trail (docs/audit.md).
--
-- Every audit record and every termination event is a link in its operator's
-- chain: the link holds the SHA-256 of the previous link's hash and the
-- record's canonical form, written in the same transaction as the record. An
-- edit, a deletion or a re-ordering of records, or of links, breaks the chain
-- at that point (`simexit audit verify`).
--
-- operator_id is 0 for records of no single operator (an admin's action, a
-- sign-in attempt for a number no operator holds).
CREATE TABLE audit_chain (
  seq           INTEGER PRIMARY KEY,
  operator_id   INTEGER NOT NULL,
  kind          TEXT    NOT NULL CHECK (kind IN ('audit', 'event')),
  record_id     INTEGER NOT NULL,
  at            INTEGER NOT NULL,
  prev_hash     TEXT    NOT NULL,
  hash          TEXT    NOT NULL,
  UNIQUE (kind, record_id)
) STRICT;
CREATE INDEX audit_chain_by_operator ON audit_chain (operator_id, seq);

-- An audit record names the operator whose chain it joins (NULL: none).
ALTER TABLE audit_log ADD COLUMN operator_id INTEGER REFERENCES operators(id);

-- Records written before this migration are not chained (SQL has no SHA-256):
-- the chain starts after the newest record of each kind at this moment, and
-- `audit verify` reports every later record that has no link.
CREATE TABLE audit_chain_start (
  kind     TEXT    PRIMARY KEY CHECK (kind IN ('audit', 'event')),
  after_id INTEGER NOT NULL
) STRICT;
INSERT INTO audit_chain_start (kind, after_id)
VALUES ('audit', (SELECT COALESCE(MAX(id), 0) FROM audit_log)),
       ('event', (SELECT COALESCE(MAX(id), 0) FROM termination_events));
