-- Issue 17: the actions of a series due in a window, through one index: one's practice and the
-- organisation's view count those due in the last 4, 12 or 52 weeks, and read every action of
-- the series since it began without it (five years of them per pair on a large organisation;
-- 19 ms of a director's view over 1,110 people, 6 ms with it). It holds what the view reads.
-- Kept in step with ../postgres/0024_action_due_idx.sql.
CREATE INDEX action_item_series_due_idx ON action_item (series_id, due_date, owner_id, done_at);
