-- One name for the number an SMS goes to: `recipient`, as in the code, the
-- CLI and delivery reports (it was `to_msisdn` here and `to` in the code).
-- The index keeps its name and follows the column.
ALTER TABLE sms_messages RENAME COLUMN to_msisdn TO recipient;
