-- Retention and erasure (AVG). See docs/privacy.md.

-- When the retention job removed a closed session's content (case text, contributions):
-- its events keep their seq and kind, their payload becomes {"redacted": true}.
ALTER TABLE sessions ADD COLUMN content_removed_at INTEGER;

-- When a person's account was erased: name and e-mail gone, sign-in impossible.
ALTER TABLE users ADD COLUMN erased_at INTEGER;

-- One row per day the retention job ran: the process that inserts it runs the job.
CREATE TABLE retention_runs (
    day         TEXT    PRIMARY KEY,               -- YYYY-MM-DD (UTC)
    claimed_at  INTEGER NOT NULL,
    finished_at INTEGER
);
