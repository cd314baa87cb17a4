-- The database's identity: a random id made once, when the database is created (or first
-- migrated to this version). What is derived from the database and kept elsewhere — the
-- search index on disk (server/src/search/engine/) — records the identity it was built from,
-- so it can tell a database it was not built from (another database, or one put in this one's
-- place) and be rebuilt rather than caught up. A copy of the database (a backup) keeps it.
CREATE TABLE database_identity (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    identity TEXT NOT NULL
);
INSERT INTO database_identity (id, identity) VALUES (1, lower(hex(randomblob(16))));
