-- Dormant-line reclamation (docs/dormancy.md).
--
-- line_dormancy holds, per line, the dormancy warnings sent (first and final,
-- when) and the holder's latest "keep my line" (a sign-in), which stops the
-- clock as paid activity does. A line has no row until the sweep warns it or
-- its holder signs in.
CREATE TABLE line_dormancy (
  line_id         BIGINT  PRIMARY KEY REFERENCES lines(id),
  operator_id     BIGINT  NOT NULL REFERENCES operators(id),
  first_warned_at BIGINT,
  final_warned_at BIGINT,
  kept_at         BIGINT
);

-- The sweep reads only the lines idle long enough to be due: one operator's
-- lines by last paid activity.
CREATE INDEX lines_operator_activity ON lines (operator_id, last_paid_activity_at, id);

-- The sweep closes lines through a channel of its own, `system`.
ALTER TABLE terminations DROP CONSTRAINT terminations_channel_check;
ALTER TABLE terminations ADD CONSTRAINT terminations_channel_check
  CHECK (channel IN ('online', 'store', 'proxy', 'phone', 'mail', 'system'));
