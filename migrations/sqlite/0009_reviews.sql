-- Feedback (both directions, drafts private to the giver until shared), review periods,
-- reviews with statements and the evidence behind each. Kept in step with
-- ../postgres/0009_reviews.sql (same tables, columns and indexes; only the types differ).

CREATE TABLE feedback (
    id           BLOB PRIMARY KEY NOT NULL,
    giver_id     BLOB NOT NULL REFERENCES person(id),
    receiver_id  BLOB NOT NULL REFERENCES person(id),
    kind         TEXT NOT NULL,
    body         TEXT NOT NULL,
    meeting_id   BLOB REFERENCES meeting(id),
    competency   TEXT,
    plan_id      BLOB REFERENCES plan(id),
    created_at   TEXT NOT NULL,
    -- NULL while a draft: only the giver sees it.
    shared_at    TEXT
);
CREATE INDEX feedback_receiver_idx ON feedback (receiver_id, shared_at);
CREATE INDEX feedback_giver_idx ON feedback (giver_id, created_at);
CREATE INDEX feedback_meeting_idx ON feedback (meeting_id);

CREATE TABLE review_period (
    id          BLOB PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    created_by  BLOB NOT NULL REFERENCES person(id),
    created_at  TEXT NOT NULL
);

CREATE TABLE review (
    id               BLOB PRIMARY KEY NOT NULL,
    period_id        BLOB NOT NULL REFERENCES review_period(id),
    person_id        BLOB NOT NULL REFERENCES person(id),
    manager_id       BLOB NOT NULL REFERENCES person(id),
    created_at       TEXT NOT NULL,
    shared_at        TEXT,
    acknowledged_at  TEXT,
    answer           TEXT NOT NULL DEFAULT '',
    answered_at      TEXT,
    UNIQUE (period_id, person_id)
);

CREATE TABLE review_statement (
    id          BLOB PRIMARY KEY NOT NULL,
    review_id   BLOB NOT NULL REFERENCES review(id),
    position    BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX review_statement_review_idx ON review_statement (review_id, position);

-- kind: feedback (ref = feedback.id), note (ref = meeting.id: its shared note), assessment.
CREATE TABLE review_evidence (
    statement_id  BLOB NOT NULL REFERENCES review_statement(id),
    kind          TEXT NOT NULL,
    ref_id        BLOB NOT NULL,
    PRIMARY KEY (statement_id, kind, ref_id)
);
