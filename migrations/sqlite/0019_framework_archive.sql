-- Issue 16: an admin archives a framework: it leaves the level selects and the list of
-- frameworks to choose from, and the people already placed on it keep it. Restoring clears
-- the mark. Kept in step with ../postgres/0019_framework_archive.sql (only the type differs).
ALTER TABLE framework ADD COLUMN archived_at TEXT;
