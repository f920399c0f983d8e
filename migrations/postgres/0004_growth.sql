-- Growth: career frameworks (each change a new version), a person's track and level,
-- assessments over time, strengths, plans with steps and progress notes, and whether a manager
-- shares a person's growth record with the leaders above. Kept in step with
-- ../sqlite/0004_growth.sql (same tables, columns and indexes; only the types differ).

CREATE TABLE framework (
    id          UUID PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    name_lower  TEXT NOT NULL UNIQUE,
    created_by  UUID NOT NULL REFERENCES person(id),
    created_at  TIMESTAMPTZ NOT NULL
);

-- The whole framework of one version, as JSON (domain::framework::Framework). Versions are
-- never changed; assessments point at the version they were made against.
CREATE TABLE framework_version (
    id            UUID PRIMARY KEY NOT NULL,
    framework_id  UUID NOT NULL REFERENCES framework(id),
    number        BIGINT NOT NULL,
    body          TEXT NOT NULL,
    created_by    UUID NOT NULL REFERENCES person(id),
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (framework_id, number)
);

CREATE TABLE person_level (
    person_id     UUID PRIMARY KEY NOT NULL REFERENCES person(id),
    framework_id  UUID NOT NULL REFERENCES framework(id),
    level         TEXT NOT NULL,
    set_by        UUID NOT NULL REFERENCES person(id),
    set_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE growth_share (
    person_id  UUID PRIMARY KEY NOT NULL REFERENCES person(id),
    shared_by  UUID NOT NULL REFERENCES person(id),
    shared_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE assessment (
    id                    UUID PRIMARY KEY NOT NULL,
    person_id             UUID NOT NULL REFERENCES person(id),
    assessor_id           UUID NOT NULL REFERENCES person(id),
    kind                  TEXT NOT NULL,
    framework_version_id  UUID NOT NULL REFERENCES framework_version(id),
    competency            TEXT NOT NULL,
    level                 TEXT NOT NULL,
    rating                TEXT NOT NULL,
    evidence              TEXT NOT NULL DEFAULT '',
    -- A 1:1 of the pair the evidence is in (its notes, actions or topics), when linked.
    evidence_meeting_id   UUID REFERENCES meeting(id),
    created_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX assessment_person_idx ON assessment (person_id, created_at);

CREATE TABLE strength (
    id          UUID PRIMARY KEY NOT NULL,
    person_id   UUID NOT NULL REFERENCES person(id),
    author_id   UUID NOT NULL REFERENCES person(id),
    name        TEXT NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '',
    how_used    TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX strength_person_idx ON strength (person_id);

CREATE TABLE plan (
    id          UUID PRIMARY KEY NOT NULL,
    person_id   UUID NOT NULL REFERENCES person(id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    goals       TEXT NOT NULL DEFAULT '',
    created_by  UUID NOT NULL REFERENCES person(id),
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_person_idx ON plan (person_id);

CREATE TABLE plan_step (
    id          UUID PRIMARY KEY NOT NULL,
    plan_id     UUID NOT NULL REFERENCES plan(id),
    body        TEXT NOT NULL,
    owner_id    UUID NOT NULL REFERENCES person(id),
    due_date      DATE,
    done_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_step_plan_idx ON plan_step (plan_id);

-- What each 1:1 recorded against a plan: progress, obstacles, next steps.
CREATE TABLE plan_update (
    id          UUID PRIMARY KEY NOT NULL,
    plan_id     UUID NOT NULL REFERENCES plan(id),
    author_id   UUID NOT NULL REFERENCES person(id),
    progress    TEXT NOT NULL DEFAULT '',
    obstacles   TEXT NOT NULL DEFAULT '',
    next_steps  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_update_plan_idx ON plan_update (plan_id, created_at);
