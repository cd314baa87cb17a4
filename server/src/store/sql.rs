//! Column lists shared by both backends (`$n` placeholders work on SQLite too).

pub(super) const ORGANISATION_COLUMNS: &str = "id, code, name, settings, created_at";
pub(super) const TEAM_COLUMNS: &str = "id, organisation_id, name, created_at";
pub(super) const USER_COLUMNS: &str =
    "id, organisation_id, email, display_name, role, password_hash, created_at, disabled_at, erased_at";
pub(super) const SESSION_COLUMNS: &str =
    "id, team_id, title, method_key, status, created_by, last_seq, created_at, updated_at, content_removed_at";
pub(super) const EVENT_COLUMNS: &str = "session_id, seq, client_id, actor, kind, payload, created_at";
pub(super) const PRECEDENT_COLUMNS: &str = "id, organisation_id, team_id, session_id, import_ref, citation_id, \
     status, CAST(version AS BIGINT) AS version, title, decided_on, method_key, record, created_at, updated_at";

pub(super) const INSERT_EVENT: &str = "INSERT INTO session_events \
     (session_id, seq, client_id, actor, kind, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Inserts a precedent or, for the same organisation and import ref, replaces its content.
pub(super) const UPSERT_PRECEDENT: &str = "INSERT INTO precedents \
     (organisation_id, team_id, session_id, import_ref, status, title, decided_on, method_key, record, \
      created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
     ON CONFLICT (organisation_id, import_ref) DO UPDATE SET team_id = excluded.team_id, \
     title = excluded.title, decided_on = excluded.decided_on, method_key = excluded.method_key, \
     record = excluded.record, updated_at = excluded.updated_at";

pub(super) const INSERT_SESSION_TOKEN: &str =
    "INSERT INTO session_tokens (token_hash, session_id, participant_id, created_at) VALUES ($1, $2, $3, $4)";
pub(super) const SELECT_TOKEN_PARTICIPANT: &str = "SELECT participant_id FROM session_tokens \
     WHERE token_hash = $1 AND session_id = $2 AND revoked_at IS NULL";
pub(super) const INSERT_INVITE: &str =
    "INSERT INTO session_invites (code_hash, session_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
pub(super) const REVOKE_PARTICIPANT_TOKENS: &str = "UPDATE session_tokens SET revoked_at = $1 \
     WHERE session_id = $2 AND participant_id = $3 AND revoked_at IS NULL";
pub(super) const REVOKE_INVITES: &str =
    "UPDATE session_invites SET revoked_at = $1 WHERE session_id = $2 AND revoked_at IS NULL";
/// Revokes a session's valid invites except the newest `$3`.
pub(super) const REVOKE_INVITES_BUT_NEWEST: &str = "UPDATE session_invites SET revoked_at = $1 \
     WHERE session_id = $2 AND revoked_at IS NULL AND code_hash NOT IN (SELECT code_hash \
     FROM session_invites WHERE session_id = $2 AND revoked_at IS NULL \
     ORDER BY created_at DESC, code_hash LIMIT $3)";
pub(super) const SELECT_INVITE_SESSION: &str = "SELECT session_id FROM session_invites \
     WHERE code_hash = $1 AND expires_at > $2 AND revoked_at IS NULL";

/// What the search index is built from: the precedents changed after generation `$1`, one page
/// at a time by id (after id `$2`, at most `$3`).
pub(super) const INDEX_SOURCES: &str = "SELECT p.id, p.organisation_id, p.status, p.import_ref, \
     p.citation_id, p.title, COALESCE(t.body, '') AS body, p.decided_on, p.method_key, p.team_id, p.index_seq \
     FROM precedents p LEFT JOIN precedent_texts t ON t.precedent_id = p.id \
     WHERE p.index_seq > $1 AND p.id > $2 ORDER BY p.id LIMIT $3";
/// The labels and law keys of the precedents changed after generation `$1` with an id in
/// (`$2`, `$3`].
pub(super) const INDEX_LABELS: &str = "SELECT l.precedent_id, l.kind, l.label FROM precedent_labels l \
     JOIN precedents p ON p.id = l.precedent_id \
     WHERE p.index_seq > $1 AND l.precedent_id > $2 AND l.precedent_id <= $3 \
     UNION ALL SELECT w.precedent_id, 'law' AS kind, w.law_key AS label FROM precedent_laws w \
     JOIN precedents p ON p.id = w.precedent_id \
     WHERE p.index_seq > $1 AND w.precedent_id > $2 AND w.precedent_id <= $3";
/// The archive's generation: the number of changes to `precedents` so far.
pub(super) const ARCHIVE_GENERATION: &str = "SELECT generation FROM archive_state WHERE id = 1";
/// Writes a precedent's original title and searchable body.
pub(super) const UPSERT_PRECEDENT_TEXT: &str = "INSERT INTO precedent_texts (precedent_id, title, body) \
     VALUES ($1, $2, $3) ON CONFLICT (precedent_id) DO UPDATE SET title = excluded.title, body = excluded.body";

/// Replaces a precedent's filter rows.
pub(super) const DELETE_PRECEDENT_LAWS: &str = "DELETE FROM precedent_laws WHERE precedent_id = $1";
pub(super) const DELETE_PRECEDENT_LABELS: &str = "DELETE FROM precedent_labels WHERE precedent_id = $1";
pub(super) const INSERT_PRECEDENT_LAW: &str =
    "INSERT INTO precedent_laws (precedent_id, law_key) VALUES ($1, $2)";
pub(super) const INSERT_PRECEDENT_LABEL: &str =
    "INSERT INTO precedent_labels (precedent_id, kind, label) VALUES ($1, $2, $3)";
