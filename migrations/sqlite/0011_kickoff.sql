-- The kickoff: the note a manager sends before the first 1:1 of a series, and each person's
-- focus hours (which a first 1:1 should not land in). Kept in step with
-- ../postgres/0011_kickoff.sql (same tables, columns and indexes; only the types differ).

-- One note per series, drafted when the series starts. `subject` and `body` are as the manager wrote them, with placeholders;
-- once sent, `sent_subject` and `sent_body` keep exactly what the teammate received.
CREATE TABLE kickoff (
    series_id     BLOB PRIMARY KEY NOT NULL REFERENCES series(id),
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    sent_subject  TEXT,
    sent_body     TEXT,
    -- NULL while it is a draft.
    sent_at       TEXT,
    -- The manager told them in person instead; nothing is sent.
    skipped_at    TEXT,
    -- When the teammate first opened it.
    read_at       TEXT,
    updated_by    BLOB NOT NULL REFERENCES person(id),
    updated_at    TEXT NOT NULL,
    version       BIGINT NOT NULL
);
CREATE INDEX kickoff_sent ON kickoff (sent_at);

-- Days as slugs separated by spaces ("mon tue"); times as "HH:MM" in the person's time zone.
CREATE TABLE focus_hours (
    person_id   BLOB PRIMARY KEY NOT NULL REFERENCES person(id),
    days        TEXT NOT NULL,
    start_time  TEXT NOT NULL,
    end_time    TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Strategy into day-to-day: a leader's talking point placed into the next 1:1 of every pair in
-- their part of the organisation, and where each copy went (so it can be withdrawn).
CREATE TABLE strategy_placement (
    id            BLOB PRIMARY KEY NOT NULL,
    leader_id     BLOB NOT NULL REFERENCES person(id),
    text          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    withdrawn_at  TEXT
);
CREATE INDEX strategy_placement_leader ON strategy_placement (leader_id, created_at);

CREATE TABLE strategy_point (
    placement_id  BLOB NOT NULL REFERENCES strategy_placement(id),
    series_id     BLOB NOT NULL REFERENCES series(id),
    meeting_id    BLOB NOT NULL REFERENCES meeting(id),
    -- The point's origin: copies carried over share it.
    point_id      BLOB NOT NULL,
    PRIMARY KEY (placement_id, series_id)
);
