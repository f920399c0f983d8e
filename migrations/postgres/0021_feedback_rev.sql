-- Feedback recorded in a 1:1 moves its series' revision too, so a meeting page kept in memory
-- (src/app/cache.rs) can keep its feedback panel and read nothing for it when seen again.
-- Kept in step with ../sqlite/0021_feedback_rev.sql.

CREATE FUNCTION rev_bump_by_feedback() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('rapport.bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.meeting_id IS NOT NULL THEN
        UPDATE series SET rev = rev + 1 WHERE id = (SELECT series_id FROM meeting WHERE id = OLD.meeting_id);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.meeting_id IS NOT NULL
        AND (TG_OP = 'INSERT' OR OLD.meeting_id IS DISTINCT FROM NEW.meeting_id) THEN
        UPDATE series SET rev = rev + 1 WHERE id = (SELECT series_id FROM meeting WHERE id = NEW.meeting_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER rev_feedback AFTER INSERT OR UPDATE OR DELETE ON feedback FOR EACH ROW EXECUTE FUNCTION rev_bump_by_feedback();
