-- Precedent lifecycle (issue 5, point 1 and the session links of point 3).

-- One precedent per session (imports have no session: NULLs do not collide).
CREATE UNIQUE INDEX precedents_one_per_session ON precedents (session_id);

-- The last citation number given per organisation and year: the next adoption takes the next
-- one inside its write transaction; the unique citation_id is the backstop.
CREATE TABLE citation_counters (
    organisation_id BIGINT  NOT NULL REFERENCES organisations(id),
    year            BIGINT  NOT NULL,
    last_number     BIGINT  NOT NULL,
    PRIMARY KEY (organisation_id, year)
);

-- Every adopted version of a precedent (adoption = version 1, each correction one more):
-- the record as it was, who, when and why.
CREATE TABLE precedent_versions (
    precedent_id BIGINT  NOT NULL REFERENCES precedents(id) ON DELETE CASCADE,
    version      BIGINT  NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('adopted', 'corrected')),
    record       JSONB   NOT NULL,
    changed_by   TEXT    NOT NULL,
    reason       TEXT,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (precedent_id, version)
);

-- A session follows, deviates from or refines an earlier precedent; shown on both sides.
CREATE TABLE session_precedent_links (
    session_id   TEXT    NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    precedent_id BIGINT  NOT NULL REFERENCES precedents(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('follows', 'deviates_from', 'refines')),
    note         TEXT,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (session_id, precedent_id)
);
CREATE INDEX session_precedent_links_by_precedent ON session_precedent_links (precedent_id);
