-- Issue 14: notes under each talking point, beside the meeting's notes. A topic's note travels
-- with it when it is carried over to the next 1:1. Kept in step with the other database's
-- 0016_topic_notes.sql.
ALTER TABLE talking_point ADD COLUMN note TEXT NOT NULL DEFAULT '';
