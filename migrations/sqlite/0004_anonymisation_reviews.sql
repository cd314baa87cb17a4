-- The anonymisation review of a session's case (who, when, counts per kind, how each finding
-- was resolved), stored with the session when it is created.
CREATE TABLE anonymisation_reviews (
    session_id  TEXT    PRIMARY KEY REFERENCES sessions(id),
    review      TEXT    NOT NULL,   -- JSON
    created_at  INTEGER NOT NULL
);
