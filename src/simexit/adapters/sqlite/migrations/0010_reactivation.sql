-- Reactivation (docs/reactivation.md): a number resting in quarantine given
-- back to its former holder within the policy's reactivation_days, with its
-- own life cycle and event trail, like a termination's.

CREATE TABLE reactivations (
  id             TEXT    PRIMARY KEY,
  operator_id    INTEGER NOT NULL REFERENCES operators(id),
  line_id        INTEGER NOT NULL REFERENCES lines(id),
  holder_id      INTEGER NOT NULL REFERENCES holders(id),
  termination_id TEXT    NOT NULL REFERENCES terminations(id),
  msisdn         TEXT    NOT NULL,
  channel        TEXT    NOT NULL CHECK (channel IN ('store', 'mail')),
  state          TEXT    NOT NULL
                 CHECK (state IN ('requested', 'pending_review', 'approved', 'provisioning',
                                  'reactivated', 'rejected', 'refused')),
  iccid          TEXT    NOT NULL,
  imsi           TEXT    NOT NULL,
  new_sim        INTEGER NOT NULL CHECK (new_sim IN (0, 1)),
  closed_at      INTEGER NOT NULL,
  postmarked_on  TEXT    NOT NULL,
  requested_by   TEXT    NOT NULL,
  reviewed_by    TEXT    NOT NULL,
  reason         TEXT    NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX reactivations_operator_created ON reactivations (operator_id, created_at);
-- At most one open (not final) reactivation per line, whatever the caller checks.
CREATE UNIQUE INDEX reactivations_one_open ON reactivations (line_id)
  WHERE state NOT IN ('reactivated', 'rejected', 'refused');

CREATE TABLE reactivation_events (
  id              INTEGER PRIMARY KEY,
  reactivation_id TEXT    NOT NULL REFERENCES reactivations(id),
  event           TEXT    NOT NULL,
  from_state      TEXT    NOT NULL,
  to_state        TEXT    NOT NULL,
  actor           TEXT    NOT NULL,
  channel         TEXT    NOT NULL,
  detail          TEXT    NOT NULL,
  at              INTEGER NOT NULL
) STRICT;
CREATE INDEX reactivation_events_reactivation ON reactivation_events (reactivation_id, id);
