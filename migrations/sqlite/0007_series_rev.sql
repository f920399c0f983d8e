-- A revision number per series that moves whenever anything shown about its 1:1s changes:
-- the series, its meetings, points, notes, actions, or either person. Pages keep what they
-- loaded for a series in memory and check this one number before using it again (see
-- src/app/cache.rs). Triggers keep it honest for every writer: this process, another
-- instance, the command line. Kept in step with ../postgres/0007_series_rev.sql.

ALTER TABLE series ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER rev_series_au AFTER UPDATE ON series WHEN new.rev = old.rev BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = new.id;
END;
CREATE TRIGGER rev_person_au AFTER UPDATE ON person BEGIN
    UPDATE series SET rev = rev + 1 WHERE manager_id = new.id OR teammate_id = new.id;
END;

CREATE TRIGGER rev_meeting_ai AFTER INSERT ON meeting BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = new.series_id;
END;
CREATE TRIGGER rev_meeting_au AFTER UPDATE ON meeting BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = new.series_id;
END;
CREATE TRIGGER rev_meeting_ad AFTER DELETE ON meeting BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = old.series_id;
END;

CREATE TRIGGER rev_point_ai AFTER INSERT ON talking_point BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = new.series_id;
END;
CREATE TRIGGER rev_point_au AFTER UPDATE ON talking_point BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = new.series_id;
END;
CREATE TRIGGER rev_point_ad AFTER DELETE ON talking_point BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = old.series_id;
END;

CREATE TRIGGER rev_action_ai AFTER INSERT ON action_item BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = new.series_id;
END;
CREATE TRIGGER rev_action_au AFTER UPDATE ON action_item BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = new.series_id;
END;
CREATE TRIGGER rev_action_ad AFTER DELETE ON action_item BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = old.series_id;
END;

CREATE TRIGGER rev_note_ai AFTER INSERT ON note BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = (SELECT series_id FROM meeting WHERE id = new.meeting_id);
END;
CREATE TRIGGER rev_note_au AFTER UPDATE ON note BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = (SELECT series_id FROM meeting WHERE id = new.meeting_id);
END;
CREATE TRIGGER rev_note_ad AFTER DELETE ON note BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = (SELECT series_id FROM meeting WHERE id = old.meeting_id);
END;
