-- One name per idea, and no HTTP in the store.
--
-- An idempotency key remembers what its first request did: the termination it
-- created. The HTTP status it was answered with (always 201) is the API's to
-- know, not the store's; and the column called response_body held that
-- termination's id, not a body.
ALTER TABLE idempotency_keys DROP COLUMN status;
ALTER TABLE idempotency_keys RENAME COLUMN response_body TO termination_id;

-- The one-time code that signs a holder in is a "sign-in code" in the code,
-- the docs and the glossary (docs/architecture.md); the table says so too. The
-- public route keeps its name (/v1/auth/otp).
ALTER TABLE otp_challenges RENAME TO sign_in_codes;
DROP INDEX otp_challenges_msisdn;
CREATE INDEX sign_in_codes_msisdn ON sign_in_codes (msisdn, created_at);
