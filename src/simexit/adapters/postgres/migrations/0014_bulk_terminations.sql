-- Bulk closures (docs/bulk-terminations.md, ports/store/bulk_terminations.hpp):
-- a request to close many of one operator's lines, and its lines, so that a
-- job opens their terminations in batches (channel 'system') and the progress
-- is counted from here and the terminations.
--
-- Number 0014: 0013 is the dormancy sweep's migration, which lands on its own.

CREATE TABLE bulk_terminations (
  id           TEXT    PRIMARY KEY,
  operator_id  BIGINT  NOT NULL REFERENCES operators(id),
  reason_code  TEXT    NOT NULL,
  requested_by TEXT    NOT NULL,
  line_count   BIGINT  NOT NULL,
  created_at   BIGINT  NOT NULL
);
CREATE INDEX bulk_terminations_operator ON bulk_terminations (operator_id, created_at);

CREATE TABLE bulk_termination_lines (
  bulk_id        TEXT    NOT NULL REFERENCES bulk_terminations(id),
  position       BIGINT  NOT NULL,
  msisdn         TEXT    NOT NULL,
  line_id        BIGINT  NOT NULL REFERENCES lines(id),
  state          TEXT    NOT NULL CHECK (state IN ('pending', 'opened', 'failed')),
  termination_id TEXT    REFERENCES terminations(id),
  failure_code   TEXT    NOT NULL DEFAULT '',
  failure_detail TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (bulk_id, position),
  CHECK ((state = 'opened') = (termination_id IS NOT NULL))
);
-- The job's next batch: a bulk's pending lines by position.
CREATE INDEX bulk_termination_lines_state ON bulk_termination_lines (bulk_id, state, position);

-- Their terminations come through channel 'system', which 0013 added.
