-- Feedback (both directions, drafts private to the giver until shared), review periods,
-- reviews with statements and the evidence behind each. Kept in step with
-- ../sqlite/0009_reviews.sql (same tables, columns and indexes; only the types differ).

CREATE TABLE feedback (
    id           UUID PRIMARY KEY NOT NULL,
    giver_id     UUID NOT NULL REFERENCES person(id),
    receiver_id  UUID NOT NULL REFERENCES person(id),
    kind         TEXT NOT NULL,
    body         TEXT NOT NULL,
    meeting_id   UUID REFERENCES meeting(id),
    competency   TEXT,
    plan_id      UUID REFERENCES plan(id),
    created_at   TIMESTAMPTZ NOT NULL,
    -- NULL while a draft: only the giver sees it.
    shared_at    TIMESTAMPTZ
);
CREATE INDEX feedback_receiver_idx ON feedback (receiver_id, shared_at);
CREATE INDEX feedback_giver_idx ON feedback (giver_id, created_at);
CREATE INDEX feedback_meeting_idx ON feedback (meeting_id);

CREATE TABLE review_period (
    id          UUID PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    start_date  DATE NOT NULL,
    end_date    DATE NOT NULL,
    created_by  UUID NOT NULL REFERENCES person(id),
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE review (
    id               UUID PRIMARY KEY NOT NULL,
    period_id        UUID NOT NULL REFERENCES review_period(id),
    person_id        UUID NOT NULL REFERENCES person(id),
    manager_id       UUID NOT NULL REFERENCES person(id),
    created_at       TIMESTAMPTZ NOT NULL,
    shared_at        TIMESTAMPTZ,
    acknowledged_at  TIMESTAMPTZ,
    answer           TEXT NOT NULL DEFAULT '',
    answered_at      TIMESTAMPTZ,
    UNIQUE (period_id, person_id)
);

CREATE TABLE review_statement (
    id          UUID PRIMARY KEY NOT NULL,
    review_id   UUID NOT NULL REFERENCES review(id),
    position    BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX review_statement_review_idx ON review_statement (review_id, position);

-- kind: feedback (ref = feedback.id), note (ref = meeting.id: its shared note), assessment.
CREATE TABLE review_evidence (
    statement_id  UUID NOT NULL REFERENCES review_statement(id),
    kind          TEXT NOT NULL,
    ref_id        UUID NOT NULL,
    PRIMARY KEY (statement_id, kind, ref_id)
);
