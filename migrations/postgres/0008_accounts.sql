-- Accounts: web sessions, one-time account tokens (set-up links and invites), failed sign-ins
-- for throttling, and the tamper-evident audit log. Timestamps are unix milliseconds.

-- A signed-in browser. The cookie holds a random id; only its SHA-256 is stored.
CREATE TABLE web_sessions (
    id_hash      TEXT    PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    csrf_token   TEXT    NOT NULL,                 -- the synchronizer token of this session's forms
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    client_addr  TEXT    NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);

-- One-time links: 'setup' sets the password of an existing user (first admin), 'invite' makes
-- a new user. Only the token's SHA-256 is stored; used_at makes it single use.
CREATE TABLE account_tokens (
    token_hash      TEXT    PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('setup', 'invite')),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id         BIGINT REFERENCES users(id),
    email           TEXT,
    role            TEXT    CHECK (role IN ('admin', 'moderator', 'member', 'archive_reader')),
    team_id         BIGINT REFERENCES teams(id),
    created_by      BIGINT REFERENCES users(id),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT
);
CREATE INDEX account_tokens_pending ON account_tokens (organisation_id, kind, used_at, expires_at);

-- Failed sign-ins, counted per account and per address over a sliding window.
CREATE TABLE sign_in_failures (
    id          BIGSERIAL PRIMARY KEY,
    account     TEXT    NOT NULL,                  -- the e-mail address tried, lower-cased
    client_addr TEXT    NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_account ON sign_in_failures (account, at);
CREATE INDEX sign_in_failures_addr ON sign_in_failures (client_addr, at);

-- Who did what, when, with what result, from where; never case content. Each entry's hash
-- covers the previous entry's hash (see beraad-domain audit).
CREATE TABLE audit_log (
    seq         BIGINT  PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor       TEXT    NOT NULL,                  -- 'user:<id>', 'system', 'guest:…', 'anonymous'
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    result      TEXT    NOT NULL,
    client_addr TEXT    NOT NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
);

-- The newest entry's seq and hash, written with every entry: shows deleted newest entries, and
-- is the row appends lock so the chain never forks.
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
