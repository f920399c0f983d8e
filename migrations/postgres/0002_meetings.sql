-- 1:1s: a series per pair, its meetings, talking points, notes (shared, or private to their
-- author) with every saved revision, action items, and one search index over all of them.
-- Kept in step with ../sqlite/0002_meetings.sql (same tables, columns and indexes). The
-- dialects differ only in types (UUID/BLOB, TIMESTAMPTZ/TEXT, DATE/TEXT) and in full-text
-- search: a generated tsvector column here, an FTS5 table fed by triggers there.

CREATE TABLE series (
    id               UUID PRIMARY KEY NOT NULL,
    manager_id       UUID NOT NULL REFERENCES person(id),
    teammate_id      UUID NOT NULL REFERENCES person(id),
    kind             TEXT NOT NULL,
    cadence          TEXT NOT NULL,
    first_date       DATE NOT NULL,
    local_time       TEXT NOT NULL,
    timezone         TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    status           TEXT NOT NULL,
    created_by       UUID NOT NULL REFERENCES person(id),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX series_manager_idx ON series (manager_id);
CREATE INDEX series_teammate_idx ON series (teammate_id);

CREATE TABLE meeting (
    id               UUID PRIMARY KEY NOT NULL,
    series_id        UUID NOT NULL REFERENCES series(id),
    occurrence       BIGINT NOT NULL,
    starts_at        TIMESTAMPTZ NOT NULL,
    duration_minutes BIGINT NOT NULL,
    status           TEXT NOT NULL,
    status_reason    TEXT NOT NULL DEFAULT '',
    moved_from_at    TIMESTAMPTZ,
    rating           BIGINT,
    rating_comment   TEXT NOT NULL DEFAULT '',
    rated_at         TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1,
    UNIQUE (series_id, occurrence)
);
CREATE INDEX meeting_series_time_idx ON meeting (series_id, starts_at);
CREATE INDEX meeting_time_idx ON meeting (starts_at);

CREATE TABLE talking_point (
    id               UUID PRIMARY KEY NOT NULL,
    meeting_id       UUID NOT NULL REFERENCES meeting(id),
    series_id        UUID NOT NULL REFERENCES series(id),
    origin_id        UUID NOT NULL,
    carried_from     UUID REFERENCES meeting(id),
    author_id        UUID NOT NULL REFERENCES person(id),
    body             TEXT NOT NULL,
    position         BIGINT NOT NULL,
    discussed        BOOLEAN NOT NULL DEFAULT FALSE,
    recurring        BOOLEAN NOT NULL DEFAULT FALSE,
    -- Set once this point has been copied on to the next meeting, so it moves only once.
    carried_on       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1,
    UNIQUE (meeting_id, origin_id)
);
CREATE INDEX talking_point_series_origin_idx ON talking_point (series_id, origin_id);
CREATE INDEX talking_point_pending_idx ON talking_point (series_id) WHERE NOT carried_on;

CREATE TABLE note (
    id               UUID PRIMARY KEY NOT NULL,
    meeting_id       UUID NOT NULL REFERENCES meeting(id),
    private          BOOLEAN NOT NULL,
    author_id        UUID NOT NULL REFERENCES person(id),
    body             TEXT NOT NULL,
    updated_by       UUID NOT NULL REFERENCES person(id),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX note_shared_idx ON note (meeting_id) WHERE NOT private;
CREATE UNIQUE INDEX note_private_idx ON note (meeting_id, author_id) WHERE private;

CREATE TABLE note_revision (
    note_id          UUID NOT NULL REFERENCES note(id),
    version          BIGINT NOT NULL,
    body             TEXT NOT NULL,
    author_id        UUID NOT NULL REFERENCES person(id),
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (note_id, version)
);

CREATE TABLE action_item (
    id               UUID PRIMARY KEY NOT NULL,
    series_id        UUID NOT NULL REFERENCES series(id),
    meeting_id       UUID NOT NULL REFERENCES meeting(id),
    owner_id         UUID NOT NULL REFERENCES person(id),
    created_by       UUID NOT NULL REFERENCES person(id),
    body             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    due_date         DATE,
    done_at          TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX action_item_series_idx ON action_item (series_id, done_at);
CREATE INDEX action_item_owner_idx ON action_item (owner_id, done_at);

-- One row per searchable thing. `private_to` is set for private notes: only that person may
-- find it. `body` is plain text computed by rapport (Markdown stripped, <>& blanked).
CREATE TABLE search_doc (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             TEXT NOT NULL,
    ref_id           UUID NOT NULL UNIQUE,
    series_id        UUID NOT NULL REFERENCES series(id),
    meeting_id       UUID NOT NULL REFERENCES meeting(id),
    private_to       UUID,
    occurred_at      TIMESTAMPTZ NOT NULL,
    body             TEXT NOT NULL
);
CREATE INDEX search_doc_series_idx ON search_doc (series_id);

ALTER TABLE search_doc ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED;
CREATE INDEX search_doc_tsv_idx ON search_doc USING GIN (tsv);
