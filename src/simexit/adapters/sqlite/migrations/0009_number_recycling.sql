-- Number recycling checks (CAMARA Number Recycling, docs/number-recycling.md).
--
-- The third parties (banks, messengers) that may ask whether a number of one
-- operator changed hands, with their key stored only as a hash, and every
-- answer they were given. The answers come from lines and terminations; the
-- history is not copied.

CREATE TABLE number_recycling_clients (
  id          INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES operators(id),
  name        TEXT    NOT NULL,
  key_hash    TEXT    NOT NULL UNIQUE,
  prefix      TEXT    NOT NULL,
  scopes      TEXT    NOT NULL,  -- space-separated, e.g. 'number-recycling:check'
  created_by  TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
) STRICT;
CREATE INDEX number_recycling_clients_operator ON number_recycling_clients (operator_id, id);

CREATE TABLE number_recycling_checks (
  id             INTEGER PRIMARY KEY,
  client_id      INTEGER NOT NULL REFERENCES number_recycling_clients(id),
  operator_id    INTEGER NOT NULL REFERENCES operators(id),
  msisdn         TEXT    NOT NULL,
  specified_date TEXT    NOT NULL,
  answer         TEXT    NOT NULL
                 CHECK (answer IN ('recycled', 'not_recycled', 'not_found', 'no_data')),
  correlator     TEXT    NOT NULL,
  request_id     TEXT    NOT NULL,
  at             INTEGER NOT NULL
) STRICT;
CREATE INDEX number_recycling_checks_client ON number_recycling_checks (client_id, id);

-- A number's disconnections are its terminations' moves into 'terminated':
-- found by number (terminations_msisdn), then by this index.
CREATE INDEX termination_events_to_state ON termination_events (termination_id, to_state, at);
