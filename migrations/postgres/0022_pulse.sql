-- The pulse: the teammate's quick answers before a 1:1 (src/domain/pulse.rs). One pulse a
-- meeting, its answers one row a question (keyed as in the pulse file, so a reworded question
-- keeps its trend). A pulse moves its series' revision: the meeting page shows it.
-- Kept in step with ../sqlite/0022_pulse.sql.

CREATE TABLE pulse (
    meeting_id   UUID PRIMARY KEY NOT NULL REFERENCES meeting(id),
    series_id    UUID NOT NULL REFERENCES series(id),
    teammate_id  UUID NOT NULL REFERENCES person(id),
    comment      TEXT NOT NULL DEFAULT '',
    answered_at  TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX pulse_series_idx ON pulse (series_id);
CREATE INDEX pulse_teammate_idx ON pulse (teammate_id);

CREATE TABLE pulse_answer (
    meeting_id   UUID NOT NULL REFERENCES pulse(meeting_id),
    question     TEXT NOT NULL,
    value        BIGINT NOT NULL CHECK (value BETWEEN 1 AND 5),
    PRIMARY KEY (meeting_id, question)
);

CREATE FUNCTION rev_bump_by_pulse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('rapport.bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    UPDATE series SET rev = rev + 1 WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.series_id ELSE NEW.series_id END);
    RETURN NULL;
END $$;

CREATE TRIGGER rev_pulse AFTER INSERT OR UPDATE OR DELETE ON pulse FOR EACH ROW EXECUTE FUNCTION rev_bump_by_pulse();
