-- SQLite only (its FTS5 index is kept up to date once per commit, see
-- ../sqlite/0006_search_queue.sql); PostgreSQL's generated `tsv` column needs nothing. The
-- version exists on both backends so their migration histories stay the same.
SELECT 1;
