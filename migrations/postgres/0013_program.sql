-- The first ten 1:1s and "how to work with me". The sessions themselves live in
-- content/program.toml; here is each pair's progress through them, what the sessions
-- captured, and each person's page. Kept in step with ../sqlite/0013_program.sql (same
-- tables, columns and indexes; only the types differ).

-- A pair's program: started once per series.
CREATE TABLE program (
    series_id   UUID PRIMARY KEY NOT NULL REFERENCES series(id),
    started_by  UUID NOT NULL REFERENCES person(id),
    started_at  TIMESTAMPTZ NOT NULL
);

-- One row per session of a pair's program: its place in the pair's order and what happened.
CREATE TABLE program_session (
    series_id    UUID NOT NULL REFERENCES program(series_id),
    session_key  TEXT NOT NULL,
    position     BIGINT NOT NULL,
    skipped_at   TIMESTAMPTZ,
    done_at      TIMESTAMPTZ,
    -- The meeting it was last run in.
    meeting_id   UUID REFERENCES meeting(id),
    run_at       TIMESTAMPTZ,
    PRIMARY KEY (series_id, session_key)
);

-- Something captured in a session, and where it landed (a strength, a plan, the shared notes,
-- the "how to work with me" page). `summary` is what both of the pair see; it never holds the
-- words of a teammate's unshared page.
CREATE TABLE program_capture (
    id           UUID PRIMARY KEY NOT NULL,
    series_id    UUID NOT NULL REFERENCES program(series_id),
    session_key  TEXT NOT NULL,
    meeting_id   UUID REFERENCES meeting(id),
    author_id    UUID NOT NULL REFERENCES person(id),
    target       TEXT NOT NULL,
    summary      TEXT NOT NULL,
    -- The section of the page, for a manager's note on how the teammate likes to work.
    section      TEXT,
    -- The strength or plan it created.
    ref_id       UUID,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX program_capture_series ON program_capture (series_id, created_at);

-- A person's "how to work with me" page: sections as JSON ({"communication": "…"}), a draft
-- until `shared_at`.
CREATE TABLE work_with_me (
    person_id   UUID PRIMARY KEY NOT NULL REFERENCES person(id),
    sections    TEXT NOT NULL,
    shared_at   TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
