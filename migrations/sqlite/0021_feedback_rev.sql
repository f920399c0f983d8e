-- Feedback recorded in a 1:1 moves its series' revision too, so a meeting page kept in memory
-- (src/app/cache.rs) can keep its feedback panel and read nothing for it when seen again.
-- Kept in step with ../postgres/0021_feedback_rev.sql.

CREATE TRIGGER rev_feedback_ai AFTER INSERT ON feedback WHEN new.meeting_id IS NOT NULL BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = (SELECT series_id FROM meeting WHERE id = new.meeting_id);
END;
CREATE TRIGGER rev_feedback_au AFTER UPDATE ON feedback WHEN new.meeting_id IS NOT NULL OR old.meeting_id IS NOT NULL BEGIN
    UPDATE series SET rev = rev + 1
    WHERE id IN (SELECT series_id FROM meeting WHERE id = new.meeting_id OR id = old.meeting_id);
END;
CREATE TRIGGER rev_feedback_ad AFTER DELETE ON feedback WHEN old.meeting_id IS NOT NULL BEGIN
    UPDATE series SET rev = rev + 1 WHERE id = (SELECT series_id FROM meeting WHERE id = old.meeting_id);
END;
