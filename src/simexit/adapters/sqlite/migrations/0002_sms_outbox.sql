-- The SMS outbox (every SMS is a row before it is sent).

CREATE TABLE sms_messages (
  id             INTEGER PRIMARY KEY,
  operator_id    INTEGER REFERENCES operators(id),
  termination_id TEXT    REFERENCES terminations(id),
  to_msisdn      TEXT    NOT NULL,
  kind           TEXT    NOT NULL,
  language       TEXT    NOT NULL,
  text           TEXT    NOT NULL,
  state          TEXT    NOT NULL
                 CHECK (state IN ('queued', 'submitted', 'delivered', 'failed', 'expired')),
  attempts       INTEGER NOT NULL CHECK (attempts >= 0),
  message_ids    TEXT    NOT NULL,
  parts          INTEGER NOT NULL CHECK (parts >= 0),
  last_error     TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  submitted_at   INTEGER,
  finished_at    INTEGER
) STRICT;
CREATE INDEX sms_messages_by_recipient ON sms_messages (to_msisdn, state, id);
CREATE INDEX sms_messages_by_state ON sms_messages (state, id);
