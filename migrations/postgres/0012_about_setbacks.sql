-- A manager's "about" page on a direct report, and blameless setback records. Kept in step
-- with ../sqlite/0012_about_setbacks.sql (same tables, columns and indexes; only the types
-- differ).

-- One page per (person, manager who wrote it): a new manager starts with an empty page.
CREATE TABLE about_page (
    person_id   UUID NOT NULL REFERENCES person(id),
    author_id   UUID NOT NULL REFERENCES person(id),
    interests   TEXT NOT NULL DEFAULT '',
    family      TEXT NOT NULL DEFAULT '',
    -- JSON lists of domain::about::ImportantDate and domain::about::TimeOff.
    dates       TEXT NOT NULL DEFAULT '[]',
    time_off    TEXT NOT NULL DEFAULT '[]',
    version     BIGINT NOT NULL DEFAULT 1,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, author_id)
);

CREATE TABLE setback (
    id              UUID PRIMARY KEY NOT NULL,
    person_id       UUID NOT NULL REFERENCES person(id),
    author_id       UUID NOT NULL REFERENCES person(id),
    meeting_id      UUID REFERENCES meeting(id),
    occurred_date   DATE NOT NULL,
    facts           TEXT NOT NULL,
    -- Context slugs separated by spaces (domain::setback::Context).
    contexts        TEXT NOT NULL,
    context_other   TEXT NOT NULL DEFAULT '',
    remedy          TEXT NOT NULL DEFAULT '',
    manager_change  TEXT NOT NULL DEFAULT '',
    learned         TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX setback_person ON setback (person_id, occurred_date);

-- The follow-up action items a record made (they live on the pair's 1:1).
CREATE TABLE setback_action (
    setback_id  UUID NOT NULL REFERENCES setback(id),
    action_id   UUID NOT NULL REFERENCES action_item(id),
    PRIMARY KEY (setback_id, action_id)
);
