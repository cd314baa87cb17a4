-- The change feed (issue 16): every transaction that changes the archive (its generation grows)
-- notifies the server processes listening on `beraad_feed`, whichever process or tool wrote it,
-- so their search indexes refresh without a query per search. The payload is constant, so
-- PostgreSQL folds one transaction's notifications into one; it carries no content. SQLite has
-- no counterpart: one server process per file, which checks the generation itself.
CREATE FUNCTION archive_changed_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('beraad_feed', '{"k":"archive_changed"}');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER archive_changed_notify AFTER UPDATE ON archive_state
    FOR EACH STATEMENT EXECUTE FUNCTION archive_changed_notify();
