-- Events for billing and CRM (docs/events.md): the outbox every event is
-- written to in the transaction of its change, the webhook endpoints
-- operators register, and one delivery per event and endpoint.
--
-- Number 0011: 0010 is the reactivation's migration, which lands on its own.

-- AUTOINCREMENT: an event's id is its CloudEvents id ("evt_<id>"), so a
-- deleted row's id must never come back.
CREATE TABLE event_outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  operator_id  INTEGER NOT NULL REFERENCES operators(id),
  type         TEXT    NOT NULL,
  source       TEXT    NOT NULL,
  subject      TEXT    NOT NULL,
  ordering_key TEXT    NOT NULL,
  data         TEXT    NOT NULL,
  time         INTEGER NOT NULL
) STRICT;
CREATE INDEX event_outbox_operator ON event_outbox (operator_id, id);

CREATE TABLE webhook_endpoints (
  id          INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES operators(id),
  url         TEXT    NOT NULL,
  event_types TEXT    NOT NULL,  -- space-separated; '' = every type
  secret      TEXT    NOT NULL,
  created_by  TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  removed_at  INTEGER
) STRICT;
CREATE INDEX webhook_endpoints_operator ON webhook_endpoints (operator_id, id);

CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  event_id        INTEGER NOT NULL REFERENCES event_outbox(id),
  endpoint_id     INTEGER NOT NULL REFERENCES webhook_endpoints(id),
  operator_id     INTEGER NOT NULL REFERENCES operators(id),
  ordering_key    TEXT    NOT NULL,
  state           TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  delivered_at    INTEGER,
  UNIQUE (event_id, endpoint_id)
) STRICT;
-- The next delivery of one endpoint and termination: the lowest pending id.
CREATE INDEX webhook_deliveries_chain ON webhook_deliveries (endpoint_id, ordering_key, state, id);
CREATE INDEX webhook_deliveries_operator ON webhook_deliveries (operator_id, state, id);
