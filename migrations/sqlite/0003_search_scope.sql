-- Search scoped by series inside the index. Each search document carries a `scope` token
-- naming its series ("s" + the id in hex), and the FTS5 table indexes it beside the text, so
-- a query intersects the word's postings with the actor's few series instead of reading every
-- match in the organisation. Kept in step with ../postgres/0003_search_scope.sql.

ALTER TABLE search_doc ADD COLUMN scope TEXT NOT NULL DEFAULT '';
UPDATE search_doc SET scope = 's' || lower(hex(series_id));

DROP TRIGGER search_doc_ai;
DROP TRIGGER search_doc_ad;
DROP TRIGGER search_doc_au;
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(body, scope, content='search_doc', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
INSERT INTO search_fts(search_fts) VALUES ('rebuild');
CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN
    INSERT INTO search_fts(rowid, body, scope) VALUES (new.seq, new.body, new.scope);
END;
CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN
    INSERT INTO search_fts(search_fts, rowid, body, scope) VALUES ('delete', old.seq, old.body, old.scope);
END;
CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN
    INSERT INTO search_fts(search_fts, rowid, body, scope) VALUES ('delete', old.seq, old.body, old.scope);
    INSERT INTO search_fts(rowid, body, scope) VALUES (new.seq, new.body, new.scope);
END;
