-- The archive's search index moves into the server process (issue 5: a common term must rank
-- in milliseconds, which row-at-a-time scoring over tsvector matches could not do). The index
-- is a cache derived from these tables: `archive_state.generation` counts every change to
-- `precedents`, and each row carries the generation of its last change in `index_seq`, so
-- every server process sharing this database catches up by reading the rows changed since the
-- generation it has. The trigger takes the row lock on `archive_state` until commit, so
-- generations commit in order and a reader never skips a change still in flight.
CREATE TABLE archive_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT  NOT NULL
);
INSERT INTO archive_state (id, generation) VALUES (1, 0);

ALTER TABLE precedents ADD COLUMN index_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX precedents_by_index_seq ON precedents (index_seq);

CREATE FUNCTION precedents_indexed() RETURNS trigger AS $$
BEGIN
    UPDATE archive_state SET generation = generation + 1 WHERE id = 1 RETURNING generation INTO NEW.index_seq;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER precedents_indexed BEFORE INSERT OR UPDATE ON precedents
    FOR EACH ROW EXECUTE FUNCTION precedents_indexed();

-- The tsvector shadow texts are no longer read: the in-process index tokenizes the originals.
DROP INDEX precedent_texts_stems;
DROP INDEX precedent_texts_words;
ALTER TABLE precedent_texts DROP COLUMN stems_tsv, DROP COLUMN words_tsv;
