-- Issue 12: every change of reporting line is recorded, and a new manager reads of a person's
-- past only what the person hands over. Kept in step with ../postgres/0015_reporting_lines.sql
-- (only the column types differ).

-- One row per reporting line a person has had, in order: who their manager became
-- (`manager_id`, NULL for nobody), who it was before, who made the change and when.
-- `ended_series_id` is the previous pair's regular series the change ended, so that a change
-- back soon after can resume it; `resumed` says this line resumed the one before the last.
CREATE TABLE reporting_line (
    id                   BLOB PRIMARY KEY NOT NULL,
    person_id            BLOB NOT NULL REFERENCES person(id),
    manager_id           BLOB REFERENCES person(id),
    previous_manager_id  BLOB REFERENCES person(id),
    started_at           TEXT NOT NULL,
    changed_by           BLOB REFERENCES person(id),
    ended_series_id      BLOB REFERENCES series(id),
    resumed              BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX reporting_line_person_idx ON reporting_line (person_id, started_at);

-- The lines people had before this migration: their current manager, since they were added.
INSERT INTO reporting_line (id, person_id, manager_id, previous_manager_id, started_at, changed_by, ended_series_id, resumed)
SELECT id, id, manager_id, NULL, created_at, NULL, NULL, FALSE FROM person WHERE manager_id IS NOT NULL;

-- What a person hands over to a new manager of their own record (space-separated items of
-- domain::policy::HandoffItem). The latest choice for that manager counts.
CREATE TABLE handoff (
    person_id   BLOB NOT NULL REFERENCES person(id),
    manager_id  BLOB NOT NULL REFERENCES person(id),
    items       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (person_id, manager_id)
);
