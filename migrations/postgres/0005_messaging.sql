-- Messages: a job queue in the database, the record of what was sent (so a retried job never
-- sends twice), the in-app inbox used when no SMTP server is configured, private calendar
-- feed tokens (hashed) and each person's reminder settings.
-- Kept in step with ../sqlite/0005_messaging.sql (same tables, columns and indexes).

CREATE TABLE job (
    id               UUID PRIMARY KEY NOT NULL,
    kind             TEXT NOT NULL,
    payload          TEXT NOT NULL,
    -- One job per key, ever: enqueueing the same key again does nothing.
    idempotency_key  TEXT NOT NULL UNIQUE,
    -- queued, running, done, failed
    state            TEXT NOT NULL,
    run_at           TIMESTAMPTZ NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    max_attempts     BIGINT NOT NULL,
    -- While running: the claim lasts until then; after it, another worker may take the job.
    lease_expires_at TIMESTAMPTZ,
    locked_by        TEXT,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX job_due_idx ON job (state, run_at);
CREATE INDEX job_created_idx ON job (created_at);

-- A message that left rapport, by the key of the job that sent it.
CREATE TABLE sent_message (
    idempotency_key  TEXT PRIMARY KEY NOT NULL,
    channel          TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    sent_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE inbox_message (
    id               UUID PRIMARY KEY NOT NULL,
    person_id        UUID NOT NULL REFERENCES person(id),
    idempotency_key  TEXT NOT NULL UNIQUE,
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT NOT NULL,
    calendar         TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    read_at          TIMESTAMPTZ
);
CREATE INDEX inbox_message_person_idx ON inbox_message (person_id, created_at);

CREATE TABLE calendar_feed (
    person_id        UUID PRIMARY KEY NOT NULL REFERENCES person(id),
    token_hash       TEXT NOT NULL UNIQUE,
    created_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE reminder_settings (
    person_id        UUID PRIMARY KEY NOT NULL REFERENCES person(id),
    prep_reminder    BOOLEAN NOT NULL,
    prep_hours       BIGINT NOT NULL,
    topic_nudge      BOOLEAN NOT NULL,
    overdue_actions  BOOLEAN NOT NULL,
    gap_alert        BOOLEAN NOT NULL,
    weekly_digest    BOOLEAN NOT NULL,
    quiet_start      TEXT NOT NULL,
    quiet_end        TEXT NOT NULL,
    webhook_url      TEXT NOT NULL DEFAULT '',
    -- For managers: a team channel that gets the nudges to their direct reports (no content).
    team_webhook_url TEXT NOT NULL DEFAULT '',
    updated_at       TIMESTAMPTZ NOT NULL
);
