-- The archive's search index moves into the server process (issue 5: a common term must rank
-- in milliseconds, which row-at-a-time scoring over FTS5 matches could not do). The index is a
-- cache derived from these tables: `archive_state.generation` counts every change to
-- `precedents`, and each row carries the generation of its last change in `index_seq`, so a
-- process (or another server on the same database) catches up by reading the rows changed
-- since the generation it has. Triggers keep both, whatever code writes the row.
CREATE TABLE archive_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO archive_state (id, generation) VALUES (1, 0);

ALTER TABLE precedents ADD COLUMN index_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX precedents_by_index_seq ON precedents (index_seq);

CREATE TRIGGER precedents_indexed_on_insert AFTER INSERT ON precedents
BEGIN
    UPDATE archive_state SET generation = generation + 1 WHERE id = 1;
    UPDATE precedents SET index_seq = (SELECT generation FROM archive_state WHERE id = 1) WHERE id = NEW.id;
END;

-- The inner UPDATE changes `index_seq`, so the WHEN clause keeps it from firing again.
CREATE TRIGGER precedents_indexed_on_update AFTER UPDATE ON precedents
WHEN NEW.index_seq = OLD.index_seq
BEGIN
    UPDATE archive_state SET generation = generation + 1 WHERE id = 1;
    UPDATE precedents SET index_seq = (SELECT generation FROM archive_state WHERE id = 1) WHERE id = NEW.id;
END;

-- The FTS5 shadow texts are no longer read: the in-process index tokenizes the originals in
-- `precedent_texts`.
DROP TABLE precedent_fts;
