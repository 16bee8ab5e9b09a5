-- Idempotent requests (api/idempotent.hpp, docs/api.md "Idempotency-Key"):
-- every POST that changes something, other than POST /v1/terminations (which
-- keeps idempotency_keys), claims its (caller, key) here before it runs and
-- stores its answer after, so that a repeat gets the same answer.
--
-- Number 0012: 0010 is the reactivation's migration, which lands on its own.

CREATE TABLE idempotent_requests (
  scope            TEXT    NOT NULL,
  "key"            TEXT    NOT NULL,
  request_hash     TEXT    NOT NULL,
  state            TEXT    NOT NULL CHECK (state IN ('running', 'done')),
  claim_id         TEXT    NOT NULL,
  claimed_at       BIGINT  NOT NULL,
  response_status  BIGINT  NOT NULL DEFAULT 0,
  content_type     TEXT    NOT NULL DEFAULT '',
  location         TEXT    NOT NULL DEFAULT '',
  response_body    TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (scope, "key")
);
