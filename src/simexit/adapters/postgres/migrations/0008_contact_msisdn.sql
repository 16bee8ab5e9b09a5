-- Where the notices after closure go. The closed line is detached before its
-- final notice, so that notice (with the certificate link) goes to a number
-- the holder keeps, of any country (E.164), when they gave one; '' when not.
ALTER TABLE terminations ADD COLUMN contact_msisdn TEXT NOT NULL DEFAULT '';
