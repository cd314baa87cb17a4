//! Retention and erasure (AVG; docs/privacy.md):
//! - the daily job's claim (one process per day runs it, `retention_runs`);
//! - removing an expired session's content: its events keep their seq and kind (the log stays
//!   gap-free) but their payload becomes `{"redacted": true}`; its title, anonymisation review,
//!   tokens, invites, link notes and never-adopted drafts go; adopted precedents stay;
//! - erasing a person's account: name and e-mail removed, sign-in impossible, their name in
//!   session logs blanked (their contributions stay, shown as "former participant");
//! - reading what the store holds about a person (an access request, `beraad export-person`);
//! - moving e-mail addresses out of audit entries written before the chain kept them out.

use async_trait::async_trait;
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::types::Json;

use super::audit::{append_entry, AuditRaw, AUDIT_COLUMNS};
use super::backend::{Backend, SqlStore};
use super::rows::SessionRaw;
use super::sql::{ORGANISATION_COLUMNS, SESSION_COLUMNS};
use super::statement::Arg;
use super::{Organisation, Result, SessionRow, User};
use crate::domain::audit::{entry_hash, AuditEntry, AuditFact};
use crate::domain::retention::Removed;

/// What erasing an account changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Erased {
    /// Join events whose display name was blanked.
    pub names: u64,
    /// Signed-in browsers ended.
    pub web_sessions: u64,
    /// Team memberships removed.
    pub memberships: u64,
}

/// A session a person took part in or created.
#[derive(Clone, Debug, Serialize)]
pub struct PersonSession {
    pub id: String,
    pub title: String,
    pub status: String,
    pub created_at: i64,
    pub created_by_them: bool,
    pub content_removed_at: Option<i64>,
}

/// One event a person caused in a session (a contribution, their joining).
#[derive(Clone, Debug, Serialize)]
pub struct PersonEvent {
    pub session_id: String,
    pub seq: i64,
    pub kind: String,
    pub at: i64,
    pub payload: Value,
}

/// A signed-in browser of the person.
#[derive(Clone, Debug, Serialize)]
pub struct PersonWebSession {
    pub created_at: i64,
    pub last_seen_at: i64,
    pub client_addr: String,
}

/// An invite sent to the person's address.
#[derive(Clone, Debug, Serialize)]
pub struct PersonInvite {
    pub kind: String,
    pub role: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// Everything the store holds about one person, except their audit entries (see
/// [`Retention::audit_about`]) and the organisation and teams (read through `Accounts`).
#[derive(Clone, Debug, Serialize)]
pub struct PersonData {
    pub sessions: Vec<PersonSession>,
    pub events: Vec<PersonEvent>,
    pub web_sessions: Vec<PersonWebSession>,
    pub invites: Vec<PersonInvite>,
}

/// The sessions whose content the retention job removes: the organisation's (and, with
/// `teamless`, those without a team) that closed before `closed_before`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expiry {
    pub organisation_id: i64,
    pub teamless: bool,
    pub closed_before: i64,
}

#[async_trait]
pub trait Retention: Send + Sync {
    /// Every organisation (the job walks them), by id.
    async fn all_organisations(&self) -> Result<Vec<Organisation>>;
    /// Claims the retention job's run for `day` (a local date): true for exactly one caller
    /// per day, in however many processes.
    async fn claim_retention_run(&self, day: &str, now_ms: i64) -> Result<bool>;
    /// Notes that the claimed run of `day` finished.
    async fn finish_retention_run(&self, day: &str, now_ms: i64) -> Result<()>;
    /// Removes the content of the organisation's sessions (and, with `teamless`, of sessions
    /// without a team) that closed before `closed_before`; each session in its own
    /// transaction, each only once (idempotent).
    async fn expire_sessions(&self, expiry: &Expiry, now_ms: i64) -> Result<Removed>;
    /// Erases an account: `None` when there is no such user or it was erased before.
    /// `sign_in_key` is the key its failed sign-ins are counted under.
    async fn erase_user(&self, user_id: i64, sign_in_key: &str, now_ms: i64) -> Result<Option<Erased>>;
    /// The sessions, events, browsers and invites of a user.
    async fn person_data(&self, user: &User) -> Result<PersonData>;
    /// Audit entries whose actor or target names `user:<id>`, oldest first.
    async fn audit_about(&self, user_id: i64) -> Result<Vec<AuditEntry>>;
    /// Replaces e-mail addresses in audit targets (written before the chain kept them out) by
    /// pseudonyms, re-hashes the chain from the first changed entry and appends an
    /// `audit_resealed` entry naming the previous head. `None` when nothing needed changing.
    async fn pseudonymise_audit(&self, now_ms: i64) -> Result<Option<u64>>;
}

