-- A revision number per series that moves whenever anything shown about its 1:1s changes:
-- the series, its meetings, points, notes, actions, or either person. Pages keep what they
-- loaded for a series in memory and check this one number before using it again (see
-- src/app/cache.rs). Triggers keep it honest for every writer: every instance, the command
-- line. A bulk load (the demo generator) sets `rapport.bulk` for its transaction and skips
-- them. Kept in step with ../sqlite/0007_series_rev.sql.

ALTER TABLE series ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION rev_bump_by_series() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('rapport.bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        UPDATE series SET rev = rev + 1 WHERE id = OLD.series_id;
    ELSE
        UPDATE series SET rev = rev + 1 WHERE id = NEW.series_id;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION rev_bump_by_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('rapport.bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        UPDATE series SET rev = rev + 1 WHERE id = (SELECT series_id FROM meeting WHERE id = OLD.meeting_id);
    ELSE
        UPDATE series SET rev = rev + 1 WHERE id = (SELECT series_id FROM meeting WHERE id = NEW.meeting_id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION rev_bump_by_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('rapport.bulk', true) = 'on' THEN
        RETURN NULL;
    END IF;
    UPDATE series SET rev = rev + 1 WHERE manager_id = NEW.id OR teammate_id = NEW.id;
    RETURN NULL;
END $$;

CREATE FUNCTION rev_bump_series_itself() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.rev = OLD.rev THEN
        NEW.rev := OLD.rev + 1;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER rev_series_bu BEFORE UPDATE ON series FOR EACH ROW EXECUTE FUNCTION rev_bump_series_itself();
CREATE TRIGGER rev_person_au AFTER UPDATE ON person FOR EACH ROW EXECUTE FUNCTION rev_bump_by_person();
CREATE TRIGGER rev_meeting AFTER INSERT OR UPDATE OR DELETE ON meeting FOR EACH ROW EXECUTE FUNCTION rev_bump_by_series();
CREATE TRIGGER rev_point AFTER INSERT OR UPDATE OR DELETE ON talking_point FOR EACH ROW EXECUTE FUNCTION rev_bump_by_series();
CREATE TRIGGER rev_action AFTER INSERT OR UPDATE OR DELETE ON action_item FOR EACH ROW EXECUTE FUNCTION rev_bump_by_series();
CREATE TRIGGER rev_note AFTER INSERT OR UPDATE OR DELETE ON note FOR EACH ROW EXECUTE FUNCTION rev_bump_by_meeting();
