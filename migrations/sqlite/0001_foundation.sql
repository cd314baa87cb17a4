-- Beraad foundation schema (SQLite). Landed migrations are never edited: add a new file instead.
-- Timestamps are unix milliseconds (INTEGER) on both backends, so both behave the same.

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,          -- used in citation ids: MB:<code>:<year>:<n>
    name        TEXT    NOT NULL,
    settings    TEXT    NOT NULL DEFAULT '{}',    -- JSON: e.g. who may read the archive
    created_at  INTEGER NOT NULL
);

CREATE TABLE teams (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    name            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    email           TEXT    NOT NULL UNIQUE,      -- stored lower-cased
    display_name    TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('admin', 'moderator', 'member', 'archive_reader')),
    password_hash   TEXT,                         -- argon2id PHC string; NULL until set
    created_at      INTEGER NOT NULL,
    disabled_at     INTEGER
);

CREATE TABLE team_members (
    team_id    INTEGER NOT NULL REFERENCES teams(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
);

-- A live deliberation or intervision session. Its truth is the event log below;
-- these columns are a summary for listings, kept in step in the same transaction.
CREATE TABLE sessions (
    id          TEXT    PRIMARY KEY,              -- UUID (v7), public
    team_id     INTEGER REFERENCES teams(id),
    title       TEXT    NOT NULL,
    method_key  TEXT    NOT NULL,
    status      TEXT    NOT NULL,                 -- lobby | running | concluding | closed
    created_by  INTEGER REFERENCES users(id),
    last_seq    INTEGER NOT NULL DEFAULT 0,       -- highest event seq; appends compare-and-set it
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX sessions_team ON sessions (team_id, created_at);

-- The append-only event log: gap-free seq per session, one client id at most once per session.
CREATE TABLE session_events (
    session_id  TEXT    NOT NULL REFERENCES sessions(id),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    client_id   TEXT,
    actor       TEXT,
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,                 -- JSON
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (session_id, seq),
    UNIQUE (session_id, client_id)
);

-- Archived outcomes (moresprudentie). The record itself is JSON; the columns are what
-- listings, citation and uniqueness need. Search indexes come with the archive.
CREATE TABLE precedents (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    team_id         INTEGER REFERENCES teams(id),
    session_id      TEXT    REFERENCES sessions(id),
    import_ref      TEXT,                         -- the importer's own reference
    citation_id     TEXT    UNIQUE,               -- MB:<org>:<year>:<n>, set on adoption, never changed
    status          TEXT    NOT NULL CHECK (status IN ('draft', 'adopted', 'withdrawn')),
    version         INTEGER NOT NULL DEFAULT 1,
    title           TEXT    NOT NULL,
    decided_on      TEXT,                         -- YYYY-MM-DD, the session's date
    method_key      TEXT,
    record          TEXT    NOT NULL,             -- JSON
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (organisation_id, import_ref)
);