/// The payload every event of an expired session keeps.
pub fn redacted_payload() -> Value {
    json!({ "redacted": true })
}

/// The e-mail column of an erased user (unique, and not an address).
pub fn erased_email(user_id: i64) -> String {
    format!("erased:{user_id}")
}

#[async_trait]
impl<DB: Backend> Retention for SqlStore<DB> {
    async fn all_organisations(&self) -> Result<Vec<Organisation>> {
        let sql = format!("SELECT {ORGANISATION_COLUMNS} FROM organisations ORDER BY id");
        DB::fetch_all(&self.pool, &sql, &[]).await
    }

    async fn claim_retention_run(&self, day: &str, now_ms: i64) -> Result<bool> {
        let sql = "INSERT INTO retention_runs (day, claimed_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING";
        let done = DB::execute(&self.pool, sql, &[day.into(), now_ms.into()]).await?;
        Ok(done == 1)
    }

    async fn finish_retention_run(&self, day: &str, now_ms: i64) -> Result<()> {
        let sql = "UPDATE retention_runs SET finished_at = $1 WHERE day = $2";
        DB::execute(&self.pool, sql, &[now_ms.into(), day.into()]).await?;
        Ok(())
    }

    async fn expire_sessions(&self, expiry: &Expiry, now_ms: i64) -> Result<Removed> {
        let Expiry { organisation_id, teamless, closed_before } = *expiry;
        let mut removed = Removed::default();
        let payload = redacted_payload();
        loop {
            let ids: Vec<String> = DB::scalars(
                &self.pool,
                "SELECT s.id FROM sessions s LEFT JOIN teams t ON t.id = s.team_id \
                 WHERE s.status = 'closed' AND s.content_removed_at IS NULL AND s.updated_at < $1 \
                 AND (t.organisation_id = $2 OR (s.team_id IS NULL AND $3 = 1)) ORDER BY s.id LIMIT 100",
                &[closed_before.into(), organisation_id.into(), i64::from(teamless).into()],
            )
            .await?;
            if ids.is_empty() {
                return Ok(removed);
            }
            for id in &ids {
                let mut tx = self.begin_write().await?;
                // Appends to the session wait for this transaction (and it for them).
                let _: Option<i64> = DB::scalar_optional(&mut *tx, DB::LOCK_SESSION, &[id.into()]).await?;
                let marked = DB::execute(
                    &mut *tx,
                    "UPDATE sessions SET title = '', content_removed_at = $1 \
                     WHERE id = $2 AND content_removed_at IS NULL AND status = 'closed'",
                    &[now_ms.into(), id.into()],
                )
                .await?;
                if marked == 0 {
                    // Removed meanwhile by another process.
                    continue;
                }
                let events = DB::execute(
                    &mut *tx,
                    "UPDATE session_events SET payload = $1 WHERE session_id = $2",
                    &[Arg::Json(&payload), id.into()],
                )
                .await?;
                for sql in [
                    "DELETE FROM anonymisation_reviews WHERE session_id = $1",
                    "DELETE FROM session_tokens WHERE session_id = $1",
                    "DELETE FROM session_invites WHERE session_id = $1",
                    "UPDATE session_precedent_links SET note = NULL WHERE session_id = $1",
                ] {
                    DB::execute(&mut *tx, sql, &[id.into()]).await?;
                }
                let drafts = DB::execute(
                    &mut *tx,
                    "DELETE FROM precedents WHERE session_id = $1 AND status = 'draft'",
                    &[id.into()],
                )
                .await?;
                tx.commit().await?;
                removed.sessions += 1;
                removed.events += events;
                removed.drafts += drafts;
            }
        }
    }

