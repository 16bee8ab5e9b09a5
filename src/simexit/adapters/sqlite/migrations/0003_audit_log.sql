-- The audit trail of sign-in attempts and other actions outside terminations.

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  actor      TEXT    NOT NULL,
  action     TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  detail     TEXT    NOT NULL,
  request_id TEXT    NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_by_subject ON audit_log (subject, id);
