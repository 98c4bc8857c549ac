-- The text search on an index made for it (issue #16): a trigram index (FTS5, `tokenize='trigram'`) over each
-- request's search key, so "rossi" or a fiscal-code fragment finds its rows without reading every request.
-- The index is keyed by `search_id`, an integer each request keeps for good (a table's rowid may be renumbered
-- by VACUUM); triggers keep it in step with every write. Contentless: the key itself stays in `requests`.
ALTER TABLE requests ADD COLUMN search_id INTEGER;
UPDATE requests SET search_id = rowid;
CREATE UNIQUE INDEX requests_search_id ON requests (search_id);
CREATE VIRTUAL TABLE requests_search USING fts5(search_text, content='', contentless_delete=1, tokenize='trigram');
INSERT INTO requests_search (rowid, search_text) SELECT search_id, search_text FROM requests;

CREATE TRIGGER requests_search_insert AFTER INSERT ON requests BEGIN
    UPDATE requests SET search_id = (SELECT coalesce(max(search_id), 0) + 1 FROM requests)
     WHERE id = new.id AND search_id IS NULL;
    INSERT INTO requests_search (rowid, search_text)
        SELECT search_id, search_text FROM requests WHERE id = new.id;
END;
CREATE TRIGGER requests_search_update AFTER UPDATE OF search_text ON requests
    WHEN old.search_text IS NOT new.search_text BEGIN
    DELETE FROM requests_search WHERE rowid = old.search_id;
    INSERT INTO requests_search (rowid, search_text) VALUES (new.search_id, new.search_text);
END;
CREATE TRIGGER requests_search_delete AFTER DELETE ON requests BEGIN
    DELETE FROM requests_search WHERE rowid = old.search_id;
END;
