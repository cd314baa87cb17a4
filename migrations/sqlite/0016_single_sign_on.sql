-- Single sign-on (OpenID Connect) and API tokens. See docs/sso.md and docs/security.md.

-- A person at an OpenID provider (issuer + subject), linked to one Beraad account.
CREATE TABLE oidc_identities (
    issuer      TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities (user_id);

-- A sign-in on its way through the provider: its state (hashed), the browser it belongs to
-- (hash of a cookie), the nonce and PKCE verifier, where to go after. Used once; short-lived.
CREATE TABLE oidc_logins (
    state_hash    TEXT    PRIMARY KEY,
    browser_hash  TEXT    NOT NULL,
    nonce         TEXT    NOT NULL,
    pkce_verifier TEXT    NOT NULL,
    next_path     TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    used_at       INTEGER
);
CREATE INDEX oidc_logins_expiry ON oidc_logins (expires_at);

-- Web sessions begun through the provider (for RP-initiated logout at sign-out).
CREATE TABLE oidc_sessions (
    session_id_hash TEXT    PRIMARY KEY,
    issuer          TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);

-- API tokens for scripts: made by an admin, scoped to actions, stored as SHA-256 only.
CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    token_hash      TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    scopes          TEXT    NOT NULL,            -- space-separated action names
    created_by      INTEGER NOT NULL REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER,
    revoked_at      INTEGER
);
CREATE INDEX api_tokens_organisation ON api_tokens (organisation_id);
