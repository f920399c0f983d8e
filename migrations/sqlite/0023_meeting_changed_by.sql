-- Issue 17: who skipped, cancelled or moved a 1:1, so a manager's own practice page can say
-- which of the changes were theirs. Empty for changes made before rapport kept it (and for
-- meetings never changed). Kept in step with ../postgres/0023_meeting_changed_by.sql.
ALTER TABLE meeting ADD COLUMN status_by BLOB REFERENCES person(id);
ALTER TABLE meeting ADD COLUMN moved_by BLOB REFERENCES person(id);