    async fn erase_user(&self, user_id: i64, sign_in_key: &str, now_ms: i64) -> Result<Option<Erased>> {
        let mut tx = self.begin_write().await?;
        let sql = "SELECT email FROM users WHERE id = $1 AND erased_at IS NULL";
        let email: Option<String> = DB::scalar_optional(&mut *tx, sql, &[user_id.into()]).await?;
        let Some(email) = email else { return Ok(None) };
        let sql = "UPDATE users SET email = $1, display_name = '', password_hash = NULL, \
             disabled_at = COALESCE(disabled_at, $2), erased_at = $2 WHERE id = $3";
        DB::execute(&mut *tx, sql, &[erased_email(user_id).into(), now_ms.into(), user_id.into()]).await?;
        let sql = "DELETE FROM web_sessions WHERE user_id = $1";
        let web_sessions = DB::execute(&mut *tx, sql, &[user_id.into()]).await?;
        let sql = "DELETE FROM team_members WHERE user_id = $1";
        let memberships = DB::execute(&mut *tx, sql, &[user_id.into()]).await?;
        let sql = "DELETE FROM account_tokens WHERE user_id = $1 OR email = $2";
        DB::execute(&mut *tx, sql, &[user_id.into(), (&email).into()]).await?;
        let sql = "DELETE FROM sign_in_failures WHERE account = $1";
        DB::execute(&mut *tx, sql, &[sign_in_key.into()]).await?;
        let participant = format!("u-{user_id}");
        let sql = "DELETE FROM session_tokens WHERE participant_id = $1";
        DB::execute(&mut *tx, sql, &[(&participant).into()]).await?;
        // Their name in the sessions they joined: the join events name them.
        let sql = "SELECT session_id, seq, payload FROM session_events \
             WHERE kind = 'participant_joined' AND CAST(payload AS TEXT) LIKE $1";
        let joins: Vec<(String, i64, Json<Value>)> =
            DB::fetch_all(&mut *tx, sql, &[(format!("%\"{participant}\"%")).into()]).await?;
        let mut names = 0;
        for (session_id, seq, Json(mut payload)) in joins {
            if payload.get("participant").and_then(Value::as_str) != Some(participant.as_str()) {
                continue;
            }
            payload["display_name"] = json!("");
            let sql = "UPDATE session_events SET payload = $1 WHERE session_id = $2 AND seq = $3";
            DB::execute(&mut *tx, sql, &[Arg::Json(&payload), (&session_id).into(), seq.into()]).await?;
            names += 1;
        }
        tx.commit().await?;
        Ok(Some(Erased { names, web_sessions, memberships }))
    }

