-- Beraad foundation schema (PostgreSQL). Landed migrations are never edited: add a new file instead.
-- Timestamps are unix milliseconds (BIGINT) on both backends, so both behave the same.

CREATE TABLE organisations (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT   NOT NULL UNIQUE,
    name        TEXT   NOT NULL,
    settings    JSONB  NOT NULL DEFAULT '{}',
    created_at  BIGINT NOT NULL
);

CREATE TABLE teams (
    id              BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name            TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE users (
    id              BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    email           TEXT   NOT NULL UNIQUE,
    display_name    TEXT   NOT NULL,
    role            TEXT   NOT NULL CHECK (role IN ('admin', 'moderator', 'member', 'archive_reader')),
    password_hash   TEXT,
    created_at      BIGINT NOT NULL,
    disabled_at     BIGINT
);

CREATE TABLE team_members (
    team_id    BIGINT NOT NULL REFERENCES teams(id),
    user_id    BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE sessions (
    id          TEXT   PRIMARY KEY,
    team_id     BIGINT REFERENCES teams(id),
    title       TEXT   NOT NULL,
    method_key  TEXT   NOT NULL,
    status      TEXT   NOT NULL,
    created_by  BIGINT REFERENCES users(id),
    last_seq    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX sessions_team ON sessions (team_id, created_at);

CREATE TABLE session_events (
    session_id  TEXT   NOT NULL REFERENCES sessions(id),
    seq         BIGINT NOT NULL CHECK (seq > 0),
    client_id   TEXT,
    actor       TEXT,
    kind        TEXT   NOT NULL,
    payload     JSONB  NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (session_id, seq),
    UNIQUE (session_id, client_id)
);

CREATE TABLE precedents (
    id              BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    team_id         BIGINT REFERENCES teams(id),
    session_id      TEXT   REFERENCES sessions(id),
    import_ref      TEXT,
    citation_id     TEXT   UNIQUE,
    status          TEXT   NOT NULL CHECK (status IN ('draft', 'adopted', 'withdrawn')),
    version         INTEGER NOT NULL DEFAULT 1,
    title           TEXT   NOT NULL,
    decided_on      TEXT,
    method_key      TEXT,
    record          JSONB  NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (organisation_id, import_ref)
);
