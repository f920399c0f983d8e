-- Search indexing once per commit instead of once per write. FTS5 writes its pending index
-- data out at every savepoint, and each write runs in its own savepoint inside a shared
-- commit (see src/store/writer.rs). So the triggers no longer touch the index: they queue
-- what changed, and the writer applies the queue to `search_fts` in one statement just
-- before each commit, inside the same transaction. Searches see a write exactly when it is
-- committed, as before. PostgreSQL keeps its generated `tsv` column and needs none of this.

CREATE TABLE search_queue (
    id INTEGER PRIMARY KEY,
    op TEXT NOT NULL,        -- 'i': add to the index; 'd': take out of the index
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    scope TEXT NOT NULL
);

DROP TRIGGER search_doc_ai;
DROP TRIGGER search_doc_ad;
DROP TRIGGER search_doc_au;
CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN
    INSERT INTO search_queue (op, seq, body, scope) VALUES ('i', new.seq, new.body, new.scope);
END;
CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN
    INSERT INTO search_queue (op, seq, body, scope) VALUES ('d', old.seq, old.body, old.scope);
END;
CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN
    INSERT INTO search_queue (op, seq, body, scope) VALUES ('d', old.seq, old.body, old.scope);
    INSERT INTO search_queue (op, seq, body, scope) VALUES ('i', new.seq, new.body, new.scope);
END;
