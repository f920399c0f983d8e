-- Foundation: people (who are also the accounts), reporting lines, sessions, API tokens,
-- invitations and the sign-in throttle. Kept in step with ../postgres/0001_foundation.sql:
-- the same tables, columns and indexes; only the column types differ (UUIDs are BLOBs and
-- timestamps ISO-8601 TEXT here). A test compares the two schemas after migrating.

CREATE TABLE person (
    id            BLOB PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    email_lower   TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL DEFAULT '',
    timezone      TEXT NOT NULL,
    manager_id    BLOB REFERENCES person(id),
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX person_manager_idx ON person (manager_id);
CREATE INDEX person_name_idx ON person (name);

CREATE TABLE session (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    person_id     BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX session_person_idx ON session (person_id);

CREATE TABLE api_token (
    id            BLOB PRIMARY KEY NOT NULL,
    person_id     BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE INDEX api_token_person_idx ON api_token (person_id);

CREATE TABLE invitation (
    id            BLOB PRIMARY KEY NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    person_id     BLOB NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    invited_by    BLOB NOT NULL REFERENCES person(id),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    accepted_at   TEXT
);
CREATE INDEX invitation_person_idx ON invitation (person_id);

CREATE TABLE login_attempt (
    email_lower   TEXT NOT NULL,
    attempted_at  TEXT NOT NULL,
    succeeded     BOOLEAN NOT NULL
);
CREATE INDEX login_attempt_email_idx ON login_attempt (email_lower, attempted_at);
