-- Search scoped by series. The `scope` column matches SQLite's (see
-- ../sqlite/0003_search_scope.sql); PostgreSQL filters by `series_id` through its index first
-- and needs no token, but both databases keep the same columns.

ALTER TABLE search_doc ADD COLUMN scope TEXT NOT NULL DEFAULT '';
UPDATE search_doc SET scope = 's' || replace(series_id::text, '-', '');
