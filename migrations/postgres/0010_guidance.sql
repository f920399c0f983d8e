-- Guidance: each person's own questions and favourites, the questions and templates a pair has
-- used (so rapport knows when each purpose was last touched), and templates a manager or an
-- admin writes. Our own questions and templates live in content/, not here. Kept in step with
-- ../sqlite/0010_guidance.sql (same tables, columns and indexes; only the types differ).

CREATE TABLE own_question (
    id          UUID PRIMARY KEY NOT NULL,
    owner_id    UUID NOT NULL REFERENCES person(id),
    text        TEXT NOT NULL,
    text_lower  TEXT NOT NULL,
    -- Purpose slugs separated by spaces.
    purposes    TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (owner_id, text_lower)
);

-- A question key: ours ("relationship-01") or "own:<uuid>".
CREATE TABLE question_favourite (
    person_id     UUID NOT NULL REFERENCES person(id),
    question_key  TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, question_key)
);

-- A question or template prompt brought into a meeting of a pair, with the purposes it carried.
CREATE TABLE guidance_use (
    id            UUID PRIMARY KEY NOT NULL,
    series_id     UUID NOT NULL REFERENCES series(id),
    meeting_id    UUID NOT NULL REFERENCES meeting(id),
    -- "q:<question key>" or "t:<template key>".
    source        TEXT NOT NULL,
    purposes      TEXT NOT NULL,
    point_id      UUID,
    used_by       UUID NOT NULL REFERENCES person(id),
    used_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX guidance_use_series ON guidance_use (series_id, used_at);

CREATE TABLE own_template (
    id          UUID PRIMARY KEY NOT NULL,
    owner_id    UUID NOT NULL REFERENCES person(id),
    name        TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    -- The prompts as JSON (domain::guidance::Prompt list).
    prompts     TEXT NOT NULL,
    -- An admin's template is offered to everyone.
    shared      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX own_template_owner ON own_template (owner_id);
