-- Who may connect to a live session: one secret token per participant (stored as a SHA-256
-- hash, never in clear), and the invite link participants join by.

CREATE TABLE session_tokens (
    token_hash     TEXT    PRIMARY KEY,
    session_id     TEXT    NOT NULL REFERENCES sessions(id),
    participant_id TEXT    NOT NULL,
    created_at     BIGINT NOT NULL,
    revoked_at     BIGINT
);
CREATE INDEX session_tokens_participant ON session_tokens (session_id, participant_id);

CREATE TABLE session_invites (
    code_hash   TEXT    PRIMARY KEY,
    session_id  TEXT    NOT NULL REFERENCES sessions(id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
