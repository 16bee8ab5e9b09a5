-- Idempotency rows are kept for a day (service/idempotency_sweep.hpp): every new
-- key removes a few of the oldest expired ones. These indexes let it find them
-- without reading the table.
--
-- Number 0016: 0013 to 0015 belong to work landing beside this one.

CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
CREATE INDEX idempotent_requests_claimed_at ON idempotent_requests (claimed_at);
