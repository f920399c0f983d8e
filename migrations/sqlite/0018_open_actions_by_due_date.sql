-- Issue 15: the reminder scheduler asks who has open action items past their due date. Only
-- open items with a due date are indexed, so the question reads those, not every action item
-- ever written. Kept in step with ../postgres/0018_open_actions_by_due_date.sql (the same statement).
CREATE INDEX action_item_open_due_idx ON action_item (due_date, owner_id) WHERE done_at IS NULL AND due_date IS NOT NULL;
