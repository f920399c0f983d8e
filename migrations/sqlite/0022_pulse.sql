-- The pulse: the teammate's quick answers before a 1:1 (src/domain/pulse.rs). One pulse a
-- meeting, its answers one row a question (keyed as in the pulse file, so a reworded question
-- keeps its trend). A pulse moves its series' revision: the meeting page shows it.
-- Kept in step with ../postgres/0022_pulse.sql.

CREATE TABLE pulse (
    meeting_id   BLOB PRIMARY KEY NOT NULL REFERENCES meeting(id),
    series_id    BLOB NOT NULL REFERENCES series(id),
    teammate_id  BLOB NOT NULL REFERENCES person(id),
    comment      TEXT NOT NULL DEFAULT '',
    answered_at  TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX pulse_series_idx ON pulse (series_id);
CREATE INDEX pulse_teammate_idx ON pulse (teammate_id);

CREATE TABLE pulse_answer (
    meeting_id   BLOB NOT NULL REFERENCES pulse(meeting_id),
    question     TEXT NOT NULL,
    value        BIGINT NOT NULL CHECK (value BETWEEN 1 AND 5),
    PRIMARY KEY (meeting_id, question)
);

CREATE TRIGGER rev_pulse_ai AFTER INSERT ON pulse BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = new.series_id;
END;
CREATE TRIGGER rev_pulse_au AFTER UPDATE ON pulse BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = new.series_id;
END;
CREATE TRIGGER rev_pulse_ad AFTER DELETE ON pulse BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = old.series_id;
END;
