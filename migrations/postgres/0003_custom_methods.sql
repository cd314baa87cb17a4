-- Methods moderators added themselves (validated JSON, the same shape as a built-in method).
CREATE TABLE custom_methods (
    key             TEXT   PRIMARY KEY,
    organisation_id BIGINT REFERENCES organisations(id),
    definition      JSONB  NOT NULL,
    created_at      BIGINT NOT NULL
);
