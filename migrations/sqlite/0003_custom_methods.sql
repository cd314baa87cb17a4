-- Methods moderators added themselves (validated JSON, the same shape as a built-in method).
CREATE TABLE custom_methods (
    key             TEXT    PRIMARY KEY,
    organisation_id INTEGER REFERENCES organisations(id),
    definition      TEXT    NOT NULL,   -- JSON
    created_at      INTEGER NOT NULL
);