    async fn person_data(&self, user: &User) -> Result<PersonData> {
        let participant = format!("u-{}", user.id);
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE created_by = $1 \
             OR id IN (SELECT DISTINCT session_id FROM session_events WHERE actor = $2) ORDER BY created_at"
        );
        let raws: Vec<SessionRaw> =
            DB::fetch_all(&self.pool, &sql, &[user.id.into(), (&participant).into()]).await?;
        let sessions = raws
            .into_iter()
            .map(SessionRow::try_from)
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .map(|s| PersonSession {
                created_by_them: s.header.created_by == Some(user.id),
                id: s.header.id,
                title: s.header.title,
                status: s.header.status.as_str().to_owned(),
                created_at: s.created_at,
                content_removed_at: s.content_removed_at,
            })
            .collect();
        let events: Vec<(String, i64, String, i64, Json<Value>)> = DB::fetch_all(
            &self.pool,
            "SELECT session_id, seq, kind, created_at, payload FROM session_events \
             WHERE actor = $1 OR (kind = 'participant_joined' AND CAST(payload AS TEXT) LIKE $2) \
             ORDER BY created_at, session_id, seq",
            &[(&participant).into(), (format!("%\"{participant}\"%")).into()],
        )
        .await?;
        let events = events
            .into_iter()
            .filter(|(_, _, kind, _, Json(payload))| {
                // A join event found by text must name them as the one joining.
                kind != "participant_joined"
                    || payload.get("participant").and_then(Value::as_str) == Some(participant.as_str())
            })
            .map(|(session_id, seq, kind, at, Json(payload))| PersonEvent {
                session_id,
                seq,
                kind,
                at,
                payload,
            })
            .collect();
        let web: Vec<(i64, i64, String)> = DB::fetch_all(&self.pool, "SELECT created_at, last_seen_at, client_addr FROM web_sessions WHERE user_id = $1 ORDER BY created_at", &[user.id.into()])
        .await?;
        let web_sessions = web
            .into_iter()
            .map(|(created_at, last_seen_at, client_addr)| PersonWebSession {
                created_at,
                last_seen_at,
                client_addr,
            })
            .collect();
        let tokens: Vec<(String, Option<String>, i64, i64, Option<i64>)> = DB::fetch_all(
            &self.pool,
            "SELECT kind, role, created_at, expires_at, used_at FROM account_tokens \
             WHERE email = $1 OR user_id = $2 ORDER BY created_at",
            &[(&user.email).into(), user.id.into()],
        )
        .await?;
        let invites = tokens
            .into_iter()
            .map(|(kind, role, created_at, expires_at, used_at)| PersonInvite {
                kind,
                role,
                created_at,
                expires_at,
                used_at,
            })
            .collect();
        Ok(PersonData { sessions, events, web_sessions, invites })
    }

    async fn audit_about(&self, user_id: i64) -> Result<Vec<AuditEntry>> {
        let name = crate::audit::user_actor(user_id);
        let sql =
            format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE actor = $1 OR target LIKE $2 ORDER BY seq");
        let rows: Vec<AuditRaw> =
            DB::fetch_all(&self.pool, &sql, &[(&name).into(), (format!("%{name}%")).into()]).await?;
        Ok(rows
            .into_iter()
            .map(AuditEntry::from)
            .filter(|e| e.fact.actor == name || crate::audit::names(&e.fact.subject, &name))
            .collect())
    }

    async fn pseudonymise_audit(&self, now_ms: i64) -> Result<Option<u64>> {
        let mut tx = self.begin_write().await?;
        let (head_seq, head_hash): (i64, String) = DB::fetch_one(&mut *tx, DB::LOCK_AUDIT_HEAD, &[]).await?;
        let first: Option<i64> =
            DB::scalar(&mut *tx, "SELECT MIN(seq) FROM audit_log WHERE target LIKE '%@%'", &[]).await?;
        let Some(first) = first else { return Ok(None) };
        let sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq");
        let rows: Vec<AuditRaw> = DB::fetch_all(&mut *tx, &sql, &[first.into()]).await?;
        let entries: Vec<AuditEntry> = rows.into_iter().map(AuditEntry::from).collect();
        let mut prev_hash = entries.first().map(|e| e.prev_hash.clone()).unwrap_or_default();
        let mut changed = 0;
        for mut entry in entries {
            let mut target = Vec::new();
            for word in entry.fact.subject.split(' ') {
                if !word.contains('@') {
                    target.push(word.to_owned());
                    continue;
                }
                let address = word.to_lowercase();
                let user: Option<i64> = DB::scalar_optional(
                    &mut *tx,
                    "SELECT id FROM users WHERE email = $1",
                    &[(&address).into()],
                )
                .await?;
                let invite: Option<String> = DB::scalar_optional(
                    &mut *tx,
                    "SELECT token_hash FROM account_tokens WHERE email = $1 ORDER BY created_at DESC LIMIT 1",
                    &[(&address).into()],
                )
                .await?;
                target.push(match (user, invite) {
                    (Some(id), _) => crate::audit::user_actor(id),
                    (None, Some(hash)) => crate::audit::invite_ref(&hash),
                    (None, None) => "address-removed".to_owned(),
                });
                changed += 1;
            }
            entry.fact.subject = target.join(" ");
            entry.hash = entry_hash(&prev_hash, entry.seq, &entry.fact);
            DB::execute(
                &mut *tx,
                "UPDATE audit_log SET target = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
                &[
                    (&entry.fact.subject).into(),
                    (&prev_hash).into(),
                    (&entry.hash).into(),
                    (entry.seq as i64).into(),
                ],
            )
            .await?;
            prev_hash = entry.hash;
        }
        let fact = AuditFact {
            at_ms: now_ms,
            actor: "system".into(),
            action: crate::audit::action::AUDIT_RESEALED.into(),
            subject: format!("from_seq={first} previous_head={head_seq}:{head_hash} addresses={changed}"),
            result: crate::audit::result::OK.into(),
            origin: "migration".into(),
        };
        let seq = head_seq + 1;
        let hash = entry_hash(&prev_hash, seq as u64, &fact);
        let entry = AuditEntry { seq: seq as u64, fact, prev_hash, hash };
        append_entry::<DB>(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(Some(changed))
    }
}
