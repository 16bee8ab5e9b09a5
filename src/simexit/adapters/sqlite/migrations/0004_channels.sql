-- Issue 4, the five channels: review-queue columns on terminations, staff and
-- their sessions, identity documents checked at the counter or by post, powers
-- of attorney, uploaded scans and phone confirmations. New termination columns
-- have defaults so rows written before this migration read as "never reviewed,
-- no postmark". Admin staff have operator_id NULL (the record's 0), as admin
-- API keys do, so the foreign key holds for everyone else.

ALTER TABLE terminations ADD COLUMN review_since INTEGER;
ALTER TABLE terminations ADD COLUMN reason_code TEXT NOT NULL DEFAULT '';
ALTER TABLE terminations ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE terminations ADD COLUMN postmarked_on TEXT NOT NULL DEFAULT '';
-- The review queue: one operator's requests in a state, oldest review_since first.
CREATE INDEX terminations_review_queue
  ON terminations (operator_id, state, review_since, created_at, id);

CREATE TABLE staff (
  id            INTEGER PRIMARY KEY,
  operator_id   INTEGER REFERENCES operators(id),
  username      TEXT    NOT NULL UNIQUE,
  full_name     TEXT    NOT NULL,
  role          TEXT    NOT NULL
                CHECK (role IN ('agent_store', 'agent_phone', 'back_office', 'operator_admin',
                                'admin')),
  password_hash TEXT    NOT NULL,
  disabled      INTEGER NOT NULL CHECK (disabled IN (0, 1)),
  failed_logins INTEGER NOT NULL CHECK (failed_logins >= 0),
  locked_until  INTEGER,
  last_login_at INTEGER,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  CHECK ((role = 'admin') = (operator_id IS NULL))
) STRICT;
CREATE INDEX staff_operator ON staff (operator_id, id);

CREATE TABLE staff_sessions (
  token_hash TEXT    PRIMARY KEY,
  staff_id   INTEGER NOT NULL REFERENCES staff(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

CREATE TABLE document_checks (
  id             TEXT    PRIMARY KEY,
  operator_id    INTEGER NOT NULL REFERENCES operators(id),
  termination_id TEXT    NOT NULL REFERENCES terminations(id),
  role           TEXT    NOT NULL CHECK (role IN ('holder', 'attorney')),
  kind           TEXT    NOT NULL CHECK (kind IN ('iin', 'id_card', 'passport')),
  number         TEXT    NOT NULL,
  country        TEXT    NOT NULL,
  full_name      TEXT    NOT NULL,
  iin            TEXT    NOT NULL,
  birth_date     TEXT    NOT NULL,
  expiry_date    TEXT    NOT NULL,
  mrz_checked    INTEGER NOT NULL CHECK (mrz_checked IN (0, 1)),
  checked_by     TEXT    NOT NULL,
  checked_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX document_checks_termination ON document_checks (termination_id, checked_at);

-- scope_json is a JSON array of strings.
CREATE TABLE powers_of_attorney (
  termination_id       TEXT    PRIMARY KEY REFERENCES terminations(id),
  operator_id          INTEGER NOT NULL REFERENCES operators(id),
  number               TEXT    NOT NULL,
  issued_on            TEXT    NOT NULL,
  valid_until          TEXT    NOT NULL,
  issuer               TEXT    NOT NULL,
  principal_document   TEXT    NOT NULL,
  scope_json           TEXT    NOT NULL CHECK (json_type(scope_json) = 'array'),
  attorney_document_id TEXT    REFERENCES document_checks(id),
  created_at           INTEGER NOT NULL
) STRICT;

-- termination_id is NULL until the scan is attached to a request.
CREATE TABLE uploads (
  id             TEXT    PRIMARY KEY,
  operator_id    INTEGER NOT NULL REFERENCES operators(id),
  termination_id TEXT    REFERENCES terminations(id),
  content_type   TEXT    NOT NULL
                 CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  file_name      TEXT    NOT NULL,
  size           INTEGER NOT NULL CHECK (size >= 0),
  sha256         TEXT    NOT NULL,
  storage_key    TEXT    NOT NULL,
  uploaded_by    TEXT    NOT NULL,
  created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX uploads_termination ON uploads (termination_id, created_at);

-- An empty link token is stored as NULL so that it never matches a lookup.
CREATE TABLE confirmations (
  termination_id  TEXT    PRIMARY KEY REFERENCES terminations(id),
  code_hash       TEXT    NOT NULL,
  salt            TEXT    NOT NULL,
  link_token_hash TEXT    UNIQUE,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL CHECK (attempts >= 0),
  max_attempts    INTEGER NOT NULL CHECK (max_attempts >= 1),
  confirmed_at    INTEGER
) STRICT;
