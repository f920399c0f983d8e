-- Foundation: people (who are also the accounts), reporting lines, sessions, API tokens,
-- invitations and the sign-in throttle. Kept in step with ../sqlite/0001_foundation.sql:
-- the same tables, columns and indexes; only the column types differ (UUIDs are native UUIDs and
-- timestamps TIMESTAMPTZ here). A test compares the two schemas after migrating.

CREATE TABLE person (
    id            UUID PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    email_lower   TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL DEFAULT '',
    timezone      TEXT NOT NULL,
    manager_id    UUID REFERENCES person(id),
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX person_manager_idx ON person (manager_id);
CREATE INDEX person_name_idx ON person (name);

CREATE TABLE session (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    person_id     UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX session_person_idx ON session (person_id);

CREATE TABLE api_token (
    id            UUID PRIMARY KEY NOT NULL,
    person_id     UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ
);
CREATE INDEX api_token_person_idx ON api_token (person_id);

CREATE TABLE invitation (
    id            UUID PRIMARY KEY NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    person_id     UUID NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    invited_by    UUID NOT NULL REFERENCES person(id),
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    accepted_at   TIMESTAMPTZ
);
CREATE INDEX invitation_person_idx ON invitation (person_id);

CREATE TABLE login_attempt (
    email_lower   TEXT NOT NULL,
    attempted_at  TIMESTAMPTZ NOT NULL,
    succeeded     BOOLEAN NOT NULL
);
CREATE INDEX login_attempt_email_idx ON login_attempt (email_lower, attempted_at);
